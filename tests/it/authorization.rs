//! Every route × every kind of caller: no token, an officer (not the reporter), a
//! supervisor, and the reporting officer acting as a supervisor. Forged tokens and
//! smuggled roles are in `authorizer.rs`.

use http::StatusCode;
use serde_json::{Value, json};
use tifli_testkit::TestStack;

use tifli_testkit::requests::{act, file, file_and_approve, file_report, get, send_sighting};
use tifli_testkit::samples::{report_body, sighting_body};

#[derive(Debug, Clone, Copy)]
enum Caller {
    NoToken,
    Officer,
    Supervisor,
    ReporterAsSupervisor,
}

const REPORTER: &str = "officer-1";

impl Caller {
    fn token(self, stack: &TestStack) -> Option<String> {
        match self {
            Caller::NoToken => None,
            Caller::Officer => Some(stack.token("officer-2", &["officers"])),
            Caller::Supervisor => Some(stack.token("supervisor-1", &["supervisors"])),
            Caller::ReporterAsSupervisor => Some(stack.token(REPORTER, &["supervisors"])),
        }
    }
}

/// A route, the state its report must be in, and the body a permitted caller sends.
#[derive(Debug, Clone, Copy)]
enum Route {
    File,
    List,
    Read,
    Preview,
    Sightings,
    /// A witness's sighting of an active alert, with or without a token.
    Sighting,
    /// An upload of an active alert's photo.
    Photo,
    Action(&'static str, bool),
    /// A public route; `{id}` stands for an active alert's id.
    Public(&'static str),
}

fn action_body(action: &str) -> Option<Value> {
    match action {
        "reject" | "cancel" => Some(json!({"reason": "Duplicate of another report"})),
        "update" => Some(json!({"message": "Seen near the central market"})),
        "extend" => Some(json!({"hours": 12})),
        "resolve" => Some(json!({"outcome": "found", "note": "Found safe"})),
        "assign" => Some(json!({"officer": "officer-on-call"})),
        _ => None,
    }
}

async fn call(stack: &TestStack, route: Route, caller: Caller) -> StatusCode {
    let token = caller.token(stack);
    let token = token.as_deref();
    let request = match route {
        Route::File => file_report(token, None, &report_body()),
        Route::List => get(token, "/reports"),
        Route::Read => {
            let id = file(stack, REPORTER, &report_body()).await;
            get(token, &format!("/reports/{id}"))
        }
        Route::Preview => {
            let id = file(stack, REPORTER, &report_body()).await;
            get(token, &format!("/reports/{id}/preview"))
        }
        Route::Sightings => {
            let id = file_and_approve(stack, REPORTER, "supervisor-9").await;
            get(token, &format!("/reports/{id}/sightings"))
        }
        Route::Sighting => {
            let id = file_and_approve(stack, REPORTER, "supervisor-9").await;
            let mut request = send_sighting(&id, "198.51.100.7", &sighting_body());
            if let Some(token) = token {
                let value = format!("Bearer {token}").parse().expect("a header");
                request.headers_mut().insert("authorization", value);
            }
            request
        }
        Route::Photo => {
            let id = file_and_approve(stack, REPORTER, "supervisor-9").await;
            let mut request = http::Request::post(format!("/reports/{id}/photo"))
                .header("content-type", "application/json");
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let body = json!({"consent": true, "content_type": "image/jpeg"}).to_string();
            request
                .body(axum::body::Body::from(body))
                .expect("a request")
        }
        Route::Action(action, needs_active) => {
            let (id, version) = if needs_active {
                (file_and_approve(stack, REPORTER, "supervisor-9").await, 2)
            } else {
                (file(stack, REPORTER, &report_body()).await, 1)
            };
            act(
                token,
                &id,
                action,
                Some(version),
                action_body(action).as_ref(),
            )
        }
        Route::Public(path) => {
            let id = file_and_approve(stack, REPORTER, "supervisor-9").await;
            get(token, &path.replace("{id}", &id))
        }
    };
    stack.send(request).await.status
}

#[tokio::test]
async fn every_route_for_every_caller() {
    use Caller::*;
    const OK: StatusCode = StatusCode::OK;
    const CREATED: StatusCode = StatusCode::CREATED;
    const UNAUTHORIZED: StatusCode = StatusCode::UNAUTHORIZED;
    const FORBIDDEN: StatusCode = StatusCode::FORBIDDEN;
    // route, then the status for: no token, officer, supervisor, reporter as supervisor
    // An officer who neither filed nor was assigned to an active alert may not update or
    // resolve it: the case's own officers may (see the trust tests).
    let matrix: [(Route, [StatusCode; 4]); 21] = [
        (Route::File, [UNAUTHORIZED, CREATED, FORBIDDEN, FORBIDDEN]),
        (Route::List, [UNAUTHORIZED, OK, OK, OK]),
        (Route::Read, [UNAUTHORIZED, OK, OK, OK]),
        // Reading what approval would send commits nothing: the reporter may read it.
        (Route::Preview, [UNAUTHORIZED, FORBIDDEN, OK, OK]),
        // Staff read what witnesses sent; anyone may send one.
        (Route::Sightings, [UNAUTHORIZED, OK, OK, OK]),
        (Route::Sighting, [CREATED; 4]),
        // The case's officers and supervisors add its photo.
        (Route::Photo, [UNAUTHORIZED, FORBIDDEN, OK, OK]),
        (
            Route::Action("approve", false),
            [UNAUTHORIZED, FORBIDDEN, OK, FORBIDDEN],
        ),
        (
            Route::Action("reject", false),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        (
            Route::Action("update", true),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        (
            Route::Action("extend", true),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        (
            Route::Action("resolve", true),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        (
            Route::Action("assign", true),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        (
            Route::Action("cancel", true),
            [UNAUTHORIZED, FORBIDDEN, OK, OK],
        ),
        // The public side has no authorizer: a token changes nothing.
        (Route::Public("/alerts"), [OK; 4]),
        (Route::Public("/alerts.atom"), [OK; 4]),
        (Route::Public("/alerts/{id}"), [OK; 4]),
        (Route::Public("/alerts/{id}/cap"), [OK; 4]),
        (Route::Public("/.well-known/cap-signing-keys"), [OK; 4]),
        (Route::Public("/a/{id}"), [OK; 4]),
        (Route::Public("/a/{id}/card.png"), [OK; 4]),
    ];
    let stack = TestStack::start().await;
    for (route, expected) in matrix {
        for (caller, want) in [NoToken, Officer, Supervisor, ReporterAsSupervisor]
            .into_iter()
            .zip(expected)
        {
            let got = call(&stack, route, caller).await;
            assert_eq!(got, want, "{route:?} as {caller:?}");
        }
    }
}

#[tokio::test]
async fn the_reporter_approving_gets_the_four_eyes_problem() {
    let stack = TestStack::start().await;
    let id = file(&stack, REPORTER, &report_body()).await;
    let token = stack.token(REPORTER, &["officers", "supervisors"]);
    let reply = stack.act(&token, &id, "approve", 1, None).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(reply.body["type"], "/problems/four-eyes");
    let officer = stack.token("officer-2", &["officers"]);
    let reply = stack.act(&officer, &id, "approve", 1, None).await;
    assert_eq!(reply.body["type"], "/problems/forbidden");
}
