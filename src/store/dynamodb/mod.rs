//! The DynamoDB single-table adapter.
//!
//! | item        | pk                  | sk                 | also                        |
//! |-------------|---------------------|--------------------|-----------------------------|
//! | report      | `REPORT#<id>`       | `REPORT`           | `gsi1pk`/`gsi1sk` by status |
//! | history     | `REPORT#<id>`       | `HISTORY#<version>`| immutable                   |
//! | idempotency | `IDEMPOTENCY#<hash>`| `IDEMPOTENCY`      | `purge_at` (TTL)            |

mod errors;
mod items;
pub mod provision;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use time::OffsetDateTime;

use crate::domain::{HistoryEntry, Report, ReportId};
use crate::ports::{CreateError, IdempotencyRecord, ReportCreator, ReportReader, StoreError};
use crate::store::keys;
use crate::store::schema::TABLE;

use items::{HistoryItem, IdempotencyItem, ReportItem};

#[derive(Debug, Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
        }
    }

    fn put(
        &self,
        item: Result<items::Item, StoreError>,
        condition: &str,
        values: Option<items::Item>,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item?))
            .condition_expression(condition)
            .set_expression_attribute_values(values)
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    fn key(pk: String, sk: &str) -> items::Item {
        [
            (TABLE.key.partition.to_owned(), AttributeValue::S(pk)),
            (TABLE.key.sort.to_owned(), AttributeValue::S(sk.to_owned())),
        ]
        .into()
    }
}

/// `pk` exists on every item: an item is new when it has none.
const IS_NEW: &str = "attribute_not_exists(pk)";

impl ReportCreator for DynamoStore {
    async fn create(
        &self,
        report: &Report,
        history: &HistoryEntry,
        key: Option<&IdempotencyRecord>,
        now: OffsetDateTime,
    ) -> Result<(), CreateError> {
        let mut writes = vec![
            self.put(ReportItem::from_report(report), IS_NEW, None)?,
            self.put(HistoryItem::from_entry(history), IS_NEW, None)?,
        ];
        let key_index = writes.len();
        if let Some(record) = key {
            // An expired key that DynamoDB has not deleted yet may be claimed again.
            let now = AttributeValue::N(now.unix_timestamp().to_string());
            writes.push(self.put(
                IdempotencyItem::from_record(record),
                "attribute_not_exists(pk) OR purge_at < :now",
                Some([(":now".to_owned(), now)].into()),
            )?);
        }
        self.client
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
            .map(drop)
            .map_err(|e| errors::create_error(e, key_index))
    }

    async fn idempotency_record(
        &self,
        scope: &str,
        now: OffsetDateTime,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::idempotency_pk(scope),
                keys::IDEMPOTENCY_SK,
            )))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store_error)?;
        let Some(item) = out.item else {
            return Ok(None);
        };
        let record = IdempotencyItem::into_record(item)?;
        Ok((record.expires_at > now).then_some(record))
    }
}

impl ReportReader for DynamoStore {
    async fn get(&self, id: ReportId) -> Result<Option<Report>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(keys::report_pk(id), keys::REPORT_SK)))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store_error)?;
        out.item.map(ReportItem::into_report).transpose()
    }
}
