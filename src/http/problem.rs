//! RFC 9457 problem details: the one shape of every error response.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::{FieldError, ValidationErrors};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Every kind of problem the API answers with. The `type` URI is relative to the API's
/// base URL and is stable: clients may branch on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemType {
    MalformedBody,
    Validation,
    InvalidHeader,
    Unauthenticated,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    BodyTooLarge,
    UnsupportedMediaType,
    IdempotencyKeyReused,
    Internal,
    Unavailable,
    IfMatchRequired,
    StaleVersion,
    InvalidTransition,
    FourEyes,
    CriteriaNotMet,
    BeyondMaximumLife,
    NotOnCase,
    MessageLimit,
    AlertNotActive,
    TooManyRequests,
}

impl ProblemType {
    pub const ALL: [ProblemType; 22] = [
        ProblemType::MalformedBody,
        ProblemType::Validation,
        ProblemType::InvalidHeader,
        ProblemType::Unauthenticated,
        ProblemType::Forbidden,
        ProblemType::NotFound,
        ProblemType::MethodNotAllowed,
        ProblemType::BodyTooLarge,
        ProblemType::UnsupportedMediaType,
        ProblemType::IdempotencyKeyReused,
        ProblemType::Internal,
        ProblemType::Unavailable,
        ProblemType::IfMatchRequired,
        ProblemType::StaleVersion,
        ProblemType::InvalidTransition,
        ProblemType::FourEyes,
        ProblemType::CriteriaNotMet,
        ProblemType::BeyondMaximumLife,
        ProblemType::NotOnCase,
        ProblemType::MessageLimit,
        ProblemType::AlertNotActive,
        ProblemType::TooManyRequests,
    ];

    /// `(type URI, status, title)`.
    fn describe(self) -> (&'static str, StatusCode, &'static str) {
        use ProblemType::*;
        match self {
            MalformedBody => (
                "/problems/malformed-body",
                StatusCode::BAD_REQUEST,
                "The body is not valid JSON",
            ),
            Validation => (
                "/problems/validation",
                StatusCode::BAD_REQUEST,
                "The body has invalid fields",
            ),
            InvalidHeader => (
                "/problems/invalid-header",
                StatusCode::BAD_REQUEST,
                "A request header is invalid",
            ),
            Unauthenticated => (
                "/problems/unauthenticated",
                StatusCode::UNAUTHORIZED,
                "Authentication is required",
            ),
            Forbidden => (
                "/problems/forbidden",
                StatusCode::FORBIDDEN,
                "Your groups do not allow this",
            ),
            NotFound => (
                "/problems/not-found",
                StatusCode::NOT_FOUND,
                "No such resource",
            ),
            MethodNotAllowed => (
                "/problems/method-not-allowed",
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed here",
            ),
            BodyTooLarge => (
                "/problems/body-too-large",
                StatusCode::PAYLOAD_TOO_LARGE,
                "The body is too large",
            ),
            UnsupportedMediaType => (
                "/problems/unsupported-media-type",
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "The body must be application/json",
            ),
            IdempotencyKeyReused => (
                "/problems/idempotency-key-reused",
                StatusCode::UNPROCESSABLE_ENTITY,
                "The Idempotency-Key was used with another body",
            ),
            Internal => (
                "/problems/internal",
                StatusCode::INTERNAL_SERVER_ERROR,
                "Internal error",
            ),
            Unavailable => (
                "/problems/unavailable",
                StatusCode::SERVICE_UNAVAILABLE,
                "Temporarily unavailable, retry",
            ),
            IfMatchRequired => (
                "/problems/if-match-required",
                StatusCode::PRECONDITION_REQUIRED,
                "If-Match is required",
            ),
            StaleVersion => (
                "/problems/stale-version",
                StatusCode::PRECONDITION_FAILED,
                "The report changed since you read it",
            ),
            InvalidTransition => (
                "/problems/invalid-transition",
                StatusCode::CONFLICT,
                "Not allowed in the report's current state",
            ),
            FourEyes => (
                "/problems/four-eyes",
                StatusCode::FORBIDDEN,
                "A report is approved by someone other than its reporter",
            ),
            CriteriaNotMet => (
                "/problems/criteria-not-met",
                StatusCode::UNPROCESSABLE_ENTITY,
                "Activation criteria not met",
            ),
            BeyondMaximumLife => (
                "/problems/beyond-maximum-life",
                StatusCode::UNPROCESSABLE_ENTITY,
                "Beyond the alert's maximum life",
            ),
            NotOnCase => (
                "/problems/not-on-case",
                StatusCode::FORBIDDEN,
                "Only the officers on the case and supervisors may do this",
            ),
            MessageLimit => (
                "/problems/message-limit",
                StatusCode::CONFLICT,
                "The alert has published all the messages one alert may",
            ),
            AlertNotActive => (
                "/problems/alert-not-active",
                StatusCode::CONFLICT,
                "The alert is not active: it takes no sightings",
            ),
            TooManyRequests => (
                "/problems/too-many-requests",
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests: try again later",
            ),
        }
    }

    pub fn uri(self) -> &'static str {
        self.describe().0
    }

    pub fn status(self) -> StatusCode {
        self.describe().1
    }

    pub fn title(self) -> &'static str {
        self.describe().2
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    uri: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
    #[serde(skip)]
    kind: ProblemType,
    /// Seconds to wait before trying again, sent as `Retry-After`.
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl Problem {
    pub fn new(kind: ProblemType, detail: impl Into<String>) -> Self {
        Self {
            uri: kind.uri(),
            title: kind.title(),
            status: kind.status().as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            kind,
            retry_after: (kind == ProblemType::Unavailable).then_some(1),
        }
    }

    pub fn invalid(errors: ValidationErrors) -> Self {
        let detail = match errors.0.as_slice() {
            [one] if one.field.is_empty() => one.message.clone(),
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields are invalid", many.len()),
        };
        Self {
            errors: errors.0,
            ..Self::new(ProblemType::Validation, detail)
        }
    }

    /// The same problem, told with another detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Adds per-field errors to a problem of another type than validation.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    /// The same problem, to be tried again in `seconds`.
    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    pub fn kind(&self) -> ProblemType {
        self.kind
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = self.kind.status();
        // Only the type is logged: details may echo what the caller sent.
        tracing::info!(
            problem = self.uri,
            status = status.as_u16(),
            "request refused"
        );
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
