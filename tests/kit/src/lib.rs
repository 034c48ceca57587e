//! The test kit: what every test and benchmark package of Tifli shares, written once.
//!
//! - [`samples`]: valid report bodies and alerts (the library's own samples, and times
//!   relative to now for tests that run against a clock);
//! - [`stack`]: an emulator of the test's own, its table, and the system's router behind
//!   the emulated authorizer, in process;
//! - [`fanout`]: the alerts topic, the stream played into the fan-out handler, queues
//!   subscribed with filter policies;
//! - [`faults`]: faults injected at the SDK's transport;
//! - [`requests`]: requests to a router and the answers' checks, shared by the router,
//!   Lambda-event and local-stack tests;
//! - [`events`]: the Lambda-event harness: API Gateway events from fixtures, through
//!   `lambda_http`'s adapter;
//! - [`local`]: the `tifli-local` binary run as its users run it, over TCP;
//! - [`checks`]: the CAP 1.2 schema validator and the Atom feed reader;
//! - [`signing`]: a CAP signing key in the process, and the two signature verifiers;
//! - [`wait`]: waiting for something to happen, with one generous bound.

pub mod checks;
pub mod events;
pub mod fanout;
pub mod faults;
pub mod local;
pub mod photos;
pub mod requests;
pub mod samples;
pub mod signing;
pub mod stack;
pub mod wait;

pub use fanout::FanOut;
pub use stack::{BUCKET, PAGE_BASE, SENDER, TABLE, TOPICS, TestStack, issuer, uploads};
