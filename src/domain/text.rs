//! Free text typed by officers: normalised, bounded, and free of characters that would
//! let a published alert display differently from what was approved.

use unicode_normalization::UnicodeNormalization;

use super::validation::FieldError;

/// Whether line breaks are allowed (narratives and descriptions) or not (names, places).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    Single,
    Multi,
}

/// Why a character has no place in an officer's text, if it has none: every text goes
/// into CAP, Atom, HTML, SMS and JSON, so a character that one of them cannot carry, or
/// that would make the published text read otherwise than the approved one, is refused
/// at the door rather than escaped differently by each writer.
fn refusal(c: char, lines: Lines) -> Option<&'static str> {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    match c {
        '\n' | '\t' if lines == Lines::Multi => None,
        '\n' | '\t' => Some("a line break or tab"),
        // XML 1.0 cannot carry C0 controls but tab and line feed; C1 and DEL are
        // invisible, and CR would let CAP and SMS split a line differently.
        c if c.is_control() => Some("the control character"),
        // U+FFFE, U+FFFF and their kin in every plane, and U+FDD0–U+FDEF: not characters
        // at all, and XML 1.0 refuses U+FFFE and U+FFFF outright.
        c if (c as u32) & 0xFFFE == 0xFFFE || ('\u{FDD0}'..='\u{FDEF}').contains(&c) => {
            Some("the noncharacter")
        }
        '\u{2028}' | '\u{2029}' if lines == Lines::Single => Some("the line separator"),
        // The plain direction marks LRM, RLM and ALM that Arabic text legitimately
        // carries stay; every other format character (explicit embeddings, overrides
        // and isolates, zero-width spaces and joiners, soft hyphens, tags, BOMs) is
        // invisible and could make a text display or compare differently.
        '\u{200E}' | '\u{200F}' | '\u{061C}' => None,
        c if c.general_category() == GeneralCategory::Format => Some("the invisible character"),
        _ => None,
    }
}

/// NFC-normalises and trims `raw`, then checks it is non-empty, at most `max_chars`
/// scalar values long and free of what [`refusal`] refuses.
pub fn clean(field: &str, raw: &str, max_chars: usize, lines: Lines) -> Result<String, FieldError> {
    let normalised: String = raw.nfc().collect();
    let text = normalised.trim();
    if text.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    let len = text.chars().count();
    if len > max_chars {
        return Err(FieldError::new(
            field,
            format!("must be at most {max_chars} characters (got {len})"),
        ));
    }
    if let Some((c, what)) = text
        .chars()
        .find_map(|c| refusal(c, lines).map(|what| (c, what)))
    {
        return Err(FieldError::new(
            field,
            format!("must not contain {what} U+{:04X}", c as u32),
        ));
    }
    Ok(text.to_owned())
}

/// A text read back from storage, made to follow today's rules: what [`refusal`] refuses
/// is dropped (a line break in a one-line field becomes a space), so that a report
/// stored under an earlier, laxer rule still loads and never publishes what every
/// format cannot carry.
pub fn clean_stored(raw: &str, max_chars: usize, lines: Lines) -> Result<String, FieldError> {
    let kept: String = raw
        .chars()
        .filter_map(|c| match refusal(c, lines) {
            None => Some(c),
            Some(_) if c.is_whitespace() => Some(' '),
            Some(_) => None,
        })
        .collect();
    clean("", &kept, max_chars, lines)
}

/// Declares a validated text newtype. The value can only come from [`clean`] (from
/// [`clean_stored`] when read back from storage), so an instance is always valid. Its `Debug` shows the length
/// only: a `?report` in a log line must not carry what an officer typed about a child.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr, $lines:expr) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(field: &str, raw: &str) -> Result<Self, $crate::domain::FieldError> {
                $crate::domain::text::clean(field, raw, $max, $lines).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::domain::text::redacted(f, stringify!($name), &self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = String;
            fn try_from(raw: String) -> Result<Self, String> {
                $crate::domain::text::clean_stored(&raw, $max, $lines)
                    .map(Self)
                    .map_err(|e| e.message)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}
pub(crate) use bounded_text;

/// `Name(<n chars>)`: the `Debug` of a value that holds personal data.
pub(crate) fn redacted(
    f: &mut std::fmt::Formatter<'_>,
    name: &str,
    value: &str,
) -> std::fmt::Result {
    write!(f, "{name}(<{} chars>)", value.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    bounded_text!(Secret, 40, Lines::Single);

    #[test]
    fn debug_shows_the_length_not_the_text() {
        let secret = Secret::parse("f", "Amina, 7, red coat").unwrap();
        assert_eq!(format!("{secret:?}"), "Secret(<18 chars>)");
        assert_eq!(secret.as_str(), "Amina, 7, red coat");
    }

    #[test]
    fn cleaning_rules() {
        use Lines::*;
        let cases: &[(&str, usize, Lines, Result<&str, &str>)] = &[
            ("  Amina  ", 10, Single, Ok("Amina")),
            ("أمينة", 5, Single, Ok("أمينة")),
            ("ⴰⵎⵉⵏⴰ", 5, Single, Ok("ⴰⵎⵉⵏⴰ")),
            ("ⴰⵎⵉⵏⴰ", 4, Single, Err("at most 4 characters (got 5)")),
            // Direction marks stay; overrides and isolates do not.
            ("\u{200F}أمينة", 6, Single, Ok("\u{200F}أمينة")),
            ("\u{061C}أمينة", 6, Single, Ok("\u{061C}أمينة")),
            ("abc\u{202E}def", 10, Single, Err("U+202E")),
            ("abc\u{2067}def", 10, Single, Err("U+2067")),
            // Emoji count as the scalar values they are made of; joiners are invisible.
            ("🧒", 1, Single, Ok("🧒")),
            ("🧒🧒", 1, Single, Err("at most 1 characters (got 2)")),
            ("👨‍👩‍👧", 5, Single, Err("the invisible character U+200D")),
            // What XML 1.0 cannot carry, or what reads differently than it is stored.
            ("Amina\u{FFFF}", 20, Multi, Err("the noncharacter U+FFFF")),
            ("Amina\u{FFFE}", 20, Multi, Err("the noncharacter U+FFFE")),
            ("Amina\u{1FFFF}", 20, Multi, Err("the noncharacter U+1FFFF")),
            ("Amina\u{FDD0}", 20, Multi, Err("the noncharacter U+FDD0")),
            (
                "Am\u{200B}ina",
                20,
                Multi,
                Err("the invisible character U+200B"),
            ),
            (
                "Am\u{AD}ina",
                20,
                Multi,
                Err("the invisible character U+00AD"),
            ),
            (
                "\u{FEFF}Amina",
                20,
                Multi,
                Err("the invisible character U+FEFF"),
            ),
            (
                "Amina\u{E0041}",
                20,
                Multi,
                Err("the invisible character U+E0041"),
            ),
            (
                "one\u{2028}two",
                20,
                Single,
                Err("the line separator U+2028"),
            ),
            (
                "one\u{2029}two",
                20,
                Single,
                Err("the line separator U+2029"),
            ),
            ("one\u{2028}two", 20, Multi, Ok("one\u{2028}two")),
            ("del\u{7F}", 20, Multi, Err("the control character U+007F")),
            // Private use and unassigned code points are characters XML carries.
            ("x\u{E000}", 20, Single, Ok("x\u{E000}")),
            ("   ", 10, Single, Err("must not be empty")),
            ("", 10, Single, Err("must not be empty")),
            ("line\nbreak", 20, Single, Err("U+000A")),
            ("line\nbreak", 20, Multi, Ok("line\nbreak")),
            ("tab\there", 20, Multi, Ok("tab\there")),
            ("cr\r\nlf", 20, Multi, Err("U+000D")),
            ("nul\0", 20, Multi, Err("U+0000")),
            ("bell\u{7}", 20, Multi, Err("U+0007")),
            ("c1\u{85}x", 20, Multi, Err("U+0085")),
            // Decomposed "é" (e + combining acute) is composed to one character.
            ("Rene\u{301}", 4, Single, Ok("René")),
        ];
        for (raw, max, lines, want) in cases {
            let got = clean("f", raw, *max, *lines);
            match (want, &got) {
                (Ok(text), Ok(out)) => assert_eq!(out, text, "{raw:?}"),
                (Err(part), Err(e)) => {
                    assert_eq!(e.field, "f");
                    assert!(e.message.contains(part), "{raw:?}: {}", e.message);
                }
                _ => panic!("{raw:?}: expected {want:?}, got {got:?}"),
            }
        }
    }

    /// A report stored under the earlier rule, which let joiners, noncharacters and
    /// line separators through, still loads, without them.
    #[test]
    fn stored_text_loads_under_the_new_rule() {
        let stored = "\"Am\u{200D}ina\u{FFFF}\u{2028}El\"";
        let secret: Secret = serde_json::from_str(stored).unwrap();
        assert_eq!(secret.as_str(), "Amina El");
        assert!(serde_json::from_str::<Secret>("\"\u{200B}\"").is_err());
    }

    #[test]
    fn boundary_length_is_inclusive() {
        let at = "ⵣ".repeat(100);
        assert!(clean("f", &at, 100, Lines::Single).is_ok());
        let over = "ⵣ".repeat(101);
        assert!(clean("f", &over, 100, Lines::Single).is_err());
    }
}
