//! The photo function: an upload's `ObjectCreated` event in, its renditions in the
//! bucket and a new version of its report out; and, from the table's stream, the public
//! renditions deleted when an alert ends and the uploads when a report is purged.

use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;
use tifli::config;
use tifli::photo::Photos;
use tifli::sdk_config;
use tifli::store::dynamodb::DynamoStore;
use tifli::store::s3::S3Photos;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let bucket = config::photos_bucket(config::env)?;
    let base = config::page_base(config::env)?;
    let retention = config::retention(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let photos = Photos {
        // A photo's Update enters the publication ledger, whose purge follows retention.
        store: DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table)
            .with_retention(retention),
        objects: S3Photos::new(S3Photos::client(&config), bucket),
        base,
    };
    let photos = &photos;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let now = time::OffsetDateTime::now_utc();
        tifli::photo::events::handle(photos, event.payload, now)
            .await
            .map_err(Error::from)
    }))
    .await
}
