//! CAP signatures in tests: a signing key held in the process (the handler tests' and
//! benchmarks' stand-in for KMS, which the emulator plays in the integration tests), and
//! the two independent verifiers partners use, xmlsec1 (Debian's) and signxml (PyPI's),
//! run on what the system published.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use tifli::domain::cap::{PublishedKey, Signature};
use tifli::ports::{BoxFuture, CapKey, SigningError};
use tifli::signing::Signing;
use time::macros::datetime;

/// An RSA-2048 key that signs as the KMS key does (RSASSA-PKCS1-v1_5, SHA-256), and
/// counts its signatures.
#[derive(Clone)]
pub struct LocalKey {
    pair: Arc<KeyPair>,
    kid: String,
    /// The key this one replaced, published after it.
    previous: Option<PublishedKey>,
    signatures: Arc<AtomicUsize>,
}

fn generated(slot: &'static OnceLock<Arc<KeyPair>>) -> Arc<KeyPair> {
    slot.get_or_init(|| Arc::new(KeyPair::generate(KeySize::Rsa2048).expect("an RSA key")))
        .clone()
}

impl LocalKey {
    /// The tests' signing key (one per test process: generating one takes a while).
    pub fn current() -> LocalKey {
        static PAIR: OnceLock<Arc<KeyPair>> = OnceLock::new();
        LocalKey::of(generated(&PAIR), "test-key-2")
    }

    /// Another key, which nobody published, under the published key's name: what a
    /// forger would sign with.
    pub fn other() -> LocalKey {
        static PAIR: OnceLock<Arc<KeyPair>> = OnceLock::new();
        LocalKey::of(generated(&PAIR), "test-key-2")
    }

    /// The key [`LocalKey::current`] replaced.
    pub fn before_rotation() -> LocalKey {
        static PAIR: OnceLock<Arc<KeyPair>> = OnceLock::new();
        LocalKey::of(generated(&PAIR), "test-key-1")
    }

    fn of(pair: Arc<KeyPair>, kid: &str) -> LocalKey {
        LocalKey {
            pair,
            kid: kid.to_owned(),
            previous: None,
            signatures: Arc::default(),
        }
    }

    /// This key, signing after `previous`, which it publishes second.
    pub fn rotated_from(mut self, previous: &LocalKey) -> LocalKey {
        self.previous = Some(previous.public());
        self
    }

    pub fn public(&self) -> PublishedKey {
        let der = self.pair.public_key().as_der().expect("a DER public key");
        PublishedKey::new(&self.kid, der.as_ref(), datetime!(2026-11-01 0:00 UTC))
    }

    /// The key's public half as XML-DSig's `KeyValue`: what a forger would put in a
    /// message beside the name of a published key.
    pub fn key_value(&self) -> String {
        use base64::Engine;
        let components =
            aws_lc_rs::rsa::PublicKeyComponents::<Vec<u8>>::from(self.pair.public_key());
        let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
        format!(
            "<KeyValue><RSAKeyValue><Modulus>{}</Modulus><Exponent>{}</Exponent></RSAKeyValue></KeyValue>",
            b64(&components.n),
            b64(&components.e)
        )
    }

    /// What `/.well-known/cap-signing-keys` would list.
    pub fn published_keys(&self) -> Vec<PublishedKey> {
        std::iter::once(self.public())
            .chain(self.previous.clone())
            .collect()
    }

    /// How many signatures this key (and its clones) made.
    pub fn signatures(&self) -> usize {
        self.signatures.load(Ordering::SeqCst)
    }

    /// A signer with this key, as the functions hold one.
    pub fn signing(&self) -> Signing {
        Signing::new(self.clone())
    }
}

/// The tests' signing key, [`LocalKey::current`].
impl Default for LocalKey {
    fn default() -> Self {
        LocalKey::current()
    }
}

impl CapKey for LocalKey {
    fn sign<'a>(&'a self, message: &'a [u8]) -> BoxFuture<'a, Result<Signature, SigningError>> {
        Box::pin(async move {
            let mut value = vec![0; self.pair.public_modulus_len()];
            self.pair
                .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut value)
                .map_err(|e| SigningError(e.to_string()))?;
            self.signatures.fetch_add(1, Ordering::SeqCst);
            Ok(Signature {
                kid: self.kid.clone(),
                value,
            })
        })
    }

    fn published(&self) -> BoxFuture<'_, Result<Vec<PublishedKey>, SigningError>> {
        Box::pin(async move { Ok(self.published_keys()) })
    }
}

/// A key that neither signs nor tells its public half: KMS throttled, unreachable, or
/// the key disabled.
pub struct UnavailableKey;

impl CapKey for UnavailableKey {
    fn sign<'a>(&'a self, _message: &'a [u8]) -> BoxFuture<'a, Result<Signature, SigningError>> {
        Box::pin(async { Err(SigningError("ThrottlingException".into())) })
    }

    fn published(&self) -> BoxFuture<'_, Result<Vec<PublishedKey>, SigningError>> {
        Box::pin(async { Err(SigningError("ThrottlingException".into())) })
    }
}

/// What a partner's checks said of one message (`tests/kit/verify_cap.py`): `None`
/// where it passed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Verdict {
    /// The message is in the form Tifli signs (no comment, processing instruction or
    /// DOCTYPE; its key named once, by a published name).
    pub form: Option<String>,
    pub xmlsec1: Option<String>,
    pub signxml: Option<String>,
}

impl Verdict {
    pub fn verified(&self) -> bool {
        self.form.is_none() && self.xmlsec1.is_none() && self.signxml.is_none()
    }

    /// Both signature verifiers refused it, whatever its form.
    pub fn refused_by_both(&self) -> bool {
        self.xmlsec1.is_some() && self.signxml.is_some()
    }
}

/// Checks each of `messages` as a partner does with the published `keys`: its form,
/// then its signature with xmlsec1 and with signxml.
pub fn verify(messages: &[String], keys: &[PublishedKey]) -> Vec<Verdict> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let keys_file = dir.path().join("keys.json");
    let set = serde_json::json!({ "keys": keys });
    std::fs::write(&keys_file, set.to_string()).expect("write the keys");
    let files = crate::checks::written(dir.path(), messages);
    let out = Command::new(crate::checks::python())
        .arg(crate::checks::script("verify_cap.py"))
        .arg(&keys_file)
        .args(&files)
        .output()
        .expect("the verifiers run");
    assert!(
        out.status.success(),
        "verify_cap.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Verdict> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a verdict per line"))
        .collect();
    assert_eq!(verdicts.len(), messages.len());
    verdicts
}
