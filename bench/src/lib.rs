//! Benchmark tooling: a local Lambda Runtime API to start and invoke the functions'
//! release binaries, the statistics of the figures, and the operator console's figures.

pub mod console;
pub mod runtime_api;
pub mod stats;
