//! The Atom 1.0 feed of active alerts: one entry per alert, linking to its CAP message.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, Event};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::cap::CAP_MEDIA_TYPE;
use super::language::Language;
use super::public::PublicAlert;
use super::texts::texts;
use super::xml::{Xml, element};

pub const ATOM_NAMESPACE: &str = "http://www.w3.org/2005/Atom";
pub const ATOM_MEDIA_TYPE: &str = "application/atom+xml";

fn link(w: &mut Xml, rel: &str, media_type: &str, href: &str) -> std::io::Result<()> {
    w.create_element("link")
        .with_attributes([("rel", rel), ("type", media_type), ("href", href)])
        .write_empty()?;
    Ok(())
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// The feed at `base` (the API's absolute URL) of `alerts`, newest first. An empty feed
/// is updated at `now`.
pub fn feed(base: &str, alerts: &[PublicAlert], now: OffsetDateTime) -> String {
    write(base, alerts, now).unwrap_or_default()
}

fn write(base: &str, alerts: &[PublicAlert], now: OffsetDateTime) -> std::io::Result<String> {
    let updated = alerts.iter().map(|a| a.sent).max().unwrap_or(now);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NAMESPACE))
        .write_inner_content(|w| {
            element(w, "id", &format!("{base}/alerts.atom"))?;
            element(w, "title", "Tifli: active missing-child alerts")?;
            element(w, "updated", &rfc3339(updated))?;
            link(w, "self", ATOM_MEDIA_TYPE, &format!("{base}/alerts.atom"))?;
            w.create_element("author")
                .write_inner_content(|w| element(w, "name", "Tifli"))?;
            for alert in alerts {
                let url = format!("{base}/alerts/{}", alert.id);
                // The entry speaks the alert's first language.
                let language = alert.languages.first().copied().unwrap_or(Language::En);
                let t = texts(alert, language);
                w.create_element("entry").write_inner_content(|w| {
                    element(w, "id", &url)?;
                    element(w, "title", &t.headline)?;
                    element(w, "updated", &rfc3339(alert.sent))?;
                    element(w, "summary", &t.long)?;
                    link(w, "alternate", "application/json", &url)?;
                    link(w, "related", CAP_MEDIA_TYPE, &format!("{url}/cap"))?;
                    // A hosted photo travels as the entry's enclosure: the page's
                    // rendition, its type and length as served.
                    if let (Some(photo), Some(href)) = (&alert.child.photo, &alert.child.photo_url)
                    {
                        w.create_element("link")
                            .with_attributes([
                                ("rel", "enclosure"),
                                ("type", photo.mime_type.as_str()),
                                ("length", photo.size.to_string().as_str()),
                                ("href", href.as_str()),
                            ])
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    // The writer was given only `str`s: the bytes are UTF-8, and taken without a copy.
    Ok(String::from_utf8(w.into_inner())
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}
