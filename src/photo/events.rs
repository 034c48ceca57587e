//! The photo function's two event sources, as Lambda hands them over: the bucket's
//! `ObjectCreated` notifications for uploads, and the table's stream for the changes
//! that delete photos (an alert's end, a report's purge).

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use serde_json::Value;
use time::OffsetDateTime;

use super::{Photos, Processed, ended, purged};
use crate::domain::photo::HostedPhoto;
use crate::domain::{ReportId, Status};
use crate::ports::{PhotoObjects, ReportReader, ReportWriter, StoreError};

/// The object keys of an S3 notification's created objects. S3 sends keys URL-encoded
/// as a form value (a space as `+`).
pub fn created_keys(event: &Value) -> Vec<String> {
    event["Records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| {
            r["eventSource"] == "aws:s3"
                && r["eventName"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("ObjectCreated:"))
        })
        .filter_map(|r| r["s3"]["object"]["key"].as_str())
        .map(|raw| {
            form_urlencoded::parse(format!("k={raw}").as_bytes())
                .next()
                .map_or_else(|| raw.to_owned(), |(_, key)| key.into_owned())
        })
        .collect()
}

/// Whether a Lambda event comes from the table's stream (else from the bucket).
pub fn is_stream(event: &Value) -> bool {
    event["Records"][0]["eventSource"] == "aws:dynamodb"
}

/// Processes every upload of an S3 notification. An error fails the invocation, so that
/// Lambda tries it again; what was decided before it stands (an upload that was
/// recorded is gone from the event's next try: its key is the photo's original).
pub async fn on_uploads<S: ReportReader + ReportWriter, O: PhotoObjects>(
    photos: &Photos<S, O>,
    event: &Value,
    now: OffsetDateTime,
) -> Result<Vec<Processed>, StoreError> {
    let mut done = Vec::new();
    for key in created_keys(event) {
        let processed = photos.upload(&key, now).await?;
        match &processed {
            Processed::Hosted { report, version } => {
                tracing::info!(report_id = %report, version, "photo hosted");
            }
            Processed::Refused {
                report,
                version,
                refusal,
            } => {
                tracing::info!(report_id = %report, version, reason = %refusal, "photo refused");
            }
            Processed::Ignored(why) => tracing::info!(why, "upload ignored"),
        }
        done.push(processed);
    }
    Ok(done)
}

fn text<'a>(image: &'a serde_dynamo::Item, name: &str) -> Option<&'a str> {
    match image.get(name) {
        Some(serde_dynamo::AttributeValue::S(value)) => Some(value),
        _ => None,
    }
}

/// What one stream record asks of the bucket.
async fn on_record<O: PhotoObjects>(objects: &O, record: &EventRecord) -> Result<(), String> {
    let (old, new) = (&record.change.old_image, &record.change.new_image);
    // The retention step deletes a report's marker once the rest of its data is gone.
    if record.event_name == "REMOVE" && text(old, "kind") == Some("retention") {
        let Some(id) = text(old, "report_id").and_then(ReportId::parse) else {
            return Ok(());
        };
        let count = purged(objects, id).await.map_err(|e| e.to_string())?;
        tracing::info!(report_id = %id, uploads = count, "photos purged");
        return Ok(());
    }
    if record.event_name == "MODIFY" && text(new, "kind") == Some("report") {
        let report: EndedReport =
            serde_dynamo::from_item(new.clone()).map_err(|e| e.to_string())?;
        if let Some(photo) = report.photo.filter(|_| report.status.is_terminal()) {
            ended(objects, &photo).await.map_err(|e| e.to_string())?;
            tracing::info!(report_id = %report.id, "public photo deleted");
        }
    }
    Ok(())
}

/// What deleting an ended alert's photo reads of its report: nothing else a report
/// holds, or will hold, can keep its photo online by failing to decode.
#[derive(serde::Deserialize)]
struct EndedReport {
    id: ReportId,
    status: Status,
    #[serde(default)]
    photo: Option<HostedPhoto>,
}

/// Handles a batch of stream records in order; the first that fails is reported back,
/// so that Lambda retries from it.
pub async fn on_stream<O: PhotoObjects>(objects: &O, event: Event) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    for record in &event.records {
        if let Err(e) = on_record(objects, record).await {
            tracing::error!(error = %e, "stream record failed");
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = record.change.sequence_number.clone();
            response.batch_item_failures.push(failure);
            break;
        }
    }
    response
}

/// One invocation, from either source: the stream's batch response (the records to
/// retry), or nothing for the bucket's notification (an error makes Lambda retry it).
pub async fn handle<S: ReportReader + ReportWriter, O: PhotoObjects>(
    photos: &Photos<S, O>,
    event: Value,
    now: OffsetDateTime,
) -> Result<Value, String> {
    if is_stream(&event) {
        let event: Event = serde_json::from_value(event).map_err(|e| e.to_string())?;
        let response = on_stream(&photos.objects, event).await;
        return serde_json::to_value(response).map_err(|e| e.to_string());
    }
    on_uploads(photos, &event, now)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_decoded_as_s3_encodes_them() {
        let event = serde_json::json!({"Records": [
            {"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
             "s3": {"object": {"key": "uploads%2Fa+b%2Bc", "size": 3}}},
            {"eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
             "s3": {"object": {"key": "uploads/x/y", "size": 3}}},
            {"eventSource": "aws:s3", "eventName": "ObjectRemoved:Delete",
             "s3": {"object": {"key": "uploads/gone", "size": 3}}},
        ]});
        assert_eq!(created_keys(&event), ["uploads/a b+c", "uploads/x/y"]);
        assert!(!is_stream(&event));
        assert!(created_keys(&serde_json::json!({"Event": "s3:TestEvent"})).is_empty());
    }
}
