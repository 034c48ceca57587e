//! What supervisors and officers do to a filed report. Each action is decided here: the
//! lifecycle allows it or not, its parameters are valid or not, and it yields the next
//! state of the report with one new line of history.

use serde::Deserialize;
use time::OffsetDateTime;

use super::alert::{
    Alert, AlertPolicy, Area, Ending, Outcome, PublicMessage, Reason, duration_hours, radius, speed,
};
use super::body::LastSeenBody;
use super::details::{ChildDescription, Suspect, Vehicle};
use super::ids::{Actor, OfficerId};
use super::language::{Language, Languages};
use super::lifecycle::{Action, CapMsgType, Status, TransitionError};
use super::limits::*;
use super::photo::{HostedPhoto, PhotoRefusal};
use super::report::{HistoryEntry, Publication, Report};
use super::text::{Lines, clean};
use super::validation::{FieldError, JsonObject, ValidationErrors};

/// The outcome of an allowed action: the report's next state (its version one more than
/// the one acted on) and the history line that records it.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub report: Report,
    pub entry: HistoryEntry,
}

impl Transition {
    /// The version the action was decided on: the write succeeds only if it is current.
    pub fn expected_version(&self) -> u32 {
        self.report.version - 1
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ActionError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("the officer who filed a report cannot approve it")]
    FourEyes,
    #[error("activation criteria not met: {}", .0.join(", "))]
    CriteriaNotMet(Vec<&'static str>),
    #[error("an alert lives at most {MAX_ALERT_LIFE_HOURS} hours from its activation")]
    BeyondMaxLife { latest: OffsetDateTime },
    #[error("only the officers on the case and supervisors may {} an active alert", .0.as_str())]
    NotOnCase(Action),
    #[error("an alert publishes at most {MAX_PUBLIC_MESSAGES} messages")]
    MessageLimit,
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
}

/// `POST /reports/{id}/approve`: every field optional.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    pub duration_hours: Option<i64>,
    pub radius_km: Option<f64>,
    pub max_radius_km: Option<f64>,
    pub widen_km_per_hour: Option<f64>,
    pub languages: Option<Vec<Language>>,
    pub override_reason: Option<String>,
}

/// `POST /reports/{id}/reject` and `/cancel`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

/// `POST /reports/{id}/update`: new public information, and optionally a new sighting
/// or corrected details.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateBody {
    pub message: Option<String>,
    pub last_seen: Option<JsonObject<LastSeenBody>>,
    pub child: Option<JsonObject<ChildUpdateBody>>,
    pub vehicle: Option<String>,
    pub suspect: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildUpdateBody {
    pub description: Option<String>,
}

/// `POST /reports/{id}/extend`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtendBody {
    pub hours: Option<i64>,
}

/// `POST /reports/{id}/assign`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignBody {
    pub officer: Option<String>,
}

/// `POST /reports/{id}/resolve`.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    pub outcome: Option<Outcome>,
    pub note: Option<String>,
}

fn override_reason(raw: &str) -> Result<String, FieldError> {
    const FIELD: &str = "override_reason";
    let text = clean(FIELD, raw, REASON_MAX_CHARS, Lines::Multi)?;
    if text.chars().count() < OVERRIDE_REASON_MIN_CHARS {
        return Err(FieldError::new(
            FIELD,
            format!("must explain the override in at least {OVERRIDE_REASON_MIN_CHARS} characters"),
        ));
    }
    Ok(text)
}

fn required_reason(
    errors: &mut ValidationErrors,
    field: &str,
    raw: Option<String>,
) -> Option<Reason> {
    errors
        .required(field, raw)
        .and_then(|r| errors.check(Reason::parse(field, &r)))
}

fn done<T>(errors: ValidationErrors, value: Option<T>) -> Result<T, ActionError> {
    match value {
        Some(value) if errors.is_empty() => Ok(value),
        _ => Err(ActionError::Invalid(errors)),
    }
}

impl Report {
    /// The common part of every action: the lifecycle's verdict, the next version, the
    /// history line.
    fn begin(
        &self,
        action: Action,
        actor: &OfficerId,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let to = self.status.apply(action)?;
        let publishes = action.publishes(self.status);
        if publishes == Some(CapMsgType::Update) && !self.has_room_for_an_update() {
            return Err(ActionError::MessageLimit);
        }
        let mut report = self.clone();
        report.status = to;
        report.version += 1;
        report.updated_at = now;
        if let Some(msg_type) = publishes {
            // Consumers order an alert's messages by `sent`: a clock that went back
            // (another host's, the scheduler's) must not put a message before the last.
            let sent = self
                .publications
                .last()
                .map_or(now, |last| last.sent.max(now));
            report.publications.push(Publication {
                version: report.version,
                msg_type,
                sent,
            });
        }
        let entry = HistoryEntry {
            report_id: self.id,
            version: report.version,
            at: now,
            actor: actor.clone(),
            action,
            from: Some(self.status),
            to,
            reason: None,
            override_reason: None,
            assigned: None,
        };
        Ok(Transition { report, entry })
    }

    /// The active alert of an active report. Approval always sets it; a report read back
    /// without one cannot be acted on as active.
    fn active_alert(next: &mut Transition, action: Action) -> Result<&mut Alert, ActionError> {
        let from = next.entry.from.unwrap_or(next.report.status);
        next.report
            .alert
            .as_mut()
            .ok_or(ActionError::Transition(TransitionError { from, action }))
    }

    pub fn approve(
        &self,
        by: &OfficerId,
        body: ApproveBody,
        policy: &AlertPolicy,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let next = self.begin(Action::Approve, by, now)?;
        if *by == self.reported_by {
            return Err(ActionError::FourEyes);
        }
        let next = self.with_alert(next, by, body, policy, now)?;
        let unmet = self.details.criteria.unmet();
        if !unmet.is_empty() && next.entry.override_reason.is_none() {
            return Err(ActionError::CriteriaNotMet(unmet));
        }
        Ok(next)
    }

    /// What approving with `body` would make of the report, without the two checks on
    /// who approves and why (the reporter, the criteria): what a supervisor reads before
    /// approving, unmet criteria and all.
    pub fn preview_approval(
        &self,
        by: &OfficerId,
        body: ApproveBody,
        policy: &AlertPolicy,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let next = self.begin(Action::Approve, by, now)?;
        self.with_alert(next, by, body, policy, now)
    }

    /// `next` with the alert that `body` asks for.
    fn with_alert(
        &self,
        mut next: Transition,
        by: &OfficerId,
        body: ApproveBody,
        policy: &AlertPolicy,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut errors = ValidationErrors::default();
        let duration = match body.duration_hours {
            None => Some(policy.duration),
            Some(hours) => errors.check(duration_hours("duration_hours", hours)),
        };
        let start = errors.check(radius(
            "radius_km",
            body.radius_km.unwrap_or(policy.radius_km),
        ));
        // Without an explicit ceiling, the default one, raised to a larger start if asked.
        let ceiling = body
            .max_radius_km
            .unwrap_or_else(|| policy.max_radius_km.max(start.unwrap_or(0.0)));
        let ceiling = errors.check(radius("max_radius_km", ceiling));
        if let (Some(start), Some(ceiling)) = (start, ceiling)
            && ceiling < start
        {
            errors.push(FieldError::new(
                "max_radius_km",
                "must not be less than radius_km",
            ));
        }
        let widen = errors.check(speed(
            "widen_km_per_hour",
            body.widen_km_per_hour.unwrap_or(policy.widen_km_per_hour),
        ));
        let languages = match body.languages {
            None => Some(self.details.languages.clone()),
            Some(list) => errors.check(Languages::parse("languages", list)),
        };
        let override_reason = match body.override_reason {
            None => Some(None),
            Some(raw) => errors.check(override_reason(&raw)).map(Some),
        };
        let (duration, start, ceiling, widen, languages, override_reason) = done(
            errors,
            (|| {
                Some((
                    duration?,
                    start?,
                    ceiling?,
                    widen?,
                    languages?,
                    override_reason?,
                ))
            })(),
        )?;
        let seen = &self.details.last_seen;
        next.report.alert = Some(Alert {
            activated_at: now,
            expires_at: now + duration,
            approved_by: by.clone(),
            // The approver's radius is the radius now: it grows from the activation.
            area: Area {
                lat: seen.lat,
                lon: seen.lon,
                radius_km: start,
                start_radius_km: start,
                max_radius_km: ceiling,
                widen_km_per_hour: widen,
                widen_from: now,
                widen_every_minutes: policy.widen_step.whole_minutes(),
                widen_steps: 0,
            },
            languages,
            message: None,
            regions: Vec::new(),
            reach: Default::default(),
        });
        if let Some(alert) = next.report.alert.as_mut() {
            alert.cover(seen.region);
        }
        next.entry.override_reason = override_reason;
        Ok(next)
    }

    pub fn reject(
        &self,
        by: &OfficerId,
        body: ReasonBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        self.end_with_reason(Action::Reject, by, body, now)
    }

    pub fn cancel(
        &self,
        by: &OfficerId,
        body: ReasonBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        self.end_with_reason(Action::Cancel, by, body, now)
    }

    fn end_with_reason(
        &self,
        action: Action,
        by: &OfficerId,
        body: ReasonBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(action, by, now)?;
        let mut errors = ValidationErrors::default();
        let reason = required_reason(&mut errors, "reason", body.reason);
        let reason = done(errors, reason)?;
        next.entry.reason = Some(reason.as_str().to_owned());
        next.report.ending = Some(Ending {
            at: now,
            outcome: None,
            reason: Some(reason),
        });
        Ok(next)
    }

    pub fn update(
        &self,
        by: &OfficerId,
        body: UpdateBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Update, by, now)?;
        let mut errors = ValidationErrors::default();
        let message = errors
            .required("message", body.message)
            .and_then(|m| errors.check(PublicMessage::parse("message", &m)));
        let sighting = body.last_seen.and_then(|l| l.0.validate(now, &mut errors));
        if let Some(seen) = &sighting
            && seen.at < self.details.last_seen.at
        {
            errors.push(FieldError::new(
                "last_seen.at",
                "must not be earlier than the last sighting",
            ));
        }
        let description = body
            .child
            .and_then(|c| c.0.description)
            .and_then(|d| errors.check(ChildDescription::parse("child.description", &d)));
        let vehicle = body
            .vehicle
            .and_then(|v| errors.check(Vehicle::parse("vehicle", &v)));
        let suspect = body
            .suspect
            .and_then(|s| errors.check(Suspect::parse("suspect", &s)));
        let message = done(errors, message)?;

        let details = &mut next.report.details;
        if let Some(description) = description {
            details.child.description = description;
        }
        if vehicle.is_some() {
            details.circumstances.vehicle = vehicle;
        }
        if suspect.is_some() {
            details.circumstances.suspect = suspect;
        }
        if let Some(seen) = sighting.clone() {
            details.last_seen = seen;
        }
        next.entry.reason = Some(message.as_str().to_owned());
        let alert = Self::active_alert(&mut next, Action::Update)?;
        alert.message = Some(message);
        if let Some(seen) = sighting {
            // A new sighting moves the circle there and widening starts again from it,
            // grown already by the time since that sighting.
            let restarted = alert.area.restarted(seen.lat, seen.lon, seen.at);
            alert.area = restarted.widened(now).unwrap_or(restarted);
            alert.cover(seen.region);
        }
        Ok(next)
    }

    pub fn extend(
        &self,
        by: &OfficerId,
        body: ExtendBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Extend, by, now)?;
        let mut errors = ValidationErrors::default();
        let hours = errors
            .required("hours", body.hours)
            .and_then(|h| errors.check(duration_hours("hours", h)));
        let hours = done(errors, hours)?;
        let alert = Self::active_alert(&mut next, Action::Extend)?;
        let latest = alert.activated_at + time::Duration::hours(MAX_ALERT_LIFE_HOURS);
        let expires_at = alert.expires_at + hours;
        if expires_at > latest {
            return Err(ActionError::BeyondMaxLife { latest });
        }
        alert.expires_at = expires_at;
        Ok(next)
    }

    /// Widens the circle of an active alert to what `now` calls for; `None` when it is
    /// not due to grow. `by` is the scheduler's identity.
    pub fn widen(
        &self,
        by: &OfficerId,
        now: OffsetDateTime,
    ) -> Result<Option<Transition>, ActionError> {
        let Some(area) = self.alert.as_ref().and_then(|a| a.area.widened(now)) else {
            return Ok(None);
        };
        // Widening is the one kind of message nobody asked for: it gives way first.
        if !self.has_room_for_an_update() {
            return Ok(None);
        }
        let mut next = self.begin(Action::Widen, by, now)?;
        let home = self.details.last_seen.region;
        let alert = Self::active_alert(&mut next, Action::Widen)?;
        alert.area = area;
        alert.cover(home);
        Ok(Some(next))
    }

    /// Ends an active alert once `now` has reached its expiry; `None` before.
    pub fn expire_due(
        &self,
        by: &OfficerId,
        now: OffsetDateTime,
    ) -> Result<Option<Transition>, ActionError> {
        match &self.alert {
            Some(alert) if alert.expires_at <= now => self.expire(by, now).map(Some),
            _ => Ok(None),
        }
    }

    /// Ends an active alert at the end of its life; `by` is the scheduler's identity.
    pub fn expire(&self, by: &OfficerId, now: OffsetDateTime) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Expire, by, now)?;
        next.report.ending = Some(Ending::plain(now));
        Ok(next)
    }

    pub fn resolve(
        &self,
        by: &OfficerId,
        body: ResolveBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Resolve, by, now)?;
        let mut errors = ValidationErrors::default();
        let outcome = errors.required("outcome", body.outcome);
        let note = match body.note {
            None => Some(None),
            Some(n) => errors.check(Reason::parse("note", &n)).map(Some),
        };
        let (outcome, note) = done(errors, outcome.zip(note))?;
        next.entry.reason = note.as_ref().map(|n| n.as_str().to_owned());
        next.report.ending = Some(Ending {
            at: now,
            outcome: Some(outcome),
            reason: note,
        });
        Ok(next)
    }
}

impl Report {
    /// Whether `actor` may take `action` on this report, beyond their group's right to
    /// it: on an active alert, what the public is told next and whether the child is
    /// found belong to the officers on the case and to supervisors.
    pub fn may_take(&self, actor: &Actor, action: Action) -> Result<(), ActionError> {
        let case_action = matches!(action, Action::Update | Action::Resolve);
        if case_action
            && self.status == Status::Active
            && !actor.supervisor
            && !self.is_on_case(&actor.id)
        {
            return Err(ActionError::NotOnCase(action));
        }
        Ok(())
    }

    /// Puts an officer on the case; recorded in the history.
    pub fn assign(
        &self,
        by: &OfficerId,
        body: AssignBody,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        const FIELD: &str = "officer";
        let mut next = self.begin(Action::Assign, by, now)?;
        let mut errors = ValidationErrors::default();
        let officer = errors
            .required(FIELD, body.officer)
            .and_then(|raw| errors.check(officer_id(FIELD, &raw)));
        if let Some(officer) = &officer {
            if self.is_on_case(officer) {
                errors.push(FieldError::new(FIELD, "is already on this case"));
            } else if self.assigned.len() >= ASSIGNED_MAX {
                errors.push(FieldError::new(
                    FIELD,
                    format!("a case has at most {ASSIGNED_MAX} assigned officers"),
                ));
            }
        }
        let officer = done(errors, officer)?;
        next.entry.assigned = Some(officer.clone());
        next.report.assigned.push(officer);
        Ok(next)
    }

    /// Whether one more Update leaves room for the Cancel within
    /// [`MAX_PUBLIC_MESSAGES`].
    pub fn has_room_for_an_update(&self) -> bool {
        self.publications.len() + 2 <= MAX_PUBLIC_MESSAGES
    }

    /// Ends a report nobody reviewed in time; `by` is the scheduler's identity.
    pub fn lapse(&self, by: &OfficerId, now: OffsetDateTime) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Lapse, by, now)?;
        next.report.ending = Some(Ending::plain(now));
        Ok(next)
    }

    /// The report marked as announced to staff as waiting for review at `now`: `None`
    /// when it is not waiting or was announced already. Not a transition: nothing a
    /// reviewer reads changes, so the version they act on stays the same.
    pub fn reminded(&self, now: OffsetDateTime) -> Option<Report> {
        (self.status == Status::PendingReview && self.review_reminded_at.is_none()).then(|| {
            let mut report = self.clone();
            report.review_reminded_at = Some(now);
            report
        })
    }
}

impl Report {
    /// Whether `actor` may upload a photo for this report now: the officers on the case
    /// and supervisors, while the report can still change.
    pub fn may_add_photo(&self, actor: &Actor) -> Result<(), ActionError> {
        self.status.apply(Action::Photo)?;
        if !actor.supervisor && !self.is_on_case(&actor.id) {
            return Err(ActionError::NotOnCase(Action::Photo));
        }
        Ok(())
    }

    /// Hosts `photo`: it takes the place of any earlier one (hosted or a URL), and is an
    /// Update when the alert is active.
    pub fn add_photo(
        &self,
        photo: HostedPhoto,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::Photo, &photo.consent_by, now)?;
        next.report.details.child.photo = None;
        next.report.photo = Some(photo);
        Ok(next)
    }

    /// Records that an upload by `by` was refused, and why; nothing else changes.
    pub fn refuse_photo(
        &self,
        by: &OfficerId,
        refusal: &PhotoRefusal,
        now: OffsetDateTime,
    ) -> Result<Transition, ActionError> {
        let mut next = self.begin(Action::PhotoRefused, by, now)?;
        next.entry.reason = Some(refusal.to_string());
        Ok(next)
    }
}

/// An identity provider's subject as typed by a supervisor.
fn officer_id(field: &str, raw: &str) -> Result<OfficerId, FieldError> {
    let text = clean(field, raw, OFFICER_ID_MAX_CHARS, Lines::Single)?;
    if text.contains(char::is_whitespace) {
        return Err(FieldError::new(field, "must be a subject, without spaces"));
    }
    OfficerId::new(text).ok_or_else(|| FieldError::new(field, "must not be empty"))
}

#[cfg(test)]
mod tests;
