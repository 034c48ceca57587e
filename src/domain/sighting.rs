//! What a member of the public saw: a sighting sent from an alert's page. It goes to the
//! case's officers and never changes the alert by itself; it is never public and goes
//! with the report when its data is purged.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::body::recent_time;
use super::details::Place;
use super::geo::{Latitude, Longitude};
use super::ids::{ReportId, SightingId};
use super::limits::*;
use super::rate::RateLimit;
use super::text::{Lines, bounded_text};
use super::validation::{FieldError, ValidationErrors};

bounded_text!(
    /// What the witness saw, in their words.
    SightingDescription,
    SIGHTING_DESCRIPTION_MAX_CHARS,
    Lines::Multi
);
bounded_text!(
    /// How the police may reach the witness: a phone number, an address, a name.
    SightingContact,
    SIGHTING_CONTACT_MAX_CHARS,
    Lines::Single
);

/// The limits every sighting passes: per client address, then per alert.
pub const PER_ADDRESS: RateLimit = RateLimit {
    name: "address",
    limit: SIGHTINGS_PER_ADDRESS,
    window: SIGHTINGS_PER_ADDRESS_WINDOW,
};
pub const PER_ALERT: RateLimit = RateLimit {
    name: "alert",
    limit: SIGHTINGS_PER_ALERT,
    window: SIGHTINGS_PER_ALERT_WINDOW,
};

/// The body of `POST /a/{id}/sightings` as received (the page's form is read into the
/// same). No `Debug`: it holds what a witness wrote.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SightingBody {
    pub seen_at: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub place: Option<String>,
    pub description: Option<String>,
    pub contact: Option<String>,
}

/// A sighting as validated, before it is received.
pub struct SightingDraft {
    seen_at: OffsetDateTime,
    point: Option<(Latitude, Longitude)>,
    place: Option<Place>,
    description: SightingDescription,
    contact: Option<SightingContact>,
}

/// A sighting as the case's officers read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sighting {
    pub id: SightingId,
    pub report_id: ReportId,
    #[serde(with = "time::serde::rfc3339")]
    pub seen_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<Latitude>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<Longitude>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
    pub description: SightingDescription,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<SightingContact>,
    #[serde(with = "time::serde::rfc3339")]
    pub received_at: OffsetDateTime,
}

impl SightingBody {
    /// Validates every field, collecting every error: when (required), where (a point,
    /// a place, or both), what (required), and an optional contact.
    pub fn validate(self, now: OffsetDateTime) -> Result<SightingDraft, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let seen_at = errors
            .required("seen_at", self.seen_at)
            .and_then(|raw| errors.check(recent_time("seen_at", &raw, now)));
        let point = match (self.lat, self.lon) {
            (None, None) => Some(None),
            (Some(lat), Some(lon)) => {
                let lat = errors.check(Latitude::parse("lat", lat));
                let lon = errors.check(Longitude::parse("lon", lon));
                lat.zip(lon).map(Some)
            }
            (Some(_), None) => {
                errors.push(FieldError::new("lon", "is required with lat"));
                None
            }
            (None, Some(_)) => {
                errors.push(FieldError::new("lat", "is required with lon"));
                None
            }
        };
        let place = match self.place {
            None => Some(None),
            Some(raw) => errors.check(Place::parse("place", &raw)).map(Some),
        };
        if self.lat.is_none() && self.lon.is_none() && matches!(place, Some(None)) {
            errors.push(FieldError::new(
                "place",
                "is required without a point: say where (a place, lat and lon, or both)",
            ));
        }
        let description = errors
            .required("description", self.description)
            .and_then(|raw| errors.check(SightingDescription::parse("description", &raw)));
        let contact = match self.contact {
            None => Some(None),
            Some(raw) => errors
                .check(SightingContact::parse("contact", &raw))
                .map(Some),
        };
        match (seen_at, point, place, description, contact) {
            (Some(seen_at), Some(point), Some(place), Some(description), Some(contact))
                if errors.is_empty() =>
            {
                Ok(SightingDraft {
                    seen_at,
                    point,
                    place,
                    description,
                    contact,
                })
            }
            _ => Err(errors),
        }
    }
}

impl SightingDraft {
    /// The sighting as received for `report_id` at `now`.
    pub fn receive(self, report_id: ReportId, now: OffsetDateTime) -> Sighting {
        Sighting {
            id: SightingId::generate(now),
            report_id,
            seen_at: self.seen_at,
            lat: self.point.map(|(lat, _)| lat),
            lon: self.point.map(|(_, lon)| lon),
            place: self.place,
            description: self.description,
            contact: self.contact,
            received_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::format_description::well_known::Rfc3339;

    use super::*;
    use crate::domain::samples::NOW;

    fn body(json: serde_json::Value) -> SightingBody {
        serde_json::from_value(json).unwrap()
    }

    fn fields(errors: ValidationErrors) -> Vec<String> {
        errors.fields().map(str::to_owned).collect()
    }

    #[test]
    fn a_place_or_a_point_says_where() {
        let seen = (NOW - Duration::minutes(20)).format(&Rfc3339).unwrap();
        let by_place = body(serde_json::json!({
            "seen_at": seen, "place": "Gare routière", "description": "A girl in a red coat"
        }));
        let sighting = by_place
            .validate(NOW)
            .ok()
            .unwrap()
            .receive(ReportId::generate(NOW), NOW);
        assert_eq!(sighting.place.unwrap().as_str(), "Gare routière");
        assert!(sighting.lat.is_none() && sighting.contact.is_none());

        let by_point = body(serde_json::json!({
            "seen_at": seen, "lat": 33.82, "lon": -6.06, "description": "Seen"
        }));
        assert!(by_point.validate(NOW).is_ok());

        let nowhere = body(serde_json::json!({"seen_at": seen, "description": "Seen"}));
        assert_eq!(fields(nowhere.validate(NOW).err().unwrap()), ["place"]);
        let half = body(serde_json::json!({"seen_at": seen, "lat": 33.8, "description": "x"}));
        assert_eq!(fields(half.validate(NOW).err().unwrap()), ["lon"]);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let future = (NOW + Duration::hours(1)).format(&Rfc3339).unwrap();
        let wrong = body(serde_json::json!({
            "seen_at": future, "lat": 91.0, "lon": 0.0, "place": "a\nb",
            "description": " ", "contact": "x\u{202E}y"
        }));
        assert_eq!(
            fields(wrong.validate(NOW).err().unwrap()),
            ["seen_at", "lat", "place", "description", "contact"]
        );
        let empty = body(serde_json::json!({}));
        assert_eq!(
            fields(empty.validate(NOW).err().unwrap()),
            ["seen_at", "place", "description"]
        );
        let old = (NOW - Duration::days(31)).format(&Rfc3339).unwrap();
        let stale = body(serde_json::json!({"seen_at": old, "place": "x", "description": "y"}));
        assert_eq!(fields(stale.validate(NOW).err().unwrap()), ["seen_at"]);
    }
}
