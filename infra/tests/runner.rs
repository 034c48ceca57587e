//! The README's run command, as a newcomer uses it: the runner starts the emulator,
//! serves the API, files the report of its own "try it" block with a `/dev/token` token,
//! and on Ctrl-C stops everything it started.

use std::net::TcpStream;
use std::process::Command;

use serde_json::{Value, json};
use tifli_testkit::local::{Call, LocalStack};
use tifli_testkit::wait;

/// The runner binary these tests run.
const RUNNER: &str = env!("CARGO_BIN_EXE_tifli-local");

#[test]
fn the_runner_serves_its_try_it_example_and_stops_what_it_started() {
    let stack = LocalStack::start(RUNNER, "runner-test", "warn");
    let banner = stack.stdout().join("\n");
    let token = stack.token("officer-1", &["officers"]);

    // The report of the printed curl example, as printed.
    let example = banner
        .split("-d '")
        .nth(2)
        .and_then(|rest| rest.split('\'').next())
        .expect("the example's body");
    let example: Value = serde_json::from_str(example).expect("the example is JSON");
    let reply = Call::post(&stack, "/reports")
        .bearer(&token)
        .json(&example)
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["status"], "pending_review");
    let reply = Call::post(&stack, "/reports").json(&example).send();
    assert_eq!(reply.status, 401);

    // Ctrl-C stops the runner, and with it the emulator it started.
    let emulator = stack.emulator.trim_start_matches("http://").to_owned();
    stack.stop();
    wait::until_blocking("the emulator to stop with the runner", || {
        TcpStream::connect(&emulator).is_err().then_some(())
    });
}

/// The README's run command with an emulator already running where it looks: the
/// runner uses that one, and leaves it running when it stops.
#[test]
fn the_runner_reuses_a_running_emulator_and_leaves_it_running() {
    let emulator =
        tifli_local::emulator::Emulator::start(&tifli_local::repo_root(), 0).expect("an emulator");
    let stack = LocalStack::start_on(RUNNER, "reuse", "info", emulator.endpoint());
    assert_eq!(stack.emulator, emulator.endpoint());
    let token = stack.token("officer-1", &["officers"]);
    let report = tifli_testkit::samples::report("Amina");
    let reply = Call::post(&stack, "/reports")
        .bearer(&token)
        .json(&report)
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text);
    let output = stack.stop();
    assert!(
        output
            .iter()
            .any(|l| l.contains("reusing the running emulator")),
        "{}",
        output.join("\n")
    );
    let address = emulator.endpoint().trim_start_matches("http://");
    assert!(
        TcpStream::connect(address).is_ok(),
        "the runner stopped an emulator it had not started"
    );
}

/// The messages the runner's demo subscriber `name` received for `alert`, waiting until
/// there are `want`.
fn received(stack: &LocalStack, name: &str, alert: &str, want: usize) -> Vec<String> {
    wait::until_blocking(&format!("{want} deliveries to {name}"), || {
        let all = Call::get(stack, "/dev/deliveries").send().json();
        let kinds: Vec<String> = all
            .as_array()
            .expect("deliveries")
            .iter()
            .filter(|d| d["subscriber"] == name && d["alert_id"] == alert)
            .map(|d| d["msg_type"].as_str().expect("a type").to_owned())
            .collect();
        (kinds.len() >= want).then_some(kinds)
    })
}

#[test]
fn end_to_end_over_tcp_from_report_to_cancel() {
    let stack = LocalStack::start(RUNNER, "e2e", "warn");
    let officer = stack.token("officer-1", &["officers"]);
    let supervisor = stack.token("supervisor-2", &["supervisors"]);
    let act = |id: &str, action: &str, token: &str, version: u64, body: Value| {
        Call::post(&stack, &format!("/reports/{id}/{action}"))
            .bearer(token)
            .version(version)
            .json(&body)
            .send()
    };
    let filed = Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&tifli_testkit::samples::report("Amina"))
        .send();
    assert_eq!(filed.status, 201, "{}", filed.text);
    let id = filed.json()["id"].as_str().expect("an id").to_owned();
    assert_eq!(act(&id, "approve", &supervisor, 1, json!({})).status, 200);
    assert_eq!(received(&stack, "MA-04", &id, 1), ["Alert"]);
    let listed = Call::get(&stack, "/alerts").send().json();
    assert_eq!(listed["items"][0]["id"], id.as_str());

    let news = json!({"message": "Seen near the station"});
    assert_eq!(act(&id, "update", &officer, 2, news).status, 200);
    let found = json!({"outcome": "found"});
    assert_eq!(act(&id, "resolve", &officer, 3, found).status, 200);
    assert_eq!(
        received(&stack, "MA-04", &id, 3),
        ["Alert", "Update", "Cancel"]
    );
    assert!(received(&stack, "MA-06", &id, 0).is_empty());
    let listed = Call::get(&stack, "/alerts").send().json();
    assert_eq!(listed["items"], json!([]));
    // A report waiting for review, and a scheduled run that sees it.
    let waiting = Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&tifli_testkit::samples::report("Amina"))
        .send();
    assert_eq!(waiting.status, 201, "{}", waiting.text);
    assert_eq!(Call::post(&stack, "/dev/expiry/run").send().status, 200);

    // Every function wrote its metric lines, as CloudWatch reads them.
    let lines = metric_lines(&stack);
    let of = |function: &str| -> Vec<&Value> {
        lines.iter().filter(|l| l["Function"] == function).collect()
    };
    let total = |function: &str, metric: &str| -> f64 {
        of(function).iter().filter_map(|l| l[metric].as_f64()).sum()
    };
    assert_eq!(total("intake", "Requests"), 2.0);
    assert_eq!(total("approval", "Requests"), 3.0);
    assert_eq!(total("approval", "ServerErrors"), 0.0);
    assert!(total("public", "Requests") >= 2.0);
    assert_eq!(total("fanout", "Published"), 3.0, "{lines:#?}");
    let waits: Vec<f64> = of("fanout")
        .iter()
        .filter_map(|l| l["CommitToPublish"].as_array())
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(waits.len(), 3, "one commit-to-publish time per version");
    assert!(
        waits.iter().all(|ms| (0.0..60_000.0).contains(ms)),
        "{waits:?}"
    );
    // The runner's own schedule also runs once at start, and on a loaded machine its
    // line (an empty queue then) may come after the one of the run asked for here.
    let runs = of("expiry");
    assert!(!runs.is_empty(), "the scheduled run's line");
    assert!(runs.iter().all(|run| run["Failures"] == 0), "{runs:?}");
    assert!(
        runs.iter()
            .any(|run| run["OldestWaitingForReview"].as_f64().is_some()),
        "{runs:?}"
    );
    for line in &lines {
        let text = line.to_string();
        assert!(!text.contains("Amina") && !text.contains(&id), "{text}");
    }
    // Each metric an alarm of template.yaml watches is one some function writes.
    for (function, metric) in alarmed_metrics() {
        assert!(
            of(&function).iter().any(|l| l.get(&metric).is_some()),
            "no {function} line carries {metric}, which an alarm watches"
        );
    }

    // The documented replay of the failure queue, against this stack: nothing to do.
    let config = Call::get(&stack, "/dev/config").send().json();
    let replay = Command::new(env!("CARGO_BIN_EXE_tifli-replay"))
        .args([
            "--queue-url",
            config["failure_queue_url"].as_str().expect("a queue"),
        ])
        .args(["--table", "e2e", "--endpoint-url", &stack.emulator])
        .output()
        .expect("tifli-replay runs");
    let printed = String::from_utf8_lossy(&replay.stdout);
    assert!(
        replay.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert!(printed.starts_with("replayed 0,"), "{printed}");
}

/// (Function, metric) of every alarm of template.yaml on a metric of Tifli's own.
fn alarmed_metrics() -> Vec<(String, String)> {
    let path = tifli_local::repo_root().join("template.yaml");
    let template: serde_norway::Value =
        serde_norway::from_str(&std::fs::read_to_string(path).expect("template.yaml"))
            .expect("YAML");
    let mut found = Vec::new();
    let resources = template["Resources"].as_mapping().expect("resources");
    for resource in resources.values() {
        if resource["Type"].as_str() != Some("AWS::CloudWatch::Alarm") {
            continue;
        }
        let p = &resource["Properties"];
        let stats = match p["Metrics"].as_sequence() {
            Some(metrics) => metrics
                .iter()
                .map(|m| m["MetricStat"]["Metric"].clone())
                .collect(),
            None => vec![p.clone()],
        };
        for metric in stats {
            if metric["Namespace"].as_str() != Some("Tifli") {
                continue;
            }
            let function = metric["Dimensions"][0]["Value"]
                .as_str()
                .expect("a function");
            let name = metric["MetricName"].as_str().expect("a metric");
            found.push((function.to_owned(), name.to_owned()));
        }
    }
    assert!(found.len() >= 10, "{found:?}");
    found
}

/// The embedded-metric-format lines the runner printed, each checked against what
/// CloudWatch requires of one: a namespace, the dimension's value, every declared
/// metric present as a number or an array of numbers.
fn metric_lines(stack: &LocalStack) -> Vec<Value> {
    let lines: Vec<Value> = stack
        .stdout()
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l.get("_aws").is_some())
        .collect();
    for line in &lines {
        let directive = &line["_aws"]["CloudWatchMetrics"][0];
        assert_eq!(directive["Namespace"], "Tifli", "{line}");
        assert_eq!(directive["Dimensions"], json!([["Function"]]), "{line}");
        assert!(line["Function"].is_string(), "{line}");
        assert!(line["_aws"]["Timestamp"].is_u64(), "{line}");
        for metric in directive["Metrics"].as_array().expect("metrics") {
            let name = metric["Name"].as_str().expect("a name");
            let value = &line[name];
            let numbers = value.is_number()
                || value
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_number));
            assert!(numbers, "{name} in {line}");
        }
    }
    lines
}

#[test]
fn the_demo_runs_through_against_the_runner() {
    let stack = LocalStack::start(RUNNER, "demo", "warn");
    let out = Command::new(env!("CARGO_BIN_EXE_tifli-demo"))
        .args(["--api", &stack.base])
        .output()
        .expect("the demo runs");
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{printed}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("MA-04: Alert v2"), "{printed}");
    assert!(printed.contains("Cancel v5"), "{printed}");
    assert!(printed.contains("GET /alerts lists it: false"), "{printed}");
}
