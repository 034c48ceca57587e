//! How domain values are laid out as items: keys beside the serde form of the value.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::case_events::SightingNotice;
use crate::domain::sighting::Sighting;
use crate::domain::{HistoryEntry, Region, Report, ReportId, RetentionPolicy, Status};
use crate::ports::{IdempotencyRecord, RetentionMarker, RetentionStep, StoreError};
use crate::store::keys;
use crate::store::schema::TABLE;

pub type Item = HashMap<String, AttributeValue>;

fn to_item<T: Serialize>(value: &T) -> Result<Item, StoreError> {
    serde_dynamo::to_item(value).map_err(|e| StoreError::Other(format!("encoding an item: {e}")))
}

/// Decodes an item. The error says where and what failed, never the value: serde's own
/// message quotes it, and it may be a child's name.
fn from_item<T: for<'de> Deserialize<'de>>(item: Item) -> Result<T, StoreError> {
    let item: serde_dynamo::Item = item.into();
    let deserializer = serde_dynamo::Deserializer::from_attribute_value(
        serde_dynamo::AttributeValue::M(item.into()),
    );
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let what = without_quotes(&e.inner().to_string());
        StoreError::Other(format!("decoding an item: at {}: {what}", e.path()))
    })
}

/// `text` with what it quotes (between `"` or `` ` ``) left out: serde quotes the value
/// it could not read.
fn without_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open = None;
    for c in text.chars() {
        match open {
            Some(quote) if c == quote => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '`' {
                    open = Some(c);
                }
            }
        }
    }
    out
}

/// What kind of item a stream record carries, so that consumers can filter on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Report,
    History,
    Idempotency,
    Retention,
    Publication,
    Sighting,
    /// A rate limit's counter for one window.
    Limit,
}

#[derive(Serialize, Deserialize)]
pub struct ReportItem {
    pk: String,
    sk: String,
    kind: Kind,
    gsi1pk: String,
    gsi1sk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2sk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi3sk: Option<String>,
    /// The TTL attribute, once the report has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    purge_at: Option<i64>,
    #[serde(flatten)]
    report: Report,
}

impl ReportItem {
    pub fn from_report(report: &Report, retention: &RetentionPolicy) -> Result<Item, StoreError> {
        let active = report.alert().filter(|_| report.status() == Status::Active);
        // The scheduler's partition of `by_expiry`: an alert by its expiry, a report
        // waiting for review by its filing time.
        let scheduled = match (active, report.status()) {
            (Some(a), _) => Some((keys::ACTIVE, keys::time_key(a.expires_at))),
            (None, Status::PendingReview) => Some((
                match report.review_reminded_at() {
                    None => keys::REVIEW_WAITING,
                    Some(_) => keys::REVIEW_REMINDED,
                },
                keys::time_key(report.created_at()),
            )),
            _ => None,
        };
        // An alert out of room for messages widens no more: off the index too.
        let widening = active
            .filter(|_| report.has_room_for_an_update())
            .and_then(|a| a.area.next_widening())
            .map(keys::time_key);
        to_item(&ReportItem {
            pk: keys::report_pk(report.id()),
            sk: keys::REPORT_SK.to_owned(),
            kind: Kind::Report,
            gsi1pk: keys::status_pk(report.status()),
            gsi1sk: report.id().to_string(),
            gsi2pk: scheduled.as_ref().map(|(pk, _)| (*pk).to_owned()),
            gsi2sk: scheduled.map(|(_, sk)| sk),
            gsi3pk: widening.as_ref().map(|_| keys::WIDENING.to_owned()),
            gsi3sk: widening,
            purge_at: report.purge_at(retention).map(|t| t.unix_timestamp()),
            report: report.clone(),
        })
    }

    /// The report, unless its purge time has passed at `now`: reads never wait for
    /// DynamoDB's TTL, which deletes items some time after.
    pub fn into_report(item: Item, now: OffsetDateTime) -> Result<Option<Report>, StoreError> {
        let item: ReportItem = from_item(item)?;
        let purged = item.purge_at.is_some_and(|at| at <= now.unix_timestamp());
        Ok((!purged).then_some(item.report))
    }
}

/// A report that ended and whose history still has a retention step to go through.
#[derive(Serialize, Deserialize)]
pub struct RetentionItem {
    pk: String,
    sk: String,
    kind: Kind,
    gsi2pk: String,
    /// When the next step is due.
    gsi2sk: String,
    report_id: ReportId,
    step: RetentionStep,
    #[serde(with = "time::serde::rfc3339")]
    report_purge_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    history_purge_at: OffsetDateTime,
}

impl RetentionItem {
    /// The marker a report gets when it ends: its first step is due at once.
    pub fn for_ended(report: &Report, retention: &RetentionPolicy) -> Option<RetentionMarker> {
        let ended = report.ending()?.at;
        Some(RetentionMarker {
            report_id: report.id(),
            step: RetentionStep::Stamp,
            report_purge_at: report.purge_at(retention).unwrap_or(ended),
            history_purge_at: report.history_purge_at(retention).unwrap_or(ended),
        })
    }

    pub fn from_marker(marker: &RetentionMarker, due: OffsetDateTime) -> Result<Item, StoreError> {
        to_item(&RetentionItem {
            pk: keys::report_pk(marker.report_id),
            sk: keys::RETENTION_SK.to_owned(),
            kind: Kind::Retention,
            gsi2pk: keys::RETAIN.to_owned(),
            gsi2sk: keys::time_key(due),
            report_id: marker.report_id,
            step: marker.step,
            report_purge_at: marker.report_purge_at,
            history_purge_at: marker.history_purge_at,
        })
    }

    pub fn into_marker(item: Item) -> Result<RetentionMarker, StoreError> {
        let i: RetentionItem = from_item(item)?;
        Ok(RetentionMarker {
            report_id: i.report_id,
            step: i.step,
            report_purge_at: i.report_purge_at,
            history_purge_at: i.history_purge_at,
        })
    }
}

/// A public version in the publication ledger. Unpublished, it is in the `by_expiry`
/// index (`gsi2pk` = `UNPUBLISHED`, `gsi2sk` = its commit) and holds the report as that
/// version committed it, so that it can be published however late; published, it keeps
/// only ids and times.
#[derive(Serialize, Deserialize)]
pub struct PublicationItem {
    pk: String,
    sk: String,
    kind: Kind,
    pub report_id: ReportId,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    committed_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2pk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    gsi2sk: Option<String>,
    /// The report at this version, until SNS accepts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Report>,
    /// How many times the scheduled run sent it to the fan-out again.
    #[serde(default)]
    pub nudges: u32,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub published_at: Option<OffsetDateTime>,
    /// The TTL attribute: the entry goes with the pseudonymous trail.
    purge_at: i64,
}

impl PublicationItem {
    /// The ledger entry of a transition that published, unpublished yet.
    pub fn unpublished(
        report: &Report,
        retention: &RetentionPolicy,
    ) -> Option<Result<Item, StoreError>> {
        let publication = report.publication()?;
        Some(to_item(&PublicationItem {
            pk: keys::report_pk(report.id()),
            sk: keys::publication_sk(report.version()),
            kind: Kind::Publication,
            report_id: report.id(),
            version: report.version(),
            committed_at: publication.sent,
            gsi2pk: Some(keys::UNPUBLISHED.to_owned()),
            gsi2sk: Some(keys::time_key(publication.sent)),
            snapshot: Some(report.clone()),
            nudges: 0,
            published_at: None,
            purge_at: (publication.sent + retention.history).unix_timestamp(),
        }))
    }

    pub fn decode(item: Item) -> Result<PublicationItem, StoreError> {
        from_item(item)
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

    /// The entry, unless its purge time has passed at `now`.
    pub fn into_entry(item: Item, now: OffsetDateTime) -> Result<Option<HistoryEntry>, StoreError> {
        let purged = match item.get(TABLE.ttl_attribute) {
            Some(AttributeValue::N(at)) => {
                at.parse::<i64>().is_ok_and(|at| at <= now.unix_timestamp())
            }
            _ => false,
        };
        if purged {
            return Ok(None);
        }
        from_item::<HistoryItem>(item).map(|i| Some(i.entry))
    }
}

/// A sighting under its report, with what the case-events message says of it (the
/// stream reads a [`SightingNotice`] from its image).
#[derive(Serialize, Deserialize)]
pub struct SightingItem {
    pk: String,
    sk: String,
    kind: Kind,
    #[serde(flatten)]
    sighting: Sighting,
    version: u32,
    region: Region,
    exercise: bool,
    #[serde(with = "time::serde::rfc3339")]
    filed_at: OffsetDateTime,
}

impl SightingItem {
    pub fn from_sighting(report: &Report, sighting: &Sighting) -> Result<Item, StoreError> {
        let notice = SightingNotice::of(report, sighting.id, sighting.received_at);
        to_item(&SightingItem {
            pk: keys::report_pk(report.id()),
            sk: keys::sighting_sk(sighting.id),
            kind: Kind::Sighting,
            sighting: sighting.clone(),
            version: notice.version,
            region: notice.region,
            exercise: notice.exercise,
            filed_at: notice.filed_at,
        })
    }

    pub fn into_sighting(item: Item) -> Result<Sighting, StoreError> {
        from_item::<SightingItem>(item).map(|i| i.sighting)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undecodable_item_s_error_never_quotes_its_value() {
        let report =
            crate::domain::samples::alert_with("Amina", "Rabat", "Red coat", serde_json::json!({}));
        let mut item = to_item(&report).expect("encoded");
        let mut child = item["child"].as_m().expect("a map").clone();
        child.insert("age".into(), AttributeValue::S("Amina Secretname".into()));
        item.insert("child".into(), AttributeValue::M(child));
        let error = from_item::<Report>(item)
            .expect_err("undecodable")
            .to_string();
        assert!(error.contains("invalid type: string \"…\""), "{error}");
        assert!(!error.contains("Secretname"), "{error}");
        let mut item = to_item(&report).expect("encoded");
        item.insert("version".into(), AttributeValue::S("Secretname".into()));
        let error = from_item::<Report>(item)
            .expect_err("undecodable")
            .to_string();
        assert!(!error.contains("Secretname"), "{error}");
    }
}
