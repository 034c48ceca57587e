//! Fuzzes the local stack against its OpenAPI description (`docs/openapi.yaml`) with
//! Schemathesis, once as an officer and once as a supervisor.
//!
//! Every operation of the description gets its examples, the boundary and negative
//! values of every parameter and body field (coverage), random schema-valid and
//! schema-violating requests (fuzzing), and chains of calls along the description's
//! links (stateful). Every check Schemathesis has runs but one: no 5xx, a documented
//! status, media type, body and headers; invalid data and missing required headers
//! refused; no answer without authentication where it is required; unsupported methods
//! refused with a correct `Allow`.
//!
//! Two checks are told what this API answers on purpose: a missing `If-Match` is
//! `428 Precondition Required` (RFC 6585), and an invalid body with a stale `If-Match`
//! is `412`, the version being checked before the body.
//!
//! What is not checked: that every schema-valid request is accepted. A valid report
//! needs a sighting of the last 30 days and a phone number that exists, which no schema
//! can say; they are bound instead to real values part of the time (below), so that
//! fuzzed reports get filed, and acted on, and reach the public side.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tifli_testkit::local::{Call, LocalStack};
use tifli_testkit::samples::{report_body, rfc3339};

/// The runner binary these tests run.
const RUNNER: &str = env!("CARGO_BIN_EXE_tifli-local");

/// Every check of Schemathesis but one: `positive_data_acceptance` (see above).
const EXCLUDED_CHECKS: &str = "positive_data_acceptance";
/// The operations of the description.
const OPERATIONS: usize = 21;
/// Test cases per operation and phase: both runs together stay within about a minute
/// and a half on two cores.
const MAX_EXAMPLES: &str = "80";
/// Fixed, so that a run can be replayed; the server's ids and clock still differ.
const SEED: &str = "20261129";

/// The reports the fuzzer starts from, in every state an action or a public read can
/// meet, and the tokens of the two roles.
struct Seeded {
    officer: String,
    supervisor: String,
    ids: Vec<String>,
}

fn seed(stack: &LocalStack) -> Seeded {
    let officer = stack.token("officer-1", &["officers"]);
    let supervisor = stack.token("supervisor-2", &["supervisors"]);
    // The supervisor, also an officer, filed one report: approving it is four-eyes.
    let supervisor_as_officer = stack.token("supervisor-2", &["officers"]);
    let report = |criteria_met: bool, exercise: bool| {
        let mut body = report_body();
        body["criteria"]["risk_of_serious_harm"] = criteria_met.into();
        body["exercise"] = exercise.into();
        body
    };
    let file = |token: &str, body: &Value| {
        let reply = Call::post(stack, "/reports")
            .bearer(token)
            .json(body)
            .send();
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["id"].as_str().expect("an id").to_owned()
    };
    let act = |id: &str, action: &str, version: u64, body: Value| {
        let reply = Call::post(stack, &format!("/reports/{id}/{action}"))
            .bearer(&supervisor)
            .version(version)
            .json(&body)
            .send();
        assert_eq!(reply.status, 200, "{action}: {}", reply.text);
    };
    let pending = file(&officer, &report(true, false));
    let own = file(&supervisor_as_officer, &report(true, false));
    let active = file(&officer, &report(true, false));
    act(&active, "approve", 1, json!({}));
    let body = json!({"message": "Seen near the station"});
    act(&active, "update", 2, body);
    let overridden = file(&officer, &report(false, false));
    let reason = "Registered by phone, the form follows";
    let body = json!({"override_reason": reason});
    act(&overridden, "approve", 1, body);
    let drill = file(&officer, &report(true, true));
    act(&drill, "approve", 1, json!({"radius_km": 15}));
    let found = file(&officer, &report(true, false));
    act(&found, "approve", 1, json!({}));
    act(&found, "resolve", 2, json!({"outcome": "found"}));
    let withdrawn = file(&officer, &report(true, false));
    act(&withdrawn, "approve", 1, json!({}));
    let body = json!({"reason": "Issued in error"});
    act(&withdrawn, "cancel", 2, body);
    let rejected = file(&officer, &report(true, false));
    let body = json!({"reason": "Not an abduction"});
    act(&rejected, "reject", 1, body);
    Seeded {
        officer,
        supervisor,
        ids: vec![
            pending, own, active, overridden, drill, found, withdrawn, rejected,
        ],
    }
}

/// Schemathesis' configuration: real report ids and versions for the path and
/// `If-Match` half the time, a recent sighting and real phone numbers most of the time,
/// generated values otherwise.
fn config(seeded: &Seeded) -> String {
    let quoted = |values: &[String]| {
        let items: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
        items.join(", ")
    };
    let versions: Vec<String> = (1..=5).map(|v| format!("\"{v}\"")).collect();
    let recent = rfc3339(time::OffsetDateTime::now_utc() - time::Duration::minutes(10));
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "[dictionaries.reports]\nvalues = [{}]",
        quoted(&seeded.ids)
    );
    let _ = writeln!(
        toml,
        "[dictionaries.versions]\nvalues = [{}]",
        quoted(&versions)
    );
    let _ = writeln!(toml, "[dictionaries.recent]\nvalues = [{recent:?}]");
    let _ = writeln!(
        toml,
        "[dictionaries.phones]\nvalues = [\"+212537000000\", \"+212612345678\", \"+33142685300\"]"
    );
    toml.push_str(
        r#"[parameters]
"path.id" = { dictionary = "reports", probability = 0.5 }
"header.If-Match" = { dictionary = "versions", probability = 0.5 }
"body.last_seen.at" = { dictionary = "recent", probability = 0.8 }
"body.tip_line" = { dictionary = "phones", probability = 0.8 }
[checks.missing_required_header]
expected-statuses = ["400", "401", "403", "406", "415", "422", "428"]
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "406", "409", "412", "415", "422", "428"]
"#,
    );
    toml
}

struct Outcome {
    success: bool,
    output: String,
    elapsed: Duration,
    har: PathBuf,
}

fn schemathesis(venv: &Path, work: &Path, base: &str, role: &str, token: &str) -> Outcome {
    let spec = tifli_local::repo_root().join("docs/openapi.yaml");
    let har = work.join(format!("{role}.har"));
    let _ = std::fs::remove_file(&har);
    let started = Instant::now();
    let out = Command::new(venv.join("bin/schemathesis"))
        .arg("--config-file")
        .arg(work.join("schemathesis.toml"))
        .arg("run")
        .arg(&spec)
        .args(["--url", base])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", "all", "--exclude-checks", EXCLUDED_CHECKS])
        .args(["--phases", "examples,coverage,fuzzing,stateful"])
        .args(["--max-examples", MAX_EXAMPLES, "--seed", SEED])
        // One worker: with a fixed seed, the same requests in the same order.
        .args(["--workers", "1", "--request-timeout", "10"])
        .args(["--generation-database", "none", "--no-color"])
        .args(["--report", "har", "--report-har-path"])
        .arg(&har)
        // Nothing of Schemathesis' own lands in the working tree.
        .current_dir(work)
        .stdin(Stdio::null())
        .output()
        .expect("schemathesis runs (infra/python-env installs it)");
    Outcome {
        success: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
        elapsed: started.elapsed(),
        har,
    }
}

/// The value after `label` on the first line of `output` that starts with it.
fn summary<'a>(output: &'a str, label: &str) -> Option<&'a str> {
    output
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(str::trim)
}

/// The requests of a run, by status, from its HAR record.
fn requests(har: &Path) -> (usize, std::collections::BTreeMap<u16, usize>) {
    let text = std::fs::read_to_string(har).expect("the HAR report");
    let har: Value = serde_json::from_str(&text).expect("HAR is JSON");
    let entries = har["log"]["entries"].as_array().expect("HAR entries");
    let mut by_status = std::collections::BTreeMap::new();
    for entry in entries {
        let status = entry["response"]["status"].as_u64().unwrap_or(0) as u16;
        *by_status.entry(status).or_insert(0) += 1;
    }
    (entries.len(), by_status)
}

#[test]
fn the_api_holds_to_its_openapi_description_under_fuzzing() {
    let started = Instant::now();
    let venv = tifli_local::emulator::python_env(&tifli_local::repo_root())
        .expect("the Python tools install");
    let stack = LocalStack::start(RUNNER, "fuzz", "warn");
    let seeded = seed(&stack);
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz");
    std::fs::create_dir_all(&work).expect("a work directory");
    std::fs::write(work.join("schemathesis.toml"), config(&seeded)).expect("the config");

    // The officer first: it files, updates and resolves; then the supervisor approves,
    // rejects, extends and cancels what is there by then.
    let mut failed = Vec::new();
    for (role, token) in [
        ("officer", &seeded.officer),
        ("supervisor", &seeded.supervisor),
    ] {
        let run = schemathesis(&venv, &work, &stack.base, role, token);
        if !run.success {
            failed.push(format!(
                "==== schemathesis as {role}: failed ====\n{}",
                run.output
            ));
            continue;
        }
        let tested = summary(&run.output, "Tested:").unwrap_or("?");
        let selected = summary(&run.output, "Selected:").unwrap_or("?");
        assert_eq!(
            (selected, tested),
            (
                format!("{OPERATIONS}/{OPERATIONS}").as_str(),
                OPERATIONS.to_string().as_str()
            ),
            "every operation of the description is tested:\n{}",
            run.output
        );
        // "N generated, N passed": on the line after the label.
        let cases = run
            .output
            .find("Test cases:")
            .and_then(|at| run.output[at..].lines().nth(1))
            .map(str::trim)
            .unwrap_or("?");
        let (total, by_status) = requests(&run.har);
        let statuses: Vec<String> = by_status.iter().map(|(s, n)| format!("{s}: {n}")).collect();
        println!(
            "schemathesis as {role}: {tested} operations, test cases {cases}, {total} requests \
             ({}), {:.1} s",
            statuses.join(", "),
            run.elapsed.as_secs_f64()
        );
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    println!(
        "fuzz test wall time (stack, seeding, both runs): {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
