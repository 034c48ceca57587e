//! Each function driven as Lambda drives it: real event JSON (API Gateway HTTP API
//! payload 2.0, DynamoDB Stream, EventBridge Scheduler) from `fixtures/<function>/`,
//! through the same adapters as in a deployed function, against the in-memory store.

mod approval;
mod card;
mod expiry;
mod fanout;
mod intake;
mod page;
mod photo;
mod public;
mod sighting;
