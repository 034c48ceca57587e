//! The trust rules, each against the local stack: drills apart, text every format can
//! carry, reach that includes every area an alert covered, case ownership, the review
//! clock, regions from geometry, and messages that fit SNS.

use http::StatusCode;
use serde_json::{Value, json};
use tifli::domain::ReviewPolicy;
use tifli::fanout::Topic;
use tifli::ports::{ReportReader, ReportWriter, SaveError};
use tifli_testkit::TestStack;
use tifli_testkit::requests::{assert_problem, file, file_and_approve, get, succeeds};
use tifli_testkit::samples::report_body;
use time::{Duration, OffsetDateTime};

const BUDGET: std::time::Duration = std::time::Duration::from_secs(30);

/// `POST /reports` with `body`, as `token`'s holder.
async fn file_as(stack: &TestStack, token: &str, body: &Value) -> tifli_testkit::requests::Reply {
    let request = tifli_testkit::requests::file_report(Some(token), None, body);
    stack.send(request).await
}

/// Approves report `id` (at version 1) as `supervisor-1`.
async fn approve(stack: &TestStack, id: &str) -> Value {
    let token = stack.token("supervisor-1", &["supervisors"]);
    succeeds(stack.act(&token, id, "approve", 1, None))
        .await
        .body
}

#[tokio::test]
async fn a_drill_goes_to_the_exercises_topic_only_and_says_so_first() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let everything = fan_out.subscribe_queue("everything", None).await;
    let region = fan_out.subscribe_region("rabat", "MA-04").await;
    let drills = fan_out.subscribe_to(Topic::Exercises, "drills", None).await;

    let mut body = report_body();
    body["exercise"] = true.into();
    let id = file(&stack, "officer-1", &body).await;
    approve(&stack, &id).await;
    let identifier = format!("tifli-{id}-2");
    fan_out.published(&identifier).await;

    assert_eq!(fan_out.holds(&everything).await, Vec::<Value>::new());
    assert_eq!(fan_out.holds(&region).await, Vec::<Value>::new());
    let drill = fan_out.receive(&drills, 1).await.remove(0);
    assert_eq!(drill["identifier"], identifier);
    assert_eq!(drill["status"], "Exercise");
    let markers = [
        ("ar", "تمرين:"),
        ("fr", "EXERCICE:"),
        ("zgh", "ⵜⵉⵔⵎⵉⵜ:"),
        ("en", "EXERCISE:"),
    ];
    for (language, marker) in markers {
        for text in ["short", "long"] {
            let text = drill["texts"][language][text].as_str().expect("a text");
            assert!(text.starts_with(marker), "{language}: {text}");
        }
    }
    let cap = drill["cap"].as_str().expect("CAP");
    let doc = roxmltree::Document::parse(cap).expect("CAP");
    for element in ["headline", "description"] {
        let texts: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name(element))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(texts.len(), 4, "{element}");
        for text in texts {
            assert!(markers.iter().any(|(_, m)| text.starts_with(m)), "{text}");
        }
    }

    // A real alert still goes where it always went, and never to the drills.
    let real = file(&stack, "officer-1", &report_body()).await;
    approve(&stack, &real).await;
    let received = fan_out.receive(&everything, 1).await;
    assert_eq!(received[0]["status"], "Actual");
    fan_out.published(&format!("tifli-{real}-2")).await;
    assert_eq!(fan_out.holds(&drills).await, Vec::<Value>::new());
}

#[tokio::test]
async fn text_no_feed_can_carry_is_refused_naming_its_field() {
    let stack = TestStack::start().await;
    let officer = stack.token("officer-1", &["officers"]);
    let mut body = report_body();
    body["child"]["name"] = "Amina\u{FFFF}".into();
    body["last_seen"]["place"] = "Bab\u{2028}El Had".into();
    let reply = file_as(&stack, &officer, &body).await;
    assert_problem(&reply, 400, "validation");
    let fields: Vec<&str> = reply.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["child.name", "last_seen.place"]);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("U+FFFF"))
    );

    // The same rule for every text of every action.
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let update = json!({ "message": "Seen\u{200B} near the station" });
    let reply = stack.act(&officer, &id, "update", 2, Some(&update)).await;
    assert_problem(&reply, 400, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "message");
    // Nothing was stored: the feed a partner reads is well-formed.
    let (_, _, feed) = stack.get_text("/alerts.atom").await;
    roxmltree::Document::parse(&feed).expect("a well-formed feed");
}

#[tokio::test]
async fn only_the_officers_on_the_case_and_supervisors_update_or_resolve() {
    let stack = TestStack::start().await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let stranger = stack.token("officer-2", &["officers"]);
    let update = json!({ "message": "Seen near the station" });
    let reply = stack.act(&stranger, &id, "update", 2, Some(&update)).await;
    assert_problem(&reply, 403, "not-on-case");
    let found = json!({ "outcome": "found" });
    let reply = stack.act(&stranger, &id, "resolve", 2, Some(&found)).await;
    assert_problem(&reply, 403, "not-on-case");

    // Assigning is for supervisors, on the version they read.
    let assign = json!({ "officer": "officer-2" });
    let reply = stack.act(&stranger, &id, "assign", 2, Some(&assign)).await;
    assert_problem(&reply, 403, "forbidden");
    let supervisor = stack.token("supervisor-2", &["supervisors"]);
    let reply = stack
        .act(&supervisor, &id, "assign", 1, Some(&assign))
        .await;
    assert_problem(&reply, 412, "stale-version");
    let reply = stack
        .act(&supervisor, &id, "assign", 2, Some(&json!({})))
        .await;
    assert_problem(&reply, 400, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "officer");
    let reply = succeeds(stack.act(&supervisor, &id, "assign", 2, Some(&assign))).await;
    assert_eq!(reply.body["assigned"], json!(["officer-2"]));
    assert_eq!(reply.headers["etag"], "\"3\"");
    let again = stack
        .act(&supervisor, &id, "assign", 3, Some(&assign))
        .await;
    assert_problem(&again, 400, "validation");

    succeeds(stack.act(&stranger, &id, "update", 3, Some(&update))).await;
    let reporter = stack.token("officer-1", &["officers"]);
    succeeds(stack.act(&reporter, &id, "resolve", 4, Some(&found))).await;
    let token = stack.token("supervisor-2", &["supervisors"]);
    let read = stack
        .send(get(Some(&token), &format!("/reports/{id}")))
        .await;
    let actions: Vec<(&str, &str)> = read.body["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| (h["action"].as_str().unwrap(), h["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("file", "officer-1"),
            ("approve", "supervisor-1"),
            ("assign", "supervisor-2"),
            ("update", "officer-2"),
            ("resolve", "officer-1"),
        ]
    );
}

#[tokio::test]
async fn a_report_nobody_reviews_is_announced_once_then_lapses() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let staff = fan_out.subscribe_to(Topic::CaseEvents, "staff", None).await;
    let partners = fan_out.subscribe_queue("partners", None).await;
    let review = ReviewPolicy::default();
    let id = file(&stack, "officer-1", &report_body()).await;
    let report_id = tifli::domain::ReportId::parse(&id).expect("an id");
    let filed = OffsetDateTime::now_utc();

    // Not yet due: nothing read, nothing told.
    let early =
        tifli::expiry::sweep(&stack.store, filed + Duration::minutes(5), BUDGET, &review).await;
    assert_eq!((early.reminded, early.read.review), (0, 0));

    let due = filed + Duration::minutes(11);
    let run = tifli::expiry::sweep(&stack.store, due, BUDGET, &review).await;
    assert_eq!(
        (run.reminded, run.read.review, run.failed),
        (1, 1, 0),
        "{run:?}"
    );
    let again = tifli::expiry::sweep(&stack.store, due, BUDGET, &review).await;
    assert_eq!(again.reminded, 0, "told once: {again:?}");
    fan_out.published(&format!("review-waiting-{id}-1")).await;
    let events = fan_out.holds(&staff).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["event"], "review-waiting");
    assert_eq!(events[0]["report_id"], id);
    assert_eq!(events[0]["region"], "MA-04");
    assert!(!events[0].to_string().contains("Amina"));

    // The reminder changed nothing a reviewer acts on: the version they read still holds.
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.headers["etag"], "\"1\"");
    // A write decided on the report as it was before the reminder cannot erase it (the
    // next run would tell staff again); through the API, it is taken over.
    let before = stack
        .store
        .get(report_id)
        .await
        .expect("read")
        .expect("the report");
    let stale = tifli::domain::samples::unreminded(&before);
    let assign = tifli::domain::actions::AssignBody {
        officer: Some("officer-on-call".into()),
    };
    let decided = stale
        .assign(
            &tifli::domain::OfficerId::new("supervisor-1").unwrap(),
            assign,
            due,
        )
        .expect("an assignment");
    assert!(matches!(
        stack.store.save(&decided).await,
        Err(SaveError::Stale)
    ));
    let assign = json!({ "officer": "officer-on-call" });
    let reply = succeeds(stack.act(&supervisor, &id, "assign", 1, Some(&assign))).await;
    assert!(
        reply.body["review_reminded_at"].is_string(),
        "{}",
        reply.body
    );
    let again = tifli::expiry::sweep(&stack.store, due, BUDGET, &review).await;
    assert_eq!(again.reminded, 0, "still told once: {again:?}");

    let lapse = filed + Duration::hours(24) + Duration::minutes(1);
    let run = tifli::expiry::sweep(&stack.store, lapse, BUDGET, &review).await;
    assert_eq!(
        (run.lapsed, run.read.review, run.failed),
        (1, 1, 0),
        "{run:?}"
    );
    fan_out.published(&format!("lapsed-{id}-3")).await;
    let events = fan_out.holds(&staff).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["event"], "lapsed");
    let read = stack
        .send(get(Some(&supervisor), &format!("/reports/{id}")))
        .await;
    assert_eq!(read.body["status"], "lapsed");
    assert_eq!(read.body["history"][2]["action"], "lapse");
    assert!(read.body["ending"]["at"].is_string());
    let reply = stack.act(&supervisor, &id, "approve", 3, None).await;
    assert_problem(&reply, 409, "invalid-transition");
    // Staff's events never reach the public topic.
    assert_eq!(fan_out.holds(&partners).await, Vec::<Value>::new());
    let lapsed = stack
        .send(get(Some(&supervisor), "/reports?status=lapsed"))
        .await;
    assert_eq!(lapsed.body["items"][0]["id"], id);
    assert_eq!(StatusCode::OK, lapsed.status);
}

/// The largest alert the domain allows: its last Update and its Cancel each go out in
/// one Publish that SNS (the emulator checks the 256 KiB limit) accepts, and nothing
/// can make it larger.
#[tokio::test]
async fn the_largest_alert_and_its_cancel_fit_one_publish() {
    use tifli::domain::public::PublicAlert;
    use tifli::fanout::{AlertMessage, Message, Publisher};

    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    let largest = tifli::domain::samples::largest_alert();
    let id = largest.id().to_string();
    let version = largest.version();
    stack
        .store
        .import(std::slice::from_ref(&largest))
        .await
        .expect("imported");

    // The emulator refuses what SNS would: a message past 256 KiB.
    let publisher = tifli::sns::SnsPublisher::new(
        aws_sdk_sns::Client::new(&stack.config),
        fan_out.topics.clone(),
    );
    let alert = PublicAlert::of(&largest).expect("public");
    let message = AlertMessage::new(&alert, &tifli_testkit::issuer());
    let cap = stack
        .signing()
        .sign(&message.unsigned)
        .await
        .expect("signed");
    let mut message = message.signed(cap);
    let size = message.size();
    assert!(size < 256 * 1024, "{size}");
    publisher
        .publish(&Message::Alert(Box::new(message.clone())))
        .await
        .expect("the last Update is accepted");
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["identifier"], format!("tifli-{id}-{version}"));
    // Past the limit, still signed: refused by SNS (the emulator), not by the signature.
    message.envelope.cap.insert_str(0, &" ".repeat(256 * 1024));
    let refused = publisher
        .publish(&Message::Alert(Box::new(message)))
        .await
        .expect_err("past 256 KiB");
    assert_ne!(refused.reason, "the CAP message is not signed");

    // One more Update is refused; the Cancel always fits and reaches subscribers.
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let update = json!({ "message": "Seen near the station" });
    let reply = stack
        .act(&supervisor, &id, "update", version, Some(&update))
        .await;
    assert_problem(&reply, 409, "message-limit");
    let cancel = json!({ "reason": "Withdrawn after the last update" });
    succeeds(stack.act(&supervisor, &id, "cancel", version, Some(&cancel))).await;
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["msg_type"], "Cancel");
    assert_eq!(
        received[0]["identifier"],
        format!("tifli-{id}-{}", version + 1)
    );
}

/// Every region and cell an alert ever covered hears of its end: the Cancel of an alert
/// whose last sighting moved from Rabat to Marrakech reaches Rabat's broadcaster and a
/// phone in Rabat, though its circle is now 230 km away.
#[tokio::test]
async fn the_end_of_an_alert_reaches_everyone_who_got_its_start() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let rabat = fan_out.subscribe_region("rabat", "MA-04").await;
    let phone = fan_out.subscribe_point("phone", 34.0209, -6.8416).await;
    let marrakech = fan_out.subscribe_region("marrakech", "MA-07").await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let officer = stack.token("officer-1", &["officers"]);
    let moved = json!({
        "message": "Seen boarding a bus to Marrakech",
        "last_seen": { "at": tifli_testkit::samples::rfc3339(OffsetDateTime::now_utc()),
                       "lat": 31.6295, "lon": -7.9811, "place": "Gare routière, Marrakech",
                       "region": "MA-07" }
    });
    let updated = succeeds(stack.act(&officer, &id, "update", 2, Some(&moved))).await;
    assert_eq!(updated.body["alert"]["regions"], json!(["MA-07"]));
    let found = json!({ "outcome": "found" });
    succeeds(stack.act(&officer, &id, "resolve", 3, Some(&found))).await;

    let types = |envelopes: Vec<Value>| -> Vec<String> {
        envelopes
            .iter()
            .map(|e| e["msg_type"].as_str().unwrap_or("?").to_owned())
            .collect()
    };
    for queue in [&rabat, &phone] {
        let received = types(fan_out.receive(queue, 3).await);
        assert_eq!(received, ["Alert", "Update", "Cancel"], "{queue}");
    }
    // Marrakech hears of the alert from its move on.
    assert_eq!(
        types(fan_out.receive(&marrakech, 2).await),
        ["Update", "Cancel"]
    );
    // The public CAP shows the circle where it is now: one region.
    let (_, _, cap) = stack.get_text(&format!("/alerts/{id}/cap")).await;
    assert!(cap.contains("<value>MA-07</value>") && !cap.contains("<value>MA-04</value>"));
}

/// A circle that widens across a border reaches the broadcaster of the region it grows
/// into; and intake refuses a point outside the region it names.
#[tokio::test]
async fn a_widening_circle_reaches_the_regions_it_grows_into() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let casablanca = fan_out.subscribe_region("casablanca", "MA-06").await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    fan_out.published(&format!("tifli-{id}-2")).await;
    assert_eq!(fan_out.holds(&casablanca).await, Vec::<Value>::new());

    // Twelve hours on, at 5 km/h, the circle is 70 km wide: into Casablanca-Settat.
    let later = OffsetDateTime::now_utc() + Duration::hours(12);
    let run = tifli::expiry::sweep(&stack.store, later, BUDGET, &ReviewPolicy::default()).await;
    assert_eq!(run.widened, 1, "{run:?}");
    let received = fan_out.receive(&casablanca, 1).await;
    assert_eq!(received[0]["msg_type"], "Update");
    let cap = received[0]["cap"].as_str().expect("CAP");
    assert!(cap.contains("<value>MA-06</value>") && cap.contains("<value>MA-04</value>"));

    let officer = stack.token("officer-1", &["officers"]);
    let mut body = report_body();
    body["last_seen"]["region"] = "MA-12".into();
    let reply = file_as(&stack, &officer, &body).await;
    assert_problem(&reply, 400, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "last_seen.region");
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("lies in MA-04"))
    );
}
