//! Sightings under their report, and the rate limits' counters.

use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, TransactWriteItem};
use time::OffsetDateTime;

use super::items::{Item, SightingItem};
use super::{DynamoStore, IS_NEW, errors, page_size};
use crate::domain::rate::{Admission, RateLimit};
use crate::domain::sighting::Sighting;
use crate::domain::{Report, ReportId, SightingId, Status};
use crate::ports::{
    RateLimiter, SaveError, SightingError, SightingPage, SightingReader, SightingWriter, StoreError,
};
use crate::store::keys;
use crate::store::schema::TABLE;

fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

impl SightingWriter for DynamoStore {
    /// The sighting and a check that its report is active, in one transaction: an alert
    /// that ends while a witness writes takes nothing after its end.
    async fn add_sighting(
        &self,
        report: &Report,
        sighting: &Sighting,
    ) -> Result<(), SightingError> {
        let check = ConditionCheck::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::report_pk(report.id()),
                keys::REPORT_SK,
            )))
            .condition_expression("#status = :active")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":active", s(Status::Active.as_str()))
            .build()
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let writes = vec![
            TransactWriteItem::builder().condition_check(check).build(),
            self.put(SightingItem::from_sighting(report, sighting), IS_NEW, None)?,
        ];
        self.transact(writes)
            .await
            .map_err(|e| match errors::save_error(e) {
                SaveError::Stale => SightingError::NotActive,
                SaveError::Store(e) => SightingError::Store(e),
            })
    }
}

impl SightingReader for DynamoStore {
    async fn sightings(
        &self,
        report: ReportId,
        limit: usize,
        after: Option<SightingId>,
    ) -> Result<SightingPage, StoreError> {
        let start: Option<Item> =
            after.map(|after| Self::key(keys::report_pk(report), &keys::sighting_sk(after)));
        // One more than asked: whether a next page exists, without an empty last one.
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
            .expression_attribute_names("#pk", TABLE.key.partition)
            .expression_attribute_names("#sk", TABLE.key.sort)
            .expression_attribute_values(":pk", s(keys::report_pk(report)))
            .expression_attribute_values(":prefix", s(keys::SIGHTING_PREFIX))
            .scan_index_forward(false)
            .limit(page_size(limit + 1)?)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(errors::store_error)?;
        // DynamoDB stops at 1 MB of items, before `limit` when sightings are long: then
        // more follow all the same.
        let cut = out.last_evaluated_key.is_some();
        let mut sightings = out
            .items
            .unwrap_or_default()
            .into_iter()
            .map(SightingItem::into_sighting)
            .collect::<Result<Vec<_>, _>>()?;
        let more = sightings.len() > limit || cut;
        sightings.truncate(limit);
        let next_after = more.then(|| sightings.last().map(|s| s.id)).flatten();
        Ok(SightingPage {
            sightings,
            next_after,
        })
    }
}

impl RateLimiter for DynamoStore {
    /// One conditional atomic counter per window: DynamoDB serialises the writes to an
    /// item, so concurrent requests never admit more than the limit.
    async fn admit(
        &self,
        limit: &RateLimit,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Admission, StoreError> {
        let window = limit.window(now);
        let counted = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(
                keys::limit_pk(limit.name, key),
                &keys::time_key(window.start),
            )))
            .update_expression("ADD #count :one SET #ttl = :end, #kind = :kind")
            .condition_expression("attribute_not_exists(#count) OR #count < :limit")
            .expression_attribute_names("#count", "count")
            .expression_attribute_names("#ttl", TABLE.ttl_attribute)
            .expression_attribute_names("#kind", "kind")
            .expression_attribute_values(":one", AttributeValue::N("1".into()))
            .expression_attribute_values(":limit", AttributeValue::N(limit.limit.to_string()))
            .expression_attribute_values(
                ":end",
                AttributeValue::N(window.end.unix_timestamp().to_string()),
            )
            .expression_attribute_values(":kind", s("limit"))
            .send()
            .await;
        match counted {
            Ok(_) => Ok(Admission::Admitted),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|e| e.is_conditional_check_failed_exception()) =>
            {
                Ok(Admission::Refused {
                    retry_after: limit.retry_after(now),
                })
            }
            Err(e) => Err(errors::store_error(e)),
        }
    }
}
