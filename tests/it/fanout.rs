//! Fan-out against the emulator: the table's stream feeds the fan-out handler, which
//! publishes to the SNS topic; SQS queues and an HTTP endpoint subscribe with filter
//! policies as partners would.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tifli::sns::SnsPublisher;
use tifli_testkit::{SENDER, TestStack};
use time::Duration;

use tifli_testkit::checks::validate_cap;
use tifli_testkit::requests::{file_sample, succeeds};
use tifli_testkit::wait;

async fn approve(stack: &TestStack, id: &str) {
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let body = json!({"radius_km": 15, "max_radius_km": 40});
    succeeds(stack.act(&supervisor, id, "approve", 1, Some(&body))).await;
}

#[tokio::test]
async fn alerts_reach_the_subscribers_of_their_area_only_with_their_updates_and_cancel() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    // The report is last seen in Rabat (MA-04).
    let rabat_region = fan_out.subscribe_region("region-ma-04", "MA-04").await;
    let casablanca_region = fan_out.subscribe_region("region-ma-06", "MA-06").await;
    let inside = fan_out.subscribe_point("point-agdal", 34.0, -6.85).await;
    let outside = fan_out
        .subscribe_point("point-marrakech", 31.63, -7.98)
        .await;
    let drills_only = fan_out
        .subscribe_queue("exercises", Some(json!({"status": ["Exercise"]})))
        .await;

    let id = file_sample(&stack).await;
    approve(&stack, &id).await;

    let alert = fan_out.receive(&rabat_region, 1).await;
    assert_eq!(alert.len(), 1, "{alert:?}");
    let alert = &alert[0];
    assert_eq!(alert["msg_type"], "Alert");
    assert_eq!(alert["status"], "Actual");
    assert_eq!(alert["alert_id"], id.as_str());
    assert_eq!(alert["version"], 2);
    assert_eq!(alert["identifier"], format!("tifli-{id}-2"));
    let cap = alert["cap"].as_str().unwrap();
    assert!(
        cap.contains("<msgType>Alert</msgType>")
            && cap.contains("<circle>34.0209,-6.8416 15</circle>"),
        "{cap}"
    );
    for language in ["ar", "fr", "zgh", "en"] {
        assert!(
            alert["texts"][language]["short"]
                .as_str()
                .unwrap()
                .contains("+212537000000"),
            "{language}"
        );
    }
    let at_point = fan_out.receive(&inside, 1).await;
    assert_eq!(at_point.len(), 1);
    assert_eq!(at_point[0]["identifier"], alert["identifier"]);

    // An update and the end of the alert follow, each referencing what came before.
    let officer = stack.token("officer-1", &["officers"]);
    let news = json!({"message": "Seen near the train station"});
    succeeds(stack.act(&officer, &id, "update", 2, Some(&news))).await;
    let found = json!({"outcome": "found"});
    succeeds(stack.act(&officer, &id, "resolve", 3, Some(&found))).await;

    let rest = fan_out.receive(&rabat_region, 2).await;
    let kinds: Vec<(&str, u64)> = rest
        .iter()
        .map(|m| {
            (
                m["msg_type"].as_str().unwrap(),
                m["version"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("Update", 3), ("Cancel", 4)]);
    let first = format!("{SENDER},tifli-{id}-2,");
    let second = format!("{SENDER},tifli-{id}-3,");
    let update_cap = rest[0]["cap"].as_str().unwrap();
    assert!(
        update_cap.contains(&format!("<references>{first}")),
        "{update_cap}"
    );
    let cancel_cap = rest[1]["cap"].as_str().unwrap();
    assert!(
        cancel_cap.contains(&format!("<references>{first}")) && cancel_cap.contains(&second),
        "{cancel_cap}"
    );
    assert!(
        rest[1]["texts"]["en"]["short"]
            .as_str()
            .unwrap()
            .contains("has been found")
    );
    assert!(
        rest[1]["texts"]["fr"]["long"]
            .as_str()
            .unwrap()
            .contains("retrouvée")
    );

    let caps = [cap, update_cap, cancel_cap].map(str::to_owned);
    let (valid, verdict) = validate_cap(&caps);
    assert!(valid, "{verdict}");

    // Once SNS accepted the last message, every queue holds all it will ever get.
    fan_out.published(&format!("tifli-{id}-4")).await;
    for (queue, what) in [
        (&casablanca_region, "another region"),
        (&outside, "a point outside"),
        (&drills_only, "exercises"),
    ] {
        let stray = fan_out.holds(queue).await;
        assert!(stray.is_empty(), "{what} received {stray:?}");
    }
    // One message per public change, and none for the filing.
    assert_eq!(fan_out.holds(&inside).await.len(), 2);
}

#[tokio::test]
async fn an_http_subscriber_receives_the_cap_xml() {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let bodies: Arc<Mutex<Vec<String>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let endpoint = format!("http://{}/cap", listener.local_addr().expect("address"));
    let server = tokio::spawn({
        let bodies = bodies.clone();
        let app = axum::Router::new().route(
            "/cap",
            axum::routing::post(move |body: String| async move {
                bodies.lock().expect("lock").push(body);
            }),
        );
        async move { axum::serve(listener, app).await }
    });
    fan_out
        .sns
        .subscribe()
        .topic_arn(&fan_out.topic_arn)
        .protocol("http")
        .endpoint(&endpoint)
        .send()
        .await
        .expect("subscription");

    let id = file_sample(&stack).await;
    approve(&stack, &id).await;
    let notification: Value = wait::until("an HTTP delivery", || {
        let bodies = bodies.clone();
        async move {
            let bodies = bodies.lock().expect("lock");
            let first = bodies.iter().find(|b| b.contains("Notification"))?;
            Some(serde_json::from_str(first).expect("an SNS notification"))
        }
    })
    .await;
    server.abort();
    let cap = notification["Message"].as_str().expect("the message");
    assert!(cap.starts_with("<?xml"), "{cap}");
    assert!(cap.contains(&format!("<identifier>tifli-{id}-2</identifier>")));
    let (valid, verdict) = validate_cap(&[cap.to_owned()]);
    assert!(valid, "{verdict}");

    // Signed by the emulator's KMS key, it verifies with the key the public function
    // lists, as a partner checks it; the public CAP URL serves the same bytes.
    let (status, _, keys) = stack.get_text("/.well-known/cap-signing-keys").await;
    assert_eq!(status, 200, "{keys}");
    let keys: Value = serde_json::from_str(&keys).expect("JSON");
    let keys: Vec<tifli::domain::cap::PublishedKey> =
        serde_json::from_value(keys["keys"].clone()).expect("the keys");
    let kid = stack.signing_key.rsplit('/').next().expect("a key id");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].kid, kid);
    assert!(cap.contains(&format!("<KeyName>{kid}</KeyName>")), "{cap}");
    let (status, _, served) = stack.get_text(&format!("/alerts/{id}/cap")).await;
    assert_eq!(status, 200);
    assert_eq!(served, cap, "the fan-out's message, byte for byte");
    let verdicts = tifli_testkit::signing::verify(&[served], &keys);
    assert!(verdicts[0].verified(), "{verdicts:?}");
}

#[tokio::test]
async fn a_failing_publish_is_a_batch_item_failure_and_succeeds_when_retried() {
    let stack = TestStack::start().await;
    let sns = aws_sdk_sns::Client::new(&stack.config);
    let topics = tifli_local::aws::ensure_topics(&sns, tifli_testkit::TOPICS)
        .await
        .expect("topics");
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    let outlets = |publisher| tifli::stream::Outlets {
        publisher,
        ledger: stack.store.clone(),
        failures: tifli::sqs::SqsFailureQueue::new(fan_out.sqs.clone(), &fan_out.failure_queue),
        issuer: tifli_testkit::issuer(),
        signing: stack.signing(),
    };
    // With the event source stopped, the approval's record waits in the stream.
    fan_out.stop();
    let id = file_sample(&stack).await;
    approve(&stack, &id).await;

    let (arn, records) = stack.stream_records().await;
    let batch: Vec<Value> = records
        .iter()
        .map(|r| tifli_local::streams::lambda_record(r, &arn))
        .filter(tifli_local::streams::passes_filter)
        .collect();
    assert_eq!(batch.len(), 1, "one report modification: the approval");
    let sequence = batch[0]["dynamodb"]["SequenceNumber"].clone();
    let event = || serde_json::from_value(json!({ "Records": batch })).expect("a stream event");

    // SNS unreachable: nothing is published, the record is reported for retry.
    let unreachable = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(tifli_local::aws::REGION))
        .credentials_provider(aws_sdk_sns::config::SharedCredentialsProvider::new(
            aws_sdk_sns::config::Credentials::new("testing", "testing", None, None, "test"),
        ))
        .endpoint_url("http://127.0.0.1:1")
        .build();
    let down = SnsPublisher::new(aws_sdk_sns::Client::new(&unreachable), topics.clone());
    let response = outlets(down).handle(event()).await;
    let failed: Vec<Value> = response
        .batch_item_failures
        .iter()
        .map(|f| json!(f.item_identifier))
        .collect();
    assert_eq!(failed, [sequence]);
    assert!(fan_out_queue_is_empty(&stack, &queue).await);

    // Retried once SNS answers: delivered, no failure.
    let up = SnsPublisher::new(sns, topics);
    let response = outlets(up).handle(event()).await;
    assert!(response.batch_item_failures.is_empty());
    let sqs = aws_sdk_sqs::Client::new(&stack.config);
    let received = sqs
        .receive_message()
        .queue_url(&queue)
        .send()
        .await
        .expect("receive");
    assert_eq!(received.messages().len(), 1);
}

/// SNS delivers to SQS within the Publish call: a short poll sees what was published.
async fn fan_out_queue_is_empty(stack: &TestStack, queue: &str) -> bool {
    let sqs = aws_sdk_sqs::Client::new(&stack.config);
    let out = sqs
        .receive_message()
        .queue_url(queue)
        .send()
        .await
        .expect("receive");
    out.messages().is_empty()
}

/// Nothing lost: an alert whose stream records never reach the fan-out (here it starts
/// after them) is published by the scheduled run a few minutes after its commit, once,
/// through the publication ledger; and a run reads only the unpublished versions.
#[tokio::test]
async fn an_alert_the_stream_lost_goes_out_with_the_next_run_once() {
    use tifli::domain::ReviewPolicy;
    use tifli_local::streams::Start;

    let stack = TestStack::start().await;
    let lost = file_sample(&stack).await;
    approve(&stack, &lost).await;
    let fan_out = stack.fan_out_from(Start::Latest, &stack.config).await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    // A second alert, after the fan-out started, goes out at once: the stream is live.
    let live = file_sample(&stack).await;
    approve(&stack, &live).await;
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["identifier"], format!("tifli-{live}-2"));

    let budget = std::time::Duration::from_secs(30);
    let review = ReviewPolicy::default();
    let now = time::OffsetDateTime::now_utc();
    // Each run's store reads the ledger as if its time had come too: the store never
    // counts as lost what it committed minutes ago by its own clock.
    let run_at = |minutes: i64| {
        let at = now + Duration::minutes(minutes);
        (stack.store_at(at), at)
    };
    let (store, at) = run_at(1);
    let early = tifli::expiry::sweep(&store, at, budget, &review).await;
    assert_eq!((early.republished, early.read.ledger), (0, 0), "{early:?}");
    // A run ahead of time whose store keeps the real time leaves it to the fan-out.
    let ahead =
        tifli::expiry::sweep(&stack.store, now + Duration::minutes(6), budget, &review).await;
    assert_eq!((ahead.republished, ahead.read.ledger), (0, 0), "{ahead:?}");
    let (store, at) = run_at(6);
    let run = tifli::expiry::sweep(&store, at, budget, &review).await;
    assert_eq!(
        (run.republished, run.read.ledger, run.failed),
        (1, 1, 0),
        "{run:?}"
    );
    let identifier = format!("tifli-{lost}-2");
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["identifier"], identifier);
    assert_eq!(received[0]["msg_type"], "Alert");
    fan_out.published(&identifier).await;

    // Recorded as published: the next runs read nothing, and nothing arrives twice.
    for minutes in [12, 20] {
        let (store, at) = run_at(minutes);
        let again = tifli::expiry::sweep(&store, at, budget, &review).await;
        assert_eq!((again.republished, again.read.ledger), (0, 0), "{again:?}");
    }
    assert_eq!(fan_out.holds(&queue).await, Vec::<Value>::new());
}

/// The records of the table's stream the fan-out's event source passes, from the
/// `skip`-th record on, as one Lambda event.
async fn stream_event(stack: &TestStack, skip: usize) -> (Vec<Value>, usize) {
    let (arn, records) = stack.stream_records().await;
    let batch = records[skip..]
        .iter()
        .map(|r| tifli_local::streams::lambda_record(r, &arn))
        .filter(tifli_local::streams::passes_filter)
        .collect();
    (batch, records.len())
}

#[tokio::test]
async fn a_record_never_publishable_is_set_aside_then_replayed_once() {
    use tifli::domain::ReviewPolicy;

    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    fan_out.stop();
    let outlets = || tifli::stream::Outlets {
        publisher: SnsPublisher::new(fan_out.sns.clone(), fan_out.topics.clone()),
        ledger: stack.store.clone(),
        failures: tifli::sqs::SqsFailureQueue::new(fan_out.sqs.clone(), &fan_out.failure_queue),
        issuer: tifli_testkit::issuer(),
        signing: stack.signing(),
    };
    let id = file_sample(&stack).await;
    approve(&stack, &id).await;

    // The approval's record, as a release that cannot read it would: never publishable.
    let (mut batch, seen) = stream_event(&stack, 0).await;
    assert_eq!(batch.len(), 1, "the approval");
    batch[0]["dynamodb"]["NewImage"]["status"] = json!({"S": "lost"});
    let event = serde_json::from_value(json!({ "Records": batch })).expect("an event");
    let response = outlets().handle(event).await;
    assert!(response.batch_item_failures.is_empty(), "the shard goes on");
    let set_aside = fan_out.set_aside().await;
    assert_eq!(
        set_aside[0],
        json!({
            "report_id": id,
            "version": 2,
            "sequence": batch[0]["dynamodb"]["SequenceNumber"],
            "reason": "undecodable",
        })
    );
    let text = set_aside[0].to_string();
    assert!(
        !text.contains("Amina"),
        "no child data on the queue: {text}"
    );
    assert!(fan_out.holds(&queue).await.is_empty());
    // Set aside, the scheduled run leaves it alone rather than loop on it every run.
    let later = time::OffsetDateTime::now_utc() + Duration::minutes(10);
    let budget = std::time::Duration::from_secs(30);
    let run = tifli::expiry::sweep(
        &stack.store_at(later),
        later,
        budget,
        &ReviewPolicy::default(),
    )
    .await;
    assert_eq!((run.republished, run.read.ledger), (0, 0), "{run:?}");

    let sqs = &fan_out.sqs;
    let now = time::OffsetDateTime::now_utc();
    let replayed = tifli_local::replay::replay(sqs, &fan_out.failure_queue, &stack.store, now)
        .await
        .expect("a replay");
    assert_eq!(replayed.replayed, 1);
    assert_eq!(replayed.settled, 0);
    assert!(replayed.left.is_empty(), "{:?}", replayed.left);
    let (batch, _) = stream_event(&stack, seen).await;
    assert_eq!(batch.len(), 2, "the ledger entry set aside, then nudged");
    let event = serde_json::from_value(json!({ "Records": batch })).expect("an event");
    assert!(outlets().handle(event).await.batch_item_failures.is_empty());
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["identifier"], format!("tifli-{id}-2"));
    assert_eq!(received[0]["msg_type"], "Alert");

    // Published: a second replay has nothing to do, nothing arrives twice.
    let again = tifli_local::replay::replay(
        sqs,
        &fan_out.failure_queue,
        &stack.store,
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("a replay");
    assert_eq!(again, tifli_local::replay::Replayed::default());
    assert!(fan_out.holds(&queue).await.is_empty());

    // A set-aside version the ledger does not hold (a staff case event SNS refused) is
    // left on the queue for a person, not taken for done.
    use tifli::fanout::FailureQueue;
    let case_event = tifli::fanout::SetAside {
        report_id: id.clone(),
        version: Some(1),
        sequence: "49000000000000000000000001".into(),
        reason: "refused by SNS: InvalidParameter".into(),
    };
    outlets()
        .failures
        .set_aside(&case_event)
        .await
        .expect("queued");
    let now = time::OffsetDateTime::now_utc();
    let left = tifli_local::replay::replay(sqs, &fan_out.failure_queue, &stack.store, now)
        .await
        .expect("a replay");
    assert_eq!(
        (left.replayed, left.settled, left.left.len()),
        (0, 0, 1),
        "{left:?}"
    );
}

/// SNS down for a while: the approval's record waits in the stream while the scheduled
/// run nudges the version three times. When SNS is back the four records go through and
/// subscribers receive the Alert once, not four times.
#[tokio::test]
async fn a_version_nudged_through_an_outage_goes_out_once() {
    use tifli::domain::ReviewPolicy;

    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    fan_out.stop();
    let id = file_sample(&stack).await;
    approve(&stack, &id).await;
    let now = time::OffsetDateTime::now_utc();
    let budget = std::time::Duration::from_secs(30);
    for minutes in [6, 12, 18] {
        let at = now + Duration::minutes(minutes);
        let run =
            tifli::expiry::sweep(&stack.store_at(at), at, budget, &ReviewPolicy::default()).await;
        assert_eq!(run.republished, 1, "{run:?}");
    }
    let (batch, _) = stream_event(&stack, 0).await;
    assert_eq!(batch.len(), 4, "the approval and three nudges");

    let outlets = tifli::stream::Outlets {
        publisher: SnsPublisher::new(fan_out.sns.clone(), fan_out.topics.clone()),
        ledger: stack.store.clone(),
        failures: tifli::sqs::SqsFailureQueue::new(fan_out.sqs.clone(), &fan_out.failure_queue),
        issuer: tifli_testkit::issuer(),
        signing: stack.signing(),
    };
    let event = serde_json::from_value(json!({ "Records": batch })).expect("an event");
    assert!(outlets.handle(event).await.batch_item_failures.is_empty());
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received[0]["identifier"], format!("tifli-{id}-2"));
    assert_eq!(fan_out.holds(&queue).await, Vec::<Value>::new(), "once");
}
