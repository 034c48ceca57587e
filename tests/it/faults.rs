//! Injected faults against the emulator (see `tifli_testkit::faults`): DynamoDB throttling
//! and transaction conflicts answered with clean retries or 503 problems and never a
//! half-written transition; SNS down for a while during fan-out, then failing a share
//! of calls, with every alert version delivered exactly once when it recovers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use http::StatusCode;
use serde_json::{Value, json};
use tifli::store::dynamodb::DynamoStore;
use tifli_testkit::faults::{Fault, Faults, Rule};
use tifli_testkit::wait;
use tifli_testkit::{TABLE, TestStack};

use tifli_testkit::requests::{act, assert_problem, file_report, get, send, succeeds};
use tifli_testkit::samples::report_body;

const TRANSACT: Option<&str> = Some("TransactWriteItems");

/// A stack whose system reaches AWS through the faults in force, and a token per role.
struct Faulty {
    stack: TestStack,
    faults: Arc<Faults>,
    /// The store behind the faults, and the system's routes over it.
    store: DynamoStore,
    router: axum::Router,
    officer: String,
    supervisor: String,
}

impl Faulty {
    async fn start() -> Faulty {
        let stack = TestStack::start().await;
        let faults = Faults::new();
        let client = aws_sdk_dynamodb::Client::new(&faults.config(&stack.config));
        let store = DynamoStore::new(client, TABLE);
        Faulty {
            router: stack.router_for(store.clone()),
            officer: stack.token("officer-1", &["officers"]),
            supervisor: stack.token("supervisor-1", &["supervisors"]),
            store,
            faults,
            stack,
        }
    }
}

/// The report as stored, read through the healthy router: its version and history.
async fn stored(stack: &TestStack, id: &str) -> (u64, Vec<String>) {
    let token = stack.token("supervisor-9", &["supervisors"]);
    let reply = stack
        .send(get(Some(&token), &format!("/reports/{id}")))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let actions = reply.body["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().expect("action").to_owned())
        .collect();
    (reply.body["version"].as_u64().expect("version"), actions)
}

/// Every other DynamoDB call throttled: the SDK's retries absorb it, every request
/// succeeds once, and each report holds exactly its transitions.
#[tokio::test]
async fn throttling_of_a_share_of_calls_is_absorbed_by_retries() {
    let f = Faulty::start().await;
    f.faults
        .set(Some(Rule::share(Fault::Throttled, None, 1, 2)));
    const REPORTS: usize = 20;
    let mut ids = Vec::new();
    for n in 0..REPORTS {
        let key = format!("throttled-{n}");
        let reply = send(
            &f.router,
            file_report(Some(&f.officer), Some(&key), &report_body()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let id = reply.body["id"].as_str().expect("id").to_owned();
        let reply = send(
            &f.router,
            act(Some(&f.supervisor), &id, "approve", Some(1), None),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        ids.push(id);
    }
    f.faults.set(None);
    assert!(
        f.faults.injected() >= REPORTS * 2,
        "{} faults injected",
        f.faults.injected()
    );
    for id in &ids {
        assert_eq!(
            stored(&f.stack, id).await,
            (2, vec!["file".into(), "approve".into()])
        );
    }
    assert_eq!(f.stack.count("report").await, REPORTS);
    assert_eq!(f.stack.count("history").await, REPORTS * 2);
    assert_eq!(f.stack.count("idempotency").await, REPORTS);
    println!(
        "throttling: {} of {} DynamoDB calls throttled, {} filings and {} approvals, all stored once",
        f.faults.injected(),
        f.faults.calls(),
        REPORTS,
        REPORTS
    );
}

/// Throttling that outlasts the SDK's retries: 503 problems with `Retry-After`, nothing
/// written; the same requests succeed once it passes, the filing exactly once.
#[tokio::test]
async fn sustained_throttling_is_a_503_and_writes_nothing() {
    let f = Faulty::start().await;
    // One body: a retry sends the same bytes.
    let body = report_body();
    let reply = send(
        &f.router,
        file_report(Some(&f.officer), Some("first"), &report_body()),
    )
    .await;
    let approved = reply.body["id"].as_str().expect("id").to_owned();

    f.faults.set(Some(Rule::always(Fault::Throttled, TRANSACT)));
    let reply = send(
        &f.router,
        file_report(Some(&f.officer), Some("second"), &body),
    )
    .await;
    assert_problem(&reply, 503, "unavailable");
    assert_eq!(reply.headers["retry-after"], "1");
    assert_eq!(f.faults.injected(), 3, "the SDK's three attempts");
    let reply = send(
        &f.router,
        act(Some(&f.supervisor), &approved, "approve", Some(1), None),
    )
    .await;
    assert_problem(&reply, 503, "unavailable");
    assert_eq!(f.faults.injected(), 6);
    assert_eq!(f.stack.count("report").await, 1);
    assert_eq!(f.stack.count("history").await, 1);
    assert_eq!(f.stack.count("idempotency").await, 1, "the key is not held");
    assert_eq!(stored(&f.stack, &approved).await, (1, vec!["file".into()]));

    f.faults.set(None);
    for _ in 0..2 {
        let reply = send(
            &f.router,
            file_report(Some(&f.officer), Some("second"), &body),
        )
        .await;
        assert!(reply.status.is_success(), "{}", reply.body);
    }
    let reply = send(
        &f.router,
        act(Some(&f.supervisor), &approved, "approve", Some(1), None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(f.stack.count("report").await, 2, "the retried filing, once");
    assert_eq!(stored(&f.stack, &approved).await.0, 2);
}

/// A transaction DynamoDB cancels, because another touched the same item or for
/// throttling (reasons of the cancellation, not errors): a 503 problem, never a 500,
/// nothing half-written, and the retry with the same `If-Match` wins.
#[tokio::test]
async fn a_cancelled_transaction_is_a_503_and_the_retry_wins() {
    let f = Faulty::start().await;
    // The transactions the three requests below send: on a conflict, the approval and
    // the keyed filing try three times themselves (the unkeyed filing, whose id is new,
    // once); throttling is left to the caller's retry.
    for (fault, transactions) in [
        (Fault::TransactionConflict, 3 + 3 + 1),
        (Fault::TransactionThrottled, 1 + 1 + 1),
    ] {
        let reports = f.stack.count("report").await;
        let reply = send(
            &f.router,
            file_report(Some(&f.officer), None, &report_body()),
        )
        .await;
        let id = reply.body["id"].as_str().expect("id").to_owned();

        let before = f.faults.injected();
        f.faults.set(Some(Rule::always(fault, TRANSACT)));
        let refused = [
            act(Some(&f.supervisor), &id, "approve", Some(1), None),
            file_report(
                Some(&f.officer),
                Some(&format!("{fault:?}")),
                &report_body(),
            ),
            file_report(Some(&f.officer), None, &report_body()),
        ];
        for request in refused {
            let reply = send(&f.router, request).await;
            assert_problem(&reply, 503, "unavailable");
        }
        assert_eq!(f.faults.injected() - before, transactions, "{fault:?}");
        assert_eq!(stored(&f.stack, &id).await, (1, vec!["file".into()]));
        assert_eq!(f.stack.count("report").await, reports + 1, "{fault:?}");

        f.faults.set(None);
        let reply = send(
            &f.router,
            act(Some(&f.supervisor), &id, "approve", Some(1), None),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        // The retry of a request that did land meets the new version: 412, not a
        // second approval.
        let reply = send(
            &f.router,
            act(Some(&f.supervisor), &id, "approve", Some(1), None),
        )
        .await;
        assert_problem(&reply, 412, "stale-version");
        assert_eq!(
            stored(&f.stack, &id).await,
            (2, vec!["file".into(), "approve".into()])
        );
    }
}

/// SNS refuses every call for a while, then one call in three: the stream's records are
/// retried until each alert version is delivered, exactly once.
#[tokio::test]
async fn sns_down_then_flaky_loses_and_duplicates_nothing() {
    let f = Faulty::start().await;
    let publishing = f.faults.config(&f.stack.config);
    f.faults
        .set(Some(Rule::always(Fault::Refused, Some("Publish"))));
    let fan_out = f.stack.fan_out_with(&publishing).await;
    let queue = fan_out.subscribe_queue("everything", None).await;

    const ALERTS: usize = 8;
    let mut expected = Vec::new();
    for n in 0..ALERTS {
        let reply = f
            .stack
            .send(file_report(Some(&f.officer), None, &report_body()))
            .await;
        let id = reply.body["id"].as_str().expect("id").to_owned();
        let mut version = 1;
        let mut step = |action: &str, body: Option<Value>| {
            version += 1;
            expected.push(format!("tifli-{id}-{version}"));
            act(
                Some(&f.supervisor),
                &id,
                action,
                Some(version - 1),
                body.as_ref(),
            )
        };
        let mut requests = vec![step("approve", None)];
        if n % 2 == 0 {
            requests.push(step(
                "update",
                Some(json!({"message": "Seen near the station"})),
            ));
            requests.push(step(
                "resolve",
                Some(json!({"outcome": "found", "note": "Found safe"})),
            ));
        }
        for request in requests {
            let reply = f.stack.send(request).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        }
    }
    // Down long enough for the event source to retry four times (3 attempts each).
    wait::until("four retries of the event source", || {
        let tried = f.faults.injected() >= 12;
        async move { tried.then_some(()) }
    })
    .await;
    let while_down = f.faults.injected();
    assert!(
        fan_out.published.lock().expect("published").is_empty()
            && fan_out.holds(&queue).await.is_empty(),
        "nothing gets through while SNS is down"
    );
    // Then three calls refused in every five: a publish whose three attempts all fail
    // goes back to the event source, the others get through on the SDK's retry.
    let before_flaky = f.faults.injected();
    f.faults
        .set(Some(Rule::share(Fault::Refused, Some("Publish"), 3, 5)));

    let envelopes = fan_out.receive(&queue, expected.len()).await;
    // A last alert, whose record comes after all the others in the stream: once SNS
    // accepted it, a second copy of any earlier version would be in the queue already.
    let reply = f
        .stack
        .send(file_report(Some(&f.officer), None, &report_body()))
        .await;
    let closing = reply.body["id"].as_str().expect("id").to_owned();
    succeeds(f.stack.act(&f.supervisor, &closing, "approve", 1, None)).await;
    let sentinel = format!("tifli-{closing}-2");
    fan_out.published(&sentinel).await;
    let late: Vec<Value> = fan_out.holds(&queue).await;
    let late: Vec<&Value> = late
        .iter()
        .filter(|e| e["identifier"] != *sentinel)
        .collect();
    let mut delivered: BTreeMap<String, usize> = BTreeMap::new();
    for envelope in envelopes.iter().chain(late) {
        let identifier = envelope["identifier"].as_str().expect("identifier");
        *delivered.entry(identifier.to_owned()).or_default() += 1;
    }
    // One alert's versions went out in order: the handler stops at the first failure,
    // so a later version never overtakes one being retried.
    let mut published = fan_out.published.lock().expect("published").clone();
    assert_eq!(
        published.pop(),
        Some(sentinel),
        "the last alert is published last"
    );
    let mut last: BTreeMap<&str, u32> = BTreeMap::new();
    for identifier in &published {
        let (alert, version) = identifier.rsplit_once('-').expect("tifli-{id}-{version}");
        let version: u32 = version.parse().expect("a version");
        let previous = last.insert(alert, version).unwrap_or(0);
        assert!(previous < version, "{alert}: {previous} then {version}");
    }
    assert_eq!(published.len(), expected.len(), "{published:?}");
    expected.sort();
    assert_eq!(
        delivered.keys().cloned().collect::<Vec<_>>(),
        expected,
        "every version, none other"
    );
    assert!(
        delivered.values().all(|&n| n == 1),
        "duplicates: {delivered:?}"
    );
    let flaky = f.faults.injected() - before_flaky;
    assert!(
        flaky >= 3,
        "the flaky phase sent a record back to the event source"
    );
    println!(
        "SNS faults: {} alert versions; {while_down} publish attempts refused while down, \
         {flaky} while flaky, of {} attempts in all (the SDK's retries included); each \
         version published once, in order per alert, and delivered once",
        expected.len(),
        f.faults.calls()
    );
}

/// The scheduled run with every write throttled: each due change is counted as failed,
/// the alerts are left as they were and the run ends in error; the next run, healthy,
/// ends them all.
#[tokio::test]
async fn a_throttled_scheduled_run_fails_changes_nothing_and_the_next_catches_up() {
    let Faulty {
        stack,
        faults,
        store: faulty,
        officer,
        supervisor,
        ..
    } = Faulty::start().await;
    const ALERTS: usize = 5;
    let mut ids = Vec::new();
    for _ in 0..ALERTS {
        let reply = stack
            .send(file_report(Some(&officer), None, &report_body()))
            .await;
        let id = reply.body["id"].as_str().expect("id").to_owned();
        succeeds(stack.act(&supervisor, &id, "approve", 1, None)).await;
        ids.push(id);
    }
    let after_expiry = time::OffsetDateTime::now_utc() + time::Duration::days(4);
    let budget = Duration::from_secs(30);

    let event = || tifli::expiry::ScheduledRun { time: after_expiry };
    let review = tifli::domain::ReviewPolicy::default();
    faults.set(Some(Rule::always(Fault::Throttled, TRANSACT)));
    // The run ends in error, for the function's alarms and the scheduler's retry.
    let failed = tifli::expiry::scheduled(&faulty, event(), budget, &review).await;
    let run = failed.expect_err("a run whose writes failed is an error").0;
    // Each alert is due to widen as well as to end: both writes fail.
    assert_eq!(
        (run.expired, run.widened, run.failed),
        (0, 0, 2 * ALERTS),
        "{run:?}"
    );
    for id in &ids {
        assert_eq!(stored(&stack, id).await.0, 2, "untouched");
    }

    faults.set(None);
    let run = tifli::expiry::scheduled(&faulty, event(), budget, &review)
        .await
        .expect("a healthy run");
    assert_eq!((run.expired, run.failed), (ALERTS, 0), "{run:?}");
    for id in &ids {
        assert_eq!(
            stored(&stack, id).await,
            (3, vec!["file".into(), "approve".into(), "expire".into()])
        );
    }
}

/// The answer to a write that landed is lost: the SDK retries with the same
/// ClientRequestToken, DynamoDB answers the first outcome again, and the caller gets
/// its success once (no 412 for its own approval, no 500 for its own filing).
#[tokio::test]
async fn a_lost_answer_is_retried_without_a_second_write() {
    let f = Faulty::start().await;

    f.faults.set(Some(Rule::once(Fault::AnswerLost, TRANSACT)));
    let reply = send(
        &f.router,
        file_report(Some(&f.officer), None, &report_body()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(f.faults.injected(), 1);
    let id = reply.body["id"].as_str().expect("id").to_owned();

    f.faults.set(Some(Rule::once(Fault::AnswerLost, TRANSACT)));
    let reply = send(
        &f.router,
        act(Some(&f.supervisor), &id, "approve", Some(1), None),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(f.faults.injected(), 2);

    f.faults.set(Some(Rule::once(Fault::AnswerLost, TRANSACT)));
    let reply = send(
        &f.router,
        file_report(Some(&f.officer), Some("key"), &report_body()),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(f.faults.injected(), 3);

    assert_eq!(
        stored(&f.stack, &id).await,
        (2, vec!["file".into(), "approve".into()])
    );
    assert_eq!(f.stack.count("report").await, 2);
    assert_eq!(f.stack.count("history").await, 3);
}

/// The public side answers a store it cannot read as every other function does: a 503
/// with `Retry-After`, never a 404 that would tell a partner the alert is gone.
#[tokio::test]
async fn the_public_side_tells_a_throttled_store_from_a_missing_alert() {
    let f = Faulty::start().await;
    let id = tifli::domain::ReportId::generate(time::OffsetDateTime::now_utc());
    f.faults.set(Some(Rule::always(Fault::Throttled, None)));
    for path in [
        "/alerts".to_owned(),
        "/alerts.atom".to_owned(),
        format!("/alerts/{id}"),
        format!("/alerts/{id}/cap"),
    ] {
        let reply = send(&f.router, get(None, &path)).await;
        assert_problem(&reply, 503, "unavailable");
        assert_eq!(reply.headers["retry-after"], "1", "{path}");
    }
}
