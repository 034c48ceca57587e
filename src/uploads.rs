//! Presigned S3 POSTs for photo uploads: the browser sends the file straight to the
//! bucket, under a policy S3 enforces (this key, this content type, at most 5 MB, for ten
//! minutes), so that no function carries the bytes through API Gateway. The SDK presigns
//! GETs and PUTs but not POST policies: the policy is a document of ours, signed with the
//! SDK's own SigV4 primitives.

use std::collections::BTreeMap;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use base64::Engine as _;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::domain::limits::PHOTO_MAX_BYTES;
use crate::domain::photo::upload_expires;
use crate::ports::{PhotoUploads, PresignedPost, StoreError};

/// The credentials a policy is signed with.
#[derive(Clone)]
pub struct SigningKey {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// A role's session token: S3 wants it among the form's fields.
    pub session_token: Option<String>,
}

/// Everything a POST policy names but the upload itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    pub name: String,
    pub region: String,
    /// Where the browser posts: the bucket's virtual-hosted endpoint in AWS, the
    /// emulator's path-style URL locally.
    pub url: String,
}

impl Bucket {
    /// The bucket's URL in `region`, or under `endpoint` (path-style) when one is set.
    pub fn new(name: &str, region: &str, endpoint: Option<&str>) -> Bucket {
        let url = match endpoint.filter(|e| !e.is_empty()) {
            Some(endpoint) => format!("{}/{name}", endpoint.trim_end_matches('/')),
            // The bucket's regional domain name, as the console's CSP names it.
            None => format!("https://{name}.s3.{region}.amazonaws.com"),
        };
        Bucket {
            name: name.to_owned(),
            region: region.to_owned(),
            url,
        }
    }
}

/// The form an upload of `key` may be: the policy, its signature and every field the
/// policy requires, at `now`.
pub fn presigned_post(
    bucket: &Bucket,
    credentials: &SigningKey,
    key: &str,
    content_type: &str,
    officer: &str,
    now: OffsetDateTime,
) -> PresignedPost {
    let now = now.to_offset(time::UtcOffset::UTC);
    let day = now
        .format(format_description!("[year][month][day]"))
        .unwrap_or_default();
    let stamp = now
        .format(format_description!(
            "[year][month][day]T[hour][minute][second]Z"
        ))
        .unwrap_or_default();
    let expires_at = upload_expires(now);
    let credential = format!(
        "{}/{day}/{}/s3/aws4_request",
        credentials.access_key_id, bucket.region
    );
    let mut fields = BTreeMap::from([
        ("key".to_owned(), key.to_owned()),
        ("Content-Type".to_owned(), content_type.to_owned()),
        ("x-amz-meta-officer".to_owned(), officer.to_owned()),
        ("x-amz-algorithm".to_owned(), "AWS4-HMAC-SHA256".to_owned()),
        ("x-amz-credential".to_owned(), credential),
        ("x-amz-date".to_owned(), stamp),
    ]);
    if let Some(token) = &credentials.session_token {
        fields.insert("x-amz-security-token".to_owned(), token.clone());
    }
    // Every field is an exact-match condition: a browser cannot change the key, the
    // type or whose upload it is without breaking the signature.
    let mut conditions = vec![
        serde_json::json!({ "bucket": bucket.name }),
        serde_json::json!(["content-length-range", 1, PHOTO_MAX_BYTES]),
    ];
    conditions.extend(
        fields
            .iter()
            .map(|(name, value)| serde_json::json!({ name: value })),
    );
    let policy = serde_json::json!({
        "expiration": expires_at
            .format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].000Z"
            ))
            .unwrap_or_default(),
        "conditions": conditions,
    });
    let policy = base64::engine::general_purpose::STANDARD.encode(policy.to_string());
    let signature = sign(&credentials.secret_access_key, now, &bucket.region, &policy);
    fields.insert("policy".to_owned(), policy);
    fields.insert("x-amz-signature".to_owned(), signature);
    PresignedPost {
        url: bucket.url.clone(),
        fields,
        expires_at,
    }
}

/// SigV4's signature of a POST policy: the policy (base64) is the string to sign.
pub fn sign(secret: &str, at: OffsetDateTime, region: &str, policy: &str) -> String {
    let key = aws_sigv4::sign::v4::generate_signing_key(secret, at.into(), region, "s3");
    aws_sigv4::sign::v4::calculate_signature(key, policy.as_bytes())
}

/// Presigns with the function's own credentials, read as each upload is asked for (a
/// role's credentials rotate).
pub struct S3PostSigner {
    pub bucket: Bucket,
    pub credentials: SharedCredentialsProvider,
}

impl PhotoUploads for S3PostSigner {
    async fn presign(
        &self,
        key: &str,
        content_type: &str,
        officer: &str,
        now: OffsetDateTime,
    ) -> Result<PresignedPost, StoreError> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| StoreError::Unavailable(format!("credentials: {e}")))?;
        let key_of = SigningKey {
            access_key_id: credentials.access_key_id().to_owned(),
            secret_access_key: credentials.secret_access_key().to_owned(),
            session_token: credentials.session_token().map(str::to_owned),
        };
        Ok(presigned_post(
            &self.bucket,
            &key_of,
            key,
            content_type,
            officer,
            now,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// A published example of a SigV4 POST policy and its signature (credentials and
    /// policy of AWS's documentation examples), computed by another implementation.
    #[test]
    fn signs_as_s3_checks() {
        let policy = "eyJleHBpcmF0aW9uIjoiMjAxMy0wOC0wNlQxMjowMDowMC4wMDBaIiwiY29uZGl0aW9ucyI6W3siYWNsIjoicHVibGljLXJlYWQifSxbInN0YXJ0cy13aXRoIiwiJENvbnRlbnQtVHlwZSIsImltYWdlLyJdLFsic3RhcnRzLXdpdGgiLCIka2V5IiwidXNlci91c2VyMS8iXSxbInN0YXJ0cy13aXRoIiwiJHgtYW16LW1ldGEtdGFnIiwiIl0seyJ4LWFtei1tZXRhLXV1aWQiOiIxNDM2NTEyMzY1MTI3NCJ9LHsiYnVja2V0IjoiZXhhbXBsZWJ1Y2tldCJ9LHsieC1hbXotYWxnb3JpdGhtIjoiQVdTNC1ITUFDLVNIQTI1NiJ9LHsieC1hbXotY3JlZGVudGlhbCI6IkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTMwODA2L3VzLWVhc3QtMS9zMy9hd3M0X3JlcXVlc3QifSx7IngtYW16LWRhdGUiOiIyMDEzMDgwNlQxMjAwMDBaIn1dfQ==";
        assert_eq!(
            sign(SECRET, datetime!(2013-08-06 12:00 UTC), "us-east-1", policy),
            "5bc8a7be4a6fc6445b94d0f4096f8cf3dfa00303529f8a68ea7dc0c23bb83cd9"
        );
    }

    #[test]
    fn the_policy_pins_every_field_and_the_size() {
        let bucket = Bucket::new("photos", "eu-west-3", None);
        assert_eq!(bucket.url, "https://photos.s3.eu-west-3.amazonaws.com");
        let key = SigningKey {
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: SECRET.into(),
            session_token: Some("token".into()),
        };
        let now = datetime!(2026-12-02 10:00:30 UTC);
        let post = presigned_post(&bucket, &key, "uploads/a/b", "image/png", "officer-1", now);
        assert_eq!(post.expires_at, datetime!(2026-12-02 10:10:30 UTC));
        assert_eq!(post.fields["x-amz-date"], "20261202T100030Z");
        assert_eq!(
            post.fields["x-amz-credential"],
            "AKIAIOSFODNN7EXAMPLE/20261202/eu-west-3/s3/aws4_request"
        );
        let policy: serde_json::Value = serde_json::from_slice(
            &base64::engine::general_purpose::STANDARD
                .decode(&post.fields["policy"])
                .unwrap(),
        )
        .unwrap();
        assert_eq!(policy["expiration"], "2026-12-02T10:10:30.000Z");
        let conditions = policy["conditions"].as_array().unwrap();
        for (name, value) in [
            ("bucket", "photos"),
            ("key", "uploads/a/b"),
            ("Content-Type", "image/png"),
            ("x-amz-meta-officer", "officer-1"),
            ("x-amz-security-token", "token"),
        ] {
            assert!(
                conditions.contains(&serde_json::json!({ name: value })),
                "{name}"
            );
        }
        assert!(conditions.contains(&serde_json::json!(["content-length-range", 1, 5_242_880])));
        assert_eq!(
            post.fields["x-amz-signature"],
            sign(SECRET, now, "eu-west-3", &post.fields["policy"])
        );
        let local = Bucket::new("photos", "us-east-1", Some("http://127.0.0.1:5000/"));
        assert_eq!(local.url, "http://127.0.0.1:5000/photos");
    }
}
