//! The alert's texts in each language, from Project Fluent resources (`texts/*.ftl`, one
//! per language): a headline of at most 140 characters, a short text that fits one SMS
//! segment, a long text of at most 360 characters, an instruction and an area name.
//!
//! Free text (names, places, descriptions, messages) is shortened to fit, a whole
//! grapheme at a time and never inside a number, with an ellipsis; the fixed words, the
//! age and the tip line are always kept whole.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use time::macros::format_description;
use unicode_segmentation::UnicodeSegmentation;

use super::geo::Region;
use super::language::Language;
use super::lifecycle::CapMsgType;
use super::public::{PublicAlert, PublicEnding};

/// CAP's bound on `headline`.
pub const HEADLINE_MAX_CHARS: usize = 140;
pub const LONG_MAX_CHARS: usize = 360;
/// One SMS segment carries 140 octets: 160 GSM-7 septets or 70 UCS-2 code units.
pub const SMS_SEGMENT_OCTETS: usize = 140;

const SOURCES: [(Language, &str, &str); 4] = [
    (Language::Ar, "ar", include_str!("texts/ar.ftl")),
    (Language::Fr, "fr", include_str!("texts/fr.ftl")),
    (Language::Zgh, "zgh", include_str!("texts/zgh.ftl")),
    (Language::En, "en", include_str!("texts/en.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

/// The bundles are built once per process from resources compiled into it; a test
/// formats every message of every language, so a broken resource fails the build's
/// tests rather than a request.
static BUNDLES: LazyLock<Vec<(Language, Bundle)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(language, tag, source)| {
            let locale = tag.parse().expect("a valid language tag");
            let resource =
                FluentResource::try_new((*source).to_owned()).expect("a valid Fluent resource");
            let mut bundle = FluentBundle::new_concurrent(vec![locale]);
            // Isolation marks around every placeable would cost SMS room and force UCS-2.
            bundle.set_use_isolating(false);
            bundle
                .add_resource(resource)
                .expect("no duplicate messages");
            (*language, bundle)
        })
        .collect()
});

fn bundle(language: Language) -> &'static Bundle {
    BUNDLES
        .iter()
        .find(|(l, _)| *l == language)
        .map(|(_, b)| b)
        .expect("every language has a bundle")
}

/// One message of `language`, or its id when missing (a test guards against that).
fn format(language: Language, id: &str, args: &FluentArgs) -> String {
    let bundle = bundle(language);
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(pattern, Some(args), &mut errors)
        .into_owned();
    debug_assert!(errors.is_empty(), "{id}: {errors:?}");
    text
}

/// The texts of one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    pub headline: String,
    pub short: String,
    pub long: String,
    pub instruction: String,
    pub area: String,
    pub sender_name: String,
}

/// Which texts a message needs.
fn kind(alert: &PublicAlert) -> &'static str {
    match (alert.msg_type, alert.ending) {
        (CapMsgType::Alert, _) => "alert",
        (CapMsgType::Update, _) => "update",
        (CapMsgType::Cancel, Some(PublicEnding::Found)) => "found",
        (CapMsgType::Cancel, Some(PublicEnding::Withdrawn)) => "withdrawn",
        (CapMsgType::Cancel, Some(PublicEnding::Expired)) => "expired",
        (CapMsgType::Cancel, _) => "resolved",
    }
}

/// The public alert page's labels, each in every language (a test checks).
pub const PAGE_WORDS: [&str; 32] = [
    "page-age",
    "page-call",
    "page-description",
    "page-last-seen",
    "page-vehicle",
    "page-suspect",
    "page-news",
    "page-area",
    "page-share",
    "page-languages",
    "page-drill",
    "page-ended-found",
    "page-ended",
    "page-ended-at",
    "page-not-found",
    "page-photo",
    "page-sighting",
    "page-sighting-intro",
    "page-sighting-when",
    "page-sighting-now",
    "page-sighting-minutes",
    "page-sighting-hours",
    "page-sighting-where",
    "page-sighting-what",
    "page-sighting-contact",
    "page-sighting-send",
    "page-sighting-thanks",
    "page-sighting-check",
    "page-sighting-closed",
    "page-sighting-busy",
    "page-sighting-failed",
    "page-sighting-back",
];

/// The share card's words, each in every language (the same test checks); `$sex` picks
/// their grammatical gender.
pub const CARD_WORDS: [&str; 2] = ["card-missing", "card-call"];

/// A fixed word of `language`, with its arguments: the public page's labels.
pub fn word(language: Language, id: &str, args: &[(&str, &str)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, (*value).to_owned());
    }
    format(language, id, &fluent)
}

/// A time as the page and the card show it, in the offset it was given in:
/// `28/11/2026 16:30`.
pub fn date_time(at: time::OffsetDateTime) -> String {
    at.format(time::macros::format_description!(
        "[day]/[month]/[year] [hour]:[minute]"
    ))
    .unwrap_or_default()
}

/// An age in years, in `language` ("7 years old").
pub fn age(language: Language, years: u8) -> String {
    let mut args = FluentArgs::new();
    args.set("age", FluentValue::from(years));
    format(language, "age", &args)
}

/// A word of `language` that counts `n` (`{ $n }`, with the language's plurals).
pub fn counted(language: Language, id: &str, n: u32) -> String {
    let mut args = FluentArgs::new();
    args.set("n", FluentValue::from(n));
    format(language, id, &args)
}

pub fn region_name(region: Region, language: Language) -> String {
    format(
        language,
        &format!("region-{}", region.code()),
        &FluentArgs::new(),
    )
}

/// A field of free text that may be shortened.
struct Free {
    name: &'static str,
    graphemes: Vec<String>,
    keep: usize,
}

impl Free {
    fn new(name: &'static str, text: &str) -> Free {
        let graphemes: Vec<String> = text.graphemes(true).map(str::to_owned).collect();
        Free {
            name,
            keep: graphemes.len(),
            graphemes,
        }
    }

    fn value(&self, ellipsis: &str) -> String {
        let mut value = self.graphemes[..self.keep].concat();
        if self.keep < self.graphemes.len() {
            value.truncate(value.trim_end().len());
            value.push_str(ellipsis);
        }
        value
    }

    /// Drops at least `n` more graphemes, backing off to the start of a number rather
    /// than cutting through it.
    fn shorten(&mut self, n: usize) {
        let mut keep = self.keep.saturating_sub(n.max(1));
        let is_digit = |g: &String| g.chars().all(|c| c.is_ascii_digit());
        while keep > 0 && is_digit(&self.graphemes[keep - 1]) && is_digit(&self.graphemes[keep]) {
            keep -= 1;
        }
        self.keep = keep;
    }
}

/// Renders with the free fields as they are, shortening the longest one while the text
/// exceeds its bound. `excess` says by how much a text is too long (0 when it fits).
fn fit(
    mut free: Vec<Free>,
    ellipsis: &str,
    render: impl Fn(&FluentArgs) -> String,
    fixed: &FluentArgs,
    excess: impl Fn(&str) -> usize,
) -> String {
    loop {
        let mut args = FluentArgs::new();
        for (name, value) in fixed.iter() {
            args.set(name.to_owned(), value.clone());
        }
        for field in &free {
            args.set(field.name, field.value(ellipsis));
        }
        let text = render(&args);
        let over = excess(&text);
        if over == 0 {
            return text;
        }
        let Some(longest) = free
            .iter_mut()
            .filter(|f| f.keep > 0)
            .max_by_key(|f| f.keep)
        else {
            return text;
        };
        longest.shorten(over + ellipsis.chars().count());
    }
}

fn chars_over(max: usize) -> impl Fn(&str) -> usize {
    move |text: &str| text.chars().count().saturating_sub(max)
}

/// By how many characters `text` overflows one SMS segment, in the encoding it needs.
pub fn sms_excess(text: &str) -> usize {
    let mut writer = gsm7::Gsm7Writer::new(Vec::new());
    let gsm = writer.write_str(text).and_then(|()| writer.into_writer());
    match gsm {
        // Seven octets carry eight septets.
        Ok(octets) => (octets.len().saturating_sub(SMS_SEGMENT_OCTETS) * 8).div_ceil(7),
        Err(_) => text
            .encode_utf16()
            .count()
            .saturating_sub(SMS_SEGMENT_OCTETS / 2),
    }
}

/// How an SMS gateway sends `text`: its encoding, its length in that encoding's units,
/// and the segments it takes (one of 160 septets or 70 UTF-16 units; concatenated, 153
/// or 67 each, the rest carrying the header).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct SmsCount {
    pub encoding: &'static str,
    pub units: usize,
    pub segments: usize,
}

pub fn sms_count(text: &str) -> SmsCount {
    let mut writer = gsm7::Gsm7Writer::new(Vec::new());
    let gsm = writer.write_str(text).and_then(|()| writer.into_writer());
    let (encoding, units, single, part) = match gsm {
        Ok(octets) => ("GSM-7", (octets.len() * 8) / 7, 160, 153),
        Err(_) => ("UCS-2", text.encode_utf16().count(), 70, 67),
    };
    let segments = if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    SmsCount {
        encoding,
        units,
        segments,
    }
}

pub fn fits_one_sms(text: &str) -> bool {
    sms_excess(text) == 0
}

/// The texts of `alert` in `language`.
pub fn texts(alert: &PublicAlert, language: Language) -> Texts {
    let kind = kind(alert);
    let seen = alert.last_seen.at;
    let mut fixed = FluentArgs::new();
    fixed.set("age", FluentValue::from(alert.child.age));
    fixed.set(
        "sex",
        match alert.child.sex {
            super::details::Sex::Female => "female",
            super::details::Sex::Male => "male",
            super::details::Sex::Unknown => "unknown",
        },
    );
    fixed.set("tip", alert.tip_line.clone());
    fixed.set(
        "date",
        seen.format(format_description!("[day]/[month]"))
            .unwrap_or_default(),
    );
    fixed.set(
        "time",
        seen.format(format_description!("[hour]:[minute]"))
            .unwrap_or_default(),
    );
    fixed.set("region", region_name(alert.last_seen.region, language));

    // A drill says so first, in every text a person reads, before anything else.
    let marker = alert.exercise.then(|| format(language, "exercise", &fixed));
    let opened = |text: String| match &marker {
        Some(marker) => format!("{marker} {text}"),
        None => text,
    };

    let name = || Free::new("name", &alert.child.name);
    let place = || Free::new("place", &alert.last_seen.place);
    let message = || Free::new("message", alert.message.as_deref().unwrap_or(""));

    let headline = fit(
        vec![name(), place()],
        "…",
        |args| opened(format(language, &format!("headline-{kind}"), args)),
        &fixed,
        chars_over(HEADLINE_MAX_CHARS),
    );
    let short = fit(
        vec![name(), place(), message()],
        "...",
        |args| opened(format(language, &format!("short-{kind}"), args)),
        &fixed,
        sms_excess,
    );
    let long = if matches!(kind, "alert" | "update") {
        let vehicle = alert.vehicle.is_some();
        let suspect = alert.suspect.is_some();
        let update = kind == "update" && alert.message.is_some();
        fit(
            vec![
                name(),
                place(),
                message(),
                Free::new("description", &alert.child.description),
                Free::new("vehicle", alert.vehicle.as_deref().unwrap_or("")),
                Free::new("suspect", alert.suspect.as_deref().unwrap_or("")),
            ],
            "…",
            |args| {
                let mut parts = vec![format(language, "long-alert", args)];
                if vehicle {
                    parts.push(format(language, "long-vehicle", args));
                }
                if suspect {
                    parts.push(format(language, "long-suspect", args));
                }
                if update {
                    parts.push(format(language, "long-update", args));
                }
                parts.push(format(language, "long-call", args));
                opened(parts.join(" "))
            },
            &fixed,
            chars_over(LONG_MAX_CHARS),
        )
    } else {
        fit(
            vec![name()],
            "…",
            |args| opened(format(language, &format!("long-{kind}"), args)),
            &fixed,
            chars_over(LONG_MAX_CHARS),
        )
    };
    // An ended alert's area is its region: where the child was last seen is no longer
    // anybody's business.
    let area = if alert.msg_type == CapMsgType::Cancel {
        region_name(alert.last_seen.region, language)
    } else {
        fit(
            vec![place()],
            "…",
            |args| format(language, "area", args),
            &fixed,
            chars_over(super::limits::PLACE_MAX_CHARS + 60),
        )
    };
    Texts {
        headline,
        short,
        long,
        instruction: opened(format(language, "instruction", &fixed)),
        area,
        sender_name: format(language, "sender-name", &fixed),
    }
}

#[cfg(test)]
mod tests;
