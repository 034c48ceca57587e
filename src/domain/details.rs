//! The validated parts of a report: the child, where and when they were last seen, the
//! circumstances.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::criteria::Criteria;
use super::geo::{Latitude, Longitude, Region};
use super::language::Languages;
use super::limits::*;
use super::text::{Lines, bounded_text};
use super::tip_line::TipLine;
use super::validation::FieldError;

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
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConsentedPhoto(String);

impl std::fmt::Debug for ConsentedPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        super::text::redacted(f, "ConsentedPhoto", &self.0)
    }
}

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
