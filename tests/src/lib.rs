//! Helpers of the integration tests: each test gets its own emulator, its own table and
//! the system's router behind the emulated authorizer, and the emulator stops when the
//! test ends, passed or failed.

pub mod faults;

use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use tifli::domain::AlertPolicy;
use tifli::ports::{Clock, SystemClock};
use tifli::store::dynamodb::DynamoStore;
use tifli::store::dynamodb::provision::ensure_table;
use tifli_local::auth::Authorizer;
use tifli_local::dev::DevConfig;
use tifli_local::emulator::Emulator;
use tifli_local::stack::Stack;

pub const TABLE: &str = "tifli-test";

pub struct TestStack {
    pub config: aws_config::SdkConfig,
    pub clock: Arc<dyn Clock>,
    pub client: Client,
    pub store: DynamoStore,
    pub auth: Authorizer,
    pub router: axum::Router,
    // Last, so that it is dropped after the clients that talk to it.
    pub emulator: Emulator,
}

impl TestStack {
    pub async fn start() -> TestStack {
        Self::start_with_clock(Arc::new(SystemClock)).await
    }

    pub async fn start_with_clock(clock: Arc<dyn Clock>) -> TestStack {
        let emulator =
            tokio::task::spawn_blocking(|| Emulator::start(&tifli_local::repo_root(), 0))
                .await
                .expect("emulator task")
                .expect("the emulator starts");
        let config = tifli_local::aws::emulator_config(emulator.endpoint()).await;
        let client = Client::new(&config);
        ensure_table(&client, TABLE)
            .await
            .expect("the table is created");
        let store = DynamoStore::new(client.clone(), TABLE);
        let auth = Authorizer::generate().expect("a signing key");
        let router = stack_router(&emulator, store.clone(), clock.clone(), auth.clone());
        TestStack {
            config,
            clock,
            client,
            store,
            auth,
            router,
            emulator,
        }
    }

    /// The system's router over another store of this stack's table (one whose client
    /// misbehaves, say), behind the same authorizer.
    pub fn router_for(&self, store: DynamoStore) -> axum::Router {
        stack_router(&self.emulator, store, self.clock.clone(), self.auth.clone())
    }

    pub fn token(&self, sub: &str, groups: &[&str]) -> String {
        let groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        self.auth
            .issue(sub, &groups, time::OffsetDateTime::now_utc())
    }

    /// Every item of the table (tests only: the system itself never scans).
    pub async fn items(
        &self,
    ) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(TABLE)
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            items.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() {
                return items;
            }
        }
    }

    /// How many items of `kind` (`report`, `history`, `idempotency`) the table holds.
    pub async fn count(&self, kind: &str) -> usize {
        self.items()
            .await
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(|k| k.as_s().ok())
                    .map(String::as_str)
                    == Some(kind)
            })
            .count()
    }
}

fn stack_router(
    emulator: &Emulator,
    store: DynamoStore,
    clock: Arc<dyn Clock>,
    auth: Authorizer,
) -> axum::Router {
    let dev = DevConfig {
        table: TABLE.into(),
        topic_arn: format!(
            "arn:aws:sns:{}:123456789012:{TOPIC}",
            tifli_local::aws::REGION
        ),
        endpoint: emulator.endpoint().into(),
        region: tifli_local::aws::REGION.into(),
    };
    tifli_local::stack::router(Stack {
        store,
        clock,
        sender: tifli::domain::cap::Sender::new(SENDER).expect("sender"),
        policy: AlertPolicy::default(),
        auth,
        config: dev,
        deliveries: Default::default(),
    })
}

pub const TOPIC: &str = "tifli-alerts";
pub const SENDER: &str = "tifli@police.example";

/// The fan-out side of a test stack: the alerts topic, and the emulated stream event
/// source feeding the fan-out handler, which publishes to the topic.
pub struct FanOut {
    pub topic_arn: String,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    /// The identifiers of the messages SNS accepted, in the order the handler sent them.
    pub published: Arc<std::sync::Mutex<Vec<String>>>,
    poller: tokio::task::JoinHandle<()>,
}

/// The SNS publisher, noting what it got through: the order SNS accepted messages in,
/// which queues do not promise to keep.
struct Recording {
    inner: tifli::sns::SnsPublisher,
    published: Arc<std::sync::Mutex<Vec<String>>>,
}

impl tifli::fanout::AlertPublisher for Recording {
    async fn publish(
        &self,
        message: &tifli::fanout::AlertMessage,
    ) -> Result<(), tifli::fanout::PublishError> {
        self.inner.publish(message).await?;
        self.published
            .lock()
            .expect("published")
            .push(message.envelope.identifier.clone());
        Ok(())
    }
}

impl Drop for FanOut {
    fn drop(&mut self) {
        self.poller.abort();
    }
}

impl TestStack {
    /// Creates the topic and starts polling the table's stream into the fan-out handler.
    pub async fn fan_out(&self) -> FanOut {
        self.fan_out_with(&self.config).await
    }

    /// As [`Self::fan_out`], the handler publishing through a client of `publishing`.
    pub async fn fan_out_with(&self, publishing: &aws_config::SdkConfig) -> FanOut {
        let sns = aws_sdk_sns::Client::new(&self.config);
        let topic_arn = tifli_local::aws::ensure_topic(&sns, TOPIC)
            .await
            .expect("the topic");
        let published = Arc::default();
        let publisher = Recording {
            inner: tifli::sns::SnsPublisher::new(aws_sdk_sns::Client::new(publishing), &topic_arn),
            published: Arc::clone(&published),
        };
        let streams = aws_sdk_dynamodbstreams::Client::new(&self.config);
        let sender = tifli::domain::cap::Sender::new(SENDER).expect("sender");
        let poller = tokio::spawn({
            let dynamodb = self.client.clone();
            async move {
                let outcome =
                    tifli_local::streams::run(dynamodb, streams, TABLE.into(), publisher, sender)
                        .await;
                if let Err(e) = outcome {
                    panic!("the stream poller stopped: {e}");
                }
            }
        });
        FanOut {
            topic_arn,
            sns,
            sqs: aws_sdk_sqs::Client::new(&self.config),
            published,
            poller,
        }
    }
}

impl FanOut {
    /// A queue subscribed to the topic with `filter` as its filter policy (on message
    /// attributes); its URL.
    pub async fn subscribe_queue(&self, name: &str, filter: Option<serde_json::Value>) -> String {
        let url = self
            .sqs
            .create_queue()
            .queue_name(name)
            .send()
            .await
            .expect("queue")
            .queue_url
            .expect("url");
        let arn = self
            .sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await
            .expect("queue attributes")
            .attributes
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                    .cloned()
            })
            .expect("queue arn");
        self.sns
            .subscribe()
            .topic_arn(&self.topic_arn)
            .protocol("sqs")
            .endpoint(arn)
            .set_attributes(filter.map(|f| [("FilterPolicy".to_owned(), f.to_string())].into()))
            .send()
            .await
            .expect("subscription");
        url
    }

    /// The alert envelopes that reached the queue within `wait`, or as soon as `want`
    /// of them did; the queue is polled at least once, and what is read is deleted, so
    /// that a long wait never sees a message twice.
    pub async fn receive(
        &self,
        queue_url: &str,
        want: usize,
        wait: std::time::Duration,
    ) -> Vec<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut envelopes = Vec::new();
        loop {
            let out = self
                .sqs
                .receive_message()
                .queue_url(queue_url)
                .max_number_of_messages(10)
                .send()
                .await
                .expect("receive");
            for message in out.messages() {
                // Without raw delivery, SQS holds SNS's notification around our body.
                let notification: serde_json::Value =
                    serde_json::from_str(message.body().unwrap_or("null"))
                        .expect("an SNS notification");
                let body = notification["Message"].as_str().expect("a message");
                envelopes.push(serde_json::from_str(body).expect("an alert envelope"));
                self.sqs
                    .delete_message()
                    .queue_url(queue_url)
                    .set_receipt_handle(message.receipt_handle().map(str::to_owned))
                    .send()
                    .await
                    .expect("delete");
            }
            if envelopes.len() >= want || tokio::time::Instant::now() >= deadline {
                break;
            }
            if out.messages().is_empty() {
                // Short polls: the emulator serves one request at a time, and a long
                // poll would hold up the fan-out it is waiting for.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        envelopes
    }
}

impl TestStack {
    /// The table's stream ARN and every record its (single) shard holds, oldest first.
    pub async fn stream_records(&self) -> (String, Vec<aws_sdk_dynamodbstreams::types::Record>) {
        let streams = aws_sdk_dynamodbstreams::Client::new(&self.config);
        let arn = self
            .client
            .describe_table()
            .table_name(TABLE)
            .send()
            .await
            .expect("the table")
            .table
            .and_then(|t| t.latest_stream_arn)
            .expect("a stream");
        let shard = streams
            .describe_stream()
            .stream_arn(&arn)
            .send()
            .await
            .expect("the stream")
            .stream_description
            .and_then(|d| d.shards)
            .and_then(|s| s.into_iter().next())
            .and_then(|s| s.shard_id)
            .expect("a shard");
        let iterator = streams
            .get_shard_iterator()
            .stream_arn(&arn)
            .shard_id(shard)
            .shard_iterator_type(aws_sdk_dynamodbstreams::types::ShardIteratorType::TrimHorizon)
            .send()
            .await
            .expect("an iterator")
            .shard_iterator;
        let records = streams
            .get_records()
            .set_shard_iterator(iterator)
            .limit(1000)
            .send()
            .await
            .expect("the records")
            .records
            .unwrap_or_default();
        (arn, records)
    }

    /// The store as a reader at `now`: what reads see once that time has come.
    pub fn store_at(&self, now: time::OffsetDateTime) -> DynamoStore {
        self.store
            .clone()
            .with_clock(std::sync::Arc::new(tifli::ports::FixedClock(now)))
    }
}
