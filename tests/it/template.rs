//! `template.yaml` and the code agree on the table: the deployed table is the one the
//! adapter was written for, and the one the local stack provisions.

use std::collections::BTreeSet;

use serde_norway::Value;
use tifli::store::schema::TABLE;
use tifli_testkit::{TABLE as NAME, TestStack};

fn template() -> Value {
    let path = tifli_local::repo_root().join("template.yaml");
    let text = std::fs::read_to_string(&path).expect("template.yaml");
    serde_norway::from_str(&text).expect("template.yaml is YAML")
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {v:?}"))
}

/// `(first, second)` of each entry of a list of `{first: …, second: …}`.
fn pairs(list: &Value, first: &str, second: &str) -> Vec<(String, String)> {
    let list = list.as_sequence().expect("a list");
    let pair = |e: &Value| (str_of(e, first).to_owned(), str_of(e, second).to_owned());
    list.iter().map(pair).collect()
}

/// `(attribute, HASH|RANGE)` pairs of a KeySchema list.
fn keys(schema: &Value) -> Vec<(String, String)> {
    pairs(schema, "AttributeName", "KeyType")
}

fn expected_keys(key: tifli::store::schema::Key) -> Vec<(String, String)> {
    vec![
        (key.partition.into(), "HASH".into()),
        (key.sort.into(), "RANGE".into()),
    ]
}

/// The one table of the template, by its type.
fn table() -> Value {
    let template = template();
    let tables: Vec<&Value> = template["Resources"]
        .as_mapping()
        .expect("Resources")
        .values()
        .filter(|r| r["Type"].as_str() == Some("AWS::DynamoDB::Table"))
        .collect();
    assert_eq!(tables.len(), 1, "template.yaml declares one table");
    tables[0]["Properties"].clone()
}

#[test]
fn the_template_declares_the_table_the_code_expects() {
    let table = table();
    assert_eq!(str_of(&table, "BillingMode"), "PAY_PER_REQUEST");
    assert_eq!(keys(&table["KeySchema"]), expected_keys(TABLE.key));

    let attributes: BTreeSet<(String, String)> = pairs(
        &table["AttributeDefinitions"],
        "AttributeName",
        "AttributeType",
    )
    .into_iter()
    .collect();
    let expected: BTreeSet<(String, String)> = TABLE
        .key_attributes()
        .into_iter()
        .map(|a| (a.to_owned(), "S".to_owned()))
        .collect();
    assert_eq!(attributes, expected);

    let indexes = table["GlobalSecondaryIndexes"]
        .as_sequence()
        .expect("GlobalSecondaryIndexes");
    assert_eq!(indexes.len(), TABLE.indexes.len());
    for index in TABLE.indexes {
        let declared = indexes
            .iter()
            .find(|i| i["IndexName"].as_str() == Some(index.name))
            .unwrap_or_else(|| panic!("index {} missing from template.yaml", index.name));
        assert_eq!(
            keys(&declared["KeySchema"]),
            expected_keys(index.key),
            "{}",
            index.name
        );
        assert_eq!(
            declared["Projection"]["ProjectionType"].as_str(),
            Some("ALL"),
            "{}",
            index.name
        );
    }

    assert_eq!(
        str_of(&table["StreamSpecification"], "StreamViewType"),
        TABLE.stream_view_type
    );
    assert_eq!(
        str_of(&table["TimeToLiveSpecification"], "AttributeName"),
        TABLE.ttl_attribute
    );
    assert_eq!(
        table["TimeToLiveSpecification"]["Enabled"].as_bool(),
        Some(true)
    );
    assert_eq!(
        table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
        Some(true)
    );
}

#[tokio::test]
async fn the_provisioned_table_matches_the_template() {
    let stack = TestStack::start().await;
    let described = stack
        .client
        .describe_table()
        .table_name(NAME)
        .send()
        .await
        .expect("describe")
        .table
        .expect("table");
    let template = table();

    let key_pairs =
        |schema: &[aws_sdk_dynamodb::types::KeySchemaElement]| -> Vec<(String, String)> {
            schema
                .iter()
                .map(|k| {
                    (
                        k.attribute_name().to_owned(),
                        k.key_type().as_str().to_owned(),
                    )
                })
                .collect()
        };
    assert_eq!(
        key_pairs(described.key_schema()),
        keys(&template["KeySchema"])
    );
    let declared_indexes = template["GlobalSecondaryIndexes"]
        .as_sequence()
        .expect("indexes");
    let mut provisioned: Vec<(String, Vec<(String, String)>)> = described
        .global_secondary_indexes()
        .iter()
        .map(|i| {
            (
                i.index_name().unwrap_or("").to_owned(),
                key_pairs(i.key_schema()),
            )
        })
        .collect();
    let mut declared: Vec<(String, Vec<(String, String)>)> = declared_indexes
        .iter()
        .map(|i| (str_of(i, "IndexName").to_owned(), keys(&i["KeySchema"])))
        .collect();
    provisioned.sort();
    declared.sort();
    assert_eq!(provisioned, declared);

    let stream = described.stream_specification().expect("a stream");
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type().map(|v| v.as_str()),
        Some(str_of(&template["StreamSpecification"], "StreamViewType"))
    );
    let ttl = stack
        .client
        .describe_time_to_live()
        .table_name(NAME)
        .send()
        .await
        .expect("ttl")
        .time_to_live_description
        .expect("ttl description");
    assert_eq!(
        ttl.attribute_name(),
        Some(str_of(
            &template["TimeToLiveSpecification"],
            "AttributeName"
        ))
    );
}

/// Each HttpApi route `template.yaml` gives a function is one that function's router
/// serves: with no identity it answers the function's own 401, not a 404 or 405.
#[tokio::test]
async fn every_route_of_the_template_is_served_by_its_function() {
    use std::sync::Arc;

    use axum::body::Body;
    use tifli::domain::AlertPolicy;
    use tifli::ports::SystemClock;
    use tifli::store::memory::MemoryStore;
    use tower::ServiceExt;

    let template = template();
    let routers = [
        (
            "IntakeFunction",
            tifli::http::intake::router(MemoryStore::default(), Arc::new(SystemClock)),
        ),
        (
            "ApprovalFunction",
            tifli::http::approval::router(
                MemoryStore::default(),
                Arc::new(SystemClock),
                AlertPolicy::default(),
                tifli_testkit::issuer(),
                tifli_testkit::uploads(),
            ),
        ),
        (
            "PublicFunction",
            tifli::http::public::router(
                MemoryStore::default(),
                tifli_testkit::issuer(),
                Arc::new(SystemClock),
                tifli_testkit::signing::LocalKey::current().signing(),
            ),
        ),
        (
            "CardFunction",
            tifli::http::card::router(
                MemoryStore::default(),
                tifli::store::memory_photos::MemoryPhotos::default(),
            ),
        ),
    ];
    let id = tifli::domain::ReportId::generate(time::OffsetDateTime::now_utc()).to_string();
    let mut checked = 0;
    for (function, router) in routers {
        let events = template["Resources"][function]["Properties"]["Events"]
            .as_mapping()
            .unwrap_or_else(|| panic!("{function} has no events"));
        for event in events.values() {
            assert_eq!(event["Type"].as_str(), Some("HttpApi"));
            let method = str_of(&event["Properties"], "Method");
            let path = str_of(&event["Properties"], "Path").replace("{id}", &id);
            let request = http::Request::builder()
                .method(method)
                .uri(&path)
                .body(Body::empty())
                .expect("request");
            let response = router.clone().oneshot(request).await.expect("infallible");
            let status = response.status();
            let public = event["Properties"]["Auth"]["Authorizer"].as_str() == Some("NONE");
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .expect("body");
            let body = String::from_utf8_lossy(&body);
            if public {
                // Open to all: an answer, or this function's own 404 for an unknown alert
                // (a problem, or the page that says so in every language).
                assert!(
                    ["PublicFunction", "CardFunction"].contains(&function),
                    "{function}"
                );
                assert!(
                    status.is_success()
                        || body.contains("no such alert")
                        || body.contains("There is no alert at this address."),
                    "{function}: {method} {path}: {body}"
                );
            } else {
                assert_eq!(
                    status,
                    http::StatusCode::UNAUTHORIZED,
                    "{function}: {method} {path}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 21);
}

/// The fan-out's event source lets through exactly what the local stack's does.
#[test]
fn the_stream_filter_of_the_template_is_the_local_one() {
    let template = template();
    let event = &template["Resources"]["FanoutFunction"]["Properties"]["Events"]["ReportChanges"]["Properties"];
    assert_eq!(str_of(event, "StartingPosition"), "TRIM_HORIZON");
    assert_eq!(
        event["FunctionResponseTypes"][0].as_str(),
        Some("ReportBatchItemFailures")
    );
    let patterns = filter_patterns(event);
    let record = |name: &str, kind: &str| serde_json::json!({"eventName": name, "dynamodb": {"NewImage": {"kind": {"S": kind}}}});
    for name in ["INSERT", "MODIFY", "REMOVE"] {
        for kind in [
            "report",
            "publication",
            "history",
            "idempotency",
            "retention",
            "sighting",
            "limit",
        ] {
            let record = record(name, kind);
            let passes = ["MODIFY report", "MODIFY publication", "INSERT sighting"]
                .contains(&format!("{name} {kind}").as_str());
            assert_eq!(
                patterns.iter().any(|p| matches_pattern(p, &record)),
                passes,
                "the template's filter, {name} {kind}"
            );
            assert_eq!(
                tifli_local::streams::passes_filter(&record),
                passes,
                "{name} {kind}"
            );
        }
    }
}

/// The photo function's stream filter, in the template and in the local runner: an
/// ended report with a hosted photo, and a retention marker deleted; nothing else.
#[test]
fn the_photo_function_hears_of_ends_and_purges_only() {
    let template = template();
    let event =
        &template["Resources"]["PhotoFunction"]["Properties"]["Events"]["ReportEnds"]["Properties"];
    assert_eq!(str_of(event, "StartingPosition"), "TRIM_HORIZON");
    assert_eq!(event["MaximumRetryAttempts"].as_i64(), Some(-1));
    let patterns = filter_patterns(event);
    let photo =
        serde_json::json!({"M": {"original": {"S": "uploads/x/y"}, "renditions": {"L": []}}});
    let mut checked = 0;
    for name in ["INSERT", "MODIFY", "REMOVE"] {
        for kind in ["report", "retention", "history", "sighting"] {
            for status in tifli::domain::Status::ALL {
                for with_photo in [false, true] {
                    let mut image =
                        serde_json::json!({"kind": {"S": kind}, "status": {"S": status.as_str()}});
                    if with_photo {
                        image["photo"] = photo.clone();
                    }
                    let record = serde_json::json!({"eventName": name,
                        "dynamodb": {"NewImage": image, "OldImage": image}});
                    let passes = (name == "MODIFY"
                        && kind == "report"
                        && status.is_terminal()
                        && with_photo)
                        || (name == "REMOVE" && kind == "retention");
                    let what = format!("{name} {kind} {} photo: {with_photo}", status.as_str());
                    assert_eq!(
                        patterns.iter().any(|p| matches_pattern(p, &record)),
                        passes,
                        "the template's filter, {what}"
                    );
                    assert_eq!(
                        tifli_local::streams::passes_photo_filter(&record),
                        passes,
                        "{what}"
                    );
                    checked += usize::from(passes);
                }
            }
        }
    }
    assert!(checked > 5);
}

/// The JSON patterns of a stream event source's filter.
fn filter_patterns(event: &Value) -> Vec<serde_json::Value> {
    event["FilterCriteria"]["Filters"]
        .as_sequence()
        .expect("filters")
        .iter()
        .map(|f| serde_json::from_str(str_of(f, "Pattern")).expect("a JSON pattern"))
        .collect()
}

/// Whether `record` matches an event filter `pattern` of exact values and `exists`:
/// each array lists the values a field may have; each object goes a level down.
fn matches_pattern(pattern: &serde_json::Value, record: &serde_json::Value) -> bool {
    match pattern {
        serde_json::Value::Object(fields) => fields
            .iter()
            .all(|(key, inner)| matches_pattern(inner, &record[key])),
        serde_json::Value::Array(values) => values
            .iter()
            .any(|value| value == record || (value["exists"] == true && !record.is_null())),
        _ => false,
    }
}
