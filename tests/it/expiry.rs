//! The scheduled run against the emulator, with `now` injected through
//! `POST /dev/expiry/run`: expiry, widening, races with people, scale and retention.

use std::time::Duration as StdDuration;

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tifli::domain::actions::ApproveBody;
use tifli::domain::{AlertPolicy, OfficerId, Report, ReportBody, ReportId, Status};
use tifli::expiry::sweep;
use tifli::ports::{HistoryReader, ReportReader};
use tifli_testkit::{TABLE, TestStack};
use time::{Duration, OffsetDateTime};

use tifli_testkit::requests::{file_sample, get, succeeds};
use tifli_testkit::samples::report_body;

/// Generous: the emulator goes through every item for each index Query, and tests run in
/// parallel on few cores; a run's budget is not what these tests measure.
const BUDGET: StdDuration = StdDuration::from_secs(600);

async fn run_at(stack: &TestStack, now: OffsetDateTime) -> Value {
    let body = json!({"now": now.format(&time::format_description::well_known::Rfc3339).unwrap()});
    let request = Request::post("/dev/expiry/run")
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("request");
    let reply = stack.send(request).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// Files and approves a report; returns its id and its alert's activation and expiry.
async fn active(stack: &TestStack, approval: Value) -> (String, OffsetDateTime, OffsetDateTime) {
    active_from(stack, &report_body(), approval).await
}

/// [`active`], the report filed from `body`.
async fn active_from(
    stack: &TestStack,
    body: &Value,
    approval: Value,
) -> (String, OffsetDateTime, OffsetDateTime) {
    let id = tifli_testkit::requests::file(stack, "officer-1", body).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let reply = succeeds(stack.act(&supervisor, &id, "approve", 1, Some(&approval))).await;
    let at = |field: &str| {
        OffsetDateTime::parse(
            reply.body["alert"][field].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    (id, at("activated_at"), at("expires_at"))
}

async fn read(stack: &TestStack, id: &str) -> Value {
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await
        .body
}

#[tokio::test]
async fn expiry_before_at_and_after_and_twice() {
    let stack = TestStack::start().await;
    let (id, _, expires) =
        active(&stack, json!({"duration_hours": 2, "widen_km_per_hour": 0})).await;
    let early = run_at(&stack, expires - Duration::seconds(1)).await;
    assert_eq!(early["expired"], 0);
    assert_eq!(read(&stack, &id).await["status"], "active");

    let due = run_at(&stack, expires).await;
    assert_eq!(due["expired"], 1, "{due}");
    assert_eq!(due["complete"], true);
    let report = read(&stack, &id).await;
    assert_eq!(report["status"], "expired");
    assert_eq!(report["version"], 3);
    assert_eq!(report["history"][2]["actor"], tifli::expiry::SCHEDULER);

    // The same `now` again changes nothing.
    let again = run_at(&stack, expires).await;
    assert_eq!(
        (again["expired"].as_u64(), again["widened"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(read(&stack, &id).await["version"], 3);
    // Later runs leave it alone too.
    assert_eq!(
        run_at(&stack, expires + Duration::hours(5)).await["expired"],
        0
    );
}

#[tokio::test]
async fn widening_steps_up_to_the_ceiling() {
    let stack = TestStack::start().await;
    let approval = json!({"radius_km": 10, "max_radius_km": 20, "widen_km_per_hour": 5});
    let (id, activated, _) = active(&stack, approval).await;
    let radius = |r: &Value| r["alert"]["area"]["radius_km"].as_f64().unwrap();

    assert_eq!(
        run_at(&stack, activated + Duration::minutes(29)).await["widened"],
        0
    );
    assert_eq!(
        run_at(&stack, activated + Duration::minutes(30)).await["widened"],
        1
    );
    assert_eq!(radius(&read(&stack, &id).await), 12.5);
    assert_eq!(
        run_at(&stack, activated + Duration::minutes(30)).await["widened"],
        0
    );
    // Two hours on: 10 + 5 × 2 = 20, the ceiling; later runs find nothing to do.
    assert_eq!(
        run_at(&stack, activated + Duration::hours(2)).await["widened"],
        1
    );
    assert_eq!(radius(&read(&stack, &id).await), 20.0);
    let later = run_at(&stack, activated + Duration::hours(5)).await;
    assert_eq!(
        (
            later["widened"].as_u64(),
            later["read"]["widening"].as_u64()
        ),
        (Some(0), Some(0))
    );
    let history: Vec<Value> = read(&stack, &id).await["history"]
        .as_array()
        .unwrap()
        .clone();
    let actions: Vec<&str> = history
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["file", "approve", "widen", "widen"]);
}

/// A person and the scheduler act on the same version at once: one of them wins, the
/// other changes nothing, and the history has one line for that version.
async fn race(action: &str, body: Value) {
    let stack = TestStack::start().await;
    let (id, _, expires) =
        active(&stack, json!({"duration_hours": 1, "widen_km_per_hour": 0})).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let person = stack.act(&supervisor, &id, action, 2, Some(&body));
    let review = Default::default();
    let scheduler = sweep(&stack.store, expires, BUDGET, &review);
    let (reply, run) = tokio::join!(person, scheduler);
    let report = read(&stack, &id).await;
    assert_eq!(report["version"], 3, "{report}");
    let lines: Vec<&Value> = report["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["version"] == 3)
        .collect();
    assert_eq!(lines.len(), 1);
    if reply.status == StatusCode::OK {
        assert_eq!(run.expired, 0, "{run:?}");
        assert_ne!(report["status"], "expired");
    } else {
        assert_eq!(
            reply.status,
            StatusCode::PRECONDITION_FAILED,
            "{}",
            reply.body
        );
        assert_eq!(run.expired, 1);
        assert_eq!(report["status"], "expired");
    }
}

#[tokio::test]
async fn extend_racing_expiry() {
    for _ in 0..3 {
        race("extend", json!({"hours": 2})).await;
    }
}

#[tokio::test]
async fn resolve_racing_expiry() {
    for _ in 0..3 {
        race("resolve", json!({"outcome": "found"})).await;
    }
}

#[tokio::test]
async fn a_run_reads_the_due_alerts_only() {
    let stack = TestStack::start().await;
    let start = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
    let officer = OfficerId::new("officer-1").unwrap();
    let supervisor = OfficerId::new("supervisor-1").unwrap();
    let body: ReportBody = serde_json::from_value(report_body()).unwrap();
    let draft = body.validate(start).unwrap();
    let reports: Vec<Report> = (0..2010)
        .map(|n| {
            let now = start + Duration::milliseconds(n);
            let (filed, _) =
                Report::file(ReportId::generate(now), draft.clone(), officer.clone(), now);
            // Ten expire within the hour, the others in a day.
            let approval = ApproveBody {
                duration_hours: Some(if n < 10 { 1 } else { 24 }),
                widen_km_per_hour: Some(0.0),
                ..Default::default()
            };
            filed
                .approve(&supervisor, approval, &AlertPolicy::default(), now)
                .unwrap()
                .report
        })
        .collect();
    stack.store.import(&reports).await.expect("imported");

    let run = sweep(
        &stack.store,
        start + Duration::hours(1) + Duration::seconds(5),
        BUDGET,
        &Default::default(),
    )
    .await;
    assert_eq!(run.expired, 10, "{run:?}");
    assert_eq!(
        run.read.expiry, 10,
        "the expiry Query read only the due alerts: {run:?}"
    );
    assert_eq!(run.read.widening, 0);
    assert!(run.complete);
    for report in &reports[..10] {
        assert_eq!(
            stack
                .store
                .get(report.id())
                .await
                .unwrap()
                .unwrap()
                .status(),
            Status::Expired
        );
    }
    assert_eq!(
        stack
            .store
            .get(reports[10].id())
            .await
            .unwrap()
            .unwrap()
            .status(),
        Status::Active
    );
}

/// The raw history items of a report, as the table holds them.
async fn history_items(
    stack: &TestStack,
    id: &str,
) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    items_under(stack, id, "HISTORY#").await
}

/// The raw publication ledger entries of a report.
async fn ledger_items(
    stack: &TestStack,
    id: &str,
) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    items_under(stack, id, "PUBLICATION#").await
}

async fn items_under(
    stack: &TestStack,
    id: &str,
    prefix: &str,
) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    stack
        .client
        .query()
        .table_name(TABLE)
        .key_condition_expression("pk = :pk AND begins_with(sk, :h)")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S(format!("REPORT#{id}")),
        )
        .expression_attribute_values(
            ":h",
            aws_sdk_dynamodb::types::AttributeValue::S(prefix.into()),
        )
        .send()
        .await
        .expect("items")
        .items
        .unwrap_or_default()
}

#[tokio::test]
async fn ended_reports_get_purge_times_and_reads_treat_them_as_gone() {
    let stack = TestStack::start().await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let why = json!({"reason": "Duplicate report, see the other one"});
    let rejected = file_sample(&stack).await;
    succeeds(stack.act(&supervisor, &rejected, "reject", 1, Some(&why))).await;
    let (resolved, _, _) = active(&stack, json!({})).await;
    let found = json!({"outcome": "found", "note": "Found at her aunt's"});
    succeeds(stack.act(&supervisor, &resolved, "resolve", 2, Some(&found))).await;
    let (cancelled, _, _) = active(&stack, json!({})).await;
    succeeds(stack.act(&supervisor, &cancelled, "cancel", 2, Some(&why))).await;
    // Approved with a criterion unmet, then updated: every free text the history holds.
    let mut unmet = report_body();
    unmet["criteria"]["registered_in_national_database"] = false.into();
    let approval = json!({"duration_hours": 1, "override_reason": "The database is down tonight"});
    let (expired, _, expires) = active_from(&stack, &unmet, approval).await;
    let news = json!({"message": "Seen near the station in a red coat"});
    succeeds(stack.act(&supervisor, &expired, "update", 2, Some(&news))).await;
    // The run that expires the last one also stamps the history of all four.
    let run = run_at(&stack, expires).await;
    assert_eq!(
        (run["expired"].as_u64(), run["retention_steps"].as_u64()),
        (Some(1), Some(4)),
        "{run}"
    );

    let item = |id: &str, sk: &str| {
        let client = stack.client.clone();
        let (pk, sk) = (format!("REPORT#{id}"), sk.to_owned());
        async move {
            client
                .get_item()
                .table_name(TABLE)
                .key("pk", aws_sdk_dynamodb::types::AttributeValue::S(pk))
                .key("sk", aws_sdk_dynamodb::types::AttributeValue::S(sk))
                .send()
                .await
                .unwrap()
                .item
        }
    };
    let epoch =
        |v: &aws_sdk_dynamodb::types::AttributeValue| v.as_n().unwrap().parse::<i64>().unwrap();
    let expired_history = history_items(&stack, &expired).await;
    let history_items_hold = |items: &[std::collections::HashMap<String, _>], text: &str| {
        items.iter().any(|i| i.contains_key(text))
    };
    // Their next step is due only at the report's purge time.
    let idle = run_at(&stack, expires + Duration::hours(2)).await;
    assert_eq!(idle["retention_steps"], 0, "{idle}");
    for (id, days) in [
        (&rejected, 7),
        (&resolved, 30),
        (&cancelled, 30),
        (&expired, 30),
    ] {
        let report = item(id, "REPORT").await.expect("the report");
        let ended = OffsetDateTime::parse(
            report["ending"].as_m().unwrap()["at"].as_s().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap();
        assert_eq!(
            epoch(&report["purge_at"]),
            (ended + Duration::days(days)).unix_timestamp(),
            "{id}"
        );
        let history = history_items(&stack, id).await;
        assert!(history.len() >= 2);
        for line in &history {
            assert_eq!(
                epoch(&line["purge_at"]),
                (ended + Duration::days(365)).unix_timestamp(),
                "{id}"
            );
        }

        // Past the report's purge time, reads find nothing, whether or not DynamoDB has
        // deleted the items yet.
        let id = ReportId::parse(id).unwrap();
        let later = stack.store_at(ended + Duration::days(days) + Duration::seconds(1));
        assert!(later.get(id).await.unwrap().is_none());
        assert!(later.get_with_history(id).await.unwrap().is_none());
        let before = stack.store_at(ended + Duration::days(days) - Duration::seconds(1));
        assert!(before.get(id).await.unwrap().is_some());
    }

    let held: Vec<&str> = ["reason", "override_reason"]
        .into_iter()
        .filter(|t| history_items_hold(&expired_history, t))
        .collect();
    assert_eq!(held, ["reason", "override_reason"], "the texts to strip");
    assert!(
        ledger_items(&stack, &expired)
            .await
            .iter()
            .all(|e| e.contains_key("snapshot")),
        "unpublished versions hold the report"
    );

    // At the report's purge time the free texts leave the history, and the markers go.
    let stripped = sweep(
        &stack.store,
        OffsetDateTime::now_utc() + Duration::days(31),
        BUDGET,
        &Default::default(),
    )
    .await;
    assert_eq!(stripped.retention_steps, 4, "{stripped:?}");
    let texts = ["reason", "override_reason"];
    for id in [&rejected, &resolved, &cancelled, &expired] {
        assert!(item(id, "RETENTION").await.is_none(), "{id}");
        // The pseudonymous trail stays, without a word of free text.
        for line in history_items(&stack, id).await {
            assert!(texts.iter().all(|t| !line.contains_key(*t)), "{line:?}");
            assert!(line.contains_key("action") && line.contains_key("actor"));
        }
        // The fan-out never ran here: the ledger held each public version unpublished,
        // with the report in it, until now.
        for entry in ledger_items(&stack, id).await {
            assert!(!entry.contains_key("snapshot"), "{id}: {entry:?}");
            assert!(
                !entry.contains_key("gsi2pk"),
                "{id}: off the reconciler's index"
            );
        }
    }
    let actions: Vec<String> = history_items(&stack, &expired)
        .await
        .iter()
        .map(|l| l["action"].as_s().unwrap().clone())
        .collect();
    assert_eq!(actions, ["file", "approve", "update", "expire"]);
    let history = history_items(&stack, &rejected).await;
    let last = history.last().unwrap();
    assert_eq!(last["action"].as_s().unwrap(), "reject");
    assert_eq!(last["actor"].as_s().unwrap(), "supervisor-1");
}

#[tokio::test]
async fn the_local_stack_ends_and_widens_alerts_for_its_subscribers() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_region("rabat", "MA-04").await;
    let (id, activated, expires) =
        active(&stack, json!({"radius_km": 10, "widen_km_per_hour": 5})).await;
    let alert = fan_out.receive(&queue, 1).await;
    assert_eq!(alert[0]["msg_type"], "Alert");

    assert_eq!(
        run_at(&stack, activated + Duration::minutes(30)).await["widened"],
        1
    );
    let update = fan_out.receive(&queue, 1).await;
    assert_eq!(update.len(), 1);
    assert_eq!(update[0]["msg_type"], "Update");
    assert!(
        update[0]["cap"]
            .as_str()
            .unwrap()
            .contains("<circle>34.0209,-6.8416 12.5</circle>")
    );

    assert_eq!(run_at(&stack, expires).await["expired"], 1);
    let cancel = fan_out.receive(&queue, 1).await;
    assert_eq!(cancel.len(), 1);
    assert_eq!(cancel[0]["msg_type"], "Cancel");
    assert_eq!(cancel[0]["alert_id"], id.as_str());
    assert!(
        cancel[0]["texts"]["en"]["long"]
            .as_str()
            .unwrap()
            .contains("has ended")
    );
}

/// A run whose budget is spent stops before its next step, says so (in its result and
/// its metric line), and leaves what is due to the next run, which finishes it.
#[tokio::test]
async fn a_run_out_of_time_leaves_the_rest_to_the_next_one() {
    let stack = TestStack::start().await;
    let one_hour = json!({"duration_hours": 1});
    let (first, _, expires) = active(&stack, one_hour.clone()).await;
    let (second, _, _) = active(&stack, one_hour).await;
    let after = expires + Duration::minutes(5);
    let review = Default::default();

    let spent = sweep(&stack.store, after, StdDuration::ZERO, &review).await;
    assert!(!spent.complete, "{spent:?}");
    assert_eq!((spent.expired, spent.failed), (0, 0), "{spent:?}");
    assert_eq!(spent.metrics().to_json(after)["Incomplete"], 1);
    for id in [&first, &second] {
        assert_eq!(read(&stack, id).await["status"], "active");
    }

    let next = sweep(&stack.store, after, BUDGET, &review).await;
    assert!(next.complete, "{next:?}");
    assert_eq!((next.expired, next.failed), (2, 0), "{next:?}");
    assert_eq!(next.metrics().to_json(after)["Incomplete"], 0);
    for id in [&first, &second] {
        assert_eq!(read(&stack, id).await["status"], "expired");
    }
}
