//! The fan-out handler driven by DynamoDB Stream events as Lambda delivers them
//! (captured from the emulator's stream), with a recording publisher in place of SNS.

use std::sync::{Arc, Mutex};

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::streams::DynamoDbEventResponse;
use serde_json::Value;
use tifli::fanout::{AlertMessage, FailureQueue, Message, PublishError, Publisher, SetAside};
use tifli::ports::Standing;
use tifli::stream::Outlets;
use tifli_testkit::signing::{LocalKey, UnavailableKey};

/// Records what it is asked to publish; fails the calls listed in `fail` as SNS does
/// when it is throttled, and those in `refuse` as when it refuses the message itself.
/// Clones share what they record.
#[derive(Clone, Default)]
struct Recorder {
    published: Arc<Mutex<Vec<AlertMessage>>>,
    /// The case events it published, apart.
    cases: Arc<Mutex<Vec<tifli::domain::case_events::CaseEvent>>>,
    /// What it was told SNS accepted: (report id, version).
    ledger: Arc<Mutex<Vec<(String, u32)>>>,
    /// The ledger entries taken off the reconciler's index, and the failure queue.
    ledger_set_aside: Arc<Mutex<Vec<(String, u32)>>>,
    failure_queue: Arc<Mutex<Vec<SetAside>>>,
    /// The versions it was told a later one superseded.
    superseded: Arc<Mutex<Vec<(String, u32)>>>,
    calls: Arc<Mutex<usize>>,
    /// The key that signs (its clones count its signatures together).
    key: LocalKey,
    fail: Vec<usize>,
    refuse: Vec<usize>,
}

impl Publisher for Recorder {
    async fn publish(&self, message: &Message) -> Result<(), PublishError> {
        let message = match message {
            Message::Alert(message) => message,
            Message::Case(event) => {
                self.cases.lock().unwrap().push(event.clone());
                return Ok(());
            }
        };
        let call = {
            let mut calls = self.calls.lock().unwrap();
            *calls += 1;
            *calls
        };
        if self.fail.contains(&call) {
            return Err(PublishError::retry("throttled"));
        }
        if self.refuse.contains(&call) {
            return Err(PublishError::rejected("InvalidParameter"));
        }
        self.published
            .lock()
            .unwrap()
            .push(message.as_ref().clone());
        Ok(())
    }
}

impl FailureQueue for Recorder {
    async fn set_aside(&self, failure: &SetAside) -> Result<(), PublishError> {
        self.failure_queue.lock().unwrap().push(failure.clone());
        Ok(())
    }
}

impl Recorder {
    /// The versions it was told SNS accepted, in order.
    fn ledger_versions(&self) -> Vec<u32> {
        self.ledger
            .lock()
            .unwrap()
            .iter()
            .map(|(_, v)| *v)
            .collect()
    }
}

impl tifli::ports::PublicationLedger for Recorder {
    async fn published(
        &self,
        id: tifli::domain::ReportId,
        version: u32,
        _at: time::OffsetDateTime,
    ) -> Result<(), tifli::ports::StoreError> {
        self.ledger.lock().unwrap().push((id.to_string(), version));
        Ok(())
    }

    async fn standing(
        &self,
        id: tifli::domain::ReportId,
        version: u32,
    ) -> Result<Standing, tifli::ports::StoreError> {
        let id = id.to_string();
        let ledger = self.ledger.lock().unwrap();
        let mine = ledger.iter().filter(|(i, _)| *i == id);
        Ok(Standing::among(version, mine.map(|(_, v)| (*v, true))))
    }

    async fn superseded(
        &self,
        id: tifli::domain::ReportId,
        version: u32,
    ) -> Result<(), tifli::ports::StoreError> {
        self.superseded
            .lock()
            .unwrap()
            .push((id.to_string(), version));
        Ok(())
    }

    async fn set_aside(
        &self,
        id: tifli::domain::ReportId,
        version: u32,
    ) -> Result<(), tifli::ports::StoreError> {
        self.ledger_set_aside
            .lock()
            .unwrap()
            .push((id.to_string(), version));
        Ok(())
    }
}

/// The fan-out handler with `recorder` behind each of its outlets.
async fn handle(event: Event, recorder: &Recorder) -> DynamoDbEventResponse {
    let outlets = Outlets {
        publisher: recorder.clone(),
        ledger: recorder.clone(),
        failures: recorder.clone(),
        issuer: tifli_testkit::issuer(),
        signing: recorder.key.signing(),
    };
    outlets.handle(event).await
}

fn fixture(name: &str) -> (Event, Value) {
    let raw = tifli_testkit::events::fixture("fanout", name);
    (
        serde_json::from_value(raw.clone()).expect("a DynamoDB Stream event"),
        raw,
    )
}

fn sequence(raw: &Value, i: usize) -> String {
    raw["Records"][i]["dynamodb"]["SequenceNumber"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The records a response reports as failed, by their sequence numbers.
fn failed(response: &DynamoDbEventResponse) -> Vec<Option<String>> {
    let failures = response.batch_item_failures.iter();
    failures.map(|f| f.item_identifier.clone()).collect()
}

/// The fixture `name` handled by the fan-out, publishing through `recorder`: the
/// handler's response and the raw event.
async fn play(name: &str, recorder: &Recorder) -> (DynamoDbEventResponse, Value) {
    let (event, raw) = fixture(name);
    (handle(event, recorder).await, raw)
}

#[tokio::test]
async fn an_approval_publishes_one_alert() {
    let recorder = Recorder::default();
    let (response, _) = play("approve.json", &recorder).await;
    assert!(response.batch_item_failures.is_empty());
    let published = recorder.published.lock().unwrap();
    assert_eq!(published.len(), 1);
    let message = &published[0];
    assert_eq!(message.envelope.msg_type, "Alert");
    assert_eq!(message.envelope.version, 2);
    assert_eq!(message.regions, ["MA-04"]);
    assert!(
        message
            .envelope
            .cap
            .contains("<circle>34.0209,-6.8416 15</circle>")
    );
    let body = message.per_protocol();
    assert!(
        !body.contains("Seen leaving with an unknown adult"),
        "the narrative leaked"
    );
    assert!(
        !body.contains("4f8c2a1e") && !body.contains("supervisor01"),
        "an officer leaked"
    );
}

#[tokio::test]
async fn every_published_message_is_signed_once_and_verifies() {
    let recorder = Recorder::default();
    let (response, _) = play("lifecycle.json", &recorder).await;
    assert!(response.batch_item_failures.is_empty());
    let published = recorder.published.lock().unwrap();
    let caps: Vec<String> = published.iter().map(|m| m.envelope.cap.clone()).collect();
    assert_eq!(caps.len(), 3, "Alert, Update, Cancel");
    assert_eq!(
        recorder.key.signatures(),
        3,
        "one signature per publication"
    );
    let verdicts = tifli_testkit::signing::verify(&caps, &recorder.key.published_keys());
    assert!(verdicts.iter().all(|v| v.verified()), "{verdicts:?}");
    // The bodies of HTTP endpoints and of queues carry the signed message.
    for message in published.iter() {
        let bodies: Value = serde_json::from_str(&message.per_protocol()).unwrap();
        assert_eq!(bodies["https"], message.envelope.cap.as_str());
        let envelope: Value = serde_json::from_str(bodies["default"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["cap"], message.envelope.cap.as_str());
        assert!(message.envelope.cap.contains("</Signature>\n</alert>"));
    }
}

#[tokio::test]
async fn a_key_that_cannot_sign_holds_the_record_and_sends_nothing() {
    let (event, raw) = fixture("approve.json");
    let recorder = Recorder::default();
    let outlets = Outlets {
        publisher: recorder.clone(),
        ledger: recorder.clone(),
        failures: recorder.clone(),
        issuer: tifli_testkit::issuer(),
        signing: tifli::signing::Signing::new(UnavailableKey),
    };
    let response = outlets.handle(event).await;
    // Retried from the approval's record until the key signs again: never unsigned.
    assert_eq!(failed(&response), [Some(sequence(&raw, 0))]);
    assert!(recorder.published.lock().unwrap().is_empty());
    assert!(recorder.ledger_versions().is_empty());
    assert!(
        recorder.failure_queue.lock().unwrap().is_empty(),
        "not set aside"
    );
}

#[tokio::test]
async fn a_replayed_record_is_not_sent_again_once_sns_accepted_it() {
    let recorder = Recorder::default();
    for _ in 0..2 {
        let (event, _) = fixture("approve.json");
        handle(event, &recorder).await;
    }
    assert_eq!(recorder.published.lock().unwrap().len(), 1);
    assert_eq!(recorder.ledger_versions(), [2]);
}

#[tokio::test]
async fn a_record_replayed_before_the_ledger_knew_sends_the_same_message() {
    // As when the ledger write after SNS's answer failed: the same bytes again, which
    // subscribers drop by their identifier.
    let (first, second) = (Recorder::default(), Recorder::default());
    handle(fixture("approve.json").0, &first).await;
    handle(fixture("approve.json").0, &second).await;
    let first = first.published.lock().unwrap();
    assert_eq!(*first, *second.published.lock().unwrap());
    assert_eq!(first.len(), 1);
}

#[tokio::test]
async fn an_older_version_is_not_sent_once_a_later_one_was() {
    // The lifecycle's Alert (v2), Update (v3) and Cancel (v4), the Cancel first: as when
    // v2 and v3 were set aside and replayed after v4 went out.
    let (event, _) = fixture("lifecycle.json");
    let recorder = Recorder::default();
    recorder
        .ledger
        .lock()
        .unwrap()
        .push(("01M8JW6ABPMTEN6Q5XYCKR8EM4".into(), 4));
    let response = handle(event, &recorder).await;
    assert!(response.batch_item_failures.is_empty());
    assert!(recorder.published.lock().unwrap().is_empty());
    let superseded: Vec<u32> = recorder
        .superseded
        .lock()
        .unwrap()
        .iter()
        .map(|(_, v)| *v)
        .collect();
    assert_eq!(
        superseded,
        [2, 3],
        "off the scheduled run's index, the report out of them"
    );
}

#[tokio::test]
async fn a_whole_lifecycle_publishes_its_three_public_changes_in_order() {
    // Unfiltered: filing, history items and all, as if the event filter were missing.
    let recorder = Recorder::default();
    let (response, _) = play("lifecycle.json", &recorder).await;
    assert!(response.batch_item_failures.is_empty());
    let kinds: Vec<(&str, u32, usize)> = recorder
        .published
        .lock()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m.envelope.msg_type,
                m.envelope.version,
                m.envelope.cap.matches(",tifli-").count(),
            )
        })
        .collect();
    // (type, version, how many earlier messages its CAP references)
    assert_eq!(kinds, [("Alert", 2, 0), ("Update", 3, 1), ("Cancel", 4, 2)]);
    // Each in the publication ledger once SNS accepted it.
    let ledger = recorder.ledger_versions();
    assert_eq!(ledger, [2, 3, 4]);
}

#[tokio::test]
async fn a_failed_publish_stops_the_batch_at_that_record() {
    let (event, raw) = fixture("lifecycle.json");
    let recorder = Recorder {
        fail: vec![2],
        ..Default::default()
    };
    let response = handle(event, &recorder).await;
    let failed = failed(&response);
    // The Update's record (the fifth) failed; the Cancel after it was not published
    // ahead of it.
    assert_eq!(failed, [Some(sequence(&raw, 4))]);
    let published: Vec<&str> = recorder
        .published
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.envelope.msg_type)
        .collect();
    assert_eq!(published, ["Alert"]);
    // What SNS did not accept is not in the ledger: the scheduled run will find it.
    let ledger = recorder.ledger_versions();
    assert_eq!(ledger, [2]);
}

#[tokio::test]
async fn a_corrupt_image_is_set_aside_and_the_batch_goes_on() {
    let recorder = Recorder::default();
    let (response, raw) = play("corrupt.json", &recorder).await;
    assert_eq!(failed(&response), Vec::<Option<String>>::new());
    // Named by its report and sequence; its version is what does not decode.
    let set_aside = recorder.failure_queue.lock().unwrap().clone();
    assert_eq!(
        set_aside,
        [SetAside {
            report_id: "01M8JW6ABPMTEN6Q5XYCKR8EM4".into(),
            version: None,
            sequence: sequence(&raw, 0),
            reason: "undecodable".into(),
        }]
    );
    // The record behind it was not held up.
    let published = recorder.published.lock().unwrap();
    let versions: Vec<u32> = published.iter().map(|m| m.envelope.version).collect();
    assert_eq!(versions, [3]);
}

#[tokio::test]
async fn a_message_sns_refuses_is_set_aside_and_the_next_goes_out() {
    let (event, raw) = fixture("lifecycle.json");
    let recorder = Recorder {
        refuse: vec![2],
        ..Default::default()
    };
    let response = handle(event, &recorder).await;
    assert_eq!(failed(&response), Vec::<Option<String>>::new());
    let id = "01M8JW6ABPMTEN6Q5XYCKR8EM4".to_owned();
    let set_aside = recorder.failure_queue.lock().unwrap().clone();
    assert_eq!(
        set_aside,
        [SetAside {
            report_id: id.clone(),
            version: Some(3),
            sequence: sequence(&raw, 4),
            reason: "refused by SNS: InvalidParameter".into(),
        }]
    );
    // Off the reconciler's index until a replay; the Cancel went out.
    assert_eq!(*recorder.ledger_set_aside.lock().unwrap(), [(id, 3)]);
    assert_eq!(recorder.ledger_versions(), [2, 4]);
}

#[tokio::test]
async fn a_sighting_tells_the_case_s_officers_without_its_words() {
    let recorder = Recorder::default();
    let (response, raw) = play("sighting.json", &recorder).await;
    assert_eq!(failed(&response), Vec::<Option<String>>::new());
    let cases = recorder.cases.lock().unwrap().clone();
    assert_eq!(cases.len(), 1);
    let event = serde_json::to_value(&cases[0]).unwrap();
    assert_eq!(event["event"], "sighting");
    assert_eq!(event["report_id"], "01M8JW6ABPMTEN6Q5XYCKR8EM4");
    assert_eq!(event["sighting"], "01M8JX2B4Q7T9W1E3R5Y7V9K0P");
    assert_eq!(event["region"], "MA-04");
    assert_eq!(event["version"], 2);
    for words in ["Bab El Had", "red coat", "+212", "34.03"] {
        assert!(!event.to_string().contains(words), "{words} in {event}");
    }
    assert!(
        recorder.published.lock().unwrap().is_empty(),
        "nothing public"
    );
    // A sighting that does not decode is set aside with no version: the report's own
    // ledger entry of that version stays where it is.
    let set_aside = recorder.failure_queue.lock().unwrap().clone();
    assert_eq!(set_aside.len(), 1);
    assert_eq!(set_aside[0].sequence, sequence(&raw, 1));
    assert_eq!(set_aside[0].version, None);
    assert!(recorder.ledger_set_aside.lock().unwrap().is_empty());
}
