//! The body of `POST /reports` as received, and its validation into a [`ReportDraft`].

use serde::Deserialize;
use time::OffsetDateTime;

use super::criteria::Criteria;
use super::details::*;
use super::geo::{Latitude, Longitude, Region};
use super::language::{Language, Languages};
use super::limits::*;
use super::regions;
use super::tip_line::TipLine;
use super::validation::{FieldError, JsonObject, ValidationErrors};

/// The body of `POST /reports` as received: every field optional here so that a missing
/// field is reported with its path beside every other problem, and unknown fields refused.
/// The body types have no `Debug`, so that none can be logged: they hold the child's data.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    pub child: Option<JsonObject<ChildBody>>,
    pub last_seen: Option<JsonObject<LastSeenBody>>,
    pub circumstances: Option<JsonObject<CircumstancesBody>>,
    pub criteria: Option<JsonObject<CriteriaBody>>,
    pub tip_line: Option<String>,
    pub languages: Option<Vec<Language>>,
    pub exercise: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildBody {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub sex: Option<Sex>,
    pub description: Option<String>,
    pub photo_url: Option<String>,
    pub photo_consent: Option<bool>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastSeenBody {
    pub at: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place: Option<String>,
    pub region: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CircumstancesBody {
    pub narrative: Option<String>,
    pub vehicle: Option<String>,
    pub suspect: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaBody {
    pub abduction_suspected: Option<bool>,
    pub risk_of_serious_harm: Option<bool>,
    pub sufficient_description: Option<bool>,
    pub registered_in_national_database: Option<bool>,
}

impl ReportBody {
    /// Validates every field against the rules of the domain, collecting every error.
    pub fn validate(self, now: OffsetDateTime) -> Result<ReportDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let child = errors
            .required("child", self.child)
            .map(|o| o.0)
            .and_then(|c| c.validate(&mut errors));
        let last_seen = errors
            .required("last_seen", self.last_seen)
            .map(|o| o.0)
            .and_then(|l| l.validate(now, &mut errors));
        let circumstances = errors
            .required("circumstances", self.circumstances)
            .map(|o| o.0)
            .and_then(|c| c.validate(&mut errors));
        let criteria = errors
            .required("criteria", self.criteria)
            .map(|o| o.0)
            .and_then(|c| c.validate(&mut errors));
        let tip_line = errors
            .required("tip_line", self.tip_line)
            .and_then(|t| errors.check(TipLine::parse("tip_line", &t)));
        let languages = match self.languages {
            None => Some(Languages::default()),
            Some(list) => errors.check(Languages::parse("languages", list)),
        };
        match (
            child,
            last_seen,
            circumstances,
            criteria,
            tip_line,
            languages,
        ) {
            (
                Some(child),
                Some(last_seen),
                Some(circumstances),
                Some(criteria),
                Some(tip_line),
                Some(languages),
            ) if errors.is_empty() => Ok(ReportDraft {
                child,
                last_seen,
                circumstances,
                criteria,
                tip_line,
                languages,
                exercise: self.exercise.unwrap_or(false),
            }),
            _ => Err(errors),
        }
    }
}

impl ChildBody {
    fn validate(self, errors: &mut ValidationErrors) -> Option<Child> {
        let name = errors
            .required("child.name", self.name)
            .and_then(|v| errors.check(ChildName::parse("child.name", &v)));
        let age = errors
            .required("child.age", self.age)
            .and_then(|v| errors.check(Age::parse("child.age", v)));
        let sex = errors.required("child.sex", self.sex);
        let description = errors
            .required("child.description", self.description)
            .and_then(|v| errors.check(ChildDescription::parse("child.description", &v)));
        let consent = self.photo_consent.unwrap_or(false);
        let photo = match self.photo_url {
            None => Some(None),
            Some(url) => errors
                .check(ConsentedPhoto::parse("child.photo_url", &url, consent))
                .map(Some),
        };
        Some(Child {
            name: name?,
            age: age?,
            sex: sex?,
            description: description?,
            photo: photo?,
        })
    }
}

impl LastSeenBody {
    pub(super) fn validate(
        self,
        now: OffsetDateTime,
        errors: &mut ValidationErrors,
    ) -> Option<LastSeen> {
        let at = errors
            .required("last_seen.at", self.at)
            .and_then(|v| errors.check(parse_last_seen_at(&v, now)));
        let lat = errors
            .required("last_seen.lat", self.lat)
            .and_then(|v| errors.check(Latitude::parse("last_seen.lat", v)));
        let lon = errors
            .required("last_seen.lon", self.lon)
            .and_then(|v| errors.check(Longitude::parse("last_seen.lon", v)));
        let place = errors
            .required("last_seen.place", self.place)
            .and_then(|v| errors.check(Place::parse("last_seen.place", &v)));
        let region = errors
            .required("last_seen.region", self.region)
            .and_then(|v| errors.check(Region::parse("last_seen.region", &v)));
        if let (Some(lat), Some(lon), Some(named)) = (lat, lon, region)
            && !regions::holds(named, lat.degrees(), lon.degrees())
        {
            let lies = match regions::locate(lat.degrees(), lon.degrees()) {
                Some(other) => format!("in {}", other.code()),
                None => "in no region of Morocco".to_owned(),
            };
            errors.push(FieldError::new(
                "last_seen.region",
                format!(
                    "must be the region of the point: ({}, {}) lies {lies}",
                    lat.degrees(),
                    lon.degrees()
                ),
            ));
            return None;
        }
        Some(LastSeen {
            at: at?,
            lat: lat?,
            lon: lon?,
            place: place?,
            region: region?,
        })
    }
}

fn parse_last_seen_at(raw: &str, now: OffsetDateTime) -> Result<OffsetDateTime, FieldError> {
    recent_time("last_seen.at", raw, now)
}

/// A time a person saw something: RFC 3339 with an offset, within the last
/// [`LAST_SEEN_MAX_AGE`] and at most [`CLOCK_SKEW`] ahead of `now`.
pub(super) fn recent_time(
    field: &str,
    raw: &str,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, FieldError> {
    let at = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).map_err(
        |_| {
            FieldError::new(
                field,
                "must be an RFC 3339 date-time with an offset, e.g. 2026-11-28T16:30:00+01:00",
            )
        },
    )?;
    if at > now + CLOCK_SKEW {
        return Err(FieldError::new(field, "must not be in the future"));
    }
    if at < now - LAST_SEEN_MAX_AGE {
        return Err(FieldError::new(
            field,
            format!(
                "must be within the last {} days",
                LAST_SEEN_MAX_AGE.whole_days()
            ),
        ));
    }
    Ok(at)
}

impl CircumstancesBody {
    fn validate(self, errors: &mut ValidationErrors) -> Option<Circumstances> {
        let narrative = errors
            .required("circumstances.narrative", self.narrative)
            .and_then(|v| errors.check(Narrative::parse("circumstances.narrative", &v)));
        let vehicle = match self.vehicle {
            None => Some(None),
            Some(v) => errors
                .check(Vehicle::parse("circumstances.vehicle", &v))
                .map(Some),
        };
        let suspect = match self.suspect {
            None => Some(None),
            Some(v) => errors
                .check(Suspect::parse("circumstances.suspect", &v))
                .map(Some),
        };
        Some(Circumstances {
            narrative: narrative?,
            vehicle: vehicle?,
            suspect: suspect?,
        })
    }
}

impl CriteriaBody {
    fn validate(self, errors: &mut ValidationErrors) -> Option<Criteria> {
        // The officer must answer every criterion: a missing answer is not a "no".
        let a = errors.required("criteria.abduction_suspected", self.abduction_suspected);
        let r = errors.required("criteria.risk_of_serious_harm", self.risk_of_serious_harm);
        let s = errors.required(
            "criteria.sufficient_description",
            self.sufficient_description,
        );
        let n = errors.required(
            "criteria.registered_in_national_database",
            self.registered_in_national_database,
        );
        Some(Criteria {
            abduction_suspected: a?,
            risk_of_serious_harm: r?,
            sufficient_description: s?,
            registered_in_national_database: n?,
        })
    }
}

#[cfg(test)]
mod tests;
