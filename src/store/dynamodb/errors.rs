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

/// A cancelled transaction says, per item, why: the idempotency key's condition failing
/// means another request holds the key; a conflict means a concurrent transaction.
pub fn create_error<R: std::fmt::Debug>(
    e: SdkError<TransactWriteItemsError, R>,
    key_index: usize,
) -> CreateError {
    if let SdkError::ServiceError(service) = &e
        && let TransactWriteItemsError::TransactionCanceledException(cancelled) = service.err()
    {
        let codes: Vec<&str> = cancelled
            .cancellation_reasons()
            .iter()
            .map(|r| r.code().unwrap_or("None"))
            .collect();
        if codes.get(key_index) == Some(&"ConditionalCheckFailed") {
            return CreateError::KeyTaken;
        }
        if codes.contains(&"TransactionConflict") {
            return StoreError::Conflict.into();
        }
        return StoreError::Other(format!("transaction cancelled: {codes:?}")).into();
    }
    store_error(e).into()
}

/// A transition's write fails as stale when its version condition does, whichever item
/// the cancellation names first.
pub fn save_error<R: std::fmt::Debug>(e: SdkError<TransactWriteItemsError, R>) -> SaveError {
    if let SdkError::ServiceError(service) = &e
        && let TransactWriteItemsError::TransactionCanceledException(cancelled) = service.err()
    {
        let codes: Vec<&str> = cancelled
            .cancellation_reasons()
            .iter()
            .map(|r| r.code().unwrap_or("None"))
            .collect();
        if codes.contains(&"ConditionalCheckFailed") {
            return SaveError::Stale;
        }
        if codes.contains(&"TransactionConflict") {
            return StoreError::Conflict.into();
        }
        return StoreError::Other(format!("transaction cancelled: {codes:?}")).into();
    }
    store_error(e).into()
}
