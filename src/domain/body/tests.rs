use serde_json::{Value, json};
use time::macros::datetime;

use super::*;
use crate::domain::lifecycle::{Action, Status};
use crate::domain::samples::{SEEN_AT, full_report_json};
use crate::domain::{OfficerId, Report, ReportId};

const NOW: OffsetDateTime = datetime!(2026-11-28 17:00 UTC);

fn valid() -> Value {
    full_report_json(SEEN_AT)
}

/// Sets `path` (dotted) in `body` to `value`, or removes it when `value` is null.
fn with(mut body: Value, path: &str, value: Value) -> Value {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    let mut at = &mut body;
    for p in parts {
        at = &mut at[p];
    }
    let obj = at.as_object_mut().unwrap();
    if value.is_null() {
        obj.remove(last);
    } else {
        obj.insert(last.to_owned(), value);
    }
    body
}

fn validate(body: Value) -> Result<ReportDraft, ValidationErrors> {
    serde_json::from_value::<ReportBody>(body)
        .expect("shape")
        .validate(NOW)
}

#[test]
fn a_complete_report_is_valid() {
    let draft = validate(valid()).unwrap();
    assert_eq!(draft.child.name.as_str(), "Amina El Idrissi");
    assert_eq!(draft.child.age.years(), 7);
    assert_eq!(draft.last_seen.region, Region::RabatSaleKenitra);
    assert_eq!(draft.languages.as_slice(), &Language::ALL);
    assert!(!draft.exercise);
}

#[test]
fn optional_fields_take_their_defaults() {
    let body = with(
        with(valid(), "languages", Value::Null),
        "exercise",
        Value::Null,
    );
    let body = with(
        with(body, "child.photo_url", Value::Null),
        "child.photo_consent",
        Value::Null,
    );
    let body = with(
        with(body, "circumstances.vehicle", Value::Null),
        "circumstances.suspect",
        Value::Null,
    );
    let draft = validate(body).unwrap();
    assert_eq!(draft.languages, Languages::default());
    assert!(!draft.exercise);
    assert!(draft.child.photo.is_none());
    assert!(draft.circumstances.vehicle.is_none());
}

/// Each case changes one field of a valid body and expects exactly one error on that
/// field (`None` = the body stays valid).
#[test]
fn every_field_rule() {
    let long = |c: &str, n: usize| Value::from(c.repeat(n));
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        // Names in every script Tifli publishes in, with their bounds.
        ("child.name", json!("أمينة الإدريسي"), None),
        ("child.name", json!("ⴰⵎⵉⵏⴰ ⵍⵉⴷⵔⵉⵙⵉ"), None),
        ("child.name", json!("\u{200F}أمينة\u{200F}"), None),
        ("child.name", json!("Amina 🌸"), None),
        ("child.name", long("ⴰ", CHILD_NAME_MAX_CHARS), None),
        (
            "child.name",
            long("ⴰ", CHILD_NAME_MAX_CHARS + 1),
            Some("at most 100 characters"),
        ),
        (
            "child.name",
            long("أ", CHILD_NAME_MAX_CHARS + 1),
            Some("at most 100 characters"),
        ),
        ("child.name", json!("  "), Some("must not be empty")),
        (
            "child.name",
            json!("Amina\nEl"),
            Some("line break or tab U+000A"),
        ),
        ("child.name", json!("Amina\u{202E}lE"), Some("U+202E")),
        // What XML 1.0 cannot carry, invisible characters, line separators in one line.
        (
            "child.name",
            json!("Amina\u{FFFF}"),
            Some("noncharacter U+FFFF"),
        ),
        (
            "child.name",
            json!("Am\u{200B}ina"),
            Some("invisible character U+200B"),
        ),
        (
            "child.name",
            json!("Amina\u{2028}El"),
            Some("line separator U+2028"),
        ),
        (
            "last_seen.place",
            json!("Bab\u{2029}Rabat"),
            Some("line separator U+2029"),
        ),
        ("child.description", json!("Red\u{2028}coat"), None),
        (
            "child.description",
            json!("Red coat\u{FEFF}"),
            Some("U+FEFF"),
        ),
        (
            "circumstances.narrative",
            json!("x\u{1}y"),
            Some("control character U+0001"),
        ),
        (
            "circumstances.vehicle",
            json!("Van\u{FDD0}"),
            Some("noncharacter U+FDD0"),
        ),
        (
            "circumstances.suspect",
            json!("Man\u{85}40"),
            Some("control character U+0085"),
        ),
        ("child.name", Value::Null, Some("is required")),
        ("child.age", json!(0), None),
        ("child.age", json!(CHILD_AGE_MAX), None),
        ("child.age", json!(18), Some("between 0 and 17")),
        ("child.age", json!(-1), Some("between 0 and 17")),
        ("child.age", json!(300), Some("between 0 and 17")),
        ("child.age", Value::Null, Some("is required")),
        ("child.sex", Value::Null, Some("is required")),
        (
            "child.description",
            long("x", CHILD_DESCRIPTION_MAX_CHARS),
            None,
        ),
        (
            "child.description",
            long("x", CHILD_DESCRIPTION_MAX_CHARS + 1),
            Some("at most 1000"),
        ),
        (
            "child.description",
            json!("Red coat\nwhite sneakers 👟"),
            None,
        ),
        ("child.description", Value::Null, Some("is required")),
        (
            "child.photo_url",
            json!("http://photos.police.ma/a.jpg"),
            Some("https URL"),
        ),
        (
            "child.photo_url",
            json!("https://user:pw@photos.police.ma/a.jpg"),
            Some("https URL"),
        ),
        (
            "child.photo_url",
            json!("https:///a.jpg"),
            Some("https URL"),
        ),
        (
            "child.photo_url",
            json!("photos.police.ma/a.jpg"),
            Some("https URL"),
        ),
        (
            "child.photo_url",
            json!("https://photos.police.ma/a.jpg#x"),
            Some("https URL"),
        ),
        (
            "child.photo_url",
            Value::from(format!("https://p.ma/{}", "a".repeat(PHOTO_URL_MAX_CHARS))),
            Some("at most 1024"),
        ),
        (
            "child.photo_consent",
            json!(false),
            Some("photo_consent: true"),
        ),
        (
            "child.photo_consent",
            Value::Null,
            Some("photo_consent: true"),
        ),
        ("last_seen.at", json!("2026-11-28T17:04:59Z"), None),
        (
            "last_seen.at",
            json!("2026-11-28T17:05:01Z"),
            Some("must not be in the future"),
        ),
        ("last_seen.at", json!("2026-10-29T17:00:00Z"), None),
        (
            "last_seen.at",
            json!("2026-10-29T16:59:59Z"),
            Some("within the last 30 days"),
        ),
        ("last_seen.at", json!("2026-11-28 16:30"), Some("RFC 3339")),
        (
            "last_seen.at",
            json!("2026-11-28T16:30:00"),
            Some("RFC 3339"),
        ),
        ("last_seen.at", Value::Null, Some("is required")),
        // A coordinate in range, but the point leaves the region.
        (
            "last_seen.lat",
            json!(90),
            Some("lies in no region of Morocco"),
        ),
        ("last_seen.lat", json!(34.0), None),
        ("last_seen.lat", json!(-90.1), Some("between -90 and 90")),
        ("last_seen.lon", json!(-180), Some("lies in no region")),
        ("last_seen.lon", json!(-6.9), None),
        ("last_seen.lon", json!(180.5), Some("between -180 and 180")),
        ("last_seen.lon", Value::Null, Some("is required")),
        ("last_seen.place", json!("باب الحد، الرباط"), None),
        (
            "last_seen.place",
            long("p", PLACE_MAX_CHARS + 1),
            Some("at most 200"),
        ),
        ("last_seen.region", json!("MA-04"), None),
        // Rabat's point is not in Dakhla's region.
        ("last_seen.region", json!("MA-12"), Some("lies in MA-04")),
        ("last_seen.region", json!("MA-13"), Some("MA-01 to MA-12")),
        ("last_seen.region", Value::Null, Some("is required")),
        (
            "circumstances.narrative",
            long("n", NARRATIVE_MAX_CHARS),
            None,
        ),
        (
            "circumstances.narrative",
            long("n", NARRATIVE_MAX_CHARS + 1),
            Some("at most 5000"),
        ),
        ("circumstances.narrative", Value::Null, Some("is required")),
        (
            "circumstances.vehicle",
            long("v", VEHICLE_MAX_CHARS + 1),
            Some("at most 300"),
        ),
        (
            "circumstances.vehicle",
            json!(""),
            Some("must not be empty"),
        ),
        (
            "circumstances.suspect",
            long("s", SUSPECT_MAX_CHARS + 1),
            Some("at most 500"),
        ),
        ("criteria.abduction_suspected", json!(false), None),
        (
            "criteria.risk_of_serious_harm",
            Value::Null,
            Some("is required"),
        ),
        (
            "criteria.registered_in_national_database",
            Value::Null,
            Some("is required"),
        ),
        ("tip_line", json!("+212 537000000"), Some("E.164")),
        ("tip_line", json!("0537000000"), Some("E.164")),
        ("tip_line", Value::Null, Some("is required")),
        ("languages", json!(["zgh"]), None),
        ("languages", json!([]), Some("at least one")),
        ("languages", json!(["ar", "ar"]), Some("more than once")),
        ("exercise", json!(true), None),
    ];
    for (field, value, want) in cases {
        let result = validate(with(valid(), field, value.clone()));
        match (want, result) {
            (None, Ok(_)) => {}
            (Some(part), Err(errors)) => {
                assert_eq!(errors.0.len(), 1, "{field}={value}: {errors:?}");
                let e = &errors.0[0];
                let want_field = match field {
                    "child.photo_consent" => "child.photo_url",
                    "languages" if part == "more than once" => "languages[1]",
                    "last_seen.lat" | "last_seen.lon" if part.contains("lies in") => {
                        "last_seen.region"
                    }
                    f => f,
                };
                assert_eq!(e.field, want_field, "{field}={value}");
                assert!(e.message.contains(part), "{field}={value}: {}", e.message);
            }
            (want, got) => panic!("{field}={value}: want {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn every_error_is_reported_at_once() {
    let body = json!({ "child": { "age": 40 }, "criteria": {} });
    let errors = validate(body).unwrap_err();
    let fields: Vec<&str> = errors.fields().collect();
    assert_eq!(
        fields,
        [
            "child.name",
            "child.age",
            "child.sex",
            "child.description",
            "last_seen",
            "circumstances",
            "criteria.abduction_suspected",
            "criteria.risk_of_serious_harm",
            "criteria.sufficient_description",
            "criteria.registered_in_national_database",
            "tip_line",
        ]
    );
}

#[test]
fn filing_starts_the_lifecycle() {
    let draft = validate(valid()).unwrap();
    let officer = OfficerId::new("officer-1").unwrap();
    let id = ReportId::generate(NOW);
    let (report, entry) = Report::file(id, draft, officer.clone(), NOW);
    assert_eq!(report.status(), Status::PendingReview);
    assert_eq!(report.version(), 1);
    assert_eq!(report.reported_by(), &officer);
    assert_eq!(entry.version, 1);
    assert_eq!(entry.action, Action::File);
    assert_eq!(entry.from, None);
    assert_eq!(entry.to, Status::PendingReview);
}

#[test]
fn a_stored_report_reads_back_equal_and_refuses_tampering() {
    let draft = validate(valid()).unwrap();
    let (report, _) = Report::file(
        ReportId::generate(NOW),
        draft,
        OfficerId::new("o").unwrap(),
        NOW,
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        serde_json::from_value::<Report>(json.clone()).unwrap(),
        report
    );
    // Validated types also guard what is read back.
    let tampered = with(json, "child.age", json!(30));
    assert!(serde_json::from_value::<Report>(tampered).is_err());
}

#[test]
fn ids_sort_by_filing_time() {
    let earlier = ReportId::generate(NOW);
    let later = ReportId::generate(NOW + time::Duration::milliseconds(1));
    assert!(earlier < later);
    assert_eq!(ReportId::parse(&earlier.to_string()), Some(earlier));
    assert_eq!(ReportId::parse("not-an-id"), None);
}
