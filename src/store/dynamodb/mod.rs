//! The DynamoDB single-table adapter.
//!
//! | item        | pk                  | sk                 | also                        |
//! |-------------|---------------------|--------------------|-----------------------------|
//! | report      | `REPORT#<id>`       | `REPORT`           | `gsi1pk`/`gsi1sk` by status |
//! | history     | `REPORT#<id>`       | `HISTORY#<version>`| immutable                   |
//! | idempotency | `IDEMPOTENCY#<hash>`| `IDEMPOTENCY`      | `purge_at` (TTL)            |
//! | sighting    | `REPORT#<id>`       | `SIGHTING#<id>`    | deleted with the report     |
//! | limit       | `LIMIT#<what>#<key>`| the window's start | `purge_at` (TTL)            |

mod errors;
mod items;
pub mod provision;
mod schedule;
mod sightings;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use time::OffsetDateTime;

use std::sync::Arc;

use crate::domain::{HistoryEntry, Report, ReportId, RetentionPolicy, Status, Transition};
use crate::ports::{
    Clock, CreateError, HistoryReader, IdempotencyRecord, Page, ReportCreator, ReportLister,
    ReportReader, ReportWriter, SaveError, StoreError, SystemClock,
};
use crate::store::keys;
use crate::store::schema::{BY_STATUS, TABLE};

use items::{
    HistoryItem, IdempotencyItem, Kind, PublicationItem, ReportItem, RetentionItem, kind_of,
};

#[derive(Clone)]
pub struct DynamoStore {
    client: Client,
    table: String,
    retention: RetentionPolicy,
    /// What reads compare purge times with.
    clock: Arc<dyn Clock>,
}

impl DynamoStore {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            retention: RetentionPolicy::default(),
            clock: Arc::new(SystemClock),
        }
    }

    pub fn with_retention(self, retention: RetentionPolicy) -> Self {
        Self { retention, ..self }
    }

    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// Writes reports as they are, without history: for seeding a local stack or a test
    /// with many reports at once (25 to a request).
    pub async fn import(&self, reports: &[Report]) -> Result<(), StoreError> {
        let requests = reports
            .iter()
            .map(|report| {
                aws_sdk_dynamodb::types::PutRequest::builder()
                    .set_item(Some(ReportItem::from_report(report, &self.retention)?))
                    .build()
                    .map(|put| {
                        aws_sdk_dynamodb::types::WriteRequest::builder()
                            .put_request(put)
                            .build()
                    })
                    .map_err(|e| StoreError::Other(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        self.write_all(requests).await
    }

    /// Sends `requests`, 25 to a BatchWriteItem, until DynamoDB has processed them all.
    pub(crate) async fn write_all(
        &self,
        requests: Vec<aws_sdk_dynamodb::types::WriteRequest>,
    ) -> Result<(), StoreError> {
        for chunk in requests.chunks(25) {
            let mut pending = Some([(self.table.clone(), chunk.to_vec())].into());
            while let Some(items) = pending.take() {
                let out = self
                    .client
                    .batch_write_item()
                    .set_request_items(Some(items))
                    .send()
                    .await
                    .map_err(errors::store_error)?;
                pending = out.unprocessed_items.filter(|u| !u.is_empty());
            }
        }
        Ok(())
    }

    fn put(
        &self,
        item: Result<items::Item, StoreError>,
        condition: &str,
        values: Option<items::Item>,
    ) -> Result<TransactWriteItem, StoreError> {
        // `#version` stands for the attribute in conditions: VERSION may be a reserved word.
        let names = condition
            .contains("#version")
            .then(|| [("#version".to_owned(), "version".to_owned())].into());
        let put = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item?))
            .condition_expression(condition)
            .set_expression_attribute_names(names)
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

    /// One all-or-nothing write of `writes`.
    async fn transact(
        &self,
        writes: Vec<TransactWriteItem>,
    ) -> Result<(), SdkError<TransactWriteItemsError, HttpResponse>> {
        self.client
            .transact_write_items()
            .set_transact_items(Some(writes))
            .send()
            .await
            .map(drop)
    }
}

/// A page's size as the SDK takes it.
fn page_size(limit: usize) -> Result<i32, StoreError> {
    i32::try_from(limit).map_err(|_| StoreError::Other("page too large".into()))
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
            self.put(
                ReportItem::from_report(report, &self.retention),
                IS_NEW,
                None,
            )?,
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
        self.transact(writes)
            .await
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
        match out.item {
            Some(item) => ReportItem::into_report(item, self.clock.now()),
            None => Ok(None),
        }
    }
}

impl ReportWriter for DynamoStore {
    async fn save(&self, transition: &Transition) -> Result<(), SaveError> {
        let expected = AttributeValue::N(transition.expected_version().to_string());
        // The review reminder changes no version: a report still waiting must not lose
        // the mark to a write decided before it.
        let next = &transition.report;
        let condition =
            if next.status() == Status::PendingReview && next.review_reminded_at().is_none() {
                "#version = :expected AND attribute_not_exists(review_reminded_at)"
            } else {
                "#version = :expected"
            };
        let mut writes = vec![
            self.put(
                ReportItem::from_report(&transition.report, &self.retention),
                condition,
                Some([(":expected".to_owned(), expected)].into()),
            )?,
            self.put(HistoryItem::from_entry(&transition.entry), IS_NEW, None)?,
        ];
        // A report that ends gets its retention marker in the same transaction.
        if transition.report.status().is_terminal()
            && let Some(marker) = RetentionItem::for_ended(&transition.report, &self.retention)
        {
            let due = transition
                .report
                .ending()
                .map(|e| e.at)
                .unwrap_or(marker.report_purge_at);
            writes.push(self.put(RetentionItem::from_marker(&marker, due), IS_NEW, None)?);
        }
        // A public change enters the publication ledger with it, unpublished.
        if let Some(entry) = PublicationItem::unpublished(&transition.report, &self.retention) {
            writes.push(self.put(entry, IS_NEW, None)?);
        }
        self.transact(writes).await.map_err(errors::save_error)
    }
}

impl ReportLister for DynamoStore {
    async fn list(
        &self,
        status: Status,
        limit: usize,
        after: Option<ReportId>,
    ) -> Result<Page, StoreError> {
        let partition = AttributeValue::S(keys::status_pk(status));
        // The start key of a page is built here from the status asked for, never taken
        // from the client, so a cursor cannot lead into another status.
        let mut start = after.map(|id| {
            let mut key = Self::key(keys::report_pk(id), keys::REPORT_SK);
            key.insert(BY_STATUS.key.partition.to_owned(), partition.clone());
            key.insert(
                BY_STATUS.key.sort.to_owned(),
                AttributeValue::S(id.to_string()),
            );
            key
        });
        // One more than a page tells whether another page follows. A query stops at
        // 1 MB of items whatever its limit: its next page is read until the page is full
        // or nothing follows, so a short answer never reads as the last page.
        let mut items = Vec::new();
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .index_name(BY_STATUS.name)
                .key_condition_expression("#status = :status")
                .expression_attribute_names("#status", BY_STATUS.key.partition)
                .expression_attribute_values(":status", partition.clone())
                .scan_index_forward(false)
                .limit(page_size(limit + 1 - items.len())?)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(errors::store_error)?;
            items.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if items.len() > limit || start.is_none() {
                break;
            }
        }
        let more = items.len() > limit;
        // The page ends where the query's page ends, even when its last report is purged.
        let last_id = items
            .get(limit.saturating_sub(1))
            .and_then(|i| i.get("id"))
            .and_then(|v| v.as_s().ok())
            .and_then(|id| ReportId::parse(id));
        let now = self.clock.now();
        let page: Vec<Report> = items
            .into_iter()
            .take(limit)
            .map(|item| ReportItem::into_report(item, now))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        let next_after = if more { last_id } else { None };
        let reports = page;
        Ok(Page {
            reports,
            next_after,
        })
    }
}

/// What to read of a report's partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Partition {
    /// Every item of the report's own (its sightings left out), strongly consistent.
    Whole,
    /// The keys of its items whose sort key starts with this prefix (its history, its
    /// publication ledger).
    Keys(&'static str),
    /// Its publication ledger entries, strongly consistent: what SNS accepted so far.
    Ledger,
}

impl DynamoStore {
    /// The items of report `id`'s partition, every page of them.
    pub(super) async fn partition(
        &self,
        id: ReportId,
        what: Partition,
    ) -> Result<Vec<items::Item>, StoreError> {
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .expression_attribute_names("#pk", TABLE.key.partition)
                .expression_attribute_values(":pk", AttributeValue::S(keys::report_pk(id)))
                .set_exclusive_start_key(start);
            query = match what {
                Partition::Whole => query
                    .key_condition_expression("#pk = :pk AND #sk < :sightings")
                    .expression_attribute_names("#sk", TABLE.key.sort)
                    .expression_attribute_values(
                        ":sightings",
                        AttributeValue::S(keys::SIGHTING_PREFIX.into()),
                    )
                    .consistent_read(true),
                Partition::Keys(prefix) => query
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expression_attribute_names("#sk", TABLE.key.sort)
                    .expression_attribute_values(":prefix", AttributeValue::S(prefix.into()))
                    .projection_expression("#pk, #sk"),
                Partition::Ledger => query
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expression_attribute_names("#sk", TABLE.key.sort)
                    .expression_attribute_values(
                        ":prefix",
                        AttributeValue::S(keys::PUBLICATION_PREFIX.into()),
                    )
                    .consistent_read(true),
            };
            let out = query.send().await.map_err(errors::store_error)?;
            found.extend(out.items.unwrap_or_default());
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }
}

impl HistoryReader for DynamoStore {
    async fn get_with_history(
        &self,
        id: ReportId,
    ) -> Result<Option<(Report, Vec<HistoryEntry>)>, StoreError> {
        // The report and its history share a partition: one strongly consistent Query
        // reads both, history first (`HISTORY#…` sorts before `REPORT`).
        let mut report = None;
        let mut history = Vec::new();
        let now = self.clock.now();
        for item in self.partition(id, Partition::Whole).await? {
            match kind_of(&item) {
                Some(Kind::Report) => report = ReportItem::into_report(item, now)?,
                Some(Kind::History) => history.extend(HistoryItem::into_entry(item, now)?),
                _ => {}
            }
        }
        history.sort_by_key(|h| h.version);
        Ok(report.map(|r| (r, history)))
    }
}
