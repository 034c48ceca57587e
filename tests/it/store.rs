//! The DynamoDB adapter against the emulator: what it writes is what it reads, in the
//! layout the table's indexes and TTL expect.

use aws_sdk_dynamodb::types::AttributeValue;
use tifli::domain::{OfficerId, Report, ReportBody, ReportId};
use tifli::ports::{CreateError, IdempotencyRecord, ReportCreator, ReportReader};
use tifli::store::schema::{BY_STATUS, TABLE};
use tifli_testkit::{TABLE as NAME, TestStack};
use time::{Duration, OffsetDateTime};

fn report(now: OffsetDateTime) -> (Report, tifli::domain::HistoryEntry) {
    let body: ReportBody =
        serde_json::from_value(tifli_testkit::samples::report_body()).expect("body");
    let draft = body.validate(now).expect("valid");
    Report::file(
        ReportId::generate(now),
        draft,
        OfficerId::new("officer-1").expect("id"),
        now,
    )
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

#[tokio::test]
async fn a_filed_report_reads_back_with_its_history_and_index_keys() {
    let stack = TestStack::start().await;
    let now = OffsetDateTime::now_utc();
    let (report, entry) = report(now);
    stack
        .store
        .create(&report, &entry, None, now)
        .await
        .expect("created");

    let read = stack
        .store
        .get(report.id())
        .await
        .expect("read")
        .expect("found");
    assert_eq!(read, report);

    let pk = format!("REPORT#{}", report.id());
    let history = stack
        .client
        .get_item()
        .table_name(NAME)
        .key(TABLE.key.partition, s(&pk))
        .key(TABLE.key.sort, s("HISTORY#0000000001"))
        .send()
        .await
        .expect("get")
        .item
        .expect("the first history item");
    assert_eq!(history["kind"], s("history"));
    assert_eq!(history["action"], s("file"));
    assert_eq!(history["to"], s("pending_review"));
    assert_eq!(history["actor"], s("officer-1"));
    assert_eq!(history["version"], AttributeValue::N("1".into()));

    // The review queue finds it through the status index, newest first.
    let (later, later_entry) = self::report(now + Duration::milliseconds(5));
    stack
        .store
        .create(&later, &later_entry, None, now)
        .await
        .expect("created");
    let queue = stack
        .client
        .query()
        .table_name(NAME)
        .index_name(BY_STATUS.name)
        .key_condition_expression("#pk = :status")
        .expression_attribute_names("#pk", BY_STATUS.key.partition)
        .expression_attribute_values(":status", s("STATUS#pending_review"))
        .scan_index_forward(false)
        .send()
        .await
        .expect("query");
    let ids: Vec<_> = queue.items().iter().map(|i| i["id"].clone()).collect();
    assert_eq!(
        ids,
        [s(&later.id().to_string()), s(&report.id().to_string())]
    );
    assert_eq!(stack.count("report").await, 2);
    assert_eq!(stack.count("history").await, 2);
}

#[tokio::test]
async fn an_unknown_report_is_none() {
    let stack = TestStack::start().await;
    let id = ReportId::generate(OffsetDateTime::now_utc());
    assert!(stack.store.get(id).await.expect("read").is_none());
}

#[tokio::test]
async fn the_transaction_is_all_or_nothing() {
    let stack = TestStack::start().await;
    let now = OffsetDateTime::now_utc();
    let (first, first_entry) = report(now);
    let key = |report_id| IdempotencyRecord {
        scope: "scope-1".into(),
        fingerprint: "f".into(),
        report_id,
        expires_at: now + Duration::hours(24),
    };
    stack
        .store
        .create(&first, &first_entry, Some(&key(first.id())), now)
        .await
        .expect("created");
    // A second report claiming the same key writes nothing at all.
    let (second, second_entry) = report(now);
    let refused = stack
        .store
        .create(&second, &second_entry, Some(&key(second.id())), now)
        .await;
    assert!(matches!(refused, Err(CreateError::KeyTaken)), "{refused:?}");
    assert!(stack.store.get(second.id()).await.expect("read").is_none());
    assert_eq!(stack.count("report").await, 1);
    assert_eq!(stack.count("history").await, 1);

    let record = stack
        .store
        .idempotency_record("scope-1", now)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(record.report_id, first.id());
    let item = stack
        .items()
        .await
        .into_iter()
        .find(|i| i["kind"] == s("idempotency"))
        .expect("the key item");
    // The TTL attribute holds the expiry in epoch seconds.
    let purge_at = (now + Duration::hours(24)).unix_timestamp().to_string();
    assert_eq!(item[TABLE.ttl_attribute], AttributeValue::N(purge_at));
}

#[tokio::test]
async fn an_expired_key_is_gone_before_the_ttl_deletes_it() {
    let stack = TestStack::start().await;
    let now = OffsetDateTime::now_utc();
    let (first, entry) = report(now);
    let record = IdempotencyRecord {
        scope: "scope-2".into(),
        fingerprint: "f".into(),
        report_id: first.id(),
        expires_at: now + Duration::hours(24),
    };
    stack
        .store
        .create(&first, &entry, Some(&record), now)
        .await
        .expect("created");
    let later = now + Duration::hours(24) + Duration::seconds(1);
    assert!(
        stack
            .store
            .idempotency_record("scope-2", later)
            .await
            .expect("read")
            .is_none()
    );
    // And the key may be claimed again by a new report.
    let (second, second_entry) = report(later);
    let reclaimed = IdempotencyRecord {
        report_id: second.id(),
        expires_at: later + Duration::hours(24),
        ..record
    };
    stack
        .store
        .create(&second, &second_entry, Some(&reclaimed), later)
        .await
        .expect("reclaimed");
    let live = stack
        .store
        .idempotency_record("scope-2", later)
        .await
        .expect("read");
    assert_eq!(live.map(|r| r.report_id), Some(second.id()));
}
