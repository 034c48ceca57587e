//! The HTTP side: axum routers served by `lambda_http` in Lambda and by the local runner
//! on a TCP port, so that both run the same code.

pub mod approval;
pub mod body;
pub mod identity;
pub mod intake;
pub mod problem;
pub mod public;
pub mod respond;

use axum::Router;

pub use identity::{Group, Identity};
pub use problem::{Problem, ProblemType};

async fn not_found() -> Problem {
    Problem::new(ProblemType::NotFound, "no route for this path")
}

async fn method_not_allowed() -> Problem {
    Problem::new(
        ProblemType::MethodNotAllowed,
        "this path does not take this method",
    )
}

/// Answers unknown paths and methods with problems: the last step of building a
/// function's router (or the local stack's, after merging every function's routes).
pub fn with_fallbacks(routes: Router) -> Router {
    routes
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}
