use serde_json::json;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

use super::*;
use crate::domain::lifecycle::CapMsgType;
use crate::domain::{ReportBody, ReportId, Status, samples};

const FILED: OffsetDateTime = datetime!(2026-11-28 17:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-11-28 17:10 UTC);

fn officer() -> OfficerId {
    OfficerId::new("officer-1").unwrap()
}

fn supervisor() -> OfficerId {
    OfficerId::new("supervisor-1").unwrap()
}

fn filed_with(criteria_met: bool) -> Report {
    let mut body = samples::report_json("2026-11-28T16:30:00Z");
    body["criteria"]["risk_of_serious_harm"] = criteria_met.into();
    body["criteria"]["registered_in_national_database"] = criteria_met.into();
    body["languages"] = json!(["ar", "fr"]);
    samples::filed(body, ReportId::generate(FILED), officer().as_str(), FILED).0
}

fn filed() -> Report {
    filed_with(true)
}

fn active() -> Report {
    filed()
        .approve(
            &supervisor(),
            ApproveBody::default(),
            &AlertPolicy::default(),
            NOW,
        )
        .unwrap()
        .report
}

fn invalid_fields(result: Result<Transition, ActionError>) -> Vec<String> {
    match result {
        Err(ActionError::Invalid(errors)) => errors.0.into_iter().map(|e| e.field).collect(),
        other => panic!("expected invalid fields, got {other:?}"),
    }
}

#[test]
fn approval_with_the_defaults() {
    let t = filed()
        .approve(
            &supervisor(),
            ApproveBody::default(),
            &AlertPolicy::default(),
            NOW,
        )
        .unwrap();
    assert_eq!(t.report.status(), Status::Active);
    assert_eq!(t.report.version(), 2);
    assert_eq!(t.expected_version(), 1);
    let alert = t.report.alert().unwrap();
    assert_eq!(alert.activated_at, NOW);
    assert_eq!(alert.expires_at, NOW + Duration::hours(24));
    assert_eq!(alert.approved_by, supervisor());
    assert_eq!(alert.area.radius_km, DEFAULT_RADIUS_KM);
    assert_eq!(alert.area.start_radius_km, DEFAULT_RADIUS_KM);
    assert_eq!(alert.area.max_radius_km, DEFAULT_MAX_RADIUS_KM);
    assert_eq!(alert.area.widen_km_per_hour, DEFAULT_WIDEN_KM_PER_HOUR);
    assert_eq!(alert.area.widen_from, NOW);
    assert_eq!(alert.area.widen_every_minutes, DEFAULT_WIDEN_STEP_MINUTES);
    assert_eq!(alert.area.lat.degrees(), 34.0209);
    assert_eq!(alert.languages.as_slice(), &[Language::Ar, Language::Fr]);
    assert_eq!(t.entry.version, 2);
    assert_eq!(t.entry.action, Action::Approve);
    assert_eq!(t.entry.from, Some(Status::PendingReview));
    assert_eq!(t.entry.to, Status::Active);
    assert_eq!(t.entry.actor, supervisor());
    assert_eq!(t.entry.at, NOW);
    let published = t.report.publication().unwrap();
    assert_eq!(
        (published.version, published.msg_type, published.sent),
        (2, CapMsgType::Alert, NOW)
    );
}

#[test]
fn every_public_change_is_one_publication() {
    let filed = filed();
    assert!(filed.publication().is_none());
    let rejected = filed
        .reject(
            &supervisor(),
            ReasonBody {
                reason: Some("No".into()),
            },
            NOW,
        )
        .unwrap();
    assert!(rejected.report.publications().is_empty());
    let active = active();
    let updated = active
        .update(
            &officer(),
            UpdateBody {
                message: Some("News".into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
        .report;
    let found = ResolveBody {
        outcome: Some(Outcome::Found),
        note: None,
    };
    let resolved = updated.resolve(&officer(), found, NOW).unwrap().report;
    let kinds: Vec<(u32, CapMsgType)> = resolved
        .publications()
        .iter()
        .map(|p| (p.version, p.msg_type))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, CapMsgType::Alert),
            (3, CapMsgType::Update),
            (4, CapMsgType::Cancel)
        ]
    );
}

#[test]
fn approval_with_chosen_values() {
    let body = ApproveBody {
        duration_hours: Some(72),
        radius_km: Some(200.0),
        widen_km_per_hour: Some(0.0),
        languages: Some(vec![Language::Zgh]),
        ..Default::default()
    };
    let t = filed()
        .approve(&supervisor(), body, &AlertPolicy::default(), NOW)
        .unwrap();
    let alert = t.report.alert().unwrap();
    assert_eq!(alert.expires_at, NOW + Duration::hours(72));
    assert_eq!(alert.area.radius_km, 200.0);
    // No ceiling given: the default one, raised to the larger start.
    assert_eq!(alert.area.max_radius_km, 200.0);
    assert_eq!(alert.languages.as_slice(), &[Language::Zgh]);

    // A speed too small to store is no widening.
    let body = ApproveBody {
        widen_km_per_hour: Some(5e-324),
        ..Default::default()
    };
    let t = filed()
        .approve(&supervisor(), body, &AlertPolicy::default(), NOW)
        .unwrap();
    assert_eq!(t.report.alert().unwrap().area.widen_km_per_hour, 0.0);
}

#[test]
fn the_reporter_cannot_approve() {
    let result = filed().approve(
        &officer(),
        ApproveBody::default(),
        &AlertPolicy::default(),
        NOW,
    );
    assert_eq!(result.unwrap_err(), ActionError::FourEyes);
}

#[test]
fn the_criteria_gate() {
    let report = filed_with(false);
    let policy = AlertPolicy::default();
    let refused = report.approve(&supervisor(), ApproveBody::default(), &policy, NOW);
    assert_eq!(
        refused.unwrap_err(),
        ActionError::CriteriaNotMet(vec![
            "risk_of_serious_harm",
            "registered_in_national_database"
        ])
    );
    let short = ApproveBody {
        override_reason: Some("x".repeat(OVERRIDE_REASON_MIN_CHARS - 1)),
        ..Default::default()
    };
    assert_eq!(
        invalid_fields(report.approve(&supervisor(), short, &policy, NOW)),
        ["override_reason"]
    );
    let reason = "Witness saw the child forced into a van".to_owned();
    let overridden = ApproveBody {
        override_reason: Some(reason.clone()),
        ..Default::default()
    };
    let t = report
        .approve(&supervisor(), overridden, &policy, NOW)
        .unwrap();
    assert_eq!(t.entry.override_reason, Some(reason));
    assert_eq!(t.report.status(), Status::Active);
}

#[test]
fn approval_bounds() {
    let cases: Vec<(ApproveBody, &str)> = vec![
        (
            ApproveBody {
                duration_hours: Some(0),
                ..Default::default()
            },
            "duration_hours",
        ),
        (
            ApproveBody {
                duration_hours: Some(MAX_ALERT_LIFE_HOURS + 1),
                ..Default::default()
            },
            "duration_hours",
        ),
        (
            ApproveBody {
                radius_km: Some(0.0),
                ..Default::default()
            },
            "radius_km",
        ),
        (
            ApproveBody {
                radius_km: Some(-3.0),
                ..Default::default()
            },
            "radius_km",
        ),
        (
            // Positive, but too small to store: no circle at all.
            ApproveBody {
                radius_km: Some(1e-300),
                ..Default::default()
            },
            "radius_km",
        ),
        (
            ApproveBody {
                radius_km: Some(RADIUS_KM_LIMIT + 1.0),
                ..Default::default()
            },
            "radius_km",
        ),
        (
            ApproveBody {
                max_radius_km: Some(5.0),
                ..Default::default()
            },
            "max_radius_km",
        ),
        (
            ApproveBody {
                radius_km: Some(50.0),
                max_radius_km: Some(40.0),
                ..Default::default()
            },
            "max_radius_km",
        ),
        (
            ApproveBody {
                widen_km_per_hour: Some(-1.0),
                ..Default::default()
            },
            "widen_km_per_hour",
        ),
        (
            ApproveBody {
                widen_km_per_hour: Some(WIDEN_KM_PER_HOUR_LIMIT + 1.0),
                ..Default::default()
            },
            "widen_km_per_hour",
        ),
        (
            ApproveBody {
                languages: Some(vec![]),
                ..Default::default()
            },
            "languages",
        ),
    ];
    for (body, field) in cases {
        let result = filed().approve(&supervisor(), body, &AlertPolicy::default(), NOW);
        assert_eq!(invalid_fields(result), [field]);
    }
}

#[test]
fn reject_and_cancel_need_a_reason() {
    let none = ReasonBody { reason: None };
    assert_eq!(
        invalid_fields(filed().reject(&supervisor(), none, NOW)),
        ["reason"]
    );
    let blank = ReasonBody {
        reason: Some("  ".into()),
    };
    assert_eq!(
        invalid_fields(active().cancel(&supervisor(), blank, NOW)),
        ["reason"]
    );

    let t = filed()
        .reject(
            &supervisor(),
            ReasonBody {
                reason: Some("Not an abduction".into()),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(t.report.status(), Status::Rejected);
    let ending = t.report.ending().unwrap();
    assert_eq!(ending.at, NOW);
    assert_eq!(ending.reason.as_ref().unwrap().as_str(), "Not an abduction");
    assert_eq!(t.entry.reason.as_deref(), Some("Not an abduction"));

    let t = active()
        .cancel(
            &supervisor(),
            ReasonBody {
                reason: Some("Withdrawn by the prosecutor".into()),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(t.report.status(), Status::Cancelled);
    assert_eq!(t.report.version(), 3);
    assert!(t.report.ending().is_some());
}

#[test]
fn an_update_publishes_a_message_and_may_move_the_circle() {
    let report = active();
    let missing = UpdateBody::default();
    assert_eq!(
        invalid_fields(report.update(&officer(), missing, NOW)),
        ["message"]
    );

    let later = NOW + Duration::hours(2);
    let body: UpdateBody = serde_json::from_value(json!({
        "message": "Seen near the train station",
        "last_seen": { "at": "2026-11-28T18:00:00Z", "lat": 34.0132, "lon": -6.8326,
                       "place": "Rabat Ville station", "region": "MA-04" },
        "child": { "description": "Now wearing a blue scarf" },
        "vehicle": "White van, plate 12345-A-6"
    }))
    .unwrap();
    let t = report.update(&officer(), body, later).unwrap();
    assert_eq!(t.report.status(), Status::Active);
    assert_eq!(t.report.version(), 3);
    let alert = t.report.alert().unwrap();
    assert_eq!(
        alert.message.as_ref().unwrap().as_str(),
        "Seen near the train station"
    );
    assert_eq!(alert.area.lat.degrees(), 34.0132);
    assert_eq!(alert.area.widen_from, datetime!(2026-11-28 18:00 UTC));
    // Seen at 18:00, published at 19:10: two steps of 30 minutes at 5 km/h.
    assert_eq!(alert.area.widen_steps, 2);
    assert_eq!(alert.area.radius_km, alert.area.start_radius_km + 5.0);
    let details = t.report.details();
    assert_eq!(
        details.child.description.as_str(),
        "Now wearing a blue scarf"
    );
    assert_eq!(details.last_seen.place.as_str(), "Rabat Ville station");
    assert_eq!(
        details.circumstances.vehicle.as_ref().unwrap().as_str(),
        "White van, plate 12345-A-6"
    );
    assert_eq!(
        t.entry.reason.as_deref(),
        Some("Seen near the train station")
    );

    let earlier: UpdateBody = serde_json::from_value(json!({
        "message": "Old sighting",
        "last_seen": { "at": "2026-11-28T16:00:00Z", "lat": 34.0, "lon": -6.8,
                       "place": "Rabat", "region": "MA-04" }
    }))
    .unwrap();
    assert_eq!(
        invalid_fields(report.update(&officer(), earlier, later)),
        ["last_seen.at"]
    );
}

#[test]
fn extension_is_bounded_by_the_maximum_life() {
    let report = active();
    let t = report
        .extend(&supervisor(), ExtendBody { hours: Some(24) }, NOW)
        .unwrap();
    assert_eq!(
        t.report.alert().unwrap().expires_at,
        NOW + Duration::hours(48)
    );
    let t = t
        .report
        .extend(&supervisor(), ExtendBody { hours: Some(24) }, NOW)
        .unwrap();
    assert_eq!(
        t.report.alert().unwrap().expires_at,
        NOW + Duration::hours(72)
    );
    let beyond = t
        .report
        .extend(&supervisor(), ExtendBody { hours: Some(1) }, NOW);
    assert_eq!(
        beyond.unwrap_err(),
        ActionError::BeyondMaxLife {
            latest: NOW + Duration::hours(72)
        }
    );
    assert_eq!(
        invalid_fields(report.extend(&supervisor(), ExtendBody { hours: None }, NOW)),
        ["hours"]
    );
    assert_eq!(
        invalid_fields(report.extend(&supervisor(), ExtendBody { hours: Some(0) }, NOW)),
        ["hours"]
    );
}

#[test]
fn resolution_records_the_outcome() {
    let report = active();
    assert_eq!(
        invalid_fields(report.resolve(&officer(), ResolveBody::default(), NOW)),
        ["outcome"]
    );
    let body = ResolveBody {
        outcome: Some(Outcome::Found),
        note: Some("Found safe at a neighbour's".into()),
    };
    let t = report.resolve(&officer(), body, NOW).unwrap();
    assert_eq!(t.report.status(), Status::Resolved);
    let ending = t.report.ending().unwrap();
    assert_eq!(ending.outcome, Some(Outcome::Found));
    assert_eq!(ending.at, NOW);
}

#[test]
fn actions_follow_the_lifecycle() {
    let pending = filed();
    let active = active();
    let rejected = filed()
        .reject(
            &supervisor(),
            ReasonBody {
                reason: Some("r".into()),
            },
            NOW,
        )
        .unwrap()
        .report;
    let resolved = active
        .resolve(
            &officer(),
            ResolveBody {
                outcome: Some(Outcome::Other),
                note: None,
            },
            NOW,
        )
        .unwrap()
        .report;
    let reason = || ReasonBody {
        reason: Some("because".into()),
    };
    let message = || UpdateBody {
        message: Some("news".into()),
        ..Default::default()
    };
    let policy = AlertPolicy::default();
    for report in [&pending, &active, &rejected, &resolved] {
        let s = supervisor();
        let results: [(Action, Result<Transition, ActionError>); 6] = [
            (
                Action::Approve,
                report.approve(&s, ApproveBody::default(), &policy, NOW),
            ),
            (Action::Reject, report.reject(&s, reason(), NOW)),
            (Action::Update, report.update(&s, message(), NOW)),
            (
                Action::Extend,
                report.extend(&s, ExtendBody { hours: Some(1) }, NOW),
            ),
            (
                Action::Resolve,
                report.resolve(
                    &s,
                    ResolveBody {
                        outcome: Some(Outcome::Found),
                        note: None,
                    },
                    NOW,
                ),
            ),
            (Action::Cancel, report.cancel(&s, reason(), NOW)),
        ];
        for (action, result) in results {
            let from = report.status();
            match (from.apply(action), result) {
                (Ok(to), Ok(t)) => {
                    assert_eq!(t.report.status(), to);
                    assert_eq!(t.report.version(), report.version() + 1);
                }
                (Err(e), Err(ActionError::Transition(got))) => assert_eq!(got, e),
                (want, got) => panic!("{from:?} {action:?}: want {want:?}, got {got:?}"),
            }
        }
    }
}

#[test]
fn widening_in_steps_up_to_the_ceiling() {
    let body = ApproveBody {
        radius_km: Some(10.0),
        max_radius_km: Some(22.0),
        widen_km_per_hour: Some(10.0),
        ..Default::default()
    };
    let report = filed()
        .approve(&supervisor(), body, &AlertPolicy::default(), NOW)
        .unwrap()
        .report;
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let area = |r: &Report| r.alert().unwrap().area.clone();
    assert_eq!(
        area(&report).next_widening(),
        Some(NOW + Duration::minutes(30))
    );
    // Before the first step: nothing to do.
    assert!(
        report
            .widen(&scheduler, NOW + Duration::minutes(29))
            .unwrap()
            .is_none()
    );
    // At the first step: 10 + 10 km/h × 0.5 h.
    let t = report
        .widen(&scheduler, NOW + Duration::minutes(30))
        .unwrap()
        .unwrap();
    assert_eq!(t.entry.action, Action::Widen);
    assert_eq!(t.report.version(), 3);
    assert_eq!(area(&t.report).radius_km, 15.0);
    assert_eq!(t.report.publication().unwrap().msg_type, CapMsgType::Update);
    // Twice at the same time: the second changes nothing.
    assert!(
        t.report
            .widen(&scheduler, NOW + Duration::minutes(30))
            .unwrap()
            .is_none()
    );
    // Runs that missed steps catch up at once; the ceiling holds.
    let t = t
        .report
        .widen(&scheduler, NOW + Duration::minutes(95))
        .unwrap()
        .unwrap();
    assert_eq!(area(&t.report).radius_km, 22.0);
    assert_eq!(area(&t.report).widen_steps, 3);
    assert_eq!(area(&t.report).next_widening(), None);
    assert!(
        t.report
            .widen(&scheduler, NOW + Duration::hours(10))
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_new_sighting_restarts_widening() {
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let report = active();
    let widened = report
        .widen(&scheduler, NOW + Duration::hours(2))
        .unwrap()
        .unwrap()
        .report;
    assert_eq!(widened.alert().unwrap().area.radius_km, 20.0);
    let at = NOW + Duration::hours(2);
    let body: UpdateBody = serde_json::from_value(json!({
        "message": "Seen in Salé",
        "last_seen": { "at": "2026-11-28T19:05:00Z", "lat": 34.05, "lon": -6.80,
                       "place": "Salé medina", "region": "MA-04" }
    }))
    .unwrap();
    let updated = widened.update(&officer(), body, at).unwrap().report;
    let area = &updated.alert().unwrap().area;
    assert_eq!((area.radius_km, area.widen_steps), (DEFAULT_RADIUS_KM, 0));
    assert_eq!(area.widen_from, datetime!(2026-11-28 19:05 UTC));
    assert_eq!(area.next_widening(), Some(datetime!(2026-11-28 19:35 UTC)));
}

#[test]
fn expiry_exactly_at_before_and_after() {
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let report = active();
    let expires = report.alert().unwrap().expires_at;
    assert!(
        report
            .expire_due(&scheduler, expires - Duration::seconds(1))
            .unwrap()
            .is_none()
    );
    for at in [expires, expires + Duration::hours(3)] {
        let t = report.expire_due(&scheduler, at).unwrap().unwrap();
        assert_eq!(t.report.status(), Status::Expired);
        assert_eq!(t.report.ending().unwrap().at, at);
        assert_eq!(t.report.publication().unwrap().msg_type, CapMsgType::Cancel);
    }
    // Not an active alert: the lifecycle refuses.
    let resolved = report
        .resolve(
            &officer(),
            ResolveBody {
                outcome: Some(Outcome::Found),
                note: None,
            },
            NOW,
        )
        .unwrap()
        .report;
    assert!(matches!(
        resolved.expire_due(&scheduler, expires),
        Err(ActionError::Transition(_))
    ));
}

/// No `Debug` of a report, a transition or a public alert carries what an officer
/// typed: a `?value` in a log line cannot leak the child's data.
#[test]
fn debug_output_holds_no_typed_text() {
    const TYPED: [&str; 11] = [
        "Zineb Debugname",
        "Green scarf debugdescription",
        "Debugplace market",
        "Debugnarrative seen with a cousin",
        "https://photos.police.example/debugphoto.jpg",
        "+212537994471",
        "Debugvehicle blue hatchback",
        "Debugsuspect tall man",
        "Debugupdate seen near the souk",
        "Debugnote found at her aunt's house",
        "Debugoverride the family confirmed the danger",
    ];
    let body = |criteria_met: bool| -> ReportBody {
        serde_json::from_value(json!({
            "child": { "name": TYPED[0], "age": 7, "sex": "female", "description": TYPED[1],
                       "photo_url": TYPED[4], "photo_consent": true },
            "last_seen": { "at": "2026-11-28T16:30:00Z", "lat": 34.0209, "lon": -6.8416,
                           "place": TYPED[2], "region": "MA-04" },
            "circumstances": { "narrative": TYPED[3], "vehicle": TYPED[6], "suspect": TYPED[7] },
            "criteria": { "abduction_suspected": true, "risk_of_serious_harm": criteria_met,
                          "sufficient_description": true, "registered_in_national_database": true },
            "tip_line": TYPED[5]
        }))
        .unwrap()
    };
    let file = |criteria_met| {
        let draft = body(criteria_met).validate(FILED).unwrap();
        Report::file(ReportId::generate(FILED), draft, officer(), FILED)
    };
    let (filed, first) = file(false);
    let approved = filed
        .approve(
            &supervisor(),
            ApproveBody {
                override_reason: Some(TYPED[10].into()),
                ..Default::default()
            },
            &AlertPolicy::default(),
            NOW,
        )
        .unwrap();
    let updated = approved
        .report
        .update(
            &officer(),
            UpdateBody {
                message: Some(TYPED[8].into()),
                ..Default::default()
            },
            NOW,
        )
        .unwrap();
    let public = crate::domain::public::PublicAlert::of(&updated.report).unwrap();
    let resolved = updated
        .report
        .resolve(
            &officer(),
            ResolveBody {
                outcome: Some(Outcome::Found),
                note: Some(TYPED[9].into()),
            },
            NOW,
        )
        .unwrap();
    let rejected = file(true)
        .0
        .reject(
            &supervisor(),
            ReasonBody {
                reason: Some(TYPED[9].into()),
            },
            NOW,
        )
        .unwrap();
    let printed = format!(
        "{filed:?} {first:?} {approved:?} {updated:?} {public:?} {resolved:?} {rejected:?}"
    );
    for typed in TYPED {
        assert!(!printed.contains(typed), "{typed:?} in {printed}");
    }
    // What tells one report from another is still there.
    assert!(printed.contains(&format!("{:?}", filed.id())));
}

fn actor(id: &str, supervisor: bool) -> Actor {
    Actor {
        id: OfficerId::new(id).unwrap(),
        supervisor,
    }
}

/// On an active alert, update and resolve belong to the officers on the case and to
/// supervisors; the other actions are the groups' business, and nothing is decided
/// here before the alert is active.
#[test]
fn case_ownership() {
    let alert = active();
    let stranger = actor("officer-9", false);
    for action in [Action::Update, Action::Resolve] {
        assert_eq!(
            alert.may_take(&stranger, action),
            Err(ActionError::NotOnCase(action))
        );
        assert_eq!(alert.may_take(&actor("officer-1", false), action), Ok(()));
        assert_eq!(alert.may_take(&actor("supervisor-9", true), action), Ok(()));
        // Before approval the lifecycle answers, not ownership.
        assert_eq!(filed().may_take(&stranger, action), Ok(()));
    }
    assert_eq!(alert.may_take(&stranger, Action::Extend), Ok(()));

    let assigned = alert
        .assign(
            &supervisor(),
            AssignBody {
                officer: Some(" officer-9 ".into()),
            },
            NOW,
        )
        .unwrap();
    assert_eq!(assigned.report.version(), alert.version() + 1);
    assert_eq!(assigned.report.status(), Status::Active);
    assert_eq!(
        assigned.report.publication(),
        None,
        "nothing public changes"
    );
    assert_eq!(assigned.entry.action, Action::Assign);
    assert_eq!(
        assigned.entry.assigned,
        Some(OfficerId::new("officer-9").unwrap())
    );
    assert_eq!(assigned.entry.reason, None);
    assert_eq!(assigned.report.may_take(&stranger, Action::Resolve), Ok(()));
}

#[test]
fn assignment_rules() {
    let alert = active();
    let assign = |report: &Report, officer: Option<&str>| {
        report.assign(
            &supervisor(),
            AssignBody {
                officer: officer.map(str::to_owned),
            },
            NOW,
        )
    };
    for (officer, message) in [
        (None, "is required"),
        (Some("  "), "must not be empty"),
        (Some("officer 9"), "without spaces"),
        (Some("officer-1"), "already on this case"),
        (Some("officer\u{200B}9"), "invisible character"),
    ] {
        match assign(&alert, officer) {
            Err(ActionError::Invalid(errors)) => {
                assert_eq!(errors.0.len(), 1, "{officer:?}");
                assert_eq!(errors.0[0].field, "officer");
                assert!(
                    errors.0[0].message.contains(message),
                    "{officer:?}: {errors:?}"
                );
            }
            other => panic!("{officer:?}: {other:?}"),
        }
    }
    let mut report = alert;
    for n in 0..crate::domain::limits::ASSIGNED_MAX {
        report = assign(&report, Some(&format!("officer-x{n}")))
            .unwrap()
            .report;
    }
    assert!(matches!(
        assign(&report, Some("one-more")),
        Err(ActionError::Invalid(_))
    ));
    // A report waiting for review can be given officers too; an ended one cannot.
    assert!(assign(&filed(), Some("officer-9")).is_ok());
    let rejected = filed()
        .reject(
            &supervisor(),
            ReasonBody {
                reason: Some("no".into()),
            },
            NOW,
        )
        .unwrap()
        .report;
    assert!(matches!(
        assign(&rejected, Some("officer-9")),
        Err(ActionError::Transition(_))
    ));
}

#[test]
fn a_report_nobody_reviews_lapses_and_is_kept_as_a_rejected_one() {
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let at = FILED + Duration::hours(24);
    let lapsed = filed().lapse(&scheduler, at).unwrap();
    assert_eq!(lapsed.report.status(), Status::Lapsed);
    assert_eq!(lapsed.report.publication(), None);
    assert_eq!(lapsed.entry.action, Action::Lapse);
    let retention = crate::domain::RetentionPolicy::default();
    assert_eq!(
        lapsed.report.purge_at(&retention),
        Some(at + retention.rejected)
    );
    assert!(matches!(
        active().lapse(&scheduler, at),
        Err(ActionError::Transition(_))
    ));
}

/// The regions an alert touches follow its circle as it widens and moves; its reach
/// keeps every one of them, and every cell, for the messages that follow.
#[test]
fn reach_grows_with_the_circle_and_keeps_where_it_was() {
    use crate::domain::Region::*;
    use crate::domain::cells;
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let report = active();
    let alert = report.alert().unwrap();
    assert_eq!(alert.regions, [RabatSaleKenitra]);
    assert_eq!(alert.reach.regions, [RabatSaleKenitra].into());

    // The default 5 km/h for 12 hours: 70 km from Rabat, into Casablanca-Settat.
    let widened = report
        .widen(&scheduler, NOW + Duration::hours(12))
        .unwrap()
        .unwrap()
        .report;
    let alert = widened.alert().unwrap();
    assert_eq!(alert.area.radius_km, 70.0);
    assert_eq!(alert.regions, [RabatSaleKenitra, CasablancaSettat]);

    // Seen in Marrakech: the circle moves there and is small again.
    let body: UpdateBody = serde_json::from_value(json!({
        "message": "Seen in Marrakech",
        "last_seen": { "at": "2026-11-29T04:00:00Z", "lat": 31.6295, "lon": -7.9811,
                       "place": "Jemaa el-Fna", "region": "MA-07" }
    }))
    .unwrap();
    let moved = widened
        .update(&officer(), body, NOW + Duration::hours(12))
        .unwrap()
        .report;
    let alert = moved.alert().unwrap();
    assert_eq!(alert.regions, [MarrakechSafi]);
    for region in [RabatSaleKenitra, CasablancaSettat, MarrakechSafi] {
        assert!(alert.reach.regions.contains(&region), "{region:?}");
    }
    assert!(alert.reach.cells.len() <= cells::MAX_CELLS);
    // Whoever was in the first circle is still in the reach's cells.
    let rabat = cells::point_prefixes(34.0209, -6.8416);
    assert!(rabat.iter().any(|p| alert.reach.cells.contains(p)));
    let marrakech = cells::point_prefixes(31.6295, -7.9811);
    assert!(marrakech.iter().any(|p| alert.reach.cells.contains(p)));
}

/// Widening every step of the longest life an alert can have still leaves the officers
/// room for their updates and for the end.
#[test]
fn a_whole_life_of_widening_leaves_room_for_people() {
    let scheduler = OfficerId::new("tifli-scheduler").unwrap();
    let body = ApproveBody {
        duration_hours: Some(MAX_ALERT_LIFE_HOURS),
        widen_km_per_hour: Some(1.0),
        max_radius_km: Some(RADIUS_KM_LIMIT),
        ..Default::default()
    };
    let mut report = filed()
        .approve(&supervisor(), body, &AlertPolicy::default(), NOW)
        .unwrap()
        .report;
    let end = NOW + Duration::hours(MAX_ALERT_LIFE_HOURS);
    let mut at = NOW;
    while at < end {
        at += Duration::minutes(MIN_WIDEN_STEP_MINUTES);
        if let Some(next) = report.widen(&scheduler, at).unwrap() {
            report = next.report;
        }
    }
    let widenings = report.publications().len() - 1;
    assert_eq!(
        widenings as i64,
        MAX_ALERT_LIFE_HOURS * 60 / MIN_WIDEN_STEP_MINUTES
    );
    assert!(MAX_PUBLIC_MESSAGES - 2 - widenings >= 100, "{widenings}");
    assert!(report.has_room_for_an_update());
}

/// A message is never sent before the one it follows, whatever the clock of the host
/// that decided it says.
#[test]
fn sent_times_never_go_back() {
    let report = active();
    let behind = NOW - Duration::minutes(3);
    let body = UpdateBody {
        message: Some("Seen near the station".into()),
        ..Default::default()
    };
    let updated = report.update(&officer(), body, behind).unwrap().report;
    let sent: Vec<OffsetDateTime> = updated.publications().iter().map(|p| p.sent).collect();
    assert_eq!(sent, [NOW, NOW]);
    let later = NOW + Duration::minutes(1);
    let resolved = updated
        .resolve(
            &officer(),
            ResolveBody {
                outcome: Some(Outcome::Found),
                note: None,
            },
            later,
        )
        .unwrap()
        .report;
    assert_eq!(resolved.publication().unwrap().sent, later);
}
