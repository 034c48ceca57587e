//! An in-memory store with the same all-or-nothing semantics as the DynamoDB adapter,
//! for unit and handler tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use time::OffsetDateTime;

use crate::domain::{HistoryEntry, Report, ReportId};
use crate::ports::{CreateError, IdempotencyRecord, ReportCreator, ReportReader, StoreError};

#[derive(Debug, Default)]
struct Tables {
    reports: HashMap<ReportId, Report>,
    history: Vec<HistoryEntry>,
    keys: HashMap<String, IdempotencyRecord>,
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

    pub fn history(&self, id: ReportId) -> Vec<HistoryEntry> {
        self.lock()
            .map(|t| {
                t.history
                    .iter()
                    .filter(|h| h.report_id == id)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }
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
