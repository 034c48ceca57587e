//! The public read side through the local stack, without credentials: the whitelist,
//! drills kept out, ended alerts reduced, CAP valid against the schema, Atom readable.

use http::StatusCode;
use serde_json::{Value, json};
use tifli_testkit::TestStack;

use tifli_testkit::checks::{read_atom, validate_cap};
use tifli_testkit::requests::{assert_problem, file, get, succeeds};
use tifli_testkit::samples::report_body;

const OFFICER: &str = "officer-secret-7";
const SUPERVISOR: &str = "supervisor-secret-9";
const NARRATIVE: &str = "Internal: the mother's ex-partner was seen nearby";

/// A report with every field set, approved and updated; its id.
async fn full_alert(stack: &TestStack, exercise: bool) -> String {
    let mut body = report_body();
    body["circumstances"] = json!({ "narrative": NARRATIVE, "vehicle": "White van", "suspect": "Tall man, grey jacket" });
    body["exercise"] = exercise.into();
    let id = file(stack, OFFICER, &body).await;
    let supervisor = stack.token(SUPERVISOR, &["supervisors"]);
    succeeds(stack.act(&supervisor, &id, "approve", 1, None)).await;
    let news = json!({"message": "Seen near the train station"});
    succeeds(stack.act(&supervisor, &id, "update", 2, Some(&news))).await;
    id
}

fn assert_public(output: &str) {
    for internal in [
        NARRATIVE,
        OFFICER,
        SUPERVISOR,
        "criteria",
        "reported_by",
        "approved_by",
        "history",
        "narrative",
    ] {
        assert!(
            !output.contains(internal),
            "{internal:?} is public: {output}"
        );
    }
}

#[tokio::test]
async fn the_public_sees_the_whitelist_only() {
    let stack = TestStack::start().await;
    let id = full_alert(&stack, false).await;

    let (status, headers, list) = stack.get_text("/alerts").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "public, max-age=30");
    let listed: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(listed["items"][0]["id"], id.as_str());
    assert_public(&list);

    let (status, _, one) = stack.get_text(&format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let alert: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(
        alert["child"]["photo_url"],
        report_body()["child"]["photo_url"]
    );
    assert_eq!(alert["vehicle"], "White van");
    assert_eq!(alert["message"], "Seen near the train station");
    assert_eq!(alert["tip_line"], "+212537000000");
    assert_eq!(alert["cap"], format!("/alerts/{id}/cap"));
    assert_public(&one);

    let (status, headers, cap) = stack.get_text(&format!("/alerts/{id}/cap")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/cap+xml");
    assert!(cap.contains("<msgType>Update</msgType>"));
    assert_public(&cap);
    let (valid, verdict) = validate_cap(&[cap]);
    assert!(valid, "{verdict}");

    let (status, headers, feed) = stack.get_text("/alerts.atom").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/atom+xml");
    assert_public(&feed);
    let read = read_atom(&feed);
    assert_eq!(read["version"], "atom10", "{read}");
    assert_eq!(read["bozo"], false, "{read}");
    let entries = read["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert!(
        entries[0]["id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/alerts/{id}"))
    );
    assert!(entries[0]["updated"].is_string());
    let links = entries[0]["links"].as_array().unwrap();
    assert!(links.iter().any(
        |l| l["type"] == "application/cap+xml" && l["href"].as_str().unwrap().ends_with("/cap")
    ));
}

#[tokio::test]
async fn drills_stay_out_of_the_listings() {
    let stack = TestStack::start().await;
    let drill = full_alert(&stack, true).await;
    let real = full_alert(&stack, false).await;
    let (_, _, list) = stack.get_text("/alerts").await;
    let listed: Value = serde_json::from_str(&list).unwrap();
    let ids: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [real.as_str()]);
    let (_, _, feed) = stack.get_text("/alerts.atom").await;
    assert!(!feed.contains(&drill));
    // A partner testing its integration can still read the drill's CAP: status Exercise.
    let (status, _, cap) = stack.get_text(&format!("/alerts/{drill}/cap")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(cap.contains("<status>Exercise</status>"));
}

#[tokio::test]
async fn an_ended_alert_is_reduced_at_once() {
    let stack = TestStack::start().await;
    let id = full_alert(&stack, false).await;
    let officer = stack.token(OFFICER, &["officers"]);
    let found = json!({"outcome": "found", "note": "Found at her aunt's"});
    succeeds(stack.act(&officer, &id, "resolve", 3, Some(&found))).await;
    let (status, _, one) = stack.get_text(&format!("/alerts/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let ended: Value = serde_json::from_str(&one).unwrap();
    let keys: Vec<&String> = ended.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["ended_at", "id", "status"]);
    assert_eq!(ended["status"], "resolved");
    let (_, _, list) = stack.get_text("/alerts").await;
    assert_eq!(
        serde_json::from_str::<Value>(&list).unwrap()["items"],
        json!([])
    );
    // Its last CAP message is the Cancel.
    let (_, _, cap) = stack.get_text(&format!("/alerts/{id}/cap")).await;
    assert!(cap.contains("<msgType>Cancel</msgType>"));
}

#[tokio::test]
async fn unknown_unapproved_and_malformed_ids_are_404() {
    let stack = TestStack::start().await;
    let pending = file(&stack, OFFICER, &report_body()).await;
    let unknown = tifli::domain::ReportId::generate(time::OffsetDateTime::now_utc()).to_string();
    for id in [pending.as_str(), unknown.as_str(), "not-an-id"] {
        for path in [format!("/alerts/{id}"), format!("/alerts/{id}/cap")] {
            let (status, headers, body) = stack.get_text(&path).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(headers["content-type"], "application/problem+json");
            assert!(body.contains("/problems/not-found"));
            assert_public(&body);
        }
    }
}

/// A report item the store cannot read is our failure, a 500, on the public side as on
/// the others; the caller reads no part of it.
#[tokio::test]
async fn an_unreadable_report_is_an_internal_error() {
    use aws_sdk_dynamodb::types::AttributeValue::S;
    let stack = TestStack::start().await;
    let id = tifli::domain::ReportId::generate(time::OffsetDateTime::now_utc());
    stack
        .client
        .put_item()
        .table_name(tifli_testkit::TABLE)
        .item("pk", S(format!("REPORT#{id}")))
        .item("sk", S("REPORT".into()))
        .item("kind", S("report".into()))
        .item("child", S("not a child".into()))
        .send()
        .await
        .expect("a corrupt item");
    let reply = stack.send(get(None, &format!("/alerts/{id}"))).await;
    assert_problem(&reply, 500, "internal");
    assert!(
        !reply.body.to_string().contains("not a child"),
        "{}",
        reply.body
    );
}
