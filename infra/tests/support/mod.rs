//! The local stack as its users meet it: the `tifli-local` binary on free ports, with
//! its own emulator, reached over HTTP; everything it prints is kept for the test.

#![allow(dead_code)] // Each test binary uses its own part of it.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `tifli-local`; killed (with its emulator) if the test fails half-way, and
/// stopped by the end of its standard input if the test process dies without unwinding.
pub struct LocalStack {
    child: Child,
    /// Held open while the stack lives: the runner stops when it closes.
    _stdin: ChildStdin,
    pub base: String,
    /// The port of the emulator the runner started.
    pub emulator_port: u16,
    /// Every line, standard output and error as they came.
    output: Arc<Mutex<Vec<String>>>,
    /// Standard output alone: the banner, then the deliveries.
    stdout: Arc<Mutex<Vec<String>>>,
    readers: Vec<std::thread::JoinHandle<()>>,
}

impl Drop for LocalStack {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

type Lines = Arc<Mutex<Vec<String>>>;

/// Keeps every line `from` prints in each of `into`; tells `ready` when the banner's
/// last line comes.
fn keep_lines(
    from: impl Read + Send + 'static,
    into: Vec<Lines>,
    ready: Option<std::sync::mpsc::Sender<()>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            let banner_done = line.starts_with("Ctrl-C");
            for lines in &into {
                lines.lock().expect("output").push(line.clone());
            }
            if banner_done && let Some(ready) = &ready {
                let _ = ready.send(());
            }
        }
    })
}

impl LocalStack {
    /// Starts the runner with `RUST_LOG=rust_log`, and waits until it serves.
    pub fn start(table: &str, rust_log: &str) -> LocalStack {
        let emulator_port = free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_tifli-local"))
            .args(["--port", "0", "--table", table])
            .args(["--emulator", &format!("http://127.0.0.1:{emulator_port}")])
            .arg("--stop-with-stdin")
            .env("RUST_LOG", rust_log)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the runner starts");
        let output = Lines::default();
        let stdout = Lines::default();
        let (ready, banner) = std::sync::mpsc::channel();
        let readers = vec![
            keep_lines(
                child.stdout.take().expect("stdout"),
                vec![output.clone(), stdout.clone()],
                Some(ready),
            ),
            keep_lines(
                child.stderr.take().expect("stderr"),
                vec![output.clone()],
                None,
            ),
        ];
        let stdin = child.stdin.take().expect("stdin");
        if banner.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the runner did not get ready:\n{}",
                output.lock().expect("output").join("\n")
            );
        }
        let base = stdout
            .lock()
            .expect("output")
            .iter()
            .find_map(|l| l.trim().strip_prefix("API").map(|b| b.trim().to_owned()))
            .expect("the API address");
        LocalStack {
            child,
            _stdin: stdin,
            base,
            emulator_port,
            output,
            stdout,
            readers,
        }
    }

    /// Stops the runner as Ctrl-C would, and returns every line it printed.
    pub fn stop(mut self) -> Vec<String> {
        let pid = self.child.id().to_string();
        let signalled = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .expect("kill");
        assert!(signalled.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let exit = loop {
            if let Some(exit) = self.child.try_wait().expect("wait") {
                break exit;
            }
            assert!(
                Instant::now() < deadline,
                "the runner did not stop on SIGINT"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(exit.success(), "{exit}");
        for reader in self.readers.drain(..) {
            reader.join().expect("an output reader");
        }
        self.output.lock().expect("output").clone()
    }

    /// What the runner printed on its standard output so far: the banner first.
    pub fn stdout(&self) -> Vec<String> {
        self.stdout.lock().expect("output").clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A token of this run for `sub` in `groups`.
    pub fn token(&self, sub: &str, groups: &[&str]) -> String {
        let reply = Call::post(self, "/dev/token")
            .json(&json!({"sub": sub, "groups": groups}))
            .send();
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["token"].as_str().expect("a token").to_owned()
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// One HTTP request to the stack.
pub struct Call {
    request: ureq::http::request::Builder,
    body: String,
}

pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

impl Call {
    pub fn new(stack: &LocalStack, method: &str, path: &str) -> Call {
        Call {
            request: ureq::http::Request::builder()
                .method(method)
                .uri(stack.url(path)),
            body: String::new(),
        }
    }

    pub fn get(stack: &LocalStack, path: &str) -> Call {
        Call::new(stack, "GET", path)
    }

    pub fn post(stack: &LocalStack, path: &str) -> Call {
        Call::new(stack, "POST", path)
    }

    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.request = self.request.header(name, value);
        self
    }

    pub fn bearer(self, token: &str) -> Call {
        self.header("authorization", &format!("Bearer {token}"))
    }

    /// `If-Match` on `version`.
    pub fn version(self, version: u64) -> Call {
        self.header("if-match", &format!("\"{version}\""))
    }

    pub fn json(mut self, body: &Value) -> Call {
        self.request = self.request.header("content-type", "application/json");
        self.body = body.to_string();
        self
    }

    pub fn send_with(self, agent: &ureq::Agent) -> Reply {
        let request = self.request.body(self.body).expect("a request");
        let mut response = agent.run(request).expect("a response");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            text: response.body_mut().read_to_string().expect("a body"),
        }
    }

    pub fn send(self) -> Reply {
        self.send_with(&agent())
    }
}

/// `at` as the API writes times: RFC 3339, whole seconds.
pub fn rfc3339(at: time::OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .expect("whole seconds")
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a time")
}

/// A complete, valid report last seen half an hour ago, whose child is `name`.
pub fn report(name: &str) -> Value {
    let seen = rfc3339(time::OffsetDateTime::now_utc() - time::Duration::minutes(30));
    json!({
        "child": { "name": name, "age": 7, "sex": "female",
                   "description": "Red coat, white sneakers" },
        "last_seen": { "at": seen, "lat": 34.0209, "lon": -6.8416,
                       "place": "Bab El Had, Rabat", "region": "MA-04" },
        "circumstances": { "narrative": "Seen leaving with an unknown adult." },
        "criteria": { "abduction_suspected": true, "risk_of_serious_harm": true,
                      "sufficient_description": true, "registered_in_national_database": true },
        "tip_line": "+212537000000",
        "languages": ["ar", "fr", "zgh", "en"]
    })
}
