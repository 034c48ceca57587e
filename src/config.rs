//! Configuration from the environment, read once at start-up and validated then: a
//! function with a bad setting fails to start rather than answer wrongly.

use time::Duration;

use crate::domain::AlertPolicy;

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

/// [`alert_policy`] from the process environment.
pub fn alert_policy_from_env() -> Result<AlertPolicy, ConfigError> {
    alert_policy(|name| std::env::var(name).ok())
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
    fn bad_settings_stop_the_start() {
        for pairs in [
            &[("ALERT_RADIUS_KM", "ten")][..],
            &[("ALERT_RADIUS_KM", "0")],
            &[("ALERT_RADIUS_KM", "200"), ("ALERT_MAX_RADIUS_KM", "100")],
            &[("ALERT_DURATION_HOURS", "100")],
            &[("ALERT_WIDEN_STEP_MINUTES", "0")],
        ] {
            assert!(alert_policy(env(pairs)).is_err(), "{pairs:?}");
        }
    }
}
