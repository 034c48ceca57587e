//! A value built where it is first used.
//!
//! Building an SDK client costs about half a million instructions: its service's
//! runtime plugin parses AWS's partition table, whatever else the client is given
//! (`docs/BENCHMARKS.md`, "Start-up work"). A function builds at start-up the clients
//! every event uses. A client that only some events use is built by the first that
//! needs it: KMS in the public function (the CAP routes), SQS in the fan-out (a record
//! set aside), S3 in the share card (a card with a photo).

use std::ops::Deref;
use std::sync::{Arc, LazyLock};

type Build<T> = Box<dyn FnOnce() -> T + Send>;

/// `T`, built by the first [`Deref`]; clones share it.
pub struct Deferred<T>(Arc<LazyLock<T, Build<T>>>);

impl<T> Deferred<T> {
    pub fn new(build: impl FnOnce() -> T + Send + 'static) -> Self {
        Self(Arc::new(LazyLock::new(Box::new(build))))
    }
}

/// A value already built.
impl<T: Send + 'static> From<T> for Deferred<T> {
    fn from(value: T) -> Self {
        Self::new(move || value)
    }
}

impl<T> Deref for Deferred<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<T> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deferred")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn built_once_at_first_use_and_shared_by_clones() {
        static BUILT: AtomicUsize = AtomicUsize::new(0);
        let value = Deferred::new(|| {
            BUILT.fetch_add(1, Ordering::SeqCst);
            String::from("client")
        });
        let clone = value.clone();
        assert_eq!(BUILT.load(Ordering::SeqCst), 0, "not built before its use");
        assert_eq!(clone.as_str(), "client");
        assert_eq!(value.len(), 6);
        assert_eq!(BUILT.load(Ordering::SeqCst), 1, "built once");
        assert_eq!(*Deferred::from(7_u32) + 1, 8);
    }
}
