//! The scheduled run: ends alerts whose life is over, widens the circles due to grow,
//! tells staff of reports waiting for review and lapses those nobody reviewed, and takes
//! ended reports through their retention steps. Time comes from the
//! scheduler's event, so a run is deterministic and can be replayed.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::limits::RECONCILE_AFTER_MINUTES;
use crate::domain::{ActionError, OfficerId, Report, ReviewPolicy, Transition};
use crate::ports::{
    Due, DueReader, Reconciler, ReportWriter, RetentionStore, ReviewReminder, SaveError,
};

/// The actor of scheduled transitions in the history.
pub const SCHEDULER: &str = "tifli-scheduler";
/// Items read per Query.
pub const PAGE: usize = 100;

/// The scheduler's event: `{"time": "<aws.scheduler.scheduled-time>"}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ScheduledRun {
    #[serde(with = "time::serde::rfc3339")]
    pub time: OffsetDateTime,
}

/// Items read, per index Query.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Reads {
    pub expiry: usize,
    pub widening: usize,
    pub review: usize,
    /// The publication ledger's unpublished entries.
    pub ledger: usize,
    pub retention: usize,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sweep {
    pub expired: usize,
    pub widened: usize,
    /// Reports announced to staff as waiting for review.
    pub reminded: usize,
    /// Reports that nobody reviewed in time.
    pub lapsed: usize,
    /// Public versions SNS had not accepted minutes after their commit, sent to the
    /// fan-out again.
    pub republished: usize,
    pub retention_steps: usize,
    /// Changed by someone else since the index was read: left to the next run.
    pub skipped: usize,
    pub failed: usize,
    /// Items the index Queries read (their ScannedCount): the due items, not the table.
    pub read: Reads,
    /// False when the budget ran out first: the next run picks up the rest.
    pub complete: bool,
    /// Seconds since the oldest report still waiting for review was filed.
    pub oldest_waiting: Option<u64>,
}

impl Sweep {
    /// The run's metric line.
    pub fn metrics(&self) -> crate::metrics::Line {
        use crate::metrics::{Line, Unit};
        let read = &self.read;
        let line = Line::new("expiry")
            .count(
                "Swept",
                read.expiry + read.widening + read.review + read.ledger + read.retention,
            )
            .count("Expired", self.expired)
            .count("Widened", self.widened)
            .count("Reminded", self.reminded)
            .count("Lapsed", self.lapsed)
            .count("Republished", self.republished)
            .count("RetentionSteps", self.retention_steps)
            .count("Skipped", self.skipped)
            .count("Failures", self.failed)
            .count("Incomplete", usize::from(!self.complete));
        match self.oldest_waiting {
            Some(seconds) => line.value("OldestWaitingForReview", Unit::Seconds, seconds as f64),
            None => line,
        }
    }
}

fn scheduler() -> OfficerId {
    // A constant, non-empty subject.
    OfficerId::new(SCHEDULER).unwrap_or_else(|| unreachable!())
}

/// What the scheduled run does to one due report.
enum Step {
    Save(Transition),
    Remind(Report),
}

/// Decides the step `due` calls for on `report` at `now`: `Ok(None)` when there is none
/// (the index lagged behind a change).
fn step(
    due: Due,
    report: &Report,
    actor: &OfficerId,
    review: &ReviewPolicy,
    now: OffsetDateTime,
) -> Result<Option<Step>, ActionError> {
    let lapses = report.created_at() + review.lapse_after <= now;
    Ok(match due {
        Due::Expiry => report.expire_due(actor, now)?.map(Step::Save),
        Due::Widening => report.widen(actor, now)?.map(Step::Save),
        // A report found late (the scheduler was down, or the delays are close) lapses
        // without a reminder first.
        Due::Review | Due::Lapse if lapses => Some(Step::Save(report.lapse(actor, now)?)),
        Due::Review => report.reminded(now).map(Step::Remind),
        Due::Lapse => None,
    })
}

/// Everything the scheduled run needs from the table.
pub trait SchedulerStore:
    DueReader + ReportWriter + RetentionStore + ReviewReminder + Reconciler
{
}
impl<S: DueReader + ReportWriter + RetentionStore + ReviewReminder + Reconciler> SchedulerStore
    for S
{
}

/// A scheduled run some of whose steps failed: an error for Lambda, so that it shows in
/// the function's errors and alarms. The next minute's run takes up what is still due
/// (every step is idempotent, and what succeeded is no longer due).
#[derive(Debug, thiserror::Error)]
#[error("{} steps of the scheduled run failed", .0.failed)]
pub struct RunFailed(pub Sweep);

/// The expiry function's handler: the run of `event`, an error when a step failed.
pub async fn scheduled<S: SchedulerStore>(
    store: &S,
    event: ScheduledRun,
    budget: Duration,
    review: &ReviewPolicy,
) -> Result<Sweep, RunFailed> {
    let run = sweep(store, event.time, budget, review).await;
    if run.failed > 0 {
        return Err(RunFailed(run));
    }
    Ok(run)
}

/// One run at `now`, stopping cleanly when `budget` is spent; its metric line written.
pub async fn sweep<S>(
    store: &S,
    now: OffsetDateTime,
    budget: Duration,
    review: &ReviewPolicy,
) -> Sweep
where
    S: SchedulerStore,
{
    let mut run = work(store, now, budget, review).await;
    match oldest_waiting(store, now).await {
        Ok(oldest) => run.oldest_waiting = oldest,
        Err(e) => {
            tracing::error!(error = %e, "the review queue unreadable");
            run.failed += 1;
        }
    }
    run.metrics().emit();
    run
}

/// When the oldest report waiting for review was filed, in seconds before `now`: the
/// first of each review index (reminded or not), both ordered by filing time.
async fn oldest_waiting<S: DueReader>(
    store: &S,
    now: OffsetDateTime,
) -> Result<Option<u64>, crate::ports::StoreError> {
    let mut oldest = None;
    for due in [Due::Review, Due::Lapse] {
        let page = store.due(due, now, 1, None).await?;
        if let Some(report) = page.reports.first() {
            let filed = report.created_at();
            oldest = Some(oldest.map_or(filed, |o: OffsetDateTime| o.min(filed)));
        }
    }
    Ok(oldest.map(|filed| (now - filed).whole_seconds().max(0).unsigned_abs()))
}

async fn work<S>(store: &S, now: OffsetDateTime, budget: Duration, review: &ReviewPolicy) -> Sweep
where
    S: SchedulerStore,
{
    let started = Instant::now();
    let out_of_time = || started.elapsed() >= budget;
    let actor = scheduler();
    let mut run = Sweep::default();
    for due in [Due::Expiry, Due::Widening, Due::Review, Due::Lapse] {
        // Reports waiting for review are due by their filing time.
        let until = match due {
            Due::Expiry | Due::Widening => now,
            Due::Review => now - review.remind_after,
            Due::Lapse => now - review.lapse_after,
        };
        let mut after = None;
        loop {
            if out_of_time() {
                return run;
            }
            let page = match store.due(due, until, PAGE, after).await {
                Ok(page) => page,
                Err(e) => {
                    tracing::error!(?due, error = %e, "due alerts unreadable");
                    run.failed += 1;
                    break;
                }
            };
            match due {
                Due::Expiry => run.read.expiry += page.scanned,
                Due::Widening => run.read.widening += page.scanned,
                Due::Review | Due::Lapse => run.read.review += page.scanned,
            }
            for report in page.reports {
                let step = match step(due, &report, &actor, review, now) {
                    Ok(Some(step)) => step,
                    // Not due after all, or no longer active: the index lagged behind.
                    Ok(None) | Err(ActionError::Transition(_)) => continue,
                    Err(e) => {
                        tracing::error!(report_id = %report.id(), error = %e, "scheduled action refused");
                        run.failed += 1;
                        continue;
                    }
                };
                let version = match &step {
                    Step::Save(transition) => transition.report.version(),
                    Step::Remind(reminded) => reminded.version(),
                };
                let (saved, counter) = match step {
                    Step::Save(transition) => {
                        let counter = match transition.entry.action {
                            crate::domain::Action::Expire => &mut run.expired,
                            crate::domain::Action::Lapse => &mut run.lapsed,
                            _ => &mut run.widened,
                        };
                        (store.save(&transition).await, counter)
                    }
                    Step::Remind(reminded) => (store.remind(&reminded).await, &mut run.reminded),
                };
                match saved {
                    Ok(()) => {
                        tracing::info!(report_id = %report.id(), version, ?due, "scheduled change");
                        *counter += 1;
                    }
                    Err(SaveError::Stale) => run.skipped += 1,
                    Err(SaveError::Store(e)) => {
                        tracing::error!(report_id = %report.id(), error = %e, "scheduled change not saved");
                        run.failed += 1;
                    }
                }
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
    }
    // What the stream lost: one page a run, each entry due again only minutes later.
    if out_of_time() {
        return run;
    }
    let settled = now - time::Duration::minutes(RECONCILE_AFTER_MINUTES);
    match store.unpublished(settled, PAGE).await {
        Ok((entries, scanned)) => {
            run.read.ledger += scanned;
            for entry in entries {
                match store.nudge(&entry, now).await {
                    Ok(()) => {
                        tracing::warn!(report_id = %entry.report_id, version = entry.version, "unpublished version sent to the fan-out again");
                        run.republished += 1;
                    }
                    Err(e) => {
                        tracing::error!(report_id = %entry.report_id, error = %e, "unpublished version not sent again");
                        run.failed += 1;
                    }
                }
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "the publication ledger unreadable");
            run.failed += 1;
        }
    }
    loop {
        if out_of_time() {
            return run;
        }
        let (markers, scanned) = match store.retention_due(now, PAGE).await {
            Ok(due) => due,
            Err(e) => {
                tracing::error!(error = %e, "retention markers unreadable");
                run.failed += 1;
                break;
            }
        };
        run.read.retention += scanned;
        let full = markers.len() == PAGE;
        let mut progressed = true;
        for marker in &markers {
            match store.retain(marker).await {
                Ok(()) => run.retention_steps += 1,
                Err(e) => {
                    tracing::error!(report_id = %marker.report_id, error = %e, "retention step failed");
                    run.failed += 1;
                    progressed = false;
                }
            }
        }
        // A failed marker stays due: leave it to the next run rather than loop on it.
        if !full || !progressed {
            break;
        }
    }
    run.complete = true;
    run
}
