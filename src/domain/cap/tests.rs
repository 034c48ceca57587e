use serde_json::json;

use super::*;
use crate::domain::samples::{INTERNAL, alert_with, all_kinds};

/// The public site of these tests: each `<info>` links the alert's page on it.
const PAGE_BASE: &str = "https://tifli.example";

/// The message as written, before its signature (signing is tested in `signature`).
fn render(alert: &PublicAlert, sender: &Sender, page_base: &str) -> String {
    super::render(alert, sender, page_base).as_str().to_owned()
}

fn sender() -> Sender {
    Sender::new("tifli@police.example").unwrap()
}

fn children<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    node.children()
        .filter(|c| c.has_tag_name((CAP_NAMESPACE, name)))
        .collect()
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    children(node, name)
        .first()
        .and_then(|c| c.text())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn is_cap_time(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 25
        && b[4] == b'-'
        && b[10] == b'T'
        && (b[19] == b'+' || b[19] == b'-')
        && b[22] == b':'
        && s.chars()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16, 19, 22].contains(&i) || c.is_ascii_digit())
}

/// Every DESIGN.md rule that the XSD does not check, on one rendered message.
fn assert_rules(alert: &PublicAlert, xml: &str) {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let root = doc.root_element();
    assert!(root.has_tag_name((CAP_NAMESPACE, "alert")));
    let id = text(root, "identifier");
    assert_eq!(id, identifier(&alert.id.to_string(), alert.version));
    assert!(!id.contains([' ', ',']));
    assert!(is_cap_time(text(root, "sent")), "{}", text(root, "sent"));
    assert_eq!(
        text(root, "status"),
        if alert.exercise { "Exercise" } else { "Actual" }
    );
    let references = children(root, "references");
    assert_eq!(references.len(), usize::from(!alert.references.is_empty()));
    if let Some(r) = references.first() {
        let triplets: Vec<&str> = r.text().unwrap().split(' ').collect();
        assert_eq!(triplets.len(), alert.references.len());
        for (triplet, earlier) in triplets.iter().zip(&alert.references) {
            let parts: Vec<&str> = triplet.split(',').collect();
            assert_eq!(parts[0], sender().as_str());
            assert_eq!(parts[1], identifier(&alert.id.to_string(), earlier.version));
            assert!(is_cap_time(parts[2]));
        }
    }
    let infos = children(root, "info");
    assert_eq!(infos.len(), alert.languages.len());
    for (info, language) in infos.iter().zip(&alert.languages) {
        assert_eq!(text(*info, "language"), language_tag(*language));
        assert_eq!(text(*info, "category"), "Rescue");
        assert_eq!(text(*info, "event"), EVENT);
        assert_eq!(text(*info, "urgency"), "Immediate");
        assert_eq!(text(*info, "severity"), "Severe");
        assert_eq!(text(*info, "certainty"), "Likely");
        let code = children(*info, "eventCode")[0];
        assert_eq!(
            (text(code, "valueName"), text(code, "value")),
            ("SAME", "CAE")
        );
        assert!(is_cap_time(text(*info, "expires")));
        assert!(text(*info, "headline").chars().count() <= 140);
        let photo = alert.child.photo_url.is_some() && alert.msg_type != CapMsgType::Cancel;
        assert_eq!(children(*info, "resource").len(), usize::from(photo));
        let area = children(*info, "area")[0];
        assert!(!text(area, "areaDesc").is_empty());
        let circle = text(area, "circle");
        assert_eq!(
            circle,
            format!(
                "{},{} {}",
                alert.area.lat, alert.area.lon, alert.area.radius_km
            )
        );
        let geocodes = children(area, "geocode");
        assert_eq!(geocodes.len(), alert.regions.len());
        assert_eq!(text(geocodes[0], "value"), alert.regions[0].code());
    }
    for internal in INTERNAL {
        assert!(!xml.contains(internal), "{internal} leaked");
    }
}

#[test]
fn every_kind_follows_the_rules() {
    let with_photo = json!({ "child": { "name": "Amina", "age": 7, "sex": "female", "description": "Red coat",
        "photo_url": "https://photos.police.example/a.jpg", "photo_consent": true } });
    for extra in [
        json!({}),
        with_photo,
        json!({ "exercise": true }),
        json!({ "languages": ["zgh"] }),
    ] {
        for alert in all_kinds(&alert_with(
            "Amina",
            "Bab El Had",
            "Red coat",
            extra.clone(),
        )) {
            assert_rules(&alert, &render(&alert, &sender(), PAGE_BASE));
            // Signed, the message holds to the same rules, the signature its last child.
            let signed = super::render(&alert, &sender(), PAGE_BASE).signed(&Signature {
                kid: "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
                value: vec![0xA5; 256],
            });
            assert_rules(&alert, &signed);
            let doc = roxmltree::Document::parse(&signed).unwrap();
            let last = doc.root_element().last_element_child().unwrap();
            assert!(last.has_tag_name((signature::DSIG_NAMESPACE, "Signature")));
        }
    }
}

#[test]
fn a_cancel_references_every_earlier_message() {
    let kinds = all_kinds(&alert_with("Amina", "Bab El Had", "Red coat", json!({})));
    let cancel = &kinds[2];
    assert_eq!(cancel.msg_type, CapMsgType::Cancel);
    assert_eq!(cancel.references.len(), 2);
    let xml = render(cancel, &sender(), PAGE_BASE);
    assert!(xml.contains("<msgType>Cancel</msgType>"));
    let first = identifier(&cancel.id.to_string(), 2);
    let second = identifier(&cancel.id.to_string(), 3);
    assert!(xml.contains(&format!(
        "tifli@police.example,{first},2026-11-28T17:10:00+00:00 tifli@police.example,{second},"
    )));
}

#[test]
fn hostile_text_is_escaped_by_the_writer() {
    let alert = all_kinds(&alert_with(
        "<b>&amp;\"x\"</b>",
        "]]> & <",
        "'quoted' \u{200F}",
        json!({}),
    ))
    .remove(0);
    let xml = render(&alert, &sender(), PAGE_BASE);
    assert!(xml.contains("&lt;b&gt;&amp;amp;"), "{xml}");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let headline = doc
        .descendants()
        .find(|n| n.has_tag_name((CAP_NAMESPACE, "headline")))
        .unwrap();
    assert!(headline.text().unwrap().contains("<b>&amp;\"x\"</b>"));
}

#[test]
fn times_and_senders() {
    use time::macros::datetime;
    assert_eq!(
        cap_time(datetime!(2026-11-28 16:30:00.123 +01:00)),
        "2026-11-28T15:30:00+00:00"
    );
    assert!(Sender::new("tifli@police.example").is_some());
    let long = "s".repeat(Sender::MAX_CHARS + 1);
    for bad in [
        "",
        "two words",
        "a,b",
        "a\"b",
        "a'b",
        "a<b",
        "a>b",
        "a&b",
        "é@x",
        &long,
    ] {
        assert!(Sender::new(bad).is_none(), "{bad}");
    }
    assert_eq!(mime_type("https://x.example/a/B.JPG?size=2"), "image/jpeg");
    assert_eq!(mime_type("https://x.example/a"), "application/octet-stream");
}

#[test]
fn a_cancel_names_the_child_and_shows_nothing_more() {
    let with_photo = json!({ "child": { "name": "Amina", "age": 7, "sex": "female",
        "description": "Red coat", "photo_url": "https://photos.police.example/a.jpg",
        "photo_consent": true } });
    let kinds = all_kinds(&alert_with("Amina", "Bab El Had", "Red coat", with_photo));
    for ended in kinds.iter().filter(|k| k.msg_type == CapMsgType::Cancel) {
        let xml = render(ended, &sender(), PAGE_BASE);
        assert!(xml.contains("Amina"), "{xml}");
        for gone in ["photos.police.example", "Bab El Had", "Red coat"] {
            assert!(!xml.contains(gone), "{gone} in a Cancel: {xml}");
        }
    }
    // The alert itself shows them all.
    let alert = render(&kinds[0], &sender(), PAGE_BASE);
    for shown in ["photos.police.example", "Bab El Had", "Red coat"] {
        assert!(alert.contains(shown), "{shown} missing: {alert}");
    }
}

/// Any character at all, with the ones XML, a single line or the eye cannot carry drawn
/// far more often than their share of Unicode.
fn any_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let awkward = prop::sample::select(vec![
        '\u{0}',
        '\u{8}',
        '\u{B}',
        '\r',
        '\n',
        '\t',
        '\u{7F}',
        '\u{85}',
        '\u{AD}',
        '\u{200B}',
        '\u{200D}',
        '\u{200F}',
        '\u{2028}',
        '\u{202E}',
        '\u{2067}',
        '\u{FDD0}',
        '\u{FEFF}',
        '\u{FFFE}',
        '\u{FFFF}',
        '\u{1FFFF}',
        '\u{10FFFF}',
        '\u{E0041}',
        '<',
        '&',
        ']',
        'ⵣ',
        'أ',
    ]);
    prop::collection::vec(prop_oneof![3 => any::<char>(), 1 => awkward], 1..24)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Whatever an officer types, a report the intake and the actions accept renders CAP
    /// messages and an Atom feed that a strict XML parser reads.
    #[test]
    fn any_accepted_text_yields_wellformed_xml(
        name in any_text(),
        place in any_text(),
        description in any_text(),
        vehicle in any_text(),
        message in any_text(),
    ) {
        use crate::domain::actions::UpdateBody;
        use crate::domain::samples::{NOW, report_json, SEEN_AT};
        use crate::domain::ReportBody;

        let sample = report_json(SEEN_AT);
        let mut body = sample.clone();
        let fields = [
            ("/child/name", name),
            ("/child/description", description),
            ("/last_seen/place", place),
            ("/circumstances/vehicle", vehicle),
        ];
        for (pointer, text) in &fields {
            *body.pointer_mut(pointer).unwrap_or(&mut json!(null)) = text.clone().into();
        }
        if body.pointer("/circumstances/vehicle").is_none() {
            body["circumstances"]["vehicle"] = fields[3].1.clone().into();
        }
        body["languages"] = json!(["ar", "fr", "zgh", "en"]);
        let validate = |body: &serde_json::Value| {
            serde_json::from_value::<ReportBody>(body.clone())
                .expect("text fields of the right type")
                .validate(NOW)
        };
        // A refused field falls back to the sample's: the rest is still tried.
        let draft = match validate(&body) {
            Ok(draft) => draft,
            Err(errors) => {
                for error in &errors.0 {
                    let pointer = format!("/{}", error.field.replace('.', "/"));
                    let fallback = sample.pointer(&pointer).cloned().unwrap_or(json!("White van"));
                    *body.pointer_mut(&pointer).expect("a refused field exists") = fallback;
                }
                validate(&body).expect("the sample's texts are accepted")
            }
        };
        let (filed, _) = crate::domain::Report::file(
            crate::domain::ReportId::generate(NOW),
            draft,
            crate::domain::OfficerId::new("officer-7").unwrap(),
            NOW,
        );
        let report = crate::domain::samples::approved(&filed);
        let updated = report.update(
            &crate::domain::OfficerId::new("supervisor-7").unwrap(),
            UpdateBody { message: Some(message), ..Default::default() },
            NOW,
        );
        let reports = match updated {
            Ok(next) => vec![report, next.report],
            Err(_) => vec![report],
        };
        let alerts: Vec<PublicAlert> =
            reports.iter().filter_map(PublicAlert::of).collect();
        for alert in &alerts {
            let xml = render(alert, &sender(), PAGE_BASE);
            proptest::prop_assert!(roxmltree::Document::parse(&xml).is_ok(), "{xml}");
        }
        let feed = crate::domain::atom::feed("https://api.example", &alerts, NOW);
        proptest::prop_assert!(roxmltree::Document::parse(&feed).is_ok(), "{feed}");
    }
}

#[test]
fn each_info_links_the_alert_s_page_in_its_language() {
    let kinds = all_kinds(&alert_with(
        "Amina",
        "Bab El Had",
        "Red coat",
        json!({ "languages": ["ar", "fr", "zgh", "en"] }),
    ));
    for alert in &kinds {
        let xml = render(alert, &sender(), PAGE_BASE);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let infos: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name((CAP_NAMESPACE, "info")))
            .collect();
        assert_eq!(infos.len(), 4);
        for info in infos {
            let child = |name: &str| {
                info.children()
                    .find(|n| n.has_tag_name((CAP_NAMESPACE, name)))
                    .and_then(|n| n.text())
                    .unwrap()
                    .to_owned()
            };
            let code = child("language").split('-').next().unwrap().to_owned();
            assert_eq!(
                child("web"),
                format!("{PAGE_BASE}/a/{}?lang={code}", alert.id),
                "{:?}",
                alert.msg_type
            );
        }
        // Without a public site, no link.
        assert!(!render(alert, &sender(), "").contains("<web>"));
    }
}
