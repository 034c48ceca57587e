//! The languages an alert is published in.

use serde::{Deserialize, Serialize};

use super::validation::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Arabic.
    Ar,
    /// French.
    Fr,
    /// Standard Moroccan Tamazight, written in Tifinagh.
    Zgh,
    /// English.
    En,
}

impl Language {
    pub const ALL: [Language; 4] = [Language::Ar, Language::Fr, Language::Zgh, Language::En];

    /// The code the API and a page's `lang` use.
    pub fn code(self) -> &'static str {
        match self {
            Language::Ar => "ar",
            Language::Fr => "fr",
            Language::Zgh => "zgh",
            Language::En => "en",
        }
    }

    /// Arabic is written right to left; Tifinagh, French and English left to right.
    pub fn direction(self) -> &'static str {
        if self == Language::Ar { "rtl" } else { "ltr" }
    }
}

/// A non-empty list of distinct languages, in the order the officer gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Language>", into = "Vec<Language>")]
pub struct Languages(Vec<Language>);

impl Languages {
    pub fn parse(field: &str, list: Vec<Language>) -> Result<Self, FieldError> {
        if list.is_empty() {
            return Err(FieldError::new(field, "must name at least one language"));
        }
        for (i, lang) in list.iter().enumerate() {
            if list[..i].contains(lang) {
                return Err(FieldError::new(
                    format!("{field}[{i}]"),
                    "is listed more than once",
                ));
            }
        }
        Ok(Self(list))
    }

    pub fn as_slice(&self) -> &[Language] {
        &self.0
    }
}

impl Default for Languages {
    /// Every language Tifli speaks.
    fn default() -> Self {
        Self(Language::ALL.to_vec())
    }
}

impl TryFrom<Vec<Language>> for Languages {
    type Error = String;
    fn try_from(list: Vec<Language>) -> Result<Self, String> {
        Self::parse("", list).map_err(|e| e.message)
    }
}

impl From<Languages> for Vec<Language> {
    fn from(value: Languages) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Language::*;

    #[test]
    fn languages_rules() {
        assert!(Languages::parse("languages", vec![Ar, Fr, Zgh, En]).is_ok());
        assert!(Languages::parse("languages", vec![Zgh]).is_ok());
        let empty = Languages::parse("languages", vec![]).unwrap_err();
        assert_eq!(empty.field, "languages");
        let dup = Languages::parse("languages", vec![Ar, Fr, Ar]).unwrap_err();
        assert_eq!(dup.field, "languages[2]");
        assert_eq!(Languages::default().as_slice(), &Language::ALL);
    }
}
