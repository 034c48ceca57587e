//! Requests to a router, as a client would send them over HTTP, and the checks of their
//! answers that every kind of test shares (in process, from Lambda events, over TCP).

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::Value;
use tower::ServiceExt;

use crate::samples::report_body;
use crate::stack::TestStack;

/// An answer: its status, headers and body (JSON, or the text as a JSON string, or null
/// when empty).
pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: Value,
}

/// The reply of `request`, which must be a 200: for the steps whose success a test
/// takes for granted.
pub async fn succeeds(request: impl Future<Output = Reply>) -> Reply {
    let reply = request.await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply
}

pub async fn send(router: &axum::Router, request: Request<Body>) -> Reply {
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

pub fn file_report(token: Option<&str>, key: Option<&str>, body: &Value) -> Request<Body> {
    let mut request = Request::post("/reports").header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    request.body(Body::from(body.to_string())).expect("request")
}

pub fn get(token: Option<&str>, path: &str) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    request.body(Body::empty()).expect("request")
}

/// `POST /reports/{id}/{action}`, with `If-Match: "version"` when given and a JSON body
/// when given.
pub fn act(
    token: Option<&str>,
    id: &str,
    action: &str,
    version: Option<u32>,
    body: Option<&Value>,
) -> Request<Body> {
    let mut request = Request::post(format!("/reports/{id}/{action}"));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    if let Some(version) = version {
        request = request.header("if-match", format!("\"{version}\""));
    }
    match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request")
}

/// `POST /a/{id}/sightings` as JSON, from the client `address` (as CloudFront tells it).
pub fn send_sighting(id: &str, address: &str, body: &Value) -> Request<Body> {
    Request::post(format!("/a/{id}/sightings"))
        .header("content-type", "application/json")
        .header("cloudfront-viewer-address", format!("{address}:443"))
        .body(Body::from(body.to_string()))
        .expect("request")
}

/// Files a report as `officer` and returns its id.
pub async fn file(stack: &TestStack, officer: &str, body: &Value) -> String {
    let token = stack.token(officer, &["officers"]);
    let reply = stack.send(file_report(Some(&token), None, body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().expect("id").to_owned()
}

/// Files the sample report as `officer-1`; its id.
pub async fn file_sample(stack: &TestStack) -> String {
    file(stack, "officer-1", &report_body()).await
}

/// Files a report as `officer` and has `supervisor` approve it; returns its id (version 2).
pub async fn file_and_approve(stack: &TestStack, officer: &str, supervisor: &str) -> String {
    let id = file(stack, officer, &report_body()).await;
    let token = stack.token(supervisor, &["supervisors"]);
    let reply = stack.act(&token, &id, "approve", 1, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    id
}

/// `reply` is the problem of type `/problems/{kind}` with `status`: RFC 9457's members,
/// each filled in.
pub fn assert_problem(reply: &Reply, status: u16, kind: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    assert!(reply.body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(
        reply.body["type"],
        format!("/problems/{kind}"),
        "{}",
        reply.body
    );
    assert_eq!(reply.body["status"], status);
    assert!(reply.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

/// How many of `replies` have each status: what a race is judged on.
pub fn tally(replies: &[Reply]) -> std::collections::BTreeMap<u16, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for reply in replies {
        *counts.entry(reply.status.as_u16()).or_default() += 1;
    }
    counts
}
