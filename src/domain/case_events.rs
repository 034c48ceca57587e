//! What staff are told on the `case-events` topic: that a report waits for review, or
//! that it lapsed unreviewed. Never public, and even so without a child's data: ids,
//! times and the region, so that a desk can open the report in the console.

use serde::Serialize;
use time::OffsetDateTime;

use super::geo::Region;
use super::ids::ReportId;
use super::lifecycle::Status;
use super::report::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseEventKind {
    /// Filed some minutes ago and still not reviewed.
    ReviewWaiting,
    /// Never reviewed: it ended.
    Lapsed,
}

impl CaseEventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseEventKind::ReviewWaiting => "review-waiting",
            CaseEventKind::Lapsed => "lapsed",
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
