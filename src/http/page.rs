//! `GET /a/{id}`: the alert's page (see [`crate::page`]), with the headers a public
//! page needs: its own Content-Security-Policy, no sniffing, no referrer, and the same
//! 30 seconds in caches as every public answer.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::base::{ServedOn, settled};
use super::browser::guarded;
use super::problem::{Problem, ProblemType};
use super::public::{CACHE_CONTROL, PublicStore, Shared, public_report};
use crate::page::{CONTENT_SECURITY_POLICY, alert_page, ended_page, language_of, missing_page};

/// A page with the headers every public page carries, kept in caches as `cache` says.
pub(super) fn html(status: StatusCode, body: String, cache: &'static str) -> Response {
    let response = (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response();
    guarded(response, &CONTENT_SECURITY_POLICY, cache)
}

/// `GET /a/{id}`
pub async fn page<S: PublicStore>(
    State(state): Shared<S>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    served: ServedOn,
) -> Result<Response, Problem> {
    let (report, alert) = match public_report(&state.store, &id).await {
        Ok(found) => found,
        Err(problem) if problem.kind() == ProblemType::NotFound => {
            return Ok(html(StatusCode::NOT_FOUND, missing_page(), CACHE_CONTROL));
        }
        Err(problem) => return Err(problem),
    };
    let base = settled(&state.issuer, &served)?.page_base;
    let language = language_of(
        &alert,
        super::public::asked(query.as_deref(), "lang").as_deref(),
    );
    let body = match report.ending() {
        Some(ending) => ended_page(&alert, ending.at, language, &base),
        None => alert_page(&alert, language, &base),
    };
    let mut response = html(StatusCode::OK, body, CACHE_CONTROL);
    if let Ok(code) = HeaderValue::from_str(language.code()) {
        response
            .headers_mut()
            .insert(header::CONTENT_LANGUAGE, code);
    }
    Ok(response)
}
