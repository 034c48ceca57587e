//! `docs/openapi.yaml` describes every route of the deployed API and no other. Three
//! lists must be the same set of `(method, path)`: the routes the routers are built from
//! (`tifli::http::routes::ALL`, with `{action}` spelled out for every action taken on
//! request), the operations of the description, and the routes `template.yaml` gives API
//! Gateway. The description's public operations (`security: []`) are the template's
//! routes without an authorizer. And each operation of the description reaches a handler
//! of the real router, not its fallback.

use std::collections::BTreeSet;

use axum::body::Body;
use http::{Request, StatusCode};
use serde_norway::Value;
use tifli::domain::Action;
use tifli::http::routes;
use tifli_testkit::TestStack;

type Route = (String, String);

const DESCRIPTION: &str = "docs/openapi.yaml";

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn yaml(path: &str) -> Value {
    let path = tifli_local::repo_root().join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The routes of `table`, with `{action}` spelled out: API Gateway routes each action as
/// its own path, and the description gives each its own body.
fn code_routes(table: &[routes::Route], actions: &[&str]) -> BTreeSet<Route> {
    let mut found = BTreeSet::new();
    for route in table {
        let method = route.method.as_str().to_owned();
        if route.path.contains("{action}") {
            for action in actions {
                found.insert((method.clone(), route.path.replace("{action}", action)));
            }
        } else {
            found.insert((method, route.path.to_owned()));
        }
    }
    found
}

fn routers() -> BTreeSet<Route> {
    let actions: Vec<&str> = Action::ON_REQUEST.iter().map(|a| a.as_str()).collect();
    code_routes(&routes::ALL, &actions)
}

/// Every operation of an OpenAPI description, with whether it is public.
fn spec_operations(spec: &Value) -> Vec<(Route, bool)> {
    let paths = spec["paths"].as_mapping().expect("paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let path = path.as_str().expect("a path");
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let public = operation
                    .get("security")
                    .and_then(Value::as_sequence)
                    .is_some_and(|s| s.is_empty());
                operations.push(((method.to_uppercase(), path.to_owned()), public));
            }
        }
    }
    operations
}

/// The HTTP API routes of `template.yaml`, with whether they skip the authorizer.
fn template_routes(template: &Value) -> Vec<(Route, bool)> {
    let mut routes = Vec::new();
    for resource in template["Resources"]
        .as_mapping()
        .expect("Resources")
        .values()
    {
        let Some(events) = resource["Properties"]
            .get("Events")
            .and_then(Value::as_mapping)
        else {
            continue;
        };
        for event in events.values() {
            if event["Type"].as_str() != Some("HttpApi") {
                continue;
            }
            let p = &event["Properties"];
            let method = p["Method"].as_str().expect("Method").to_uppercase();
            let path = p["Path"].as_str().expect("Path").to_owned();
            let public = p
                .get("Auth")
                .and_then(|a| a.get("Authorizer"))
                .and_then(Value::as_str)
                == Some("NONE");
            routes.push(((method, path), public));
        }
    }
    routes
}

/// What one list has that the other has not, in words.
fn differences(code: &BTreeSet<Route>, described: &BTreeSet<Route>, what: &str) -> Vec<String> {
    let name = |(m, p): &Route| format!("{m} {p}");
    code.difference(described)
        .map(|r| format!("{} is in the code, not in {what}", name(r)))
        .chain(
            described
                .difference(code)
                .map(|r| format!("{} is in {what}, not in the code", name(r))),
        )
        .collect()
}

fn routes_of(list: &[(Route, bool)]) -> BTreeSet<Route> {
    list.iter().map(|(r, _)| r.clone()).collect()
}

fn public_of(list: &[(Route, bool)]) -> BTreeSet<Route> {
    list.iter()
        .filter(|(_, public)| *public)
        .map(|(r, _)| r.clone())
        .collect()
}

#[test]
fn the_description_the_template_and_the_routers_have_the_same_routes() {
    let code = routers();
    assert_eq!(code.len(), 21, "{code:?}");
    let spec = spec_operations(&yaml(DESCRIPTION));
    let template = template_routes(&yaml("template.yaml"));
    let mut wrong = differences(&code, &routes_of(&spec), DESCRIPTION);
    wrong.extend(differences(&code, &routes_of(&template), "template.yaml"));
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert_eq!(spec.len(), code.len(), "an operation described twice");
    assert_eq!(
        public_of(&spec),
        public_of(&template),
        "the description's `security: []` operations are the template's routes without an authorizer"
    );
}

#[test]
fn a_route_missing_on_either_side_is_caught() {
    let code = routers();
    // A route taken out of the description.
    let mut spec = yaml(DESCRIPTION);
    spec["paths"]
        .as_mapping_mut()
        .expect("paths")
        .remove("/alerts/{id}/cap")
        .expect("the CAP route is described");
    let wrong = differences(
        &code,
        &routes_of(&spec_operations(&spec)),
        "the description",
    );
    assert_eq!(
        wrong,
        ["GET /alerts/{id}/cap is in the code, not in the description"]
    );
    // A route the code no longer declares, and a new action.
    let table: Vec<routes::Route> = routes::ALL
        .into_iter()
        .filter(|r| r.path != "/alerts.atom")
        .collect();
    let mut names: Vec<&str> = Action::ON_REQUEST.iter().map(|a| a.as_str()).collect();
    names.push("escalate");
    let described = routes_of(&spec_operations(&yaml(DESCRIPTION)));
    let wrong = differences(&code_routes(&table, &names), &described, "the description");
    assert_eq!(
        wrong,
        [
            "POST /reports/{id}/escalate is in the code, not in the description",
            "GET /alerts.atom is in the description, not in the code",
        ]
    );
}

#[tokio::test]
async fn every_described_operation_reaches_a_handler() {
    let stack = TestStack::start().await;
    let token = stack.token("officer-1", &["officers", "supervisors"]);
    let spec = yaml(DESCRIPTION);
    let request = |method: &str, path: &str, token: Option<&str>| {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request
    };
    // What the router answers where it has no route.
    let unrouted = stack
        .send(
            request("GET", "/no/such/route", Some(&token))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(unrouted.status, StatusCode::NOT_FOUND);
    assert_eq!(unrouted.body["type"], "/problems/not-found");

    let id = tifli::domain::ReportId::generate(time::OffsetDateTime::now_utc()).to_string();
    for ((method, path), public) in spec_operations(&spec) {
        let uri = path.replace("{id}", &id);
        let operation = &spec["paths"][path.as_str()][method.to_lowercase().as_str()];
        let build = |token: Option<&str>| {
            let mut request = request(&method, &uri, token);
            let headers = operation.get("parameters").and_then(Value::as_sequence);
            let if_match = headers.is_some_and(|ps| {
                ps.iter().any(|p| {
                    p.get("$ref").and_then(Value::as_str) == Some("#/components/parameters/IfMatch")
                })
            });
            if if_match {
                request = request.header("if-match", "\"1\"");
            }
            if operation.get("requestBody").is_some() {
                request
                    .header("content-type", "application/json")
                    .body(Body::from("{}"))
            } else {
                request.body(Body::empty())
            }
            .expect("request")
        };
        // Without a token: the authorizer's 401 exactly where the description asks for
        // a token.
        let anonymous = stack.send(build(None)).await;
        assert_eq!(
            anonymous.body == serde_json::json!({"message": "Unauthorized"}),
            !public,
            "{method} {path} without a token: {} {}",
            anonymous.status,
            anonymous.body
        );
        let reply = stack.send(build(Some(&token))).await;
        assert!(
            reply.body != unrouted.body
                && reply.status != StatusCode::METHOD_NOT_ALLOWED
                && reply.status != StatusCode::UNAUTHORIZED,
            "{method} {path} is not routed to a handler: {} {}",
            reply.status,
            reply.body
        );
    }
}
