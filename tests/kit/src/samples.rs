//! Sample reports: the library's samples (one definition), and bodies whose sighting is
//! relative to now, for tests that run against the clock.

pub use tifli::domain::samples::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `at` as the API writes times: RFC 3339, whole seconds.
pub fn rfc3339(at: OffsetDateTime) -> String {
    at.replace_nanosecond(0)
        .expect("whole seconds")
        .format(&Rfc3339)
        .expect("a time")
}

/// Half an hour ago, as a report's `last_seen.at`.
pub fn half_an_hour_ago() -> String {
    rfc3339(OffsetDateTime::now_utc() - time::Duration::minutes(30))
}

/// A complete, valid report last seen half an hour ago, whose child is `name`.
pub fn report(name: &str) -> serde_json::Value {
    let mut body = report_json(&half_an_hour_ago());
    body["child"]["name"] = name.into();
    body["languages"] = serde_json::json!(["ar", "fr", "zgh", "en"]);
    body
}

/// A report with every field given, last seen half an hour ago, its child's name in
/// Tifinagh, Arabic and Latin letters.
pub fn report_body() -> serde_json::Value {
    let mut body = full_report_json(&half_an_hour_ago());
    body["child"]["name"] = "ⴰⵎⵉⵏⴰ أمينة Amina".into();
    body
}

/// A complete sighting, seen ten minutes ago.
pub fn sighting_body() -> serde_json::Value {
    sighting_json(&rfc3339(
        OffsetDateTime::now_utc() - time::Duration::minutes(10),
    ))
}
