//! The card function: `/a/{id}/card.png`, read-only. Apart from the public function so
//! that neither carries what only the other needs: the drawing code, its fonts and the
//! photo's card rendition here, the page, the feeds and the sightings there.

use tifli::config;
use tifli::deferred::Deferred;
use tifli::sdk_config;
use tifli::store::dynamodb::DynamoStore;
use tifli::store::s3::S3Photos;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let bucket = config::photos_bucket(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let store = DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    // Only a card with a photo reads the bucket.
    let photos = S3Photos::new(Deferred::new(move || S3Photos::client(&config)), bucket);
    lambda_http::run(tifli::http::card::router(store, photos)).await
}
