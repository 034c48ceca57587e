//! Creates the table as [`TABLE`] describes it: for the local stack and the tests. In AWS
//! the table comes from `template.yaml`, which a test holds to the same schema.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, StreamSpecification, StreamViewType,
    TimeToLiveSpecification,
};

use crate::store::schema::{Key, TABLE};

fn key_schema(key: Key) -> Result<Vec<KeySchemaElement>, aws_sdk_dynamodb::error::BuildError> {
    Ok(vec![
        KeySchemaElement::builder()
            .attribute_name(key.partition)
            .key_type(KeyType::Hash)
            .build()?,
        KeySchemaElement::builder()
            .attribute_name(key.sort)
            .key_type(KeyType::Range)
            .build()?,
    ])
}

/// Creates the table named `name` unless it exists, waits until it is active and turns
/// its TTL on. Returns whether it was created.
pub async fn ensure_table(
    client: &Client,
    name: &str,
) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    create(client, name, true).await
}

/// The same table without its stream: for benchmarks that fill a table far beyond what
/// the emulator can keep stream records of.
pub async fn ensure_table_without_stream(
    client: &Client,
    name: &str,
) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    create(client, name, false).await
}

async fn create(
    client: &Client,
    name: &str,
    stream: bool,
) -> Result<bool, Box<dyn std::error::Error + Send + Sync>> {
    if client
        .describe_table()
        .table_name(name)
        .send()
        .await
        .is_ok()
    {
        return Ok(false);
    }
    let attributes = TABLE
        .key_attributes()
        .into_iter()
        .map(|a| {
            AttributeDefinition::builder()
                .attribute_name(a)
                .attribute_type(ScalarAttributeType::S)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    let indexes = TABLE
        .indexes
        .iter()
        .map(|index| {
            GlobalSecondaryIndex::builder()
                .index_name(index.name)
                .set_key_schema(Some(key_schema(index.key)?))
                .projection(
                    Projection::builder()
                        .projection_type(ProjectionType::All)
                        .build(),
                )
                .build()
        })
        .collect::<Result<Vec<_>, _>>()?;
    client
        .create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attributes))
        .set_key_schema(Some(key_schema(TABLE.key)?))
        .set_global_secondary_indexes(Some(indexes))
        .set_stream_specification(
            stream
                .then(|| {
                    StreamSpecification::builder()
                        .stream_enabled(true)
                        .stream_view_type(StreamViewType::from(TABLE.stream_view_type))
                        .build()
                })
                .transpose()?,
        )
        .send()
        .await?;
    client
        .wait_until_table_exists()
        .table_name(name)
        .wait(std::time::Duration::from_secs(30))
        .await?;
    client
        .update_time_to_live()
        .table_name(name)
        .time_to_live_specification(
            TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(TABLE.ttl_attribute)
                .build()?,
        )
        .send()
        .await?;
    Ok(true)
}
