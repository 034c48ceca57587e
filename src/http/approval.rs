//! The approval function's routes: the review queue, a report with its history, and the
//! actions on a report.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::body::{read_optional_json, typed};
use super::identity::{Group, Identity};
use super::problem::{Problem, ProblemType};
use super::respond::{report_response, report_with_history};
use super::routes::{
    ACT_ON_REPORT, LIST_REPORTS, LIST_SIGHTINGS, PREVIEW_REPORT, READ_REPORT, Route,
};
use super::with_fallbacks;
use crate::approval::{self, Command};
use crate::domain::SightingId;
use crate::domain::actions::ApproveBody;
use crate::domain::sighting::Sighting;
use crate::domain::texts::{SmsCount, sms_count};
use crate::domain::{
    Action, Actor, AlertPolicy, FieldError, Report, ReportId, Status, ValidationErrors,
};
use crate::fanout::Issuer;
use crate::ports::{
    Clock, HistoryReader, PhotoUploads, ReportLister, ReportReader, ReportWriter, SightingReader,
};

/// Page sizes of `GET /reports`.
pub const DEFAULT_LIMIT: usize = 25;
pub const MAX_LIMIT: usize = 100;

pub(super) const READERS: &[Group] = &[Group::Officers, Group::Supervisors];
const SUPERVISORS: &[Group] = &[Group::Supervisors];

/// Everything the approval function needs from the table.
pub trait ApprovalStore:
    ReportReader + ReportWriter + ReportLister + HistoryReader + SightingReader
{
}
impl<S: ReportReader + ReportWriter + ReportLister + HistoryReader + SightingReader> ApprovalStore
    for S
{
}

struct ApprovalState<S> {
    store: S,
    clock: Arc<dyn Clock>,
    policy: AlertPolicy,
    /// Who the previewed messages come from, and where their pages are.
    issuer: Issuer,
}

type Shared<S> = State<Arc<ApprovalState<S>>>;

pub fn routes<S: ApprovalStore + Clone, U: PhotoUploads>(
    store: S,
    clock: Arc<dyn Clock>,
    policy: AlertPolicy,
    issuer: Issuer,
    uploads: U,
) -> Router {
    let photos = super::photo::routes(store.clone(), uploads, clock.clone());
    let router = LIST_REPORTS.add(Router::new(), list::<S>);
    let router = READ_REPORT.add(router, read::<S>);
    let router = PREVIEW_REPORT.add(router, preview::<S>);
    let router = LIST_SIGHTINGS.add(router, sightings::<S>);
    let routes = ACT_ON_REPORT
        .add(router, act::<S>)
        .with_state(Arc::new(ApprovalState {
            store,
            clock,
            policy,
            issuer,
        }));
    super::metered(routes, "approval").merge(photos)
}

/// The approval function's router: its routes, the photo upload's, and the fallbacks.
pub fn router<S: ApprovalStore + Clone, U: PhotoUploads>(
    store: S,
    clock: Arc<dyn Clock>,
    policy: AlertPolicy,
    issuer: Issuer,
    uploads: U,
) -> Router {
    with_fallbacks(routes(store, clock, policy, issuer, uploads))
}

fn invalid(field: &str, message: impl Into<String>) -> Problem {
    Problem::invalid(ValidationErrors(vec![FieldError::new(field, message)]))
}

/// A path id that is not a report id names no report.
pub(super) fn report_id(raw: &str) -> Result<ReportId, Problem> {
    ReportId::parse(raw).ok_or_else(|| Problem::new(ProblemType::NotFound, "no such report"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    status: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    items: Vec<Report>,
    next_cursor: Option<String>,
}

/// Cursors are opaque to clients; inside they name the status they list and the last
/// report of the page, so that a cursor of one status is refused for another.
fn cursor(status: Status, after: ReportId) -> String {
    hex::encode(format!("{}/{after}", status.as_str()))
}

/// What a cursor of the listing `of` names (after `of/`), or the 400 for one that is
/// not a cursor of this listing.
fn open_cursor<T>(of: &str, raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, Problem> {
    let refused = || {
        invalid(
            "cursor",
            "is not a cursor of this listing: start again without one",
        )
    };
    let decoded = hex::decode(raw).map_err(|_| refused())?;
    let text = String::from_utf8(decoded).map_err(|_| refused())?;
    let after = text
        .strip_prefix(of)
        .and_then(|rest| rest.strip_prefix('/'))
        .ok_or_else(refused)?;
    parse(after).ok_or_else(refused)
}

fn parse_cursor(status: Status, raw: &str) -> Result<ReportId, Problem> {
    open_cursor(status.as_str(), raw, ReportId::parse)
}

fn parse_status(raw: Option<&str>) -> Result<Status, Problem> {
    let Some(raw) = raw else {
        return Ok(Status::PendingReview);
    };
    Status::ALL
        .into_iter()
        .find(|s| s.as_str() == raw)
        .ok_or_else(|| {
            let names: Vec<_> = Status::ALL.iter().map(|s| s.as_str()).collect();
            invalid("status", format!("must be one of: {}", names.join(", ")))
        })
}

fn parse_limit(raw: Option<&str>) -> Result<usize, Problem> {
    let Some(raw) = raw else {
        return Ok(DEFAULT_LIMIT);
    };
    raw.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_LIMIT).contains(n))
        .ok_or_else(|| {
            invalid(
                "limit",
                format!("must be a whole number from 1 to {MAX_LIMIT}"),
            )
        })
}

/// `GET /reports?status=&limit=&cursor=`: one status, newest first.
async fn list<S: ApprovalStore>(
    State(state): Shared<S>,
    identity: Result<Identity, Problem>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let identity = identity?;
    identity.require(READERS)?;
    let Query(query) = query.map_err(|e| invalid("", e.body_text()))?;
    let status = parse_status(query.status.as_deref())?;
    let limit = parse_limit(query.limit.as_deref())?;
    let after = query
        .cursor
        .as_deref()
        .map(|c| parse_cursor(status, c))
        .transpose()?;
    let page = state.store.list(status, limit, after).await?;
    let ids: Vec<ReportId> = page.reports.iter().map(Report::id).collect();
    audit(&identity, &LIST_REPORTS, &ids);
    let body = ListPage {
        next_cursor: page.next_after.map(|after| cursor(status, after)),
        items: page.reports,
    };
    Ok(axum::response::IntoResponse::into_response(axum::Json(
        body,
    )))
}

/// `GET /reports/{id}`: the report and its history, with its version as `ETag`.
async fn read<S: ApprovalStore>(
    State(state): Shared<S>,
    identity: Result<Identity, Problem>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let identity = identity?;
    identity.require(READERS)?;
    let id = report_id(&id)?;
    let (report, history) = state
        .store
        .get_with_history(id)
        .await?
        .ok_or_else(|| Problem::new(ProblemType::NotFound, "no such report"))?;
    audit(&identity, &READ_REPORT, &[id]);
    Ok(report_with_history(&report, &history))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SightingsQuery {
    limit: Option<String>,
    cursor: Option<String>,
}

#[derive(Serialize)]
struct SightingsPage {
    items: Vec<Sighting>,
    next_cursor: Option<String>,
}

/// A cursor of one report's sightings, refused for another's.
fn sightings_cursor(report: ReportId, after: SightingId) -> String {
    hex::encode(format!("sightings/{report}/{after}"))
}

fn parse_sightings_cursor(report: ReportId, raw: &str) -> Result<SightingId, Problem> {
    open_cursor(&format!("sightings/{report}"), raw, SightingId::parse)
}

/// `GET /reports/{id}/sightings?limit=&cursor=`: what witnesses sent, newest first, for
/// staff; a read of the report like any other (an audit line).
async fn sightings<S: ApprovalStore>(
    State(state): Shared<S>,
    identity: Result<Identity, Problem>,
    Path(id): Path<String>,
    query: Result<Query<SightingsQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let identity = identity?;
    identity.require(READERS)?;
    let id = report_id(&id)?;
    let Query(query) = query.map_err(|e| invalid("", e.body_text()))?;
    let limit = parse_limit(query.limit.as_deref())?;
    let after = query
        .cursor
        .as_deref()
        .map(|c| parse_sightings_cursor(id, c))
        .transpose()?;
    if state.store.get(id).await?.is_none() {
        return Err(Problem::new(ProblemType::NotFound, "no such report"));
    }
    let page = state.store.sightings(id, limit, after).await?;
    audit(&identity, &LIST_SIGHTINGS, &[id]);
    Ok(axum::Json(SightingsPage {
        next_cursor: page.next_after.map(|after| sightings_cursor(id, after)),
        items: page.sightings,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviewQuery {
    duration_hours: Option<String>,
    radius_km: Option<String>,
    max_radius_km: Option<String>,
    widen_km_per_hour: Option<String>,
    /// Comma-separated language codes.
    languages: Option<String>,
}

impl PreviewQuery {
    /// The approval this preview is of, read as `POST /reports/{id}/approve` reads its
    /// body (the same fields, the same problems).
    fn approval(self) -> Result<ApproveBody, Problem> {
        let number =
            |field: &str, raw: Option<String>| -> Result<Option<serde_json::Value>, Problem> {
                raw.map(|raw| {
                    let n: f64 = raw
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n: &f64| n.is_finite())
                        .ok_or_else(|| invalid(field, "must be a number"))?;
                    Ok(if n.fract() == 0.0 && n.abs() < 1e15 {
                        serde_json::json!(n as i64)
                    } else {
                        serde_json::json!(n)
                    })
                })
                .transpose()
            };
        let mut body = serde_json::Map::new();
        for (field, raw) in [
            ("duration_hours", self.duration_hours),
            ("radius_km", self.radius_km),
            ("max_radius_km", self.max_radius_km),
            ("widen_km_per_hour", self.widen_km_per_hour),
        ] {
            if let Some(value) = number(field, raw)? {
                body.insert(field.into(), value);
            }
        }
        if let Some(list) = self.languages {
            let codes: Vec<&str> = list.split(',').map(str::trim).collect();
            body.insert("languages".into(), serde_json::json!(codes));
        }
        typed(&serde_json::Value::Object(body))
    }
}

/// One language's texts as they would go out, with what the short one costs as an SMS.
#[derive(Serialize)]
struct PreviewTexts {
    short: String,
    short_sms: SmsCount,
    long: String,
}

/// What approving a report would send: the Alert, its texts, its area.
#[derive(Serialize)]
struct Preview {
    report_id: ReportId,
    /// The version previewed: approve it with `If-Match` of this one.
    version: u32,
    identifier: String,
    msg_type: &'static str,
    status: &'static str,
    /// The activation criteria not met: approving then needs an `override_reason`.
    criteria_unmet: Vec<&'static str>,
    area: Area,
    #[serde(with = "time::serde::rfc3339")]
    expires_at: time::OffsetDateTime,
    regions: Vec<String>,
    cells: Vec<String>,
    /// The SMS body (the short text of the alert's first language), as sent.
    sms: PreviewTexts,
    texts: std::collections::BTreeMap<crate::domain::Language, PreviewTexts>,
    /// The CAP message, before the signature the fan-out gives what it publishes.
    cap: String,
}

/// The circle the alert would start with, and how it grows.
#[derive(Serialize)]
struct Area {
    lat: f64,
    lon: f64,
    radius_km: f64,
    max_radius_km: f64,
    widen_km_per_hour: f64,
}

/// `GET /reports/{id}/preview`: what approving the report (with the approval's optional
/// settings as query parameters) would publish, for a supervisor to read first. Nothing
/// is written.
async fn preview<S: ApprovalStore>(
    State(state): Shared<S>,
    identity: Result<Identity, Problem>,
    Path(id): Path<String>,
    served: super::base::ServedOn,
    query: Result<Query<PreviewQuery>, QueryRejection>,
) -> Result<Response, Problem> {
    let identity = identity?;
    identity.require(SUPERVISORS)?;
    let issuer = super::base::settled(&state.issuer, &served)?;
    let id = report_id(&id)?;
    let Query(query) = query.map_err(|e| invalid("", e.body_text()))?;
    let approval = query.approval()?;
    let report = state
        .store
        .get(id)
        .await?
        .ok_or_else(|| Problem::new(ProblemType::NotFound, "no such report"))?;
    let now = state.clock.now();
    let approved = report
        .preview_approval(&identity.subject, approval, &state.policy, now)?
        .report;
    let (Some(alert), Some(message)) = (
        approved.alert(),
        crate::fanout::message_for(None, &approved, &issuer),
    ) else {
        return Err(Problem::new(
            ProblemType::Internal,
            "an approval without an alert",
        ));
    };
    audit(&identity, &PREVIEW_REPORT, &[id]);
    let texts_of = |short: &str, long: &str| PreviewTexts {
        short_sms: sms_count(short),
        short: short.to_owned(),
        long: long.to_owned(),
    };
    let envelope = &message.envelope;
    let body = Preview {
        report_id: id,
        version: report.version(),
        identifier: envelope.identifier.clone(),
        msg_type: envelope.msg_type,
        status: envelope.status,
        criteria_unmet: report.details().criteria.unmet(),
        area: Area {
            lat: alert.area.lat.degrees(),
            lon: alert.area.lon.degrees(),
            radius_km: alert.area.radius_km,
            max_radius_km: alert.area.max_radius_km,
            widen_km_per_hour: alert.area.widen_km_per_hour,
        },
        expires_at: alert.expires_at,
        regions: message.regions.clone(),
        cells: message.cells.clone(),
        sms: texts_of(&message.sms, ""),
        texts: envelope
            .texts
            .iter()
            .map(|(language, t)| (*language, texts_of(&t.short, &t.long)))
            .collect(),
        cap: envelope.cap.clone(),
    };
    let mut response = axum::Json(body).into_response();
    if let Ok(etag) = header::HeaderValue::from_str(&super::respond::etag(report.version())) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// The audit trail of staff reads: who read which reports by which route, never what
/// they hold. One `info` line per read that returned reports, on the `tifli::audit`
/// target, so that a log filter or subscription can keep it apart.
fn audit(identity: &Identity, route: &Route, reports: &[ReportId]) {
    let reports: Vec<String> = reports.iter().map(ReportId::to_string).collect();
    tracing::info!(
        target: "tifli::audit",
        subject = identity.subject.as_str(),
        route = route.path,
        method = %route.method,
        reports = reports.join(","),
        "staff read"
    );
}

/// Who may take an action: supervisors decide on an alert's existence and life;
/// officers on the case may also publish news and report the child found.
fn groups(action: Action) -> &'static [Group] {
    match action {
        // Which officers: the domain decides (`Report::may_take`).
        Action::Update | Action::Resolve => READERS,
        Action::Approve | Action::Reject | Action::Extend | Action::Cancel | Action::Assign => {
            SUPERVISORS
        }
        // Not actions taken on request: `Action::on_request` never yields them.
        Action::File
        | Action::Widen
        | Action::Expire
        | Action::Lapse
        | Action::Photo
        | Action::PhotoRefused => SUPERVISORS,
    }
}

/// The action with its parameters, read from the body.
fn command(action: Action, json: &serde_json::Value) -> Result<Command, Problem> {
    Ok(match action {
        Action::Approve => Command::Approve(typed(json)?),
        Action::Reject => Command::Reject(typed(json)?),
        Action::Update => Command::Update(typed(json)?),
        Action::Extend => Command::Extend(typed(json)?),
        Action::Resolve => Command::Resolve(typed(json)?),
        Action::Cancel => Command::Cancel(typed(json)?),
        Action::Assign => Command::Assign(typed(json)?),
        Action::File
        | Action::Widen
        | Action::Expire
        | Action::Lapse
        | Action::Photo
        | Action::PhotoRefused => {
            return Err(no_such_action());
        }
    })
}

fn no_such_action() -> Problem {
    Problem::new(ProblemType::NotFound, "no such action on a report")
}

/// The version of `If-Match: "N"`; a weak, wildcard or list value cannot name one version.
fn if_match(headers: &HeaderMap) -> Result<u32, Problem> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(Problem::new(
            ProblemType::IfMatchRequired,
            "send If-Match with the ETag of the version you read (GET /reports/{id})",
        ));
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().strip_prefix('"')?.strip_suffix('"')?.parse().ok())
        .ok_or_else(|| {
            Problem::new(
                ProblemType::InvalidHeader,
                "If-Match must be one ETag as GET /reports/{id} returned it, e.g. \"3\"",
            )
        })
}

/// `POST /reports/{id}/{action}` with `If-Match`.
async fn act<S: ApprovalStore>(
    State(state): Shared<S>,
    identity: Result<Identity, Problem>,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let action = Action::on_request(&action).ok_or_else(no_such_action)?;
    let identity = identity?;
    identity.require(groups(action))?;
    let id = report_id(&id)?;
    let expected = if_match(&headers)?;
    let command = command(action, &read_optional_json(&headers, body).await?)?;
    let now = state.clock.now();
    let actor = Actor {
        supervisor: identity.is_in(Group::Supervisors),
        id: identity.subject,
    };
    let report = approval::act(
        &state.store,
        id,
        expected,
        &actor,
        command,
        &state.policy,
        now,
    )
    .await?;
    tracing::info!(
        report_id = %report.id(),
        version = report.version(),
        status = report.status().as_str(),
        "report changed"
    );
    Ok(report_response(StatusCode::OK, &report))
}
