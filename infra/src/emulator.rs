//! The AWS emulator (moto's server mode) as a child process.
//!
//! `infra/emulator.py` exits when its standard input closes, and this process holds the
//! other end: the emulator stops when the [`Emulator`] is dropped, when a test panics, and
//! even when this process is killed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("could not prepare the Python tools (infra/python-env): {0}")]
    PythonEnv(String),
    #[error("could not start the emulator: {0}")]
    Start(String),
}

/// Runs `infra/python-env` once per process: it installs the pinned tools when missing.
pub fn python_env(root: &Path) -> Result<PathBuf, EmulatorError> {
    static VENV: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    VENV.get_or_init(|| {
        let out = Command::new("bash")
            .arg(root.join("infra/python-env"))
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("exit status {}", out.status));
        }
        Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
    })
    .clone()
    .map_err(EmulatorError::PythonEnv)
}

#[derive(Debug)]
pub struct Emulator {
    child: Child,
    endpoint: String,
}

impl Emulator {
    /// Starts the emulator on 127.0.0.1:`port` (0 picks a free port) and waits until it
    /// accepts requests.
    pub fn start(root: &Path, port: u16) -> Result<Emulator, EmulatorError> {
        let venv = python_env(root)?;
        let mut child = Command::new(venv.join("bin/python"))
            .arg(root.join("infra/emulator.py"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| EmulatorError::Start(e.to_string()))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| EmulatorError::Start("no stdout".into()))?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| EmulatorError::Start(e.to_string()))?;
        let Some(endpoint) = line.trim().strip_prefix("listening ") else {
            let _ = child.kill();
            return Err(EmulatorError::Start(format!(
                "unexpected first line {line:?} (is port {port} taken?)"
            )));
        };
        Ok(Emulator {
            endpoint: endpoint.to_owned(),
            child,
        })
    }

    /// `http://127.0.0.1:PORT`, for `AWS_ENDPOINT_URL`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
