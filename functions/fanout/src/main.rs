//! The fan-out function: DynamoDB Stream records of reports in, one SNS Publish per
//! public change (on the alerts or the exercises topic) or case event out.

use aws_lambda_events::dynamodb::Event;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use tifli::config;
use tifli::sns::SnsPublisher;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tifli::telemetry::init();
    let topics = config::topics(config::env)?;
    let issuer = tifli::fanout::Issuer::new(
        config::cap_sender(config::env)?,
        &config::page_base(config::env)?,
    );
    let table = config::table_name(config::env)?;
    let config = tifli::sdk_config::from_lambda_environment();
    let publisher = SnsPublisher::new(aws_sdk_sns::Client::new(&config), topics);
    // The publication ledger: which versions SNS accepted.
    let ledger =
        tifli::store::dynamodb::DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table);
    let (publisher, ledger, issuer) = (&publisher, &ledger, &issuer);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| async move {
        Ok::<_, Error>(tifli::stream::handle(event.payload, publisher, ledger, issuer).await)
    }))
    .await
}
