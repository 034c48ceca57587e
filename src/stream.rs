//! The fan-out function's handler: a batch of DynamoDB Stream records in, one Publish
//! per public change or case event out, and the records to retry reported back to
//! Lambda.

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::domain::{Report, ReportId};
use crate::fanout::{Issuer, Message, Publisher, message_for, messages_for};
use crate::ports::PublicationLedger;

fn kind(image: &serde_dynamo::Item) -> Option<&str> {
    match image.get("kind") {
        Some(serde_dynamo::AttributeValue::S(kind)) => Some(kind),
        _ => None,
    }
}

/// The report of a stream image; `None` for no image or another kind of item (the
/// event source's filter lets only reports and ledger entries through, this holds
/// without it too).
fn report(image: &serde_dynamo::Item) -> Result<Option<Report>, serde_dynamo::Error> {
    match kind(image) {
        Some("report") => serde_dynamo::from_item(image.clone()).map(Some),
        _ => Ok(None),
    }
}

/// What the fan-out reads of a publication ledger entry.
#[derive(serde::Deserialize)]
struct LedgerEntry {
    #[serde(default)]
    snapshot: Option<Report>,
    #[serde(default)]
    nudges: u32,
}

/// The report version a ledger entry's change asks to publish again: the scheduled run
/// nudged an entry that SNS has not accepted.
fn nudged(
    old: &serde_dynamo::Item,
    new: &serde_dynamo::Item,
) -> Result<Option<Report>, serde_dynamo::Error> {
    if kind(new) != Some("publication") {
        return Ok(None);
    }
    let new: LedgerEntry = serde_dynamo::from_item(new.clone())?;
    let before = match kind(old) {
        Some("publication") => serde_dynamo::from_item::<_, LedgerEntry>(old.clone())?.nudges,
        _ => 0,
    };
    Ok(new.snapshot.filter(|_| new.nudges > before))
}

/// The report id of an image, read without decoding the rest, for logs.
fn alert_id(record: &EventRecord) -> String {
    match record.change.new_image.get("id") {
        Some(serde_dynamo::AttributeValue::S(id)) => id.clone(),
        _ => "unknown".to_owned(),
    }
}

fn failed(sequence: String) -> DynamoDbEventResponse {
    let mut failure = DynamoDbBatchItemFailure::default();
    failure.item_identifier = Some(sequence);
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures.push(failure);
    response
}

/// The messages of one record, and the public version they put in the ledger.
type Change = (Vec<Message>, Option<(ReportId, u32)>);

fn change(record: &EventRecord, issuer: &Issuer) -> Result<Option<Change>, serde_dynamo::Error> {
    let (old, new) = (&record.change.old_image, &record.change.new_image);
    if let Some(snapshot) = nudged(old, new)? {
        let messages: Vec<Message> = message_for(None, &snapshot, issuer)
            .map(|m| Message::Alert(Box::new(m)))
            .into_iter()
            .collect();
        return Ok(Some((messages, Some((snapshot.id(), snapshot.version())))));
    }
    let Some(new) = report(new)? else {
        return Ok(None);
    };
    let old = report(old)?;
    let messages = messages_for(old.as_ref(), &new, issuer);
    let public = messages
        .iter()
        .any(|m| matches!(m, Message::Alert(_)))
        .then(|| (new.id(), new.version()));
    Ok(Some((messages, public)))
}

/// Publishes each record's change in order, and records in the ledger each public
/// version SNS accepted. On the first record that fails, stops and reports it: Lambda
/// retries from it, so messages of one alert never overtake one another.
pub async fn handle<P: Publisher, L: PublicationLedger>(
    event: Event,
    publisher: &P,
    ledger: &L,
    issuer: &Issuer,
) -> DynamoDbEventResponse {
    for record in event.records {
        let sequence = record.change.sequence_number.clone().unwrap_or_default();
        let (messages, public) = match change(&record, issuer) {
            Ok(Some(change)) => change,
            Ok(None) => {
                tracing::debug!(sequence, "record without a report to publish");
                continue;
            }
            Err(e) => {
                // Never the image itself: it holds the child's data.
                tracing::error!(alert_id = %alert_id(&record), sequence, error = %e, "undecodable stream record");
                return failed(sequence);
            }
        };
        if messages.is_empty() {
            tracing::debug!(alert_id = %alert_id(&record), sequence, "no public change");
        }
        // A record retried after its first message went out sends that one again: the
        // same identifier, which subscribers drop as a copy.
        for message in &messages {
            match publisher.publish(message).await {
                Ok(()) => match message {
                    Message::Alert(m) => tracing::info!(
                        alert_id = %m.envelope.alert_id,
                        identifier = %m.envelope.identifier,
                        msg_type = m.envelope.msg_type,
                        status = m.envelope.status,
                        "alert published"
                    ),
                    Message::Case(e) => tracing::info!(
                        report_id = %e.report_id,
                        event = e.event.as_str(),
                        "case event published"
                    ),
                },
                Err(e) => {
                    tracing::warn!(identifier = %message.identifier(), sequence, error = %e, "publish failed");
                    return failed(sequence);
                }
            }
        }
        if let Some((id, version)) = public {
            let now = time::OffsetDateTime::now_utc();
            if let Err(e) = ledger.published(id, version, now).await {
                // Retried, the record publishes again (the same identifier): better a
                // copy than a ledger that says unpublished and a second one later.
                tracing::warn!(report_id = %id, version, sequence, error = %e, "ledger not written");
                return failed(sequence);
            }
        }
    }
    DynamoDbEventResponse::default()
}
