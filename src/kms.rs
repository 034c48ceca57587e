//! The KMS adapter of [`CapKey`]: an asymmetric RSA key whose private half never leaves
//! KMS signs each message's `SignedInfo`, one `Sign` call per message; its public half,
//! and the previous key's during a rotation, are read once per process for
//! `/.well-known/cap-signing-keys`.

use aws_sdk_kms::Client;
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::{KeyUsageType, MessageType, SigningAlgorithmSpec};
use time::OffsetDateTime;

use crate::deferred::Deferred;
use crate::domain::cap::{PublishedKey, Signature};
use crate::ports::{BoxFuture, CapKey, SigningError};

#[derive(Debug, Clone)]
pub struct KmsKey {
    client: Deferred<Client>,
    /// The key that signs: an id, an ARN or an alias.
    key: String,
    /// The key that signed before the last rotation, still published.
    previous: Option<String>,
}

impl KmsKey {
    /// `client` built, or built at its first use (`Deferred`).
    pub fn new(
        client: impl Into<Deferred<Client>>,
        key: String,
        previous: Option<String>,
    ) -> KmsKey {
        KmsKey {
            client: client.into(),
            key,
            previous,
        }
    }

    async fn public(&self, key: &str) -> Result<PublishedKey, SigningError> {
        let public = self
            .client
            .get_public_key()
            .key_id(key)
            .send()
            .await
            .map_err(failed)?;
        let signs = public.key_usage() == Some(&KeyUsageType::SignVerify)
            && public
                .signing_algorithms()
                .contains(&SigningAlgorithmSpec::RsassaPkcs1V15Sha256);
        let (Some(arn), Some(der), true) = (public.key_id(), public.public_key(), signs) else {
            return Err(SigningError(format!(
                "{key} is not an RSA key that signs with RSASSA_PKCS1_V1_5_SHA_256"
            )));
        };
        let described = self
            .client
            .describe_key()
            .key_id(key)
            .send()
            .await
            .map_err(failed)?;
        let created = described
            .key_metadata()
            .and_then(|m| m.creation_date())
            .and_then(|d| OffsetDateTime::from_unix_timestamp(d.secs()).ok())
            .ok_or_else(|| SigningError(format!("{key} has no creation date")))?;
        Ok(PublishedKey::new(kid(arn), der.as_ref(), created))
    }
}

/// What a message names its key by: the key's id, without the account and Region an
/// ARN would tell.
fn kid(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn failed<E>(e: aws_sdk_kms::error::SdkError<E>) -> SigningError
where
    E: std::error::Error + Send + Sync + 'static,
{
    SigningError(aws_sdk_kms::error::DisplayErrorContext(e).to_string())
}

impl CapKey for KmsKey {
    fn sign<'a>(&'a self, message: &'a [u8]) -> BoxFuture<'a, Result<Signature, SigningError>> {
        Box::pin(async move {
            // RAW: KMS hashes the few hundred bytes of `SignedInfo` itself (a message
            // of at most 4 KiB), so the hash is the key's, not ours.
            let signed = self
                .client
                .sign()
                .key_id(&self.key)
                .message(Blob::new(message))
                .message_type(MessageType::Raw)
                .signing_algorithm(SigningAlgorithmSpec::RsassaPkcs1V15Sha256)
                .send()
                .await
                .map_err(failed)?;
            match (signed.key_id(), signed.signature()) {
                (Some(arn), Some(value)) => Ok(Signature {
                    kid: kid(arn).to_owned(),
                    value: value.as_ref().to_vec(),
                }),
                _ => Err(SigningError("KMS answered no signature".into())),
            }
        })
    }

    fn published(&self) -> BoxFuture<'_, Result<Vec<PublishedKey>, SigningError>> {
        Box::pin(async move {
            let mut keys = vec![self.public(&self.key).await?];
            // The previous key is a courtesy to messages signed before the rotation: one
            // disabled or unreadable too early must not hide the key that signs now.
            if let Some(previous) = &self.previous {
                match self.public(previous).await {
                    Ok(key) => keys.push(key),
                    Err(e) => tracing::warn!(error = %e, "previous signing key not published"),
                }
            }
            Ok(keys)
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_key_is_named_by_its_id() {
        let arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        assert_eq!(super::kid(arn), "1234abcd-12ab-34cd-56ef-1234567890ab");
        assert_eq!(super::kid("mrk-1"), "mrk-1");
    }
}
