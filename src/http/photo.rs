//! `POST /reports/{id}/photo`: a presigned upload of the child's photo for the officers
//! on the case and supervisors, with the family's consent. The file goes from the
//! browser to the bucket; the photo function takes it from there.

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::approval::{READERS, report_id};
use super::body::{read_json, typed};
use super::identity::{Group, Identity};
use super::problem::{Problem, ProblemType};
use super::routes::UPLOAD_PHOTO;
use crate::domain::Actor;
use crate::domain::photo::{PhotoUploadBody, UploadKey};
use crate::ports::{Clock, PhotoUploads, ReportReader};

struct UploadState<S, U> {
    store: S,
    uploads: U,
    clock: Arc<dyn Clock>,
}

type Shared<S, U> = State<Arc<UploadState<S, U>>>;

/// The upload route, for the approval function's router.
pub fn routes<S: ReportReader, U: PhotoUploads>(
    store: S,
    uploads: U,
    clock: Arc<dyn Clock>,
) -> Router {
    let routes = UPLOAD_PHOTO
        .add(Router::new(), presign::<S, U>)
        .with_state(Arc::new(UploadState {
            store,
            uploads,
            clock,
        }));
    super::metered(routes, "approval")
}

async fn presign<S: ReportReader, U: PhotoUploads>(
    State(state): Shared<S, U>,
    identity: Result<Identity, Problem>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let identity = identity?;
    identity.require(READERS)?;
    let id = report_id(&id)?;
    let body: PhotoUploadBody = typed(&read_json(&headers, body).await?)?;
    let kind = body.validate().map_err(Problem::invalid)?;
    let report = state
        .store
        .get(id)
        .await?
        .ok_or_else(|| Problem::new(ProblemType::NotFound, "no such report"))?;
    let actor = Actor {
        supervisor: identity.is_in(Group::Supervisors),
        id: identity.subject.clone(),
    };
    report.may_add_photo(&actor)?;
    let now = state.clock.now();
    let key = UploadKey::new(id, now);
    let post = state
        .uploads
        .presign(
            &key.to_string(),
            kind.mime(),
            identity.subject.as_str(),
            now,
        )
        .await?;
    tracing::info!(report_id = %id, subject = identity.subject.as_str(), "photo upload presigned");
    Ok((StatusCode::OK, Json(post)).into_response())
}
