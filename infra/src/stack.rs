//! Every route of the system behind one server, as API Gateway would route them.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tifli::ports::{Clock, ReportCreator, ReportReader};

use crate::auth::{Authorizer, authorize};
use crate::dev::{self, DevConfig, DevState};

/// The functions' routers behind the emulated JWT authorizer, plus the `/dev` routes.
pub fn router<S>(store: S, clock: Arc<dyn Clock>, auth: Authorizer, config: DevConfig) -> Router
where
    S: ReportCreator + ReportReader,
{
    let protected = tifli::http::intake::router(store, clock)
        .layer(from_fn_with_state(auth.clone(), authorize));
    Router::new()
        .route("/dev/token", post(dev::token))
        .route("/dev/config", get(dev::config))
        .with_state(DevState { auth, config })
        .merge(protected)
}
