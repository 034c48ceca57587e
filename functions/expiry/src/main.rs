//! The expiry function, run every minute by EventBridge Scheduler with
//! `{"time": "<aws.scheduler.scheduled-time>"}`.

use std::time::Duration;

use lambda_runtime::{Error, LambdaEvent, service_fn};
use tifli::config;
use tifli::expiry::{ScheduledRun, scheduled};
use tifli::sdk_config;
use tifli::store::dynamodb::DynamoStore;

/// Left of the function's time when a run stops taking more work.
const MARGIN: Duration = Duration::from_secs(5);

#[tokio::main]
async fn main() -> Result<(), Error> {
    tifli::telemetry::init();
    let table = config::table_name(config::env)?;
    let retention = config::retention(config::env)?;
    let review = config::review(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let store =
        DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table).with_retention(retention);
    let (store, review) = (&store, &review);
    lambda_runtime::run(service_fn(
        move |event: LambdaEvent<ScheduledRun>| async move {
            let budget = event
                .context
                .deadline()
                .duration_since(std::time::SystemTime::now())
                .unwrap_or_default();
            Ok::<_, Error>(
                scheduled(store, event.payload, budget.saturating_sub(MARGIN), review).await?,
            )
        },
    ))
    .await
}
