//! The photo function: what it makes of an officer's upload, and what it deletes when an
//! alert ends or a report is purged. It is the one function that decodes images and the
//! one that writes to the photos bucket.
//!
//! An upload becomes a new version of its report only once its renditions are in the
//! bucket, and the renditions are deleted again if that version cannot be committed:
//! a photo is published whole or not at all.

pub mod events;
pub mod image;

use time::OffsetDateTime;

use crate::domain::photo::{
    HostedPhoto, PhotoRefusal, PhotoType, RENDITIONS_PREFIX, Rendition, UploadKey,
};
use crate::domain::{ActionError, OfficerId, Report, ReportId, Transition};
use crate::ports::{PhotoObjects, ReportReader, ReportWriter, SaveError, StoreError};

/// How many times a change is decided again when another one committed first.
const ATTEMPTS: usize = 5;

/// What became of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Processed {
    /// Hosted: the report's new version.
    Hosted { report: ReportId, version: u32 },
    /// Refused, and the reason recorded at this version.
    Refused {
        report: ReportId,
        version: u32,
        refusal: PhotoRefusal,
    },
    /// Nothing to record: why.
    Ignored(&'static str),
}

/// What the photo function works with.
pub struct Photos<S, O> {
    pub store: S,
    pub objects: O,
    /// The public base URL the renditions are served under (`<base>/p/...`).
    pub base: String,
}

/// A random, long name for a photo's public files.
fn token() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

fn sha1(bytes: &[u8]) -> String {
    use sha1::Digest as _;
    hex::encode(sha1::Sha1::digest(bytes))
}

impl<S: ReportReader + ReportWriter, O: PhotoObjects> Photos<S, O> {
    /// Processes the upload at `key`.
    pub async fn upload(&self, key: &str, now: OffsetDateTime) -> Result<Processed, StoreError> {
        let Some(upload) = UploadKey::parse(key) else {
            return Ok(Processed::Ignored("not an upload"));
        };
        let Some(head) = self.objects.head(key).await? else {
            return Ok(Processed::Ignored("the upload is gone"));
        };
        let report = self.store.get(upload.report).await?;
        let officer = head.officer.as_deref().and_then(OfficerId::new);
        let (Some(report), Some(officer)) = (report, officer) else {
            // Not presigned by Tifli for a report it holds: nothing to keep.
            self.objects.delete(&[key.to_owned()]).await?;
            return Ok(Processed::Ignored("no report or no officer for the upload"));
        };
        if report.status().is_terminal() {
            self.objects.delete(&[key.to_owned()]).await?;
            return Ok(Processed::Ignored("the report has ended"));
        }
        // S3 may deliver an event twice, and Lambda retries one that failed after the
        // commit: an upload already hosted is not published again.
        if report.photo().is_some_and(|p| p.original == key) {
            return Ok(Processed::Ignored("already hosted"));
        }
        let declared = head.content_type.as_deref().and_then(PhotoType::parse);
        let checked = match declared {
            None => Err(PhotoRefusal::NotAnImage),
            // From the listing first: a file over the limit is never downloaded.
            Some(declared) => match PhotoRefusal::check_size(head.size) {
                Err(refusal) => Err(refusal),
                Ok(()) => match self.objects.get(key).await? {
                    None => return Ok(Processed::Ignored("the upload is gone")),
                    Some(bytes) => image::renditions(&bytes, declared),
                },
            },
        };
        match checked {
            Err(refusal) => self.refuse(upload, key, &officer, refusal, now).await,
            Ok(encoded) => self.host(upload, key, officer, encoded, now).await,
        }
    }

    async fn refuse(
        &self,
        upload: UploadKey,
        key: &str,
        officer: &OfficerId,
        refusal: PhotoRefusal,
        now: OffsetDateTime,
    ) -> Result<Processed, StoreError> {
        let recorded = self
            .commit(upload.report, |report| {
                report.refuse_photo(officer, &refusal, now)
            })
            .await?;
        // A refused file is kept nowhere: the history says why it went.
        self.objects.delete(&[key.to_owned()]).await?;
        Ok(match recorded {
            Ok((_, version)) => Processed::Refused {
                report: upload.report,
                version,
                refusal,
            },
            Err(_) => Processed::Ignored("the report can no longer change"),
        })
    }

    async fn host(
        &self,
        upload: UploadKey,
        key: &str,
        officer: OfficerId,
        encoded: Vec<image::Encoded>,
        now: OffsetDateTime,
    ) -> Result<Processed, StoreError> {
        let folder = format!("{RENDITIONS_PREFIX}{}/", token());
        let mut renditions = Vec::new();
        for file in encoded {
            let key = format!("{folder}{}.{}", file.kind.as_str(), file.extension);
            let rendition = Rendition {
                kind: file.kind,
                url: Rendition::url_of(&self.base, &key),
                key: key.clone(),
                mime_type: file.mime_type.to_owned(),
                width: file.width,
                height: file.height,
                size: file.bytes.len() as u64,
                sha1: sha1(&file.bytes),
            };
            renditions.push(rendition);
            if let Err(e) = self.objects.put(&key, file.bytes, file.mime_type).await {
                let written: Vec<String> = renditions.iter().map(|r| r.key.clone()).collect();
                self.forget(&written).await;
                return Err(e);
            }
        }
        let photo = HostedPhoto {
            original: key.to_owned(),
            consent_by: officer,
            at: now,
            renditions,
        };
        let committed = self
            .commit(upload.report, |report| report.add_photo(photo.clone(), now))
            .await;
        match committed {
            Ok(Ok((before, version))) => {
                // The photo it replaced stops being served.
                if let Some(old) = before.photo() {
                    self.forget(&old.public_keys()).await;
                }
                Ok(Processed::Hosted {
                    report: upload.report,
                    version,
                })
            }
            Ok(Err(refused)) => {
                self.forget(&photo.public_keys()).await;
                match refused {
                    // Nothing but the history may change now: it says why.
                    ActionError::MessageLimit => {
                        self.refuse(upload, key, &photo.consent_by, PhotoRefusal::NoRoom, now)
                            .await
                    }
                    _ => {
                        self.objects.delete(&[key.to_owned()]).await?;
                        Ok(Processed::Ignored("the report can no longer change"))
                    }
                }
            }
            Err(e) => {
                self.forget(&photo.public_keys()).await;
                Err(e)
            }
        }
    }

    /// Deletes renditions nothing names any more; what fails to go is left to the
    /// bucket's lifecycle rule.
    async fn forget(&self, keys: &[String]) {
        if let Err(e) = self.objects.delete(keys).await {
            tracing::warn!(error = %e, "renditions not deleted; the lifecycle rule will");
        }
    }

    /// Decides `change` on the report's current version and commits it, again if another
    /// change committed first. The report it changed and the new version; or why the
    /// report cannot take the change any more.
    async fn commit(
        &self,
        id: ReportId,
        change: impl Fn(&Report) -> Result<Transition, ActionError>,
    ) -> Result<Result<(Report, u32), ActionError>, StoreError> {
        for _ in 0..ATTEMPTS {
            let Some(report) = self.store.get(id).await? else {
                return Ok(Err(ActionError::Invalid(Default::default())));
            };
            let transition = match change(&report) {
                Ok(transition) => transition,
                Err(e) => {
                    tracing::warn!(report_id = %id, error = %e, "photo not recorded");
                    return Ok(Err(e));
                }
            };
            match self.store.save(&transition).await {
                Ok(()) => return Ok(Ok((report, transition.report.version()))),
                Err(SaveError::Stale) => continue,
                Err(SaveError::Store(e)) => return Err(e),
            }
        }
        Err(StoreError::Conflict)
    }
}

/// The public renditions of an alert that ended: deleted at once.
pub async fn ended<O: PhotoObjects>(objects: &O, photo: &HostedPhoto) -> Result<(), StoreError> {
    objects.delete(&photo.public_keys()).await
}

/// A purged report's uploads: deleted with the rest of its personal data.
pub async fn purged<O: PhotoObjects>(objects: &O, report: ReportId) -> Result<usize, StoreError> {
    objects.delete_prefix(&UploadKey::prefix(report)).await
}
