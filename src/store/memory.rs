//! An in-memory store with the same all-or-nothing semantics as the DynamoDB adapter,
//! for unit and handler tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;

use crate::domain::rate::{Admission, RateLimit};
use crate::domain::sighting::Sighting;
use crate::domain::{HistoryEntry, Report, ReportId, SightingId, Status, Transition};
use crate::ports::{
    CreateError, HistoryReader, IdempotencyRecord, Page, RateLimiter, ReportCreator, ReportLister,
    ReportReader, ReportWriter, SaveError, SightingError, SightingPage, SightingReader,
    SightingWriter, StoreError,
};

#[derive(Debug, Default)]
struct Tables {
    reports: HashMap<ReportId, Report>,
    history: Vec<HistoryEntry>,
    keys: HashMap<String, IdempotencyRecord>,
    sightings: Vec<Sighting>,
    /// Rate-limit counters by limit, key and window.
    counters: HashMap<String, u32>,
}

#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    tables: Arc<Mutex<Tables>>,
}

impl MemoryStore {
    fn lock(&self) -> Result<MutexGuard<'_, Tables>, StoreError> {
        self.tables
            .lock()
            .map_err(|_| StoreError::Other("memory store poisoned".into()))
    }

    pub fn report_count(&self) -> usize {
        self.lock().map(|t| t.reports.len()).unwrap_or(0)
    }
}

/// Sorts `items` newest first by their id, keeps one page of `limit`, and says where
/// the next starts, as the table's Queries do.
fn newest_first<T, K: Ord + Copy>(
    items: &mut Vec<T>,
    limit: usize,
    id: impl Fn(&T) -> K,
) -> Option<K> {
    items.sort_by_key(|item| std::cmp::Reverse(id(item)));
    let more = items.len() > limit;
    items.truncate(limit);
    more.then(|| items.last().map(&id)).flatten()
}

impl ReportCreator for MemoryStore {
    async fn create(
        &self,
        report: &Report,
        history: &HistoryEntry,
        key: Option<&IdempotencyRecord>,
        now: OffsetDateTime,
    ) -> Result<(), CreateError> {
        let mut tables = self.lock()?;
        let key_taken = key
            .and_then(|k| tables.keys.get(&k.scope))
            .is_some_and(|existing| existing.expires_at > now);
        if key_taken {
            return Err(CreateError::KeyTaken);
        }
        if tables.reports.contains_key(&report.id()) {
            return Err(StoreError::Other("report id already exists".into()).into());
        }
        tables.reports.insert(report.id(), report.clone());
        tables.history.push(history.clone());
        if let Some(key) = key {
            tables.keys.insert(key.scope.clone(), key.clone());
        }
        Ok(())
    }

    async fn idempotency_record(
        &self,
        scope: &str,
        now: OffsetDateTime,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        Ok(self
            .lock()?
            .keys
            .get(scope)
            .filter(|r| r.expires_at > now)
            .cloned())
    }
}

impl ReportReader for MemoryStore {
    async fn get(&self, id: ReportId) -> Result<Option<Report>, StoreError> {
        Ok(self.lock()?.reports.get(&id).cloned())
    }
}

impl ReportWriter for MemoryStore {
    async fn save(&self, transition: &Transition) -> Result<(), SaveError> {
        let mut tables = self.lock()?;
        let id = transition.report.id();
        let current = tables.reports.get(&id).map(Report::version);
        if current != Some(transition.expected_version()) {
            return Err(SaveError::Stale);
        }
        tables.reports.insert(id, transition.report.clone());
        tables.history.push(transition.entry.clone());
        Ok(())
    }
}

impl ReportLister for MemoryStore {
    async fn list(
        &self,
        status: Status,
        limit: usize,
        after: Option<ReportId>,
    ) -> Result<Page, StoreError> {
        let tables = self.lock()?;
        let mut reports: Vec<Report> = tables
            .reports
            .values()
            .filter(|r| r.status() == status && after.is_none_or(|a| r.id() < a))
            .cloned()
            .collect();
        let next_after = newest_first(&mut reports, limit, Report::id);
        Ok(Page {
            reports,
            next_after,
        })
    }
}

impl HistoryReader for MemoryStore {
    async fn get_with_history(
        &self,
        id: ReportId,
    ) -> Result<Option<(Report, Vec<HistoryEntry>)>, StoreError> {
        let tables = self.lock()?;
        let Some(report) = tables.reports.get(&id).cloned() else {
            return Ok(None);
        };
        let mut history: Vec<HistoryEntry> = tables
            .history
            .iter()
            .filter(|h| h.report_id == id)
            .cloned()
            .collect();
        history.sort_by_key(|h| h.version);
        Ok(Some((report, history)))
    }
}

impl SightingWriter for MemoryStore {
    async fn add_sighting(
        &self,
        report: &Report,
        sighting: &Sighting,
    ) -> Result<(), SightingError> {
        let mut tables = self.lock()?;
        let active = tables
            .reports
            .get(&report.id())
            .is_some_and(|r| r.status() == Status::Active);
        if !active {
            return Err(SightingError::NotActive);
        }
        tables.sightings.push(sighting.clone());
        Ok(())
    }
}

impl SightingReader for MemoryStore {
    async fn sightings(
        &self,
        report: ReportId,
        limit: usize,
        after: Option<SightingId>,
    ) -> Result<SightingPage, StoreError> {
        let tables = self.lock()?;
        let mut sightings: Vec<Sighting> = tables
            .sightings
            .iter()
            .filter(|s| s.report_id == report && after.is_none_or(|a| s.id < a))
            .cloned()
            .collect();
        let next_after = newest_first(&mut sightings, limit, |s| s.id);
        Ok(SightingPage {
            sightings,
            next_after,
        })
    }
}

impl RateLimiter for MemoryStore {
    async fn admit(
        &self,
        limit: &RateLimit,
        key: &str,
        now: OffsetDateTime,
    ) -> Result<Admission, StoreError> {
        let window = limit.window(now).start.unix_timestamp();
        let mut tables = self.lock()?;
        let count = tables
            .counters
            .entry(format!("{}/{key}/{window}", limit.name))
            .or_default();
        if *count >= limit.limit {
            return Ok(Admission::Refused {
                retry_after: limit.retry_after(now),
            });
        }
        *count += 1;
        Ok(Admission::Admitted)
    }
}
