//! Every route of the system behind one server, as API Gateway would route them.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tifli::domain::{AlertPolicy, ReviewPolicy};
use tifli::fanout::Issuer;
use tifli::http::approval::ApprovalStore;
use tifli::http::{approval, intake, public, with_fallbacks};
use tifli::ports::{Clock, ReportCreator};
use tifli::uploads::S3PostSigner;

use crate::auth::{Authorizer, authorize};
use crate::dev::{self, DevConfig, DevState};
use crate::subscribers::Deliveries;

/// What the local stack needs to serve every route.
pub struct Stack<S> {
    pub store: S,
    pub clock: Arc<dyn Clock>,
    /// The CAP sender, and the base URL of the public links (this server's address).
    pub issuer: Issuer,
    pub policy: AlertPolicy,
    pub review: ReviewPolicy,
    pub auth: Authorizer,
    pub config: DevConfig,
    /// What the demo subscribers received, for `GET /dev/deliveries`.
    pub deliveries: Deliveries,
    /// The photos bucket: uploads presigned into it, renditions served from it.
    pub photos: Photos,
    /// Signs the CAP messages the public routes serve.
    pub signing: tifli::signing::Signing,
}

/// The photos bucket as the API and CloudFront use it.
pub struct Photos {
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    pub uploads: S3PostSigner,
}

/// Every function's routes behind the emulated JWT authorizer, plus the `/dev` routes.
pub fn router<S>(stack: Stack<S>) -> Router
where
    S: ReportCreator + ApprovalStore + public::PublicStore + tifli::expiry::SchedulerStore + Clone,
{
    let Stack {
        store,
        clock,
        issuer,
        policy,
        review,
        auth,
        config,
        deliveries,
        photos,
        signing,
    } = stack;
    let functions = intake::routes(store.clone(), clock.clone()).merge(approval::routes(
        store.clone(),
        clock.clone(),
        policy,
        issuer.clone(),
        photos.uploads,
    ));
    let protected = functions.layer(from_fn_with_state(auth.clone(), authorize));
    // The public routes have no authorizer, in template.yaml as here.
    let open = public::routes(store.clone(), issuer, clock, signing)
        .merge(tifli::http::card::routes(
            store.clone(),
            tifli::store::s3::S3Photos::new(photos.s3.clone(), &photos.bucket),
        ))
        .merge(
            Router::new()
                .route("/p/{*key}", get(crate::photos::rendition))
                .with_state(Arc::new((photos.s3, photos.bucket))),
        );
    // The fallbacks last, over every route: a wrong method on a public path is the same
    // problem as on a protected one.
    let all = Router::new()
        .route("/dev/token", post(dev::token::<S>))
        .route("/dev/config", get(dev::config::<S>))
        .route("/dev/expiry/run", post(dev::expiry_run::<S>))
        .route("/dev/deliveries", get(dev::deliveries::<S>))
        .with_state(Arc::new(DevState {
            auth,
            config,
            store,
            deliveries,
            review,
        }))
        .merge(open)
        .merge(protected)
        .merge(crate::console::routes());
    with_fallbacks(all)
}
