//! `Idempotency-Key` through the whole stack: retries and concurrent duplicates of one
//! request file exactly one report.

use std::collections::HashSet;

use http::StatusCode;
use tifli_testkit::TestStack;

use tifli_testkit::requests::{file_report, tally};
use tifli_testkit::samples::report_body;

/// A stack, an officer's token and the body the officer files.
async fn officer_filing() -> (TestStack, String, serde_json::Value) {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    (stack, token, report_body())
}

#[tokio::test]
async fn twenty_retries_with_one_key_file_one_report() {
    let (stack, token, body) = officer_filing().await;
    let mut ids = HashSet::new();
    for attempt in 0..20 {
        let reply = stack
            .send(file_report(Some(&token), Some("retry-key"), &body))
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
    assert_eq!(stack.counts().await, [1, 1, 1]);
}

#[tokio::test]
async fn twenty_concurrent_requests_with_one_key_file_one_report() {
    let (stack, token, body) = officer_filing().await;
    let requests = (0..20).map(|_| file_report(Some(&token), Some("race-key"), &body));
    let replies = stack.race(requests).await;
    assert_eq!(tally(&replies), [(201, 1), (200, 19)].into());
    let ids: HashSet<_> = replies.iter().map(|r| r.body["id"].clone()).collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(stack.count("report").await, 1);
    assert_eq!(stack.count("history").await, 1);
}

#[tokio::test]
async fn another_body_under_a_used_key_is_422_and_files_nothing() {
    let (stack, token, body) = officer_filing().await;
    let first = stack
        .send(file_report(Some(&token), Some("k"), &body))
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let mut other = body.clone();
    other["child"]["age"] = 9.into();
    let reply = stack
        .send(file_report(Some(&token), Some("k"), &other))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.headers["content-type"], "application/problem+json");
    assert_eq!(reply.body["type"], "/problems/idempotency-key-reused");
    assert_eq!(stack.count("report").await, 1);
}

#[tokio::test]
async fn without_a_key_each_request_files_a_report() {
    let (stack, token, body) = officer_filing().await;
    for _ in 0..3 {
        let reply = stack.send(file_report(Some(&token), None, &body)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    assert_eq!(stack.count("report").await, 3);
}
