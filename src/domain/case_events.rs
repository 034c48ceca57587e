//! What staff are told on the `case-events` topic: that a report waits for review, that
//! it lapsed unreviewed, that a witness sent a sighting. Never public, and even so
//! without a child's data or a witness's words: ids, times and the region, so that a
//! desk can open the report in the console.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::geo::Region;
use super::ids::{ReportId, SightingId};
use super::lifecycle::Status;
use super::report::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseEventKind {
    /// Filed some minutes ago and still not reviewed.
    ReviewWaiting,
    /// Never reviewed: it ended.
    Lapsed,
    /// A witness sent a sighting of an active alert.
    Sighting,
}

impl CaseEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseEventKind::ReviewWaiting => "review-waiting",
            CaseEventKind::Lapsed => "lapsed",
            CaseEventKind::Sighting => "sighting",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseEvent {
    pub event: CaseEventKind,
    pub report_id: ReportId,
    pub version: u32,
    pub region: Region,
    pub exercise: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The sighting, for [`CaseEventKind::Sighting`]: read it at
    /// `GET /reports/{report_id}/sightings`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sighting: Option<SightingId>,
}

/// What a stored sighting tells of itself without its content: the case it belongs to,
/// as it stood when the sighting arrived.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SightingNotice {
    pub report_id: ReportId,
    /// The sighting's id.
    pub id: SightingId,
    /// The report's version when the sighting arrived.
    pub version: u32,
    pub region: Region,
    pub exercise: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

impl SightingNotice {
    pub fn of(report: &Report, sighting: SightingId, received_at: OffsetDateTime) -> Self {
        SightingNotice {
            report_id: report.id(),
            id: sighting,
            version: report.version(),
            region: report.details().last_seen.region,
            exercise: report.details().exercise,
            filed_at: report.created_at(),
            received_at,
        }
    }

    pub fn event(&self) -> CaseEvent {
        CaseEvent {
            event: CaseEventKind::Sighting,
            report_id: self.report_id,
            version: self.version,
            region: self.region,
            exercise: self.exercise,
            filed_at: self.filed_at,
            at: self.received_at,
            sighting: Some(self.id),
        }
    }
}

impl CaseEvent {
    /// The event a change of a report from `old` to `new` raises, if any: the first
    /// reminder of a report waiting for review, or its lapse.
    pub fn of_change(old: Option<&Report>, new: &Report) -> Option<CaseEvent> {
        let old = old?;
        let (event, at) = if new.status() == Status::Lapsed && old.status() != Status::Lapsed {
            (CaseEventKind::Lapsed, new.ending()?.at)
        } else if old.review_reminded_at().is_none() && new.status() == Status::PendingReview {
            (CaseEventKind::ReviewWaiting, new.review_reminded_at()?)
        } else {
            return None;
        };
        Some(CaseEvent {
            event,
            report_id: new.id(),
            version: new.version(),
            region: new.details().last_seen.region,
            exercise: new.details().exercise,
            filed_at: new.created_at(),
            at,
            sighting: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;

    use super::*;
    use crate::domain::OfficerId;
    use crate::domain::samples::{NOW, SEEN_AT, filed, report_json};

    #[test]
    fn a_reminder_once_then_the_lapse() {
        let (filed, _) = filed(
            report_json(SEEN_AT),
            ReportId::generate(NOW),
            "officer-7",
            NOW,
        );
        let later = NOW + Duration::minutes(10);
        let reminded = filed.reminded(later).expect("waiting");
        assert_eq!(reminded.version(), filed.version());
        assert!(reminded.reminded(later).is_none(), "reminded once");

        let event = CaseEvent::of_change(Some(&filed), &reminded).expect("an event");
        assert_eq!(event.event, CaseEventKind::ReviewWaiting);
        assert_eq!((event.at, event.filed_at), (later, NOW));
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["event"], "review-waiting");
        assert_eq!(json["region"], "MA-04");
        let text = json.to_string();
        for private in ["Amina", "Red coat", "narrative", "+212", "officer-7"] {
            assert!(!text.contains(private), "{private} in {text}");
        }
        // The same image again (a replayed record) raises nothing new.
        assert!(CaseEvent::of_change(Some(&reminded), &reminded).is_none());
        assert!(CaseEvent::of_change(None, &filed).is_none());

        let end = NOW + Duration::hours(24);
        let lapsed = reminded
            .lapse(&OfficerId::new("tifli-scheduler").unwrap(), end)
            .unwrap()
            .report;
        assert_eq!(lapsed.status(), Status::Lapsed);
        let event = CaseEvent::of_change(Some(&reminded), &lapsed).expect("an event");
        assert_eq!((event.event, event.at), (CaseEventKind::Lapsed, end));
        assert!(lapsed.reminded(end).is_none());
    }
}
