//! The operator console in a real browser: Debian's Chromium, headless, driven by
//! Playwright (`tests/console/e2e.py`) against the runner over TCP, as officers and
//! supervisors use it, with an accessibility audit (axe-core) of every screen it shows. `TIFLI_SCREENSHOTS=docs/screenshots` keeps the screenshots it
//! takes (the README shows them).

use std::process::Command;

use serde_json::json;
use tifli_testkit::local::{Call, LocalStack};

const RUNNER: &str = env!("CARGO_BIN_EXE_tifli-local");

/// Text made to break a page: markup, quotes, an ampersand, a right-to-left mark, and
/// a word too long for any line.
fn hostile(limit: usize) -> String {
    let text = format!(
        "<img src=x onerror=alert(1)>\"' & \u{200F}<b>Amina</b></script>{}",
        "W".repeat(limit)
    );
    text.chars().take(limit).collect()
}

/// Runs `tests/console/<script>` with the project's Python and prints its checks.
fn python(script: &str, args: &[&str], what: &str) {
    let root = tifli_local::repo_root();
    let venv = tifli_local::emulator::python_env(&root).expect("the project's Python");
    let run = Command::new(venv.join("bin/python"))
        .arg(root.join("tests/console").join(script))
        .args(args)
        .output()
        .expect("the script runs");
    let printed = String::from_utf8_lossy(&run.stdout);
    let errors = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{printed}\n{errors}");
    for check in printed.lines().filter(|l| l.starts_with("ok: ")) {
        println!("{what}, {check}");
    }
}

/// The README's publication step, against the emulator: the files, the sign-in
/// settings and the invalidation, from a stack's outputs as `sam deploy` leaves them.
#[test]
fn the_console_publishes_to_the_stack_sam_deploy_made() {
    let emulator =
        tifli_local::emulator::Emulator::start(&tifli_local::repo_root(), 0).expect("an emulator");
    python("publish.py", &[emulator.endpoint()], "publish_console.py");
}

#[test]
fn officers_and_supervisors_run_an_alert_from_the_console() {
    let stack = LocalStack::start(RUNNER, "console", "warn");
    let officer = stack.token("officer-1", &["officers"]);
    let reply = Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&tifli_testkit::samples::report("Yassine"))
        .send();
    assert_eq!(reply.status, 201, "{}", reply.text);
    // Each free-text field as long as the contract allows.
    let dir = tempfile::tempdir().expect("a temporary directory");
    // A phone's photo, with where it was taken in it, for the upload.
    let photo = dir.path().join("photo.jpg");
    std::fs::write(
        &photo,
        tifli_testkit::photos::with_camera_metadata(&tifli_testkit::photos::jpeg(900, 1200)),
    )
    .expect("the photo written");
    let state = json!({
        "photo": photo.to_string_lossy(),
        "stale": reply.json()["id"],
        "sample": tifli_testkit::samples::report("Paged"),
        "hostile": {
            "name": hostile(100),
            "description": hostile(1000),
            "place": hostile(200),
            "narrative": hostile(5000),
            "vehicle": hostile(300),
            "suspect": hostile(500),
        },
    });
    let state_path = dir.path().join("state.json");
    std::fs::write(&state_path, state.to_string()).expect("state written");
    let shots = match std::env::var("TIFLI_SCREENSHOTS") {
        Ok(keep) => tifli_local::repo_root().join(keep),
        Err(_) => dir.path().to_owned(),
    };
    std::fs::create_dir_all(&shots).expect("the screenshots' folder");
    let state_path = state_path.to_string_lossy();
    let shots_path = shots.to_string_lossy();
    python(
        "e2e.py",
        &[&stack.base, &state_path, &shots_path],
        "console in Chromium",
    );
    for shot in [
        "console-file.png",
        "console-queue.png",
        "console-preview.png",
        "console-active.png",
        "page-en.png",
        "page-ar.png",
        "console-photo.png",
    ] {
        assert!(shots.join(shot).exists(), "{shot}");
    }
}
