//! The public alert page, `GET /a/{id}`: what a person who follows a shared link reads,
//! in each of the alert's languages, rendered on the server from templates compiled into
//! the public function (`templates/`), every value escaped by the template engine. No
//! script at all; its one style block is allowed by its hash. Once the alert ends the
//! page says so and nothing personal is left on it.

mod map;
mod sighting;

use std::sync::LazyLock;

use askama::Template;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::format_description;

use crate::domain::language::Language;
pub use crate::domain::public::language_of;
use crate::domain::public::{PublicAlert, PublicEnding, page_url};
use crate::domain::texts::{self, word};
use map::AreaMap;
use sighting::SightingForm;
pub use sighting::{FormValues, Outcome, SEEN_AGO_MINUTES, sighting_page};

const STYLE: &str = include_str!("style.css");

/// What the page may load: its own style block (by hash), images over https (a photo
/// hosted elsewhere, until the photo issue hosts them) and nothing else; no script.
pub static CONTENT_SECURITY_POLICY: LazyLock<String> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self' https: data:; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
});

struct Link {
    lang: &'static str,
    href: String,
    name: &'static str,
    current: bool,
}

struct Fact {
    label: String,
    value: String,
}

struct Photo {
    src: String,
    alt: String,
}

struct Share {
    name: &'static str,
    href: String,
}

#[derive(Template)]
#[template(path = "alert.html")]
struct AlertPage {
    lang: &'static str,
    dir: &'static str,
    title: String,
    style: &'static str,
    description: String,
    url: String,
    switcher: Vec<Link>,
    og_locale: &'static str,
    og_alternates: Vec<&'static str>,
    languages_label: String,
    drill: Option<String>,
    photo: Option<Photo>,
    tip: String,
    instruction: String,
    call: String,
    facts: Vec<Fact>,
    area_label: String,
    map: AreaMap,
    share_label: String,
    share: Vec<Share>,
    form: SightingForm,
    /// The share card at this version, so that a cache may keep it longer.
    card: String,
}

#[derive(Template)]
#[template(path = "ended.html")]
struct EndedPage {
    lang: &'static str,
    dir: &'static str,
    title: String,
    style: &'static str,
    url: String,
    og_locale: &'static str,
    drill: Option<String>,
    when: String,
}

struct Line {
    lang: &'static str,
    dir: &'static str,
    text: String,
}

#[derive(Template)]
#[template(path = "missing.html")]
struct MissingPage {
    lang: &'static str,
    dir: &'static str,
    title: &'static str,
    style: &'static str,
    lines: Vec<Line>,
}

/// The locale social networks know each language by.
fn og_locale(language: Language) -> &'static str {
    match language {
        Language::Ar => "ar_AR",
        Language::Fr => "fr_FR",
        Language::Zgh => "zgh_MA",
        Language::En => "en_US",
    }
}

fn native_name(language: Language) -> &'static str {
    match language {
        Language::Ar => "العربية",
        Language::Fr => "Français",
        Language::Zgh => "ⵜⴰⵎⴰⵣⵉⵖⵜ",
        Language::En => "English",
    }
}

fn encoded(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

fn when(at: OffsetDateTime) -> String {
    texts::date_time(at)
}

/// The share card's address: its language and the alert's version in the query, so
/// that each version has its own (see `VERSIONED_CARD_CACHE`).
pub fn card_url(base: &str, alert: &PublicAlert, language: Language) -> String {
    format!(
        "{base}/a/{}/card.png?lang={}&v={}",
        alert.id,
        language.code(),
        alert.version
    )
}

fn drill(alert: &PublicAlert, language: Language) -> Option<String> {
    alert.exercise.then(|| word(language, "page-drill", &[]))
}

/// The page of an active alert.
pub fn alert_page(alert: &PublicAlert, language: Language, base: &str) -> String {
    let text = texts::texts(alert, language);
    let url = page_url(base, alert.id, language);
    let switcher = alert
        .languages
        .iter()
        .map(|&l| Link {
            lang: l.code(),
            href: page_url(base, alert.id, l),
            name: native_name(l),
            current: l == language,
        })
        .collect();
    let place = format!(
        "{}, {} · {}",
        alert.last_seen.place,
        texts::region_name(alert.last_seen.region, language),
        when(alert.last_seen.at)
    );
    let mut facts = vec![
        ("page-age", texts::age(language, alert.child.age)),
        ("page-description", alert.child.description.clone()),
        ("page-last-seen", place),
    ];
    for (label, value) in [
        ("page-vehicle", &alert.vehicle),
        ("page-suspect", &alert.suspect),
        ("page-news", &alert.message),
    ] {
        if let Some(value) = value {
            facts.push((label, value.clone()));
        }
    }
    let radius = format!("{}", (alert.area.radius_km * 10.0).round() / 10.0);
    let share = [
        (
            "WhatsApp",
            format!(
                "https://wa.me/?text={}",
                encoded(&format!("{} {url}", text.headline))
            ),
        ),
        (
            "Facebook",
            format!(
                "https://www.facebook.com/sharer/sharer.php?u={}",
                encoded(&url)
            ),
        ),
        (
            "X",
            format!(
                "https://x.com/intent/post?text={}&url={}",
                encoded(&text.headline),
                encoded(&url)
            ),
        ),
        (
            "Telegram",
            format!(
                "https://t.me/share/url?url={}&text={}",
                encoded(&url),
                encoded(&text.headline)
            ),
        ),
        (
            "E-mail",
            format!(
                "mailto:?subject={}&body={}",
                encoded(&text.headline),
                encoded(&format!("{}\n\n{url}", text.long))
            ),
        ),
    ]
    .into_iter()
    .map(|(name, href)| Share { name, href })
    .collect();
    AlertPage {
        lang: language.code(),
        dir: language.direction(),
        title: text.headline,
        style: STYLE,
        description: text.short,
        switcher,
        og_locale: og_locale(language),
        og_alternates: alert
            .languages
            .iter()
            .filter(|&&l| l != language)
            .map(|&l| og_locale(l))
            .collect(),
        languages_label: word(language, "page-languages", &[]),
        drill: drill(alert, language),
        photo: alert.child.photo_url.as_ref().map(|src| Photo {
            src: src.clone(),
            alt: word(language, "page-photo", &[("name", &alert.child.name)]),
        }),
        tip: alert.tip_line.clone(),
        instruction: text.instruction,
        call: word(language, "page-call", &[]),
        facts: facts
            .into_iter()
            .map(|(label, value)| Fact {
                label: word(language, label, &[]),
                value,
            })
            .collect(),
        area_label: word(language, "page-area", &[("radius", &radius)]),
        map: AreaMap::of(&alert.area),
        share_label: word(language, "page-share", &[]),
        share,
        card: card_url(base, alert, language),
        form: SightingForm::new(
            sighting::page_action(alert),
            language,
            FormValues::default(),
            &[],
        ),
        url,
    }
    .render()
    .expect("the page renders")
}

/// The page of an alert that ended: found or ended, and when; nothing personal.
pub fn ended_page(
    alert: &PublicAlert,
    ended_at: OffsetDateTime,
    language: Language,
    base: &str,
) -> String {
    let title = match alert.ending {
        Some(PublicEnding::Found) => word(language, "page-ended-found", &[]),
        _ => word(language, "page-ended", &[]),
    };
    let date = ended_at
        .format(format_description!("[day]/[month]/[year]"))
        .unwrap_or_default();
    EndedPage {
        lang: language.code(),
        dir: language.direction(),
        title,
        style: STYLE,
        url: page_url(base, alert.id, language),
        og_locale: og_locale(language),
        drill: drill(alert, language),
        when: word(language, "page-ended-at", &[("date", &date)]),
    }
    .render()
    .expect("the page renders")
}

/// The page for an address where there is no public alert, in every language.
pub fn missing_page() -> String {
    MissingPage {
        lang: "ar",
        dir: "rtl",
        title: "Tifli",
        style: STYLE,
        lines: Language::ALL
            .into_iter()
            .map(|l| Line {
                lang: l.code(),
                dir: l.direction(),
                text: word(l, "page-not-found", &[]),
            })
            .collect(),
    }
    .render()
    .expect("the page renders")
}
