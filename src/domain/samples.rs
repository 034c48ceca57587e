//! Sample reports and alerts: the one definition every test and benchmark uses (this
//! crate's unit tests directly, the others through the `samples` feature and the test
//! kit).

use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;

use super::actions::{ApproveBody, ReasonBody, ResolveBody, UpdateBody};
use super::limits::*;
use super::public::PublicAlert;
use super::{AlertPolicy, HistoryEntry, OfficerId, Outcome, Report, ReportBody, ReportId};

pub const NOW: OffsetDateTime = datetime!(2026-11-28 17:10 UTC);
/// When the samples' child was last seen: 16:30 in Rabat (15:30 UTC), 100 minutes
/// before [`NOW`].
pub const SEEN_AT: &str = "2026-11-28T16:30:00+01:00";

/// Pieces that hostile or merely unusual text is made of: markup, entities, CDATA's
/// end, direction marks, emoji and a flag of two regional indicators, Tifinagh and
/// Arabic letters, accents, digits, template syntax. Property tests join them into names,
/// places and descriptions.
pub const HOSTILE_PIECES: [&str; 21] = [
    "<", ">", "&", "\"", "'", "&amp;", "&lt;", "]]>", "\u{200F}", "\u{061C}", "😀", "🇲🇦", "ⵣ", "أ",
    "é", "€", " ", "12", "a", "{", "$name",
];

/// What [`alert_with`]'s reports hold that no public output may: the narrative, the
/// officers, the criteria.
pub const INTERNAL: [&str; 4] = [
    "Internal narrative",
    "officer-7",
    "supervisor-7",
    "criteria",
];

/// A complete, valid report body as an officer files it, last seen at `seen_at` (RFC
/// 3339): every required field, no optional one.
pub fn report_json(seen_at: &str) -> serde_json::Value {
    json!({
        "child": { "name": "Amina", "age": 7, "sex": "female",
                   "description": "Red coat, white sneakers" },
        "last_seen": { "at": seen_at, "lat": 34.0209, "lon": -6.8416,
                       "place": "Bab El Had, Rabat", "region": "MA-04" },
        "circumstances": { "narrative": "Seen leaving with an unknown adult." },
        "criteria": { "abduction_suspected": true, "risk_of_serious_harm": true,
                      "sufficient_description": true, "registered_in_national_database": true },
        "tip_line": "+212537000000"
    })
}

/// [`report_json`] with every optional field given too: photo, vehicle, suspect, the
/// four languages, not a drill.
pub fn full_report_json(seen_at: &str) -> serde_json::Value {
    let mut body = report_json(seen_at);
    body["child"] = json!({ "name": "Amina El Idrissi", "age": 7, "sex": "female",
        "description": "Red coat, white sneakers, hair in two braids",
        "photo_url": "https://photos.police.ma/r/123.jpg", "photo_consent": true });
    body["circumstances"]["vehicle"] = "White van".into();
    body["circumstances"]["suspect"] = "Man, about 40".into();
    body["languages"] = json!(["ar", "fr", "zgh", "en"]);
    body["exercise"] = false.into();
    body
}

/// Report `id` filed at `at` from `body` by `officer`.
pub fn filed(
    body: serde_json::Value,
    id: ReportId,
    officer: &str,
    at: OffsetDateTime,
) -> (Report, HistoryEntry) {
    let draft = serde_json::from_value::<ReportBody>(body)
        .expect("a sample body")
        .validate(at)
        .expect("a valid sample");
    Report::file(id, draft, OfficerId::new(officer).expect("an officer"), at)
}

/// An approved report with the given free texts; `extra` replaces top-level fields.
pub fn alert_with(name: &str, place: &str, description: &str, extra: serde_json::Value) -> Report {
    let mut body = report_json(SEEN_AT);
    body["child"]["name"] = name.into();
    body["child"]["age"] = 17.into();
    body["child"]["description"] = description.into();
    body["last_seen"]["place"] = place.into();
    body["circumstances"]["narrative"] = "Internal narrative that must never be published.".into();
    if let Some(extra) = extra.as_object() {
        for (k, v) in extra {
            body[k] = v.clone();
        }
    }
    let (report, _) = filed(body, ReportId::generate(NOW), "officer-7", NOW);
    approved(&report)
}

/// `report` approved at [`NOW`] by `supervisor-7` with the defaults.
pub fn approved(report: &Report) -> Report {
    report
        .approve(
            &OfficerId::new("supervisor-7").expect("a supervisor"),
            ApproveBody::default(),
            &AlertPolicy::default(),
            NOW,
        )
        .expect("approved")
        .report
}

/// The largest alert the domain allows, at the last Update it may publish: every text
/// at its bound and made of the character that grows most when written out (a quote:
/// `&quot;` in XML, `\"` in JSON), a photo URL of ampersands, four languages, and
/// [`MAX_PUBLIC_MESSAGES`] − 1 messages, so that only its Cancel may follow.
pub fn largest_alert() -> Report {
    let quotes = |n: usize| "\"".repeat(n);
    let mut body = full_report_json(SEEN_AT);
    body["child"]["name"] = quotes(CHILD_NAME_MAX_CHARS).into();
    body["child"]["description"] = quotes(CHILD_DESCRIPTION_MAX_CHARS).into();
    let photo = "https://photos.police.ma/p.jpg?";
    body["child"]["photo_url"] =
        format!("{photo}{}", "&".repeat(PHOTO_URL_MAX_CHARS - photo.len())).into();
    body["last_seen"]["place"] = quotes(PLACE_MAX_CHARS).into();
    body["circumstances"]["vehicle"] = quotes(VEHICLE_MAX_CHARS).into();
    body["circumstances"]["suspect"] = quotes(SUSPECT_MAX_CHARS).into();
    let (report, _) = filed(body, ReportId::generate(NOW), "officer-7", NOW);
    let s = OfficerId::new("supervisor-7").expect("a supervisor");
    let mut report = approved(&report);
    while report.publications().len() < MAX_PUBLIC_MESSAGES - 1 {
        let update = UpdateBody {
            message: Some(quotes(MESSAGE_MAX_CHARS)),
            ..Default::default()
        };
        report = report.update(&s, update, NOW).expect("room").report;
    }
    report
}

/// `report` as it was before staff were told it waits for review: what a write decided
/// on an earlier read holds.
pub fn unreminded(report: &Report) -> Report {
    let mut report = report.clone();
    report.review_reminded_at = None;
    report
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

/// A witness's sighting, seen at `seen_at`, with every field given: where as a place and
/// a point (in the sample report's region), and a contact.
pub fn sighting_json(seen_at: &str) -> serde_json::Value {
    serde_json::json!({
        "seen_at": seen_at,
        "lat": 33.8260,
        "lon": -6.0640,
        "place": "Gare routière de Khémisset, quai 3",
        "description": "A girl in a red coat with a man, boarding a bus to Rabat",
        "contact": "+212 6 12 34 56 78"
    })
}
