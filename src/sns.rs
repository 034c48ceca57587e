//! The SNS adapter of [`Publisher`]: one Publish per message on its topic; for alerts,
//! bodies per protocol and the attributes that subscription filter policies match.

use aws_sdk_sns::Client;
use aws_sdk_sns::operation::publish::PublishError as PublishError_;
use aws_sdk_sns::types::MessageAttributeValue;

use crate::fanout::{AlertMessage, Message, PublishError, Publisher, Topics};

#[derive(Debug, Clone)]
pub struct SnsPublisher {
    client: Client,
    topics: Topics,
}

impl SnsPublisher {
    pub fn new(client: Client, topics: Topics) -> Self {
        Self { client, topics }
    }
}

fn string(value: &str) -> Result<MessageAttributeValue, PublishError> {
    MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| PublishError::retry(e.to_string()))
}

/// SNS takes a `String.Array` attribute as the JSON text of the array.
fn string_array(values: &[String]) -> Result<MessageAttributeValue, PublishError> {
    let json = serde_json::to_string(values).map_err(|e| PublishError::retry(e.to_string()))?;
    MessageAttributeValue::builder()
        .data_type("String.Array")
        .string_value(json)
        .build()
        .map_err(|e| PublishError::retry(e.to_string()))
}

type Publish = aws_sdk_sns::operation::publish::builders::PublishFluentBuilder;

fn alert(publish: Publish, message: &AlertMessage) -> Result<Publish, PublishError> {
    let envelope = &message.envelope;
    // Only a signed message goes out, whatever path reached here: refused, it is set
    // aside (an alarm) rather than sent unsigned.
    if !crate::domain::cap::Unsigned::is_signed(&envelope.cap) {
        return Err(PublishError::rejected("the CAP message is not signed"));
    }
    Ok(publish
        .message_structure("json")
        .message(message.per_protocol())
        .message_attributes("msg_type", string(envelope.msg_type)?)
        .message_attributes("status", string(envelope.status)?)
        .message_attributes("alert_id", string(&envelope.alert_id)?)
        .message_attributes("regions", string_array(&message.regions)?)
        .message_attributes("cells", string_array(&message.cells)?))
}

impl Publisher for SnsPublisher {
    async fn publish(&self, message: &Message) -> Result<(), PublishError> {
        let publish = self
            .client
            .publish()
            .topic_arn(self.topics.arn(message.topic()));
        let publish = match message {
            Message::Alert(m) => alert(publish, m)?,
            Message::Case(event) => publish
                .message(
                    serde_json::to_string(event).map_err(|e| PublishError::retry(e.to_string()))?,
                )
                .message_attributes("event", string(event.event.as_str())?)
                .message_attributes("region", string(event.region.code())?),
        };
        publish
            .send()
            .await
            .map(drop)
            .map_err(|e| match e.as_service_error() {
                Some(
                    refused @ (PublishError_::InvalidParameterException(_)
                    | PublishError_::InvalidParameterValueException(_)),
                ) => PublishError::rejected(refused.meta().code().unwrap_or("InvalidParameter")),
                _ => PublishError::retry(aws_sdk_sns::error::DisplayErrorContext(e).to_string()),
            })
    }
}
