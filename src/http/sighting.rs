//! `POST /a/{id}/sightings`: a witness tells the police what they saw, as JSON (an app,
//! the page with a script) or as the page's own form (no script at all). A sighting is
//! taken only while the alert is active, within the rate limits, and never changes the
//! alert: it is stored beside the report for its officers, and its arrival (not its
//! content) goes to them on `case-events` through the table's stream.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lambda_http::request::RequestContext;
use sha2::{Digest, Sha256};
use time::format_description::well_known::Rfc3339;

use super::base::{ServedOn, settled};
use super::body::{is_form, read_form, read_json, typed};
use super::page::html;
use super::problem::{Problem, ProblemType};
use super::public::{PublicStore, Shared, public_report};
use crate::domain::rate::Admission;
use crate::domain::sighting::{PER_ADDRESS, PER_ALERT, SightingBody};
use crate::domain::{FieldError, Report, SightingId, Status, ValidationErrors};
use crate::page::{FormValues, Outcome, language_of, missing_page, sighting_page};
use crate::ports::{SightingError, StoreError};

/// An answer to a sighting is never kept by a cache: it is one person's.
const NO_STORE: &str = "no-store";

/// Who sent a request, as a key for the per-address limit: a hash, so that the table
/// never holds an address.
pub struct ClientAddress(String);

impl ClientAddress {
    fn key(&self) -> String {
        hex::encode(&Sha256::digest(self.0.as_bytes())[..16])
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    /// CloudFront's `CloudFront-Viewer-Address` (`ip:port`, which CloudFront sets over
    /// whatever the viewer sent) when the request came through the distribution, else
    /// the address API Gateway saw.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let viewer = parts
            .headers
            .get("cloudfront-viewer-address")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.rsplit_once(':').map_or(v, |(ip, _port)| ip).to_owned());
        let source = match parts.extensions.get::<RequestContext>() {
            Some(RequestContext::ApiGatewayV2(context)) => context.http.source_ip.clone(),
            _ => None,
        };
        Ok(ClientAddress(
            viewer.or(source).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Why a sighting was not taken.
enum Refusal {
    Invalid(ValidationErrors),
    NotActive,
    Busy(u64),
    Store(StoreError),
}

impl From<Refusal> for Problem {
    fn from(refusal: Refusal) -> Problem {
        match refusal {
            Refusal::Invalid(errors) => Problem::invalid(errors),
            Refusal::NotActive => Problem::new(
                ProblemType::AlertNotActive,
                "the alert has ended; for anything about the child, call its tip line",
            ),
            Refusal::Busy(seconds) => Problem::new(
                ProblemType::TooManyRequests,
                format!("too many sightings; try again in {seconds} seconds"),
            )
            .retry_after(seconds),
            Refusal::Store(e) => e.into(),
        }
    }
}

/// Takes `body` in for `report`: active, valid, within both limits, stored.
async fn receive<S: PublicStore>(
    store: &S,
    report: &Report,
    body: SightingBody,
    address: &ClientAddress,
    now: time::OffsetDateTime,
) -> Result<SightingId, Refusal> {
    if report.status() != Status::Active {
        return Err(Refusal::NotActive);
    }
    let sighting = body
        .validate(now)
        .map_err(Refusal::Invalid)?
        .receive(report.id(), now);
    // A sighting that is refused counts for neither limit: a witness who mistypes does
    // not lose a try.
    for (limit, key) in [
        (&PER_ADDRESS, address.key()),
        (&PER_ALERT, report.id().to_string()),
    ] {
        match store.admit(limit, &key, now).await {
            Ok(Admission::Admitted) => {}
            Ok(Admission::Refused { retry_after }) => {
                tracing::info!(limit = limit.name, "sighting refused: rate limit");
                return Err(Refusal::Busy(retry_after));
            }
            Err(e) => return Err(Refusal::Store(e)),
        }
    }
    store
        .add_sighting(report, &sighting)
        .await
        .map_err(|e| match e {
            SightingError::NotActive => Refusal::NotActive,
            SightingError::Store(e) => Refusal::Store(e),
        })?;
    tracing::info!(report_id = %report.id(), sighting_id = %sighting.id, "sighting received");
    Ok(sighting.id)
}

/// `POST /a/{id}/sightings`
pub async fn send<S: PublicStore>(
    State(state): Shared<S>,
    Path(id): Path<String>,
    address: ClientAddress,
    served: ServedOn,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    if is_form(&headers) {
        return from_form(state, &id, address, served, headers, body).await;
    }
    let (report, _) = public_report(&state.store, &id).await?;
    let json = read_json(&headers, body).await?;
    let body: SightingBody = typed(&json)?;
    let now = state.clock.now();
    let id = receive(&state.store, &report, body, &address, now).await?;
    let mut response = (
        StatusCode::CREATED,
        axum::Json(serde_json::json!({ "id": id })),
    )
        .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(NO_STORE),
    );
    Ok(response)
}

/// The form's fields as the JSON body has them. An empty field is one left out; the
/// time, from a `datetime-local` input, has no offset and is read in the offset of the
/// alert's own last-seen time (the witness is where the child was).
fn form_body(
    fields: &[(String, String)],
    report: &Report,
) -> (Result<SightingBody, ValidationErrors>, FormValues) {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    let values = FormValues {
        seen_at: field("seen_at").unwrap_or_default(),
        place: field("place").unwrap_or_default(),
        description: field("description").unwrap_or_default(),
        contact: field("contact").unwrap_or_default(),
    };
    let mut errors = ValidationErrors::default();
    let mut number = |name: &str| {
        field(name).and_then(|raw| {
            let n = raw.trim().parse::<f64>().ok();
            if n.is_none() {
                errors.push(FieldError::new(name, "must be a number"));
            }
            n
        })
    };
    let (lat, lon) = (number("lat"), number("lon"));
    let offset = report.details().last_seen.at.offset();
    let seen_at = field("seen_at").map(|raw| local_time(&raw, offset));
    let body = SightingBody {
        seen_at,
        lat,
        lon,
        place: field("place"),
        description: field("description"),
        contact: field("contact"),
    };
    let body = if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    };
    (body, values)
}

/// `2026-12-02T10:30` (or with seconds) in `offset`, as RFC 3339; anything else as sent,
/// for the validation to name.
fn local_time(raw: &str, offset: time::UtcOffset) -> String {
    let raw = raw.trim();
    let with_seconds = match raw.len() {
        16 => format!("{raw}:00"),
        _ => raw.to_owned(),
    };
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    match time::PrimitiveDateTime::parse(&with_seconds, &format) {
        Ok(local) => local
            .assume_offset(offset)
            .format(&Rfc3339)
            .unwrap_or_else(|_| raw.to_owned()),
        Err(_) => raw.to_owned(),
    }
}

/// The form's submission, answered with a page in the reader's language.
async fn from_form<S: PublicStore>(
    state: std::sync::Arc<super::public::PublicState<S>>,
    id: &str,
    address: ClientAddress,
    served: ServedOn,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let (report, alert) = match public_report(&state.store, id).await {
        Ok(found) => found,
        Err(problem) if problem.kind() == ProblemType::NotFound => {
            return Ok(html(StatusCode::NOT_FOUND, missing_page(), NO_STORE));
        }
        Err(problem) => return Err(problem),
    };
    let fields = read_form(&headers, body).await?;
    let asked = fields
        .iter()
        .find(|(n, _)| n == "lang")
        .map(|(_, v)| v.as_str());
    let language = language_of(&alert, asked);
    let base = settled(&state.issuer, &served)?.page_base;
    let (body, values) = form_body(&fields, &report);
    let received = match body {
        Ok(body) => receive(&state.store, &report, body, &address, state.clock.now()).await,
        Err(errors) => Err(Refusal::Invalid(errors)),
    };
    let (status, outcome, retry) = match received {
        Ok(_) => (StatusCode::CREATED, Outcome::Received, None),
        Err(Refusal::Invalid(errors)) => (
            StatusCode::BAD_REQUEST,
            Outcome::Invalid(errors.fields().map(str::to_owned).collect()),
            None,
        ),
        Err(Refusal::NotActive) => (StatusCode::CONFLICT, Outcome::NotActive, None),
        Err(Refusal::Busy(seconds)) => (
            StatusCode::TOO_MANY_REQUESTS,
            Outcome::Busy(seconds),
            Some(seconds),
        ),
        Err(Refusal::Store(e)) => {
            let status = Problem::from(e).kind().status();
            (status, Outcome::Failed, None)
        }
    };
    let page = sighting_page(&alert, language, outcome, values, &base);
    let mut response = html(status, page, NO_STORE);
    if let Some(seconds) = retry {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_time_takes_the_offset_of_the_last_sighting() {
        let plus_one = time::UtcOffset::from_hms(1, 0, 0).unwrap();
        assert_eq!(
            local_time("2026-12-02T10:30", plus_one),
            "2026-12-02T10:30:00+01:00"
        );
        assert_eq!(
            local_time("2026-12-02T10:30:15", plus_one),
            "2026-12-02T10:30:15+01:00"
        );
        assert_eq!(local_time("yesterday", plus_one), "yesterday");
    }
}
