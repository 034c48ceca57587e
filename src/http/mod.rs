//! The HTTP side: axum routers served by `lambda_http` in Lambda and by the local runner
//! on a TCP port, so that both run the same code.

pub mod approval;
pub mod base;
pub mod body;
pub mod browser;
#[cfg(feature = "card")]
pub mod card;
mod errors;
pub mod identity;
pub mod intake;
#[cfg(feature = "page")]
mod page;
pub mod photo;
pub mod problem;
pub mod public;
pub mod respond;
pub mod routes;
#[cfg(feature = "page")]
mod sighting;

use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::Response;

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

/// The route's template (`/reports/{id}`), never the path, which carries ids.
fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(no route)", |m| m.as_str())
        .to_owned()
}

/// One debug line per request: the route's template, never the path or query, which
/// may carry ids and cursors, nor the body, which carries the child's data.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = route_of(&request);
    let response = next.run(request).await;
    tracing::debug!(
        %method,
        route,
        status = response.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request served"
    );
    response
}

/// One metric line per request `routes` serve, by `function`: requests, client and
/// server errors, latency; the route's template as a property.
pub fn metered(routes: Router, function: &'static str) -> Router {
    routes.route_layer(middleware::from_fn_with_state(function, count_request))
}

async fn count_request(
    axum::extract::State(function): axum::extract::State<&'static str>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let route = route_of(&request);
    let response = next.run(request).await;
    let status = response.status();
    crate::metrics::Line::new(function)
        .property("route", route)
        .count("Requests", 1)
        .count("ClientErrors", usize::from(status.is_client_error()))
        .count("ServerErrors", usize::from(status.is_server_error()))
        .value(
            "Latency",
            crate::metrics::Unit::Milliseconds,
            started.elapsed().as_secs_f64() * 1000.0,
        )
        .emit();
    response
}

/// Answers unknown paths and methods with problems, and logs every request at `debug`:
/// the last step of building a function's router (or the local stack's, after merging
/// every function's routes).
pub fn with_fallbacks(routes: Router) -> Router {
    with_request_log(
        routes
            .fallback(not_found)
            .method_not_allowed_fallback(method_not_allowed),
    )
}

/// One `debug` line per request that `routes` answer (see [`log_request`]).
pub fn with_request_log(routes: Router) -> Router {
    routes.layer(middleware::from_fn(log_request))
}
