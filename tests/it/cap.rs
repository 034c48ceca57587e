//! Every kind of CAP message, and messages made of hostile input, are signed, verify with
//! two independent XML-DSig implementations against the published key, and are valid
//! against the official OASIS CAP 1.2 schema; any change to a signed message, or a
//! signature by another key, fails verification.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::json;
use tifli::domain::cap::{Sender, render};
use tifli::domain::public::PublicAlert;
use tifli_testkit::PAGE_BASE;
use tifli_testkit::checks::validate_cap;
use tifli_testkit::samples::{HOSTILE_PIECES, alert_with, all_kinds};
use tifli_testkit::signing::{LocalKey, Verdict, verify};

fn sender() -> Sender {
    Sender::new("tifli@police.example").expect("sender")
}

/// `alerts`' messages, signed by `key` as the functions sign them.
async fn signed(alerts: &[PublicAlert], key: &LocalKey) -> Vec<String> {
    let signing = key.signing();
    let mut messages = Vec::new();
    for alert in alerts {
        let unsigned = render(alert, &sender(), PAGE_BASE);
        messages.push(signing.sign(&unsigned).await.expect("signed"));
    }
    messages
}

/// Each message verifies with both implementations, and is valid CAP.
fn assert_verified_and_valid(messages: &[String], key: &LocalKey) {
    let verdicts = verify(messages, &key.published_keys());
    for (message, verdict) in messages.iter().zip(&verdicts) {
        assert!(verdict.verified(), "{verdict:?}\n{message}");
    }
    let (ok, report) = validate_cap(messages);
    assert!(ok, "{report}");
}

#[tokio::test]
async fn every_kind_of_message_is_signed_verified_and_valid_cap() {
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
    let alerts: Vec<PublicAlert> = variants
        .iter()
        .flat_map(|extra| {
            all_kinds(&alert_with(
                "Amina",
                "Bab El Had, Rabat",
                "Red coat",
                extra.clone(),
            ))
        })
        .collect();
    let key = LocalKey::current();
    let messages = signed(&alerts, &key).await;
    assert_eq!(messages.len(), 7 * 6);
    assert_verified_and_valid(&messages, &key);
    // Alert, Update and Cancel; real and drill; one language and four.
    for kind in ["Alert", "Update", "Cancel", "Actual", "Exercise"] {
        assert!(
            messages.iter().any(|m| m.contains(&format!(">{kind}<"))),
            "{kind}"
        );
    }
    assert!(messages.iter().any(|m| m.matches("<info>").count() == 1));
    assert!(messages.iter().any(|m| m.matches("<info>").count() == 4));
    assert!(messages.iter().any(|m| m.contains("<resource>")));
}

#[tokio::test]
async fn hostile_input_still_gives_signed_valid_cap() {
    let piece = proptest::sample::select(HOSTILE_PIECES.to_vec());
    let text =
        |max: usize| proptest::collection::vec(piece.clone(), 1..max).prop_map(|p| p.concat());
    let mut runner = TestRunner::deterministic();
    let mut alerts = Vec::new();
    for _ in 0..16 {
        let name = text(25).new_tree(&mut runner).expect("a value").current();
        let place = text(50).new_tree(&mut runner).expect("a value").current();
        let description =
            "x".repeat(400) + &text(25).new_tree(&mut runner).expect("a value").current();
        if name.trim().is_empty() || place.trim().is_empty() {
            continue;
        }
        alerts.extend(all_kinds(&alert_with(
            &name,
            &place,
            &description,
            json!({}),
        )));
    }
    assert!(alerts.len() >= 60, "{}", alerts.len());
    let key = LocalKey::current();
    assert_verified_and_valid(&signed(&alerts, &key).await, &key);
}

/// Every way a message can be changed after signing, each as a partner would receive it.
fn tampered(message: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(message).expect("well-formed");
    let signature = doc
        .descendants()
        .find(|n| n.has_tag_name("Signature"))
        .expect("a signature")
        .range();
    let mut changes = Vec::new();
    // Each text of the alert, changed by one character.
    for node in doc.descendants().filter(|n| n.is_text()) {
        let range = node.range();
        let text = node.text().unwrap_or_default();
        if text.trim().is_empty() || signature.contains(&range.start) {
            continue;
        }
        let parent = node.parent().map(|p| p.tag_name().name()).unwrap_or("?");
        let mut changed = message.to_owned();
        changed.insert(range.start, 'x');
        changes.push((format!("the text of <{parent}>"), changed));
    }
    // An attribute added, an attribute changed, whitespace between elements, an element
    // dropped; what is signed pointed elsewhere; the signature's value.
    for (name, from, to) in [
        ("an attribute added", "<info>", "<info lang=\"x\">"),
        ("the namespace changed", "cap:1.2\">", "cap:1.1\">"),
        ("the indentation", "\n  <sender>", "\n   <sender>"),
        ("an element dropped", "<scope>Public</scope>", ""),
        ("the reference", "URI=\"\"", "URI=\"#x\""),
        (
            "the signature value",
            "<SignatureValue>",
            "<SignatureValue>AAAA",
        ),
    ] {
        assert!(message.contains(from), "{from}");
        changes.push((name.to_owned(), message.replacen(from, to, 1)));
    }
    // The languages reordered.
    let first = message.find("\n  <info>").expect("an info");
    let second = first + 1 + message[first + 1..].find("\n  <info>").expect("two infos");
    let end = second
        + 1
        + message[second + 1..]
            .find("\n  <info>")
            .expect("three infos");
    let mut reordered = message[..first].to_owned();
    reordered.push_str(&message[second..end]);
    reordered.push_str(&message[first..second]);
    reordered.push_str(&message[end..]);
    changes.push(("the <info> blocks reordered".into(), reordered));
    // Refused for their signature, not for being unreadable.
    for (name, changed) in &changes {
        assert!(
            roxmltree::Document::parse(changed).is_ok(),
            "{name}: not XML"
        );
        assert_ne!(changed, message, "{name}: unchanged");
    }
    changes
}

#[tokio::test]
async fn any_change_or_another_key_fails_verification() {
    let alert = all_kinds(&alert_with(
        "Amina",
        "Bab El Had, Rabat",
        "Red coat",
        json!({ "languages": ["ar", "fr", "zgh", "en"], "child": { "name": "Amina", "age": 7,
            "sex": "female", "description": "Red coat", "photo_url": "https://photos.police.example/a.jpg",
            "photo_consent": true } }),
    ))
    .remove(1);
    let key = LocalKey::current();
    let message = signed(std::slice::from_ref(&alert), &key).await.remove(0);
    let changes = tampered(&message);
    assert!(changes.len() > 40, "{}", changes.len());
    let (names, messages): (Vec<String>, Vec<String>) = changes.into_iter().unzip();
    let verdicts = verify(&messages, &key.published_keys());
    for (name, verdict) in names.iter().zip(&verdicts) {
        assert!(verdict.refused_by_both(), "{name} passed: {verdict:?}");
    }
    // Another key under the published key's name, alone or carrying its public half
    // for a lax verifier to take; no signature; a name nobody published.
    let forged = signed(std::slice::from_ref(&alert), &LocalKey::other())
        .await
        .remove(0);
    let carrying = forged.replacen(
        "<KeyInfo>",
        &format!("<KeyInfo>{}", LocalKey::other().key_value()),
        1,
    );
    let unsigned = render(&alert, &sender(), PAGE_BASE).as_str().to_owned();
    let unknown = message.replacen("<KeyName>test-key-2<", "<KeyName>test-key-9<", 1);
    let verdicts = verify(
        &[forged, carrying, unsigned, unknown],
        &key.published_keys(),
    );
    let names = [
        "another key",
        "another key, carried",
        "no signature",
        "an unknown key",
    ];
    for (name, verdict) in names.iter().zip(&verdicts) {
        assert!(verdict.refused_by_both(), "{name} passed: {verdict:?}");
    }
    // A forger signs in our form; the rest is not.
    assert!(verdicts[0].form.is_none(), "{:?}", verdicts[0]);
    assert!(
        verdicts[1..].iter().all(|v| v.form.is_some()),
        "{verdicts:?}"
    );
    // What a signature over the document does not cover, which the form refuses: a
    // comment splitting a value (a reader that keeps comments reads a radius of 1), a
    // processing instruction, a DOCTYPE; and the true key carried beside its name.
    let circle = message.find("<circle>").expect("a circle") + "<circle>".len() + 1;
    let mut comment = message.clone();
    comment.insert_str(circle, "<!---->");
    let uncovered = [
        comment,
        message.replacen("<scope>", "<?x y?><scope>", 1),
        message.replacen("\n<alert", "\n<!DOCTYPE alert>\n<alert", 1),
        message.replacen("<KeyInfo>", &format!("<KeyInfo>{}", key.key_value()), 1),
    ];
    let verdicts = verify(&uncovered, &key.published_keys());
    assert!(
        verdicts[0].xmlsec1.is_none() && verdicts[0].signxml.is_none(),
        "the signature does not cover comments: {verdicts:?}"
    );
    for verdict in &verdicts {
        assert!(verdict.form.is_some(), "{verdict:?}");
    }
    // The untouched message, checked in the same way, verifies.
    assert!(verify(&[message], &key.published_keys())[0].verified());
}

#[tokio::test]
async fn a_message_signed_before_a_rotation_verifies_with_the_previous_key_listed() {
    let alert = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({}))).remove(0);
    let (old, new) = (LocalKey::before_rotation(), LocalKey::current());
    let before = signed(std::slice::from_ref(&alert), &old).await.remove(0);
    let after = signed(std::slice::from_ref(&alert), &new).await.remove(0);
    let rotated = new.clone().rotated_from(&old);
    let listed = rotated.published_keys();
    assert_eq!(listed.len(), 2, "the current key, then the previous");
    assert_eq!(listed[0].kid, "test-key-2");
    assert_eq!(listed[1].kid, "test-key-1");
    let verdicts = verify(&[before.clone(), after], &listed);
    assert!(verdicts.iter().all(Verdict::verified), "{verdicts:?}");
    // Once the previous key is no longer listed, what it signed no longer verifies.
    assert!(verify(&[before], &new.published_keys())[0].refused_by_both());
}

#[tokio::test]
async fn a_message_is_signed_once_and_rendered_again_byte_for_byte() {
    let alert = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({}))).remove(0);
    let key = LocalKey::current();
    let signing = key.signing();
    let before = key.signatures();
    let unsigned = render(&alert, &sender(), PAGE_BASE);
    let first = signing.sign(&unsigned).await.unwrap();
    let again = signing
        .sign(&render(&alert, &sender(), PAGE_BASE))
        .await
        .unwrap();
    assert_eq!(first, again);
    assert_eq!(
        key.signatures() - before,
        1,
        "the second from what was kept"
    );
    // Another process signs it again, to the same bytes: PKCS #1 v1.5 is deterministic.
    let elsewhere = key.signing().sign(&unsigned).await.unwrap();
    assert_eq!(first, elsewhere);
}

/// The README's "Verifying a message", run as a partner runs it (the keys already
/// fetched): it accepts a message of ours and refuses each forgery.
#[tokio::test]
async fn the_readme_s_verification_accepts_ours_and_refuses_forgeries() {
    let readme = std::fs::read_to_string(tifli_local::repo_root().join("README.md")).unwrap();
    let section = &readme[readme.find("### Verifying a message").expect("the section")..];
    let start = section.find("```sh\n").expect("its commands") + "```sh\n".len();
    let commands = &section[start..start + section[start..].find("```").expect("the end")];
    assert!(commands.contains("xmlsec1 --verify"), "{commands}");
    // The keys as `curl` would have written them.
    let offline: String = commands
        .lines()
        .filter(|line| !line.starts_with("curl "))
        .map(|line| format!("{line}\n"))
        .collect();
    let key = LocalKey::current();
    let alert = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({}))).remove(0);
    let ours = signed(std::slice::from_ref(&alert), &key).await.remove(0);
    let forged = signed(std::slice::from_ref(&alert), &LocalKey::other())
        .await
        .remove(0);
    let circle = ours.find("<circle>").unwrap() + "<circle>".len() + 1;
    let mut comment = ours.clone();
    comment.insert_str(circle, "<!---->");
    let cases = [
        ("ours", ours.clone(), true),
        ("a word changed", ours.replacen("Amina", "Amine", 1), false),
        ("another key", forged.clone(), false),
        (
            "another key, carried",
            forged.replacen(
                "<KeyInfo>",
                &format!("<KeyInfo>{}", LocalKey::other().key_value()),
                1,
            ),
            false,
        ),
        ("a comment splitting a value", comment, false),
    ];
    for (name, message, accepted) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("message.xml"), &message).unwrap();
        let keys = json!({ "keys": key.published_keys() });
        std::fs::write(dir.path().join("keys.json"), keys.to_string()).unwrap();
        let run = std::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", &offline])
            .current_dir(dir.path())
            .output()
            .expect("bash runs");
        assert_eq!(
            run.status.success(),
            accepted,
            "{name}: {}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

#[test]
fn the_validator_refuses_an_invalid_message() {
    let alert = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({}))).remove(0);
    let xml = render(&alert, &sender(), PAGE_BASE)
        .as_str()
        .replace("<scope>Public</scope>", "<scope>Everyone</scope>");
    let (ok, verdict) = validate_cap(&[xml]);
    assert!(!ok, "{verdict}");
    assert!(verdict.ends_with("0 valid, 1 invalid\n"), "{verdict}");
}
