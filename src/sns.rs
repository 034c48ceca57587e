//! The SNS adapter of [`AlertPublisher`]: one Publish per message, bodies per protocol,
//! and the attributes that subscription filter policies match.

use aws_sdk_sns::Client;
use aws_sdk_sns::types::MessageAttributeValue;

use crate::fanout::{AlertMessage, AlertPublisher, PublishError};

#[derive(Debug, Clone)]
pub struct SnsPublisher {
    client: Client,
    topic_arn: String,
}

impl SnsPublisher {
    pub fn new(client: Client, topic_arn: impl Into<String>) -> Self {
        Self {
            client,
            topic_arn: topic_arn.into(),
        }
    }
}

fn string(value: &str) -> Result<MessageAttributeValue, PublishError> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| PublishError(e.to_string()))
}

/// SNS takes a `String.Array` attribute as the JSON text of the array.
fn string_array(values: &[String]) -> Result<MessageAttributeValue, PublishError> {
    let json = serde_json::to_string(values).map_err(|e| PublishError(e.to_string()))?;
    MessageAttributeValue::builder()
        .data_type("String.Array")
        .string_value(json)
        .build()
        .map_err(|e| PublishError(e.to_string()))
}

impl AlertPublisher for SnsPublisher {
    async fn publish(&self, message: &AlertMessage) -> Result<(), PublishError> {
        let envelope = &message.envelope;
        self.client
            .publish()
            .topic_arn(&self.topic_arn)
            .message_structure("json")
            .message(message.per_protocol())
            .message_attributes("msg_type", string(envelope.msg_type)?)
            .message_attributes("status", string(envelope.status)?)
            .message_attributes("alert_id", string(&envelope.alert_id)?)
            .message_attributes("regions", string_array(&message.regions)?)
            .message_attributes("cells", string_array(&message.cells)?)
            .send()
            .await
            .map(drop)
            .map_err(|e| PublishError(aws_sdk_sns::error::DisplayErrorContext(e).to_string()))
    }
}
