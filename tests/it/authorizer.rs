//! The local stack's JWT authorizer refuses what API Gateway refuses, in API Gateway's
//! words; what passes reaches the function's own 401/403 checks.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::json;
use tifli_local::auth::Authorizer;
use tifli_tests::TestStack;

use crate::http::{file_report, report_body, send};

#[tokio::test]
async fn bad_tokens_are_refused_before_the_function() {
    let stack = TestStack::start().await;
    let body = report_body();
    let foreign = Authorizer::generate().expect("key").issue(
        "o",
        &["officers".into()],
        time::OffsetDateTime::now_utc(),
    );
    let expired = stack.auth.issue(
        "o",
        &["officers".into()],
        time::OffsetDateTime::now_utc() - time::Duration::hours(2),
    );
    for (what, token) in [
        ("no token", None),
        ("foreign key", Some(foreign.as_str())),
        ("expired", Some(expired.as_str())),
        ("garbage", Some("x.y.z")),
    ] {
        let reply = send(&stack.router, file_report(token, None, &body)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(reply.body, json!({"message": "Unauthorized"}), "{what}");
    }
    assert_eq!(stack.count("report").await, 0);
}

#[tokio::test]
async fn a_valid_token_of_the_wrong_group_is_403_from_the_function() {
    let stack = TestStack::start().await;
    for groups in [&["supervisors"][..], &[][..], &["officers-not"][..]] {
        let token = stack.token("s", groups);
        let reply = send(
            &stack.router,
            file_report(Some(&token), None, &report_body()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{groups:?}");
        assert_eq!(reply.body["type"], "/problems/forbidden");
    }
}

#[tokio::test]
async fn dev_token_route_issues_usable_tokens() {
    let stack = TestStack::start().await;
    let request = Request::post("/dev/token")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"sub": "officer-9", "groups": ["officers"]}).to_string(),
        ))
        .expect("request");
    let reply = send(&stack.router, request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let token = reply.body["token"].as_str().expect("token");
    let filed = send(
        &stack.router,
        file_report(Some(token), None, &report_body()),
    )
    .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(filed.body["reported_by"], "officer-9");

    let bad = Request::post("/dev/token")
        .header("content-type", "application/json")
        .body(Body::from(json!({"sub": "", "admin": true}).to_string()))
        .expect("request");
    let reply = send(&stack.router, bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["field"], "admin");

    let config = send(
        &stack.router,
        Request::get("/dev/config")
            .body(Body::empty())
            .expect("request"),
    )
    .await;
    assert_eq!(config.body["table"], tifli_tests::TABLE);
    assert_eq!(config.body["endpoint"], stack.emulator.endpoint());
}
