//! The operator console (`console/`), served by the local runner at `/console/` as the
//! deployed one is by CloudFront: the static files with a strict Content-Security-Policy
//! (no inline script, nothing from another origin), and a `config.json` that tells the
//! console to sign in through `/dev/token` with the demo identities.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;

/// What every console response carries. The photo's upload goes to the emulator's
/// bucket, on a port of its own (the bucket's own origin when deployed).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self' data:; connect-src 'self' http://127.0.0.1:*; font-src 'self'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The demo identities the local sign-in page offers: (subject, groups). The first
/// supervisor is an officer too, as a station chief is: they may file a report, and the
/// API then refuses them its approval.
pub const IDENTITIES: [(&str, &[&str]); 3] = [
    ("officer-1", &["officers"]),
    ("supervisor-1", &["supervisors", "officers"]),
    ("supervisor-2", &["supervisors"]),
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

fn secured(response: Response) -> Response {
    tifli::http::browser::guarded(response, CONTENT_SECURITY_POLICY, "no-cache")
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
        .map(|(sub, groups)| serde_json::json!({"sub": sub, "groups": groups}))
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

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn read(path: &str) -> Value {
        let text = std::fs::read_to_string(crate::repo_root().join(path)).expect(path);
        serde_json::from_str(&text).expect(path)
    }

    /// The map the console draws is the outlines the intake checks a point against:
    /// `infra/regions.py` writes both, and they must not drift apart.
    #[test]
    fn the_console_map_is_the_outlines_the_intake_checks() {
        let outlines = read("src/domain/regions/outlines.geojson");
        let console = read("console/regions.json");
        let features = outlines["features"].as_array().expect("features");
        assert_eq!(features.len(), 12);
        assert_eq!(console.as_object().expect("regions").len(), 12);
        for feature in features {
            let code = feature["properties"]["code"].as_str().expect("a code");
            let geometry = &feature["geometry"];
            let polygons = match geometry["type"].as_str() {
                Some("Polygon") => Value::Array(vec![geometry["coordinates"].clone()]),
                _ => geometry["coordinates"].clone(),
            };
            assert_eq!(console[code]["polygons"], polygons, "{code}");
            assert_eq!(
                console[code]["name"], feature["properties"]["name"],
                "{code}"
            );
        }
    }
}
