//! The approval function: the review queue, a report with its history, the actions on a
//! report and photo uploads, behind API Gateway's JWT authorizer.

use std::sync::Arc;

use tifli::config;
use tifli::ports::SystemClock;
use tifli::sdk_config;
use tifli::store::dynamodb::DynamoStore;
use tifli::uploads::{Bucket, S3PostSigner};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let policy = config::alert_policy(config::env)?;
    let retention = config::retention(config::env)?;
    // The preview shows the Alert the fan-out would publish: the same sender and pages.
    let issuer = tifli::fanout::Issuer::new(
        config::cap_sender(config::env)?,
        &config::page_base_or_api(config::env)?,
    );
    let bucket = config::photos_bucket(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let store =
        DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table).with_retention(retention);
    let uploads = S3PostSigner {
        bucket: Bucket::new(
            &bucket,
            config.region().map_or("", |r| r.as_ref()),
            config.endpoint_url(),
        ),
        credentials: config
            .credentials_provider()
            .ok_or("no credentials provider")?,
    };
    let router =
        tifli::http::approval::router(store, Arc::new(SystemClock), policy, issuer, uploads);
    lambda_http::run(router).await
}
