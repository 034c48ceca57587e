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
}

#[derive(Debug, Clone)]
pub struct Route {
    pub method: Method,
    /// In axum's syntax, which is also API Gateway's: `/reports/{id}`.
    pub path: &'static str,
    pub function: Function,
}

impl Route {
    const fn new(method: Method, path: &'static str, function: Function) -> Route {
        Route {
            method,
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
        let filter = match self.method {
            Method::GET => MethodFilter::GET,
            Method::POST => MethodFilter::POST,
            // The table below is all there is; a new method is one more arm here.
            _ => unreachable!("a route of the table has a method without a filter"),
        };
        router.route(self.path, on(filter, handler))
    }
}

pub const FILE_REPORT: Route = Route::new(Method::POST, "/reports", Function::Intake);
pub const LIST_REPORTS: Route = Route::new(Method::GET, "/reports", Function::Approval);
pub const READ_REPORT: Route = Route::new(Method::GET, "/reports/{id}", Function::Approval);
/// One route for every action of [`crate::domain::Action::ON_REQUEST`]; API Gateway
/// routes each action as a path of its own.
pub const ACT_ON_REPORT: Route =
    Route::new(Method::POST, "/reports/{id}/{action}", Function::Approval);
pub const LIST_ALERTS: Route = Route::new(Method::GET, "/alerts", Function::Public);
pub const ALERTS_FEED: Route = Route::new(Method::GET, "/alerts.atom", Function::Public);
pub const READ_ALERT: Route = Route::new(Method::GET, "/alerts/{id}", Function::Public);
pub const ALERT_CAP: Route = Route::new(Method::GET, "/alerts/{id}/cap", Function::Public);

/// Every route of the deployed API.
pub const ALL: [Route; 8] = [
    FILE_REPORT,
    LIST_REPORTS,
    READ_REPORT,
    ACT_ON_REPORT,
    LIST_ALERTS,
    ALERTS_FEED,
    READ_ALERT,
    ALERT_CAP,
];
