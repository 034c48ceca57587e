//! Key values of the single table's items.

use time::OffsetDateTime;

use crate::domain::{ReportId, SightingId, Status};

pub const REPORT_SK: &str = "REPORT";
pub const RETENTION_SK: &str = "RETENTION";
pub const HISTORY_PREFIX: &str = "HISTORY#";
pub const ACTIVE: &str = "ACTIVE";
pub const RETAIN: &str = "RETAIN";
pub const WIDENING: &str = "WIDENING";
/// Reports waiting for review, not announced yet / announced to staff.
pub const REVIEW_WAITING: &str = "REVIEW#WAITING";
pub const REVIEW_REMINDED: &str = "REVIEW#REMINDED";
pub const IDEMPOTENCY_SK: &str = "IDEMPOTENCY";
/// A public version's entry in the publication ledger, under its report.
pub const PUBLICATION_PREFIX: &str = "PUBLICATION#";
/// The ledger's entries SNS has not accepted yet.
pub const UNPUBLISHED: &str = "UNPUBLISHED";

pub fn report_pk(id: ReportId) -> String {
    format!("REPORT#{id}")
}

/// History items sort by version under their report; ten digits hold any u32.
pub fn history_sk(version: u32) -> String {
    format!("HISTORY#{version:010}")
}

/// A time as a sort key: UTC to the second, fixed width, so that keys sort as times. It
/// rounds up, so that a key is never due before its time.
pub fn time_key(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let at = if at.nanosecond() > 0 {
        at.replace_nanosecond(0).unwrap_or(at) + time::Duration::SECOND
    } else {
        at
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Ledger entries sort by version under their report, as history items do.
pub fn publication_sk(version: u32) -> String {
    format!("{PUBLICATION_PREFIX}{version:010}")
}

/// A report's sightings, by arrival (their ids are ULIDs). After `REPORT` and
/// `RETENTION`: a read of the report's own items stops before them.
pub const SIGHTING_PREFIX: &str = "SIGHTING#";

pub fn sighting_sk(id: SightingId) -> String {
    format!("{SIGHTING_PREFIX}{id}")
}

/// A rate limit's counter: what it limits and whom; its sort key is the window.
pub fn limit_pk(limit: &str, key: &str) -> String {
    format!("LIMIT#{limit}#{key}")
}

pub fn status_pk(status: Status) -> String {
    format!("STATUS#{}", status.as_str())
}

pub fn idempotency_pk(scope: &str) -> String {
    format!("IDEMPOTENCY#{scope}")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn time_keys_sort_as_times_and_round_up() {
        assert_eq!(
            time_key(datetime!(2026-11-28 17:00:00 +01:00)),
            "2026-11-28T16:00:00Z"
        );
        assert_eq!(
            time_key(datetime!(2026-11-28 16:59:59.2 UTC)),
            "2026-11-28T17:00:00Z"
        );
        assert!(
            time_key(datetime!(2026-11-28 9:00 UTC)) < time_key(datetime!(2026-11-28 10:00 UTC))
        );
    }
}
