//! The local stack's JWT authorizer refuses what API Gateway refuses, in API Gateway's
//! words; what passes reaches the function's own 401/403 checks.

use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::json;
use tifli_local::auth::Authorizer;
use tifli_testkit::TestStack;

use tifli_testkit::requests::{act, assert_problem, file_report, file_sample, get, succeeds};
use tifli_testkit::samples::report_body;

/// `{"alg":"none","typ":"JWT"}`, base64url-encoded.
const ALG_NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

/// The claims of a token the user pool would issue, with `extra` merged in (a `null`
/// removes a claim).
fn claims(sub: &str, extra: serde_json::Value) -> serde_json::Value {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let serde_json::Value::Object(mut claims) = json!({
        "sub": sub, "iss": tifli_local::auth::ISSUER, "aud": tifli_local::auth::AUDIENCE,
        "iat": now, "exp": now + 3600, "token_use": "id",
    }) else {
        unreachable!("an object literal")
    };
    for (name, value) in extra.as_object().expect("an object") {
        match value {
            serde_json::Value::Null => claims.remove(name),
            value => claims.insert(name.clone(), value.clone()),
        };
    }
    claims.into()
}

fn parts(token: &str) -> [&str; 3] {
    let mut parts = token.split('.');
    [(); 3].map(|_| parts.next().expect("three parts"))
}

#[tokio::test]
async fn bad_tokens_are_refused_before_the_function() {
    let stack = TestStack::start().await;
    let body = report_body();
    let foreign = Authorizer::generate().expect("key").issue(
        "o",
        &["officers".into()],
        time::OffsetDateTime::now_utc(),
    );
    let expired = stack.auth.issue(
        "o",
        &["officers".into()],
        time::OffsetDateTime::now_utc() - time::Duration::hours(2),
    );
    for (what, token) in [
        ("no token", None),
        ("foreign key", Some(foreign.as_str())),
        ("expired", Some(expired.as_str())),
        ("garbage", Some("x.y.z")),
    ] {
        let reply = stack.send(file_report(token, None, &body)).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}");
        assert_eq!(reply.body, json!({"message": "Unauthorized"}), "{what}");
    }
    assert_eq!(stack.count("report").await, 0);
}

/// Tokens a forger can make without the key: none reaches a function, on any protected
/// route, and nothing is written.
#[tokio::test]
async fn forged_tokens_are_refused_on_every_protected_route() {
    let stack = TestStack::start().await;
    let id = file_sample(&stack).await;
    let officer = stack.token("officer-2", &["officers"]);
    let supervisor = stack.auth.sign(&claims(
        "officer-2",
        json!({"cognito:groups": ["officers", "supervisors"]}),
    ));
    let [header, officer_payload, officer_signature] = parts(&officer);
    let [_, supervisor_payload, _] = parts(&supervisor);
    let forged = [
        // The payload of a supervisor's token under an officer's signature.
        (
            "wrong signature",
            format!("{header}.{supervisor_payload}.{officer_signature}"),
        ),
        ("unsigned", format!("{header}.{supervisor_payload}.")),
        (
            "alg none",
            format!("{ALG_NONE_HEADER}.{supervisor_payload}."),
        ),
        (
            "alg none, signed",
            format!("{ALG_NONE_HEADER}.{officer_payload}.{officer_signature}"),
        ),
        (
            "expired",
            stack.auth.sign(&claims(
                "officer-2",
                json!({"cognito:groups": ["supervisors"], "exp": 1_700_000_000}),
            )),
        ),
        (
            "no expiry",
            stack.auth.sign(&claims(
                "officer-2",
                json!({"cognito:groups": ["supervisors"], "exp": null}),
            )),
        ),
        (
            "other issuer",
            stack.auth.sign(&claims(
                "officer-2",
                json!({"cognito:groups": ["supervisors"], "iss": "elsewhere"}),
            )),
        ),
        (
            "other audience",
            stack.auth.sign(&claims(
                "officer-2",
                json!({"cognito:groups": ["supervisors"], "aud": "another-app"}),
            )),
        ),
    ];
    for (what, token) in &forged {
        let actions = ["approve", "reject", "update", "extend", "resolve", "cancel"]
            .map(|action| act(Some(token), &id, action, Some(1), None));
        for request in [
            file_report(Some(token), None, &report_body()),
            get(Some(token), "/reports"),
            get(Some(token), &format!("/reports/{id}")),
        ]
        .into_iter()
        .chain(actions)
        {
            let route = format!("{} {}", request.method(), request.uri());
            let reply = stack.send(request).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{what}: {route}");
            assert_eq!(reply.body, json!({"message": "Unauthorized"}), "{what}");
            assert_eq!(reply.headers["www-authenticate"], "Bearer");
        }
    }
    assert_eq!(stack.count("report").await, 1);
    assert_eq!(stack.count("history").await, 1, "nothing approved");
}

/// Signed tokens whose roles are missing, or claimed anywhere but `cognito:groups`, or
/// smuggled in one string: the function refuses the role with a 403 problem.
#[tokio::test]
async fn roles_come_only_from_the_groups_claim_of_a_signed_token() {
    let stack = TestStack::start().await;
    let id = file_sample(&stack).await;
    let tokens = [
        ("no groups claim", json!({"cognito:groups": null})),
        ("empty groups", json!({"cognito:groups": []})),
        ("groups", json!({"groups": ["supervisors"]})),
        (
            "custom claim",
            json!({"custom:groups": "supervisors", "custom:role": "supervisors"}),
        ),
        (
            "scope",
            json!({"scope": "supervisors", "cognito:roles": ["supervisors"]}),
        ),
        (
            "one string for two",
            json!({"cognito:groups": "officers supervisors"}),
        ),
        (
            "brackets in a name",
            json!({"cognito:groups": ["officers]", "[supervisors"]}),
        ),
        (
            "another case",
            json!({"cognito:groups": ["Supervisors", "SUPERVISORS"]}),
        ),
    ];
    for (what, extra) in tokens {
        let token = stack.auth.sign(&claims("supervisor-2", extra));
        let reply = stack.act(&token, &id, "approve", 1, None).await;
        assert_problem(&reply, 403, "forbidden");
        let reply = stack
            .send(file_report(Some(&token), None, &report_body()))
            .await;
        assert_problem(&reply, 403, "forbidden");
        // Reading needs a role too.
        let reply = stack.send(get(Some(&token), "/reports")).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{what}");
    }
    // The same claims reader grants the role when the claim is the real one.
    let token = stack.auth.sign(&claims(
        "supervisor-2",
        json!({"cognito:groups": ["supervisors"]}),
    ));
    succeeds(stack.act(&token, &id, "approve", 1, None)).await;
}

/// What has no route is answered before the authorizer, as API Gateway does (there with
/// its own 404): the same problem with a token or without.
#[tokio::test]
async fn no_route_is_answered_before_the_authorizer() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers"]);
    for token in [None, Some(token.as_str())] {
        let reply = stack.send(get(token, "/no/such/route")).await;
        assert_problem(&reply, 404, "not-found");
        for (method, path) in [("DELETE", "/reports"), ("POST", "/alerts")] {
            let mut request = Request::builder().method(method).uri(path);
            if let Some(token) = token {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let reply = stack
                .send(request.body(Body::empty()).expect("request"))
                .await;
            assert_problem(&reply, 405, "method-not-allowed");
        }
    }
}

#[tokio::test]
async fn a_valid_token_of_the_wrong_group_is_403_from_the_function() {
    let stack = TestStack::start().await;
    for groups in [&["supervisors"][..], &[][..], &["officers-not"][..]] {
        let token = stack.token("s", groups);
        let reply = stack
            .send(file_report(Some(&token), None, &report_body()))
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{groups:?}");
        assert_eq!(reply.body["type"], "/problems/forbidden");
    }
}

#[tokio::test]
async fn dev_token_route_issues_usable_tokens() {
    let stack = TestStack::start().await;
    let request = Request::post("/dev/token")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"sub": "officer-9", "groups": ["officers"]}).to_string(),
        ))
        .expect("request");
    let reply = stack.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let token = reply.body["token"].as_str().expect("token");
    let filed = stack
        .send(file_report(Some(token), None, &report_body()))
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    assert_eq!(filed.body["reported_by"], "officer-9");

    let bad = Request::post("/dev/token")
        .header("content-type", "application/json")
        .body(Body::from(json!({"sub": "", "admin": true}).to_string()))
        .expect("request");
    let reply = stack.send(bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errors"][0]["field"], "admin");

    let smuggling = Request::post("/dev/token")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({"sub": "o", "groups": ["officers", "officers supervisors", "x]"]}).to_string(),
        ))
        .expect("request");
    let reply = stack.send(smuggling).await;
    assert_problem(&reply, 400, "validation");
    assert_eq!(reply.body["errors"][0]["field"], "groups[1]");
    assert_eq!(reply.body["errors"][1]["field"], "groups[2]");

    let config = stack
        .send(
            Request::get("/dev/config")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(config.body["table"], tifli_testkit::TABLE);
    assert_eq!(config.body["endpoint"], stack.emulator.endpoint());
}
