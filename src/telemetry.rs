//! Logging for every entry point: JSON lines in Lambda (when its log format is JSON),
//! readable lines locally; and the metric lines of [`crate::metrics`], switched on.
//!
//! Only Tifli's own code logs below `info`. At `trace`, the Lambda runtime logs every raw
//! event and the SDK every request body: both hold a child's name and description, so
//! other crates are capped at `info` whatever level is asked for.

use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Tifli's crates (`tifli`, `tifli_local`, the functions' `tifli_*`): a target is
/// matched by its prefix. The only targets allowed below `info`.
const OWN_TARGET: &str = "tifli";

/// The filter for `level`: that level for Tifli, at most `info` for everything else. A
/// list of targets rather than `RUST_LOG`'s full syntax: its parser and matchers would
/// weigh more in every package than all of Tifli's own code.
pub fn filter_for(level: LevelFilter) -> Targets {
    Targets::new()
        .with_default(level.min(LevelFilter::INFO))
        .with_target(OWN_TARGET, level)
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

pub fn filter() -> Targets {
    filter_for(requested_level())
}

/// Installs the global subscriber, writing to standard output as Lambda expects, and
/// turns metric lines on (standard output too). Call once, first thing in `main`.
pub fn init() {
    install(std::io::stdout);
}

/// Like [`init`], the logs on standard error: for the local runner, whose standard
/// output is its "try it" block and the metric lines.
pub fn init_stderr() {
    install(std::io::stderr);
}

fn install<W>(writer: W)
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    crate::metrics::enable();
    let json = std::env::var("AWS_LAMBDA_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let registry = tracing_subscriber::registry().with(filter());
    if json {
        // Lambda stamps every line itself.
        let layer = tracing_subscriber::fmt::layer()
            .json()
            .without_time()
            .with_current_span(false)
            .with_writer(writer);
        registry.with(layer).init();
    } else {
        registry
            .with(tracing_subscriber::fmt::layer().with_writer(writer))
            .init();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn only_our_crates_go_below_info() {
        use tracing::Level;
        let trace = filter_for(LevelFilter::TRACE);
        for own in ["tifli::store", "tifli_intake", "tifli_local::run"] {
            assert!(trace.would_enable(own, &Level::TRACE), "{own}");
        }
        for other in [
            "lambda_runtime::layers",
            "aws_smithy_runtime::client",
            "hyper",
        ] {
            assert!(!trace.would_enable(other, &Level::DEBUG), "{other}");
            assert!(trace.would_enable(other, &Level::INFO), "{other}");
        }
        let warn = filter_for(LevelFilter::WARN);
        assert!(!warn.would_enable("tifli::http", &Level::INFO));
        assert!(!warn.would_enable("hyper", &Level::INFO));
        assert!(warn.would_enable("hyper", &Level::WARN));
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
        let subscriber = tracing_subscriber::registry()
            .with(filter_for(LevelFilter::TRACE))
            .with(tracing_subscriber::fmt::layer().with_writer(move || writer.clone()));
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
