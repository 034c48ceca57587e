//! Every kind of CAP message, and messages made of hostile input, are valid against the
//! official OASIS CAP 1.2 schema.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::json;
use tifli::domain::cap::{Sender, render};
use tifli_testkit::PAGE_BASE;
use tifli_testkit::checks::validate_cap;
use tifli_testkit::samples::{HOSTILE_PIECES, alert_with, all_kinds};

fn sender() -> Sender {
    Sender::new("tifli@police.example").expect("sender")
}

#[test]
fn every_kind_of_message_is_valid_cap() {
    let with_photo = json!({ "child": { "name": "Amina", "age": 7, "sex": "female", "description": "Red coat",
        "photo_url": "https://photos.police.example/a.jpg", "photo_consent": true } });
    let variants = [
        json!({}),
        with_photo,
        json!({ "exercise": true }),
        json!({ "languages": ["zgh"] }),
        json!({ "languages": ["ar", "en"] }),
        json!({ "languages": ["fr", "zgh", "en"] }),
        json!({ "circumstances": { "narrative": "n", "vehicle": "White van", "suspect": "Tall man" } }),
    ];
    let messages: Vec<String> = variants
        .iter()
        .flat_map(|extra| {
            all_kinds(&alert_with(
                "Amina",
                "Bab El Had, Rabat",
                "Red coat",
                extra.clone(),
            ))
        })
        .map(|alert| render(&alert, &sender(), PAGE_BASE))
        .collect();
    assert_eq!(messages.len(), 7 * 6);
    let (ok, verdict) = validate_cap(&messages);
    assert!(ok, "{verdict}");
    assert!(verdict.ends_with("42 valid, 0 invalid\n"), "{verdict}");
}

#[test]
fn hostile_input_still_gives_valid_cap() {
    let piece = proptest::sample::select(HOSTILE_PIECES.to_vec());
    let text =
        |max: usize| proptest::collection::vec(piece.clone(), 1..max).prop_map(|p| p.concat());
    let mut runner = TestRunner::deterministic();
    let mut messages = Vec::new();
    for _ in 0..16 {
        let name = text(25).new_tree(&mut runner).expect("a value").current();
        let place = text(50).new_tree(&mut runner).expect("a value").current();
        let description =
            "x".repeat(400) + &text(25).new_tree(&mut runner).expect("a value").current();
        if name.trim().is_empty() || place.trim().is_empty() {
            continue;
        }
        for alert in all_kinds(&alert_with(&name, &place, &description, json!({}))) {
            messages.push(render(&alert, &sender(), PAGE_BASE));
        }
    }
    assert!(messages.len() >= 60, "{}", messages.len());
    let (ok, verdict) = validate_cap(&messages);
    assert!(ok, "{verdict}");
}

#[test]
fn the_validator_refuses_an_invalid_message() {
    let alert = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({}))).remove(0);
    let xml = render(&alert, &sender(), PAGE_BASE)
        .replace("<scope>Public</scope>", "<scope>Everyone</scope>");
    let (ok, verdict) = validate_cap(&[xml]);
    assert!(!ok, "{verdict}");
    assert!(verdict.ends_with("0 valid, 1 invalid\n"), "{verdict}");
}
