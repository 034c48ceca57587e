//! The sighting form on an alert's page, and the page its submission answers with when
//! it came from the form (no script: the browser posts the form and shows the answer).

use askama::Template;

use super::STYLE;
use crate::domain::language::Language;
use crate::domain::limits::{
    PLACE_MAX_CHARS, SIGHTING_CONTACT_MAX_CHARS, SIGHTING_DESCRIPTION_MAX_CHARS,
};
use crate::domain::public::{PublicAlert, page_url};
use crate::domain::texts::{counted, word};

/// How long ago a witness may say they saw the child, in minutes: a choice rather than a
/// time to type, so that no time zone has to be guessed for a page without a script,
/// and a phone's keyboard is not needed for it.
pub const SEEN_AGO_MINUTES: [u32; 8] = [0, 15, 30, 60, 120, 240, 480, 1_440];

pub(super) struct Choice {
    pub(super) minutes: u32,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// A choice of [`SEEN_AGO_MINUTES`] in `language`: "just now", "about 15 minutes ago",
/// "about 2 hours ago".
fn ago(language: Language, minutes: u32) -> String {
    match minutes {
        0 => word(language, "page-sighting-now", &[]),
        m if m < 60 => counted(language, "page-sighting-minutes", m),
        m => counted(language, "page-sighting-hours", m / 60),
    }
}

/// What the witness typed, to show again beside what to correct.
#[derive(Debug, Default, Clone)]
pub struct FormValues {
    /// The minutes chosen (a value of [`SEEN_AGO_MINUTES`]).
    pub seen_ago: String,
    pub place: String,
    pub description: String,
    pub contact: String,
}

pub(super) struct SightingForm {
    pub(super) action: String,
    pub(super) lang: &'static str,
    pub(super) title: String,
    pub(super) intro: String,
    pub(super) when_label: String,
    pub(super) when_choices: Vec<Choice>,
    pub(super) where_label: String,
    pub(super) what_label: String,
    pub(super) contact_label: String,
    pub(super) send: String,
    pub(super) check: String,
    pub(super) place_max: usize,
    pub(super) description_max: usize,
    pub(super) contact_max: usize,
    pub(super) values: FormValues,
    pub(super) bad_when: bool,
    pub(super) bad_where: bool,
    pub(super) bad_what: bool,
    pub(super) bad_contact: bool,
}

impl SightingForm {
    /// The form, empty or refilled, with the fields in `invalid` (the API's field
    /// names) marked; `action` relative to the page it is on.
    pub(super) fn new(
        action: String,
        language: Language,
        values: FormValues,
        invalid: &[String],
    ) -> SightingForm {
        let bad = |fields: &[&str]| invalid.iter().any(|f| fields.contains(&f.as_str()));
        SightingForm {
            action,
            lang: language.code(),
            title: word(language, "page-sighting", &[]),
            intro: word(language, "page-sighting-intro", &[]),
            when_label: word(language, "page-sighting-when", &[]),
            when_choices: SEEN_AGO_MINUTES
                .into_iter()
                .map(|minutes| Choice {
                    minutes,
                    label: ago(language, minutes),
                    selected: values.seen_ago == minutes.to_string(),
                })
                .collect(),
            where_label: word(language, "page-sighting-where", &[]),
            what_label: word(language, "page-sighting-what", &[]),
            contact_label: word(language, "page-sighting-contact", &[]),
            send: word(language, "page-sighting-send", &[]),
            check: word(language, "page-sighting-check", &[]),
            place_max: PLACE_MAX_CHARS,
            description_max: SIGHTING_DESCRIPTION_MAX_CHARS,
            contact_max: SIGHTING_CONTACT_MAX_CHARS,
            values,
            bad_when: bad(&["seen_at"]),
            bad_where: bad(&["place", "lat", "lon"]),
            bad_what: bad(&["description"]),
            bad_contact: bad(&["contact"]),
        }
    }
}

/// The form's action on the answer's own page (`…/a/{id}/sightings`): itself.
const ANSWER_ACTION: &str = "sightings";

/// The form's action on the alert's page (`…/a/{id}`), whatever the base URL's path.
pub(super) fn page_action(alert: &PublicAlert) -> String {
    format!("{}/sightings", alert.id)
}

/// What became of a sighting sent from the form.
pub enum Outcome {
    Received,
    /// Refused, naming the fields (the API's names) to correct.
    Invalid(Vec<String>),
    NotActive,
    /// Over a rate limit: try again in this many seconds.
    Busy(u64),
    /// The store failed: nothing was kept.
    Failed,
}

#[derive(Template)]
#[template(path = "sighting.html")]
struct SightingPage {
    lang: &'static str,
    dir: &'static str,
    title: String,
    style: &'static str,
    heading: String,
    lines: Vec<String>,
    form: Option<SightingForm>,
    back: String,
    back_label: String,
}

/// The page that answers a sighting sent from the form.
pub fn sighting_page(
    alert: &PublicAlert,
    language: Language,
    outcome: Outcome,
    values: FormValues,
    base: &str,
) -> String {
    let heading = word(language, "page-sighting", &[]);
    let (line, form) = match outcome {
        Outcome::Received => (word(language, "page-sighting-thanks", &[]), None),
        Outcome::Invalid(fields) => (
            word(language, "page-sighting-check", &[]),
            Some(SightingForm::new(
                ANSWER_ACTION.into(),
                language,
                values,
                &fields,
            )),
        ),
        Outcome::NotActive => (word(language, "page-sighting-closed", &[]), None),
        Outcome::Busy(seconds) => {
            let minutes = seconds.div_ceil(60).to_string();
            (
                word(language, "page-sighting-busy", &[("minutes", &minutes)]),
                None,
            )
        }
        Outcome::Failed => (
            word(language, "page-sighting-failed", &[]),
            Some(SightingForm::new(
                ANSWER_ACTION.into(),
                language,
                values,
                &[],
            )),
        ),
    };
    SightingPage {
        lang: language.code(),
        dir: language.direction(),
        title: heading.clone(),
        style: STYLE,
        heading,
        lines: vec![line],
        form,
        back: page_url(base, alert.id, language),
        back_label: word(language, "page-sighting-back", &[]),
    }
    .render()
    .expect("the page renders")
}
