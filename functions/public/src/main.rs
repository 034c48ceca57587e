//! The public function: `/alerts`, `/alerts/{id}`, `/alerts/{id}/cap` (signed),
//! `/alerts.atom`, `/.well-known/cap-signing-keys`, the alert pages and their sightings,
//! without credentials.

use std::sync::Arc;

use tifli::config;
use tifli::deferred::Deferred;
use tifli::kms::KmsKey;
use tifli::ports::SystemClock;
use tifli::sdk_config;
use tifli::signing::Signing;
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
    let keys = config::signing_keys(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    // Only the CAP routes sign.
    let kms = Deferred::new(move || aws_sdk_kms::Client::new(&config));
    let key = KmsKey::new(kms, keys.current, keys.previous);
    lambda_http::run(tifli::http::public::router(
        store,
        issuer,
        Arc::new(SystemClock),
        Signing::new(key),
    ))
    .await
}
