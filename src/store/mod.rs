//! Adapters behind the ports: the DynamoDB single table (feature `dynamodb`) and an
//! in-memory store for unit and handler tests.

#[cfg(feature = "dynamodb")]
pub mod dynamodb;
pub mod keys;
#[cfg(any(test, feature = "memory"))]
pub mod memory;
pub mod schema;
