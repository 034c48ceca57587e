//! Benchmark tooling: a local Lambda Runtime API to start and invoke the functions'
//! release binaries, and the statistics of the figures.

pub mod runtime_api;
pub mod stats;
