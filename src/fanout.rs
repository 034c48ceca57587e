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
use crate::domain::public::PublicAlert;
use crate::domain::texts::texts;
use crate::domain::{Language, Report};

/// The texts of one language, as the JSON envelope carries them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnvelopeTexts {
    pub short: String,
    pub long: String,
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

/// One publication: the per-protocol bodies and the attributes subscribers filter on.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertMessage {
    pub envelope: Envelope,
    /// ISO 3166-2:MA codes of the alert's regions.
    pub regions: Vec<String>,
    /// Geohash cells covering the alert's circle.
    pub cells: Vec<String>,
    /// The SMS body: the short text of the alert's first language.
    pub sms: String,
    /// The e-mail body: the long text in every language.
    pub email: String,
}

impl AlertMessage {
    pub fn new(alert: &PublicAlert, sender: &Sender) -> AlertMessage {
        let all: Vec<(Language, crate::domain::texts::Texts)> = alert
            .languages
            .iter()
            .map(|l| (*l, texts(alert, *l)))
            .collect();
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
            cap: cap::render_with(alert, sender, &all),
            texts: all
                .iter()
                .map(|(l, t)| {
                    (
                        *l,
                        EnvelopeTexts {
                            short: t.short.clone(),
                            long: t.long.clone(),
                        },
                    )
                })
                .collect(),
        };
        AlertMessage {
            regions: alert.regions.iter().map(|r| r.code().to_owned()).collect(),
            cells: cells::cover(alert.area.lat, alert.area.lon, alert.area.radius_km),
            sms: all
                .first()
                .map(|(_, t)| t.short.clone())
                .unwrap_or_default(),
            email: all
                .iter()
                .map(|(_, t)| t.long.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
            envelope,
        }
    }

    /// The body of a `MessageStructure=json` Publish: one message per protocol.
    pub fn per_protocol(&self) -> String {
        // Each body is a JSON string holding JSON or XML, most of it the CAP message:
        // escaped once and written out for every protocol that takes it, rather than
        // escaped again for each.
        let quoted = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let envelope = quoted(&serde_json::to_string(&self.envelope).unwrap_or_default());
        let cap = quoted(&self.envelope.cap);
        let (email, sms) = (quoted(&self.email), quoted(&self.sms));
        format!(
            r#"{{"default":{envelope},"sqs":{envelope},"lambda":{envelope},"http":{cap},"https":{cap},"email":{email},"sms":{sms}}}"#
        )
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
    Alert(AlertMessage),
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
            Message::Case(e) => format!("{}-{}-{}", e.event.as_str(), e.report_id, e.version),
        }
    }
}

/// The messages a change of a report publishes, in order.
pub fn messages_for(old: Option<&Report>, new: &Report, sender: &Sender) -> Vec<Message> {
    let alert = message_for(old, new, sender).map(Message::Alert);
    let case = CaseEvent::of_change(old, new).map(Message::Case);
    alert.into_iter().chain(case).collect()
}

/// The message a change of a report publishes: one when the new image is a later
/// version that made a public change, none otherwise (filing, rejection, replays of
/// nothing, deletions by TTL).
pub fn message_for(old: Option<&Report>, new: &Report, sender: &Sender) -> Option<AlertMessage> {
    let newer = old.is_none_or(|old| new.version() > old.version());
    if !newer || new.publication().is_none() {
        return None;
    }
    PublicAlert::of(new).map(|alert| AlertMessage::new(&alert, sender))
}

#[derive(Debug, thiserror::Error)]
#[error("publish failed: {0}")]
pub struct PublishError(pub String);

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

    fn sender() -> Sender {
        Sender::new("tifli@police.example").unwrap()
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
        assert_eq!(message.regions, ["MA-11"]);
        assert!(!message.cells.is_empty());
        let bodies: Value = serde_json::from_str(&message.per_protocol()).unwrap();
        assert_eq!(bodies["http"], message.envelope.cap);
        assert_eq!(bodies["https"], message.envelope.cap);
        assert_eq!(bodies["sms"], message.sms);
        assert_eq!(bodies["email"], message.email);
        assert_eq!(bodies["default"], bodies["sqs"]);
        assert_eq!(bodies["lambda"], bodies["sqs"]);
        assert_eq!(bodies.as_object().unwrap().len(), 7);
        let envelope: Value = serde_json::from_str(bodies["sqs"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["identifier"], message.envelope.identifier);
        assert_eq!(envelope["alert_id"], kinds[0].id.to_string());
        assert_eq!(envelope["texts"].as_object().unwrap().len(), 4);
        assert!(envelope["texts"]["zgh"]["short"].is_string());
        let json = message.per_protocol();
        for internal in INTERNAL {
            assert!(!json.contains(internal), "{internal} leaked");
        }
    }
}
