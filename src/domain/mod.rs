//! The rules of Tifli, free of AWS and of I/O.

pub mod actions;
pub mod alert;
pub mod atom;
pub mod body;
pub mod cap;
pub mod case_events;
pub mod cells;
pub mod criteria;
pub mod details;
pub mod geo;
pub mod ids;
pub mod language;
pub mod lifecycle;
pub mod limits;
pub mod numbering;
pub mod photo;
pub mod public;
pub mod rate;
pub mod regions;
pub mod report;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod sighting;
pub mod text;
pub mod texts;
pub mod tip_line;
pub mod validation;
mod xml;

pub use actions::{ActionError, Transition};
pub use alert::{Alert, AlertPolicy, Area, Ending, Outcome, RetentionPolicy, ReviewPolicy};
pub use body::ReportBody;
pub use criteria::Criteria;
pub use details::{Child, Circumstances, LastSeen, ReportDraft, Sex};
pub use geo::{Latitude, Longitude, Region};
pub use ids::{Actor, OfficerId, ReportId, SightingId};
pub use language::{Language, Languages};
pub use lifecycle::{Action, Status, TransitionError};
pub use report::{HistoryEntry, Report};
pub use tip_line::TipLine;
pub use validation::{FieldError, ValidationErrors};
