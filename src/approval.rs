//! Acting on a filed report: read it, let the domain decide, write the decision
//! conditionally on the version the caller read.

use time::OffsetDateTime;

use crate::domain::actions::{
    ApproveBody, AssignBody, ExtendBody, ReasonBody, ResolveBody, UpdateBody,
};
use crate::domain::{Action, ActionError, Actor, AlertPolicy, Report, ReportId, Transition};
use crate::ports::{ReportReader, ReportWriter, SaveError, StoreError};

/// How often a write that met a concurrent transaction is tried again; each try is still
/// conditional on the version read, so a retry never overwrites another's change.
const CONFLICT_ATTEMPTS: usize = 3;

/// An action on a report, with its parameters. No `Debug`: the parameters hold what
/// an officer typed.
pub enum Command {
    Approve(ApproveBody),
    Reject(ReasonBody),
    Update(UpdateBody),
    Extend(ExtendBody),
    Resolve(ResolveBody),
    Cancel(ReasonBody),
    Assign(AssignBody),
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Approve(_) => Action::Approve,
            Command::Reject(_) => Action::Reject,
            Command::Update(_) => Action::Update,
            Command::Extend(_) => Action::Extend,
            Command::Resolve(_) => Action::Resolve,
            Command::Cancel(_) => Action::Cancel,
            Command::Assign(_) => Action::Assign,
        }
    }

    fn decide(
        self,
        report: &Report,
        by: &Actor,
        policy: &AlertPolicy,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        report.may_take(by, self.action())?;
        let actor = &by.id;
        match self {
            Command::Approve(body) => report.approve(actor, body, policy, now),
            Command::Reject(body) => report.reject(actor, body, now),
            Command::Update(body) => report.update(actor, body, now),
            Command::Extend(body) => report.extend(actor, body, now),
            Command::Resolve(body) => report.resolve(actor, body, now),
            Command::Cancel(body) => report.cancel(actor, body, now),
            Command::Assign(body) => report.assign(actor, body, now),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    #[error("no such report")]
    NotFound,
    /// The report is at another version than the caller read (`current`, when known).
    #[error("stale version")]
    Stale { current: Option<u32> },
    #[error(transparent)]
    Action(#[from] ActionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies `command` to report `id`, which the caller read at version `expected`.
pub async fn act<S>(
    store: &S,
    id: ReportId,
    expected: u32,
    actor: &Actor,
    command: Command,
    policy: &AlertPolicy,
    now: OffsetDateTime,
) -> Result<Report, ApprovalError>
where
    S: ReportReader + ReportWriter,
{
    let report = store.get(id).await?.ok_or(ApprovalError::NotFound)?;
    if report.version() != expected {
        return Err(ApprovalError::Stale {
            current: Some(report.version()),
        });
    }
    let mut transition = command.decide(&report, actor, policy, now)?;
    for _ in 0..CONFLICT_ATTEMPTS {
        match store.save(&transition).await {
            Ok(()) => return Ok(transition.report),
            Err(SaveError::Stale) => {
                // Staff being told the report waits is no change to what was decided on:
                // keep that mark, rather than refuse or erase it.
                match store.get(id).await? {
                    Some(now_stored)
                        if now_stored.version() == expected
                            && transition.report.keep_reminder_of(&now_stored) =>
                    {
                        continue;
                    }
                    _ => return Err(ApprovalError::Stale { current: None }),
                }
            }
            Err(SaveError::Store(StoreError::Conflict)) => continue,
            Err(SaveError::Store(e)) => return Err(e.into()),
        }
    }
    Err(StoreError::Conflict.into())
}
