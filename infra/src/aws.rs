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

/// The CAP signing key as `template.yaml` declares it (RSA-2048, for signing only),
/// found by its alias or created with it; its ARN.
pub async fn ensure_signing_key(
    client: &aws_sdk_kms::Client,
    alias: &str,
) -> Result<String, aws_sdk_kms::Error> {
    use aws_sdk_kms::operation::describe_key::DescribeKeyError;
    use aws_sdk_kms::types::{KeySpec, KeyUsageType};
    match client.describe_key().key_id(alias).send().await {
        Ok(found) => {
            return Ok(found
                .key_metadata
                .map(|m| m.arn.unwrap_or_default())
                .unwrap_or_default());
        }
        Err(e)
            if matches!(
                e.as_service_error(),
                Some(DescribeKeyError::NotFoundException(_))
            ) => {}
        Err(e) => return Err(e.into()),
    }
    let created = client
        .create_key()
        .key_spec(KeySpec::Rsa2048)
        .key_usage(KeyUsageType::SignVerify)
        .description("Signs Tifli's CAP messages (local)")
        .send()
        .await?;
    let metadata = created
        .key_metadata
        .expect("KMS describes the key it created");
    client
        .create_alias()
        .alias_name(alias)
        .target_key_id(&metadata.key_id)
        .send()
        .await?;
    Ok(metadata.arn.unwrap_or_default())
}

/// A queue, created if missing (CreateQueue is idempotent by name); its URL.
pub async fn ensure_queue(
    client: &aws_sdk_sqs::Client,
    name: &str,
) -> Result<String, aws_sdk_sqs::Error> {
    let created = client.create_queue().queue_name(name).send().await?;
    Ok(created.queue_url.unwrap_or_default())
}
