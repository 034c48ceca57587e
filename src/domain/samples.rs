//! Sample alerts for the tests of texts, CAP and the public view.

use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

use super::actions::{ApproveBody, ReasonBody, ResolveBody, UpdateBody};
use super::limits::MESSAGE_MAX_CHARS;
use super::public::PublicAlert;
use super::{AlertPolicy, OfficerId, Outcome, Report, ReportBody, ReportId};

pub const NOW: OffsetDateTime = datetime!(2026-11-28 17:10 UTC);

/// An approved report with the given free texts; `extra` replaces top-level fields.
pub fn alert_with(name: &str, place: &str, description: &str, extra: serde_json::Value) -> Report {
    let mut body = json!({
        "child": { "name": name, "age": 17, "sex": "female", "description": description },
        "last_seen": { "at": "2026-11-28T16:30:00+01:00", "lat": 34.0209, "lon": -6.8416,
                       "place": place, "region": "MA-11" },
        "circumstances": { "narrative": "Internal narrative that must never be published." },
        "criteria": { "abduction_suspected": true, "risk_of_serious_harm": true,
                      "sufficient_description": true, "registered_in_national_database": true },
        "tip_line": "+212537000000"
    });
    if let Some(extra) = extra.as_object() {
        for (k, v) in extra {
            body[k] = v.clone();
        }
    }
    let draft = serde_json::from_value::<ReportBody>(body)
        .unwrap()
        .validate(NOW)
        .unwrap();
    let (report, _) = Report::file(
        ReportId::generate(NOW),
        draft,
        OfficerId::new("officer-7").unwrap(),
        NOW,
    );
    report
        .approve(
            &OfficerId::new("supervisor-7").unwrap(),
            ApproveBody::default(),
            &AlertPolicy::default(),
            NOW,
        )
        .unwrap()
        .report
}

/// The alert, then updated, then each way it can end: every kind of public message.
pub fn all_kinds(report: &Report) -> Vec<PublicAlert> {
    let s = OfficerId::new("supervisor-7").unwrap();
    let later = NOW + time::Duration::minutes(5);
    let message = Some("ⴰ".repeat(MESSAGE_MAX_CHARS));
    let updated = report
        .update(
            &s,
            UpdateBody {
                message,
                ..Default::default()
            },
            later,
        )
        .unwrap()
        .report;
    let end = later + time::Duration::minutes(5);
    let found = ResolveBody {
        outcome: Some(Outcome::Found),
        note: None,
    };
    let other = ResolveBody {
        outcome: Some(Outcome::Other),
        note: None,
    };
    let ended = [
        updated.resolve(&s, found, end).unwrap().report,
        updated.resolve(&s, other, end).unwrap().report,
        updated
            .cancel(
                &s,
                ReasonBody {
                    reason: Some("r".into()),
                },
                end,
            )
            .unwrap()
            .report,
        updated
            .expire(&OfficerId::new("tifli-expiry").unwrap(), end)
            .unwrap()
            .report,
    ];
    [report, &updated]
        .into_iter()
        .chain(ended.iter())
        .map(|r| PublicAlert::of(r).unwrap())
        .collect()
}
