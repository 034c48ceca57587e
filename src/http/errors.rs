//! Every error of the use cases, mapped to the problem it answers, in one place: what a
//! caller reads and what is logged are decided here, once.

use super::problem::{Problem, ProblemType};
use crate::approval::ApprovalError;
use crate::domain::limits::{MAX_ALERT_LIFE_HOURS, MAX_PUBLIC_MESSAGES, OVERRIDE_REASON_MIN_CHARS};
use crate::domain::{Action, ActionError, FieldError};
use crate::idempotency::InvalidKey;
use crate::intake::IntakeError;
use crate::ports::StoreError;

/// A store that is throttled, unreachable or contended is worth a retry (503, a
/// warning); anything else is our failure (500, an error). Only the error's kind is
/// logged: store errors name keys, never content.
impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) | StoreError::Conflict => {
                tracing::warn!(error = %e, "store unavailable");
                Problem::new(ProblemType::Unavailable, "the report store is busy; retry")
            }
            StoreError::Other(_) => {
                tracing::error!(error = %e, "store failure");
                Problem::new(ProblemType::Internal, "the report store failed")
            }
        }
    }
}

impl From<InvalidKey> for Problem {
    fn from(e: InvalidKey) -> Self {
        Problem::new(ProblemType::InvalidHeader, e.to_string())
    }
}

impl From<IntakeError> for Problem {
    fn from(e: IntakeError) -> Self {
        match e {
            IntakeError::Invalid(errors) => Problem::invalid(errors),
            IntakeError::KeyReused => Problem::new(
                ProblemType::IdempotencyKeyReused,
                "this Idempotency-Key was first sent with another body; use a new key for a new report",
            ),
            // A filing is safe to retry only with its key: the answer says so.
            IntakeError::Store(e) => {
                let problem = Problem::from(e);
                let detail = match problem.kind() {
                    ProblemType::Unavailable => "the report store is busy",
                    _ => "the report could not be stored",
                };
                problem.with_detail(format!("{detail}; retry with the same Idempotency-Key"))
            }
        }
    }
}

impl From<ApprovalError> for Problem {
    fn from(e: ApprovalError) -> Self {
        match e {
            ApprovalError::NotFound => Problem::new(ProblemType::NotFound, "no such report"),
            ApprovalError::Stale { current } => Problem::new(
                ProblemType::StaleVersion,
                match current {
                    Some(v) => format!(
                        "the report is at version {v}: read it again and decide on what it says now"
                    ),
                    None => {
                        "the report changed meanwhile: read it again and decide on what it says now"
                            .to_owned()
                    }
                },
            ),
            ApprovalError::Action(e) => e.into(),
            ApprovalError::Store(e) => e.into(),
        }
    }
}

impl From<ActionError> for Problem {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::Transition(e) => {
                Problem::new(ProblemType::InvalidTransition, e.to_string())
            }
            ActionError::FourEyes => Problem::new(
                ProblemType::FourEyes,
                "the officer who filed a report cannot approve it: another supervisor must",
            ),
            ActionError::CriteriaNotMet(unmet) => Problem::new(
                ProblemType::CriteriaNotMet,
                format!(
                    "not met: {}; approve with an override_reason of at least \
                     {OVERRIDE_REASON_MIN_CHARS} characters to go ahead",
                    unmet.join(", "),
                ),
            )
            .with_errors(vec![FieldError::new(
                "override_reason",
                "is required when a criterion is not met",
            )]),
            ActionError::BeyondMaxLife { latest } => Problem::new(
                ProblemType::BeyondMaximumLife,
                format!(
                    "an alert lives at most {MAX_ALERT_LIFE_HOURS} hours: it can be extended to \
                     {latest} at the latest"
                ),
            ),
            ActionError::Invalid(errors) => Problem::invalid(errors),
            ActionError::MessageLimit => Problem::new(
                ProblemType::MessageLimit,
                format!(
                    "this alert has published {} messages, the most one alert may before \
                     its end: resolve or cancel it, and file a new report to go on",
                    MAX_PUBLIC_MESSAGES - 1
                ),
            ),
            ActionError::NotOnCase(Action::Photo) => Problem::new(
                ProblemType::NotOnCase,
                "only the reporting officer, officers assigned to the case and supervisors \
                 may add a photo: ask a supervisor to assign you",
            ),
            ActionError::NotOnCase(action) => Problem::new(
                ProblemType::NotOnCase,
                format!(
                    "only the reporting officer, officers assigned to the case and \
                     supervisors may {} an active alert: ask a supervisor to assign you",
                    action.as_str()
                ),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_store_failure_is_one_answer_wherever_it_happens() {
        let cases: [(fn() -> StoreError, ProblemType); 3] = [
            (
                || StoreError::Unavailable("throttled".into()),
                ProblemType::Unavailable,
            ),
            (|| StoreError::Conflict, ProblemType::Unavailable),
            (
                || StoreError::Other("bad item".into()),
                ProblemType::Internal,
            ),
        ];
        for (error, kind) in cases {
            assert_eq!(Problem::from(error()).kind(), kind);
            assert_eq!(Problem::from(IntakeError::Store(error())).kind(), kind);
            assert_eq!(Problem::from(ApprovalError::Store(error())).kind(), kind);
            // A filing adds how to retry it safely.
            let intake = serde_json::to_value(Problem::from(IntakeError::Store(error()))).unwrap();
            let detail = intake["detail"].as_str().unwrap();
            assert!(
                detail.ends_with("; retry with the same Idempotency-Key"),
                "{detail}"
            );
        }
    }
}
