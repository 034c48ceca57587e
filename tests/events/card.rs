//! The share card, `card.png`: a PNG of exactly 1200×630 in every language, the same
//! picture, pixel for pixel within a small tolerance, as the golden images in `golden/`
//! that a person looked at, a drill's band, and hostile text drawn inside the card.
//!
//! `TIFLI_GOLDEN=write cargo test -p tifli --test events -- card` redraws the golden
//! images after a deliberate change: look at each before committing it.

use std::path::PathBuf;

use resvg::tiny_skia::Pixmap;
use serde_json::json;
use tifli::card::{HEIGHT, WIDTH, share_card};
use tifli::domain::limits::{CHILD_NAME_MAX_CHARS, PLACE_MAX_CHARS};
use tifli::domain::public::PublicAlert;
use tifli::domain::{Language, ReportId};
use tifli_testkit::samples::{self, HOSTILE_PIECES, NOW, SEEN_AT};

use crate::public::ID;

/// Where the card's regions are, as `card.rs` lays them out: what a drawing that
/// overflowed would paint over.
const HEADER_BOTTOM: u32 = 132;
const DRILL_BOTTOM: u32 = 196;
const FOOTER_TOP: u32 = 494;

/// The fixtures' full report, approved: every field a card shows.
fn alert(exercise: bool) -> PublicAlert {
    let mut body = samples::full_report_json(SEEN_AT);
    body["exercise"] = exercise.into();
    let (report, _) = samples::filed(body, ReportId::parse(ID).unwrap(), "officer-7", NOW);
    PublicAlert::of(&samples::approved(&report)).unwrap()
}

fn card(alert: &PublicAlert, language: Language) -> Pixmap {
    let png = share_card(alert, language).unwrap_or_else(|e| panic!("{language:?}: {e}"));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{language:?}");
    let pixmap = Pixmap::decode_png(&png).expect("a PNG that decodes");
    assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT));
    assert_eq!((WIDTH, HEIGHT), (1200, 630));
    pixmap
}

fn rgb(pixmap: &Pixmap, x: u32, y: u32) -> [u8; 3] {
    let p = pixmap.pixel(x, y).expect("inside the card");
    [p.red(), p.green(), p.blue()]
}

fn near(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(a, b)| a.abs_diff(b) <= tolerance)
}

/// How many pixels of `rows` are `colour`, as a share of them.
fn share_of(pixmap: &Pixmap, rows: std::ops::Range<u32>, colour: [u8; 3]) -> f64 {
    let total = rows.len() as u32 * pixmap.width();
    let matching = rows
        .flat_map(|y| (0..pixmap.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| near(rgb(pixmap, x, y), colour, 24))
        .count();
    matching as f64 / f64::from(total)
}

/// Compares `png` with `golden/<name>.png`, or writes it there when `TIFLI_GOLDEN=write`.
/// Pixels, not bytes: an encoder's choices are not the picture.
fn assert_golden(name: &str, pixmap: &Pixmap) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/events/golden")
        .join(format!("{name}.png"));
    if std::env::var("TIFLI_GOLDEN").as_deref() == Ok("write") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        pixmap.save_png(&path).unwrap();
        return;
    }
    let golden = Pixmap::load_png(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (TIFLI_GOLDEN=write draws it)", path.display()));
    assert_eq!((golden.width(), golden.height()), (WIDTH, HEIGHT), "{name}");
    // Anti-aliasing may round differently on another CPU; a changed text or layout
    // moves thousands of pixels.
    let differing = pixmap
        .pixels()
        .iter()
        .zip(golden.pixels())
        .filter(|(a, b)| {
            let a = [a.red(), a.green(), a.blue(), a.alpha()];
            let b = [b.red(), b.green(), b.blue(), b.alpha()];
            a.iter().zip(b).any(|(a, b)| a.abs_diff(b) > 32)
        })
        .count();
    if differing > 600 {
        let drawn = std::env::temp_dir().join(format!("tifli-{name}.png"));
        pixmap.save_png(&drawn).unwrap();
        panic!(
            "{name}: {differing} pixels differ from {}; drawn now: {}",
            path.display(),
            drawn.display()
        );
    }
}

/// Nothing drawn where no text may go: the side margins of every band, and the white
/// strip above the footer. Text that overflowed its room would land there.
fn assert_within_bounds(pixmap: &Pixmap, what: &str, drill: bool) {
    let outcome = std::panic::catch_unwind(|| check_bounds(pixmap, what, drill));
    if let Err(panic) = outcome {
        let drawn = std::env::temp_dir().join(format!("tifli-{}.png", what.replace(' ', "-")));
        pixmap.save_png(&drawn).unwrap();
        eprintln!("{what}: drawn in {}", drawn.display());
        std::panic::resume_unwind(panic);
    }
}

fn check_bounds(pixmap: &Pixmap, what: &str, drill: bool) {
    const RED: [u8; 3] = [0xC8, 0x10, 0x2E];
    const INK: [u8; 3] = [0x11, 0x11, 0x11];
    const WHITE: [u8; 3] = [0xFF, 0xFF, 0xFF];
    let body_top = if drill { DRILL_BOTTOM } else { HEADER_BOTTOM };
    let margins = (0..36).chain(WIDTH - 36..WIDTH);
    for x in margins {
        for (rows, colour) in [
            (0..HEADER_BOTTOM, RED),
            (body_top..FOOTER_TOP, WHITE),
            (FOOTER_TOP..HEIGHT, INK),
        ] {
            for y in rows {
                assert!(
                    near(rgb(pixmap, x, y), colour, 2),
                    "{what}: something at ({x}, {y}): {:?}",
                    rgb(pixmap, x, y)
                );
            }
        }
    }
    for y in FOOTER_TOP - 12..FOOTER_TOP {
        for x in 0..WIDTH {
            assert!(
                near(rgb(pixmap, x, y), WHITE, 2),
                "{what}: something at ({x}, {y}) above the footer"
            );
        }
    }
}

#[test]
fn an_active_alerts_card_is_a_1200_by_630_png_in_every_language() {
    let alert = alert(false);
    for language in Language::ALL {
        let pixmap = card(&alert, language);
        assert_within_bounds(&pixmap, &format!("{language:?}"), false);
        // The headline's band is red, the tip line's black, and no drill band.
        assert!(share_of(&pixmap, 0..8, [0xC8, 0x10, 0x2E]) > 0.99);
        assert!(share_of(&pixmap, HEIGHT - 8..HEIGHT, [0x11, 0x11, 0x11]) > 0.99);
        assert_eq!(
            share_of(&pixmap, HEADER_BOTTOM..DRILL_BOTTOM, [0xFF, 0xD1, 0x00]),
            0.0
        );
    }
}

#[test]
fn the_cards_are_the_golden_images() {
    let alert = alert(false);
    for (language, name) in [
        (Language::En, "card-en"),
        (Language::Ar, "card-ar"),
        (Language::Zgh, "card-zgh"),
        (Language::Fr, "card-fr"),
    ] {
        assert_golden(name, &card(&alert, language));
    }
    // A name and a place in Arabic script, on the Arabic and Tamazight cards: letters
    // joined, right to left, beside Tifinagh.
    let arabic = PublicAlert::of(&samples::alert_with(
        "أمينة الإدريسي",
        "باب الأحد، الرباط",
        "معطف أحمر",
        json!({}),
    ))
    .unwrap();
    assert_golden("card-ar-names", &card(&arabic, Language::Ar));
    let tifinagh = PublicAlert::of(&samples::alert_with(
        "ⴰⵎⵉⵏⴰ ⵏⴰⵢⵜ ⵄⵍⵉ",
        "ⴰⵙⵉⴽ ⵏ ⴱⴰⴱ ⵍⵃⴷ, ⵔⵔⴱⴰⵟ",
        "ⴰⵇⵛⵎⵓⵔ ⴰⵣⴳⴳⵯⴰⵖ",
        json!({}),
    ))
    .unwrap();
    assert_golden("card-zgh-names", &card(&tifinagh, Language::Zgh));
}

#[test]
fn a_drills_card_carries_the_drill_band() {
    let real = card(&alert(false), Language::En);
    let drill = card(&alert(true), Language::En);
    assert_ne!(real.data(), drill.data());
    // Amber and black stripes across the card, right under the headline.
    let band = HEADER_BOTTOM..DRILL_BOTTOM;
    assert!(share_of(&drill, band.clone(), [0xFF, 0xD1, 0x00]) > 0.5);
    assert_eq!(share_of(&real, band, [0xFF, 0xD1, 0x00]), 0.0);
    assert_golden("card-drill-en", &drill);
    for language in Language::ALL {
        let drill = card(&alert(true), language);
        assert!(
            share_of(
                &drill,
                HEADER_BOTTOM + 4..DRILL_BOTTOM - 4,
                [0xFF, 0xD1, 0x00]
            ) > 0.5
        );
        assert_within_bounds(&drill, &format!("drill {language:?}"), true);
    }
    assert_golden("card-drill-ar", &card(&alert(true), Language::Ar));
}

#[test]
fn hostile_and_overlong_texts_stay_inside_the_card() {
    let markup = "<script>alert('x')</script> & \"quoted\" ]]> &amp; {$name}";
    let pieces = HOSTILE_PIECES.concat();
    let repeat = |text: &str, max: usize| -> String { text.chars().cycle().take(max).collect() };
    let alerts = [
        // Every text at its bound, made of quotes.
        PublicAlert::of(&samples::largest_alert()).unwrap(),
        PublicAlert::of(&samples::alert_with(markup, markup, markup, json!({}))).unwrap(),
        PublicAlert::of(&samples::alert_with(
            &repeat(&pieces, CHILD_NAME_MAX_CHARS),
            &repeat(&pieces, PLACE_MAX_CHARS),
            &pieces,
            json!({ "exercise": true }),
        ))
        .unwrap(),
        // One word longer than any line, in each script.
        PublicAlert::of(&samples::alert_with(
            &"W".repeat(CHILD_NAME_MAX_CHARS),
            &"م".repeat(PLACE_MAX_CHARS),
            "d",
            json!({}),
        ))
        .unwrap(),
        PublicAlert::of(&samples::alert_with(
            &"ⵣ".repeat(CHILD_NAME_MAX_CHARS),
            &"Ŵ".repeat(PLACE_MAX_CHARS),
            "d",
            json!({ "exercise": true }),
        ))
        .unwrap(),
        // Many short words in Arabic, which wrap.
        PublicAlert::of(&samples::alert_with(
            &repeat("أمينة بنت ", CHILD_NAME_MAX_CHARS),
            &repeat("باب الأحد ", PLACE_MAX_CHARS),
            "d",
            json!({}),
        ))
        .unwrap(),
    ];
    for (i, alert) in alerts.iter().enumerate() {
        for language in Language::ALL {
            let pixmap = card(alert, language);
            assert_within_bounds(
                &pixmap,
                &format!("alert {i} in {language:?}"),
                alert.exercise,
            );
        }
    }
}
