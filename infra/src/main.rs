//! `tifli-local`: the whole system on one machine. See README.md.

use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Runs Tifli locally against the AWS emulator")]
struct Args {
    /// Address to serve the API on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    #[arg(long, default_value_t = 3000)]
    port: u16,
    /// The emulator; started on this port when nothing answers there (port 0: on a free
    /// port, whatever else runs).
    #[arg(long, default_value = "http://127.0.0.1:5000")]
    emulator: String,
    /// The DynamoDB table, created when missing.
    #[arg(long, default_value = "tifli-local")]
    table: String,
    /// The SNS topics' prefix: `<prefix>-alerts`, `<prefix>-exercises` and
    /// `<prefix>-case-events`, created when missing.
    #[arg(long, default_value = "tifli")]
    topics: String,
    /// The photos bucket, created when missing.
    #[arg(long, default_value = "tifli-photos")]
    bucket: String,
    /// The CAP sender of the messages.
    #[arg(long, default_value = "tifli@localhost")]
    sender: String,
    /// Also stop when standard input closes (for a process that starts the runner and
    /// must not leave it behind).
    #[arg(long)]
    stop_with_stdin: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tifli::telemetry::init_stderr();
    let args = Args::parse();
    tifli_local::run::run(tifli_local::run::Options {
        host: args.host,
        port: args.port,
        emulator: args.emulator,
        table: args.table,
        topics: args.topics,
        bucket: args.bucket,
        sender: args.sender,
        stop_with_stdin: args.stop_with_stdin,
    })
    .await
}
