//! The SQS adapter of [`FailureQueue`]: one message per set-aside record, its body the
//! [`SetAside`] as JSON (a report id, a version, a sequence number, a reason).

use aws_sdk_sqs::Client;

use crate::deferred::Deferred;
use crate::fanout::{FailureQueue, PublishError, SetAside};

#[derive(Debug, Clone)]
pub struct SqsFailureQueue {
    client: Deferred<Client>,
    url: String,
}

impl SqsFailureQueue {
    /// `client` built, or built at its first use (`Deferred`).
    pub fn new(client: impl Into<Deferred<Client>>, url: impl Into<String>) -> Self {
        Self {
            client: client.into(),
            url: url.into(),
        }
    }
}

impl FailureQueue for SqsFailureQueue {
    async fn set_aside(&self, failure: &SetAside) -> Result<(), PublishError> {
        let body =
            serde_json::to_string(failure).map_err(|e| PublishError::retry(e.to_string()))?;
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map(drop)
            .map_err(|e| {
                PublishError::retry(aws_sdk_sqs::error::DisplayErrorContext(e).to_string())
            })
    }
}
