//! The DynamoDB Stream → fan-out event source, emulated: polls the table's stream and
//! hands each batch to the fan-out handler in the event shape Lambda uses, with the same
//! filter as `template.yaml` and the same retry-from-the-failed-record semantics: a
//! failing record is retried until it passes (Lambda: until it leaves the stream).

use std::collections::HashMap;
use std::time::Duration;

use aws_lambda_events::dynamodb::Event;
use aws_lambda_events::streams::DynamoDbEventResponse;
use aws_sdk_dynamodbstreams::types::{Record, ShardIteratorType};
use serde_json::{Value, json};
use tifli::fanout::{FailureQueue, Publisher};
use tifli::ports::PublicationLedger;
use tifli::stream::Outlets;

use crate::aws::REGION;

/// The longest wait between two tries of a failing record.
const MAX_BACKOFF: Duration = Duration::from_secs(5);
const IDLE: Duration = Duration::from_millis(100);

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The filter of the fan-out's event source: modified reports and publication ledger
/// entries only.
pub fn passes_filter(record: &Value) -> bool {
    let kind = &record["dynamodb"]["NewImage"]["kind"]["S"];
    (record["eventName"] == "MODIFY" && (kind == "report" || kind == "publication"))
        || (record["eventName"] == "INSERT" && kind == "sighting")
}

/// The statuses of a report that has ended, as the photo function's filter names them.
pub const ENDED: [&str; 5] = ["rejected", "resolved", "cancelled", "expired", "lapsed"];

/// The filter of the photo function's stream source: a report with a hosted photo that
/// has ended, and a retention marker deleted (the report's purge is done).
pub fn passes_photo_filter(record: &Value) -> bool {
    let change = &record["dynamodb"];
    let new = &change["NewImage"];
    let ended = new["status"]["S"]
        .as_str()
        .is_some_and(|s| ENDED.contains(&s));
    (record["eventName"] == "MODIFY"
        && new["kind"]["S"] == "report"
        && ended
        && new["photo"]["M"]["original"]["S"].is_string())
        || (record["eventName"] == "REMOVE" && change["OldImage"]["kind"]["S"] == "retention")
}

/// A function the stream feeds, as an event source mapping would: its filter and its
/// handler.
pub trait Consumer: Send + Sync {
    fn passes(&self, record: &Value) -> bool;
    fn handle(&self, event: Event) -> impl Future<Output = DynamoDbEventResponse> + Send;
    /// The wait between two polls of a quiet stream.
    fn idle(&self) -> Duration {
        IDLE
    }
}

impl<P: Publisher, L: PublicationLedger, Q: FailureQueue> Consumer for Outlets<P, L, Q> {
    fn passes(&self, record: &Value) -> bool {
        passes_filter(record)
    }

    async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        Outlets::handle(self, event).await
    }
}

/// The photo function as the stream's second consumer.
pub struct PhotoConsumer<O>(pub O);

impl<O: tifli::ports::PhotoObjects> Consumer for PhotoConsumer<O> {
    fn passes(&self, record: &Value) -> bool {
        passes_photo_filter(record)
    }

    async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        tifli::photo::events::on_stream(&self.0, event).await
    }

    /// Deleting an ended alert's photo may take a second; the emulator, polled less,
    /// answers the fan-out's polls sooner.
    fn idle(&self) -> Duration {
        Duration::from_secs(1)
    }
}

/// Where polling starts in each shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Every record the stream still holds, as Lambda's `TRIM_HORIZON`.
    Oldest,
    /// Only what comes next: the records before are lost to the fan-out.
    Latest,
}

fn image(map: Option<&HashMap<String, aws_sdk_dynamodbstreams::types::AttributeValue>>) -> Value {
    map.map(|m| serde_json::to_value(serde_dynamo::Item::from(m.clone())).unwrap_or(Value::Null))
        .unwrap_or(Value::Null)
}

/// A stream record as Lambda hands it to a function.
pub fn lambda_record(record: &Record, stream_arn: &str) -> Value {
    let change = record.dynamodb();
    json!({
        "eventID": record.event_id(),
        "eventName": record.event_name().map(|n| n.as_str()),
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": REGION,
        "eventSourceARN": stream_arn,
        "dynamodb": {
            "ApproximateCreationDateTime": change.and_then(|c| c.approximate_creation_date_time()).map(|t| t.secs()),
            "Keys": image(change.and_then(|c| c.keys.as_ref())),
            "NewImage": image(change.and_then(|c| c.new_image.as_ref())),
            "OldImage": image(change.and_then(|c| c.old_image.as_ref())),
            "SequenceNumber": change.and_then(|c| c.sequence_number()),
            "SizeBytes": change.and_then(|c| c.size_bytes()),
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    })
}

struct Shard {
    iterator: Option<String>,
    /// The record the handler last failed on, and how many times in a row: the wait
    /// before the next try grows with it.
    failing: Option<String>,
    failures: u32,
}

/// Polls the stream of `table` from its oldest record until the task is dropped.
pub async fn run<C: Consumer>(
    dynamodb: aws_sdk_dynamodb::Client,
    streams: aws_sdk_dynamodbstreams::Client,
    table: String,
    consumer: C,
) -> Result<(), Error> {
    run_from(Start::Oldest, dynamodb, streams, table, consumer).await
}

/// [`run`], starting at `start`.
pub async fn run_from<C: Consumer>(
    start: Start,
    dynamodb: aws_sdk_dynamodb::Client,
    streams: aws_sdk_dynamodbstreams::Client,
    table: String,
    consumer: C,
) -> Result<(), Error> {
    let described = dynamodb.describe_table().table_name(&table).send().await?;
    let arn = described
        .table
        .and_then(|t| t.latest_stream_arn)
        .ok_or("the table has no stream")?;
    let mut shards: HashMap<String, Shard> = HashMap::new();
    loop {
        let description = streams.describe_stream().stream_arn(&arn).send().await?;
        for shard in description
            .stream_description
            .map(|d| d.shards.unwrap_or_default())
            .unwrap_or_default()
        {
            let Some(id) = shard.shard_id else { continue };
            if shards.contains_key(&id) {
                continue;
            }
            let iterator = streams
                .get_shard_iterator()
                .stream_arn(&arn)
                .shard_id(&id)
                .shard_iterator_type(match start {
                    Start::Oldest => ShardIteratorType::TrimHorizon,
                    Start::Latest => ShardIteratorType::Latest,
                })
                .send()
                .await?
                .shard_iterator;
            shards.insert(
                id,
                Shard {
                    iterator,
                    failing: None,
                    failures: 0,
                },
            );
        }
        let mut busy = false;
        for (id, shard) in shards.iter_mut() {
            let Some(iterator) = shard.iterator.clone() else {
                continue;
            };
            let page = streams
                .get_records()
                .shard_iterator(iterator)
                .send()
                .await?;
            let records: Vec<Value> = page
                .records()
                .iter()
                .map(|r| lambda_record(r, &arn))
                .collect();
            let batch: Vec<Value> = records.into_iter().filter(|r| consumer.passes(r)).collect();
            shard.iterator = page.next_shard_iterator;
            if batch.is_empty() {
                continue;
            }
            busy = true;
            let event: Event = serde_json::from_value(json!({ "Records": batch }))?;
            let response = consumer.handle(event).await;
            let Some(sequence) = response
                .batch_item_failures
                .first()
                .and_then(|f| f.item_identifier.clone())
            else {
                shard.failing = None;
                shard.failures = 0;
                continue;
            };
            if shard.failing.as_ref() == Some(&sequence) {
                shard.failures += 1;
            } else {
                shard.failing = Some(sequence.clone());
                shard.failures = 1;
            }
            let delay = (Duration::from_millis(200) * shard.failures).min(MAX_BACKOFF);
            tokio::time::sleep(delay).await;
            shard.iterator = streams
                .get_shard_iterator()
                .stream_arn(&arn)
                .shard_id(id)
                .shard_iterator_type(ShardIteratorType::AtSequenceNumber)
                .sequence_number(sequence)
                .send()
                .await?
                .shard_iterator;
        }
        if !busy {
            tokio::time::sleep(consumer.idle()).await;
        }
    }
}
