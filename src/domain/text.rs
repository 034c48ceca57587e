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

/// Explicit bidirectional embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) can make an Arabic or Latin string render in another order than it
/// was typed, so they are refused. The plain direction marks LRM, RLM and ALM that
/// Arabic text legitimately carries are kept.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_forbidden(c: char, lines: Lines) -> bool {
    match c {
        '\n' | '\t' => lines == Lines::Single,
        '\r' => true,
        c if c.is_control() => true,
        c => is_bidi_control(c),
    }
}

/// NFC-normalises and trims `raw`, then checks it is non-empty, at most `max_chars`
/// scalar values long and free of control characters.
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
    if let Some(c) = text.chars().find(|&c| is_forbidden(c, lines)) {
        return Err(FieldError::new(
            field,
            format!("must not contain the control character U+{:04X}", c as u32),
        ));
    }
    Ok(text.to_owned())
}

/// Declares a validated text newtype. The value can only come from [`clean`], also when
/// read back from storage, so an instance is always valid. Its `Debug` shows the length
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
                Self::parse("", &raw).map_err(|e| e.message)
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
            // Emoji count as the scalar values they are made of.
            ("🧒", 1, Single, Ok("🧒")),
            ("👨‍👩‍👧", 4, Single, Err("at most 4 characters (got 5)")),
            ("👨‍👩‍👧", 5, Single, Ok("👨‍👩‍👧")),
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

    #[test]
    fn boundary_length_is_inclusive() {
        let at = "ⵣ".repeat(100);
        assert!(clean("f", &at, 100, Lines::Single).is_ok());
        let over = "ⵣ".repeat(101);
        assert!(clean("f", &over, 100, Lines::Single).is_err());
    }
}
