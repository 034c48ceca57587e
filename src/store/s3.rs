//! The photos bucket through the S3 API.

use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};

use crate::deferred::Deferred;
use crate::ports::{PhotoObjects, PhotoReader, StoreError, UploadHead};

/// How long caches may keep a rendition: an alert's end deletes it within seconds, and
/// the public URL must stop answering within five minutes.
pub const RENDITION_CACHE: &str = "public, max-age=240";
/// DeleteObjects takes at most this many keys.
const DELETE_BATCH: usize = 1000;

#[derive(Clone)]
pub struct S3Photos {
    client: Deferred<aws_sdk_s3::Client>,
    bucket: String,
}

impl S3Photos {
    /// `client` built, or built at its first use (`Deferred`).
    pub fn new(client: impl Into<Deferred<aws_sdk_s3::Client>>, bucket: impl Into<String>) -> Self {
        Self {
            client: client.into(),
            bucket: bucket.into(),
        }
    }

    /// A client for `config`, path-style when an endpoint is set (the emulator answers
    /// at one address for every bucket).
    pub fn client(config: &aws_config::SdkConfig) -> aws_sdk_s3::Client {
        let path_style = config.endpoint_url().is_some();
        aws_sdk_s3::Client::from_conf(
            aws_sdk_s3::config::Builder::from(config)
                .force_path_style(path_style)
                .build(),
        )
    }
}

fn error<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(service) => {
            let err = service.err();
            let code = err.code().unwrap_or("Unknown");
            let message = format!("{code}: {}", err.message().unwrap_or(""));
            if matches!(code, "SlowDown" | "InternalError" | "ServiceUnavailable") {
                StoreError::Unavailable(message)
            } else {
                StoreError::Other(message)
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}

impl PhotoReader for S3Photos {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        match self
            .client
            .get_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(object) => object
                .body
                .collect()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| StoreError::Unavailable(e.to_string())),
            Err(SdkError::ServiceError(e)) if e.err().is_no_such_key() => Ok(None),
            Err(e) => Err(error(e)),
        }
    }
}

impl PhotoObjects for S3Photos {
    async fn head(&self, key: &str) -> Result<Option<UploadHead>, StoreError> {
        match self
            .client
            .head_object()
            .bucket(&self.bucket)
            .key(key)
            .send()
            .await
        {
            Ok(head) => Ok(Some(UploadHead {
                size: head.content_length().unwrap_or(0).max(0) as u64,
                content_type: head.content_type().map(str::to_owned),
                officer: head.metadata().and_then(|m| m.get("officer")).cloned(),
            })),
            Err(SdkError::ServiceError(e)) if e.err().is_not_found() => Ok(None),
            Err(e) => Err(error(e)),
        }
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), StoreError> {
        self.client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type(content_type)
            .cache_control(RENDITION_CACHE)
            .body(ByteStream::from(bytes))
            .send()
            .await
            .map_err(error)?;
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), StoreError> {
        for batch in keys.chunks(DELETE_BATCH) {
            let objects = batch
                .iter()
                .map(|k| ObjectIdentifier::builder().key(k).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| StoreError::Other(e.to_string()))?;
            let delete = Delete::builder()
                .set_objects(Some(objects))
                .quiet(true)
                .build()
                .map_err(|e| StoreError::Other(e.to_string()))?;
            let out = self
                .client
                .delete_objects()
                .bucket(&self.bucket)
                .delete(delete)
                .send()
                .await
                .map_err(error)?;
            if let Some(failed) = out.errors().first() {
                return Err(StoreError::Unavailable(format!(
                    "not deleted: {}",
                    failed.code().unwrap_or("unknown")
                )));
            }
        }
        Ok(())
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<usize, StoreError> {
        let mut count = 0;
        let mut token = None;
        loop {
            let page = self
                .client
                .list_objects_v2()
                .bucket(&self.bucket)
                .prefix(prefix)
                .set_continuation_token(token)
                .send()
                .await
                .map_err(error)?;
            let keys: Vec<String> = page
                .contents()
                .iter()
                .filter_map(|o| o.key().map(str::to_owned))
                .collect();
            count += keys.len();
            self.delete(&keys).await?;
            token = page.next_continuation_token().map(str::to_owned);
            if token.is_none() {
                return Ok(count);
            }
        }
    }
}
