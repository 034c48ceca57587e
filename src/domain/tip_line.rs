//! The public tip line printed on every alert.

use serde::{Deserialize, Serialize};

use super::validation::FieldError;

/// A phone number in E.164 form (`+` and 8 to 15 digits) that is a valid number of its
/// country according to libphonenumber's metadata.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TipLine(String);

/// Redacted like the typed texts: logs carry no phone number.
impl std::fmt::Debug for TipLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        super::text::redacted(f, "TipLine", &self.0)
    }
}

impl TipLine {
    /// A number as an officer gives it: E.164, and valid in its country.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let shaped = Self::shaped(field, raw)?;
        if super::numbering::is_valid(raw) {
            Ok(shaped)
        } else {
            Err(FieldError::new(field, "is not a valid phone number"))
        }
    }

    /// E.164's shape only: `+`, then 8 to 15 digits, the first not 0.
    fn shaped(field: &str, raw: &str) -> Result<Self, FieldError> {
        let digits = raw.strip_prefix('+').unwrap_or("");
        let shaped = (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0');
        if shaped {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldError::new(
                field,
                "must be an E.164 number: + then 8 to 15 digits, no spaces",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Read back from storage, where only [`TipLine::parse`] put it: the shape is checked
/// again, the country's numbering plan is not, so that only the function that takes new
/// numbers carries libphonenumber's metadata and regular expressions.
impl TryFrom<String> for TipLine {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::shaped("", &raw).map_err(|e| e.message)
    }
}

impl From<TipLine> for String {
    fn from(value: TipLine) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_rules() {
        let cases = [
            ("+212537000000", true),      // Rabat landline
            ("+212612345678", true),      // Moroccan mobile
            ("+33142685300", true),       // Paris
            ("+999123456789", false),     // shaped right, but +999 is no country
            ("212537000000", false),      // no plus
            ("+212 537 000000", false),   // spaces
            ("+0212537000000", false),    // leading zero
            ("+2125", false),             // too short
            ("+2125370000000000", false), // too long
            ("+21253700000a", false),
            ("", false),
            ("+٢١٢٥٣٧٠٠٠٠٠٠", false), // Arabic-Indic digits
        ];
        for (raw, ok) in cases {
            assert_eq!(TipLine::parse("tip_line", raw).is_ok(), ok, "{raw}");
        }
    }

    #[test]
    fn read_back_with_its_shape_checked() {
        let stored = |raw: &str| serde_json::from_value::<TipLine>(serde_json::json!(raw));
        assert_eq!(stored("+212537000000").unwrap().as_str(), "+212537000000");
        assert!(stored("212537000000").is_err());
        assert!(stored("+212 537").is_err());
    }
}
