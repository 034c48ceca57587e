//! Fan-out: a committed public change of an alert becomes one message, published once
//! to the alerts topic (or, for a drill, the exercises topic only), whose subscriptions'
//! filter policies do the targeting; a change staff must hear of becomes one message on
//! the case-events topic.

use std::collections::BTreeMap;
use std::future::Future;

use serde::Serialize;

use crate::domain::cap::{self, Sender};
use crate::domain::case_events::CaseEvent;
use crate::domain::cells;
use crate::domain::lifecycle::CapMsgType;
use crate::domain::public::{PublicAlert, page_url};
use crate::domain::texts::texts;
use crate::domain::{Language, Report};

/// The texts of one language, as the JSON envelope carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvelopeTexts {
    pub short: String,
    pub long: String,
    /// The alert's page in this language.
    pub page: String,
}

/// The JSON envelope delivered to queues and functions (`default`, `sqs`, `lambda`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Envelope {
    pub identifier: String,
    pub msg_type: &'static str,
    pub status: &'static str,
    pub alert_id: String,
    pub version: u32,
    pub cap: String,
    pub texts: BTreeMap<Language, EnvelopeTexts>,
}

/// Who publishes, and where the public reads an alert: the same for every message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    pub sender: Sender,
    /// The public site's base URL, without a trailing slash: an alert's page is
    /// `<base>/a/<id>`.
    pub page_base: String,
}

impl Issuer {
    pub fn new(sender: Sender, page_base: &str) -> Issuer {
        Issuer {
            sender,
            page_base: page_base.trim_end_matches('/').to_owned(),
        }
    }

    pub fn page_url(&self, alert_id: &str) -> String {
        format!("{}/a/{alert_id}", self.page_base)
    }
}

/// The regions an alert's messages go to: all it has covered (an alert stored before
/// reach was kept has only its regions now).
fn reach_regions(alert: &PublicAlert) -> Vec<String> {
    let mut regions: std::collections::BTreeSet<_> = alert.reach.regions.clone();
    regions.extend(alert.regions.iter().copied());
    regions.into_iter().map(|r| r.code().to_owned()).collect()
}

fn reach_cells(alert: &PublicAlert) -> Vec<String> {
    let now = cells::cover(alert.area.lat, alert.area.lon, alert.area.radius_km);
    let all = alert.reach.cells.iter().cloned().chain(now).collect();
    cells::coarsen(all, cells::MAX_CELLS).into_iter().collect()
}

/// A mobile push notification: the headline and the short text of the alert's first
/// language, and its page; a few hundred bytes where APNs and FCM take 4 KiB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub title: String,
    pub body: String,
    pub url: String,
}

/// One publication: the per-protocol bodies and the attributes subscribers filter on.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertMessage {
    pub envelope: Envelope,
    /// ISO 3166-2:MA codes of every region the alert has covered since its activation.
    pub regions: Vec<String>,
    /// Geohash cells covering every circle the alert has had since its activation.
    pub cells: Vec<String>,
    /// The SMS body: the short text of the alert's first language.
    pub sms: String,
    /// The e-mail body: the long text in every language.
    pub email: String,
    /// The mobile push notification (`APNS`, `APNS_SANDBOX`, `GCM`).
    pub push: Push,
    /// The CAP message before its signature; the envelope carries it signed once
    /// [`AlertMessage::signed`] is given the signed one.
    pub unsigned: cap::Unsigned,
}

impl AlertMessage {
    pub fn new(alert: &PublicAlert, issuer: &Issuer) -> AlertMessage {
        let sender = &issuer.sender;
        let all: Vec<(Language, crate::domain::texts::Texts)> = alert
            .languages
            .iter()
            .map(|l| (*l, texts(alert, *l)))
            .collect();
        let unsigned = cap::render_with(alert, sender, &issuer.page_base, &all);
        let envelope = Envelope {
            identifier: cap::identifier(&alert.id.to_string(), alert.version),
            msg_type: match alert.msg_type {
                CapMsgType::Alert => "Alert",
                CapMsgType::Update => "Update",
                CapMsgType::Cancel => "Cancel",
            },
            status: if alert.exercise { "Exercise" } else { "Actual" },
            alert_id: alert.id.to_string(),
            version: alert.version,
            cap: unsigned.as_str().to_owned(),
            texts: all
                .iter()
                .map(|(l, t)| {
                    (
                        *l,
                        EnvelopeTexts {
                            short: t.short.clone(),
                            long: t.long.clone(),
                            page: page_url(&issuer.page_base, alert.id, *l),
                        },
                    )
                })
                .collect(),
        };
        let first = all.first().map(|(_, t)| t);
        let push = Push {
            title: first.map(|t| t.headline.clone()).unwrap_or_default(),
            body: first.map(|t| t.short.clone()).unwrap_or_default(),
            url: issuer.page_url(&envelope.alert_id),
        };
        AlertMessage {
            push,
            regions: reach_regions(alert),
            cells: reach_cells(alert),
            sms: all
                .first()
                .map(|(_, t)| t.short.clone())
                .unwrap_or_default(),
            // Each language's long text, then its page: what a message cannot say, and
            // later that the alert ended.
            email: all
                .iter()
                .map(|(l, t)| format!("{}\n{}", t.long, page_url(&issuer.page_base, alert.id, *l)))
                .collect::<Vec<_>>()
                .join("\n\n"),
            envelope,
            unsigned,
        }
    }

    /// The message with its CAP signed: what the fan-out publishes, never the unsigned.
    pub fn signed(mut self, cap: String) -> AlertMessage {
        self.envelope.cap = cap;
        self
    }

    /// The body of a `MessageStructure=json` Publish: each protocol gets the smallest
    /// body that serves it. Queues, functions and every protocol not named (Firehose)
    /// take `default`, the envelope: naming `sqs` and `lambda` too would only repeat it
    /// and, with the CAP message inside, spend SNS's 256 KiB three times over.
    pub fn per_protocol(&self) -> String {
        // Each body is a JSON string holding JSON or XML, most of it the CAP message:
        // escaped once and written out for every protocol that takes it, rather than
        // escaped again for each.
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let envelope = quoted(&serde_json::to_string(&self.envelope).unwrap_or_default());
        let cap = quoted(&self.envelope.cap);
        let (email, sms) = (quoted(&self.email), quoted(&self.sms));
        let (apns, gcm) = (quoted(&self.apns()), quoted(&self.gcm()));
        format!(
            r#"{{"default":{envelope},"http":{cap},"https":{cap},"email":{email},"sms":{sms},"APNS":{apns},"APNS_SANDBOX":{apns},"GCM":{gcm}}}"#
        )
    }

    /// The APNs payload: a time-sensitive alert, and what the app needs to open it.
    pub fn apns(&self) -> String {
        serde_json::json!({
            "aps": {
                "alert": { "title": self.push.title, "body": self.push.body },
                "sound": "default",
                "interruption-level": "time-sensitive",
            },
            "identifier": self.envelope.identifier,
            "alert_id": self.envelope.alert_id,
            "msg_type": self.envelope.msg_type,
            "status": self.envelope.status,
            "url": self.push.url,
        })
        .to_string()
    }

    /// The FCM HTTP v1 payload, as SNS's `GCM` key takes it (`fcmV1Message`).
    pub fn gcm(&self) -> String {
        serde_json::json!({
            "fcmV1Message": {
                "message": {
                    "notification": { "title": self.push.title, "body": self.push.body },
                    "data": {
                        "identifier": self.envelope.identifier,
                        "alert_id": self.envelope.alert_id,
                        "msg_type": self.envelope.msg_type,
                        "status": self.envelope.status,
                        "url": self.push.url,
                    },
                    "android": { "priority": "high" },
                }
            }
        })
        .to_string()
    }

    /// What SNS counts against its 256 KiB: the message and every attribute's name,
    /// type and value.
    pub fn size(&self) -> usize {
        let array = |values: &[String]| serde_json::to_string(values).unwrap_or_default().len();
        let envelope = &self.envelope;
        self.per_protocol().len()
            + "msg_type".len()
            + "String".len()
            + envelope.msg_type.len()
            + "status".len()
            + "String".len()
            + envelope.status.len()
            + "alert_id".len()
            + "String".len()
            + envelope.alert_id.len()
            + "regions".len()
            + "String.Array".len()
            + array(&self.regions)
            + "cells".len()
            + "String.Array".len()
            + array(&self.cells)
    }
}

/// Where a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// Real alerts, for the public and partners.
    Alerts,
    /// Drills only: a subscriber of `alerts` never receives one.
    Exercises,
    /// Staff only, never public.
    CaseEvents,
}

/// The topics' ARNs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topics {
    pub alerts: String,
    pub exercises: String,
    pub case_events: String,
}

impl Topics {
    pub fn arn(&self, topic: Topic) -> &str {
        match topic {
            Topic::Alerts => &self.alerts,
            Topic::Exercises => &self.exercises,
            Topic::CaseEvents => &self.case_events,
        }
    }
}

/// One message to publish.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    Alert(Box<AlertMessage>),
    Case(CaseEvent),
}

impl Message {
    pub fn topic(&self) -> Topic {
        match self {
            Message::Alert(m) if m.envelope.status == "Exercise" => Topic::Exercises,
            Message::Alert(_) => Topic::Alerts,
            Message::Case(_) => Topic::CaseEvents,
        }
    }

    /// What names the message in logs and tests: the CAP identifier, or the event and
    /// the report's version.
    pub fn identifier(&self) -> String {
        match self {
            Message::Alert(m) => m.envelope.identifier.clone(),
            Message::Case(e) => match e.sighting {
                Some(sighting) => format!("sighting-{}-{sighting}", e.report_id),
                None => format!("{}-{}-{}", e.event.as_str(), e.report_id, e.version),
            },
        }
    }
}

/// The messages a change of a report publishes, in order.
pub fn messages_for(old: Option<&Report>, new: &Report, issuer: &Issuer) -> Vec<Message> {
    let alert = message_for(old, new, issuer).map(|m| Message::Alert(Box::new(m)));
    let case = CaseEvent::of_change(old, new).map(Message::Case);
    alert.into_iter().chain(case).collect()
}

/// The message a change of a report publishes: one when the new image is a later
/// version that made a public change, none otherwise (filing, rejection, replays of
/// nothing, deletions by TTL).
pub fn message_for(old: Option<&Report>, new: &Report, issuer: &Issuer) -> Option<AlertMessage> {
    let newer = old.is_none_or(|old| new.version() > old.version());
    if !newer || new.publication().is_none() {
        return None;
    }
    PublicAlert::of(new).map(|alert| AlertMessage::new(&alert, issuer))
}

#[derive(Debug, thiserror::Error)]
#[error("publish failed: {reason}")]
pub struct PublishError {
    pub reason: String,
    /// SNS refused the message itself: sent again, it would be refused again.
    pub rejected: bool,
}

impl PublishError {
    /// A failure that can pass (unreachable, throttled, a key unavailable): retried.
    pub fn retry(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            rejected: false,
        }
    }

    /// The message itself refused, named by the error's code only (its text may quote
    /// the message).
    pub fn rejected(code: impl Into<String>) -> Self {
        Self {
            reason: code.into(),
            rejected: true,
        }
    }
}

/// A stream record the fan-out can never publish as it stands, set aside for a person:
/// the report and version it holds, never its data.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SetAside {
    /// The report's id as the record holds it ("unknown" when it holds none).
    pub report_id: String,
    pub version: Option<u32>,
    /// The record's sequence number in the table's stream.
    pub sequence: String,
    /// Why, without the record's content: "undecodable", or SNS's error code.
    pub reason: String,
}

/// Where set-aside records go: the failure queue, which `tifli-replay` empties once the
/// cause is fixed.
pub trait FailureQueue: Send + Sync + 'static {
    fn set_aside(
        &self,
        failure: &SetAside,
    ) -> impl Future<Output = Result<(), PublishError>> + Send;
}

/// Publishes messages; one call is one SNS Publish to the message's topic, whatever the
/// subscribers.
pub trait Publisher: Send + Sync + 'static {
    fn publish(&self, message: &Message) -> impl Future<Output = Result<(), PublishError>> + Send;
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::domain::samples::{INTERNAL, alert_with, all_kinds};

    fn sender() -> Issuer {
        Issuer::new(
            Sender::new("tifli@police.example").unwrap(),
            "https://tifli.example/",
        )
    }

    #[test]
    fn only_public_changes_publish() {
        let approved = alert_with("Amina", "Rabat", "Red coat", json!({}));
        // Approval: the new image is a later version with a publication.
        assert!(message_for(None, &approved, &sender()).is_some());
        // The same image again (a replay of the record) publishes the same message.
        let once = message_for(None, &approved, &sender()).unwrap();
        let again = message_for(None, &approved, &sender()).unwrap();
        assert_eq!(once, again);
        // An image that is not newer publishes nothing.
        assert!(message_for(Some(&approved), &approved, &sender()).is_none());
    }

    #[test]
    fn the_envelope_and_the_protocols() {
        let kinds = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({})));
        let message = AlertMessage::new(&kinds[0], &sender());
        assert_eq!(message.envelope.msg_type, "Alert");
        assert_eq!(message.regions, ["MA-04"]);
        assert!(!message.cells.is_empty());
        let bodies: Value = serde_json::from_str(&message.per_protocol()).unwrap();
        assert_eq!(bodies["http"], message.envelope.cap);
        assert_eq!(bodies["https"], message.envelope.cap);
        assert_eq!(bodies["sms"], message.sms);
        assert_eq!(bodies["email"], message.email);
        assert_eq!(bodies["APNS"], bodies["APNS_SANDBOX"]);
        assert_eq!(bodies.as_object().unwrap().len(), 8);
        let envelope: Value = serde_json::from_str(bodies["default"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["identifier"], message.envelope.identifier);
        assert_eq!(envelope["alert_id"], kinds[0].id.to_string());
        assert_eq!(envelope["texts"].as_object().unwrap().len(), 4);
        assert!(envelope["texts"]["zgh"]["short"].is_string());
        // Every long text leads to the alert's page in its language.
        let id = kinds[0].id;
        for code in ["ar", "fr", "zgh", "en"] {
            let page = format!("{}/a/{id}?lang={code}", sender().page_base);
            assert_eq!(envelope["texts"][code]["page"], page.as_str());
            assert!(message.email.contains(&page), "{code}: {}", message.email);
        }
        assert!(message.envelope.cap.contains("<web>"));
        let json = message.per_protocol();
        for internal in INTERNAL {
            assert!(!json.contains(internal), "{internal} leaked");
        }
    }

    /// SNS takes 256 KiB per Publish, attributes included; APNs and FCM take 4 KiB.
    const SNS_MAX_BYTES: usize = 256 * 1024;
    const PUSH_MAX_BYTES: usize = 4 * 1024;
    /// What README promises of push bodies: under 1 KiB.
    const PUSH_PROMISED_BYTES: usize = 1024;

    /// The largest alert the domain allows, at its last Update and at its Cancel, with
    /// the longest sender, still fits one Publish; and nothing can make it larger.
    #[test]
    fn the_largest_alert_fits_one_publish() {
        use crate::domain::actions::{ReasonBody, UpdateBody};
        use crate::domain::limits::MAX_PUBLIC_MESSAGES;
        use crate::domain::samples::{NOW, largest_alert};
        use crate::domain::{ActionError, OfficerId};

        let issuer = Issuer::new(
            Sender::new(&"s".repeat(Sender::MAX_CHARS)).unwrap(),
            "https://tifli.police.ma",
        );
        let report = largest_alert();
        let s = OfficerId::new("supervisor-7").unwrap();
        let update = UpdateBody {
            message: Some("more".into()),
            ..Default::default()
        };
        assert!(matches!(
            report.update(&s, update, NOW),
            Err(ActionError::MessageLimit)
        ));
        let later = NOW + time::Duration::hours(6);
        assert_eq!(report.widen(&s, later), Ok(None), "widening gives way");
        let reason = ReasonBody {
            reason: Some("\"".repeat(1000)),
        };
        let cancelled = report.cancel(&s, reason, later).unwrap().report;
        assert_eq!(cancelled.publications().len(), MAX_PUBLIC_MESSAGES);
        // Signed by the largest key KMS holds, under the longest name.
        use crate::domain::cap::Signature;
        use crate::domain::cap::signature::{MAX_KID_CHARS, MAX_SIGNATURE_BYTES};
        let signature = Signature {
            kid: "k".repeat(MAX_KID_CHARS),
            value: vec![0xff; MAX_SIGNATURE_BYTES],
        };
        for report in [&report, &cancelled] {
            let alert = PublicAlert::of(report).unwrap();
            let message = AlertMessage::new(&alert, &issuer);
            let message = message.clone().signed(message.unsigned.signed(&signature));
            let size = message.size();
            eprintln!(
                "{:?} at version {}: {size} bytes; APNS {} bytes, GCM {} bytes",
                alert.msg_type,
                alert.version,
                message.apns().len(),
                message.gcm().len()
            );
            assert!(size < SNS_MAX_BYTES, "{size}");
            assert!(message.apns().len() < PUSH_PROMISED_BYTES.min(PUSH_MAX_BYTES));
            assert!(message.gcm().len() < PUSH_PROMISED_BYTES.min(PUSH_MAX_BYTES));
        }
    }

    #[test]
    fn push_notifications_carry_the_short_text_and_the_page() {
        let kinds = all_kinds(&alert_with("Amina", "Rabat", "Red coat", json!({})));
        for alert in &kinds {
            let message = AlertMessage::new(alert, &sender());
            let page = format!("https://tifli.example/a/{}", alert.id);
            let apns: Value = serde_json::from_str(&message.apns()).unwrap();
            assert_eq!(apns["aps"]["alert"]["body"], message.sms);
            assert_eq!(apns["url"], page);
            assert_eq!(apns["identifier"], message.envelope.identifier);
            let gcm: Value = serde_json::from_str(&message.gcm()).unwrap();
            let fcm = &gcm["fcmV1Message"]["message"];
            assert_eq!(fcm["notification"]["body"], message.sms);
            assert_eq!(fcm["data"]["url"], page);
            let bodies: Value = serde_json::from_str(&message.per_protocol()).unwrap();
            assert_eq!(bodies["APNS"], message.apns());
            assert_eq!(bodies["GCM"], message.gcm());
            for internal in INTERNAL {
                assert!(!message.apns().contains(internal));
            }
        }
    }
}
