//! `tifli-replay`: sends the versions on the fan-out's failure queue to the fan-out
//! again. See "Replaying the failure queue" in docs/RELIABILITY.md.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Replays the fan-out's failure queue into the publication ledger")]
struct Args {
    /// The failure queue (the stack's FanoutFailureQueueUrl output).
    #[arg(long)]
    queue_url: String,
    /// The table (the stack's TableName output).
    #[arg(long)]
    table: String,
    /// The local stack's emulator, e.g. http://127.0.0.1:5000; without it, AWS with the
    /// usual credentials and region (AWS_PROFILE, AWS_REGION, ...).
    #[arg(long)]
    endpoint_url: Option<String>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tifli::telemetry::init_stderr();
    let args = Args::parse();
    let config = match &args.endpoint_url {
        Some(endpoint) => tifli_local::aws::emulator_config(endpoint).await,
        None => aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await,
    };
    let ledger = tifli::store::dynamodb::DynamoStore::new(
        aws_sdk_dynamodb::Client::new(&config),
        &args.table,
    );
    let sqs = aws_sdk_sqs::Client::new(&config);
    let now = time::OffsetDateTime::now_utc();
    let done = tifli_local::replay::replay(&sqs, &args.queue_url, &ledger, now).await?;
    println!(
        "replayed {}, already published or purged {}, left on the queue {}",
        done.replayed,
        done.settled,
        done.left.len()
    );
    for body in &done.left {
        println!("left: {body}");
    }
    Ok(())
}
