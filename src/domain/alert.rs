//! What an approval adds to a report: the public alert, its area and its life; and how a
//! report ends.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use std::collections::BTreeSet;

use super::cells;
use super::geo::{Latitude, Longitude, Region, negligible_as_zero};
use super::ids::OfficerId;
use super::language::Languages;
use super::limits::*;
use super::regions;
use super::text::{Lines, bounded_text};
use super::validation::FieldError;

bounded_text!(
    /// New public information of an update.
    PublicMessage,
    MESSAGE_MAX_CHARS,
    Lines::Multi
);
bounded_text!(
    /// Why a report was rejected or withdrawn, or a note on how it was resolved.
    Reason,
    REASON_MAX_CHARS,
    Lines::Multi
);

/// The alert circle: centred on the last sighting, growing from `start_radius_km` at
/// `widen_km_per_hour` since `widen_from` (the last sighting), up to `max_radius_km`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub lat: Latitude,
    pub lon: Longitude,
    pub radius_km: f64,
    pub start_radius_km: f64,
    pub max_radius_km: f64,
    pub widen_km_per_hour: f64,
    #[serde(with = "time::serde::rfc3339")]
    pub widen_from: OffsetDateTime,
    /// The radius grows once every this many minutes.
    #[serde(default = "default_widen_every")]
    pub widen_every_minutes: i64,
    /// How many steps since `widen_from` the radius has grown by.
    #[serde(default)]
    pub widen_steps: u32,
}

fn default_widen_every() -> i64 {
    DEFAULT_WIDEN_STEP_MINUTES
}

impl Area {
    fn step(&self) -> Duration {
        Duration::minutes(self.widen_every_minutes.max(1))
    }

    /// The radius after `steps` steps: `min(start + speed × elapsed, ceiling)`.
    pub fn radius_after(&self, steps: u32) -> f64 {
        let hours = f64::from(steps) * self.step().as_seconds_f64() / 3600.0;
        (self.start_radius_km + self.widen_km_per_hour * hours).min(self.max_radius_km)
    }

    /// How many whole steps have passed since `widen_from` at `now`.
    pub fn steps_at(&self, now: OffsetDateTime) -> u32 {
        let elapsed = now - self.widen_from;
        if elapsed <= Duration::ZERO {
            return 0;
        }
        let steps = elapsed.whole_seconds() / self.step().whole_seconds();
        u32::try_from(steps).unwrap_or(u32::MAX)
    }

    /// The area widened to `now`: `None` when it would not grow.
    pub fn widened(&self, now: OffsetDateTime) -> Option<Area> {
        let steps = self.steps_at(now);
        let radius = self.radius_after(steps);
        (steps > self.widen_steps && radius > self.radius_km).then(|| Area {
            radius_km: radius,
            widen_steps: steps,
            ..self.clone()
        })
    }

    /// When the radius grows next; `None` once it has reached its ceiling or when it
    /// does not grow.
    pub fn next_widening(&self) -> Option<OffsetDateTime> {
        if self.widen_km_per_hour <= 0.0 || self.radius_km >= self.max_radius_km {
            return None;
        }
        Some(self.widen_from + self.step() * (self.widen_steps + 1))
    }

    /// Starts again from a new sighting at `at`: the starting radius, no step taken.
    pub fn restarted(&self, lat: Latitude, lon: Longitude, at: OffsetDateTime) -> Area {
        Area {
            lat,
            lon,
            radius_km: self.start_radius_km,
            widen_from: at,
            widen_steps: 0,
            ..self.clone()
        }
    }
}

/// Where an alert has been since its activation: every region and cell any of its
/// circles covered, so that whoever received one of its messages receives its end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reach {
    pub regions: BTreeSet<Region>,
    /// Geohash cells, made coarser when there would be more than [`cells::MAX_CELLS`].
    pub cells: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    #[serde(with = "time::serde::rfc3339")]
    pub activated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub approved_by: OfficerId,
    pub area: Area,
    pub languages: Languages,
    /// The latest public information, from the latest update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<PublicMessage>,
    /// Every region the circle touches now.
    #[serde(default)]
    pub regions: Vec<Region>,
    #[serde(default)]
    pub reach: Reach,
}

impl Alert {
    /// Recomputes the regions the circle touches now, `home` (the region of the last
    /// sighting) always among them, and adds them and the circle's cells to the reach.
    pub fn cover(&mut self, home: Region) {
        let area = &self.area;
        let (lat, lon) = (area.lat.degrees(), area.lon.degrees());
        let mut regions = regions::touched_by(lat, lon, area.radius_km);
        if !regions.contains(&home) {
            regions.push(home);
            regions.sort();
        }
        self.reach.regions.extend(regions.iter().copied());
        let cells = std::mem::take(&mut self.reach.cells)
            .into_iter()
            .chain(cells::cover(lat, lon, area.radius_km))
            .collect();
        self.reach.cells = cells::coarsen(cells, cells::MAX_CELLS);
        self.regions = regions;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The child was found.
    Found,
    /// The alert ended for another reason, given in the note.
    Other,
}

/// How a report ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ending {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

impl Ending {
    /// An end with no outcome or reason: the clock's doing (expiry, lapse).
    pub fn plain(at: OffsetDateTime) -> Ending {
        Ending {
            at,
            outcome: None,
            reason: None,
        }
    }
}

/// The deployment's defaults for new alerts; an approver may choose other values within
/// the bounds of [`super::limits`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlertPolicy {
    pub duration: Duration,
    pub radius_km: f64,
    pub max_radius_km: f64,
    pub widen_km_per_hour: f64,
    pub widen_step: Duration,
}

impl Default for AlertPolicy {
    fn default() -> Self {
        AlertPolicy {
            duration: Duration::hours(DEFAULT_ALERT_DURATION_HOURS),
            radius_km: DEFAULT_RADIUS_KM,
            max_radius_km: DEFAULT_MAX_RADIUS_KM,
            widen_km_per_hour: DEFAULT_WIDEN_KM_PER_HOUR,
            widen_step: Duration::minutes(DEFAULT_WIDEN_STEP_MINUTES),
        }
    }
}

impl AlertPolicy {
    /// Checks the defaults against the same bounds as an approver's choices.
    pub fn validate(self) -> Result<Self, FieldError> {
        radius("radius_km", self.radius_km)?;
        radius("max_radius_km", self.max_radius_km)?;
        speed("widen_km_per_hour", self.widen_km_per_hour)?;
        duration_hours("duration_hours", self.duration.whole_hours())?;
        if self.max_radius_km < self.radius_km {
            return Err(FieldError::new(
                "max_radius_km",
                "must not be less than radius_km",
            ));
        }
        if self.widen_step < Duration::minutes(MIN_WIDEN_STEP_MINUTES) {
            return Err(FieldError::new(
                "widen_step",
                format!("must be at least {MIN_WIDEN_STEP_MINUTES} minutes"),
            ));
        }
        Ok(self)
    }
}

pub fn radius(field: &str, km: f64) -> Result<f64, FieldError> {
    let km = negligible_as_zero(km);
    if km.is_finite() && km > 0.0 && km <= RADIUS_KM_LIMIT {
        Ok(km)
    } else {
        Err(FieldError::new(
            field,
            format!("must be more than 0 and at most {RADIUS_KM_LIMIT} km"),
        ))
    }
}

pub fn speed(field: &str, km_per_hour: f64) -> Result<f64, FieldError> {
    let km_per_hour = negligible_as_zero(km_per_hour);
    if km_per_hour.is_finite() && (0.0..=WIDEN_KM_PER_HOUR_LIMIT).contains(&km_per_hour) {
        Ok(km_per_hour)
    } else {
        Err(FieldError::new(
            field,
            format!("must be between 0 and {WIDEN_KM_PER_HOUR_LIMIT} km/h"),
        ))
    }
}

pub fn duration_hours(field: &str, hours: i64) -> Result<Duration, FieldError> {
    if (1..=MAX_ALERT_LIFE_HOURS).contains(&hours) {
        Ok(Duration::hours(hours))
    } else {
        Err(FieldError::new(
            field,
            format!("must be between 1 and {MAX_ALERT_LIFE_HOURS} hours"),
        ))
    }
}

/// How long data is kept once a report has ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// The report and every free text about it, after any end but rejection.
    pub report: Duration,
    /// The same, after a rejection.
    pub rejected: Duration,
    /// The pseudonymous history (ids, times, actions, actors).
    pub history: Duration,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        RetentionPolicy {
            report: Duration::days(RETENTION_DAYS),
            rejected: Duration::days(REJECTED_RETENTION_DAYS),
            history: Duration::days(HISTORY_RETENTION_DAYS),
        }
    }
}

/// When a report waiting for review is announced to staff, and when it lapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewPolicy {
    pub remind_after: Duration,
    pub lapse_after: Duration,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        ReviewPolicy {
            remind_after: Duration::minutes(REVIEW_REMINDER_MINUTES),
            lapse_after: Duration::hours(REVIEW_LAPSE_HOURS),
        }
    }
}
