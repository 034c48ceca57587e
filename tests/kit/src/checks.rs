//! Checkers that read our outputs as their consumers do: the official OASIS CAP 1.2
//! schema, and a feed reader for Atom. Both are pinned Python tools (the scripts beside
//! this crate); each call writes its input to a temporary directory of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) fn python() -> PathBuf {
    let root = tifli_local::repo_root();
    tifli_local::emulator::python_env(&root)
        .expect("the Python tools")
        .join("bin/python")
}

pub(crate) fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Each of `messages` written to a file of its own in `dir`; their paths.
pub(crate) fn written(dir: &Path, messages: &[String]) -> Vec<PathBuf> {
    messages
        .iter()
        .enumerate()
        .map(|(i, xml)| {
            let path = dir.join(format!("{i}.xml"));
            std::fs::write(&path, xml).expect("write");
            path
        })
        .collect()
}

/// Runs the CAP schema validator over `messages`: whether all are valid, and its report
/// (one line per invalid message, with the schema's first complaint).
pub fn validate_cap(messages: &[String]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let files = written(dir.path(), messages);
    let out = Command::new(python())
        .arg(script("validate_cap.py"))
        .args(&files)
        .output()
        .expect("the validator runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Reads an Atom feed as a feed reader would: its format, whether it found the feed
/// malformed, and the entries' ids, titles and links.
pub fn read_atom(feed: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, feed).expect("write");
    let out = Command::new(python())
        .arg(script("check_atom.py"))
        .arg(&path)
        .output()
        .expect("the feed reader runs");
    serde_json::from_slice(&out.stdout).expect("its verdict")
}
