//! The rules of Tifli, free of AWS and of I/O.

pub mod criteria;
pub mod geo;
pub mod language;
pub mod lifecycle;
pub mod limits;
pub mod report;
pub mod text;
pub mod tip_line;
pub mod validation;

pub use criteria::Criteria;
pub use geo::{Latitude, Longitude, Region};
pub use language::{Language, Languages};
pub use lifecycle::{Action, Status, TransitionError};
pub use report::{
    Child, Circumstances, HistoryEntry, LastSeen, OfficerId, Report, ReportBody, ReportDraft,
    ReportId, Sex,
};
pub use tip_line::TipLine;
pub use validation::{FieldError, ValidationErrors};
