use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::domain::limits::*;

use crate::domain::samples::{HOSTILE_PIECES, alert_with, all_kinds};

fn assert_bounds(alert: &PublicAlert) {
    for language in Language::ALL {
        let t = texts(alert, language);
        assert!(
            t.headline.chars().count() <= HEADLINE_MAX_CHARS,
            "{language:?} headline {}",
            t.headline
        );
        assert!(
            t.long.chars().count() <= LONG_MAX_CHARS,
            "{language:?} long {}",
            t.long
        );
        assert!(fits_one_sms(&t.short), "{language:?} short {}", t.short);
        if matches!(alert.msg_type, CapMsgType::Alert | CapMsgType::Update) {
            assert!(
                t.short.contains(&alert.tip_line),
                "{language:?}: tip line lost in {}",
                t.short
            );
            assert!(
                t.long.contains(&alert.tip_line),
                "{language:?}: tip line lost in {}",
                t.long
            );
            assert!(t.instruction.contains(&alert.tip_line));
        }
        for text in [&t.headline, &t.short, &t.long, &t.instruction, &t.area] {
            assert!(!text.contains("Internal narrative"), "{text}");
        }
    }
}

#[test]
fn every_message_of_every_language_resolves() {
    let alert = PublicAlert::of(&alert_with("Amina", "Bab El Had", "Red coat", json!({}))).unwrap();
    let ids = [
        "sender-name",
        "exercise",
        "age",
        "child",
        "instruction",
        "area",
        "long-vehicle",
        "long-suspect",
        "long-update",
        "long-call",
    ];
    let kinds = [
        "alert",
        "update",
        "found",
        "resolved",
        "withdrawn",
        "expired",
    ];
    for language in Language::ALL {
        let b = bundle(language);
        for id in ids
            .iter()
            .map(|s| s.to_string())
            .chain(
                kinds
                    .iter()
                    .flat_map(|k| ["headline", "short"].map(|p| format!("{p}-{k}"))),
            )
            .chain(
                ["found", "resolved", "withdrawn", "expired", "alert"].map(|k| format!("long-{k}")),
            )
            .chain(Region::ALL.map(|r| format!("region-{}", r.code())))
        {
            assert!(b.has_message(&id), "{language:?} lacks {id}");
        }
        let t = texts(&alert, language);
        assert!(
            t.long.contains("Amina") && t.long.contains("+212537000000"),
            "{}",
            t.long
        );
    }
}

#[test]
fn typical_texts_are_whole() {
    let report = alert_with(
        "Amina",
        "Bab El Had, Rabat",
        "Red coat, white sneakers",
        json!({}),
    );
    let alert = PublicAlert::of(&report).unwrap();
    let en = texts(&alert, Language::En);
    assert_eq!(
        en.headline,
        "Child abduction alert: Amina, 17 years old, Bab El Had, Rabat"
    );
    assert_eq!(
        en.short,
        "CHILD ABDUCTION ALERT: Amina, 17, Bab El Had, Rabat. Call +212537000000"
    );
    assert_eq!(
        en.long,
        "Amina, girl, 17 years old, last seen on 28/11 at 16:30 in Bab El Had, Rabat. \
         Red coat, white sneakers If you see her, call +212537000000."
    );
    assert_eq!(en.area, "Bab El Had, Rabat, Rabat-Sale-Kenitra");
    let fr = texts(&alert, Language::Fr);
    assert_eq!(
        fr.headline,
        "Alerte enlèvement : Amina, 17 ans, Bab El Had, Rabat"
    );
    let ar = texts(&alert, Language::Ar);
    assert_eq!(
        ar.headline,
        "إنذار اختطاف: Amina، 17 سنة، Bab El Had, Rabat"
    );
}

#[test]
fn worst_case_inputs_stay_in_bounds() {
    let longest = [
        (
            "ⵣ".repeat(CHILD_NAME_MAX_CHARS),
            "ⵣ".repeat(PLACE_MAX_CHARS),
            "ⵣ".repeat(CHILD_DESCRIPTION_MAX_CHARS),
        ),
        (
            "W".repeat(CHILD_NAME_MAX_CHARS),
            "W".repeat(PLACE_MAX_CHARS),
            "W".repeat(CHILD_DESCRIPTION_MAX_CHARS),
        ),
        (
            "😀".repeat(CHILD_NAME_MAX_CHARS),
            "😀".repeat(PLACE_MAX_CHARS),
            "😀".repeat(CHILD_DESCRIPTION_MAX_CHARS),
        ),
        (
            "{}[]".repeat(25),
            "€^~|".repeat(50),
            "1234567890".repeat(100),
        ),
    ];
    for (name, place, description) in longest {
        let extra = json!({ "circumstances": { "narrative": "Internal narrative that must never be published.",
            "vehicle": "V".repeat(VEHICLE_MAX_CHARS), "suspect": "S".repeat(SUSPECT_MAX_CHARS) } });
        for alert in all_kinds(&alert_with(&name, &place, &description, extra)) {
            assert_bounds(&alert);
        }
    }
}

#[test]
fn numbers_are_never_cut() {
    let mut free = Free::new("place", "Rue 123456 Rabat");
    free.keep = 9; // "Rue 12345|6"
    free.shorten(1);
    assert_eq!(free.value("…"), "Rue…");
    let mut free = Free::new("place", "ab🇲🇦cd");
    free.shorten(3);
    assert_eq!(free.value("…"), "ab…");
}

#[test]
fn sms_segments() {
    assert!(fits_one_sms(&"a".repeat(160)));
    assert!(!fits_one_sms(&"a".repeat(161)));
    // Extension characters take two septets.
    assert!(fits_one_sms(&"€".repeat(80)));
    assert!(!fits_one_sms(&"€".repeat(81)));
    // Anything outside GSM-7 makes the whole text UCS-2: 70 units.
    assert!(fits_one_sms(&"ⵣ".repeat(70)));
    assert!(!fits_one_sms(&"ⵣ".repeat(71)));
    assert!(fits_one_sms(&"😀".repeat(35)));
    assert!(!fits_one_sms(&"😀".repeat(36)));
}

fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(HOSTILE_PIECES.to_vec());
    prop::collection::vec(pieces, 1..200).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn hostile_inputs_stay_in_bounds(name in hostile_text(), place in hostile_text(), description in hostile_text()) {
        let cut = |s: String, max: usize| s.graphemes(true).take(max / 8).collect::<String>();
        let name = cut(name, CHILD_NAME_MAX_CHARS);
        let place = cut(place, PLACE_MAX_CHARS);
        let description = cut(description, CHILD_DESCRIPTION_MAX_CHARS);
        prop_assume!(!name.trim().is_empty() && !place.trim().is_empty() && !description.trim().is_empty());
        let report = alert_with(&name, &place, &description, json!({}));
        for alert in all_kinds(&report) {
            assert_bounds(&alert);
        }
    }
}

/// A drill reads as one from its first word, in every text of every message and every
/// language, and its texts still fit their bounds; a real alert carries no marker.
#[test]
fn a_drill_says_so_first_in_every_text() {
    let long = "ⴰ".repeat(CHILD_NAME_MAX_CHARS);
    for exercise in [true, false] {
        for (name, place) in [("Amina", "Bab El Had"), (long.as_str(), long.as_str())] {
            let report = alert_with(name, place, "Red coat", json!({ "exercise": exercise }));
            for alert in all_kinds(&report) {
                assert_bounds(&alert);
                for language in Language::ALL {
                    let marker = format(language, "exercise", &FluentArgs::new());
                    let t = texts(&alert, language);
                    for text in [&t.headline, &t.short, &t.long, &t.instruction] {
                        assert_eq!(
                            text.starts_with(&format!("{marker} ")),
                            exercise,
                            "{language:?} {:?}: {text}",
                            alert.msg_type
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_sms_counter_counts_as_a_gateway_sends() {
    let count = |text: &str| {
        let c = sms_count(text);
        (c.encoding, c.units, c.segments)
    };
    assert_eq!(count("Amina, 7"), ("GSM-7", 8, 1));
    assert_eq!(count(&"a".repeat(160)), ("GSM-7", 160, 1));
    assert_eq!(count(&"a".repeat(161)), ("GSM-7", 161, 2));
    assert_eq!(count(&"a".repeat(306)), ("GSM-7", 306, 2));
    // The euro sign is an escape and a septet.
    assert_eq!(count("€"), ("GSM-7", 2, 1));
    assert_eq!(count(&"أ".repeat(70)), ("UCS-2", 70, 1));
    assert_eq!(count(&"ⴰ".repeat(71)), ("UCS-2", 71, 2));
    // What fits one SMS is what the counter says takes one segment.
    for text in ["Amina", &"a".repeat(160), &"ب".repeat(70), &"b".repeat(161)] {
        assert_eq!(fits_one_sms(text), sms_count(text).segments == 1, "{text}");
    }
}

#[test]
fn every_page_word_exists_in_every_language() {
    for language in Language::ALL {
        for id in PAGE_WORDS.into_iter().chain(CARD_WORDS) {
            assert!(
                bundle(language).get_message(id).is_some(),
                "{id} in {language:?}"
            );
            assert_ne!(
                word(
                    language,
                    id,
                    &[
                        ("radius", "10"),
                        ("date", "02/12/2026"),
                        ("name", "Amina"),
                        ("minutes", "5"),
                        ("n", "5"),
                        ("sex", "female")
                    ]
                ),
                id
            );
        }
    }
}
