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
