//! Sightings in the emulated table: taken while the alert is active, told to staff on
//! `case-events` without their content, listed for staff newest first, limited under
//! concurrent requests, and purged with the report.

use std::time::Duration as StdDuration;

use http::StatusCode;
use serde_json::json;
use tifli::domain::limits::SIGHTINGS_PER_ADDRESS;
use tifli::expiry::sweep;
use tifli::fanout::Topic;
use tifli::ports::SightingWriter;
use tifli_testkit::TestStack;
use tifli_testkit::requests::{assert_problem, file_and_approve, get, send_sighting, succeeds};
use tifli_testkit::samples::sighting_body;
use time::{Duration, OffsetDateTime};

const BUDGET: StdDuration = StdDuration::from_secs(30);

/// Sends `n` sightings of `id` from `address`; their ids, oldest first.
async fn send_from(stack: &TestStack, id: &str, address: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let reply = stack
            .send(send_sighting(id, address, &sighting_body()))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        ids.push(reply.body["id"].as_str().expect("an id").to_owned());
    }
    ids
}

#[tokio::test]
async fn staff_read_what_witnesses_sent_newest_first_a_page_at_a_time() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let staff = fan_out.subscribe_to(Topic::CaseEvents, "staff", None).await;
    let partners = fan_out.subscribe_queue("partners", None).await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let partners_before = fan_out.receive(&partners, 1).await;
    assert_eq!(partners_before.len(), 1, "the Alert");
    let sent = send_from(&stack, &id, "198.51.100.1", 3).await;

    // Each sighting is a case event, without a word of what the witness wrote.
    for sighting in &sent {
        fan_out
            .published(&format!("sighting-{id}-{sighting}"))
            .await;
    }
    let events = fan_out.holds(&staff).await;
    assert_eq!(events.len(), 3, "{events:?}");
    for event in &events {
        assert_eq!(event["event"], "sighting");
        assert_eq!(event["report_id"], id);
        assert_eq!(event["region"], "MA-04");
        let text = event.to_string();
        for private in ["Khémisset", "red coat", "+212", "Amina"] {
            assert!(!text.contains(private), "{private} in {text}");
        }
    }
    let mut told: Vec<&str> = events
        .iter()
        .filter_map(|e| e["sighting"].as_str())
        .collect();
    told.sort_unstable();
    assert_eq!(told, sent.iter().map(String::as_str).collect::<Vec<_>>());
    // The public function may Put only items shaped like these (template.yaml): each
    // attribute of a stored sighting is one its role allows, and a report's is not.
    let template = crate::deploy::template();
    let statements = &crate::deploy::resource(&template, "PublicFunction")["Properties"]["Policies"]
        [0]["Statement"];
    let put = statements
        .as_sequence()
        .expect("statements")
        .iter()
        .find(|s| s["Action"][0].as_str() == Some("dynamodb:PutItem"))
        .expect("a Put statement");
    let allowed: Vec<&str> = put["Condition"]["ForAllValues:StringEquals"]["dynamodb:Attributes"]
        .as_sequence()
        .expect("attributes")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let items = stack.items().await;
    let stored = items
        .iter()
        .find(|i| {
            i.get("kind")
                .and_then(|k| k.as_s().ok())
                .map(String::as_str)
                == Some("sighting")
        })
        .expect("a stored sighting");
    for name in stored.keys() {
        assert!(
            allowed.contains(&name.as_str()),
            "{name} not allowed to the public role"
        );
    }
    for name in ["status", "child", "alert", "snapshot", "action"] {
        assert!(
            !allowed.contains(&name),
            "{name}: the public role could write a report"
        );
    }
    // The alert's partners hear nothing of it: a sighting never changes the alert.
    assert!(fan_out.holds(&partners).await.is_empty());

    let officer = stack.token("officer-2", &["officers"]);
    let path = format!("/reports/{id}/sightings");
    let first = succeeds(stack.send(get(Some(&officer), &format!("{path}?limit=2")))).await;
    let ids = |page: &serde_json::Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&first.body), [sent[2].clone(), sent[1].clone()]);
    assert_eq!(
        first.body["items"][0]["description"],
        sighting_body()["description"]
    );
    assert_eq!(first.body["items"][0]["contact"], "+212 6 12 34 56 78");
    let cursor = first.body["next_cursor"].as_str().expect("a next page");
    let second = succeeds(stack.send(get(
        Some(&officer),
        &format!("{path}?limit=2&cursor={cursor}"),
    )))
    .await;
    assert_eq!(ids(&second.body), [sent[0].clone()]);
    assert!(second.body["next_cursor"].is_null());

    // A cursor of another report, an unknown parameter, an unknown report.
    let other = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let foreign = stack
        .send(get(
            Some(&officer),
            &format!("/reports/{other}/sightings?cursor={cursor}"),
        ))
        .await;
    assert_problem(&foreign, 400, "validation");
    assert_eq!(foreign.body["errors"][0]["field"], "cursor");
    let unknown = stack
        .send(get(Some(&officer), &format!("{path}?after=x")))
        .await;
    assert_problem(&unknown, 400, "validation");
    let nobody = stack
        .send(get(
            Some(&officer),
            "/reports/01KB2ZQ7M3N8X5V4T6R9P2W1YA/sightings",
        ))
        .await;
    assert_problem(&nobody, 404, "not-found");
    let unread =
        succeeds(stack.send(get(Some(&officer), &format!("/reports/{other}/sightings")))).await;
    assert_eq!(unread.body, json!({"items": [], "next_cursor": null}));
    // The report's own read is unchanged by its sightings.
    let report = succeeds(stack.send(get(Some(&officer), &format!("/reports/{id}")))).await;
    assert_eq!(report.body["version"], 2);
    assert_eq!(report.body["history"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_address_limit_holds_under_concurrent_requests() {
    let stack = TestStack::start().await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let attempts = 2 * SIGHTINGS_PER_ADDRESS as usize;
    let replies = stack
        .race((0..attempts).map(|_| send_sighting(&id, "203.0.113.50", &sighting_body())))
        .await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, SIGHTINGS_PER_ADDRESS as usize);
    for refused in replies.iter().filter(|r| r.status != StatusCode::CREATED) {
        assert_problem(refused, 429, "too-many-requests");
        let wait: u64 = refused.headers["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=3_600).contains(&wait), "{wait}");
    }
    assert_eq!(
        stack.count("sighting").await,
        SIGHTINGS_PER_ADDRESS as usize
    );
    // Another address still gets through.
    send_from(&stack, &id, "203.0.113.51", 1).await;
}

#[tokio::test]
async fn an_ended_alert_takes_none_and_its_sightings_go_with_its_data() {
    let stack = TestStack::start().await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    send_from(&stack, &id, "198.51.100.2", 2).await;
    assert_eq!(stack.count("sighting").await, 2);
    let before_end = tifli::ports::ReportReader::get(
        &stack.store,
        tifli::domain::ReportId::parse(&id).expect("an id"),
    )
    .await
    .expect("read");
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let found = json!({"outcome": "found", "note": "Found at her aunt's"});
    succeeds(stack.act(&supervisor, &id, "resolve", 2, Some(&found))).await;

    // Read while active, written after the end: the transaction's check refuses it.
    let report_id = tifli::domain::ReportId::parse(&id).expect("an id");
    let before = before_end.expect("read while active");
    assert_eq!(before.status(), tifli::domain::Status::Active);
    let draft: tifli::domain::sighting::SightingBody =
        serde_json::from_value(sighting_body()).expect("a body");
    let sighting = draft
        .validate(OffsetDateTime::now_utc())
        .expect("valid")
        .receive(report_id, OffsetDateTime::now_utc());
    let raced = stack.store.add_sighting(&before, &sighting).await;
    assert!(
        matches!(raced, Err(tifli::ports::SightingError::NotActive)),
        "{raced:?}"
    );
    let late = stack
        .send(send_sighting(&id, "198.51.100.2", &sighting_body()))
        .await;
    assert_problem(&late, 409, "alert-not-active");
    assert_eq!(stack.count("sighting").await, 2);
    // Still there for the case's officers until the report's purge time...
    let path = format!("/reports/{id}/sightings");
    let kept = succeeds(stack.send(get(Some(&supervisor), &path))).await;
    assert_eq!(kept.body["items"].as_array().unwrap().len(), 2);

    // ...when they go with the child's data.
    let now = OffsetDateTime::now_utc();
    let stamped = sweep(&stack.store, now, BUDGET, &Default::default()).await;
    assert_eq!(stamped.retention_steps, 1, "{stamped:?}");
    let purged = sweep(
        &stack.store,
        now + Duration::days(31),
        BUDGET,
        &Default::default(),
    )
    .await;
    assert_eq!(purged.retention_steps, 1, "{purged:?}");
    assert_eq!(stack.count("sighting").await, 0);
}
