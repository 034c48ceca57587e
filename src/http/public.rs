//! The public read side: anyone, without credentials, reads the active alerts, their CAP
//! messages and an Atom feed. Only the public whitelist ([`PublicAlert`]) goes out;
//! an alert that ended is reduced to its id, status and end at once.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use time::OffsetDateTime;

use super::problem::{Problem, ProblemType};
use super::routes::{ALERT_CAP, ALERTS_FEED, LIST_ALERTS, READ_ALERT, SIGNING_KEYS};
use super::with_fallbacks;
use crate::domain::atom::{ATOM_MEDIA_TYPE, feed};
use crate::domain::cap::{CAP_MEDIA_TYPE, PublishedKey, render};
use crate::domain::public::PublicAlert;
use crate::domain::{Report, ReportId, Status};
use crate::fanout::Issuer;
use crate::ports::{Clock, RateLimiter, ReportLister, ReportReader, SightingWriter, SigningError};
use crate::signing::Signing;

/// Caches (a CDN in front of the API) may keep a public answer this long.
pub const CACHE_CONTROL: &str = "public, max-age=30";
/// Active alerts are few; a listing reads at most this many.
pub const MAX_LISTED: usize = 1_000;

/// What the public function needs of the table: reading alerts, and taking sightings
/// within the rate limits.
pub trait PublicStore: ReportReader + ReportLister + SightingWriter + RateLimiter {}
impl<S: ReportReader + ReportLister + SightingWriter + RateLimiter> PublicStore for S {}

pub(super) struct PublicState<S> {
    pub(super) store: S,
    /// The CAP sender, and the public base URL the feed's links are made of.
    pub(super) issuer: Issuer,
    pub(super) clock: Arc<dyn Clock>,
    /// Signs the CAP messages it serves, and publishes the keys that verify them.
    pub(super) signing: Signing,
}

pub(super) type Shared<S> = State<Arc<PublicState<S>>>;

pub fn routes<S: PublicStore>(
    store: S,
    issuer: Issuer,
    clock: Arc<dyn Clock>,
    signing: Signing,
) -> Router {
    let router = LIST_ALERTS.add(Router::new(), list::<S>);
    let router = SIGNING_KEYS.add(router, signing_keys::<S>);
    let router = ALERTS_FEED.add(router, atom::<S>);
    let router = READ_ALERT.add(router, read::<S>);
    #[cfg(feature = "page")]
    let router = super::routes::ALERT_PAGE.add(router, super::page::page::<S>);
    #[cfg(feature = "page")]
    let router = super::routes::SEND_SIGHTING.add(router, super::sighting::send::<S>);
    let routes = ALERT_CAP
        .add(router, cap::<S>)
        .with_state(Arc::new(PublicState {
            store,
            issuer,
            clock,
            signing,
        }));
    super::metered(routes, "public")
}

pub fn router<S: PublicStore>(
    store: S,
    issuer: Issuer,
    clock: Arc<dyn Clock>,
    signing: Signing,
) -> Router {
    with_fallbacks(routes(store, issuer, clock, signing))
}

/// A parameter of the query (`lang`, `v`), read by hand: a query the page does not
/// understand is ignored, not a problem for a person who followed a link.
#[cfg(any(feature = "page", feature = "card"))]
pub(super) fn asked(query: Option<&str>, parameter: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(name, _)| name == parameter)
        .map(|(_, value)| value.into_owned())
}

fn cacheable(mut response: Response, media_type: &'static str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CACHE_CONTROL),
    );
    response
}

fn not_found() -> Problem {
    Problem::new(ProblemType::NotFound, "no such alert")
}

/// A public alert as JSON: the whitelist and where its CAP message is.
#[derive(Serialize)]
struct AlertView {
    #[serde(flatten)]
    alert: PublicAlert,
    cap: String,
}

impl AlertView {
    fn of(alert: PublicAlert) -> AlertView {
        AlertView {
            cap: format!("/alerts/{}/cap", alert.id),
            alert,
        }
    }
}

/// What remains public of an alert once it ended.
#[derive(Serialize)]
struct Ended {
    id: ReportId,
    status: Status,
    #[serde(with = "time::serde::rfc3339")]
    ended_at: OffsetDateTime,
}

/// The active alerts, newest first, drills left out.
async fn active<S: PublicStore>(store: &S) -> Result<Vec<PublicAlert>, Problem> {
    let mut alerts = Vec::new();
    let mut after = None;
    loop {
        let page = store.list(Status::Active, 100, after).await?;
        alerts.extend(
            page.reports
                .iter()
                .filter(|r| !r.details().exercise)
                .filter_map(PublicAlert::of),
        );
        match page.next_after {
            Some(next) if alerts.len() < MAX_LISTED => after = Some(next),
            _ => return Ok(alerts),
        }
    }
}

#[derive(Serialize)]
struct Listing {
    items: Vec<AlertView>,
}

/// `GET /alerts`
async fn list<S: PublicStore>(State(state): Shared<S>) -> Result<Response, Problem> {
    let items = active(&state.store)
        .await?
        .into_iter()
        .map(AlertView::of)
        .collect();
    Ok(cacheable(
        axum::Json(Listing { items }).into_response(),
        "application/json",
    ))
}

/// A report that was made public, or 404: never approved, unknown, purged.
pub(super) async fn public_report<S: ReportReader>(
    store: &S,
    id: &str,
) -> Result<(Report, PublicAlert), Problem> {
    let id = ReportId::parse(id).ok_or_else(not_found)?;
    let report = store.get(id).await?.ok_or_else(not_found)?;
    let alert = PublicAlert::of(&report).ok_or_else(not_found)?;
    Ok((report, alert))
}

/// `GET /alerts/{id}`: the public fields while active; the id, status and end after.
async fn read<S: PublicStore>(
    State(state): Shared<S>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (report, alert) = public_report(&state.store, &id).await?;
    let body = match report.ending() {
        Some(ending) => axum::Json(Ended {
            id: report.id(),
            status: report.status(),
            ended_at: ending.at,
        })
        .into_response(),
        None => axum::Json(AlertView::of(alert)).into_response(),
    };
    Ok(cacheable(body, "application/json"))
}

/// `GET /alerts/{id}/cap`: the alert's latest CAP message (a Cancel once it ended),
/// signed, its `<web>` on the public base URL as the fan-out's: the same bytes as the
/// message the fan-out published, while the same key signs.
async fn cap<S: PublicStore>(
    State(state): Shared<S>,
    Path(id): Path<String>,
    served: super::base::ServedOn,
) -> Result<Response, Problem> {
    let (_, alert) = public_report(&state.store, &id).await?;
    let issuer = super::base::settled(&state.issuer, &served)?;
    let unsigned = render(&alert, &issuer.sender, &issuer.page_base);
    let signed = state
        .signing
        .sign(&unsigned)
        .await
        .map_err(unsigned_problem)?;
    Ok(cacheable(signed.into_response(), CAP_MEDIA_TYPE))
}

/// The keys that verify the CAP messages, as partners fetch them.
#[derive(Serialize)]
struct KeySet {
    keys: Vec<PublishedKey>,
}

/// `GET /.well-known/cap-signing-keys`: the current key, then the previous one while
/// messages it signed may still be about.
async fn signing_keys<S: PublicStore>(State(state): Shared<S>) -> Result<Response, Problem> {
    let keys = state.signing.published().await.map_err(unsigned_problem)?;
    Ok(cacheable(
        axum::Json(KeySet { keys }).into_response(),
        "application/json",
    ))
}

/// No message goes out unsigned: the reader is asked to come back.
fn unsigned_problem(e: SigningError) -> Problem {
    tracing::warn!(error = %e, "signing key unavailable");
    Problem::new(ProblemType::Unavailable, "the signing key is unavailable")
}

/// `GET /alerts.atom`
/// The links are made of the configured public base URL (else the API's own address),
/// never of the request's `Host`: a feed cached by a CDN must not carry a host a client
/// made up.
async fn atom<S: PublicStore>(
    State(state): Shared<S>,
    served: super::base::ServedOn,
) -> Result<Response, Problem> {
    let issuer = super::base::settled(&state.issuer, &served)?;
    let alerts = active(&state.store).await?;
    let body = feed(&issuer.page_base, &alerts, state.clock.now());
    Ok(cacheable(body.into_response(), ATOM_MEDIA_TYPE))
}
