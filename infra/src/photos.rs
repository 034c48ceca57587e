//! The photos bucket, emulated: created as the template declares it, its uploads'
//! `ObjectCreated` notifications played into the photo handler (through a queue, as the
//! emulator delivers them), and its public renditions served at `/p/...` as CloudFront
//! serves them from the bucket.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_s3::types::{
    BucketLifecycleConfiguration, Event as S3Event, ExpirationStatus, FilterRule, FilterRuleName,
    LifecycleExpiration, LifecycleRule, LifecycleRuleFilter, NotificationConfiguration,
    NotificationConfigurationFilter, PublicAccessBlockConfiguration, QueueConfiguration,
    S3KeyFilter, ServerSideEncryption, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, ServerSideEncryptionRule,
};
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tifli::domain::photo::{RENDITIONS_PREFIX, UPLOADS_PREFIX};
use tifli::photo::Photos;
use tifli::ports::{PhotoObjects, ReportReader, ReportWriter};
use tifli::store::s3::S3Photos;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The wait between two polls of a quiet uploads queue.
const QUIET: Duration = Duration::from_millis(250);

/// The lifecycle backstops, as in template.yaml: renditions outlive no alert (24 hours
/// in review and 72 active at most, and a day's margin), uploads no report's retention.
pub const RENDITIONS_EXPIRE_DAYS: i32 = 5;
pub const UPLOADS_EXPIRE_DAYS: i32 = 3660;

fn rule(id: &str, prefix: &str, days: i32) -> Result<LifecycleRule, Error> {
    Ok(LifecycleRule::builder()
        .id(id)
        .status(ExpirationStatus::Enabled)
        .filter(LifecycleRuleFilter::builder().prefix(prefix).build())
        .expiration(LifecycleExpiration::builder().days(days).build())
        .build()?)
}

/// The bucket, private and encrypted, with its lifecycle rules and its uploads'
/// notifications sent to a queue; the queue's URL.
pub async fn ensure_bucket(
    s3: &aws_sdk_s3::Client,
    sqs: &aws_sdk_sqs::Client,
    bucket: &str,
) -> Result<String, Error> {
    if s3.head_bucket().bucket(bucket).send().await.is_err() {
        s3.create_bucket().bucket(bucket).send().await?;
    }
    s3.put_public_access_block()
        .bucket(bucket)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(true)
                .block_public_policy(true)
                .ignore_public_acls(true)
                .restrict_public_buckets(true)
                .build(),
        )
        .send()
        .await?;
    s3.put_bucket_encryption()
        .bucket(bucket)
        .server_side_encryption_configuration(
            ServerSideEncryptionConfiguration::builder()
                .rules(
                    ServerSideEncryptionRule::builder()
                        .apply_server_side_encryption_by_default(
                            ServerSideEncryptionByDefault::builder()
                                .sse_algorithm(ServerSideEncryption::Aes256)
                                .build()?,
                        )
                        .build(),
                )
                .build()?,
        )
        .send()
        .await?;
    s3.put_bucket_lifecycle_configuration()
        .bucket(bucket)
        .lifecycle_configuration(
            BucketLifecycleConfiguration::builder()
                .rules(rule(
                    "renditions",
                    RENDITIONS_PREFIX,
                    RENDITIONS_EXPIRE_DAYS,
                )?)
                .rules(rule("uploads", UPLOADS_PREFIX, UPLOADS_EXPIRE_DAYS)?)
                .build()?,
        )
        .send()
        .await?;
    let queue = crate::aws::ensure_queue(sqs, &format!("{bucket}-uploads")).await?;
    let arn = sqs
        .get_queue_attributes()
        .queue_url(&queue)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await?
        .attributes()
        .and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn))
        .cloned()
        .ok_or("the uploads queue has no ARN")?;
    s3.put_bucket_notification_configuration()
        .bucket(bucket)
        .notification_configuration(
            NotificationConfiguration::builder()
                .queue_configurations(
                    QueueConfiguration::builder()
                        .id("uploads")
                        .queue_arn(arn)
                        .events(S3Event::from("s3:ObjectCreated:*"))
                        .filter(
                            NotificationConfigurationFilter::builder()
                                .key(
                                    S3KeyFilter::builder()
                                        .filter_rules(
                                            FilterRule::builder()
                                                .name(FilterRuleName::Prefix)
                                                .value(UPLOADS_PREFIX)
                                                .build(),
                                        )
                                        .build(),
                                )
                                .build(),
                        )
                        .build()?,
                )
                .build(),
        )
        .send()
        .await?;
    Ok(queue)
}

/// Plays the bucket's notifications into the photo handler until the task is dropped.
/// A message whose uploads fail stays on the queue and comes back, as Lambda retries an
/// asynchronous invocation. Short polls, a quarter of a second apart: the emulator
/// serves one request at a time, and a long poll would hold every other caller up.
pub async fn play_uploads<S: ReportReader + ReportWriter, O: PhotoObjects>(
    sqs: aws_sdk_sqs::Client,
    queue: String,
    photos: Arc<Photos<S, O>>,
) {
    loop {
        let received = sqs
            .receive_message()
            .queue_url(&queue)
            .max_number_of_messages(10)
            .visibility_timeout(5)
            .send()
            .await;
        let messages = match received {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(e) => {
                tracing::error!(error = %e, "uploads queue unreadable");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if messages.is_empty() {
            tokio::time::sleep(QUIET).await;
        }
        for message in messages {
            let event: serde_json::Value = message
                .body()
                .and_then(|b| serde_json::from_str(b).ok())
                .unwrap_or_default();
            let handled =
                tifli::photo::events::on_uploads(&photos, &event, time::OffsetDateTime::now_utc())
                    .await;
            match handled {
                Ok(_) => {
                    if let Some(receipt) = message.receipt_handle() {
                        let _ = sqs
                            .delete_message()
                            .queue_url(&queue)
                            .receipt_handle(receipt)
                            .send()
                            .await;
                    }
                }
                Err(e) => tracing::error!(error = %e, "upload failed; it will be tried again"),
            }
        }
    }
}

/// `GET /p/{*key}`: a public rendition, as CloudFront serves the bucket's `p/` prefix.
pub async fn rendition(
    State(bucket): State<Arc<(aws_sdk_s3::Client, String)>>,
    Path(key): Path<String>,
) -> Response {
    let key = format!("{RENDITIONS_PREFIX}{key}");
    let got = bucket
        .0
        .get_object()
        .bucket(&bucket.1)
        .key(&key)
        .send()
        .await;
    let Ok(object) = got else {
        return (StatusCode::NOT_FOUND, "no such photo").into_response();
    };
    let content_type = object
        .content_type()
        .unwrap_or("application/octet-stream")
        .to_owned();
    let cache = object
        .cache_control()
        .unwrap_or(tifli::store::s3::RENDITION_CACHE)
        .to_owned();
    match object.body.collect().await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, cache),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes.into_bytes(),
        )
            .into_response(),
        Err(_) => (StatusCode::BAD_GATEWAY, "photo unreadable").into_response(),
    }
}

/// The photo function's parts over the emulator's bucket.
pub fn objects(s3: &aws_sdk_s3::Client, bucket: &str) -> S3Photos {
    S3Photos::new(s3.clone(), bucket)
}
