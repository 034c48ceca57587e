//! `tifli-demo`: the five-minute tour against a running local stack (see README.md).

use clap::Parser;

#[derive(Debug, Parser)]
#[command(about = "Files, approves, updates, widens and resolves an alert on the local stack")]
struct Args {
    /// The local stack's API.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    api: String,
}

fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let args = Args::parse();
    tifli_local::demo::run(&args.api, &mut std::io::stdout())
}
