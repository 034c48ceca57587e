//! The fan-out function's handler: a batch of DynamoDB Stream records in, one Publish
//! per public change or case event out, and the records to retry reported back to
//! Lambda. A failure that can pass is retried, from its record, until it passes (or the
//! record leaves the stream, 24 hours on); a record that can never be published is set
//! aside on the failure queue, so it never blocks the alerts behind it.

use aws_lambda_events::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::domain::case_events::SightingNotice;
use crate::domain::{Report, ReportId};
use crate::fanout::{
    FailureQueue, Issuer, Message, PublishError, Publisher, SetAside, message_for, messages_for,
};
use crate::ports::{PublicationLedger, Standing};
use crate::signing::Signing;

fn kind(image: &serde_dynamo::Item) -> Option<&str> {
    match image.get("kind") {
        Some(serde_dynamo::AttributeValue::S(kind)) => Some(kind),
        _ => None,
    }
}

/// The report of a stream image; `None` for no image or another kind of item (the
/// event source's filter lets only reports, ledger entries and new sightings through,
/// this holds without it too).
fn report(image: &serde_dynamo::Item) -> Result<Option<Report>, serde_dynamo::Error> {
    match kind(image) {
        Some("report") => serde_dynamo::from_item(image.clone()).map(Some),
        _ => Ok(None),
    }
}

/// What the fan-out reads of a publication ledger entry.
#[derive(serde::Deserialize)]
struct LedgerEntry {
    #[serde(default)]
    snapshot: Option<Report>,
    #[serde(default)]
    nudges: u32,
}

/// The report version a ledger entry's change asks to publish again: the scheduled run
/// nudged an entry that SNS has not accepted.
fn nudged(
    old: &serde_dynamo::Item,
    new: &serde_dynamo::Item,
) -> Result<Option<Report>, serde_dynamo::Error> {
    if kind(new) != Some("publication") {
        return Ok(None);
    }
    let new: LedgerEntry = serde_dynamo::from_item(new.clone())?;
    let before = match kind(old) {
        Some("publication") => serde_dynamo::from_item::<_, LedgerEntry>(old.clone())?.nudges,
        _ => 0,
    };
    Ok(new.snapshot.filter(|_| new.nudges > before))
}

/// The report id and version of a record, read without decoding the rest: what names
/// it in logs and on the failure queue.
fn named(record: &EventRecord) -> (String, Option<u32>) {
    let image = &record.change.new_image;
    let id = match image.get("report_id").or_else(|| image.get("id")) {
        Some(serde_dynamo::AttributeValue::S(id)) => id.clone(),
        _ => "unknown".to_owned(),
    };
    // A sighting carries its report's version for the case event, but is no version of
    // the report: setting it aside must leave that version's ledger entry alone.
    let version = match (kind(image), image.get("version")) {
        (Some("sighting"), _) => None,
        (_, Some(serde_dynamo::AttributeValue::N(n))) => n.parse().ok(),
        _ => None,
    };
    (id, version)
}

fn failed(sequence: String) -> DynamoDbEventResponse {
    let mut failure = DynamoDbBatchItemFailure::default();
    failure.item_identifier = Some(sequence);
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures.push(failure);
    response
}

/// A public version a record publishes: what enters the ledger once SNS accepts it.
struct Public {
    id: ReportId,
    version: u32,
    /// When it was committed: the clock of commit-to-publish.
    committed: Option<time::OffsetDateTime>,
}

impl Public {
    fn of(report: &Report) -> Public {
        Public {
            id: report.id(),
            version: report.version(),
            committed: report.publication().map(|p| p.sent),
        }
    }
}

/// The messages of one record, and the public version they put in the ledger.
type Change = (Vec<Message>, Option<Public>);

fn change(record: &EventRecord, issuer: &Issuer) -> Result<Option<Change>, serde_dynamo::Error> {
    let (old, new) = (&record.change.old_image, &record.change.new_image);
    // A sighting is written once: its arrival tells the case's officers, without what
    // the witness wrote.
    if kind(new) == Some("sighting") && old.is_empty() {
        let notice: SightingNotice = serde_dynamo::from_item(new.clone())?;
        return Ok(Some((vec![Message::Case(notice.event())], None)));
    }
    if let Some(snapshot) = nudged(old, new)? {
        let messages: Vec<Message> = message_for(None, &snapshot, issuer)
            .map(|m| Message::Alert(Box::new(m)))
            .into_iter()
            .collect();
        return Ok(Some((messages, Some(Public::of(&snapshot)))));
    }
    let Some(new) = report(new)? else {
        return Ok(None);
    };
    let old = report(old)?;
    let messages = messages_for(old.as_ref(), &new, issuer);
    let public = messages
        .iter()
        .any(|m| matches!(m, Message::Alert(_)))
        .then(|| Public::of(&new));
    Ok(Some((messages, public)))
}

/// What one invocation did, for its metric line.
#[derive(Default)]
struct Tally {
    alerts: usize,
    case_events: usize,
    /// Publishes or ledger writes that failed and are retried.
    failures: usize,
    set_aside: usize,
    /// Milliseconds from each public version's commit to SNS accepting it.
    commit_to_publish: Vec<f64>,
}

impl Tally {
    fn emit(&self) {
        use crate::metrics::{Line, Unit};
        Line::new("fanout")
            .count("Published", self.alerts)
            .count("CaseEventsPublished", self.case_events)
            .count("PublishFailures", self.failures)
            .count("SetAside", self.set_aside)
            .values(
                "CommitToPublish",
                Unit::Milliseconds,
                &self.commit_to_publish,
            )
            .emit();
    }
}

/// Where the fan-out sends what it reads: SNS, the publication ledger, the failure
/// queue; and who signs the messages.
pub struct Outlets<P, L, Q> {
    pub publisher: P,
    pub ledger: L,
    pub failures: Q,
    pub issuer: Issuer,
    pub signing: Signing,
}

/// What became of one record.
enum Outcome {
    Done,
    /// Retried from this record: a failure that can pass.
    Retry,
    /// Never publishable as it stands.
    SetAside(String),
}

impl<P: Publisher, L: PublicationLedger, Q: FailureQueue> Outlets<P, L, Q> {
    /// Publishes each record's change in order, and records in the ledger each public
    /// version SNS accepted. On the first record that fails and can pass, stops and
    /// reports it: Lambda retries from it, so messages of one alert never overtake one
    /// another. A record that can never pass goes to the failure queue, its ledger entry
    /// off the reconciler's index until a replay, and the batch goes on.
    pub async fn handle(&self, event: Event) -> DynamoDbEventResponse {
        let mut tally = Tally::default();
        let response = self.handle_counted(event, &mut tally).await;
        tally.emit();
        response
    }

    async fn handle_counted(&self, event: Event, tally: &mut Tally) -> DynamoDbEventResponse {
        for record in event.records {
            let sequence = record.change.sequence_number.clone().unwrap_or_default();
            let reason = match self.publish(&record, &sequence, tally).await {
                Outcome::Done => continue,
                Outcome::Retry => {
                    tally.failures += 1;
                    return failed(sequence);
                }
                Outcome::SetAside(reason) => reason,
            };
            let (report_id, version) = named(&record);
            let failure = SetAside {
                report_id,
                version,
                sequence: sequence.clone(),
                reason,
            };
            if let Err(e) = self.failures.set_aside(&failure).await {
                tracing::warn!(report_id = %failure.report_id, sequence, error = %e, "failure queue unreachable");
                tally.failures += 1;
                return failed(sequence);
            }
            tally.set_aside += 1;
            tracing::error!(
                report_id = %failure.report_id,
                version = failure.version,
                sequence,
                reason = failure.reason,
                "record set aside on the failure queue"
            );
            let in_ledger = ReportId::parse(&failure.report_id).zip(failure.version);
            if let Some((id, version)) = in_ledger
                && let Err(e) = self.ledger.set_aside(id, version).await
            {
                // Retried, the record goes to the queue again: a replay is idempotent.
                tracing::warn!(report_id = %id, version, sequence, error = %e, "ledger not written");
                return failed(sequence);
            }
        }
        DynamoDbEventResponse::default()
    }

    async fn publish(&self, record: &EventRecord, sequence: &str, tally: &mut Tally) -> Outcome {
        let (messages, public) = match change(record, &self.issuer) {
            Ok(Some(change)) => change,
            Ok(None) => {
                tracing::debug!(sequence, "record without a report to publish");
                return Outcome::Done;
            }
            // Never the error's text: it may quote the image, which holds the child's data.
            Err(_) => return Outcome::SetAside("undecodable".to_owned()),
        };
        if messages.is_empty() {
            tracing::debug!(report_id = %named(record).0, sequence, "no public change");
        }
        for message in messages {
            let public = public
                .as_ref()
                .filter(|_| matches!(message, Message::Alert(_)));
            // Never again what SNS accepted, nor an older version once a later one went
            // out: the stream replays records, and the scheduled run nudges a version
            // again each few minutes while SNS is down.
            if let Some(p) = public {
                match self.ledger.standing(p.id, p.version).await {
                    Ok(Standing::ToSend) => {}
                    Ok(Standing::Published) => {
                        tracing::debug!(report_id = %p.id, version = p.version, "already published");
                        continue;
                    }
                    Ok(Standing::Superseded) => {
                        if let Err(e) = self.ledger.superseded(p.id, p.version).await {
                            tracing::warn!(report_id = %p.id, version = p.version, error = %e, "ledger not written");
                            return Outcome::Retry;
                        }
                        tracing::info!(report_id = %p.id, version = p.version, "superseded by a version published since: not sent");
                        continue;
                    }
                    Err(e) => {
                        tracing::warn!(report_id = %p.id, version = p.version, error = %e, "ledger unreadable");
                        return Outcome::Retry;
                    }
                }
            }
            // Signed only once it is to be sent: a replay of what went out costs no
            // signature, and a message goes out signed or not at all.
            let message = match message {
                Message::Alert(m) => match self.signing.sign(&m.unsigned).await {
                    Ok(cap) => Message::Alert(Box::new(m.signed(cap))),
                    Err(e) => {
                        tracing::warn!(identifier = %m.envelope.identifier, sequence, error = %e, "signing failed");
                        return Outcome::Retry;
                    }
                },
                case => case,
            };
            let message = &message;
            match self.publisher.publish(message).await {
                Ok(()) => match message {
                    Message::Alert(m) => {
                        tally.alerts += 1;
                        tracing::info!(
                            alert_id = %m.envelope.alert_id,
                            identifier = %m.envelope.identifier,
                            msg_type = m.envelope.msg_type,
                            status = m.envelope.status,
                            "alert published"
                        );
                        if let Some(p) = public {
                            self.accepted(p, tally).await;
                        }
                    }
                    Message::Case(e) => {
                        tally.case_events += 1;
                        tracing::info!(
                            report_id = %e.report_id,
                            event = e.event.as_str(),
                            "case event published"
                        )
                    }
                },
                Err(PublishError {
                    reason,
                    rejected: true,
                }) => return Outcome::SetAside(format!("refused by SNS: {reason}")),
                Err(e) => {
                    tracing::warn!(identifier = %message.identifier(), sequence, error = %e, "publish failed");
                    return Outcome::Retry;
                }
            }
        }
        Outcome::Done
    }

    /// Records in the ledger that SNS accepted `public`, at once (before the record's
    /// other messages), so that a retry of the record does not send it again.
    async fn accepted(&self, public: &Public, tally: &mut Tally) {
        let now = time::OffsetDateTime::now_utc();
        if let Some(committed) = public.committed {
            let waited = (now - committed).as_seconds_f64() * 1000.0;
            tally.commit_to_publish.push(waited.max(0.0));
        }
        if let Err(e) = self.ledger.published(public.id, public.version, now).await {
            // Not retried: SNS has it. Unmarked, the scheduled run sends it again within
            // minutes (a copy, with the same identifier) and marks it then.
            tally.failures += 1;
            tracing::warn!(report_id = %public.id, version = public.version, error = %e, "ledger not written");
        }
    }
}
