//! The intake function: `POST /reports` behind API Gateway's JWT authorizer.

use std::sync::Arc;

use tifli::config;
use tifli::ports::SystemClock;
use tifli::sdk_config;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    lambda_http::run(tifli::http::intake::router(store, Arc::new(SystemClock))).await
}
