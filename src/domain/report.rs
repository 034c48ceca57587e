//! A filed report: its current state and its audit trail.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::details::ReportDraft;
use super::ids::{OfficerId, ReportId};
use super::lifecycle::{Action, Status};

/// A filed report: its current state. Built only by [`Report::file`] (and read back from
/// storage), so its status and version follow the lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    id: ReportId,
    version: u32,
    status: Status,
    reported_by: OfficerId,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    #[serde(flatten)]
    details: ReportDraft,
}

/// One immutable line of a report's audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub report_id: ReportId,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: OfficerId,
    pub action: Action,
    pub from: Option<Status>,
    pub to: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Report {
    /// Files `draft` as a new report pending review, with the first line of its history.
    pub fn file(
        id: ReportId,
        draft: ReportDraft,
        officer: OfficerId,
        now: OffsetDateTime,
    ) -> (Report, HistoryEntry) {
        let report = Report {
            id,
            version: 1,
            status: Status::PendingReview,
            reported_by: officer.clone(),
            created_at: now,
            updated_at: now,
            details: draft,
        };
        let entry = HistoryEntry {
            report_id: id,
            version: 1,
            at: now,
            actor: officer,
            action: Action::File,
            from: None,
            to: Status::PendingReview,
            reason: None,
        };
        (report, entry)
    }

    pub fn id(&self) -> ReportId {
        self.id
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn reported_by(&self) -> &OfficerId {
        &self.reported_by
    }
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    pub fn updated_at(&self) -> OffsetDateTime {
        self.updated_at
    }
    pub fn details(&self) -> &ReportDraft {
        &self.details
    }
}
