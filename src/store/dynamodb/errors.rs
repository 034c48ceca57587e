//! SDK errors as the ports' errors: what a caller can retry, what it cannot.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;

use crate::ports::{CreateError, SaveError, StoreError};

const RETRYABLE_CODES: [&str; 5] = [
    "ThrottlingException",
    "ProvisionedThroughputExceededException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
];

pub fn store_error<E, R>(e: SdkError<E, R>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug,
{
    match &e {
        SdkError::ServiceError(service) => {
            let err = service.err();
            let code = err.code().unwrap_or("Unknown");
            let message = format!("{code}: {}", err.message().unwrap_or(""));
            if RETRYABLE_CODES.contains(&code) {
                StoreError::Unavailable(message)
            } else if code == "TransactionInProgressException" {
                StoreError::Conflict
            } else {
                StoreError::Other(message)
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            StoreError::Unavailable(e.to_string())
        }
        _ => StoreError::Other(e.to_string()),
    }
}

/// Why a cancelled transaction was cancelled, item by item (`None` for an item that was
/// not the cause); `None` for any other error.
fn cancellation_codes<R>(e: &SdkError<TransactWriteItemsError, R>) -> Option<Vec<String>> {
    match e {
        SdkError::ServiceError(service) => match service.err() {
            TransactWriteItemsError::TransactionCanceledException(cancelled) => Some(
                cancelled
                    .cancellation_reasons()
                    .iter()
                    .map(|r| r.code().unwrap_or("None").to_owned())
                    .collect(),
            ),
            _ => None,
        },
        _ => None,
    }
}

/// Reasons DynamoDB gives for cancelling a transaction that it may accept when retried.
const RETRYABLE_CANCELLATIONS: [&str; 3] = [
    "ThrottlingError",
    "ProvisionedThroughputExceeded",
    "RequestLimitExceeded",
];

/// The error of a cancelled transaction that no condition explains.
fn cancelled(codes: &[String]) -> StoreError {
    if codes.iter().any(|c| c == "TransactionConflict") {
        StoreError::Conflict
    } else if codes
        .iter()
        .any(|c| RETRYABLE_CANCELLATIONS.contains(&c.as_str()))
    {
        StoreError::Unavailable(format!("transaction cancelled: {codes:?}"))
    } else {
        StoreError::Other(format!("transaction cancelled: {codes:?}"))
    }
}

/// The idempotency key's condition failing means another request holds the key; a
/// conflict means a concurrent transaction.
pub fn create_error<R: std::fmt::Debug>(
    e: SdkError<TransactWriteItemsError, R>,
    key_index: usize,
) -> CreateError {
    match cancellation_codes(&e) {
        Some(codes)
            if codes
                .get(key_index)
                .is_some_and(|c| c == "ConditionalCheckFailed") =>
        {
            CreateError::KeyTaken
        }
        Some(codes) => cancelled(&codes).into(),
        None => store_error(e).into(),
    }
}

/// A transition's write fails as stale when its version condition does, whichever item
/// the cancellation names first.
pub fn save_error<R: std::fmt::Debug>(e: SdkError<TransactWriteItemsError, R>) -> SaveError {
    match cancellation_codes(&e) {
        Some(codes) if codes.iter().any(|c| c == "ConditionalCheckFailed") => SaveError::Stale,
        Some(codes) => cancelled(&codes).into(),
        None => store_error(e).into(),
    }
}
