//! OASIS CAP 1.2 messages of an alert, written with an XML writer that does the escaping.
//!
//! Consumers' rules beyond the schema: the identifier is the alert id and version;
//! times are `YYYY-MM-DDThh:mm:ss±hh:mm`; `references` lists every earlier message of the
//! alert; every `<info>` (one per language) has the same category, event and event code;
//! `expires` is always present; headlines fit 140 characters; the area is a circle on
//! the last sighting with a geocode per region; every message is signed
//! ([`signature`]), and written in its canonical form so that it can be.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use time::{Duration, OffsetDateTime, UtcOffset};

use super::language::Language;
use super::lifecycle::CapMsgType;
use super::public::{PublicAlert, page_url};
use super::report::Publication;
use super::texts::{Texts, texts};
use super::xml::{Xml, canonical_element as element};

pub mod signature;
pub use signature::{PublishedKey, Signature, Unsigned};

pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";
pub const CAP_MEDIA_TYPE: &str = "application/cap+xml";
/// The same event, in every language, as consumers group infos by it.
pub const EVENT: &str = "Child Abduction Emergency";
/// The US SAME code for a child abduction emergency, which broadcasters key on.
pub const SAME_EVENT_CODE: &str = "CAE";
/// A Cancel stays listed this long by consumers that honour `expires`.
const CANCEL_EXPIRES_AFTER: Duration = Duration::hours(24);

/// Who sends: CAP's `sender`, unique to the issuing authority, without spaces or commas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender(String);

impl Sender {
    /// At most this long: every later message of an alert repeats it in `references`.
    pub const MAX_CHARS: usize = 64;

    pub fn new(sender: &str) -> Option<Sender> {
        // Printable ASCII that XML writes as it is: every reference repeats it, so no
        // character may grow when escaped.
        let ok = !sender.is_empty()
            && sender.len() <= Self::MAX_CHARS
            && sender
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, ',' | '<' | '>' | '&' | '"' | '\''));
        ok.then(|| Sender(sender.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `tifli-<report id>-<version>`: unique per message, and the same for a replayed one.
pub fn identifier(alert_id: &str, version: u32) -> String {
    format!("tifli-{alert_id}-{version}")
}

/// CAP's date-time: seconds, an explicit offset, never `Z`.
pub fn cap_time(at: OffsetDateTime) -> String {
    let utc = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

/// The language tag of an `<info>`: Tamazight says which script it is written in.
pub fn language_tag(language: Language) -> &'static str {
    match language {
        Language::Ar => "ar-MA",
        Language::Fr => "fr-MA",
        Language::Zgh => "zgh-Tfng-MA",
        Language::En => "en",
    }
}

fn msg_type(t: CapMsgType) -> &'static str {
    match t {
        CapMsgType::Alert => "Alert",
        CapMsgType::Update => "Update",
        CapMsgType::Cancel => "Cancel",
    }
}

fn reference(sender: &Sender, alert_id: &str, p: &Publication) -> String {
    format!(
        "{},{},{}",
        sender.as_str(),
        identifier(alert_id, p.version),
        cap_time(p.sent)
    )
}

/// A photo's media type, from its file name; CAP requires one.
fn mime_type(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    match path.rsplit('.').next() {
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        _ => "application/octet-stream",
    }
}

fn value_pair(w: &mut Xml, name: &str, value_name: &str, value: &str) -> std::io::Result<()> {
    w.create_element(name).write_inner_content(|w| {
        element(w, "valueName", value_name)?;
        element(w, "value", value)
    })?;
    Ok(())
}

/// The CAP 1.2 message of `alert`'s latest public change, to be signed; each `<info>`
/// links the alert's page in its language (`<web>`) when `page_base` is given.
pub fn render(alert: &PublicAlert, sender: &Sender, page_base: &str) -> Unsigned {
    let all: Vec<(Language, Texts)> = alert
        .languages
        .iter()
        .map(|l| (*l, texts(alert, *l)))
        .collect();
    render_with(alert, sender, page_base, &all)
}

/// [`render`] with the texts of each language already made (the fan-out needs them for
/// its other bodies too).
pub fn render_with(
    alert: &PublicAlert,
    sender: &Sender,
    page_base: &str,
    texts: &[(Language, Texts)],
) -> Unsigned {
    // Writing into memory cannot fail; an empty message would fail every consumer's
    // validation loudly rather than go out half-written.
    Unsigned::new(write(alert, sender, page_base, texts).unwrap_or_default())
}

fn write(
    alert: &PublicAlert,
    sender: &Sender,
    page_base: &str,
    texts: &[(Language, Texts)],
) -> std::io::Result<String> {
    let id = alert.id.to_string();
    let sent = cap_time(alert.sent);
    let expires = match alert.msg_type {
        CapMsgType::Cancel => cap_time(alert.sent + CANCEL_EXPIRES_AFTER),
        _ => cap_time(alert.expires_at),
    };
    let references: Vec<String> = alert
        .references
        .iter()
        .map(|p| reference(sender, &id, p))
        .collect();
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("alert")
        .with_attribute(("xmlns", CAP_NAMESPACE))
        .write_inner_content(|w| {
            element(w, "identifier", &identifier(&id, alert.version))?;
            element(w, "sender", sender.as_str())?;
            element(w, "sent", &sent)?;
            element(
                w,
                "status",
                if alert.exercise { "Exercise" } else { "Actual" },
            )?;
            element(w, "msgType", msg_type(alert.msg_type))?;
            element(w, "scope", "Public")?;
            if !references.is_empty() {
                element(w, "references", &references.join(" "))?;
            }
            for (language, t) in texts {
                info(w, alert, *language, t, &expires, page_base)?;
            }
            Ok(())
        })?;
    // The writer was given only `str`s: the bytes are UTF-8, and taken without a copy.
    Ok(String::from_utf8(w.into_inner())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

fn info(
    w: &mut Xml,
    alert: &PublicAlert,
    language: Language,
    t: &Texts,
    expires: &str,
    page_base: &str,
) -> std::io::Result<()> {
    w.create_element("info").write_inner_content(|w| {
        element(w, "language", language_tag(language))?;
        element(w, "category", "Rescue")?;
        element(w, "event", EVENT)?;
        element(w, "urgency", "Immediate")?;
        element(w, "severity", "Severe")?;
        element(w, "certainty", "Likely")?;
        value_pair(w, "eventCode", "SAME", SAME_EVENT_CODE)?;
        element(w, "expires", expires)?;
        element(w, "senderName", &t.sender_name)?;
        element(w, "headline", &t.headline)?;
        element(w, "description", &t.long)?;
        if alert.msg_type != CapMsgType::Cancel {
            element(w, "instruction", &t.instruction)?;
        }
        // The page says more than a message can, and once the alert ends, that it ended.
        if !page_base.is_empty() {
            element(w, "web", &page_url(page_base, alert.id, language))?;
        }
        element(w, "contact", &alert.tip_line)?;
        // Once the alert has ended the photo stops travelling: the Cancel names the
        // child, so that people know which alert ended, and shows nothing more.
        if let Some(url) = alert
            .child
            .photo_url
            .as_ref()
            .filter(|_| alert.msg_type != CapMsgType::Cancel)
        {
            // A hosted photo is described in full: its size and digest let a receiver
            // check that the file it fetched is the one this message names.
            let hosted = alert.child.photo.as_ref();
            w.create_element("resource").write_inner_content(|w| {
                element(w, "resourceDesc", "Photo")?;
                element(
                    w,
                    "mimeType",
                    hosted.map_or_else(|| mime_type(url), |p| p.mime_type.as_str()),
                )?;
                if let Some(photo) = hosted {
                    element(w, "size", &photo.size.to_string())?;
                }
                element(w, "uri", url)?;
                if let Some(photo) = hosted {
                    element(w, "digest", &photo.sha1)?;
                }
                Ok(())
            })?;
        }
        w.create_element("area").write_inner_content(|w| {
            element(w, "areaDesc", &t.area)?;
            let circle = format!(
                "{},{} {}",
                alert.area.lat, alert.area.lon, alert.area.radius_km
            );
            element(w, "circle", &circle)?;
            for region in &alert.regions {
                value_pair(w, "geocode", "ISO3166-2", region.code())?;
            }
            Ok(())
        })?;
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests;
