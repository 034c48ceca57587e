//! `POST /reports`: the intake function's router.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;

use super::body::{read_json, typed};
use super::identity::{Group, Identity};
use super::problem::{Problem, ProblemType};
use super::respond::report_response;
use super::with_fallbacks;
use crate::domain::limits::IDEMPOTENCY_KEY_MAX_CHARS;
use crate::intake::{self, Filed, Filing, IntakeError};
use crate::ports::{Clock, ReportCreator, ReportReader, StoreError};

pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

struct IntakeState<S> {
    store: S,
    clock: Arc<dyn Clock>,
}

/// The intake function's routes: `POST /reports`.
pub fn routes<S>(store: S, clock: Arc<dyn Clock>) -> Router
where
    S: ReportCreator + ReportReader,
{
    Router::new()
        .route("/reports", post(file_report::<S>))
        .with_state(Arc::new(IntakeState { store, clock }))
}

/// The intake function's router: its routes, and problems for every other path or method.
pub fn router<S>(store: S, clock: Arc<dyn Clock>) -> Router
where
    S: ReportCreator + ReportReader,
{
    with_fallbacks(routes(store, clock))
}

/// The `Idempotency-Key` header, if sent: 1 to 128 printable ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, Problem> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().ok().filter(|k| {
        (1..=IDEMPOTENCY_KEY_MAX_CHARS).contains(&k.len())
            && k.bytes().all(|b| b.is_ascii_graphic())
    });
    key.map(Some).ok_or_else(|| {
        Problem::new(
            ProblemType::InvalidHeader,
            format!("Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_CHARS} printable ASCII characters without spaces"),
        )
    })
}

async fn file_report<S>(
    State(state): State<Arc<IntakeState<S>>>,
    identity: Result<Identity, Problem>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem>
where
    S: ReportCreator + ReportReader,
{
    let started = Instant::now();
    let identity = identity?;
    identity.require(&[Group::Officers])?;
    let key = idempotency_key(&headers)?;
    let json = read_json(&headers, body).await?;
    let filing = Filing {
        officer: &identity.subject,
        body: typed(&json)?,
        json: &json,
        idempotency_key: key,
    };
    let (status, report) = match intake::file(&state.store, filing, state.clock.now()).await {
        Ok(Filed::Created(report)) => (StatusCode::CREATED, report),
        Ok(Filed::Replayed(report)) => (StatusCode::OK, report),
        Err(e) => return Err(problem(e)),
    };
    tracing::info!(
        report_id = %report.id(),
        version = report.version(),
        replayed = status == StatusCode::OK,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "report filed"
    );
    Ok(report_response(status, &report))
}

fn problem(e: IntakeError) -> Problem {
    match e {
        IntakeError::Invalid(errors) => Problem::invalid(errors),
        IntakeError::KeyReused => Problem::new(
            ProblemType::IdempotencyKeyReused,
            "this Idempotency-Key was first sent with another body; use a new key for a new report",
        ),
        IntakeError::Store(StoreError::Unavailable(_) | StoreError::Conflict) => {
            tracing::warn!(error = %e, "store unavailable");
            Problem::new(
                ProblemType::Unavailable,
                "the report store is busy; retry with the same Idempotency-Key",
            )
        }
        IntakeError::Store(StoreError::Other(_)) => {
            tracing::error!(error = %e, "store failure");
            Problem::new(
                ProblemType::Internal,
                "the report could not be stored; retry with the same Idempotency-Key",
            )
        }
    }
}
