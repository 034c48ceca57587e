//! Successful responses that carry a report.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::{HistoryEntry, Report};

/// The `ETag` of a report version, as `If-Match` must echo it.
pub fn etag(version: u32) -> String {
    format!("\"{version}\"")
}

fn with_headers(mut response: Response, report: &Report) -> Response {
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&format!("/reports/{}", report.id())) {
        headers.insert(header::LOCATION, location);
    }
    if let Ok(etag) = HeaderValue::from_str(&etag(report.version())) {
        headers.insert(header::ETAG, etag);
    }
    response
}

/// A report with its `Location` and `ETag`.
pub fn report_response(status: StatusCode, report: &Report) -> Response {
    with_headers((status, axum::Json(report)).into_response(), report)
}

#[derive(Serialize)]
struct WithHistory<'a> {
    #[serde(flatten)]
    report: &'a Report,
    history: &'a [HistoryEntry],
}

/// A report and its history, oldest line first, with its `ETag`.
pub fn report_with_history(report: &Report, history: &[HistoryEntry]) -> Response {
    let body = WithHistory { report, history };
    with_headers((StatusCode::OK, axum::Json(body)).into_response(), report)
}
