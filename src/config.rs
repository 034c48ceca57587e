//! Configuration from the environment, read once at start-up and validated then: a
//! function with a bad setting fails to start rather than answer wrongly. Every reader
//! takes a lookup (the process environment is [`env`]) so that tests pass their own.

use time::Duration;

use crate::domain::cap::Sender;
use crate::domain::{AlertPolicy, RetentionPolicy, ReviewPolicy};
use crate::fanout::Topics;

/// The process environment, as a lookup for the readers below.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: f64,
) -> Result<f64, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(raw) => raw.trim().parse().map_err(|_| ConfigError {
            name,
            message: format!("{raw:?} is not a number"),
        }),
    }
}

/// The alert defaults: `ALERT_DURATION_HOURS`, `ALERT_RADIUS_KM`, `ALERT_MAX_RADIUS_KM`,
/// `ALERT_WIDEN_KM_PER_HOUR`, `ALERT_WIDEN_STEP_MINUTES`; each unset one keeps the
/// built-in default of [`AlertPolicy`].
pub fn alert_policy(lookup: impl Fn(&str) -> Option<String>) -> Result<AlertPolicy, ConfigError> {
    let defaults = AlertPolicy::default();
    let policy = AlertPolicy {
        duration: Duration::hours(number(
            &lookup,
            "ALERT_DURATION_HOURS",
            defaults.duration.whole_hours() as f64,
        )? as i64),
        radius_km: number(&lookup, "ALERT_RADIUS_KM", defaults.radius_km)?,
        max_radius_km: number(&lookup, "ALERT_MAX_RADIUS_KM", defaults.max_radius_km)?,
        widen_km_per_hour: number(
            &lookup,
            "ALERT_WIDEN_KM_PER_HOUR",
            defaults.widen_km_per_hour,
        )?,
        widen_step: Duration::minutes(number(
            &lookup,
            "ALERT_WIDEN_STEP_MINUTES",
            defaults.widen_step.whole_minutes() as f64,
        )? as i64),
    };
    policy.validate().map_err(|e| ConfigError {
        name: "ALERT_*",
        message: format!("{} {}", e.field, e.message),
    })
}

/// How long data is kept after a report ends: `RETENTION_DAYS`,
/// `REJECTED_RETENTION_DAYS`, `HISTORY_RETENTION_DAYS` (whole days, each at least 1).
pub fn retention(lookup: impl Fn(&str) -> Option<String>) -> Result<RetentionPolicy, ConfigError> {
    let defaults = RetentionPolicy::default();
    let days = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
        let value = number(&lookup, name, default.whole_days() as f64)?;
        if value < 1.0 || value.fract() != 0.0 {
            return Err(ConfigError {
                name,
                message: "must be a whole number of days, at least 1".into(),
            });
        }
        Ok(Duration::days(value as i64))
    };
    let policy = RetentionPolicy {
        report: days("RETENTION_DAYS", defaults.report)?,
        rejected: days("REJECTED_RETENTION_DAYS", defaults.rejected)?,
        history: days("HISTORY_RETENTION_DAYS", defaults.history)?,
    };
    if policy.history < policy.report.max(policy.rejected) {
        return Err(ConfigError {
            name: "HISTORY_RETENTION_DAYS",
            message: "must not be shorter than the report's retention".into(),
        });
    }
    Ok(policy)
}

fn required(
    lookup: impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<String, ConfigError> {
    lookup(name)
        .filter(|v| !v.trim().is_empty())
        .ok_or(ConfigError {
            name,
            message: "is not set".into(),
        })
}

/// `TABLE_NAME`: the single table.
pub fn table_name(lookup: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    required(lookup, "TABLE_NAME")
}

/// `PUBLIC_BASE_URL` for the functions behind the API, which cannot name the API in
/// their own configuration (a cycle in the template): empty or unset means the API's own
/// address, read from each request's context.
pub fn page_base_or_api(lookup: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    match lookup("PUBLIC_BASE_URL") {
        Some(raw) if !raw.trim().is_empty() => {
            page_base(|name| (name == "PUBLIC_BASE_URL").then(|| raw.clone()))
        }
        _ => Ok(String::new()),
    }
}

/// `PHOTOS_BUCKET`: the private bucket of uploaded photos and their renditions.
pub fn photos_bucket(lookup: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    required(lookup, "PHOTOS_BUCKET")
}

/// The keys of CAP signatures: `CAP_SIGNING_KEY`, the KMS key that signs (an id, an ARN
/// or an alias), and `CAP_PREVIOUS_SIGNING_KEY`, the one it replaced, still published
/// so that messages signed before the rotation verify (empty, unset or the current key:
/// none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeys {
    pub current: String,
    pub previous: Option<String>,
}

pub fn signing_keys(lookup: impl Fn(&str) -> Option<String>) -> Result<SigningKeys, ConfigError> {
    let current = required(&lookup, "CAP_SIGNING_KEY")?.trim().to_owned();
    let previous = lookup("CAP_PREVIOUS_SIGNING_KEY")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty());
    // The current key given again as the previous one (its ARN copied after the
    // rotation, say) is the current key listed once: not worth a function that will
    // not start.
    let previous = previous.filter(|p| *p != current);
    Ok(SigningKeys { current, previous })
}

/// `FAILURE_QUEUE_URL`: where the fan-out sets aside the records it can never publish.
pub fn failure_queue_url(lookup: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    required(lookup, "FAILURE_QUEUE_URL")
}

/// `ALERTS_TOPIC_ARN`, `EXERCISES_TOPIC_ARN`, `CASE_EVENTS_TOPIC_ARN`: where the
/// fan-out publishes real alerts, drills and staff's case events.
pub fn topics(lookup: impl Fn(&str) -> Option<String>) -> Result<Topics, ConfigError> {
    let topics = Topics {
        alerts: required(&lookup, "ALERTS_TOPIC_ARN")?,
        exercises: required(&lookup, "EXERCISES_TOPIC_ARN")?,
        case_events: required(&lookup, "CASE_EVENTS_TOPIC_ARN")?,
    };
    // A drill or a staff event published where real alerts go is what the split
    // prevents: three topics, three audiences.
    if topics.exercises == topics.alerts {
        return Err(ConfigError {
            name: "EXERCISES_TOPIC_ARN",
            message: "must not be the alerts topic".into(),
        });
    }
    if topics.case_events == topics.alerts || topics.case_events == topics.exercises {
        return Err(ConfigError {
            name: "CASE_EVENTS_TOPIC_ARN",
            message: "must be a topic of its own, for staff only".into(),
        });
    }
    Ok(topics)
}

/// `PUBLIC_BASE_URL`: the public site, whose `/a/<id>` is an alert's page (the link of
/// push notifications); an `http` or `https` URL with a host and no query.
pub fn page_base(lookup: impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    const NAME: &str = "PUBLIC_BASE_URL";
    let raw = required(lookup, NAME)?;
    let uri: Option<http::Uri> = raw.trim().parse().ok();
    let fine = uri.is_some_and(|u| {
        matches!(u.scheme_str(), Some("http" | "https"))
            && u.host().is_some_and(|h| !h.is_empty())
            && u.query().is_none()
    });
    if !fine {
        return Err(ConfigError {
            name: NAME,
            message: "must be an http(s) URL with a host and no query".into(),
        });
    }
    Ok(raw.trim().trim_end_matches('/').to_owned())
}

/// `REVIEW_REMINDER_MINUTES` and `REVIEW_LAPSE_HOURS`: when a report waiting for review
/// is announced to staff, and when it lapses (whole numbers, the lapse after the
/// reminder).
pub fn review(lookup: impl Fn(&str) -> Option<String>) -> Result<ReviewPolicy, ConfigError> {
    let defaults = ReviewPolicy::default();
    let whole = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
        let value = number(&lookup, name, default as f64)?;
        if value < 1.0 || value.fract() != 0.0 {
            return Err(ConfigError {
                name,
                message: "must be a whole number, at least 1".into(),
            });
        }
        Ok(value as i64)
    };
    let policy = ReviewPolicy {
        remind_after: Duration::minutes(whole(
            "REVIEW_REMINDER_MINUTES",
            defaults.remind_after.whole_minutes(),
        )?),
        lapse_after: Duration::hours(whole(
            "REVIEW_LAPSE_HOURS",
            defaults.lapse_after.whole_hours(),
        )?),
    };
    if policy.lapse_after <= policy.remind_after {
        return Err(ConfigError {
            name: "REVIEW_LAPSE_HOURS",
            message: "must come after the reminder".into(),
        });
    }
    Ok(policy)
}

/// `CAP_SENDER`: the `sender` of every CAP message.
pub fn cap_sender(lookup: impl Fn(&str) -> Option<String>) -> Result<Sender, ConfigError> {
    let raw = required(lookup, "CAP_SENDER")?;
    Sender::new(&raw).ok_or(ConfigError {
        name: "CAP_SENDER",
        message: format!(
            "must be printable ASCII without spaces, commas, quotes, < > or &, and at most {} characters",
            Sender::MAX_CHARS
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(alert_policy(env(&[])).unwrap(), AlertPolicy::default());
        let policy = alert_policy(env(&[
            ("ALERT_RADIUS_KM", "25"),
            ("ALERT_DURATION_HOURS", "48"),
        ]))
        .unwrap();
        assert_eq!(policy.radius_km, 25.0);
        assert_eq!(policy.duration, Duration::hours(48));
    }

    #[test]
    fn signing_keys_current_and_previous() {
        let keys = |pairs: &[(&str, &str)]| signing_keys(env(pairs));
        assert_eq!(
            keys(&[]).unwrap_err().to_string(),
            "CAP_SIGNING_KEY: is not set"
        );
        assert_eq!(
            keys(&[
                ("CAP_SIGNING_KEY", "alias/a"),
                ("CAP_PREVIOUS_SIGNING_KEY", "")
            ])
            .unwrap(),
            SigningKeys {
                current: "alias/a".into(),
                previous: None
            }
        );
        assert_eq!(
            keys(&[
                ("CAP_SIGNING_KEY", "k2"),
                ("CAP_PREVIOUS_SIGNING_KEY", "k1")
            ])
            .unwrap()
            .previous
            .as_deref(),
            Some("k1")
        );
        assert_eq!(
            keys(&[
                ("CAP_SIGNING_KEY", "k1"),
                ("CAP_PREVIOUS_SIGNING_KEY", " k1 ")
            ])
            .unwrap()
            .previous,
            None,
            "the current key is listed once"
        );
    }

    #[test]
    fn retention_settings() {
        assert_eq!(retention(env(&[])).unwrap(), RetentionPolicy::default());
        assert_eq!(
            retention(env(&[("RETENTION_DAYS", "60")])).unwrap().report,
            Duration::days(60)
        );
        for pairs in [
            &[("RETENTION_DAYS", "0")][..],
            &[("RETENTION_DAYS", "1.5")],
            &[("HISTORY_RETENTION_DAYS", "10")],
        ] {
            assert!(retention(env(pairs)).is_err(), "{pairs:?}");
        }
    }

    #[test]
    fn names_the_setting_that_is_missing_or_wrong() {
        let none = env(&[]);
        assert_eq!(
            table_name(&none).unwrap_err().to_string(),
            "TABLE_NAME: is not set"
        );
        assert_eq!(topics(&none).unwrap_err().name, "ALERTS_TOPIC_ARN");
        let same = topics(env(&[
            ("ALERTS_TOPIC_ARN", "arn:a"),
            ("EXERCISES_TOPIC_ARN", "arn:a"),
            ("CASE_EVENTS_TOPIC_ARN", "arn:c"),
        ]));
        assert_eq!(
            same.unwrap_err().to_string(),
            "EXERCISES_TOPIC_ARN: must not be the alerts topic"
        );
        let public = topics(env(&[
            ("ALERTS_TOPIC_ARN", "arn:a"),
            ("EXERCISES_TOPIC_ARN", "arn:e"),
            ("CASE_EVENTS_TOPIC_ARN", "arn:a"),
        ]));
        assert_eq!(public.unwrap_err().name, "CASE_EVENTS_TOPIC_ARN");
        assert_eq!(cap_sender(&none).unwrap_err().name, "CAP_SENDER");
        assert_eq!(
            table_name(env(&[("TABLE_NAME", " ")])).unwrap_err().name,
            "TABLE_NAME"
        );
        let spaced = cap_sender(env(&[("CAP_SENDER", "police force")])).unwrap_err();
        assert_eq!(
            spaced.to_string(),
            "CAP_SENDER: must be printable ASCII without spaces, commas, quotes, < > or &, and at most 64 characters"
        );
        assert_eq!(
            table_name(env(&[("TABLE_NAME", "tifli")])).unwrap(),
            "tifli"
        );
        assert!(cap_sender(env(&[("CAP_SENDER", "tifli@police.ma")])).is_ok());
    }

    #[test]
    fn the_page_base() {
        let base = |v: &str| page_base(env(&[("PUBLIC_BASE_URL", v)]));
        assert_eq!(
            base("https://tifli.police.ma/").unwrap(),
            "https://tifli.police.ma"
        );
        assert_eq!(
            base("http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        for bad in ["tifli.police.ma", "ftp://x", "https://x/?a=1", ""] {
            assert_eq!(base(bad).unwrap_err().name, "PUBLIC_BASE_URL", "{bad}");
        }
    }

    #[test]
    fn review_settings() {
        assert_eq!(review(env(&[])).unwrap(), ReviewPolicy::default());
        let quick = review(env(&[
            ("REVIEW_REMINDER_MINUTES", "5"),
            ("REVIEW_LAPSE_HOURS", "12"),
        ]))
        .unwrap();
        assert_eq!(
            (quick.remind_after, quick.lapse_after),
            (Duration::minutes(5), Duration::hours(12))
        );
        for pairs in [
            &[("REVIEW_REMINDER_MINUTES", "0")][..],
            &[("REVIEW_LAPSE_HOURS", "0.5")],
            &[
                ("REVIEW_REMINDER_MINUTES", "120"),
                ("REVIEW_LAPSE_HOURS", "1"),
            ],
        ] {
            assert!(review(env(pairs)).is_err(), "{pairs:?}");
        }
    }

    #[test]
    fn bad_settings_stop_the_start() {
        for pairs in [
            &[("ALERT_RADIUS_KM", "ten")][..],
            &[("ALERT_RADIUS_KM", "0")],
            &[("ALERT_RADIUS_KM", "200"), ("ALERT_MAX_RADIUS_KM", "100")],
            &[("ALERT_DURATION_HOURS", "100")],
            &[("ALERT_WIDEN_STEP_MINUTES", "0")],
            &[("ALERT_WIDEN_STEP_MINUTES", "10")],
        ] {
            assert!(alert_policy(env(pairs)).is_err(), "{pairs:?}");
        }
    }
}
