//! The replay of the fan-out's failure queue, once what set its records aside is fixed
//! (a release that decodes them, a topic SNS accepts them on): each message puts its
//! version back on the reconciler's index and nudges it, so the table's stream carries
//! it to the fan-out again, under the same CAP identifier. Used by `tifli-replay`.

use tifli::domain::ReportId;
use tifli::fanout::SetAside;
use tifli::ports::{Reconciler, Replay, Unpublished};
use time::OffsetDateTime;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// What a replay did with the queue's messages.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Replayed {
    /// Versions sent to the fan-out again; their messages deleted.
    pub replayed: usize,
    /// Versions published, superseded or purged since; their messages deleted.
    pub settled: usize,
    /// Messages left on the queue for a person: no version to replay (the record's
    /// version itself did not decode), a version the ledger does not hold (a staff case
    /// event SNS refused), or not a set-aside record at all.
    pub left: Vec<String>,
}

/// The version a message names, if any.
fn named(body: &str) -> Option<Unpublished> {
    let failure: SetAside = serde_json::from_str(body).ok()?;
    Some(Unpublished {
        report_id: ReportId::parse(&failure.report_id)?,
        version: failure.version?,
    })
}

/// Reads the queue at `queue_url` until it is empty, replaying each message into
/// `ledger`. A message is deleted only once its version is back on its way.
pub async fn replay<R: Reconciler>(
    sqs: &aws_sdk_sqs::Client,
    queue_url: &str,
    ledger: &R,
    now: OffsetDateTime,
) -> Result<Replayed, Error> {
    let mut done = Replayed::default();
    loop {
        // Messages left stay invisible for the rest of the replay, so it ends.
        let received = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .visibility_timeout(300)
            .wait_time_seconds(0)
            .send()
            .await?;
        let messages = received.messages.unwrap_or_default();
        if messages.is_empty() {
            return Ok(done);
        }
        for message in messages {
            let body = message.body.unwrap_or_default();
            let Some(entry) = named(&body) else {
                done.left.push(body);
                continue;
            };
            match ledger.replay(&entry, now).await? {
                Replay::Sent => done.replayed += 1,
                Replay::Settled => done.settled += 1,
                Replay::NotInLedger => {
                    done.left.push(body);
                    continue;
                }
            }
            if let Some(handle) = message.receipt_handle {
                sqs.delete_message()
                    .queue_url(queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await?;
            }
        }
    }
}
