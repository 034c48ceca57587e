//! What the XML writers (CAP, Atom) share: quick-xml escapes every text and attribute it
//! writes, so that any text the domain accepted comes out as well-formed XML.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::BytesText;

pub type Xml = Writer<Vec<u8>>;

/// `<name>text</name>`, the text escaped.
pub fn element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

/// `<name>text</name>` as exclusive canonicalization writes it (C14N 1.0, "Text
/// Nodes"): a signed message is its own canonical form.
pub fn canonical_element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::from_escaped(canonical(text)))?;
    Ok(())
}

/// Text escaped as canonical XML escapes it: `&`, `<`, `>` and carriage return, and
/// nothing else (quotes stay as they are). quick-xml writes the carriage return in
/// decimal, canonical XML in hexadecimal.
pub fn canonical(text: &str) -> Cow<'_, str> {
    match quick_xml::escape::partial_escape(text) {
        Cow::Owned(escaped) if text.contains('\r') => Cow::Owned(escaped.replace("&#13;", "&#xD;")),
        escaped => escaped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_escapes_what_c14n_escapes_and_nothing_more() {
        assert_eq!(
            canonical("a&b<c>d\"e'f\rg\nh\ti"),
            "a&amp;b&lt;c&gt;d\"e'f&#xD;g\nh\ti"
        );
        assert!(matches!(canonical("plain ⵣ"), Cow::Borrowed(_)));
    }
}
