//! The fan-out function's handler: a batch of DynamoDB Stream records in, one Publish
//! per public change out, and the records to retry reported back to Lambda.

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::domain::Report;
use crate::domain::cap::Sender;
use crate::fanout::{AlertPublisher, message_for};

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
pub async fn handle<P: AlertPublisher>(
    event: Event,
    publisher: &P,
    sender: &Sender,
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
        let Some(message) = message_for(old.as_ref(), &new, sender) else {
            tracing::debug!(report_id = %new.id(), version = new.version(), "no public change");
            continue;
        };
        match publisher.publish(&message).await {
            Ok(()) => tracing::info!(
                alert_id = %message.envelope.alert_id,
                identifier = %message.envelope.identifier,
                msg_type = message.envelope.msg_type,
                "alert published"
            ),
            Err(e) => {
                tracing::warn!(identifier = %message.envelope.identifier, sequence, error = %e, "publish failed");
                return failed(sequence);
            }
        }
    }
    DynamoDbEventResponse::default()
}
