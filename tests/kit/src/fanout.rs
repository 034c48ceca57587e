//! The fan-out side of a test stack: the topics, the table's stream played into the
//! fan-out handler, and queues subscribed to a topic with filter policies.

use std::sync::Arc;

use tifli::fanout::{Message, Topic, Topics};

use crate::stack::{TABLE, TOPICS, TestStack};
use crate::wait::{self, BOUND};

/// The fan-out side of a test stack: the topics, and the emulated stream event source
/// feeding the fan-out handler, which publishes to them.
pub struct FanOut {
    /// The alerts topic.
    pub topic_arn: String,
    pub topics: Topics,
    pub sns: aws_sdk_sns::Client,
    pub sqs: aws_sdk_sqs::Client,
    /// Where the handler sets aside what it can never publish.
    pub failure_queue: String,
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

impl tifli::fanout::Publisher for Recording {
    async fn publish(&self, message: &Message) -> Result<(), tifli::fanout::PublishError> {
        self.inner.publish(message).await?;
        self.published
            .lock()
            .expect("published")
            .push(message.identifier());
        Ok(())
    }
}

impl Drop for FanOut {
    fn drop(&mut self) {
        self.poller.abort();
    }
}

impl TestStack {
    /// Creates the topics and starts polling the table's stream into the fan-out handler.
    pub async fn fan_out(&self) -> FanOut {
        self.fan_out_with(&self.config).await
    }

    /// As [`Self::fan_out`], the handler publishing through a client of `publishing`.
    pub async fn fan_out_with(&self, publishing: &aws_config::SdkConfig) -> FanOut {
        self.fan_out_from(tifli_local::streams::Start::Oldest, publishing)
            .await
    }

    /// As [`Self::fan_out`], polling from `start`: from `Latest`, what the stream holds
    /// already is lost to the fan-out.
    pub async fn fan_out_from(
        &self,
        start: tifli_local::streams::Start,
        publishing: &aws_config::SdkConfig,
    ) -> FanOut {
        let sns = aws_sdk_sns::Client::new(&self.config);
        let topics = tifli_local::aws::ensure_topics(&sns, TOPICS)
            .await
            .expect("the topics");
        let published = Arc::default();
        let publisher = Recording {
            inner: tifli::sns::SnsPublisher::new(
                aws_sdk_sns::Client::new(publishing),
                topics.clone(),
            ),
            published: Arc::clone(&published),
        };
        let streams = aws_sdk_dynamodbstreams::Client::new(&self.config);
        let sqs = aws_sdk_sqs::Client::new(&self.config);
        let failure_queue =
            tifli_local::aws::ensure_queue(&sqs, &format!("{TOPICS}-fanout-failures"))
                .await
                .expect("the failure queue");
        let outlets = tifli::stream::Outlets {
            publisher,
            ledger: tifli::store::dynamodb::DynamoStore::new(self.client.clone(), TABLE),
            failures: tifli::sqs::SqsFailureQueue::new(sqs.clone(), failure_queue.clone()),
            issuer: crate::stack::issuer(),
            signing: self.signing(),
        };
        let poller = tokio::spawn({
            let dynamodb = self.client.clone();
            async move {
                let outcome =
                    tifli_local::streams::run_from(start, dynamodb, streams, TABLE.into(), outlets)
                        .await;
                if let Err(e) = outcome {
                    panic!("the stream poller stopped: {e}");
                }
            }
        });
        FanOut {
            topic_arn: topics.alerts.clone(),
            topics,
            sns,
            sqs,
            failure_queue,
            published,
            poller,
        }
    }
}

impl FanOut {
    /// Stops the emulated event source: what the stream carries next waits in it.
    pub fn stop(&self) {
        self.poller.abort();
    }

    /// A queue subscribed to the topic with `filter` as its filter policy (on message
    /// attributes); its URL.
    pub async fn subscribe_queue(&self, name: &str, filter: Option<serde_json::Value>) -> String {
        subscribe_queue(&self.sqs, &self.sns, &self.topic_arn, name, filter).await
    }

    /// A queue subscribed to `topic` with `filter`; its URL.
    pub async fn subscribe_to(
        &self,
        topic: Topic,
        name: &str,
        filter: Option<serde_json::Value>,
    ) -> String {
        let arn = self.topics.arn(topic).to_owned();
        subscribe_queue(&self.sqs, &self.sns, &arn, name, filter).await
    }

    /// The first `want` alert envelopes to reach the queue, waiting for them at most
    /// [`BOUND`]; what is read is deleted, so that a later read never sees it again.
    pub async fn receive(&self, queue_url: &str, want: usize) -> Vec<serde_json::Value> {
        let deadline = tokio::time::Instant::now() + BOUND;
        let mut envelopes = Vec::new();
        loop {
            let read = self.read(queue_url).await;
            let empty = read.is_empty();
            envelopes.extend(read);
            if envelopes.len() >= want {
                return envelopes;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{queue_url} received {} of {want} messages in {BOUND:?}",
                envelopes.len()
            );
            if empty {
                // Short polls: the emulator serves one request at a time, and a long
                // poll would hold up the fan-out it is waiting for.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }

    /// A queue subscribed as a broadcaster of `region` would: `{"regions": [region]}`.
    pub async fn subscribe_region(&self, name: &str, region: &str) -> String {
        let filter = serde_json::json!({ "regions": [region] });
        self.subscribe_queue(name, Some(filter)).await
    }

    /// A queue subscribed as a subscriber at a point would: the six prefixes of the
    /// point's geohash as `cells`.
    pub async fn subscribe_point(&self, name: &str, lat: f64, lon: f64) -> String {
        let filter = serde_json::json!({ "cells": tifli::domain::cells::point_prefixes(lat, lon) });
        self.subscribe_queue(name, Some(filter)).await
    }

    /// Waits until SNS has accepted the message `identifier`. The emulator delivers a
    /// message to its queues within the Publish call, so from then on every queue it
    /// was for holds it, and a queue that does not ([`Self::holds`]) never will.
    pub async fn published(&self, identifier: &str) {
        let published = &self.published;
        wait::until(&format!("SNS to accept {identifier}"), || async move {
            published
                .lock()
                .expect("published")
                .iter()
                .any(|p| p == identifier)
                .then_some(())
        })
        .await;
    }

    /// What the fan-out set aside on its failure queue, once something is there: read
    /// without taking it, so that a replay finds it at once.
    pub async fn set_aside(&self) -> Vec<serde_json::Value> {
        wait::until("a record on the failure queue", || async {
            let out = self
                .sqs
                .receive_message()
                .queue_url(&self.failure_queue)
                .max_number_of_messages(10)
                .visibility_timeout(0)
                .send()
                .await
                .expect("receive");
            let bodies: Vec<serde_json::Value> = out
                .messages()
                .iter()
                .map(|m| serde_json::from_str(m.body().unwrap_or("null")).expect("JSON"))
                .collect();
            (!bodies.is_empty()).then_some(bodies)
        })
        .await
    }

    /// What the queue holds now, read (and deleted) in one pass.
    pub async fn holds(&self, queue_url: &str) -> Vec<serde_json::Value> {
        let mut envelopes = Vec::new();
        loop {
            let read = self.read(queue_url).await;
            if read.is_empty() {
                return envelopes;
            }
            envelopes.extend(read);
        }
    }

    /// One receive of up to ten envelopes, deleted once read.
    async fn read(&self, queue_url: &str) -> Vec<serde_json::Value> {
        let out = self
            .sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .send()
            .await
            .expect("receive");
        let mut envelopes = Vec::new();
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
        envelopes
    }
}

/// A queue `name` subscribed to `topic_arn` with `filter` as its filter policy (on
/// message attributes), as a partner would subscribe one; its URL.
pub async fn subscribe_queue(
    sqs: &aws_sdk_sqs::Client,
    sns: &aws_sdk_sns::Client,
    topic_arn: &str,
    name: &str,
    filter: Option<serde_json::Value>,
) -> String {
    use aws_sdk_sqs::types::QueueAttributeName::QueueArn;
    let url = sqs
        .create_queue()
        .queue_name(name)
        .send()
        .await
        .expect("queue")
        .queue_url
        .expect("url");
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueArn)
        .send()
        .await
        .expect("queue attributes");
    let arn = attributes
        .attributes
        .and_then(|a| a.get(&QueueArn).cloned())
        .expect("queue arn");
    sns.subscribe()
        .topic_arn(topic_arn)
        .protocol("sqs")
        .endpoint(arn)
        .set_attributes(filter.map(|f| [("FilterPolicy".to_owned(), f.to_string())].into()))
        .send()
        .await
        .expect("subscription");
    url
}
