//! The approval function driven as Lambda drives it: API Gateway HTTP API (payload 2.0)
//! events through `lambda_http`'s adapter, against the in-memory store.

use std::sync::Arc;

use serde_json::{Value, json};
use tifli::domain::actions::{ApproveBody, ReasonBody, ResolveBody};
use tifli::domain::{
    AlertPolicy, HistoryEntry, OfficerId, Outcome, Report, ReportId, Status, Transition,
};
use tifli::ports::{FixedClock, ReportCreator, ReportWriter};
use tifli::store::memory::MemoryStore;
use tifli_testkit::events;
use tifli_testkit::requests::{Reply, assert_problem};
use tifli_testkit::samples;
use time::OffsetDateTime;
use time::macros::datetime;

const ID: &str = "01KB2ZQ7M3N8X5V4T6R9P2W1YA";
const REPORTER: &str = "4f8c2a1e-7b7d-4c1e-9d55-0c6f1a2b3c4d";
const FILED: OffsetDateTime = datetime!(2026-11-28 17:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-11-28 17:05 UTC);

fn fixture(name: &str) -> Value {
    events::fixture("approval", name)
}

/// A report as filed by the intake fixture's officer, with the given id.
fn filed(id: &str) -> (Report, HistoryEntry) {
    let id = ReportId::parse(id).unwrap();
    samples::filed(samples::report_json(samples::SEEN_AT), id, REPORTER, FILED)
}

/// A store holding report `ID` in `status`, brought there by the domain's own actions.
async fn seeded(status: Status) -> MemoryStore {
    let store = MemoryStore::default();
    let (report, entry) = filed(ID);
    store.create(&report, &entry, None, FILED).await.unwrap();
    let s = OfficerId::new("supervisor-9").unwrap();
    let why = || ReasonBody {
        reason: Some("because".into()),
    };
    let approve = |r: &Report| {
        r.approve(&s, ApproveBody::default(), &AlertPolicy::default(), NOW)
            .unwrap()
    };
    let steps: Vec<Transition> = match status {
        Status::PendingReview => vec![],
        Status::Active => vec![approve(&report)],
        Status::Rejected => vec![report.reject(&s, why(), NOW).unwrap()],
        Status::Resolved => {
            let active = approve(&report);
            let found = ResolveBody {
                outcome: Some(Outcome::Found),
                note: None,
            };
            let resolved = active.report.resolve(&s, found, NOW).unwrap();
            vec![active, resolved]
        }
        Status::Cancelled => {
            let active = approve(&report);
            let cancelled = active.report.cancel(&s, why(), NOW).unwrap();
            vec![active, cancelled]
        }
        Status::Expired | Status::Lapsed => panic!("only the scheduler expires or lapses"),
    };
    for step in steps {
        store.save(&step).await.unwrap();
    }
    store
}

async fn invoke(store: &MemoryStore, event: Value) -> Reply {
    let clock = Arc::new(FixedClock(NOW));
    let router = tifli::http::approval::router(
        store.clone(),
        clock,
        AlertPolicy::default(),
        tifli_testkit::issuer(),
        tifli_testkit::uploads(),
    );
    events::invoke(router, event).await
}

#[tokio::test]
async fn the_review_queue_from_a_query_string_event() {
    let store = seeded(Status::PendingReview).await;
    for n in 0..2 {
        let id = ReportId::generate(FILED + time::Duration::seconds(n + 1)).to_string();
        let (report, entry) = filed(&id);
        store.create(&report, &entry, None, FILED).await.unwrap();
    }
    let r = invoke(&store, fixture("list-pending.json")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["items"].as_array().unwrap().len(), 2);
    assert!(r.body["next_cursor"].is_string());
    assert_ne!(
        r.body["items"][0]["id"], ID,
        "newest first: the seeded report is the oldest"
    );
}

#[tokio::test]
async fn a_report_with_its_history_from_a_path_parameter_event() {
    let store = seeded(Status::Active).await;
    let r = invoke(&store, fixture("get-report.json")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers["etag"], "\"2\"");
    assert_eq!(r.body["id"], ID);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn approval_from_an_event_with_if_match_and_a_body() {
    let store = seeded(Status::PendingReview).await;
    let r = invoke(&store, fixture("approve.json")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.headers["etag"], "\"2\"");
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["alert"]["expires_at"], "2026-11-29T05:05:00Z");
    assert_eq!(r.body["alert"]["area"]["radius_km"], 20.0);
    assert_eq!(
        r.body["alert"]["approved_by"],
        "9a1b2c3d-0000-4e5f-8a9b-supervisor01"
    );
}

#[tokio::test]
async fn approval_without_a_body_takes_the_defaults() {
    let store = seeded(Status::PendingReview).await;
    let r = invoke(&store, fixture("approve-no-body.json")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["alert"]["area"]["radius_km"], 10.0);
}

#[tokio::test]
async fn missing_and_stale_if_match() {
    let store = seeded(Status::PendingReview).await;
    let event = events::without(fixture("approve.json"), "/headers", "if-match");
    assert_problem(&invoke(&store, event).await, 428, "if-match-required");
    let mut event = fixture("approve.json");
    event["headers"]["if-match"] = "\"5\"".into();
    assert_problem(&invoke(&store, event).await, 412, "stale-version");
}

#[tokio::test]
async fn the_reporter_cannot_approve_and_officers_do_not() {
    let store = seeded(Status::PendingReview).await;
    let mut event = fixture("approve.json");
    event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = REPORTER.into();
    assert_problem(&invoke(&store, event).await, 403, "four-eyes");
    let mut event = fixture("approve.json");
    event["requestContext"]["authorizer"]["jwt"]["claims"]["cognito:groups"] = "[officers]".into();
    assert_problem(&invoke(&store, event).await, 403, "forbidden");
    let event = events::without(fixture("approve.json"), "/requestContext", "authorizer");
    assert_problem(&invoke(&store, event).await, 401, "unauthenticated");
}

#[tokio::test]
async fn a_body_on_approve_must_still_be_json() {
    let store = seeded(Status::PendingReview).await;
    let mut event = fixture("approve.json");
    event["headers"]["content-type"] = "text/plain".into();
    assert_problem(&invoke(&store, event).await, 415, "unsupported-media-type");
    let mut event = fixture("approve.json");
    event["body"] = r#"{"radius_km": 5, "colour": "red"}"#.into();
    event["headers"]["content-length"] = "33".into();
    let r = invoke(&store, event).await;
    assert_problem(&r, 400, "validation");
    assert_eq!(r.body["errors"][0]["field"], "colour");
}

/// Every action from every state a request can reach: allowed, or 409.
#[tokio::test]
async fn the_transition_matrix_over_http() {
    let actions = [
        ("approve", json!({})),
        ("reject", json!({"reason": "Not an abduction"})),
        ("update", json!({"message": "Seen near the market"})),
        ("extend", json!({"hours": 6})),
        ("resolve", json!({"outcome": "found"})),
        ("cancel", json!({"reason": "Withdrawn"})),
    ];
    let states = [
        (Status::PendingReview, 1),
        (Status::Active, 2),
        (Status::Rejected, 2),
        (Status::Resolved, 3),
        (Status::Cancelled, 3),
    ];
    for (status, version) in states {
        for (action, body) in &actions {
            let store = seeded(status).await;
            let mut event = fixture("approve.json");
            let path = format!("/reports/{ID}/{action}");
            event["rawPath"] = path.clone().into();
            event["requestContext"]["http"]["path"] = path.into();
            event["headers"]["if-match"] = format!("\"{version}\"").into();
            let raw = body.to_string();
            event["headers"]["content-length"] = raw.len().to_string().into();
            event["body"] = raw.into();
            let r = invoke(&store, event).await;
            let allowed = tifli::domain::Action::ALL
                .iter()
                .find(|a| a.as_str() == *action)
                .map(|a| status.apply(*a).is_ok())
                .unwrap();
            if allowed {
                assert_eq!(r.status, 200, "{status:?} {action}: {}", r.body);
                assert_eq!(r.body["version"], version + 1);
            } else {
                assert_problem(&r, 409, "invalid-transition");
                let detail = r.body["detail"].as_str().unwrap();
                assert!(
                    detail.contains(action) && detail.contains(status.as_str()),
                    "{detail}"
                );
            }
        }
    }
}
