//! The intake function: `POST /reports` behind API Gateway's JWT authorizer.

use std::sync::Arc;

use tifli::ports::SystemClock;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME is not set")?;
    let config = tifli::sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    lambda_http::run(tifli::http::intake::router(store, Arc::new(SystemClock))).await
}
