//! What the XML writers (CAP, Atom) share: quick-xml escapes every text and attribute it
//! writes, so that any text the domain accepted comes out as well-formed XML.

use quick_xml::Writer;
use quick_xml::events::BytesText;

pub type Xml = Writer<Vec<u8>>;

/// `<name>text</name>`, the text escaped.
pub fn element(w: &mut Xml, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}
