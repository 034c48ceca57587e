//! The fan-out function: DynamoDB Stream records of reports in, one SNS Publish per
//! public change out.

use aws_lambda_events::dynamodb::Event;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use tifli::domain::cap::Sender;
use tifli::sns::SnsPublisher;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tifli::telemetry::init();
    let topic = std::env::var("TOPIC_ARN").map_err(|_| "TOPIC_ARN is not set")?;
    let sender = std::env::var("CAP_SENDER").map_err(|_| "CAP_SENDER is not set")?;
    let sender = Sender::new(&sender).ok_or("CAP_SENDER must have no spaces or commas")?;
    let config = tifli::sdk_config::from_lambda_environment();
    let publisher = SnsPublisher::new(aws_sdk_sns::Client::new(&config), topic);
    let (publisher, sender) = (&publisher, &sender);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| async move {
        Ok::<_, Error>(tifli::stream::handle(event.payload, publisher, sender).await)
    }))
    .await
}
