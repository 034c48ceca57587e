//! CAP signatures with the emulator's KMS: a rotation (a new key signs, the old one is
//! still listed) keeps what was signed before it verifiable, as the public function
//! lists the keys.

use serde_json::json;
use tifli::domain::cap::render;
use tifli::kms::KmsKey;
use tifli::signing::Signing;
use tifli_testkit::samples::{alert_with, all_kinds};
use tifli_testkit::signing::verify;
use tifli_testkit::{PAGE_BASE, TestStack};

#[tokio::test]
async fn after_a_rotation_both_keys_are_listed_and_what_each_signed_verifies() {
    let stack = TestStack::start().await;
    let kms = aws_sdk_kms::Client::new(&stack.config);
    let old = stack.signing_key.clone();
    let new = tifli_local::aws::ensure_signing_key(&kms, "alias/tifli-cap-signing-next")
        .await
        .expect("a second key");
    let alerts = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({})));
    let sender = tifli_testkit::issuer().sender;
    let before = Signing::new(KmsKey::new(kms.clone(), old.clone(), None))
        .sign(&render(&alerts[0], &sender, PAGE_BASE))
        .await
        .expect("signed before the rotation");
    // After the rotation: the new key signs, the old one is published second.
    let rotated = Signing::new(KmsKey::new(kms, new.clone(), Some(old.clone())));
    let after = rotated
        .sign(&render(&alerts[1], &sender, PAGE_BASE))
        .await
        .expect("signed after");
    let keys = rotated.published().await.expect("the keys");
    let kid = |arn: &str| arn.rsplit('/').next().expect("an id").to_owned();
    let kids: Vec<String> = keys.iter().map(|k| k.kid.clone()).collect();
    assert_eq!(kids, [kid(&new), kid(&old)]);
    assert!(
        keys.iter()
            .all(|k| k.not_before <= time::OffsetDateTime::now_utc())
    );
    let verdicts = verify(&[before.clone(), after.clone()], &keys);
    assert!(verdicts.iter().all(|v| v.verified()), "{verdicts:?}");
    // Each message names its own key: without the previous key, the old message fails.
    assert!(verify(&[before], &keys[..1])[0].refused_by_both());
    assert!(verify(&[after], &keys[..1])[0].verified());
}

#[tokio::test]
async fn a_key_that_is_not_a_signing_key_is_refused_by_name() {
    let stack = TestStack::start().await;
    let kms = aws_sdk_kms::Client::new(&stack.config);
    let symmetric = kms
        .create_key()
        .description("not for signing")
        .send()
        .await
        .expect("a key")
        .key_metadata
        .expect("metadata")
        .arn
        .expect("an ARN");
    let signing = Signing::new(KmsKey::new(kms, symmetric.clone(), None));
    let error = signing.published().await.expect_err("refused");
    assert_eq!(
        error.to_string(),
        format!(
            "signing unavailable: {symmetric} is not an RSA key that signs with RSASSA_PKCS1_V1_5_SHA_256"
        )
    );
    let alert = &all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({})))[0];
    let unsigned = render(alert, &tifli_testkit::issuer().sender, PAGE_BASE);
    // KMS's own refusal, carried to the caller: a symmetric key does not sign.
    let refused = signing.sign(&unsigned).await.expect_err("no signature");
    assert!(
        refused
            .to_string()
            .contains("Member must point to a key with usage: 'SIGN_VERIFY'"),
        "{refused}"
    );
}

#[tokio::test]
async fn the_publisher_sends_only_a_signed_message() {
    use tifli::fanout::{AlertMessage, Message, Publisher};
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_queue("everything", None).await;
    let publisher = tifli::sns::SnsPublisher::new(fan_out.sns.clone(), fan_out.topics.clone());
    let alert = &all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({})))[0];
    let message = AlertMessage::new(alert, &tifli_testkit::issuer());
    let refused = publisher
        .publish(&Message::Alert(Box::new(message.clone())))
        .await
        .expect_err("unsigned");
    assert!(refused.rejected, "set aside, never retried as it is");
    assert_eq!(refused.reason, "the CAP message is not signed");
    let cap = stack
        .signing()
        .sign(&message.unsigned)
        .await
        .expect("signed");
    let signed = message.signed(cap.clone());
    publisher
        .publish(&Message::Alert(Box::new(signed)))
        .await
        .expect("sent");
    let received = fan_out.receive(&queue, 1).await;
    assert_eq!(received.len(), 1, "only the signed one");
    assert_eq!(received[0]["cap"], cap.as_str());
}
