//! `infra/openapi.yaml` describes every route of the deployed API and no other. Three
//! lists must be the same set of `(method, path)`: the routes the routers declare (read
//! from their source: the code is the truth), the operations of the description, and
//! the routes `template.yaml` gives API Gateway. The description's public operations
//! (`security: []`) are the template's routes without an authorizer. And each operation
//! of the description reaches a handler of the real router, not its fallback.

use std::collections::BTreeSet;

use axum::body::Body;
use http::{Request, StatusCode};
use serde_norway::Value;
use tifli_tests::TestStack;

use crate::http::send;

type Route = (String, String);

/// The routers of the deployed functions; the local-only `/dev` routes are elsewhere.
const ROUTERS: [&str; 3] = [
    "src/http/intake.rs",
    "src/http/approval.rs",
    "src/http/public.rs",
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn read(path: &str) -> String {
    let path = tifli_local::repo_root().join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(path: &str) -> Value {
    serde_norway::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Skips a balanced `( … )` at the start of `text`; what follows it.
fn after_parens(text: &str) -> &str {
    let mut depth = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[i + 1..];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in {text:.80}")
}

/// The leading identifier of `text` and what follows it.
fn identifier(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    text.split_at(end)
}

/// `(METHOD, path)` of every `.route("path", get(…).post(…))` in `source`.
fn declared_routes(source: &str) -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for call in source.split(".route(").skip(1) {
        let call = call.trim_start();
        let rest = call
            .strip_prefix('"')
            .unwrap_or_else(|| panic!("a .route( whose path is not a literal: {call:.80}"));
        let (path, rest) = rest.split_once('"').expect("the path's closing quote");
        let mut rest = rest
            .trim_start()
            .strip_prefix(',')
            .expect("a method router");
        loop {
            let (method, tail) = identifier(rest.trim_start());
            assert!(
                METHODS.contains(&method),
                "{path}: `{method}` is not a method this test knows"
            );
            routes.insert((method.to_uppercase(), path.to_owned()));
            rest = after_parens(tail);
            match rest.strip_prefix('.') {
                Some(chained) if METHODS.contains(&identifier(chained).0) => rest = chained,
                _ => break,
            }
        }
    }
    routes
}

/// The actions `POST /reports/{id}/{action}` takes: the names `ActionName::parse` knows.
fn actions(approval: &str) -> Vec<String> {
    let names: Vec<String> = approval
        .lines()
        .filter_map(|l| {
            let (name, rest) = l.trim().strip_prefix('"')?.split_once('"')?;
            rest.trim_start()
                .starts_with("=> Self::")
                .then(|| name.to_owned())
        })
        .collect();
    assert!(!names.is_empty(), "no action names found in approval.rs");
    names
}

/// The routes of the code, with `{action}` spelled out: API Gateway routes each action
/// as its own path, and the description gives each its own body.
fn code_routes(sources: &[String], actions: &[String]) -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for (method, path) in sources.iter().flat_map(|s| declared_routes(s)) {
        if path.contains("{action}") {
            for action in actions {
                routes.insert((method.clone(), path.replace("{action}", action)));
            }
        } else {
            routes.insert((method, path));
        }
    }
    routes
}

fn routers() -> BTreeSet<Route> {
    let sources: Vec<String> = ROUTERS.iter().map(|p| read(p)).collect();
    code_routes(&sources, &actions(&sources[1]))
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
    assert_eq!(code.len(), 13, "{code:?}");
    let spec = spec_operations(&yaml("infra/openapi.yaml"));
    let template = template_routes(&yaml("template.yaml"));
    let mut wrong = differences(&code, &routes_of(&spec), "infra/openapi.yaml");
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
    let mut spec = yaml("infra/openapi.yaml");
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
    let mut sources: Vec<String> = ROUTERS.iter().map(|p| read(p)).collect();
    let mut names = actions(&sources[1]);
    names.push("escalate".into());
    sources[2] = sources[2].replace(".route(\"/alerts.atom\"", ".nest(\"/alerts.atom\"");
    let described = routes_of(&spec_operations(&yaml("infra/openapi.yaml")));
    let wrong = differences(
        &code_routes(&sources, &names),
        &described,
        "the description",
    );
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
    let spec = yaml("infra/openapi.yaml");
    let request = |method: &str, path: &str, token: Option<&str>| {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        request
    };
    // What the router answers where it has no route.
    let unrouted = send(
        &stack.router,
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
        let anonymous = send(&stack.router, build(None)).await;
        assert_eq!(
            anonymous.body == serde_json::json!({"message": "Unauthorized"}),
            !public,
            "{method} {path} without a token: {} {}",
            anonymous.status,
            anonymous.body
        );
        let reply = send(&stack.router, build(Some(&token))).await;
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
