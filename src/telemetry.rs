//! Logging for every entry point: JSON lines in Lambda (when its log format is JSON),
//! readable lines locally.
//!
//! Only Tifli's own code logs below `info`. At `trace`, the Lambda runtime logs every raw
//! event and the SDK every request body: both hold a child's name and description, so
//! other crates are capped at `info` whatever level is asked for.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

/// Tifli's own crates, the only targets allowed below `info`.
const OWN_TARGETS: [&str; 3] = ["tifli", "tifli_intake", "tifli_local"];

/// The filter for `level`: that level for Tifli, at most `info` for everything else.
pub fn directives(level: LevelFilter) -> String {
    let others = level.min(LevelFilter::INFO);
    let mut directives = others.to_string().to_lowercase();
    for target in OWN_TARGETS {
        directives.push_str(&format!(",{target}={}", level.to_string().to_lowercase()));
    }
    directives
}

/// The level asked for by `RUST_LOG` or Lambda's `AWS_LAMBDA_LOG_LEVEL` (a bare level
/// such as `debug`; anything else means `info`).
fn requested_level() -> LevelFilter {
    ["RUST_LOG", "AWS_LAMBDA_LOG_LEVEL"]
        .iter()
        .find_map(|name| std::env::var(name).ok())
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(LevelFilter::INFO)
}

pub fn filter() -> EnvFilter {
    EnvFilter::new(directives(requested_level()))
}

/// Installs the global subscriber, writing to standard output as Lambda expects. Call
/// once, first thing in `main`.
pub fn init() {
    install(std::io::stdout);
}

/// Like [`init`], writing to standard error: for the local runner, whose standard
/// output is its "try it" block.
pub fn init_stderr() {
    install(std::io::stderr);
}

fn install<W>(writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter())
        .with_writer(writer);
    if json {
        // Lambda stamps every line itself.
        builder
            .json()
            .without_time()
            .with_current_span(false)
            .init();
    } else {
        builder.init();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn only_our_crates_go_below_info() {
        assert_eq!(
            directives(LevelFilter::TRACE),
            "info,tifli=trace,tifli_intake=trace,tifli_local=trace"
        );
        assert_eq!(
            directives(LevelFilter::WARN),
            "warn,tifli=warn,tifli_intake=warn,tifli_local=warn"
        );
    }

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_runtime_raw_event_never_reaches_the_log_even_at_trace() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(EnvFilter::new(directives(LevelFilter::TRACE)))
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::trace!(
                target: "lambda_runtime::layers::api_response",
                body = r#"{"child":{"name":"Amina"}}"#,
                "raw JSON event received from Lambda"
            );
            tracing::trace!(target: "aws_smithy_runtime::client", body = "Amina", "request body");
            tracing::trace!(target: "tifli::store", report_id = "01J", "our own trace");
        });
        let logged = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        assert!(!logged.contains("Amina"), "{logged}");
        assert!(logged.contains("our own trace"), "{logged}");
    }
}
