//! The enveloped XML-DSig signature of a CAP message (XML Signature 1.1: RSA-SHA256,
//! exclusive canonicalization 1.0, a SHA-256 digest of the whole message).
//!
//! No maintained Rust crate does XML-DSig, and a general canonicalizer is not ours to
//! write. Both parts a verifier canonicalizes are written here already in their
//! canonical form, so that the digest and the signature are taken over the very bytes
//! the message carries:
//!
//! - the message: [`super::render_with`] writes every element as exclusive C14N does
//!   (start and end tags, no empty-element tags, only the root's namespace declaration,
//!   text escaped by [`crate::domain::xml::canonical`], no attribute but `xmlns`). Its
//!   canonical form is therefore its own bytes from `<alert` on; with the `Signature`
//!   removed (the enveloped-signature transform), what remains of it is the whitespace
//!   written before it;
//! - `SignedInfo`: constant but for the digest, written without whitespace, and in the
//!   message without the namespace declaration it inherits from `Signature`, which its
//!   canonical form carries.
//!
//! The tests verify every kind of message with two independent implementations.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

/// XML Signature's namespace.
pub const DSIG_NAMESPACE: &str = "http://www.w3.org/2000/09/xmldsig#";
/// What the key does: RSASSA-PKCS1-v1_5 with SHA-256, deterministic, so that a message
/// rendered again from the same record is the same bytes.
pub const SIGNATURE_METHOD: &str = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
pub const EXCLUSIVE_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
pub const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

/// A key of RSA-4096, the largest KMS holds, signs in this many bytes: every bound on a
/// message's size counts a signature this long.
pub const MAX_SIGNATURE_BYTES: usize = 512;
/// A KMS key id is a UUID (36) or a multi-Region `mrk-` id (36); room to spare.
pub const MAX_KID_CHARS: usize = 64;

/// Where the unsigned message ends: the signature goes before its closing tag, on a
/// line of its own.
const CLOSE: &str = "\n</alert>";
/// What is written before the `Signature`, and stays in the canonical form without it.
const INDENT: &str = "\n  ";

/// A CAP message, complete but for its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsigned {
    xml: String,
    /// Where `<alert` starts: what comes before (the XML declaration) is not signed.
    root: usize,
    /// The digest, taken once: `SignedInfo` and the signed message both carry it.
    digest: OnceLock<String>,
}

/// A signature made by a key: the key's id, which the message names, and the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub kid: String,
    pub value: Vec<u8>,
}

/// A public key as `/.well-known/cap-signing-keys` lists it: the id messages name in
/// `KeyName`, the key (PEM SubjectPublicKeyInfo), and the first moment it could sign.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PublishedKey {
    pub kid: String,
    pub pem: String,
    #[serde(with = "time::serde::rfc3339")]
    pub not_before: time::OffsetDateTime,
}

impl PublishedKey {
    /// `der`, a DER SubjectPublicKeyInfo (what KMS gives), as PEM (RFC 7468: base64 in
    /// lines of 64).
    pub fn new(kid: &str, der: &[u8], not_before: time::OffsetDateTime) -> PublishedKey {
        let base64 = STANDARD.encode(der);
        let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
        for line in base64.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str("-----END PUBLIC KEY-----\n");
        PublishedKey {
            kid: kid.to_owned(),
            pem,
            not_before,
        }
    }
}

impl Unsigned {
    /// `xml` as the CAP writer wrote it: an XML declaration, then the `alert` element,
    /// canonical, closed on a line of its own.
    pub(super) fn new(xml: String) -> Unsigned {
        debug_assert!(
            xml.ends_with(CLOSE),
            "the writer closes alert on its own line"
        );
        let root = xml.find("<alert").unwrap_or(0);
        Unsigned {
            xml,
            root,
            digest: OnceLock::new(),
        }
    }

    /// The message without a signature (for tests and previews: never published).
    pub fn as_str(&self) -> &str {
        &self.xml
    }

    fn body(&self) -> &str {
        // Never out of bounds, whatever the writer gave: a message that is not CAP
        // fails every verifier rather than the process.
        let end = self.xml.len().saturating_sub(CLOSE.len()).max(self.root);
        self.xml.get(self.root..end).unwrap_or_default()
    }

    /// Whether `xml` is a message of ours that carries its signature.
    pub fn is_signed(xml: &str) -> bool {
        xml.ends_with(&format!("</KeyInfo></Signature>{CLOSE}"))
    }

    /// The SHA-256 of the message's canonical form with the signature removed, base64.
    fn digest(&self) -> &str {
        self.digest.get_or_init(|| {
            let mut hash = Sha256::new();
            hash.update(self.body());
            hash.update(INDENT);
            hash.update(CLOSE);
            STANDARD.encode(hash.finalize())
        })
    }

    /// `SignedInfo` in its canonical form: the bytes the key signs.
    pub fn signed_info(&self) -> String {
        format!(
            r#"<SignedInfo xmlns="{DSIG_NAMESPACE}">{}</SignedInfo>"#,
            signed_info_content(self.digest())
        )
    }

    /// The message with its `Signature`, the last child of `alert`, where CAP 1.2's
    /// schema takes it.
    pub fn signed(&self, signature: &Signature) -> String {
        let value = STANDARD.encode(&signature.value);
        let kid = crate::domain::xml::canonical(&signature.kid);
        let content = signed_info_content(self.digest());
        format!(
            "{}{}{INDENT}<Signature xmlns=\"{DSIG_NAMESPACE}\"><SignedInfo>{content}</SignedInfo>\
             <SignatureValue>{value}</SignatureValue>\
             <KeyInfo><KeyName>{kid}</KeyName></KeyInfo></Signature>{CLOSE}",
            &self.xml[..self.root],
            self.body(),
        )
    }
}

/// What `SignedInfo` holds: one reference, to the whole message (`URI=""`), through
/// the enveloped-signature transform and exclusive canonicalization.
fn signed_info_content(digest: &str) -> String {
    format!(
        r#"<CanonicalizationMethod Algorithm="{EXCLUSIVE_C14N}"></CanonicalizationMethod><SignatureMethod Algorithm="{SIGNATURE_METHOD}"></SignatureMethod><Reference URI=""><Transforms><Transform Algorithm="{ENVELOPED}"></Transform><Transform Algorithm="{EXCLUSIVE_C14N}"></Transform></Transforms><DigestMethod Algorithm="{SHA256}"></DigestMethod><DigestValue>{digest}</DigestValue></Reference>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unsigned(body: &str) -> Unsigned {
        Unsigned::new(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert xmlns=\"urn:x\">{body}{CLOSE}"
        ))
    }

    /// The digest is of the message as a verifier sees it once the signature is taken
    /// out: the root from `<alert` on, the indentation before the signature kept.
    #[test]
    fn the_digest_is_of_the_canonical_message_without_its_signature() {
        let message = unsigned("\n  <a>x &amp; y</a>");
        let signed = message.signed(&Signature {
            kid: "k".into(),
            value: vec![1, 2, 3],
        });
        let start = signed.find("<Signature").unwrap();
        let end = signed.find("</Signature>").unwrap() + "</Signature>".len();
        let without = format!("{}{}", &signed[..start], &signed[end..]);
        let canonical = &without[without.find("<alert").unwrap()..];
        assert_eq!(
            canonical,
            "<alert xmlns=\"urn:x\">\n  <a>x &amp; y</a>\n  \n</alert>"
        );
        let digest = STANDARD.encode(Sha256::digest(canonical));
        assert!(message.signed_info().contains(&digest));
        assert!(signed.contains(&format!("<DigestValue>{digest}</DigestValue>")));
        assert!(signed.contains("<SignatureValue>AQID</SignatureValue>"));
        assert!(signed.ends_with("</KeyName></KeyInfo></Signature>\n</alert>"));
        assert!(signed.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<alert"));
    }

    /// The `SignedInfo` the key signs is the message's, with the namespace it inherits
    /// declared, as exclusive canonicalization writes it.
    #[test]
    fn the_signed_info_is_the_message_s_with_its_namespace() {
        let message = unsigned("\n  <a>b</a>");
        let signed = message.signed(&Signature {
            kid: "k".into(),
            value: vec![0],
        });
        let inner = message.signed_info().replace(
            &format!(r#"<SignedInfo xmlns="{DSIG_NAMESPACE}">"#),
            "<SignedInfo>",
        );
        assert!(signed.contains(&inner));
        assert!(!inner.contains('\n'), "no whitespace between its elements");
    }

    #[test]
    fn a_published_key_is_pem_in_lines_of_64() {
        let key = PublishedKey::new("k", &[7; 100], time::macros::datetime!(2026-12-01 0:00 UTC));
        let lines: Vec<&str> = key.pem.lines().collect();
        assert_eq!(lines[0], "-----BEGIN PUBLIC KEY-----");
        assert_eq!(lines.last(), Some(&"-----END PUBLIC KEY-----"));
        assert_eq!(lines[1].len(), 64);
        assert_eq!(
            lines[1..lines.len() - 1].concat(),
            STANDARD.encode([7; 100])
        );
    }

    /// A change anywhere in the message is a change of its digest.
    #[test]
    fn any_change_changes_the_digest() {
        let a = unsigned("\n  <a>b</a>");
        for other in ["\n  <a>c</a>", "\n  <a>b</a>\n  <a>b</a>", "\n <a>b</a>"] {
            assert_ne!(a.signed_info(), unsigned(other).signed_info(), "{other}");
        }
    }
}
