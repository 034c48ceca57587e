//! Integration tests against the AWS emulator (moto's server mode): real SDK calls, real
//! table, no mocks. Each test starts its own emulator and stops it when it ends.

mod approval;
mod authorization;
mod authorizer;
mod cap;
mod deploy;
mod emulator;
mod expiry;
mod fanout;
mod faults;
mod idempotency;
mod openapi;
mod photos;
mod public;
mod sightings;
mod signing;
mod store;
mod template;
mod trust;
