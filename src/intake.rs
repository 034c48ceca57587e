//! Filing a report: validation, then one all-or-nothing write, with `Idempotency-Key`
//! semantics so that a retried request never files a second report.

use time::OffsetDateTime;

use crate::domain::limits::IDEMPOTENCY_TTL;
use crate::domain::{OfficerId, Report, ReportBody, ReportId, ValidationErrors};
use crate::idempotency::{IdempotencyKey, fingerprint};
use crate::ports::{CreateError, IdempotencyRecord, ReportCreator, ReportReader, StoreError};

/// How many times a transaction that lost a race on its idempotency key is settled by
/// reading the winner's record; the record can be missing for a moment only if it
/// expired in between.
const KEY_RACE_ATTEMPTS: usize = 3;

#[derive(Debug)]
pub enum Filed {
    /// A new report (201).
    Created(Report),
    /// The report an earlier request with the same key and body created (200).
    Replayed(Report),
}

#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    #[error("the idempotency key was used with another body")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A request to file a report, as the HTTP layer hands it over.
pub struct Filing<'a> {
    pub officer: &'a OfficerId,
    /// The parsed JSON body: its canonical form is the request's fingerprint.
    pub json: &'a serde_json::Value,
    pub body: ReportBody,
    pub idempotency_key: Option<IdempotencyKey>,
}

pub async fn file<S>(
    store: &S,
    filing: Filing<'_>,
    now: OffsetDateTime,
) -> Result<Filed, IntakeError>
where
    S: ReportCreator + ReportReader,
{
    let draft = filing.body.validate(now)?;
    let (report, history) =
        Report::file(ReportId::generate(now), draft, filing.officer.clone(), now);
    let Some(key) = &filing.idempotency_key else {
        store
            .create(&report, &history, None, now)
            .await
            .map_err(store_error)?;
        return Ok(Filed::Created(report));
    };
    let record = IdempotencyRecord {
        scope: key.scope(filing.officer),
        fingerprint: fingerprint(filing.json),
        report_id: report.id(),
        expires_at: now + IDEMPOTENCY_TTL,
    };
    for _ in 0..KEY_RACE_ATTEMPTS {
        match store.create(&report, &history, Some(&record), now).await {
            Ok(()) => return Ok(Filed::Created(report)),
            Err(CreateError::KeyTaken) | Err(CreateError::Store(StoreError::Conflict)) => {}
            Err(CreateError::Store(e)) => return Err(e.into()),
        }
        let Some(earlier) = store.idempotency_record(&record.scope, now).await? else {
            continue;
        };
        if earlier.fingerprint != record.fingerprint {
            return Err(IntakeError::KeyReused);
        }
        return match store.get(earlier.report_id).await? {
            Some(report) => Ok(Filed::Replayed(report)),
            None => Err(StoreError::Other("idempotency record points to no report".into()).into()),
        };
    }
    Err(StoreError::Conflict.into())
}

fn store_error(e: CreateError) -> IntakeError {
    match e {
        CreateError::Store(e) => e.into(),
        // Only a request with a key can lose a key race.
        CreateError::KeyTaken => StoreError::Other("unexpected idempotency conflict".into()).into(),
    }
}
