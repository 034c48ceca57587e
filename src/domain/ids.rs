//! Identifiers: of reports, and of the officers who act on them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

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

/// A sighting's id: a ULID too, so that a report's sightings sort by arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SightingId(ulid::Ulid);

impl SightingId {
    pub fn generate(now: OffsetDateTime) -> Self {
        Self(ulid::Ulid::from_datetime(now.into()))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        ulid::Ulid::from_string(raw).ok().map(Self)
    }
}

impl std::fmt::Display for SightingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Who takes an action: an officer's subject, and whether they act as a supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: OfficerId,
    pub supervisor: bool,
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
