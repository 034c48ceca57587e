//! The fan-out function's handler: a batch of DynamoDB Stream records in, one Publish
//! per public change or case event out, and the records to retry reported back to
//! Lambda.

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::domain::Report;
use crate::fanout::{Issuer, Message, Publisher, messages_for};

/// The report of a stream image; `None` for no image or another kind of item (the
/// event source's filter lets only reports through, this holds without it too).
fn report(image: &serde_dynamo::Item) -> Result<Option<Report>, serde_dynamo::Error> {
    match image.get("kind") {
        Some(serde_dynamo::AttributeValue::S(kind)) if kind == "report" => {
            serde_dynamo::from_item(image.clone()).map(Some)
        }
        _ => Ok(None),
    }
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

/// Publishes each record's change in order. On the first record that fails, stops and
/// reports it: Lambda retries from it, so messages of one alert never overtake one
/// another, and a record that keeps failing goes to the dead-letter queue.
pub async fn handle<P: Publisher>(
    event: Event,
    publisher: &P,
    issuer: &Issuer,
) -> DynamoDbEventResponse {
    for record in event.records {
        let sequence = record.change.sequence_number.clone().unwrap_or_default();
        let images = report(&record.change.old_image)
            .and_then(|old| Ok((old, report(&record.change.new_image)?)));
        let (old, new) = match images {
            Ok((old, Some(new))) => (old, new),
            Ok((_, None)) => {
                tracing::debug!(sequence, "record without a new image");
                continue;
            }
            Err(e) => {
                // Never the image itself: it holds the child's data.
                tracing::error!(alert_id = %alert_id(&record), sequence, error = %e, "undecodable stream record");
                return failed(sequence);
            }
        };
        let messages = messages_for(old.as_ref(), &new, issuer);
        if messages.is_empty() {
            tracing::debug!(report_id = %new.id(), version = new.version(), "no public change");
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
    }
    DynamoDbEventResponse::default()
}
