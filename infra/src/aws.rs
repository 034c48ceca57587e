//! SDK configuration for the emulator: its endpoint, a fixed region and dummy
//! credentials, through the SDK's own settings (as `AWS_ENDPOINT_URL` would).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;

pub const REGION: &str = "us-east-1";

pub async fn emulator_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            "testing", "testing", None, None, "emulator",
        ))
        .load()
        .await
}

/// The three topics, `<prefix>-alerts`, `<prefix>-exercises` and `<prefix>-case-events`,
/// created if missing; their ARNs.
pub async fn ensure_topics(
    client: &aws_sdk_sns::Client,
    prefix: &str,
) -> Result<tifli::fanout::Topics, aws_sdk_sns::Error> {
    Ok(tifli::fanout::Topics {
        alerts: ensure_topic(client, &format!("{prefix}-alerts")).await?,
        exercises: ensure_topic(client, &format!("{prefix}-exercises")).await?,
        case_events: ensure_topic(client, &format!("{prefix}-case-events")).await?,
    })
}

/// A topic, created if missing (CreateTopic is idempotent by name); its ARN.
pub async fn ensure_topic(
    client: &aws_sdk_sns::Client,
    name: &str,
) -> Result<String, aws_sdk_sns::Error> {
    let created = client.create_topic().name(name).send().await?;
    Ok(created.topic_arn.unwrap_or_default())
}

/// A queue, created if missing (CreateQueue is idempotent by name); its URL.
pub async fn ensure_queue(
    client: &aws_sdk_sqs::Client,
    name: &str,
) -> Result<String, aws_sdk_sqs::Error> {
    let created = client.create_queue().queue_name(name).send().await?;
    Ok(created.queue_url.unwrap_or_default())
}
