//! The approval routes against the emulator: the walk-through of the README, races on
//! one version, preconditions, the review queue's pages and the criteria gate.

use std::collections::HashSet;

use http::StatusCode;
use serde_json::{Value, json};
use tifli::domain::{OfficerId, Report, ReportBody, ReportId};
use tifli::ports::ReportCreator;
use tifli_testkit::TestStack;
use time::{Duration, OffsetDateTime};

use tifli_testkit::requests::{
    act, assert_problem, file, file_and_approve, file_sample, get, succeeds, tally,
};
use tifli_testkit::samples::report_body;

#[tokio::test]
async fn file_list_approve_and_read_the_history() {
    let stack = TestStack::start().await;
    let id = file_sample(&stack).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);

    let queue = stack
        .send(get(Some(&supervisor), "/reports?status=pending_review"))
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert_eq!(queue.body["items"][0]["id"], id.as_str());
    assert_eq!(queue.body["next_cursor"], Value::Null);

    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.headers["etag"], "\"1\"");

    let approved = succeeds(stack.act(
        &supervisor,
        &id,
        "approve",
        1,
        Some(&json!({"radius_km": 15})),
    ))
    .await;
    assert_eq!(approved.headers["etag"], "\"2\"");
    assert_eq!(approved.body["status"], "active");
    assert_eq!(approved.body["alert"]["area"]["radius_km"], 15.0);
    assert_eq!(approved.body["alert"]["approved_by"], "supervisor-1");

    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.headers["etag"], "\"2\"");
    let history = read.body["history"].as_array().expect("history");
    let steps: Vec<(&str, &str, u64)> = history
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap(),
                h["to"].as_str().unwrap(),
                h["version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [("file", "pending_review", 1), ("approve", "active", 2)]
    );
    assert_eq!(history[1]["actor"], "supervisor-1");
    assert_eq!(history[1]["from"], "pending_review");

    // The queue no longer holds it; the active list does.
    let queue = stack.send(get(Some(&supervisor), "/reports")).await;
    assert_eq!(queue.body["items"], json!([]));
    let active = stack
        .send(get(Some(&supervisor), "/reports?status=active"))
        .await;
    assert_eq!(active.body["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn of_fifty_concurrent_approvals_one_wins() {
    let stack = TestStack::start().await;
    let id = file_sample(&stack).await;
    let racers = (0..50).map(|n| {
        let token = stack.token(&format!("supervisor-{n}"), &["supervisors"]);
        act(Some(&token), &id, "approve", Some(1), None)
    });
    let replies = stack.race(racers).await;
    assert_eq!(tally(&replies), [(200, 1), (412, 49)].into());
    for reply in replies.iter().filter(|r| r.status != StatusCode::OK) {
        assert_eq!(reply.body["type"], "/problems/stale-version");
    }
    let supervisor = stack.token("supervisor-0", &["supervisors"]);
    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.body["version"], 2);
    let approvals = read.body["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "approve")
        .count();
    assert_eq!(approvals, 1);
    assert_eq!(stack.count("history").await, 2);
}

#[tokio::test]
async fn preconditions() {
    let stack = TestStack::start().await;
    let id = file_sample(&stack).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);

    let missing = stack
        .send(act(Some(&supervisor), &id, "approve", None, None))
        .await;
    assert_problem(&missing, 428, "if-match-required");
    let stale = stack.act(&supervisor, &id, "approve", 7, None).await;
    assert_problem(&stale, 412, "stale-version");
    assert!(stale.body["detail"].as_str().unwrap().contains("version 1"));
    for bad in ["*", "W/\"1\"", "1", "\"1\", \"2\""] {
        let mut request = act(Some(&supervisor), &id, "approve", None, None);
        request
            .headers_mut()
            .insert("if-match", bad.parse().unwrap());
        let reply = stack.send(request).await;
        assert_problem(&reply, 400, "invalid-header");
    }
    let unknown = ReportId::generate(OffsetDateTime::now_utc()).to_string();
    for path in [
        format!("/reports/{unknown}"),
        "/reports/not-an-id".to_owned(),
    ] {
        let reply = stack.send(get(Some(&supervisor), &path)).await;
        assert_problem(&reply, 404, "not-found");
    }
    let reply = stack.act(&supervisor, &unknown, "approve", 1, None).await;
    assert_problem(&reply, 404, "not-found");
    let reply = stack.act(&supervisor, &id, "promote", 1, None).await;
    assert_problem(&reply, 404, "not-found");
    // Nothing was written by any of these.
    assert_eq!(stack.count("history").await, 1);
}

#[tokio::test]
async fn actions_out_of_turn_are_409_naming_action_and_state() {
    let stack = TestStack::start().await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let supervisor = stack.token("supervisor-2", &["supervisors"]);
    let again = stack.act(&supervisor, &id, "approve", 2, None).await;
    assert_problem(&again, 409, "invalid-transition");
    assert_eq!(
        again.body["detail"],
        "cannot approve a report that is active"
    );
    let reason = json!({"reason": "Withdrawn by the prosecutor"});
    let cancelled = succeeds(stack.act(&supervisor, &id, "cancel", 2, Some(&reason))).await;
    assert_eq!(
        cancelled.body["ending"]["reason"],
        "Withdrawn by the prosecutor"
    );
    let update = json!({"message": "Seen near the station"});
    let late = stack
        .act(&supervisor, &id, "update", 3, Some(&update))
        .await;
    assert_problem(&late, 409, "invalid-transition");
    assert_eq!(
        late.body["detail"],
        "cannot update a report that is cancelled"
    );
}

#[tokio::test]
async fn extension_beyond_the_maximum_life_is_422() {
    let stack = TestStack::start().await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    succeeds(stack.act(&supervisor, &id, "extend", 2, Some(&json!({"hours": 48})))).await;
    let beyond = stack
        .act(&supervisor, &id, "extend", 3, Some(&json!({"hours": 1})))
        .await;
    assert_problem(&beyond, 422, "beyond-maximum-life");
    let invalid = stack
        .act(
            &supervisor,
            &id,
            "extend",
            3,
            Some(&json!({"hours": "two"})),
        )
        .await;
    assert_problem(&invalid, 400, "validation");
    assert_eq!(invalid.body["errors"][0]["field"], "hours");
}

#[tokio::test]
async fn the_criteria_gate_with_and_without_override() {
    let stack = TestStack::start().await;
    let mut body = report_body();
    body["criteria"]["risk_of_serious_harm"] = false.into();
    let id = file(&stack, "officer-1", &body).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);

    let refused = stack.act(&supervisor, &id, "approve", 1, None).await;
    assert_problem(&refused, 422, "criteria-not-met");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap()
            .contains("risk_of_serious_harm")
    );
    assert_eq!(refused.body["errors"][0]["field"], "override_reason");

    let short = json!({"override_reason": "urgent"});
    let reply = stack
        .act(&supervisor, &id, "approve", 1, Some(&short))
        .await;
    assert_problem(&reply, 400, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "override_reason");

    let reason = "A witness saw the child pulled into a car";
    let overridden = json!({"override_reason": reason});
    succeeds(stack.act(&supervisor, &id, "approve", 1, Some(&overridden))).await;
    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.body["history"][1]["override_reason"], reason);
}

/// A report whose every free text is at its bound, in four-byte characters: about
/// 28 KB stored, so that a page of 50 crosses DynamoDB's 1 MB answer limit.
fn heaviest_body() -> Value {
    use tifli::domain::limits::*;
    let wide = |n: usize| "\u{1D538}".repeat(n);
    let mut body = report_body();
    body["child"]["name"] = wide(CHILD_NAME_MAX_CHARS).into();
    body["child"]["description"] = wide(CHILD_DESCRIPTION_MAX_CHARS).into();
    body["last_seen"]["place"] = wide(PLACE_MAX_CHARS).into();
    body["circumstances"]["narrative"] = wide(NARRATIVE_MAX_CHARS).into();
    body["circumstances"]["vehicle"] = wide(VEHICLE_MAX_CHARS).into();
    body["circumstances"]["suspect"] = wide(SUSPECT_MAX_CHARS).into();
    body
}

#[tokio::test]
async fn the_queue_pages_through_120_reports_in_three_pages_past_1_mb() {
    let stack = TestStack::start().await;
    let start = OffsetDateTime::now_utc();
    let officer = OfficerId::new("officer-1").expect("officer");
    let mut filed = Vec::new();
    for n in 0..120 {
        let now = start + Duration::milliseconds(n);
        let body: ReportBody = serde_json::from_value(heaviest_body()).expect("body");
        let (report, entry) = Report::file(
            ReportId::generate(now),
            body.validate(now).expect("valid"),
            officer.clone(),
            now,
        );
        stack
            .store
            .create(&report, &entry, None, now)
            .await
            .expect("filed");
        filed.push(report.id().to_string());
    }
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            None => "/reports?status=pending_review&limit=50".to_owned(),
            Some(c) => format!("/reports?status=pending_review&limit=50&cursor={c}"),
        };
        let page = stack.send(get(Some(&supervisor), &path)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        pages += 1;
        // Full pages although each is more than one answer of the table's.
        assert_eq!(
            page.body["items"].as_array().unwrap().len(),
            if pages < 3 { 50 } else { 20 }
        );
        seen.extend(
            page.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    filed.reverse();
    assert_eq!(seen, filed, "newest first, each report once");
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 120);

    // A cursor reads only the status it was made for; a made-up one reads nothing.
    let first = stack.send(get(Some(&supervisor), "/reports?limit=1")).await;
    let pending_cursor = first.body["next_cursor"].as_str().unwrap();
    for path in [
        format!("/reports?status=active&cursor={pending_cursor}"),
        "/reports?cursor=zz".to_owned(),
        format!("/reports?cursor={}", "61637469766501"),
    ] {
        let reply = stack.send(get(Some(&supervisor), &path)).await;
        assert_problem(&reply, 400, "validation");
        assert_eq!(reply.body["errors"][0]["field"], "cursor");
    }
    for (path, field) in [
        ("/reports?limit=0", "limit"),
        ("/reports?limit=101", "limit"),
        ("/reports?limit=ten", "limit"),
        ("/reports?status=lost", "status"),
    ] {
        let reply = stack.send(get(Some(&supervisor), path)).await;
        assert_problem(&reply, 400, "validation");
        assert_eq!(reply.body["errors"][0]["field"], field, "{path}");
    }
    let reply = stack
        .send(get(Some(&supervisor), "/reports?sort=oldest"))
        .await;
    assert_problem(&reply, 400, "validation");
}

/// The preview is the Alert the fan-out publishes on approval: its identifier, texts,
/// regions and area, with the unmet criterion named; reading it writes nothing.
#[tokio::test]
async fn the_preview_shows_what_approval_sends_and_writes_nothing() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    let mut body = report_body();
    body["criteria"]["registered_in_national_database"] = false.into();
    let id = file(&stack, "officer-1", &body).await;
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let path = format!("/reports/{id}/preview?radius_km=12&languages=ar,fr");
    let preview = stack.send(get(Some(&supervisor), &path)).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.headers["etag"], "\"1\"");
    let p = &preview.body;
    assert_eq!(p["identifier"], format!("tifli-{id}-2"));
    assert_eq!(
        (p["msg_type"].as_str(), p["version"].as_u64()),
        (Some("Alert"), Some(1))
    );
    assert_eq!(
        p["criteria_unmet"],
        json!(["registered_in_national_database"])
    );
    assert_eq!(p["area"]["radius_km"], 12.0);
    assert_eq!(p["regions"], json!(["MA-04"]));
    let languages: Vec<&String> = p["texts"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["ar", "fr"]);
    assert_eq!(p["texts"]["ar"]["short_sms"]["encoding"], "UCS-2");
    assert_eq!(p["texts"]["ar"]["short_sms"]["segments"], 1);
    assert_eq!(p["sms"]["short"], p["texts"]["ar"]["short"]);
    let (valid, verdict) =
        tifli_testkit::checks::validate_cap(&[p["cap"].as_str().unwrap().into()]);
    assert!(valid, "{verdict}");

    // Nothing written, nothing sent.
    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(
        (read.body["version"].as_u64(), read.body["status"].as_str()),
        (Some(1), Some("pending_review"))
    );
    assert_eq!(read.body["history"].as_array().unwrap().len(), 1);
    assert!(fan_out.holds(&queue).await.is_empty());

    // Approved with the same settings, the Alert that goes out says what the preview said.
    let approval = json!({"radius_km": 12, "languages": ["ar", "fr"],
        "override_reason": "The national database is down tonight"});
    succeeds(stack.act(&supervisor, &id, "approve", 1, Some(&approval))).await;
    let sent = fan_out.receive(&queue, 1).await;
    assert_eq!(sent[0]["identifier"], p["identifier"]);
    for language in ["ar", "fr"] {
        assert_eq!(
            sent[0]["texts"][language]["short"], p["texts"][language]["short"],
            "{language}"
        );
        assert_eq!(
            sent[0]["texts"][language]["long"], p["texts"][language]["long"],
            "{language}"
        );
    }

    // What approval would refuse to start from, the preview refuses too.
    let path = format!("/reports/{id}/preview");
    assert_problem(
        &stack.send(get(Some(&supervisor), &path)).await,
        409,
        "invalid-transition",
    );
    let unknown = format!(
        "/reports/{}/preview",
        ReportId::generate(OffsetDateTime::now_utc())
    );
    assert_problem(
        &stack.send(get(Some(&supervisor), &unknown)).await,
        404,
        "not-found",
    );
    let pending = file(&stack, "officer-1", &report_body()).await;
    for (query, field) in [
        ("radius_km=wide", "radius_km"),
        ("radius_km=0", "radius_km"),
        ("duration_hours=500", "duration_hours"),
        ("languages=ar,xx", "languages"),
    ] {
        let reply = stack
            .send(get(
                Some(&supervisor),
                &format!("/reports/{pending}/preview?{query}"),
            ))
            .await;
        assert_problem(&reply, 400, "validation");
        let named = reply.body["errors"][0]["field"]
            .as_str()
            .unwrap_or_default();
        assert!(named.starts_with(field), "{query}: {}", reply.body);
    }
    let reply = stack
        .send(get(
            Some(&supervisor),
            &format!("/reports/{pending}/preview?colour=red"),
        ))
        .await;
    assert_problem(&reply, 400, "validation");
}
