//! The intake function driven as Lambda drives it: real API Gateway HTTP API (payload
//! 2.0) events in, through `lambda_http`'s adapter, API Gateway responses out.

use std::sync::Arc;

use serde_json::{Value, json};
use tifli::ports::FixedClock;
use tifli::store::memory::MemoryStore;
use tifli_testkit::events::{self, with_body};
use tifli_testkit::requests::{Reply, assert_problem};
use time::macros::datetime;

fn fixture(name: &str) -> Value {
    events::fixture("intake", name)
}

/// `event` played against a store with no report, which refuses it with the problem
/// `kind` and `status`.
async fn refused(event: Value, status: u16, kind: &str) -> Reply {
    let reply = invoke_empty(event).await;
    assert_problem(&reply, status, kind);
    reply
}

/// `event` played against a store with no report.
async fn invoke_empty(event: Value) -> Reply {
    invoke(&MemoryStore::default(), event).await
}

async fn invoke(store: &MemoryStore, event: Value) -> Reply {
    let clock = Arc::new(FixedClock(datetime!(2026-11-28 17:00 UTC)));
    events::invoke(tifli::http::intake::router(store.clone(), clock), event).await
}

fn error_fields(r: &Reply) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_officer_files_a_report() {
    let store = MemoryStore::default();
    let r = invoke(&store, fixture("file-report.json")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.headers["content-type"], "application/json");
    let id = r.body["id"].as_str().unwrap();
    assert_eq!(r.headers["location"], format!("/reports/{id}"));
    assert_eq!(r.headers["etag"], "\"1\"");
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["status"], "pending_review");
    assert_eq!(
        r.body["reported_by"],
        "4f8c2a1e-7b7d-4c1e-9d55-0c6f1a2b3c4d"
    );
    assert_eq!(r.body["created_at"], "2026-11-28T17:00:00Z");
    assert_eq!(r.body["child"]["name"], "Amina El Idrissi");
    assert_eq!(r.body["last_seen"]["at"], "2026-11-28T16:30:00+01:00");
    assert_eq!(r.body["languages"], json!(["ar", "fr", "zgh", "en"]));
    assert_eq!(store.report_count(), 1);
}

#[tokio::test]
async fn a_base64_encoded_body_is_read_the_same() {
    let store = MemoryStore::default();
    let r = invoke(&store, fixture("file-report-base64.json")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["child"]["name"], "Amina El Idrissi");
}

#[tokio::test]
async fn a_replay_with_the_same_key_and_body_returns_the_same_report() {
    let store = MemoryStore::default();
    let first = invoke(&store, fixture("file-report.json")).await;
    let again = invoke(&store, fixture("file-report.json")).await;
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["location"], first.headers["location"]);
    assert_eq!(again.headers["etag"], "\"1\"");
    assert_eq!(store.report_count(), 1);
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let store = MemoryStore::default();
    let first = invoke(&store, fixture("file-report.json")).await;
    assert_eq!(first.status, 201);
    let mut other = fixture("file-report.json");
    let mut body: Value = serde_json::from_str(other["body"].as_str().unwrap()).unwrap();
    body["child"]["age"] = 8.into();
    other = with_body(other, &body.to_string());
    let r = invoke(&store, other).await;
    assert_problem(&r, 422, "idempotency-key-reused");
    assert_eq!(store.report_count(), 1);
}

#[tokio::test]
async fn the_same_body_re_encoded_still_matches_its_key() {
    let store = MemoryStore::default();
    let first = invoke(&store, fixture("file-report.json")).await;
    let event = fixture("file-report.json");
    let body: Value = serde_json::from_str(event["body"].as_str().unwrap()).unwrap();
    let pretty = serde_json::to_string_pretty(&body).unwrap();
    let again = invoke(&store, with_body(event, &pretty)).await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
}

#[tokio::test]
async fn keys_are_per_officer() {
    let store = MemoryStore::default();
    let first = invoke(&store, fixture("file-report.json")).await;
    let mut other = fixture("file-report.json");
    other["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = "another-officer".into();
    let second = invoke(&store, other).await;
    assert_eq!(second.status, 201, "{}", second.body);
    assert_ne!(second.body["id"], first.body["id"]);
}

#[tokio::test]
async fn without_identity_401() {
    refused(fixture("no-authorizer.json"), 401, "unauthenticated").await;
}

#[tokio::test]
async fn a_supervisor_does_not_file_403() {
    let store = MemoryStore::default();
    let r = invoke(&store, fixture("supervisor-files-report.json")).await;
    assert_problem(&r, 403, "forbidden");
    assert!(r.body["detail"].as_str().unwrap().contains("officers"));
    assert_eq!(store.report_count(), 0);
}

#[tokio::test]
async fn a_group_smuggled_in_another_claim_grants_nothing() {
    let mut event = fixture("supervisor-files-report.json");
    let claims = &mut event["requestContext"]["authorizer"]["jwt"]["claims"];
    claims["groups"] = "[officers]".into();
    claims["custom:groups"] = "officers".into();
    refused(event, 403, "forbidden").await;
}

#[tokio::test]
async fn wrong_content_type_415() {
    refused(
        fixture("text-plain-body.json"),
        415,
        "unsupported-media-type",
    )
    .await;
    let event = events::without(fixture("file-report.json"), "/headers", "content-type");
    refused(event, 415, "unsupported-media-type").await;
}

#[tokio::test]
async fn malformed_json_400() {
    let r = refused(fixture("malformed-json.json"), 400, "malformed-body").await;
    assert!(
        r.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("line 1 column"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn an_empty_body_400() {
    let r = invoke(
        &MemoryStore::default(),
        with_body(fixture("malformed-json.json"), ""),
    )
    .await;
    assert_problem(&r, 400, "malformed-body");
    assert_eq!(
        r.body["detail"],
        "the body is empty: a JSON object is expected"
    );
}

#[tokio::test]
async fn bad_utf8_400() {
    let r = refused(fixture("invalid-utf8.json"), 400, "malformed-body").await;
    assert!(r.body["detail"].as_str().unwrap().contains("UTF-8"));
}

#[tokio::test]
async fn out_of_range_and_missing_fields_400_with_every_path() {
    let store = MemoryStore::default();
    let r = invoke(&store, fixture("invalid-fields.json")).await;
    assert_problem(&r, 400, "validation");
    assert_eq!(
        error_fields(&r),
        [
            "child.age",
            "last_seen.region",
            "circumstances.narrative",
            "tip_line"
        ]
    );
    assert_eq!(r.body["errors"][0]["message"], "must be between 0 and 17");
    assert_eq!(r.body["errors"][2]["message"], "is required");
    assert_eq!(store.report_count(), 0);
}

#[tokio::test]
async fn unknown_field_400() {
    let r = refused(fixture("unknown-field.json"), 400, "validation").await;
    assert_eq!(error_fields(&r), ["child.nickname"]);
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("unknown field `nickname`")
    );
}

#[tokio::test]
async fn wrong_types_400() {
    let cases = [
        (
            json!({"child": {"age": "seven"}}),
            "child.age",
            "expected an integer",
        ),
        (json!({"child": "Amina"}), "child", "expected a JSON object"),
        (
            json!({"exercise": "no"}),
            "exercise",
            "expected true or false",
        ),
        (
            json!({"languages": ["ar", "de"]}),
            "languages[1]",
            "unknown variant `de`",
        ),
        (
            json!({"last_seen": {"lat": "34"}}),
            "last_seen.lat",
            "expected a number",
        ),
        (json!([1, 2]), "", "expected a JSON object"),
        (
            json!({"child": ["Amina", 7]}),
            "child",
            "expected a JSON object",
        ),
        (
            json!({"criteria": [true, true, true, true]}),
            "criteria",
            "expected a JSON object",
        ),
    ];
    for (body, field, message) in cases {
        let r = invoke(
            &MemoryStore::default(),
            with_body(fixture("malformed-json.json"), &body.to_string()),
        )
        .await;
        assert_problem(&r, 400, "validation");
        assert_eq!(error_fields(&r), [field], "{body}");
        let got = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(got.contains(message), "{body}: {got}");
    }
}

#[tokio::test]
async fn oversize_body_413() {
    let padding = "x".repeat(tifli::domain::limits::MAX_BODY_BYTES);
    let body = json!({ "circumstances": { "narrative": padding } }).to_string();
    let r = invoke(
        &MemoryStore::default(),
        with_body(fixture("malformed-json.json"), &body),
    )
    .await;
    assert_problem(&r, 413, "body-too-large");
    // Without a Content-Length the limit still holds while reading.
    let event = events::without(
        with_body(fixture("malformed-json.json"), &body),
        "/headers",
        "content-length",
    );
    refused(event, 413, "body-too-large").await;
}

#[tokio::test]
async fn a_bad_idempotency_key_400() {
    for key in ["", "has space", &"k".repeat(129), "é"] {
        let mut event = fixture("file-report.json");
        event["headers"]["idempotency-key"] = key.into();
        refused(event, 400, "invalid-header").await;
    }
}

#[tokio::test]
async fn other_paths_and_methods_are_problems_too() {
    let mut event = fixture("file-report.json");
    event["rawPath"] = "/nowhere".into();
    event["requestContext"]["http"]["path"] = "/nowhere".into();
    refused(event, 404, "not-found").await;
    let mut event = fixture("file-report.json");
    event["requestContext"]["http"]["method"] = "PUT".into();
    refused(event, 405, "method-not-allowed").await;
}
