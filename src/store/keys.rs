//! Key values of the single table's items.

use sha2::{Digest, Sha256};

use crate::domain::{ReportId, Status};

pub const REPORT_SK: &str = "REPORT";
pub const IDEMPOTENCY_SK: &str = "IDEMPOTENCY";

pub fn report_pk(id: ReportId) -> String {
    format!("REPORT#{id}")
}

/// History items sort by version under their report; ten digits hold any u32.
pub fn history_sk(version: u32) -> String {
    format!("HISTORY#{version:010}")
}

pub fn status_pk(status: Status) -> String {
    format!("STATUS#{}", status.as_str())
}

pub fn idempotency_pk(scope: &str) -> String {
    format!("IDEMPOTENCY#{scope}")
}

/// The scope of an idempotency key: the caller and the key, hashed so that any printable
/// key makes a short, uniform partition key.
pub fn idempotency_scope(subject: &str, key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(subject.as_bytes());
    hash.update([0]);
    hash.update(key.as_bytes());
    hex::encode(hash.finalize())
}
