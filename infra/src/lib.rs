//! The local stack: the AWS emulator, the API Gateway JWT authorizer's emulation, the
//! development routes and the server that ties them to the functions' routers. Shared by
//! the `tifli-local` runner and the integration tests.

pub mod auth;
pub mod aws;
pub mod console;
pub mod demo;
pub mod dev;
pub mod emulator;
pub mod photos;
pub mod replay;
pub mod run;
pub mod stack;
pub mod streams;
pub mod subscribers;

use std::path::{Path, PathBuf};

/// The repository this crate was built from: where `infra/python-env` and
/// `infra/emulator.py` live.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
