//! The local stack's demo subscribers: one SQS queue per region with a region filter,
//! one catch-all queue of the alerts topic, one of the exercises topic (`drills`), one of
//! the case-events topic (`staff`), and a watcher that logs each delivery in one line and keeps
//! them for `GET /dev/deliveries`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_sqs::types::QueueAttributeName;
use serde::Serialize;
use tifli::domain::Region;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Deliveries kept for `GET /dev/deliveries`, the oldest dropped first.
const KEPT: usize = 1_000;
const POLL: Duration = Duration::from_millis(500);

/// A demo subscriber: its name (a region code, `all`, `drills` or `staff`) and its queue.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub name: String,
    pub queue_url: String,
}

/// One message a demo subscriber received: what identifies it, never its texts.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub subscriber: String,
    pub identifier: String,
    pub msg_type: String,
    pub status: String,
    pub alert_id: String,
    pub version: u64,
    /// The circle, as CAP has it: `lat,lon radius_km`.
    pub circle: String,
}

pub type Deliveries = Arc<Mutex<Vec<Delivery>>>;

async fn queue(sqs: &aws_sdk_sqs::Client, name: &str) -> Result<(String, String), Error> {
    let url = sqs
        .create_queue()
        .queue_name(name)
        .send()
        .await?
        .queue_url
        .ok_or("no queue URL")?;
    let arn = sqs
        .get_queue_attributes()
        .queue_url(&url)
        .attribute_names(QueueAttributeName::QueueArn)
        .send()
        .await?
        .attributes
        .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
        .ok_or("no queue ARN")?;
    Ok((url, arn))
}

/// Creates the fan-out's dead-letter queue and the demo subscribers, subscribed to
/// `topics` (both idempotent).
pub async fn provision(
    sqs: &aws_sdk_sqs::Client,
    sns: &aws_sdk_sns::Client,
    topics: &tifli::fanout::Topics,
) -> Result<Vec<Subscriber>, Error> {
    queue(sqs, "tifli-fanout-dead-letters").await?;
    let mut wanted: Vec<(String, &str, Option<String>)> = Region::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_owned(),
                topics.alerts.as_str(),
                Some(serde_json::json!({ "regions": [r.code()] }).to_string()),
            )
        })
        .collect();
    wanted.push(("all".to_owned(), &topics.alerts, None));
    wanted.push(("drills".to_owned(), &topics.exercises, None));
    wanted.push(("staff".to_owned(), &topics.case_events, None));
    let mut subscribers = Vec::new();
    for (name, topic_arn, filter) in wanted {
        let (queue_url, arn) = queue(sqs, &format!("tifli-demo-{}", name.to_lowercase())).await?;
        sns.subscribe()
            .topic_arn(topic_arn)
            .protocol("sqs")
            .endpoint(arn)
            .set_attributes(filter.map(|f| [("FilterPolicy".to_owned(), f)].into()))
            .send()
            .await?;
        subscribers.push(Subscriber { name, queue_url });
    }
    Ok(subscribers)
}

fn delivery(subscriber: &str, body: &str) -> Option<Delivery> {
    let notification: serde_json::Value = serde_json::from_str(body).ok()?;
    let envelope: serde_json::Value =
        serde_json::from_str(notification["Message"].as_str()?).ok()?;
    // A case event names its report and what happened to it.
    if let Some(event) = envelope["event"].as_str() {
        let report_id = envelope["report_id"].as_str().unwrap_or("");
        let version = envelope["version"].as_u64().unwrap_or(0);
        return Some(Delivery {
            subscriber: subscriber.to_owned(),
            identifier: format!("{event}-{report_id}-{version}"),
            msg_type: event.to_owned(),
            status: String::new(),
            alert_id: report_id.to_owned(),
            version,
            circle: String::new(),
        });
    }
    let cap = envelope["cap"].as_str().unwrap_or("");
    let circle = cap
        .split("<circle>")
        .nth(1)
        .and_then(|rest| rest.split("</circle>").next())
        .unwrap_or("")
        .to_owned();
    Some(Delivery {
        subscriber: subscriber.to_owned(),
        identifier: envelope["identifier"].as_str()?.to_owned(),
        msg_type: envelope["msg_type"].as_str()?.to_owned(),
        status: envelope["status"].as_str().unwrap_or("").to_owned(),
        alert_id: envelope["alert_id"].as_str().unwrap_or("").to_owned(),
        version: envelope["version"].as_u64().unwrap_or(0),
        circle,
    })
}

/// Receives from every demo queue until the task is dropped. Short polls: the emulator
/// serves one request at a time, and a long poll would hold everyone else up.
pub async fn watch(sqs: aws_sdk_sqs::Client, subscribers: Vec<Subscriber>, deliveries: Deliveries) {
    loop {
        for subscriber in &subscribers {
            let Ok(out) = sqs
                .receive_message()
                .queue_url(&subscriber.queue_url)
                .max_number_of_messages(10)
                .send()
                .await
            else {
                continue;
            };
            for message in out.messages.unwrap_or_default() {
                if let Some(d) = message.body().and_then(|b| delivery(&subscriber.name, b)) {
                    tracing::info!(
                        "delivery {:>5} <- {} {} {} (circle {})",
                        d.subscriber,
                        d.msg_type,
                        d.status,
                        d.identifier,
                        d.circle
                    );
                    if let Ok(mut kept) = deliveries.lock() {
                        if kept.len() == KEPT {
                            kept.remove(0);
                        }
                        kept.push(d);
                    }
                }
                if let Some(receipt) = message.receipt_handle() {
                    let _ = sqs
                        .delete_message()
                        .queue_url(&subscriber.queue_url)
                        .receipt_handle(receipt)
                        .send()
                        .await;
                }
            }
        }
        tokio::time::sleep(POLL).await;
    }
}
