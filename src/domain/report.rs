//! A missing-child report: the request body as received, its validated form, and the
//! stored report with its history.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::criteria::Criteria;
use super::geo::{Latitude, Longitude, Region};
use super::language::{Language, Languages};
use super::lifecycle::{Action, Status};
use super::limits::*;
use super::text::{Lines, bounded_text};
use super::tip_line::TipLine;
use super::validation::{FieldError, JsonObject, ValidationErrors};

bounded_text!(ChildName, CHILD_NAME_MAX_CHARS, Lines::Single);
bounded_text!(ChildDescription, CHILD_DESCRIPTION_MAX_CHARS, Lines::Multi);
bounded_text!(Place, PLACE_MAX_CHARS, Lines::Single);
bounded_text!(
    /// What the officer knows of the circumstances. Internal: never public, never logged.
    Narrative,
    NARRATIVE_MAX_CHARS,
    Lines::Multi
);
bounded_text!(Vehicle, VEHICLE_MAX_CHARS, Lines::Multi);
bounded_text!(Suspect, SUSPECT_MAX_CHARS, Lines::Multi);

/// A report's id: a ULID, so that ids sort by filing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(ulid::Ulid);

impl ReportId {
    /// A new id stamped with `now` (and 80 random bits).
    pub fn generate(now: OffsetDateTime) -> Self {
        Self(ulid::Ulid::from_datetime(now.into()))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        ulid::Ulid::from_string(raw).ok().map(Self)
    }
}

impl std::fmt::Display for ReportId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The identity provider's subject of the officer or supervisor who acted. Pseudonymous:
/// it names no one by itself, but it is internal and never published.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OfficerId(String);

impl OfficerId {
    pub fn new(subject: impl Into<String>) -> Option<Self> {
        let subject = subject.into();
        (!subject.trim().is_empty()).then_some(Self(subject))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
    Unknown,
}

/// Age in whole years, 0 to [`CHILD_AGE_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Age(u8);

impl Age {
    pub fn parse(field: &str, years: i64) -> Result<Self, FieldError> {
        u8::try_from(years)
            .ok()
            .filter(|y| *y <= CHILD_AGE_MAX)
            .map(Self)
            .ok_or_else(|| FieldError::new(field, format!("must be between 0 and {CHILD_AGE_MAX}")))
    }

    pub fn years(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Age {
    type Error = String;
    fn try_from(years: i64) -> Result<Self, String> {
        Self::parse("", years).map_err(|e| e.message)
    }
}

impl From<Age> for u8 {
    fn from(age: Age) -> u8 {
        age.0
    }
}

/// The URL of a photo whose publication the family consented to. There is no other way
/// to hold a photo URL: without consent the report has no photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConsentedPhoto(String);

impl ConsentedPhoto {
    /// An absolute `https` URL with a host, no user information and no fragment.
    pub fn parse(field: &str, raw: &str, consent: bool) -> Result<Self, FieldError> {
        if !consent {
            return Err(FieldError::new(
                field,
                "a photo may only be given with photo_consent: true",
            ));
        }
        let bad = || FieldError::new(field, "must be an https URL with a host");
        if raw.chars().count() > PHOTO_URL_MAX_CHARS {
            return Err(FieldError::new(
                field,
                format!("must be at most {PHOTO_URL_MAX_CHARS} characters"),
            ));
        }
        let uri: http::Uri = raw.parse().map_err(|_| bad())?;
        let authority = uri.authority().ok_or_else(bad)?;
        if uri.scheme_str() != Some("https")
            || authority.host().is_empty()
            || authority.as_str().contains('@')
            || raw.contains('#')
        {
            return Err(bad());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn url(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Child {
    pub name: ChildName,
    pub age: Age,
    pub sex: Sex,
    pub description: ChildDescription,
    #[serde(rename = "photo_url", default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<ConsentedPhoto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastSeen {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub lat: Latitude,
    pub lon: Longitude,
    pub place: Place,
    pub region: Region,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Circumstances {
    pub narrative: Narrative,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<Vehicle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<Suspect>,
}

/// The body of `POST /reports` as received: every field optional here so that a missing
/// field is reported with its path beside every other problem, and unknown fields refused.
#[derive(Debug, Default, Deserialize)]
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

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildBody {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub sex: Option<Sex>,
    pub description: Option<String>,
    pub photo_url: Option<String>,
    pub photo_consent: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastSeenBody {
    pub at: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CircumstancesBody {
    pub narrative: Option<String>,
    pub vehicle: Option<String>,
    pub suspect: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaBody {
    pub abduction_suspected: Option<bool>,
    pub risk_of_serious_harm: Option<bool>,
    pub sufficient_description: Option<bool>,
    pub registered_in_national_database: Option<bool>,
}

/// A validated report, not yet filed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub child: Child,
    pub last_seen: LastSeen,
    pub circumstances: Circumstances,
    pub criteria: Criteria,
    pub tip_line: TipLine,
    pub languages: Languages,
    pub exercise: bool,
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
    fn validate(self, now: OffsetDateTime, errors: &mut ValidationErrors) -> Option<LastSeen> {
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
    const FIELD: &str = "last_seen.at";
    let at = OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).map_err(
        |_| {
            FieldError::new(
                FIELD,
                "must be an RFC 3339 date-time with an offset, e.g. 2026-11-28T16:30:00+01:00",
            )
        },
    )?;
    if at > now + CLOCK_SKEW {
        return Err(FieldError::new(FIELD, "must not be in the future"));
    }
    if at < now - LAST_SEEN_MAX_AGE {
        return Err(FieldError::new(
            FIELD,
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

/// A filed report: its current state. Built only by [`Report::file`] (and read back from
/// storage), so its status and version follow the lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    id: ReportId,
    version: u32,
    status: Status,
    reported_by: OfficerId,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    updated_at: OffsetDateTime,
    #[serde(flatten)]
    details: ReportDraft,
}

/// One immutable line of a report's audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub report_id: ReportId,
    pub version: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: OfficerId,
    pub action: Action,
    pub from: Option<Status>,
    pub to: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Report {
    /// Files `draft` as a new report pending review, with the first line of its history.
    pub fn file(
        id: ReportId,
        draft: ReportDraft,
        officer: OfficerId,
        now: OffsetDateTime,
    ) -> (Report, HistoryEntry) {
        let report = Report {
            id,
            version: 1,
            status: Status::PendingReview,
            reported_by: officer.clone(),
            created_at: now,
            updated_at: now,
            details: draft,
        };
        let entry = HistoryEntry {
            report_id: id,
            version: 1,
            at: now,
            actor: officer,
            action: Action::File,
            from: None,
            to: Status::PendingReview,
            reason: None,
        };
        (report, entry)
    }

    pub fn id(&self) -> ReportId {
        self.id
    }
    pub fn version(&self) -> u32 {
        self.version
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn reported_by(&self) -> &OfficerId {
        &self.reported_by
    }
    pub fn created_at(&self) -> OffsetDateTime {
        self.created_at
    }
    pub fn updated_at(&self) -> OffsetDateTime {
        self.updated_at
    }
    pub fn details(&self) -> &ReportDraft {
        &self.details
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
