//! `POST /reports`: the intake function's router.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::body::{read_json, typed};
use super::identity::{Group, Identity};
use super::problem::Problem;
use super::respond::report_response;
use super::routes::FILE_REPORT;
use super::with_fallbacks;
use crate::idempotency::IdempotencyKey;
use crate::intake::{self, Filed, Filing};
use crate::ports::{Clock, ReportCreator, ReportReader};

struct IntakeState<S> {
    store: S,
    clock: Arc<dyn Clock>,
}

/// The intake function's routes: `POST /reports`.
pub fn routes<S>(store: S, clock: Arc<dyn Clock>) -> Router
where
    S: ReportCreator + ReportReader,
{
    let routes = FILE_REPORT
        .add(Router::new(), file_report::<S>)
        .with_state(Arc::new(IntakeState { store, clock }));
    super::metered(routes, "intake")
}

/// The intake function's router: its routes, and problems for every other path or method.
pub fn router<S>(store: S, clock: Arc<dyn Clock>) -> Router
where
    S: ReportCreator + ReportReader,
{
    with_fallbacks(routes(store, clock))
}

/// The `Idempotency-Key` header, if sent.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, Problem> {
    let key = headers.get(IdempotencyKey::HEADER);
    Ok(key
        .map(|k| IdempotencyKey::parse(k.as_bytes()))
        .transpose()?)
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
    let (status, report) = match intake::file(&state.store, filing, state.clock.now()).await? {
        Filed::Created(report) => (StatusCode::CREATED, report),
        Filed::Replayed(report) => (StatusCode::OK, report),
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
