//! `GET /a/{id}/card.png`: the alert's share card (see [`crate::card`]), served by a
//! function of its own, so that the public function does not carry the drawing code and
//! its fonts, and the card's does not carry the page, the feeds and the sightings.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::browser::guarded;
use super::problem::{Problem, ProblemType};
use super::public::{CACHE_CONTROL, asked, public_report};
use super::routes::ALERT_CARD;
use super::with_fallbacks;
use crate::domain::photo::RenditionKind;
use crate::domain::public::language_of;
use crate::ports::{PhotoReader, ReportReader};

/// How long caches keep a card asked for at the alert's current version (the page's
/// `og:image`): longer than the page, and short enough that once the alert ends its
/// card is gone from caches within five minutes.
pub const VERSIONED_CARD_CACHE: &str = "public, max-age=300";

/// An image loads nothing and may be framed by nobody.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

struct CardState<S, P> {
    store: S,
    /// The photos bucket, for the photo's card rendition.
    photos: P,
}

pub fn routes<S: ReportReader, P: PhotoReader>(store: S, photos: P) -> Router {
    let routes = ALERT_CARD
        .add(Router::new(), card::<S, P>)
        .with_state(Arc::new(CardState { store, photos }));
    super::metered(routes, "card")
}

pub fn router<S: ReportReader, P: PhotoReader>(store: S, photos: P) -> Router {
    with_fallbacks(routes(store, photos))
}

/// `GET /a/{id}/card.png?lang=&v=`: the share card of an active alert; nothing once it
/// ended (404), so that no picture of the child outlives the alert.
async fn card<S: ReportReader, P: PhotoReader>(
    State(state): State<Arc<CardState<S, P>>>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Problem> {
    let (report, alert) = public_report(&state.store, &id).await?;
    if report.ending().is_some() {
        return Err(Problem::new(ProblemType::NotFound, "the alert has ended"));
    }
    let language = language_of(&alert, asked(query.as_deref(), "lang").as_deref());
    // A rendition that cannot be read (just replaced, the bucket unavailable) leaves
    // the silhouette: the card still serves the alert.
    let photo = match report
        .photo()
        .and_then(|p| p.rendition(RenditionKind::Card))
    {
        None => None,
        Some(rendition) => state.photos.get(&rendition.key).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "card photo unreadable");
            None
        }),
    };
    let png = crate::card::share_card_with(&alert, language, photo.as_deref()).map_err(|e| {
        tracing::error!(error = %e, "share card failed");
        Problem::new(ProblemType::Internal, "the share card could not be drawn")
    })?;
    let current = asked(query.as_deref(), "v") == Some(alert.version.to_string());
    let cache = if current {
        VERSIONED_CARD_CACHE
    } else {
        CACHE_CONTROL
    };
    let response = ([(header::CONTENT_TYPE, "image/png")], png).into_response();
    Ok(guarded(response, CONTENT_SECURITY_POLICY, cache))
}
