//! Fixed-window rate limits: at most `limit` admissions per `window`, windows aligned on
//! the epoch so that every function instance counts in the same window.

use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// What is counted, in the counter's key: `address`, `alert`.
    pub name: &'static str,
    pub limit: u32,
    pub window: Duration,
}

/// The window `now` falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: OffsetDateTime,
    pub end: OffsetDateTime,
}

impl RateLimit {
    pub fn window(&self, now: OffsetDateTime) -> Window {
        let length = self.window.whole_seconds().max(1);
        let at = now.unix_timestamp();
        let start = at - at.rem_euclid(length);
        let start = OffsetDateTime::from_unix_timestamp(start).unwrap_or(now);
        Window {
            start,
            end: start + Duration::seconds(length),
        }
    }

    /// How long a refused caller should wait: to the end of the window, in whole
    /// seconds, at least one.
    pub fn retry_after(&self, now: OffsetDateTime) -> u64 {
        let left = self.window(now).end - now;
        let seconds = left.whole_seconds() + i64::from(left.subsec_nanoseconds() > 0);
        seconds.max(1).unsigned_abs()
    }
}

/// What a limiter answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Admitted,
    /// Over the limit: try again in this many seconds.
    Refused {
        retry_after: u64,
    },
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn windows_align_on_the_epoch_and_say_how_long_to_wait() {
        let limit = RateLimit {
            name: "alert",
            limit: 3,
            window: Duration::minutes(10),
        };
        let now = datetime!(2026-12-02 10:07:30.5 UTC);
        let window = limit.window(now);
        assert_eq!(window.start, datetime!(2026-12-02 10:00 UTC));
        assert_eq!(window.end, datetime!(2026-12-02 10:10 UTC));
        assert_eq!(limit.retry_after(now), 150);
        assert_eq!(limit.retry_after(datetime!(2026-12-02 10:00 UTC)), 600);
    }
}
