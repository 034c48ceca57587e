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
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::base::{ServedOn, settled};
use super::body::{is_form, read_form, read_json, typed};
use super::page::html;
use super::problem::{Problem, ProblemType};
use super::public::{PublicStore, Shared, public_report};
use crate::domain::rate::Admission;
use crate::domain::sighting::{PER_ADDRESS, PER_ALERT, SightingBody};
use crate::domain::{FieldError, Report, SightingId, Status, ValidationErrors};
use crate::page::{
    FormValues, Outcome, SEEN_AGO_MINUTES, language_of, missing_page, sighting_page,
};
use crate::ports::{SightingError, StoreError};

/// An answer to a sighting is never kept by a cache: it is one person's.
const NO_STORE: &str = "no-store";

/// Who sent a request, as a key for the per-address limit: a hash, so that the table
/// never holds an address.
pub struct ClientAddress(String);

impl ClientAddress {
    /// An IPv6 client holds a whole /64, and could change address at each request: it
    /// counts as its /64.
    fn key(&self) -> String {
        let counted = match self.0.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
            _ => self.0.clone(),
        };
        hex::encode(&Sha256::digest(counted.as_bytes())[..16])
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
            .map(|v| {
                let ip = v.rsplit_once(':').map_or(v, |(ip, _port)| ip);
                ip.trim_matches(|c| c == '[' || c == ']').to_owned()
            });
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
    // An invalid sighting counts for neither limit: a witness who mistypes does
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

/// The form's fields as the JSON body has them. An empty field is one left out; when
/// is a choice of how long ago (see [`SEEN_AGO_MINUTES`]), counted back from `now`.
fn form_body(
    fields: &[(String, String)],
    now: OffsetDateTime,
) -> (Result<SightingBody, ValidationErrors>, FormValues) {
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
    };
    let values = FormValues {
        seen_ago: field("seen_ago").unwrap_or_default(),
        place: field("place").unwrap_or_default(),
        description: field("description").unwrap_or_default(),
        contact: field("contact").unwrap_or_default(),
    };
    let mut errors = ValidationErrors::default();
    let seen_at = match field("seen_ago").map(|raw| raw.trim().parse::<u32>()) {
        None => None,
        Some(Ok(minutes)) if SEEN_AGO_MINUTES.contains(&minutes) => {
            let at = now - time::Duration::minutes(i64::from(minutes));
            at.replace_nanosecond(0).unwrap_or(at).format(&Rfc3339).ok()
        }
        Some(_) => {
            errors.push(FieldError::new("seen_at", "choose how long ago"));
            None
        }
    };
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
    let now = state.clock.now();
    let (body, values) = form_body(&fields, now);
    let received = match body {
        Ok(body) => receive(&state.store, &report, body, &address, now).await,
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
            let retry = (status == StatusCode::SERVICE_UNAVAILABLE).then_some(1);
            (status, Outcome::Failed, retry)
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
    fn an_ipv6_client_counts_as_its_64_and_a_v4_one_as_itself() {
        let key = |address: &str| ClientAddress(address.into()).key();
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::9"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_ne!(key("198.51.100.1"), key("198.51.100.2"));
    }

    #[test]
    fn the_form_says_how_long_ago_and_the_server_counts_back() {
        let now = time::macros::datetime!(2026-12-02 10:30:20.5 UTC);
        let fields = |ago: &str| {
            vec![
                ("seen_ago".to_owned(), ago.to_owned()),
                ("place".to_owned(), "Gare".to_owned()),
                ("description".to_owned(), "Seen".to_owned()),
                ("contact".to_owned(), " ".to_owned()),
            ]
        };
        let (body, values) = form_body(&fields("30"), now);
        let body = body.expect("a body");
        assert_eq!(body.seen_at.as_deref(), Some("2026-12-02T10:00:20Z"));
        assert!(body.contact.is_none(), "an empty field is one left out");
        assert_eq!(values.seen_ago, "30");
        for wrong in ["7", "-15", "soon"] {
            let (body, _) = form_body(&fields(wrong), now);
            let errors = body.err().expect("refused");
            assert_eq!(errors.fields().collect::<Vec<_>>(), ["seen_at"], "{wrong}");
        }
    }
}
