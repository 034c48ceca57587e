//! The card function: `/a/{id}/card.png`, without credentials, read-only. Apart from the
//! public function so that neither carries what only the other needs: the drawing code
//! and its fonts here, the page, the feeds and the sightings there.

use tifli::config;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let config = tifli::sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    lambda_http::run(tifli::http::card::router(store)).await
}
