//! Sending requests through the local stack's router, as a client would over HTTP.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    pub body: Value,
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

/// A complete, valid report, last seen half an hour before now.
pub fn report_body() -> Value {
    let seen = time::OffsetDateTime::now_utc() - time::Duration::minutes(30);
    let seen = seen
        .format(&time::format_description::well_known::Rfc3339)
        .expect("format");
    json!({
        "child": { "name": "ⴰⵎⵉⵏⴰ أمينة Amina", "age": 7, "sex": "female",
                   "description": "Red coat, white sneakers",
                   "photo_url": "https://photos.police.example/r/1.jpg", "photo_consent": true },
        "last_seen": { "at": seen, "lat": 34.0209, "lon": -6.8416,
                       "place": "Bab El Had, Rabat", "region": "MA-04" },
        "circumstances": { "narrative": "Seen leaving with an unknown adult.", "vehicle": "White van" },
        "criteria": { "abduction_suspected": true, "risk_of_serious_harm": true,
                      "sufficient_description": true, "registered_in_national_database": true },
        "tip_line": "+212537000000",
        "languages": ["ar", "fr", "zgh", "en"]
    })
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

/// Files a report as `officer` and returns its id.
pub async fn file(stack: &tifli_tests::TestStack, officer: &str, body: &Value) -> String {
    let token = stack.token(officer, &["officers"]);
    let reply = send(&stack.router, file_report(Some(&token), None, body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply.body["id"].as_str().expect("id").to_owned()
}

/// Files a report as `officer` and has `supervisor` approve it; returns its id (version 2).
pub async fn file_and_approve(
    stack: &tifli_tests::TestStack,
    officer: &str,
    supervisor: &str,
) -> String {
    let id = file(stack, officer, &report_body()).await;
    let token = stack.token(supervisor, &["supervisors"]);
    let reply = send(
        &stack.router,
        act(Some(&token), &id, "approve", Some(1), None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    id
}

pub fn assert_problem(reply: &Reply, status: StatusCode, kind: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    assert_eq!(
        reply.body["type"],
        format!("/problems/{kind}"),
        "{}",
        reply.body
    );
    assert_eq!(reply.body["status"], status.as_u16());
    assert!(reply.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
}
