//! Tifli: the missing-child alert core shared by every Lambda function.
//!
//! Layers, inside out, each calling only inward: [`domain`] (pure rules, no I/O, time
//! passed in), [`ports`] (what a function needs from the outside world), [`store`] (the
//! adapters behind those ports), [`intake`] and [`approval`] (the use cases) and, with
//! the `http` feature, [`http`] (the axum routers served by Lambda and by the local runner).

pub mod approval;
#[cfg(feature = "card")]
pub mod card;
pub mod config;
pub mod deferred;
pub mod domain;
pub mod expiry;
pub mod fanout;
#[cfg(feature = "http")]
pub mod http;
pub mod idempotency;
pub mod intake;
#[cfg(feature = "kms")]
pub mod kms;
pub mod metrics;
#[cfg(feature = "page")]
pub mod page;
#[cfg(feature = "photo")]
pub mod photo;
pub mod ports;
#[cfg(feature = "sdk-config")]
pub mod sdk_config;
pub mod signing;
#[cfg(feature = "sns")]
pub mod sns;
#[cfg(feature = "sqs")]
pub mod sqs;
pub mod store;
#[cfg(feature = "stream")]
pub mod stream;
#[cfg(feature = "telemetry")]
pub mod telemetry;
#[cfg(feature = "uploads")]
pub mod uploads;
