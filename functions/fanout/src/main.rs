//! The fan-out function: DynamoDB Stream records of reports in, one SNS Publish per
//! public change (on the alerts or the exercises topic) or case event out; what can never
//! be published, to the failure queue. Every CAP message is signed by the KMS key.

use aws_lambda_events::dynamodb::Event;
use lambda_runtime::{Error, LambdaEvent, service_fn};
use tifli::config;
use tifli::deferred::Deferred;
use tifli::kms::KmsKey;
use tifli::sdk_config;
use tifli::signing::Signing;
use tifli::sns::SnsPublisher;
use tifli::sqs::SqsFailureQueue;
use tifli::store::dynamodb::DynamoStore;

#[tokio::main]
async fn main() -> Result<(), Error> {
    tifli::telemetry::init();
    let topics = config::topics(config::env)?;
    let issuer = tifli::fanout::Issuer::new(
        config::cap_sender(config::env)?,
        &config::page_base(config::env)?,
    );
    let table = config::table_name(config::env)?;
    let failure_queue = config::failure_queue_url(config::env)?;
    // Only the current key signs; the previous one is the public function's to list.
    let keys = config::signing_keys(config::env)?;
    let config = sdk_config::from_lambda_environment();
    let outlets = tifli::stream::Outlets {
        publisher: SnsPublisher::new(aws_sdk_sns::Client::new(&config), topics),
        // The publication ledger: which versions SNS accepted.
        ledger: DynamoStore::new(aws_sdk_dynamodb::Client::new(&config), table),
        // Only a record set aside reaches the queue.
        failures: SqsFailureQueue::new(
            Deferred::new({
                let config = config.clone();
                move || aws_sdk_sqs::Client::new(&config)
            }),
            failure_queue,
        ),
        issuer,
        signing: Signing::new(KmsKey::new(
            aws_sdk_kms::Client::new(&config),
            keys.current,
            None,
        )),
    };
    let outlets = &outlets;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Event>| async move {
        Ok::<_, Error>(outlets.handle(event.payload).await)
    }))
    .await
}
