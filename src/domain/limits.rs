//! Every bound the domain enforces, in one place, so that the API description, the
//! validation and the tests agree.

use time::Duration;

/// Largest request body accepted by any route (RFC 9457 problem 413 beyond it).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Lengths are counted in Unicode scalar values after NFC normalisation and trimming, so
/// that Arabic or Tifinagh text gets the same room as Latin text.
pub const CHILD_NAME_MAX_CHARS: usize = 100;
pub const CHILD_DESCRIPTION_MAX_CHARS: usize = 1_000;
pub const PLACE_MAX_CHARS: usize = 200;
pub const NARRATIVE_MAX_CHARS: usize = 5_000;
pub const VEHICLE_MAX_CHARS: usize = 300;
pub const SUSPECT_MAX_CHARS: usize = 500;
pub const PHOTO_URL_MAX_CHARS: usize = 1_024;

/// A child is anyone under eighteen.
pub const CHILD_AGE_MAX: u8 = 17;

/// How far in the future `last_seen.at` may be, to absorb clock drift between the
/// officer's device and the server.
pub const CLOCK_SKEW: Duration = Duration::minutes(5);
/// An alert is for a recent disappearance; older cases go through other procedures.
pub const LAST_SEEN_MAX_AGE: Duration = Duration::days(30);

/// `Idempotency-Key` header: printable ASCII, at most this long.
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 128;
/// How long an idempotency key is remembered (then DynamoDB's TTL removes it).
pub const IDEMPOTENCY_TTL: Duration = Duration::hours(24);

/// An alert lives this long unless the approver says otherwise.
pub const DEFAULT_ALERT_DURATION_HOURS: i64 = 24;
/// No alert lives longer than this from its activation, extensions included.
pub const MAX_ALERT_LIFE_HOURS: i64 = 72;

/// The alert circle's starting radius, its ceiling and how fast it grows, unless the
/// approver or the deployment's configuration says otherwise.
pub const DEFAULT_RADIUS_KM: f64 = 10.0;
pub const DEFAULT_MAX_RADIUS_KM: f64 = 100.0;
pub const DEFAULT_WIDEN_KM_PER_HOUR: f64 = 5.0;
/// The radius grows in steps, not continuously, so that each step is one CAP Update.
pub const DEFAULT_WIDEN_STEP_MINUTES: i64 = 30;
/// The shortest widening step a deployment may configure: an alert's whole life of
/// widening (72 hours, 144 steps) then leaves more than a hundred of its
/// [`MAX_PUBLIC_MESSAGES`] to the officers' updates and extensions.
pub const MIN_WIDEN_STEP_MINUTES: i64 = 30;
/// The public messages of one alert, its Alert and Cancel included. Every message lists
/// every earlier one in CAP `references`, so the count bounds the size of the last: at
/// this many, the largest alert the domain allows still publishes under SNS's 256 KiB
/// (a test builds it). The last place is always kept for the Cancel.
pub const MAX_PUBLIC_MESSAGES: usize = 250;
/// No circle is larger: from anywhere in Morocco it already covers the whole country.
pub const RADIUS_KM_LIMIT: f64 = 1_500.0;
pub const WIDEN_KM_PER_HOUR_LIMIT: f64 = 100.0;
/// Coordinates, radii and speeds closer to zero than this are taken as zero: DynamoDB
/// cannot store a number whose magnitude is below 1e-130, and at this scale (a tenth of
/// a millimetre of latitude, a micrometre of radius) nothing real is lost.
pub const NEGLIGIBLE_MAGNITUDE: f64 = 1e-9;

/// The identity provider's subjects are UUIDs; room for another provider's longer ones.
pub const OFFICER_ID_MAX_CHARS: usize = 128;
/// Officers a supervisor may put on one case besides the reporting officer.
pub const ASSIGNED_MAX: usize = 20;

/// A report waiting this long for review is announced to staff on `case-events`.
pub const REVIEW_REMINDER_MINUTES: i64 = 10;
/// A report nobody reviewed for this long lapses.
pub const REVIEW_LAPSE_HOURS: i64 = 24;

/// An override of the activation criteria must be explained, not waved through.
pub const OVERRIDE_REASON_MIN_CHARS: usize = 20;
pub const REASON_MAX_CHARS: usize = 1_000;
/// New public information of an update, published in the alert's texts.
pub const MESSAGE_MAX_CHARS: usize = 500;

/// A public version SNS has not accepted this long after its commit is sent to the
/// fan-out again by the scheduled run (and again this long after each try): the stream
/// normally publishes within seconds, and retries its own failures first.
pub const RECONCILE_AFTER_MINUTES: i64 = 5;

/// How long a report's personal data is kept after it ends (then purged).
pub const RETENTION_DAYS: i64 = 30;
/// A rejected report never became an alert: its data goes sooner.
pub const REJECTED_RETENTION_DAYS: i64 = 7;
/// How long the pseudonymous trail (ids, times, actions, actors) outlives the report.
pub const HISTORY_RETENTION_DAYS: i64 = 365;

/// What a witness may write of a sighting, and how they may be reached.
pub const SIGHTING_DESCRIPTION_MAX_CHARS: usize = 2_000;
pub const SIGHTING_CONTACT_MAX_CHARS: usize = 200;
/// Sightings one client address may send, to any alert, per window: room for a witness
/// who remembers more, none for a script.
pub const SIGHTINGS_PER_ADDRESS: u32 = 10;
pub const SIGHTINGS_PER_ADDRESS_WINDOW: Duration = Duration::hours(1);
/// Sightings one alert takes per window, from everyone: far above what a desk can read
/// (a real alert gets tens an hour), a ceiling on a flood from many addresses.
pub const SIGHTINGS_PER_ALERT: u32 = 300;
pub const SIGHTINGS_PER_ALERT_WINDOW: Duration = Duration::minutes(10);

/// The largest photo an officer may upload, in bytes: what the presigned POST allows
/// and what the photo function checks again.
pub const PHOTO_MAX_BYTES: u64 = 5 * 1024 * 1024;
/// How long a presigned photo upload stays valid.
pub const PHOTO_UPLOAD_VALID: Duration = Duration::minutes(10);
/// The sides of an acceptable photo, in pixels: a face needs the smaller; the larger
/// and the pixel count refuse a decompression bomb before it is decoded.
pub const PHOTO_MIN_SIDE: u32 = 64;
pub const PHOTO_MAX_SIDE: u32 = 12_000;
pub const PHOTO_MAX_PIXELS: u64 = 50_000_000;
