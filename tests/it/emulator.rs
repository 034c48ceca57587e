//! The emulator's TransactWriteItems (`infra/emulator.py`) behaves as DynamoDB's on what
//! Tifli relies on: every condition checked before anything is written, a write that
//! fails undoing the others and leaving no stream record, and a ClientRequestToken
//! answering a repeated call without writing again.

use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Put, TransactWriteItem, Update};
use tifli_testkit::{TABLE, TestStack};

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn key(pk: &str) -> std::collections::HashMap<String, AttributeValue> {
    [("pk".to_owned(), s(pk)), ("sk".to_owned(), s("item"))].into()
}

fn put(pk: &str, value: &str) -> TransactWriteItem {
    let mut item = key(pk);
    item.insert("value".into(), s(value));
    TransactWriteItem::builder()
        .put(
            Put::builder()
                .table_name(TABLE)
                .set_item(Some(item))
                .build()
                .expect("a put"),
        )
        .build()
}

async fn value(stack: &TestStack, pk: &str) -> Option<String> {
    let item = stack
        .client
        .get_item()
        .table_name(TABLE)
        .set_key(Some(key(pk)))
        .consistent_read(true)
        .send()
        .await
        .expect("get")
        .item?;
    item.get("value")?.as_s().ok().cloned()
}

/// How many records the table's stream holds.
async fn stream_records(stack: &TestStack) -> usize {
    stack.stream_records().await.1.len()
}

#[tokio::test]
async fn a_failed_condition_or_write_leaves_no_trace() {
    let stack = TestStack::start().await;
    stack
        .client
        .transact_write_items()
        .transact_items(put("b", "text"))
        .send()
        .await
        .expect("b written");
    let records = stream_records(&stack).await;

    // A condition on another item fails: the Put before it is not applied.
    let missing = TransactWriteItem::builder()
        .condition_check(
            ConditionCheck::builder()
                .table_name(TABLE)
                .set_key(Some(key("nowhere")))
                .condition_expression("attribute_exists(pk)")
                .build()
                .expect("a check"),
        )
        .build();
    let refused = stack
        .client
        .transact_write_items()
        .transact_items(put("a", "1"))
        .transact_items(missing)
        .send()
        .await
        .expect_err("cancelled");
    assert_eq!(refused.code(), Some("TransactionCanceledException"));

    // A write fails as it is applied (a number added to a string): the Put before it is
    // undone, and the stream shows neither.
    let bad_update = TransactWriteItem::builder()
        .update(
            Update::builder()
                .table_name(TABLE)
                .set_key(Some(key("b")))
                .update_expression("SET #v = #v + :one")
                .expression_attribute_names("#v", "value")
                .expression_attribute_values(":one", AttributeValue::N("1".into()))
                .build()
                .expect("an update"),
        )
        .build();
    let refused = stack
        .client
        .transact_write_items()
        .transact_items(put("a", "1"))
        .transact_items(bad_update)
        .send()
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), Some("ValidationException"), "{refused:?}");

    assert_eq!(value(&stack, "a").await, None);
    assert_eq!(value(&stack, "b").await.as_deref(), Some("text"));
    assert_eq!(stream_records(&stack).await, records);
}

#[tokio::test]
async fn a_repeated_client_request_token_is_answered_without_writing() {
    let stack = TestStack::start().await;
    let send = |value: &'static str| {
        stack
            .client
            .transact_write_items()
            .client_request_token("token-1")
            .transact_items(put("a", value))
            .send()
    };
    send("first").await.expect("written");
    stack
        .client
        .transact_write_items()
        .transact_items(put("a", "changed since"))
        .send()
        .await
        .expect("changed");
    let records = stream_records(&stack).await;

    send("first").await.expect("answered again");
    assert_eq!(value(&stack, "a").await.as_deref(), Some("changed since"));
    assert_eq!(stream_records(&stack).await, records, "nothing written");

    let mismatch = send("other").await.expect_err("refused");
    assert_eq!(
        mismatch.code(),
        Some("IdempotentParameterMismatchException")
    );
}
