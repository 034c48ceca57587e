//! The HTTP side: axum routers served by `lambda_http` in Lambda and by the local runner
//! on a TCP port, so that both run the same code.

pub mod body;
pub mod identity;
pub mod intake;
pub mod problem;

pub use identity::{Group, Identity};
pub use problem::{Problem, ProblemType};
