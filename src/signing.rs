//! Signing CAP messages: the key behind [`CapKey`] (KMS in AWS), and what this process
//! keeps of it. Signing is deterministic, so a signature once made serves every later
//! rendering of the same message: the fan-out retrying a record, the public function
//! answering the same CAP URL again, call the key once.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::cap::signature::{MAX_KID_CHARS, MAX_SIGNATURE_BYTES};
use crate::domain::cap::{PublishedKey, Signature, Unsigned};
use crate::ports::{CapKey, SigningError};

/// Signatures kept, by the `SignedInfo` they sign; past this many, all are forgotten
/// (an alert's messages are few and its readers ask for the latest).
const KEPT: usize = 512;

pub struct Signing {
    key: Box<dyn CapKey>,
    made: Mutex<HashMap<String, Signature>>,
    /// The published keys, asked once: they change only with the configuration.
    published: Mutex<Option<Vec<PublishedKey>>>,
}

impl Signing {
    pub fn new(key: impl CapKey) -> Signing {
        Signing {
            key: Box::new(key),
            made: Mutex::default(),
            published: Mutex::default(),
        }
    }

    /// `message`, signed.
    pub async fn sign(&self, message: &Unsigned) -> Result<String, SigningError> {
        let signed_info = message.signed_info();
        if let Some(signature) = self.kept().get(&signed_info) {
            return Ok(message.signed(signature));
        }
        let signature = self.key.sign(signed_info.as_bytes()).await?;
        // The key's answer is checked as input: a message that cannot carry it is not
        // sent.
        let kid_fine = !signature.kid.is_empty()
            && signature.kid.len() <= MAX_KID_CHARS
            && signature.kid.chars().all(|c| c.is_ascii_graphic());
        if !kid_fine || signature.value.is_empty() || signature.value.len() > MAX_SIGNATURE_BYTES {
            return Err(SigningError(format!(
                "the key answered a signature of {} bytes by key {:?}",
                signature.value.len(),
                signature.kid
            )));
        }
        let signed = message.signed(&signature);
        let mut kept = self.kept();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(signed_info, signature);
        Ok(signed)
    }

    /// The public keys partners verify with, the current one first.
    pub async fn published(&self) -> Result<Vec<PublishedKey>, SigningError> {
        if let Some(keys) = self.lock_published().clone() {
            return Ok(keys);
        }
        // Two first readers at once may both ask: the answer is the same.
        let keys = self.key.published().await?;
        *self.lock_published() = Some(keys.clone());
        Ok(keys)
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Signature>> {
        // A panic while holding the lock leaves a map of valid signatures.
        self.made.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_published(&self) -> std::sync::MutexGuard<'_, Option<Vec<PublishedKey>>> {
        self.published.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::samples::{alert_with, all_kinds};
    use crate::ports::BoxFuture;

    /// A key that answers what it is given to answer, and counts its calls.
    struct Answers(Signature, std::sync::Arc<std::sync::atomic::AtomicUsize>);

    impl CapKey for Answers {
        fn sign<'a>(&'a self, _: &'a [u8]) -> BoxFuture<'a, Result<Signature, SigningError>> {
            self.1.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async { Ok(self.0.clone()) })
        }

        fn published(&self) -> BoxFuture<'_, Result<Vec<PublishedKey>, SigningError>> {
            Box::pin(async { Ok(Vec::new()) })
        }
    }

    fn message() -> Unsigned {
        let sender = crate::domain::cap::Sender::new("tifli@police.example").unwrap();
        let alert = all_kinds(&alert_with(
            "Amina",
            "Rabat",
            "Red coat",
            serde_json::json!({}),
        ))
        .remove(0);
        crate::domain::cap::render(&alert, &sender, "https://tifli.example")
    }

    /// A key's answer no message can carry is refused, naming what was wrong; a good
    /// one is kept and the key is not asked again.
    #[tokio::test]
    async fn the_key_s_answer_is_checked_then_kept() {
        let cases = [
            ("k", Vec::new()),
            ("", vec![1; 256]),
            ("a key", vec![1; 256]),
            ("k", vec![1; MAX_SIGNATURE_BYTES + 1]),
        ];
        for (kid, value) in cases {
            let size = value.len();
            let signing = Signing::new(Answers(
                Signature {
                    kid: kid.into(),
                    value,
                },
                Default::default(),
            ));
            let refused = signing.sign(&message()).await.unwrap_err();
            assert_eq!(
                refused.to_string(),
                format!(
                    "signing unavailable: the key answered a signature of {size} bytes by key {kid:?}"
                )
            );
        }
        let calls = std::sync::Arc::default();
        let key = Answers(
            Signature {
                kid: "k".into(),
                value: vec![1; 256],
            },
            std::sync::Arc::clone(&calls),
        );
        let signing = Signing::new(key);
        let message = message();
        let first = signing.sign(&message).await.unwrap();
        assert_eq!(signing.sign(&message.clone()).await.unwrap(), first);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 1, "kept");
        assert!(Unsigned::is_signed(&first));
    }
}
