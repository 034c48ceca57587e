//! `Idempotency-Key` through the whole stack: retries and concurrent duplicates of one
//! request file exactly one report.

use std::collections::HashSet;

use http::StatusCode;
use tifli_tests::TestStack;

use crate::http::{file_report, report_body, send};

#[tokio::test]
async fn twenty_retries_with_one_key_file_one_report() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    let body = report_body();
    let mut ids = HashSet::new();
    for attempt in 0..20 {
        let reply = send(
            &stack.router,
            file_report(Some(&token), Some("retry-key"), &body),
        )
        .await;
        let want = if attempt == 0 {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        assert_eq!(reply.status, want, "attempt {attempt}: {}", reply.body);
        assert_eq!(reply.headers["etag"], "\"1\"");
        ids.insert(reply.body["id"].as_str().expect("id").to_owned());
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(stack.count("report").await, 1);
    assert_eq!(stack.count("history").await, 1);
    assert_eq!(stack.count("idempotency").await, 1);
}

#[tokio::test]
async fn twenty_concurrent_requests_with_one_key_file_one_report() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    let body = report_body();
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let router = stack.router.clone();
        let request = file_report(Some(&token), Some("race-key"), &body);
        requests.spawn(async move { send(&router, request).await });
    }
    let replies = requests.join_all().await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let replayed = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(
        (created, replayed),
        (1, 19),
        "{:?}",
        replies.iter().map(|r| &r.body).collect::<Vec<_>>()
    );
    let ids: HashSet<_> = replies.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(stack.count("report").await, 1);
    assert_eq!(stack.count("history").await, 1);
}

#[tokio::test]
async fn another_body_under_a_used_key_is_422_and_files_nothing() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    let body = report_body();
    let first = send(&stack.router, file_report(Some(&token), Some("k"), &body)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let mut other = body.clone();
    other["child"]["age"] = 9.into();
    let reply = send(&stack.router, file_report(Some(&token), Some("k"), &other)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    assert_eq!(reply.body["type"], "/problems/idempotency-key-reused");
    assert_eq!(stack.count("report").await, 1);
}

#[tokio::test]
async fn without_a_key_each_request_files_a_report() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    let body = report_body();
    for _ in 0..3 {
        let reply = send(&stack.router, file_report(Some(&token), None, &body)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    assert_eq!(stack.count("report").await, 3);
}
