//! Waiting for what a test expects to happen: checked as often as is cheap, given up
//! after one generous bound that only a broken system reaches.

use std::time::Duration;

/// How long anything a test waits for may take, on the slowest machine we run on.
pub const BOUND: Duration = Duration::from_secs(120);

/// Polls `check` until it returns something, for at most [`BOUND`]; panics with `what`
/// when that passes.
pub async fn until<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + BOUND;
    loop {
        if let Some(found) = check().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {BOUND:?} for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// [`until`] for a test without a runtime: polls `check` on this thread.
pub fn until_blocking<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + BOUND;
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "waited {BOUND:?} for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}
