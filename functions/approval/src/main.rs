//! The approval function: the review queue, a report with its history, and the actions
//! on a report, behind API Gateway's JWT authorizer.

use std::sync::Arc;

use tifli::ports::SystemClock;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME is not set")?;
    let policy = tifli::config::alert_policy_from_env()?;
    let retention = tifli::config::retention_from_env()?;
    let config = tifli::sdk_config::from_lambda_environment();
    let store =
        DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table).with_retention(retention);
    let router = tifli::http::approval::router(store, Arc::new(SystemClock), policy);
    lambda_http::run(router).await
}
