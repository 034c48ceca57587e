//! The operator console's figures: what it ships against its 150 KB budget, and how long
//! an officer waits from signing in to the review queue, in Chromium against the local
//! stack (`bench/console.py` drives the browser).

use std::fmt::Write as _;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use tifli_testkit::local::{Call, LocalStack};

use crate::stats::{ms, percentile};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// JavaScript and CSS together, gzipped, at most.
const BUDGET_BYTES: u64 = 150 * 1024;
const RUNS: usize = 20;
const WAITING: usize = 20;

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

/// The runner this measures: the release build when there is one (`bench/run` makes
/// it), else the debug build the tests use; the section says which.
fn runner() -> Result<(std::path::PathBuf, &'static str), Error> {
    let target = tifli_local::repo_root().join("target");
    for (profile, name) in [("release", "release build"), ("debug", "debug build")] {
        let path = target.join(profile).join("tifli-local");
        if path.exists() {
            return Ok((path, name));
        }
    }
    Err("no tifli-local built: cargo build --release -p tifli-local".into())
}

pub fn section(out: &mut String) -> Result<(), Error> {
    let (runner, build) = runner()?;
    let stack = LocalStack::start(&runner, "bench-console", "warn");
    let officer = stack.token("officer-1", &["officers"]);
    for n in 0..WAITING {
        let reply = Call::post(&stack, "/reports")
            .bearer(&officer)
            .json(&tifli_testkit::samples::report(&format!("Amina {n}")))
            .send();
        if reply.status != 201 {
            return Err(format!("filing answered {}: {}", reply.status, reply.text).into());
        }
    }
    let root = tifli_local::repo_root();
    let python = tifli_local::emulator::python_env(&root)?.join("bin/python");
    let run = Command::new(python)
        .arg(root.join("bench/console.py"))
        .arg(&stack.base)
        .arg(RUNS.to_string())
        .output()?;
    if !run.status.success() {
        return Err(String::from_utf8_lossy(&run.stderr).into_owned().into());
    }
    let figures: Value = serde_json::from_slice(&run.stdout)?;
    let durations = |key: &str| -> Vec<Duration> {
        figures[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_f64)
            .map(|m| Duration::from_secs_f64(m / 1000.0))
            .collect()
    };

    writeln!(out, "\n## Operator console\n")?;
    writeln!(
        out,
        "What `console/` ships, each file raw and gzipped (level 9; CloudFront compresses what it serves). \
         Target: JavaScript and CSS together at most {} gzipped, with no dependency and nothing fetched \
         from elsewhere at run time.\n",
        kb(BUDGET_BYTES)
    )?;
    writeln!(out, "| file | bytes | gzipped |")?;
    writeln!(out, "|---|---|---|")?;
    let (mut code, mut all) = (0, 0);
    for file in figures["files"].as_array().ok_or("no files")? {
        let name = file["file"].as_str().ok_or("a name")?;
        let gzip = file["gzip"].as_u64().ok_or("a size")?;
        let bytes = file["bytes"].as_u64().ok_or("a size")?;
        if name.ends_with(".js") || name.ends_with(".css") {
            code += gzip;
        }
        all += gzip;
        writeln!(out, "| {name} | {bytes} | {gzip} |")?;
    }
    let met = if code <= BUDGET_BYTES {
        "met"
    } else {
        "**not met**"
    };
    writeln!(
        out,
        "\nJavaScript and CSS together: **{}** gzipped (target {}: {met}); everything, the page and the \
         regions' outlines included: {}.\n",
        kb(code),
        kb(BUDGET_BYTES),
        kb(all)
    )?;
    let (load, queue) = (durations("load_ms"), durations("sign_in_to_queue_ms"));
    writeln!(
        out,
        "Time in Debian's Chromium (headless, 1100×900), {RUNS} runs each in a fresh browser context (nothing \
         cached, no session), against the local stack ({build} of `tifli-local`, the emulator behind it) with \
         {WAITING} reports waiting: from opening `/console/` to the sign-in screen, and from the click on a demo \
         identity to the review queue on screen (its token from `/dev/token`, the list from `GET /reports`, drawn; \
         measured in the page to the next frame). In production the managed login's redirect comes in between.\n"
    )?;
    writeln!(out, "| | p50 | p95 | max |")?;
    writeln!(out, "|---|---|---|---|")?;
    let (token, list) = (durations("token_ms"), durations("list_ms"));
    for (what, samples) in [
        ("open to sign-in screen", &load),
        ("sign-in to queue shown", &queue),
        ("of which `POST /dev/token`", &token),
        ("of which `GET /reports`", &list),
    ] {
        writeln!(
            out,
            "| {what} | {} | {} | {} |",
            ms(percentile(samples, 50.0)),
            ms(percentile(samples, 95.0)),
            ms(percentile(samples, 100.0))
        )?;
    }
    writeln!(
        out,
        "\nMost of the wait is `GET /reports`: the emulator answering the list's Query in Python, behind \
         the {build}; the console's own work (the token kept, the list drawn) is the rest.\n"
    )?;
    Ok(())
}
