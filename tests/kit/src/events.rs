//! The Lambda-event harness: events as Lambda delivers them (API Gateway HTTP API
//! payload 2.0, DynamoDB Stream, EventBridge Scheduler), read from the fixtures of
//! `tests/events/fixtures/<function>/`, and API Gateway events played through
//! `lambda_http`'s adapter into a router, as in a deployed function.

use std::path::PathBuf;

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use lambda_http::request::LambdaRequest;
use lambda_http::{Adapter, Context, LambdaEvent};
use serde_json::Value;
use tower::ServiceExt;

use crate::requests::Reply;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../events/fixtures")
}

/// The event `name` among `function`'s fixtures.
pub fn fixture(function: &str, name: &str) -> Value {
    let path = fixtures().join(function).join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// An API Gateway event with another (plain, not base64) body.
pub fn with_body(mut event: Value, body: &str) -> Value {
    event["body"] = body.into();
    event["headers"]["content-length"] = body.len().to_string().into();
    event
}

/// `event` without `field` of its object at `pointer` (a JSON pointer: `/headers`).
pub fn without(mut event: Value, pointer: &str, field: &str) -> Value {
    event
        .pointer_mut(pointer)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("no object at {pointer}"))
        .remove(field);
    event
}

/// Plays an API Gateway HTTP API event into `router` through `lambda_http`'s adapter;
/// the API Gateway response it makes, read back as a [`Reply`].
pub async fn invoke(router: axum::Router, event: Value) -> Reply {
    let request: LambdaRequest = serde_json::from_value(event).expect("an API Gateway event");
    let response = Adapter::from(router)
        .oneshot(LambdaEvent::new(request, Context::default()))
        .await
        .expect("the router never fails");
    let response = serde_json::to_value(response).expect("a response");
    let mut headers = HeaderMap::new();
    for (name, value) in response["headers"].as_object().into_iter().flatten() {
        headers.insert(
            HeaderName::try_from(name.as_str()).expect("a header name"),
            HeaderValue::try_from(value.as_str().expect("a header value")).expect("a header value"),
        );
    }
    let body = response["body"].as_str().unwrap_or("null");
    Reply {
        status: StatusCode::from_u16(response["statusCode"].as_u64().expect("a status") as u16)
            .expect("a status"),
        headers,
        body: serde_json::from_str(body).unwrap_or_else(|_| body.into()),
    }
}
