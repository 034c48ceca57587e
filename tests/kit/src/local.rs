//! The local stack as its users meet it: the `tifli-local` binary, with an emulator of
//! its own, each on a port it binds itself and names in its banner, reached over HTTP;
//! everything it prints is kept for the test.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::wait::{self, BOUND};

/// A running `tifli-local`; killed (with its emulator) if the test fails half-way, and
/// stopped by the end of its standard input if the test process dies without unwinding.
pub struct LocalStack {
    child: Child,
    /// Held open while the stack lives: the runner stops when it closes.
    _stdin: ChildStdin,
    pub base: String,
    /// The endpoint of the emulator the runner started for itself.
    pub emulator: String,
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
    /// Starts `runner` (the `tifli-local` binary: `env!("CARGO_BIN_EXE_tifli-local")` in
    /// its package's tests) with `RUST_LOG=rust_log` and an emulator of its own, and
    /// waits until it serves.
    pub fn start(runner: impl AsRef<Path>, table: &str, rust_log: &str) -> LocalStack {
        Self::start_on(runner, table, rust_log, "http://127.0.0.1:0")
    }

    /// [`Self::start`] with the emulator at `emulator`: reused if one answers there.
    pub fn start_on(
        runner: impl AsRef<Path>,
        table: &str,
        rust_log: &str,
        emulator: &str,
    ) -> LocalStack {
        let mut child = Command::new(runner.as_ref())
            .args(["--port", "0", "--table", table, "--emulator", emulator])
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
        if banner.recv_timeout(BOUND).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the runner did not get ready:\n{}",
                output.lock().expect("output").join("\n")
            );
        }
        let banner = |name: &str| {
            stdout
                .lock()
                .expect("output")
                .iter()
                .find_map(|l| {
                    Some(
                        l.trim()
                            .strip_prefix(name)?
                            .split_whitespace()
                            .next()?
                            .to_owned(),
                    )
                })
                .unwrap_or_else(|| panic!("the banner names no {name}"))
        };
        let (base, emulator) = (banner("API"), banner("emulator"));
        LocalStack {
            child,
            _stdin: stdin,
            base,
            emulator,
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
        let exit = wait::until_blocking("the runner to stop on SIGINT", || {
            self.child.try_wait().expect("wait")
        });
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
