//! The public function: `/alerts`, `/alerts/{id}`, `/alerts/{id}/cap`, `/alerts.atom`,
//! without credentials, read-only.

use std::sync::Arc;

use tifli::domain::cap::Sender;
use tifli::ports::SystemClock;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = std::env::var("TABLE_NAME").map_err(|_| "TABLE_NAME is not set")?;
    let sender = std::env::var("CAP_SENDER").map_err(|_| "CAP_SENDER is not set")?;
    let sender = Sender::new(&sender).ok_or("CAP_SENDER must have no spaces or commas")?;
    let config = tifli::sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    lambda_http::run(tifli::http::public::router(
        store,
        sender,
        Arc::new(SystemClock),
    ))
    .await
}
