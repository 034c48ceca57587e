//! The deployed API's routes as data: each function's router is built from this table,
//! and the contract test holds the same table to the OpenAPI description and to the
//! routes `template.yaml` gives API Gateway.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, on};
use http::Method;

/// The function that serves a route in AWS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Intake,
    Approval,
    Public,
    /// The share card, apart for its size.
    Card,
}

#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    /// What axum matches `method` with.
    filter: MethodFilter,
    /// In axum's syntax, which is also API Gateway's: `/reports/{id}`.
    pub path: &'static str,
    pub function: Function,
}

impl Route {
    const fn get(path: &'static str, function: Function) -> Route {
        Route {
            method: Method::GET,
            filter: MethodFilter::GET,
            path,
            function,
        }
    }

    const fn post(path: &'static str, function: Function) -> Route {
        Route {
            method: Method::POST,
            filter: MethodFilter::POST,
            path,
            function,
        }
    }

    /// `router` with this route served by `handler`.
    pub fn add<H, T, S>(&self, router: Router<S>, handler: H) -> Router<S>
    where
        H: Handler<T, S>,
        T: 'static,
        S: Clone + Send + Sync + 'static,
    {
        router.route(self.path, on(self.filter, handler))
    }
}

pub const FILE_REPORT: Route = Route::post("/reports", Function::Intake);
pub const LIST_REPORTS: Route = Route::get("/reports", Function::Approval);
pub const READ_REPORT: Route = Route::get("/reports/{id}", Function::Approval);
/// What approving a report would send (supervisors).
pub const PREVIEW_REPORT: Route = Route::get("/reports/{id}/preview", Function::Approval);
/// One route for every action of [`crate::domain::Action::ON_REQUEST`]; API Gateway
/// routes each action as a path of its own.
pub const ACT_ON_REPORT: Route = Route::post("/reports/{id}/{action}", Function::Approval);
pub const LIST_ALERTS: Route = Route::get("/alerts", Function::Public);
pub const ALERTS_FEED: Route = Route::get("/alerts.atom", Function::Public);
pub const READ_ALERT: Route = Route::get("/alerts/{id}", Function::Public);
pub const ALERT_CAP: Route = Route::get("/alerts/{id}/cap", Function::Public);
/// The public keys that verify the CAP messages' signatures.
pub const SIGNING_KEYS: Route = Route::get("/.well-known/cap-signing-keys", Function::Public);
/// The alert's page, HTML, for people who follow a shared link.
pub const ALERT_PAGE: Route = Route::get("/a/{id}", Function::Public);
/// The alert's share card, a PNG social networks show with a shared link.
pub const ALERT_CARD: Route = Route::get("/a/{id}/card.png", Function::Card);
/// A witness's sighting, from the page's form or as JSON.
pub const SEND_SIGHTING: Route = Route::post("/a/{id}/sightings", Function::Public);
/// A report's sightings, newest first (staff).
pub const LIST_SIGHTINGS: Route = Route::get("/reports/{id}/sightings", Function::Approval);

/// A presigned upload of the child's photo (the case's officers, supervisors).
pub const UPLOAD_PHOTO: Route = Route::post("/reports/{id}/photo", Function::Approval);

/// Every route of the deployed API.
pub const ALL: [Route; 15] = [
    FILE_REPORT,
    LIST_REPORTS,
    READ_REPORT,
    PREVIEW_REPORT,
    LIST_SIGHTINGS,
    UPLOAD_PHOTO,
    ACT_ON_REPORT,
    LIST_ALERTS,
    ALERTS_FEED,
    READ_ALERT,
    ALERT_CAP,
    SIGNING_KEYS,
    ALERT_PAGE,
    ALERT_CARD,
    SEND_SIGHTING,
];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use axum::body::Body;
    use tower::ServiceExt;

    use super::*;
    use crate::domain::AlertPolicy;
    use crate::domain::cap::Sender;
    use crate::ports::SystemClock;
    use crate::store::memory::MemoryStore;

    /// Routing only: the upload's answer is not what this test reads.
    struct NoUploads;

    impl crate::ports::PhotoUploads for NoUploads {
        async fn presign(
            &self,
            _key: &str,
            _content_type: &str,
            _officer: &str,
            _now: time::OffsetDateTime,
        ) -> Result<crate::ports::PresignedPost, crate::ports::StoreError> {
            Err(crate::ports::StoreError::Other("routing test".into()))
        }
    }

    /// Routing only: no message is signed.
    struct NoKey;

    impl crate::ports::CapKey for NoKey {
        fn sign<'a>(
            &'a self,
            _message: &'a [u8],
        ) -> crate::ports::BoxFuture<
            'a,
            Result<crate::domain::cap::Signature, crate::ports::SigningError>,
        > {
            Box::pin(async { Err(crate::ports::SigningError("routing test".into())) })
        }

        fn published(
            &self,
        ) -> crate::ports::BoxFuture<
            '_,
            Result<Vec<crate::domain::cap::PublishedKey>, crate::ports::SigningError>,
        > {
            Box::pin(async { Ok(Vec::new()) })
        }
    }

    /// Whether `router` answers `route` with a handler of its own rather than its
    /// fallbacks (404 "no route", 405).
    async fn serves(router: &Router, route: &Route) -> bool {
        let path = route.path.replace("{id}", "01KB2ZQ7M3N8X5V4T6R9P2W1YA");
        let path = path.replace("{action}", "approve");
        let request = http::Request::builder()
            .method(route.method.clone())
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let fallback = status == http::StatusCode::METHOD_NOT_ALLOWED
            || String::from_utf8_lossy(&body).contains("no route for this path");
        !fallback
    }

    /// The table is what the routers serve: each route reaches a handler in its own
    /// function's router, and in no other.
    #[tokio::test]
    async fn each_function_serves_its_routes_of_the_table_and_no_other() {
        let (store, clock) = (MemoryStore::default(), Arc::new(SystemClock));
        let issuer = crate::fanout::Issuer::new(
            Sender::new("tifli@police.example").unwrap(),
            "https://tifli.example",
        );
        let routers = [
            (
                Function::Intake,
                crate::http::intake::router(store.clone(), clock.clone()),
            ),
            (
                Function::Approval,
                crate::http::approval::router(
                    store.clone(),
                    clock.clone(),
                    AlertPolicy::default(),
                    issuer.clone(),
                    NoUploads,
                ),
            ),
            (
                Function::Public,
                crate::http::public::router(
                    store.clone(),
                    issuer,
                    clock,
                    crate::signing::Signing::new(NoKey),
                ),
            ),
            (
                Function::Card,
                crate::http::card::router(
                    store,
                    crate::store::memory_photos::MemoryPhotos::default(),
                ),
            ),
        ];
        for route in ALL {
            for (function, router) in &routers {
                assert_eq!(
                    serves(router, &route).await,
                    route.function == *function,
                    "{} {} in the {function:?} function",
                    route.method,
                    route.path
                );
            }
        }
    }
}
