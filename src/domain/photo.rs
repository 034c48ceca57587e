//! A photo Tifli hosts: the upload an officer asks for, the renditions the photo function
//! makes of it, and why it refuses one. The bytes themselves are the photo function's
//! and the bucket's; here is what the report records of them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ids::{OfficerId, ReportId};
use super::limits::{
    PHOTO_MAX_BYTES, PHOTO_MAX_PIXELS, PHOTO_MAX_SIDE, PHOTO_MIN_SIDE, PHOTO_UPLOAD_VALID,
};
use super::validation::{FieldError, ValidationErrors};

/// The kinds of image an officer may upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PhotoType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/webp")]
    Webp,
}

impl PhotoType {
    pub const ALL: [PhotoType; 3] = [PhotoType::Jpeg, PhotoType::Png, PhotoType::Webp];

    pub fn mime(self) -> &'static str {
        match self {
            PhotoType::Jpeg => "image/jpeg",
            PhotoType::Png => "image/png",
            PhotoType::Webp => "image/webp",
        }
    }

    pub fn parse(mime: &str) -> Option<PhotoType> {
        Self::ALL.into_iter().find(|t| t.mime() == mime)
    }
}

/// `POST /reports/{id}/photo`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoUploadBody {
    pub consent: Option<bool>,
    pub content_type: Option<String>,
}

impl PhotoUploadBody {
    /// The declared kind of the photo, once the family's consent is given.
    pub fn validate(self) -> Result<PhotoType, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        if self.consent != Some(true) {
            errors.push(FieldError::new(
                "consent",
                "must be true: a photo is published only with the family's consent",
            ));
        }
        let kind = errors
            .required("content_type", self.content_type)
            .and_then(|raw| {
                errors.check(PhotoType::parse(&raw).ok_or_else(|| {
                    FieldError::new(
                        "content_type",
                        "must be image/jpeg, image/png or image/webp",
                    )
                }))
            });
        match kind {
            Some(kind) if errors.is_empty() => Ok(kind),
            _ => Err(errors),
        }
    }
}

/// Where an upload lands in the bucket: `uploads/<report>/<ulid>`, private. The report is
/// in the key so that the photo function knows whose it is and the purge finds them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadKey {
    pub report: ReportId,
    pub upload: ulid::Ulid,
}

pub const UPLOADS_PREFIX: &str = "uploads/";
/// Where renditions live, behind the public URL's path `/p/...`.
pub const RENDITIONS_PREFIX: &str = "p/";

impl UploadKey {
    pub fn new(report: ReportId, now: OffsetDateTime) -> UploadKey {
        UploadKey {
            report,
            upload: ulid::Ulid::from_datetime(now.into()),
        }
    }

    pub fn parse(key: &str) -> Option<UploadKey> {
        let rest = key.strip_prefix(UPLOADS_PREFIX)?;
        let (report, upload) = rest.split_once('/')?;
        Some(UploadKey {
            report: ReportId::parse(report)?,
            upload: ulid::Ulid::from_string(upload).ok()?,
        })
    }

    /// Every upload of `report`: what its purge deletes.
    pub fn prefix(report: ReportId) -> String {
        format!("{UPLOADS_PREFIX}{report}/")
    }
}

impl std::fmt::Display for UploadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{UPLOADS_PREFIX}{}/{}", self.report, self.upload)
    }
}

/// When a presigned upload stops being accepted.
pub fn upload_expires(now: OffsetDateTime) -> OffsetDateTime {
    now + PHOTO_UPLOAD_VALID
}

/// What a rendition is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RenditionKind {
    /// The page, the feed and CAP's `<resource>`: a JPEG that fits 1200 × 1200.
    Page,
    /// The share card's frame: a 4:5 PNG, what the card function can decode.
    Card,
}

impl RenditionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RenditionKind::Page => "page",
            RenditionKind::Card => "card",
        }
    }
}

/// One file the photo function made of an upload, as served.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    pub kind: RenditionKind,
    /// Its key in the bucket: `p/<token>/<kind>.<ext>`, the token random and long, so
    /// that nobody finds a photo who was not given its URL.
    pub key: String,
    /// Where the public fetches it: the key under the public base URL (`/p/...`).
    pub url: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub size: u64,
    /// The SHA-1 of its bytes, hex: CAP 1.2's `digest`.
    pub sha1: String,
}

/// The keys say where a child's photo is: kept out of logs like the photo itself.
impl std::fmt::Debug for Rendition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendition")
            .field("kind", &self.kind)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

impl Rendition {
    /// The public URL of the object at `key` (under [`RENDITIONS_PREFIX`]).
    pub fn url_of(base: &str, key: &str) -> String {
        format!("{}/{key}", base.trim_end_matches('/'))
    }
}

/// A photo Tifli hosts, recorded on its report.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedPhoto {
    /// The upload as it came, private, kept with the case until the report's purge.
    pub original: String,
    /// The officer who asked for the upload with the family's consent.
    pub consent_by: OfficerId,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub renditions: Vec<Rendition>,
}

impl std::fmt::Debug for HostedPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostedPhoto")
            .field("at", &self.at)
            .field("renditions", &self.renditions)
            .finish_non_exhaustive()
    }
}

impl HostedPhoto {
    pub fn rendition(&self, kind: RenditionKind) -> Option<&Rendition> {
        self.renditions.iter().find(|r| r.kind == kind)
    }

    /// The keys of the public renditions: what an alert's end deletes.
    pub fn public_keys(&self) -> Vec<String> {
        self.renditions.iter().map(|r| r.key.clone()).collect()
    }
}

/// Why the photo function refused an upload: recorded on the report's history, in words
/// an officer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoRefusal {
    #[error("the file is larger than {} MB", PHOTO_MAX_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the file is a {found} image, not the {declared} declared for the upload")]
    WrongKind {
        declared: &'static str,
        found: &'static str,
    },
    #[error(
        "the image is {width} × {height} pixels: each side must be between {PHOTO_MIN_SIDE} and \
         {PHOTO_MAX_SIDE} and the whole at most {} megapixels",
        PHOTO_MAX_PIXELS / 1_000_000
    )]
    Dimensions { width: u32, height: u32 },
    #[error("the image could not be decoded")]
    Unreadable,
    #[error(
        "the alert has published all the messages it may: resolve it and file a new report to publish a photo"
    )]
    NoRoom,
}

impl PhotoRefusal {
    /// Whether `width` × `height` may be decoded: checked from the header, before any
    /// pixel is, so that a small file claiming a huge image costs nothing.
    pub fn check_dimensions(width: u32, height: u32) -> Result<(), PhotoRefusal> {
        let side = PHOTO_MIN_SIDE..=PHOTO_MAX_SIDE;
        if side.contains(&width)
            && side.contains(&height)
            && u64::from(width) * u64::from(height) <= PHOTO_MAX_PIXELS
        {
            Ok(())
        } else {
            Err(PhotoRefusal::Dimensions { width, height })
        }
    }

    pub fn check_size(bytes: u64) -> Result<(), PhotoRefusal> {
        if bytes > PHOTO_MAX_BYTES {
            Err(PhotoRefusal::TooLarge)
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::samples::NOW;

    #[test]
    fn an_upload_needs_consent_and_a_kind_of_image() {
        let body = |json: serde_json::Value| serde_json::from_value::<PhotoUploadBody>(json);
        let ok = body(serde_json::json!({"consent": true, "content_type": "image/png"})).unwrap();
        assert_eq!(ok.validate().unwrap(), PhotoType::Png);
        let refused = body(serde_json::json!({"consent": false, "content_type": "image/gif"}))
            .unwrap()
            .validate()
            .unwrap_err();
        let fields: Vec<&str> = refused.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["consent", "content_type"]);
        let missing = PhotoUploadBody::default().validate().unwrap_err();
        let fields: Vec<&str> = missing.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["consent", "content_type"]);
        assert!(body(serde_json::json!({"consent": true, "url": "x"})).is_err());
    }

    #[test]
    fn upload_keys_name_their_report() {
        let report = ReportId::generate(NOW);
        let key = UploadKey::new(report, NOW);
        let text = key.to_string();
        assert!(text.starts_with(&UploadKey::prefix(report)));
        assert_eq!(UploadKey::parse(&text), Some(key));
        for bad in [
            "",
            "uploads/",
            "uploads/x/y",
            "p/abc/page.jpg",
            &format!("uploads/{report}"),
        ] {
            assert_eq!(UploadKey::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dimensions_are_checked_before_decoding() {
        assert!(PhotoRefusal::check_dimensions(4000, 3000).is_ok());
        for (w, h) in [(63, 500), (500, 63), (12_001, 100), (10_000, 10_000)] {
            assert_eq!(
                PhotoRefusal::check_dimensions(w, h),
                Err(PhotoRefusal::Dimensions {
                    width: w,
                    height: h
                })
            );
        }
        assert!(PhotoRefusal::check_size(PHOTO_MAX_BYTES).is_ok());
        assert_eq!(
            PhotoRefusal::check_size(PHOTO_MAX_BYTES + 1),
            Err(PhotoRefusal::TooLarge)
        );
    }
}
