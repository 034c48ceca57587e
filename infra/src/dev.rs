//! Development-only routes of the local stack: tokens and configuration. None of them
//! exists in a deployed function.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use tifli::domain::{FieldError, ValidationErrors};
use tifli::http::Problem;
use tifli::http::body::{read_json, typed};

use crate::auth::Authorizer;

#[derive(Clone)]
pub struct DevState {
    pub auth: Authorizer,
    pub config: DevConfig,
}

/// What a client of the local stack needs to reach its resources.
#[derive(Debug, Clone, Serialize)]
pub struct DevConfig {
    pub table: String,
    pub topic_arn: String,
    pub endpoint: String,
    pub region: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    sub: String,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct TokenResponse {
    pub token: String,
}

/// `POST /dev/token {"sub", "groups"}` → `{"token"}`, signed by this run's key.
pub async fn token(
    State(state): State<DevState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<TokenResponse>, Problem> {
    let request: TokenRequest = typed(&read_json(&headers, body).await?)?;
    if request.sub.trim().is_empty() {
        return Err(Problem::invalid(ValidationErrors(vec![FieldError::new(
            "sub",
            "must not be empty",
        )])));
    }
    let token = state.auth.issue(
        &request.sub,
        &request.groups,
        time::OffsetDateTime::now_utc(),
    );
    Ok(Json(TokenResponse { token }))
}

/// `GET /dev/config` → the table, the topic, the emulator endpoint and the region.
pub async fn config(State(state): State<DevState>) -> Json<DevConfig> {
    Json(state.config)
}
