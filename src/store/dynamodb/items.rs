//! How domain values are laid out as items: keys beside the serde form of the value.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{HistoryEntry, Report, ReportId};
use crate::ports::{IdempotencyRecord, StoreError};
use crate::store::keys;

pub type Item = HashMap<String, AttributeValue>;

fn to_item<T: Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|e| StoreError::Other(format!("encoding an item: {e}")))
}

fn from_item<T: for<'de> Deserialize<'de>>(item: Item) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Other(format!("decoding an item: {e}")))
}

/// What kind of item a stream record carries, so that consumers can filter on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Report,
    History,
    Idempotency,
}

#[derive(Serialize, Deserialize)]
pub struct ReportItem {
    pk: String,
    sk: String,
    kind: Kind,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(flatten)]
    report: Report,
}

impl ReportItem {
    pub fn from_report(report: &Report) -> Result<Item, StoreError> {
        to_item(&ReportItem {
            pk: keys::report_pk(report.id()),
            sk: keys::REPORT_SK.to_owned(),
            kind: Kind::Report,
            gsi1pk: keys::status_pk(report.status()),
            gsi1sk: report.id().to_string(),
            report: report.clone(),
        })
    }

    pub fn into_report(item: Item) -> Result<Report, StoreError> {
        from_item::<ReportItem>(item).map(|i| i.report)
    }
}

#[derive(Serialize, Deserialize)]
pub struct HistoryItem {
    pk: String,
    sk: String,
    kind: Kind,
    #[serde(flatten)]
    entry: HistoryEntry,
}

impl HistoryItem {
    pub fn from_entry(entry: &HistoryEntry) -> Result<Item, StoreError> {
        to_item(&HistoryItem {
            pk: keys::report_pk(entry.report_id),
            sk: keys::history_sk(entry.version),
            kind: Kind::History,
            entry: entry.clone(),
        })
    }

    pub fn into_entry(item: Item) -> Result<HistoryEntry, StoreError> {
        from_item::<HistoryItem>(item).map(|i| i.entry)
    }
}

/// The kind of a read item, to tell a report from its history in one Query.
pub fn kind_of(item: &Item) -> Option<Kind> {
    let kind = item.get("kind")?.as_s().ok()?;
    serde_json::from_value(serde_json::Value::String(kind.clone())).ok()
}

#[derive(Serialize, Deserialize)]
pub struct IdempotencyItem {
    pk: String,
    sk: String,
    kind: Kind,
    scope: String,
    fingerprint: String,
    report_id: ReportId,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: OffsetDateTime,
    /// The TTL attribute: DynamoDB deletes the key some time after this.
    purge_at: i64,
}

impl IdempotencyItem {
    pub fn from_record(record: &IdempotencyRecord) -> Result<Item, StoreError> {
        to_item(&IdempotencyItem {
            pk: keys::idempotency_pk(&record.scope),
            sk: keys::IDEMPOTENCY_SK.to_owned(),
            kind: Kind::Idempotency,
            scope: record.scope.clone(),
            fingerprint: record.fingerprint.clone(),
            report_id: record.report_id,
            expires_at: record.expires_at,
            purge_at: record.expires_at.unix_timestamp(),
        })
    }

    pub fn into_record(item: Item) -> Result<IdempotencyRecord, StoreError> {
        let i: IdempotencyItem = from_item(item)?;
        Ok(IdempotencyRecord {
            scope: i.scope,
            fingerprint: i.fingerprint,
            report_id: i.report_id,
            expires_at: i.expires_at,
        })
    }
}
