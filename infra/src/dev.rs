//! Development-only routes of the local stack: tokens and configuration. None of them
//! exists in a deployed function.

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use tifli::domain::{FieldError, ValidationErrors};
use tifli::expiry::{Sweep, sweep};
use tifli::http::Problem;
use tifli::http::body::{read_json, read_optional_json, typed};

use crate::auth::Authorizer;
use crate::subscribers::{Deliveries, Delivery};

pub struct DevState<S> {
    pub auth: Authorizer,
    pub config: DevConfig,
    pub store: S,
    pub deliveries: Deliveries,
    pub review: tifli::domain::ReviewPolicy,
}

/// What a client of the local stack needs to reach its resources.
#[derive(Debug, Clone, Serialize)]
pub struct DevConfig {
    pub table: String,
    /// The alerts topic.
    pub topic_arn: String,
    pub exercises_topic_arn: String,
    pub case_events_topic_arn: String,
    /// Where the fan-out sets aside what it can never publish (`tifli-replay` reads it).
    pub failure_queue_url: String,
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
pub async fn token<S>(
    State(state): State<Arc<DevState<S>>>,
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
    // As the user pool, which refuses white space in group names; brackets would make
    // the claim ambiguous once API Gateway renders it as `[a b]`.
    let bad_groups: Vec<FieldError> = request
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            g.is_empty() || g.contains(|c: char| c.is_whitespace() || c == '[' || c == ']')
        })
        .map(|(i, _)| {
            FieldError::new(
                format!("groups[{i}]"),
                "a group name: no white space or brackets",
            )
        })
        .collect();
    if !bad_groups.is_empty() {
        return Err(Problem::invalid(ValidationErrors(bad_groups)));
    }
    let token = state.auth.issue(
        &request.sub,
        &request.groups,
        time::OffsetDateTime::now_utc(),
    );
    Ok(Json(TokenResponse { token }))
}

/// `GET /dev/config` → the table, the topic, the emulator endpoint and the region.
pub async fn config<S>(State(state): State<Arc<DevState<S>>>) -> Json<DevConfig> {
    Json(state.config.clone())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpiryRun {
    #[serde(default, with = "time::serde::rfc3339::option")]
    now: Option<time::OffsetDateTime>,
}

/// How long a run triggered by hand may take, as the function's timeout would bound it.
pub const EXPIRY_BUDGET: std::time::Duration = std::time::Duration::from_secs(45);

/// `POST /dev/expiry/run {"now"?}` → runs the scheduled handler as if the time were
/// `now` (default: the clock), and answers what it did.
pub async fn expiry_run<S>(
    State(state): State<Arc<DevState<S>>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Sweep>, Problem>
where
    S: tifli::expiry::SchedulerStore,
{
    let run: ExpiryRun = typed(&read_optional_json(&headers, body).await?)?;
    let now = run.now.unwrap_or_else(time::OffsetDateTime::now_utc);
    Ok(Json(
        sweep(&state.store, now, EXPIRY_BUDGET, &state.review).await,
    ))
}

/// `GET /dev/deliveries` → what the demo subscribers received, oldest first.
pub async fn deliveries<S>(State(state): State<Arc<DevState<S>>>) -> Json<Vec<Delivery>> {
    Json(
        state
            .deliveries
            .lock()
            .map(|d| d.clone())
            .unwrap_or_default(),
    )
}
