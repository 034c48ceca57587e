//! The operator console (`console/`), served by the local runner at `/console/` as the
//! deployed one is by CloudFront: the static files with a strict Content-Security-Policy
//! (no inline script, nothing from another origin), and a `config.json` that tells the
//! console to sign in through `/dev/token` with the demo identities.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// What every console response carries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The demo identities the local sign-in page offers: (subject, group).
pub const IDENTITIES: [(&str, &str); 3] = [
    ("officer-1", "officers"),
    ("supervisor-1", "supervisors"),
    ("supervisor-2", "supervisors"),
];

fn media_type(file: &str) -> Option<&'static str> {
    Some(match file.rsplit('.').next()? {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

fn secured(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn file(Path(file): Path<String>) -> Response {
    let known = file
        .split('/')
        .all(|part| !part.is_empty() && !part.starts_with('.'))
        && file
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c));
    let (Some(media), true) = (media_type(&file), known) else {
        return secured(StatusCode::NOT_FOUND.into_response());
    };
    let path = crate::repo_root().join("console").join(&file);
    match tokio::fs::read(&path).await {
        Ok(bytes) => secured(([(header::CONTENT_TYPE, media)], bytes).into_response()),
        Err(_) => secured(StatusCode::NOT_FOUND.into_response()),
    }
}

async fn index() -> Response {
    file(Path("index.html".to_owned())).await
}

async fn config() -> Response {
    let identities: Vec<_> = IDENTITIES
        .iter()
        .map(|(sub, group)| serde_json::json!({"sub": sub, "group": group}))
        .collect();
    let body = serde_json::json!({"signin": "dev", "identities": identities});
    secured(axum::Json(body).into_response())
}

/// `/console/` and its files.
pub fn routes() -> Router {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route("/console/", get(index))
        .route("/console/config.json", get(config))
        .route("/console/{*file}", get(file))
}
