//! The README's run command, as a newcomer uses it: the runner starts the emulator,
//! serves the API, files the report of its own "try it" block with a `/dev/token` token,
//! and on Ctrl-C stops everything it started.

use std::io::{BufRead, BufReader, Lines};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the runner if the test fails half-way.
struct Runner(Child);

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Reads the runner's output up to the end of its "try it" block.
fn read_banner(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
    let mut banner = String::new();
    for line in lines.by_ref() {
        let line = line.expect("runner output");
        banner.push_str(&line);
        banner.push('\n');
        if line.starts_with("Ctrl-C") {
            return banner;
        }
    }
    panic!("the runner stopped before it was ready:\n{banner}");
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn post(url: &str, token: Option<&str>, body: &str) -> (u16, serde_json::Value) {
    let mut request = agent().post(url).header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send(body).expect("a response");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (status, serde_json::from_str(&text).expect("JSON"))
}

#[test]
fn the_runner_serves_its_try_it_example_and_stops_what_it_started() {
    let emulator_port = free_port();
    let mut runner = Runner(
        Command::new(env!("CARGO_BIN_EXE_tifli-local"))
            .args(["--port", "0", "--table", "runner-test"])
            .args(["--emulator", &format!("http://127.0.0.1:{emulator_port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the runner starts"),
    );
    let stdout = runner.0.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let banner = read_banner(&mut lines);
    // Keep reading, so that the runner never writes into a closed pipe.
    let drain = std::thread::spawn(move || lines.count());

    let base = banner
        .lines()
        .find_map(|l| l.trim().strip_prefix("API"))
        .map(str::trim)
        .expect("the API address");
    let (status, token) = post(
        &format!("{base}/dev/token"),
        None,
        r#"{"sub":"officer-1","groups":["officers"]}"#,
    );
    assert_eq!(status, 200);
    let token = token["token"].as_str().expect("a token");

    // The report of the printed curl example, as printed.
    let example = banner
        .split("-d '")
        .nth(2)
        .and_then(|rest| rest.split('\'').next())
        .expect("the example's body");
    let (status, report) = post(&format!("{base}/reports"), Some(token), example);
    assert_eq!(status, 201, "{report}");
    assert_eq!(report["status"], "pending_review");
    let (status, _) = post(&format!("{base}/reports"), None, example);
    assert_eq!(status, 401);

    // Ctrl-C stops the runner, and with it the emulator it started.
    let pid = runner.0.id().to_string();
    let signalled = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill");
    assert!(signalled.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(status) = runner.0.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the runner did not stop on SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit}");
    drain.join().expect("the output reader");
    let emulator = format!("127.0.0.1:{emulator_port}");
    let deadline = Instant::now() + Duration::from_secs(5);
    while TcpStream::connect(&emulator).is_ok() {
        assert!(
            Instant::now() < deadline,
            "the emulator outlived the runner"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Starts the runner on free ports; its API's base URL, with the runner's guard.
fn start() -> (Runner, String, std::thread::JoinHandle<usize>) {
    let mut runner = Runner(
        Command::new(env!("CARGO_BIN_EXE_tifli-local"))
            .args(["--port", "0", "--table", "e2e"])
            .args(["--emulator", &format!("http://127.0.0.1:{}", free_port())])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the runner starts"),
    );
    let mut lines = BufReader::new(runner.0.stdout.take().expect("stdout")).lines();
    let banner = read_banner(&mut lines);
    let drain = std::thread::spawn(move || lines.count());
    let base = banner
        .lines()
        .find_map(|l| l.trim().strip_prefix("API"))
        .map(str::trim)
        .expect("the API address")
        .to_owned();
    (runner, base, drain)
}

fn call(
    method: &str,
    url: &str,
    token: Option<&str>,
    if_match: Option<&str>,
    body: Option<&serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(version) = if_match {
        request = request.header("if-match", format!("\"{version}\""));
    }
    let request = match body {
        Some(b) => request
            .header("content-type", "application/json")
            .body(b.to_string()),
        None => request.body(String::new()),
    }
    .expect("request");
    let mut response = agent().run(request).expect("a response");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// The messages the runner's demo subscriber `name` received for `alert`, waiting until
/// there are `want`.
fn received(base: &str, name: &str, alert: &str, want: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, all) = call("GET", &format!("{base}/dev/deliveries"), None, None, None);
        let kinds: Vec<String> = all
            .as_array()
            .expect("deliveries")
            .iter()
            .filter(|d| d["subscriber"] == name && d["alert_id"] == alert)
            .map(|d| d["msg_type"].as_str().expect("a type").to_owned())
            .collect();
        if kinds.len() >= want || Instant::now() > deadline {
            return kinds;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn end_to_end_over_tcp_from_report_to_cancel() {
    let (_runner, base, _drain) = start();
    let token = |sub: &str, group: &str| {
        let (_, reply) = call(
            "POST",
            &format!("{base}/dev/token"),
            None,
            None,
            Some(&serde_json::json!({"sub": sub, "groups": [group]})),
        );
        reply["token"].as_str().expect("a token").to_owned()
    };
    let (officer, supervisor) = (
        token("officer-1", "officers"),
        token("supervisor-2", "supervisors"),
    );
    let seen = (time::OffsetDateTime::now_utc() - time::Duration::minutes(20))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a time");
    let report = serde_json::json!({
        "child": {"name": "Amina", "age": 7, "sex": "female", "description": "Red coat"},
        "last_seen": {"at": seen, "lat": 34.0209, "lon": -6.8416, "place": "Bab El Had, Rabat", "region": "MA-04"},
        "circumstances": {"narrative": "Seen leaving with an unknown adult."},
        "criteria": {"abduction_suspected": true, "risk_of_serious_harm": true,
                     "sufficient_description": true, "registered_in_national_database": true},
        "tip_line": "+212537000000"
    });
    let (status, filed) = call(
        "POST",
        &format!("{base}/reports"),
        Some(&officer),
        None,
        Some(&report),
    );
    assert_eq!(status, 201, "{filed}");
    let id = filed["id"].as_str().expect("an id").to_owned();
    let (status, _) = call(
        "POST",
        &format!("{base}/reports/{id}/approve"),
        Some(&supervisor),
        Some("1"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(received(&base, "MA-04", &id, 1), ["Alert"]);
    let (_, listed) = call("GET", &format!("{base}/alerts"), None, None, None);
    assert_eq!(listed["items"][0]["id"], id.as_str());

    let news = serde_json::json!({"message": "Seen near the station"});
    let (status, _) = call(
        "POST",
        &format!("{base}/reports/{id}/update"),
        Some(&officer),
        Some("2"),
        Some(&news),
    );
    assert_eq!(status, 200);
    let found = serde_json::json!({"outcome": "found"});
    let (status, _) = call(
        "POST",
        &format!("{base}/reports/{id}/resolve"),
        Some(&officer),
        Some("3"),
        Some(&found),
    );
    assert_eq!(status, 200);
    assert_eq!(
        received(&base, "MA-04", &id, 3),
        ["Alert", "Update", "Cancel"]
    );
    assert!(received(&base, "MA-06", &id, 0).is_empty());
    let (_, listed) = call("GET", &format!("{base}/alerts"), None, None, None);
    assert_eq!(listed["items"], serde_json::json!([]));
}

#[test]
fn the_demo_runs_through_against_the_runner() {
    let (_runner, base, _drain) = start();
    let out = Command::new(env!("CARGO_BIN_EXE_tifli-demo"))
        .args(["--api", &base])
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
