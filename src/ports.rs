//! What the use cases need from the outside world, one narrow trait per need, so that a
//! function depends only on what its IAM policy lets it do.

use std::future::Future;

use time::OffsetDateTime;

use crate::domain::rate::{Admission, RateLimit};
use crate::domain::sighting::Sighting;
use crate::domain::{HistoryEntry, Report, ReportId, SightingId, Status, Transition};

/// Where the clock comes from: the system in production, a fixed instant in tests.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> OffsetDateTime;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub OffsetDateTime);

impl Clock for FixedClock {
    fn now(&self) -> OffsetDateTime {
        self.0
    }
}

/// An `Idempotency-Key` as remembered: which request it first came with (by fingerprint)
/// and which report that request created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    /// Opaque and scoped to the caller: two officers may use the same key.
    pub scope: String,
    pub fingerprint: String,
    pub report_id: ReportId,
    /// After this instant the key is forgotten (and DynamoDB's TTL deletes it).
    pub expires_at: OffsetDateTime,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Throttled, unreachable or timed out: worth retrying later (503).
    #[error("store unavailable: {0}")]
    Unavailable(String),
    /// Two transactions touched the same item at once: worth retrying now.
    #[error("transaction conflict")]
    Conflict,
    #[error("store failure: {0}")]
    Other(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Another request claimed this idempotency key first.
    #[error("idempotency key already used")]
    KeyTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Files a new report: the report, its first history item and, when the request carried
/// one, its idempotency key, all or nothing.
pub trait ReportCreator: Send + Sync + 'static {
    fn create(
        &self,
        report: &Report,
        history: &HistoryEntry,
        key: Option<&IdempotencyRecord>,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<(), CreateError>> + Send;

    /// The live record of an idempotency key; an expired one is treated as gone.
    fn idempotency_record(
        &self,
        scope: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<IdempotencyRecord>, StoreError>> + Send;
}

/// Reads a report's current state.
pub trait ReportReader: Send + Sync + 'static {
    fn get(&self, id: ReportId) -> impl Future<Output = Result<Option<Report>, StoreError>> + Send;
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The report is no longer at the version the action was decided on.
    #[error("stale version")]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Commits a transition: the report at its next version, conditional on the version it
/// was decided on, and its history line, all or nothing.
pub trait ReportWriter: Send + Sync + 'static {
    fn save(&self, transition: &Transition) -> impl Future<Output = Result<(), SaveError>> + Send;
}

/// One page of reports, newest first, and where the next page starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub reports: Vec<Report>,
    /// The last report of this page, when more follow.
    pub next_after: Option<ReportId>,
}

/// Lists reports of one status, newest first, through the status index.
pub trait ReportLister: Send + Sync + 'static {
    fn list(
        &self,
        status: Status,
        limit: usize,
        after: Option<ReportId>,
    ) -> impl Future<Output = Result<Page, StoreError>> + Send;
}

/// A report with its whole history, oldest line first.
pub trait HistoryReader: Send + Sync + 'static {
    fn get_with_history(
        &self,
        id: ReportId,
    ) -> impl Future<Output = Result<Option<(Report, Vec<HistoryEntry>)>, StoreError>> + Send;
}

#[derive(Debug, thiserror::Error)]
pub enum SightingError {
    /// The alert is not active (any more): a sighting is taken only while it is.
    #[error("the alert is not active")]
    NotActive,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Takes sightings in, beside their report.
pub trait SightingWriter: Send + Sync + 'static {
    /// Stores `sighting` of `report`, with what the case-events message says of it,
    /// if the report is still active when it is written.
    fn add_sighting(
        &self,
        report: &Report,
        sighting: &Sighting,
    ) -> impl Future<Output = Result<(), SightingError>> + Send;
}

/// One page of a report's sightings, newest first, and where the next starts.
#[derive(Debug, Clone, PartialEq)]
pub struct SightingPage {
    pub sightings: Vec<Sighting>,
    pub next_after: Option<SightingId>,
}

pub trait SightingReader: Send + Sync + 'static {
    fn sightings(
        &self,
        report: ReportId,
        limit: usize,
        after: Option<SightingId>,
    ) -> impl Future<Output = Result<SightingPage, StoreError>> + Send;
}

/// Counts admissions against a limit, in a store every instance shares.
pub trait RateLimiter: Send + Sync + 'static {
    /// Counts one more for `key` under `limit` at `now`, unless the window is full.
    fn admit(
        &self,
        limit: &RateLimit,
        key: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Admission, StoreError>> + Send;
}

/// Which of the scheduler's indexes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Active alerts whose expiry has come.
    Expiry,
    /// Active alerts whose circle is due to grow.
    Widening,
    /// Reports waiting for review that staff were not told of yet, by filing time.
    Review,
    /// Reports waiting for review that staff were told of, by filing time.
    Lapse,
}

/// Where the next page of due reports starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCursor {
    pub key: String,
    pub id: ReportId,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DuePage {
    pub reports: Vec<Report>,
    pub next: Option<DueCursor>,
    /// Items the store read to answer (DynamoDB's ScannedCount).
    pub scanned: usize,
}

/// Reads what the scheduler has to do, by due time, through indexes: never a scan.
pub trait DueReader: Send + Sync + 'static {
    /// Reports of `due` whose key is at most `until` (the expiry or the next widening
    /// for alerts, the filing time for reports waiting for review).
    fn due(
        &self,
        due: Due,
        until: OffsetDateTime,
        limit: usize,
        after: Option<DueCursor>,
    ) -> impl Future<Output = Result<DuePage, StoreError>> + Send;
}

/// Records that staff were told a report waits for review.
pub trait ReviewReminder: Send + Sync + 'static {
    /// Saves `reminded` (from [`Report::reminded`]) if the report is still at its
    /// version and not reminded yet: [`SaveError::Stale`] otherwise.
    fn remind(&self, reminded: &Report) -> impl Future<Output = Result<(), SaveError>> + Send;
}

/// A public version of a report committed and not yet accepted by SNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unpublished {
    pub report_id: ReportId,
    pub version: u32,
}

/// What a replay found in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Back on its way to the fan-out.
    Sent,
    /// Published, superseded or purged since: nothing to send.
    Settled,
    /// The ledger has no entry for it: not a public version (a case event), or one
    /// committed before the ledger existed. A person looks at it.
    NotInLedger,
}

/// Where a public version stands in the publication ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Not accepted by SNS yet (or not in the ledger at all): to be sent.
    ToSend,
    /// SNS accepted it already.
    Published,
    /// SNS accepted a later version of the report: this one would arrive after it.
    Superseded,
}

impl Standing {
    /// Where `version` stands among `entries`: (version, whether SNS accepted it).
    pub fn among(version: u32, entries: impl IntoIterator<Item = (u32, bool)>) -> Standing {
        let mut standing = Standing::ToSend;
        for (v, published) in entries {
            if published && v == version {
                return Standing::Published;
            }
            if published && v > version {
                standing = Standing::Superseded;
            }
        }
        standing
    }
}

/// The publication ledger: which public versions SNS accepted. Every public transition
/// enters it unpublished, in the transaction that commits it.
pub trait PublicationLedger: Send + Sync + 'static {
    /// Records that SNS accepted `version` of report `id` at `at`; idempotent.
    fn published(
        &self,
        id: ReportId,
        version: u32,
        at: OffsetDateTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Whether `version` of report `id` is still to be sent, read strongly consistent
    /// just before it is: a stream record replayed, a nudge repeated while SNS was down,
    /// or a replay from the failure queue must not send again what SNS accepted, nor an
    /// older version once a later one went out.
    fn standing(
        &self,
        id: ReportId,
        version: u32,
    ) -> impl Future<Output = Result<Standing, StoreError>> + Send;

    /// Takes a superseded version off the reconciler's index, and the report out of it.
    fn superseded(
        &self,
        id: ReportId,
        version: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Takes `version` of report `id` off the reconciler's index: the fan-out set it
    /// aside as never publishable, and only a replay puts it back. Idempotent; nothing
    /// for a version the ledger does not hold unpublished.
    fn set_aside(
        &self,
        id: ReportId,
        version: u32,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What the scheduled run needs of the ledger to publish what the stream lost.
pub trait Reconciler: Send + Sync + 'static {
    /// Versions committed at or before `until` and still unpublished, through a sparse
    /// index; and how many items were read.
    fn unpublished(
        &self,
        until: OffsetDateTime,
        limit: usize,
    ) -> impl Future<Output = Result<(Vec<Unpublished>, usize), StoreError>> + Send;

    /// Changes the entry so that the table's stream carries it to the fan-out again, and
    /// makes it due again only a while after `now`.
    fn nudge(
        &self,
        entry: &Unpublished,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Puts a set-aside entry back on the index and nudges it: the replay of a record
    /// from the failure queue.
    fn replay(
        &self,
        entry: &Unpublished,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Replay, StoreError>> + Send;
}

/// The retention step a marker waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RetentionStep {
    /// Give every history item its purge time (the end of the pseudonymous trail).
    Stamp,
    /// The report's purge time has come: strip the free texts from its history.
    Strip,
}

/// A report that ended and whose data still has a retention step to go through.
#[derive(Debug, Clone, PartialEq)]
pub struct RetentionMarker {
    pub report_id: ReportId,
    pub step: RetentionStep,
    pub report_purge_at: OffsetDateTime,
    pub history_purge_at: OffsetDateTime,
}

pub trait RetentionStore: Send + Sync + 'static {
    /// Markers whose step is due at `now`, and how many items were read.
    fn retention_due(
        &self,
        now: OffsetDateTime,
        limit: usize,
    ) -> impl Future<Output = Result<(Vec<RetentionMarker>, usize), StoreError>> + Send;

    /// Performs the marker's step; idempotent.
    fn retain(
        &self,
        marker: &RetentionMarker,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// What an upload carries besides its bytes, as the bucket holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadHead {
    pub size: u64,
    pub content_type: Option<String>,
    /// The officer the upload was presigned for (`x-amz-meta-officer`).
    pub officer: Option<String>,
}

/// Reads an object of the photos bucket: what the share card needs of it.
pub trait PhotoReader: Send + Sync + 'static {
    fn get(&self, key: &str) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;
}

/// The photos bucket: uploads (private) and the renditions (public, under `p/`).
pub trait PhotoObjects: PhotoReader {
    /// An upload's size and metadata; `None` when it is gone.
    fn head(
        &self,
        key: &str,
    ) -> impl Future<Output = Result<Option<UploadHead>, StoreError>> + Send;
    /// Writes a public rendition, with the caching its URL allows.
    fn put(
        &self,
        key: &str,
        bytes: Vec<u8>,
        content_type: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Deletes `keys`; a key already gone is fine.
    fn delete(&self, keys: &[String]) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Deletes every object under `prefix`; how many there were.
    fn delete_prefix(&self, prefix: &str)
    -> impl Future<Output = Result<usize, StoreError>> + Send;
}

/// A browser upload S3 accepts on its own: where to POST, and the form fields to send
/// before the file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PresignedPost {
    pub url: String,
    pub fields: std::collections::BTreeMap<String, String>,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// Presigns photo uploads into the bucket.
pub trait PhotoUploads: Send + Sync + 'static {
    fn presign(
        &self,
        key: &str,
        content_type: &str,
        officer: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<PresignedPost, StoreError>> + Send;
}

/// A boxed future: what a port that must be held as `dyn` returns.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The signing key failed: unreachable, throttled, disabled or not a signing key. A
/// message is never sent unsigned, so the caller retries (503 to a reader).
#[derive(Debug, thiserror::Error)]
#[error("signing unavailable: {0}")]
pub struct SigningError(pub String);

/// The key that signs CAP messages, whose private half never leaves it (KMS in AWS).
/// Held as `dyn`: one signer serves the public router and the fan-out alike, and a
/// network call per signature dwarfs a box.
pub trait CapKey: Send + Sync + 'static {
    /// RSASSA-PKCS1-v1_5 with SHA-256 of `message` (the key hashes it), and which key
    /// signed.
    fn sign<'a>(
        &'a self,
        message: &'a [u8],
    ) -> BoxFuture<'a, Result<crate::domain::cap::Signature, SigningError>>;
    /// The public keys partners verify with: the current one, then the previous one
    /// while a rotation overlaps.
    fn published(
        &self,
    ) -> BoxFuture<'_, Result<Vec<crate::domain::cap::PublishedKey>, SigningError>>;
}
