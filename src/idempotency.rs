//! `Idempotency-Key`: what a key may be, whose it is, and what "the same request" means,
//! so that a retried filing never files a second report.

use sha2::{Digest, Sha256};

use crate::domain::OfficerId;
use crate::domain::limits::IDEMPOTENCY_KEY_MAX_CHARS;

/// A client's key for one filing: 1 to 128 printable ASCII characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} printable ASCII characters without spaces"
)]
pub struct InvalidKey;

impl IdempotencyKey {
    /// The request header that carries a key.
    pub const HEADER: &'static str = "idempotency-key";

    pub fn parse(raw: &[u8]) -> Result<Self, InvalidKey> {
        let valid = (1..=IDEMPOTENCY_KEY_MAX_CHARS).contains(&raw.len())
            && raw.iter().all(u8::is_ascii_graphic);
        valid
            .then(|| Self(String::from_utf8_lossy(raw).into_owned()))
            .ok_or(InvalidKey)
    }

    /// Where the key is remembered: the officer and the key, hashed, so that two officers
    /// may use the same key and any key makes a short, uniform partition key.
    pub fn scope(&self, officer: &OfficerId) -> String {
        let mut hash = Sha256::new();
        hash.update(officer.as_str().as_bytes());
        hash.update([0]);
        hash.update(self.0.as_bytes());
        hex::encode(hash.finalize())
    }
}

/// The fingerprint of a JSON body: SHA-256 of its canonical serialisation (object keys
/// sorted, no insignificant white space), so that a client re-encoding the same body
/// still matches.
pub fn fingerprint(json: &serde_json::Value) -> String {
    // serde_json's Map is ordered by key unless its `preserve_order` feature is on,
    // which no crate of this workspace enables.
    let canonical = json.to_string();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn keys_are_printable_ascii_of_bounded_length() {
        for good in [
            "a",
            "walk-1",
            &"k".repeat(IDEMPOTENCY_KEY_MAX_CHARS),
            "~!{}",
        ] {
            assert!(IdempotencyKey::parse(good.as_bytes()).is_ok(), "{good}");
        }
        let long = "k".repeat(IDEMPOTENCY_KEY_MAX_CHARS + 1);
        for bad in ["", " ", "a b", "é", "tab\t", &long] {
            assert_eq!(
                IdempotencyKey::parse(bad.as_bytes()),
                Err(InvalidKey),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_key_belongs_to_its_officer() {
        let key = IdempotencyKey::parse(b"k-1").unwrap();
        let one = OfficerId::new("officer-1").unwrap();
        let two = OfficerId::new("officer-2").unwrap();
        assert_ne!(key.scope(&one), key.scope(&two));
        assert_eq!(key.scope(&one), key.scope(&one));
        assert_eq!(key.scope(&one).len(), 64);
    }

    #[test]
    fn the_same_json_value_has_the_same_fingerprint() {
        let a: serde_json::Value = serde_json::from_str(r#"{"b": 1, "a": [1, 2]}"#).unwrap();
        assert_eq!(fingerprint(&a), fingerprint(&json!({"a": [1, 2], "b": 1})));
        assert_ne!(fingerprint(&a), fingerprint(&json!({"a": [2, 1], "b": 1})));
    }
}
