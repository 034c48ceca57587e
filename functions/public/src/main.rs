//! The public function: `/alerts`, `/alerts/{id}`, `/alerts/{id}/cap`, `/alerts.atom`,
//! without credentials, read-only.

use std::sync::Arc;

use tifli::config;
use tifli::ports::SystemClock;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    // Who the CAP messages come from, and the public base URL of the feed's links.
    let issuer = tifli::fanout::Issuer::new(
        config::cap_sender(config::env)?,
        &config::page_base_or_api(config::env)?,
    );
    let config = tifli::sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    lambda_http::run(tifli::http::public::router(
        store,
        issuer,
        Arc::new(SystemClock),
    ))
    .await
}
