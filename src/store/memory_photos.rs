//! The photos bucket in memory, for handler tests and benchmarks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::ports::{PhotoObjects, PhotoReader, StoreError, UploadHead};

/// One object: its bytes, type and the officer it was uploaded for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub officer: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct MemoryPhotos {
    objects: Arc<Mutex<BTreeMap<String, Object>>>,
}

impl MemoryPhotos {
    fn objects(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Object>> {
        self.objects.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An upload as the browser's POST leaves it.
    pub fn upload(&self, key: &str, bytes: Vec<u8>, content_type: &str, officer: &str) {
        self.objects().insert(
            key.to_owned(),
            Object {
                bytes,
                content_type: Some(content_type.to_owned()),
                officer: Some(officer.to_owned()),
            },
        );
    }

    pub fn object(&self, key: &str) -> Option<Object> {
        self.objects().get(key).cloned()
    }

    pub fn keys(&self) -> Vec<String> {
        self.objects().keys().cloned().collect()
    }
}

impl PhotoReader for MemoryPhotos {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.objects().get(key).map(|o| o.bytes.clone()))
    }
}

impl PhotoObjects for MemoryPhotos {
    async fn head(&self, key: &str) -> Result<Option<UploadHead>, StoreError> {
        Ok(self.objects().get(key).map(|o| UploadHead {
            size: o.bytes.len() as u64,
            content_type: o.content_type.clone(),
            officer: o.officer.clone(),
        }))
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, content_type: &str) -> Result<(), StoreError> {
        self.objects().insert(
            key.to_owned(),
            Object {
                bytes,
                content_type: Some(content_type.to_owned()),
                officer: None,
            },
        );
        Ok(())
    }

    async fn delete(&self, keys: &[String]) -> Result<(), StoreError> {
        let mut objects = self.objects();
        for key in keys {
            objects.remove(key);
        }
        Ok(())
    }

    async fn delete_prefix(&self, prefix: &str) -> Result<usize, StoreError> {
        let mut objects = self.objects();
        let before = objects.len();
        objects.retain(|k, _| !k.starts_with(prefix));
        Ok(before - objects.len())
    }
}
