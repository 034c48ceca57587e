//! The scheduler's event, as EventBridge Scheduler delivers it with the template's
//! `Input`: `now` comes from it, never from the clock.

use tifli::expiry::ScheduledRun;
use time::macros::datetime;

#[test]
fn the_scheduled_time_is_the_run_s_now() {
    let event = tifli_testkit::events::fixture("expiry", "scheduled.json");
    let run: ScheduledRun = serde_json::from_value(event).unwrap();
    assert_eq!(run.time, datetime!(2026-11-28 17:00 UTC));
}

#[test]
fn an_event_without_a_time_is_refused() {
    for bad in [
        r#"{}"#,
        r#"{"time": "yesterday"}"#,
        r#"{"time": 1795881600}"#,
    ] {
        assert!(serde_json::from_str::<ScheduledRun>(bad).is_err(), "{bad}");
    }
}
