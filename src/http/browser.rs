//! What every answer a browser renders (the alert's page, the operator console) carries:
//! its Content-Security-Policy, no content sniffing, no referrer sent onwards, and how
//! long caches may keep it.

use axum::http::{HeaderValue, header};
use axum::response::Response;

pub fn guarded(mut response: Response, policy: &str, cache_control: &'static str) -> Response {
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}
