//! What the public may know of an alert: the one whitelist from which CAP messages, SNS
//! texts and public reads are made. The narrative, the officers' identities, the
//! criteria and every internal field stay out by construction.

use serde::Serialize;
use time::OffsetDateTime;

use super::alert::{Outcome, Reach};
use super::details::Sex;
use super::geo::Region;
use super::ids::ReportId;
use super::language::Language;
use super::lifecycle::{CapMsgType, Status};
use super::limits::PHOTO_URL_MAX_CHARS;
use super::photo::RenditionKind;
use super::report::{Publication, Report};

/// How an alert ended, as the public is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicEnding {
    /// The child was found.
    Found,
    /// Resolved otherwise.
    Resolved,
    /// Withdrawn by the police.
    Withdrawn,
    /// Reached its end of life.
    Expired,
}

#[derive(Clone, PartialEq, Serialize)]
pub struct PublicChild {
    pub name: String,
    pub age: u8,
    pub sex: Sex,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo_url: Option<String>,
    /// The file at `photo_url` when Tifli hosts it: what CAP's `<resource>` describes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub photo: Option<PublicPhoto>,
}

/// A hosted photo's public rendition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublicPhoto {
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub size: u64,
    /// SHA-1 of the served bytes, hex.
    pub sha1: String,
}

#[derive(Clone, PartialEq, Serialize)]
pub struct PublicLastSeen {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub place: String,
    pub region: Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PublicArea {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

#[derive(Clone, PartialEq, Serialize)]
pub struct PublicAlert {
    pub id: ReportId,
    pub version: u32,
    pub status: Status,
    pub exercise: bool,
    pub msg_type: CapMsgType,
    #[serde(with = "time::serde::rfc3339")]
    pub sent: OffsetDateTime,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending: Option<PublicEnding>,
    pub child: PublicChild,
    pub last_seen: PublicLastSeen,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vehicle: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suspect: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub tip_line: String,
    pub area: PublicArea,
    /// Every region the circle touches now.
    pub regions: Vec<Region>,
    /// Every region and cell the alert has covered since its activation: where its
    /// messages go, so that its end reaches all who received its start.
    #[serde(skip)]
    pub reach: Reach,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub languages: Vec<Language>,
    /// The alert's earlier public messages, oldest first.
    #[serde(skip)]
    pub references: Vec<Publication>,
}

// Public in an alert, yet no log line is the place for a child's name: `Debug` shows
// what identifies the message, not what it says.
impl std::fmt::Debug for PublicChild {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicChild").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PublicLastSeen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicLastSeen")
            .field("at", &self.at)
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PublicAlert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicAlert")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("status", &self.status)
            .field("exercise", &self.exercise)
            .field("msg_type", &self.msg_type)
            .field("sent", &self.sent)
            .field("ending", &self.ending)
            .field("last_seen", &self.last_seen)
            .field("area", &self.area)
            .finish_non_exhaustive()
    }
}

/// The address of an alert's public page in `language`, on the public site `base`.
/// The language a reader asked for (`?lang=`) when the alert has it, else its first.
pub fn language_of(alert: &PublicAlert, asked: Option<&str>) -> Language {
    alert
        .languages
        .iter()
        .copied()
        .find(|l| Some(l.code()) == asked)
        .or_else(|| alert.languages.first().copied())
        .unwrap_or(Language::Ar)
}

pub fn page_url(base: &str, id: ReportId, language: Language) -> String {
    format!("{base}/a/{id}?lang={}", language.code())
}

impl PublicAlert {
    /// The public side of `report` as of its latest public message; `None` for a report
    /// that was never approved.
    pub fn of(report: &Report) -> Option<PublicAlert> {
        let alert = report.alert()?;
        let (latest, earlier) = report.publications().split_last()?;
        let details = report.details();
        let ending = match (report.status(), report.ending().and_then(|e| e.outcome)) {
            (Status::Resolved, Some(Outcome::Found)) => Some(PublicEnding::Found),
            (Status::Resolved, _) => Some(PublicEnding::Resolved),
            (Status::Cancelled, _) => Some(PublicEnding::Withdrawn),
            (Status::Expired, _) => Some(PublicEnding::Expired),
            _ => None,
        };
        let child = &details.child;
        let hosted = report
            .photo()
            .and_then(|p| p.rendition(RenditionKind::Page));
        let seen = &details.last_seen;
        let circumstances = &details.circumstances;
        Some(PublicAlert {
            id: report.id(),
            version: latest.version,
            status: report.status(),
            exercise: details.exercise,
            msg_type: latest.msg_type,
            sent: latest.sent,
            ending,
            child: PublicChild {
                name: child.name.as_str().to_owned(),
                age: child.age.years(),
                sex: child.sex,
                description: child.description.as_str().to_owned(),
                // A URL stored under the earlier, longer bound is not published: it would
                // take the room the message budget counts on.
                photo_url: hosted.map(|r| r.url.clone()).or_else(|| {
                    child
                        .photo
                        .as_ref()
                        .map(|p| p.url())
                        .filter(|url| url.chars().count() <= PHOTO_URL_MAX_CHARS)
                        .map(str::to_owned)
                }),
                photo: hosted.map(|r| PublicPhoto {
                    mime_type: r.mime_type.clone(),
                    width: r.width,
                    height: r.height,
                    size: r.size,
                    sha1: r.sha1.clone(),
                }),
            },
            last_seen: PublicLastSeen {
                at: seen.at,
                place: seen.place.as_str().to_owned(),
                region: seen.region,
            },
            vehicle: circumstances
                .vehicle
                .as_ref()
                .map(|v| v.as_str().to_owned()),
            suspect: circumstances
                .suspect
                .as_ref()
                .map(|s| s.as_str().to_owned()),
            message: alert.message.as_ref().map(|m| m.as_str().to_owned()),
            tip_line: details.tip_line.as_str().to_owned(),
            area: PublicArea {
                lat: alert.area.lat.degrees(),
                lon: alert.area.lon.degrees(),
                radius_km: alert.area.radius_km,
            },
            regions: if alert.regions.is_empty() {
                vec![seen.region]
            } else {
                alert.regions.clone()
            },
            reach: alert.reach.clone(),
            expires_at: alert.expires_at,
            languages: alert.languages.as_slice().to_vec(),
            references: earlier.to_vec(),
        })
    }
}
