//! The scheduler's reads and retention steps: Queries of the sparse `by_expiry` and
//! `by_widening` indexes bounded by the due time, so a run reads the due items only.

use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, DeleteRequest, WriteRequest};
use time::OffsetDateTime;

use super::items::{Item, PublicationItem, ReportItem, RetentionItem};
use super::{DynamoStore, Partition, errors, page_size};
use crate::domain::limits::RECONCILE_AFTER_MINUTES;
use crate::domain::{Report, ReportId};
use crate::ports::{
    Due, DueCursor, DuePage, DueReader, PublicationLedger, Reconciler, Replay, RetentionMarker,
    RetentionStep, RetentionStore, ReviewReminder, SaveError, Standing, StoreError, Unpublished,
};
use crate::store::keys;
use crate::store::schema::{BY_EXPIRY, BY_WIDENING, Index, TABLE};

/// UpdateItem would create an item that TTL deleted meanwhile: update only what exists.
const EXISTS: &str = "attribute_exists(pk)";

fn gone_is_fine<T, R: std::fmt::Debug>(
    result: Result<T, aws_sdk_dynamodb::error::SdkError<UpdateItemError, R>>,
) -> Result<(), StoreError> {
    match result {
        Ok(_) => Ok(()),
        Err(e)
            if e.as_service_error()
                .is_some_and(UpdateItemError::is_conditional_check_failed_exception) =>
        {
            Ok(())
        }
        Err(e) => Err(errors::store_error(e)),
    }
}

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

/// Sightings one retention step deletes at most (100 BatchWriteItem calls): a flooded
/// alert's are deleted over several runs rather than outlast one.
const SIGHTINGS_PURGED_PER_STEP: usize = 2_500;

impl DynamoStore {
    /// Deletes the items of `keys`.
    async fn delete_all(&self, keys: impl Iterator<Item = Item>) -> Result<(), StoreError> {
        let requests: Vec<WriteRequest> = keys
            .map(|key| {
                DeleteRequest::builder()
                    .set_key(Some(key))
                    .build()
                    .map(|delete| WriteRequest::builder().delete_request(delete).build())
                    .map_err(|e| StoreError::Other(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        self.write_all(requests).await
    }

    /// Applies `update` to each of `items` that still exists; one already gone is fine.
    async fn update_each(
        &self,
        items: Vec<Item>,
        update: impl Fn(UpdateItemFluentBuilder) -> UpdateItemFluentBuilder,
    ) -> Result<(), StoreError> {
        for key in items {
            let request = self
                .client
                .update_item()
                .table_name(&self.table)
                .set_key(Some(key))
                .condition_expression(EXISTS);
            gone_is_fine(update(request).send().await)?;
        }
        Ok(())
    }

    /// One page of the items of `partition` in `index` due at `now` (sort key ≤ now).
    async fn due_items(
        &self,
        index: Index,
        partition: &str,
        now: OffsetDateTime,
        limit: usize,
        start: Option<Item>,
    ) -> Result<(Vec<Item>, Option<Item>, usize), StoreError> {
        let limit = page_size(limit)?;
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(index.name)
            .key_condition_expression("#pk = :pk AND #sk <= :now")
            .expression_attribute_names("#pk", index.key.partition)
            .expression_attribute_names("#sk", index.key.sort)
            .expression_attribute_values(":pk", s(partition))
            .expression_attribute_values(":now", s(keys::time_key(now)))
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(errors::store_error)?;
        Ok((
            out.items.unwrap_or_default(),
            out.last_evaluated_key,
            usize::try_from(out.scanned_count).unwrap_or(0),
        ))
    }

    fn start_key(index: Index, partition: &str, pk: String, sk: &str, cursor: &DueCursor) -> Item {
        [
            (TABLE.key.partition.to_owned(), s(pk)),
            (TABLE.key.sort.to_owned(), s(sk)),
            (index.key.partition.to_owned(), s(partition)),
            (index.key.sort.to_owned(), s(cursor.key.clone())),
        ]
        .into()
    }
}

impl DueReader for DynamoStore {
    async fn due(
        &self,
        due: Due,
        until: OffsetDateTime,
        limit: usize,
        after: Option<DueCursor>,
    ) -> Result<DuePage, StoreError> {
        let (index, partition) = match due {
            Due::Expiry => (BY_EXPIRY, keys::ACTIVE),
            Due::Widening => (BY_WIDENING, keys::WIDENING),
            Due::Review => (BY_EXPIRY, keys::REVIEW_WAITING),
            Due::Lapse => (BY_EXPIRY, keys::REVIEW_REMINDED),
        };
        let now = self.clock.now();
        let start = after
            .map(|c| Self::start_key(index, partition, keys::report_pk(c.id), keys::REPORT_SK, &c));
        let (items, last, scanned) = self
            .due_items(index, partition, until, limit, start)
            .await?;
        let next = last.and_then(|key| {
            let sort = key.get(index.key.sort)?.as_s().ok()?.clone();
            let id = key
                .get(TABLE.key.partition)?
                .as_s()
                .ok()?
                .strip_prefix("REPORT#")?
                .to_owned();
            Some(DueCursor {
                key: sort,
                id: crate::domain::ReportId::parse(&id)?,
            })
        });
        let reports = items
            .into_iter()
            .map(|item| ReportItem::into_report(item, now))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect();
        Ok(DuePage {
            reports,
            next,
            scanned,
        })
    }
}

impl RetentionStore for DynamoStore {
    async fn retention_due(
        &self,
        now: OffsetDateTime,
        limit: usize,
    ) -> Result<(Vec<RetentionMarker>, usize), StoreError> {
        let (items, _, scanned) = self
            .due_items(BY_EXPIRY, keys::RETAIN, now, limit, None)
            .await?;
        let markers = items
            .into_iter()
            .map(RetentionItem::into_marker)
            .collect::<Result<_, _>>()?;
        Ok((markers, scanned))
    }

    async fn retain(&self, marker: &RetentionMarker) -> Result<(), StoreError> {
        let history = self
            .partition(marker.report_id, Partition::Keys(keys::HISTORY_PREFIX))
            .await?;
        let marker_key = [
            (
                TABLE.key.partition.to_owned(),
                s(keys::report_pk(marker.report_id)),
            ),
            (TABLE.key.sort.to_owned(), s(keys::RETENTION_SK)),
        ];
        match marker.step {
            RetentionStep::Stamp => {
                let purge_at =
                    AttributeValue::N(marker.history_purge_at.unix_timestamp().to_string());
                self.update_each(history, |update| {
                    update
                        .update_expression("SET #ttl = :purge_at")
                        .expression_attribute_names("#ttl", TABLE.ttl_attribute)
                        .expression_attribute_values(":purge_at", purge_at.clone())
                })
                .await?;
                let next = RetentionMarker {
                    step: RetentionStep::Strip,
                    ..marker.clone()
                };
                self.client
                    .put_item()
                    .table_name(&self.table)
                    .set_item(Some(RetentionItem::from_marker(
                        &next,
                        marker.report_purge_at,
                    )?))
                    .send()
                    .await
                    .map_err(errors::store_error)?;
            }
            RetentionStep::Strip => {
                self.update_each(history, |update| {
                    update.update_expression("REMOVE reason, override_reason")
                })
                .await?;
                // A version SNS never accepted keeps the report in its ledger entry: out
                // with the rest of the child's data, and off the reconciler's index.
                let ledger = self
                    .partition(marker.report_id, Partition::Keys(keys::PUBLICATION_PREFIX))
                    .await?;
                self.update_each(ledger, |update| {
                    update
                        .update_expression("REMOVE #snapshot, gsi2pk, gsi2sk")
                        .expression_attribute_names("#snapshot", "snapshot")
                })
                .await?;
                // What witnesses wrote goes with the child's data, a bounded number a
                // run: the marker stays until the last is gone, and the next run goes on.
                let sightings = self
                    .partition(marker.report_id, Partition::Keys(keys::SIGHTING_PREFIX))
                    .await?;
                let more = sightings.len() > SIGHTINGS_PURGED_PER_STEP;
                self.delete_all(sightings.into_iter().take(SIGHTINGS_PURGED_PER_STEP))
                    .await?;
                if more {
                    return Ok(());
                }
                self.client
                    .delete_item()
                    .table_name(&self.table)
                    .set_key(Some(marker_key.into()))
                    .send()
                    .await
                    .map_err(errors::store_error)?;
            }
        }
        Ok(())
    }
}

impl ReviewReminder for DynamoStore {
    async fn remind(&self, reminded: &Report) -> Result<(), SaveError> {
        let version = AttributeValue::N(reminded.version().to_string());
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(ReportItem::from_report(reminded, &self.retention)?))
            .condition_expression(
                "#version = :version AND attribute_not_exists(review_reminded_at)",
            )
            .expression_attribute_names("#version", "version")
            .expression_attribute_values(":version", version)
            .send()
            .await
            .map(drop)
            .map_err(|e| match e.as_service_error() {
                Some(e) if e.is_conditional_check_failed_exception() => SaveError::Stale,
                _ => SaveError::Store(errors::store_error(e)),
            })
    }
}

impl DynamoStore {
    fn publication_key(id: ReportId, version: u32) -> Item {
        [
            (TABLE.key.partition.to_owned(), s(keys::report_pk(id))),
            (TABLE.key.sort.to_owned(), s(keys::publication_sk(version))),
        ]
        .into()
    }
}

impl PublicationLedger for DynamoStore {
    async fn published(
        &self,
        id: ReportId,
        version: u32,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = s(at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default());
        // Off the index, and the report's data out of the ledger: ids and times remain.
        let request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::publication_key(id, version)))
            .condition_expression(EXISTS)
            .update_expression(
                "SET published_at = if_not_exists(published_at, :at) REMOVE gsi2pk, gsi2sk, #snapshot",
            )
            .expression_attribute_names("#snapshot", "snapshot")
            .expression_attribute_values(":at", at);
        gone_is_fine(request.send().await)
    }

    async fn standing(&self, id: ReportId, version: u32) -> Result<Standing, StoreError> {
        let entries = self.partition(id, Partition::Ledger).await?;
        let entries = entries
            .into_iter()
            .map(PublicationItem::decode)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Standing::among(
            version,
            entries
                .iter()
                .map(|e| (e.version, e.published_at.is_some())),
        ))
    }

    async fn superseded(&self, id: ReportId, version: u32) -> Result<(), StoreError> {
        self.off_the_index(id, version, EXISTS, "superseded", true)
            .await
    }

    async fn set_aside(&self, id: ReportId, version: u32) -> Result<(), StoreError> {
        self.off_the_index(id, version, UNPUBLISHED_ENTRY, "set_aside", false)
            .await
    }
}

impl DynamoStore {
    /// Takes a ledger entry off the reconciler's index with `flag` set, and the report
    /// out of it too when it will never be sent (`drop_snapshot`). Nothing when
    /// `condition` fails (the entry is gone, or published meanwhile).
    async fn off_the_index(
        &self,
        id: ReportId,
        version: u32,
        condition: &str,
        flag: &str,
        drop_snapshot: bool,
    ) -> Result<(), StoreError> {
        let remove = if drop_snapshot {
            "gsi2pk, gsi2sk, #snapshot"
        } else {
            "gsi2pk, gsi2sk"
        };
        let request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::publication_key(id, version)))
            .condition_expression(condition)
            .expression_attribute_names("#snapshot", "snapshot")
            .expression_attribute_names("#flag", flag)
            .update_expression(format!("SET #flag = :yes REMOVE {remove}"))
            .expression_attribute_values(":yes", AttributeValue::Bool(true));
        gone_is_fine(request.send().await)
    }
}

/// A ledger entry that still holds the version to publish.
const UNPUBLISHED_ENTRY: &str = "attribute_exists(#snapshot)";

impl Reconciler for DynamoStore {
    async fn unpublished(
        &self,
        until: OffsetDateTime,
        limit: usize,
    ) -> Result<(Vec<Unpublished>, usize), StoreError> {
        // Never what this store committed in the last minutes by its own clock, whatever
        // time a run says it is: a run replayed ahead of time must not race the fan-out
        // for a version it is publishing now.
        let settled = self.clock.now() - time::Duration::minutes(RECONCILE_AFTER_MINUTES);
        let (items, _, scanned) = self
            .due_items(
                BY_EXPIRY,
                keys::UNPUBLISHED,
                until.min(settled),
                limit,
                None,
            )
            .await?;
        let entries = items
            .into_iter()
            .map(|item| {
                PublicationItem::decode(item).map(|p| Unpublished {
                    report_id: p.report_id,
                    version: p.version,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok((entries, scanned))
    }

    async fn nudge(&self, entry: &Unpublished, now: OffsetDateTime) -> Result<(), StoreError> {
        self.send_again(entry, now, false).await.map(drop)
    }

    async fn replay(&self, entry: &Unpublished, now: OffsetDateTime) -> Result<Replay, StoreError> {
        if self.send_again(entry, now, true).await? {
            return Ok(Replay::Sent);
        }
        let held = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::publication_key(entry.report_id, entry.version)))
            .consistent_read(true)
            .send()
            .await
            .map_err(errors::store_error)?;
        Ok(match held.item {
            Some(_) => Replay::Settled,
            None => Replay::NotInLedger,
        })
    }
}

impl DynamoStore {
    /// Changes an unpublished ledger entry so that the stream carries it to the fan-out
    /// again, due again on the reconciler's index from `now` (put back on it first when
    /// `back_on_index`: a replay). False when there is no such entry.
    async fn send_again(
        &self,
        entry: &Unpublished,
        now: OffsetDateTime,
        back_on_index: bool,
    ) -> Result<bool, StoreError> {
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::publication_key(entry.report_id, entry.version)))
            .condition_expression(UNPUBLISHED_ENTRY)
            .expression_attribute_names("#snapshot", "snapshot")
            .expression_attribute_values(":now", s(keys::time_key(now)))
            .expression_attribute_values(":one", AttributeValue::N("1".into()));
        request = if back_on_index {
            request
                .update_expression(
                    "SET gsi2pk = :unpublished, gsi2sk = :now ADD nudges :one REMOVE set_aside",
                )
                .expression_attribute_values(":unpublished", s(keys::UNPUBLISHED))
        } else {
            request.update_expression("SET gsi2sk = :now ADD nudges :one")
        };
        match request.send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(UpdateItemError::is_conditional_check_failed_exception) =>
            {
                Ok(false)
            }
            Err(e) => Err(errors::store_error(e)),
        }
    }
}
