//! Adapters behind the ports: the DynamoDB single table (feature `dynamodb`) and an
//! in-memory store for unit and handler tests.

#[cfg(feature = "dynamodb")]
pub mod dynamodb;
pub mod keys;
#[cfg(any(test, feature = "memory"))]
pub mod memory;
#[cfg(any(test, feature = "memory"))]
pub mod memory_photos;
#[cfg(feature = "s3")]
pub mod s3;
pub mod schema;
