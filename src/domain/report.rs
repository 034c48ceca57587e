//! A filed report: its current state and its audit trail.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::alert::{Alert, Ending, RetentionPolicy};
use super::details::ReportDraft;
use super::ids::{OfficerId, ReportId};
use super::lifecycle::{Action, CapMsgType, Status};
use super::photo::HostedPhoto;

/// A filed report: its current state. Built only by [`Report::file`] (and read back from
/// storage), so its status and version follow the lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub(super) id: ReportId,
    pub(super) version: u32,
    pub(super) status: Status,
    pub(super) reported_by: OfficerId,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub(super) updated_at: OffsetDateTime,
    #[serde(flatten)]
    pub(super) details: ReportDraft,
    /// Set on approval: what is published, where, until when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) alert: Option<Alert>,
    /// Set when the report reaches a terminal state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) ending: Option<Ending>,
    /// Every public message of the alert so far, oldest first: what the CAP `references`
    /// of the next one list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) publications: Vec<Publication>,
    /// Officers a supervisor put on the case, besides the one who filed it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) assigned: Vec<OfficerId>,
    /// When staff were told that this report is waiting for review (once).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "time::serde::rfc3339::option"
    )]
    pub(super) review_reminded_at: Option<OffsetDateTime>,
    /// The photo Tifli hosts for this report, if an officer uploaded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) photo: Option<HostedPhoto>,
}

/// A public message of an alert: the version it published and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub version: u32,
    pub msg_type: CapMsgType,
    #[serde(with = "time::serde::rfc3339")]
    pub sent: OffsetDateTime,
}

/// One immutable line of a report's audit trail.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub report_id: ReportId,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: OfficerId,
    pub action: Action,
    pub from: Option<Status>,
    pub to: Status,
    /// Why (reject, cancel), what was published (update) or noted (resolve).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why an approval went ahead with an activation criterion not met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// Who was put on the case (assign): an id, kept with the pseudonymous trail when the
    /// free texts are purged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assigned: Option<OfficerId>,
}

/// The free texts show their length only, as the typed texts do.
impl std::fmt::Debug for HistoryEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let length = |text: &Option<String>| text.as_ref().map(|t| t.chars().count());
        f.debug_struct("HistoryEntry")
            .field("report_id", &self.report_id)
            .field("version", &self.version)
            .field("at", &self.at)
            .field("actor", &self.actor)
            .field("action", &self.action)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("reason_chars", &length(&self.reason))
            .field("override_reason_chars", &length(&self.override_reason))
            .field("assigned", &self.assigned)
            .finish()
    }
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
            alert: None,
            ending: None,
            publications: Vec::new(),
            assigned: Vec::new(),
            review_reminded_at: None,
            photo: None,
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
            override_reason: None,
            assigned: None,
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
    pub fn alert(&self) -> Option<&Alert> {
        self.alert.as_ref()
    }
    pub fn ending(&self) -> Option<&Ending> {
        self.ending.as_ref()
    }
    pub fn publications(&self) -> &[Publication] {
        &self.publications
    }
    pub fn assigned(&self) -> &[OfficerId] {
        &self.assigned
    }
    pub fn review_reminded_at(&self) -> Option<OffsetDateTime> {
        self.review_reminded_at
    }
    pub fn photo(&self) -> Option<&HostedPhoto> {
        self.photo.as_ref()
    }

    /// Takes over the review reminder `stored` got since this next state was decided;
    /// false when there is none to take.
    pub fn keep_reminder_of(&mut self, stored: &Report) -> bool {
        let taken = self.review_reminded_at.is_none() && stored.review_reminded_at.is_some();
        if taken {
            self.review_reminded_at = stored.review_reminded_at;
        }
        taken
    }

    /// Whether `officer` works this case: filed it or was assigned to it.
    pub fn is_on_case(&self, officer: &OfficerId) -> bool {
        self.reported_by == *officer || self.assigned.contains(officer)
    }
    /// When this report's personal data is purged: `None` while it has not ended.
    pub fn purge_at(&self, policy: &RetentionPolicy) -> Option<OffsetDateTime> {
        // A report that never became an alert goes sooner.
        let keep = match self.status {
            Status::Rejected | Status::Lapsed => policy.rejected,
            _ => policy.report,
        };
        self.ending.as_ref().map(|e| e.at + keep)
    }

    /// When the pseudonymous history of this report is purged.
    pub fn history_purge_at(&self, policy: &RetentionPolicy) -> Option<OffsetDateTime> {
        self.ending.as_ref().map(|e| e.at + policy.history)
    }

    /// The public message this version publishes, if it publishes one.
    pub fn publication(&self) -> Option<&Publication> {
        self.publications
            .last()
            .filter(|p| p.version == self.version)
    }
}
