//! Load through the local stack over HTTP: 500 filings from 50 concurrent clients, each
//! stored once and retrievable, retries never duplicating one; 50 concurrent actions on
//! one report, one winner.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::time::{Duration, Instant};

use serde_json::json;
use tifli_testkit::local::{Call, LocalStack, Reply, agent};
use tifli_testkit::samples::report;

/// The runner binary these tests run.
const RUNNER: &str = env!("CARGO_BIN_EXE_tifli-local");

const CLIENTS: usize = 50;
const FILINGS_PER_CLIENT: usize = 10;

/// The `q`-quantile of sorted `durations`, in milliseconds.
fn quantile(sorted: &[Duration], q: f64) -> f64 {
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[index].as_secs_f64() * 1000.0
}

/// Runs `task(client)` for every client at once, all released together. Scoped: when a
/// client fails, the others finish and the test unwinds, stopping the stack.
fn concurrently<T: Send>(clients: usize, task: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let start = Barrier::new(clients);
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..clients)
            .map(|client| {
                let (task, start) = (&task, &start);
                scope.spawn(move || {
                    start.wait();
                    task(client)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().expect("a client"))
            .collect()
    })
}

struct Filing {
    client: usize,
    name: String,
    reply: Reply,
    took: Duration,
    /// The same request sent again, as a client that lost the first response would.
    retry: Option<Reply>,
}

#[test]
fn five_hundred_concurrent_filings_are_each_stored_once_and_one_action_wins() {
    let stack = LocalStack::start(RUNNER, "load", "warn");
    let tokens: Vec<String> = (0..CLIENTS)
        .map(|c| stack.token(&format!("officer-{c}"), &["officers"]))
        .collect();

    let began = Instant::now();
    let filings: Vec<Filing> = concurrently(CLIENTS, |client| {
        let agent = agent();
        (0..FILINGS_PER_CLIENT)
            .map(|n| {
                let name = format!("Load Child {client}-{n}");
                let body = report(&name);
                let key = format!("load-{client}-{n}");
                let call = || {
                    Call::post(&stack, "/reports")
                        .bearer(&tokens[client])
                        .header("idempotency-key", &key)
                        .json(&body)
                };
                let sent = Instant::now();
                let reply = call().send_with(&agent);
                let took = sent.elapsed();
                let retry = (n == 0).then(|| call().send_with(&agent));
                Filing {
                    client,
                    name,
                    reply,
                    took,
                    retry,
                }
            })
            .collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect();
    let elapsed = began.elapsed();

    // Every filing answered 201 with its own report; every retry with the same one.
    let mut filed: BTreeMap<String, String> = BTreeMap::new();
    for filing in &filings {
        assert_eq!(filing.reply.status, 201, "{}", filing.reply.text);
        let report = filing.reply.json();
        assert_eq!(report["reported_by"], format!("officer-{}", filing.client));
        let id = report["id"].as_str().expect("an id").to_owned();
        if let Some(retry) = &filing.retry {
            assert_eq!(retry.status, 200, "a replay: {}", retry.text);
            assert_eq!(retry.json()["id"], id.as_str());
        }
        assert!(
            filed.insert(id, filing.name.clone()).is_none(),
            "an id given twice"
        );
    }
    assert_eq!(filed.len(), CLIENTS * FILINGS_PER_CLIENT);

    // All of them, once each, in the review queue.
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let mut queued = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/reports?limit=100&cursor={c}"),
            None => "/reports?limit=100".to_owned(),
        };
        let page = Call::get(&stack, &path).bearer(&supervisor).send();
        assert_eq!(page.status, 200, "{}", page.text);
        let page = page.json();
        for item in page["items"].as_array().expect("items") {
            queued.push(item["id"].as_str().expect("id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(queued.len(), filed.len(), "listed once each");
    assert_eq!(
        queued.iter().cloned().collect::<BTreeSet<_>>(),
        filed.keys().cloned().collect::<BTreeSet<_>>()
    );

    // And each readable, with the child it was filed for.
    let ids: Vec<(String, String)> = filed.into_iter().collect();
    let readers = 10;
    concurrently(readers, |reader| {
        let agent = agent();
        for (id, name) in ids.iter().skip(reader).step_by(readers) {
            let reply = Call::get(&stack, &format!("/reports/{id}"))
                .bearer(&supervisor)
                .send_with(&agent);
            assert_eq!(reply.status, 200, "{}", reply.text);
            assert_eq!(reply.json()["child"]["name"], name.as_str());
        }
    });

    let mut latencies: Vec<Duration> = filings.iter().map(|f| f.took).collect();
    latencies.sort();
    println!(
        "load: {} filings (+{} retries) from {CLIENTS} concurrent clients in {:.1} s \
         ({:.0}/s); latency p50 {:.0} ms, p95 {:.0} ms, max {:.0} ms; all stored once, \
         listed once and read back",
        filings.len(),
        CLIENTS,
        elapsed.as_secs_f64(),
        filings.len() as f64 / elapsed.as_secs_f64(),
        quantile(&latencies, 0.5),
        quantile(&latencies, 0.95),
        quantile(&latencies, 1.0),
    );

    one_winner(&stack, &ids[0].0);
}

/// 50 supervisors approve the same report at once, then act on the alert at once: each
/// time exactly one wins, the others get the stale-version problem, and the history has
/// one line per winner.
fn one_winner(stack: &LocalStack, id: &str) {
    let tokens: Vec<String> = (0..CLIENTS)
        .map(|c| stack.token(&format!("supervisor-{c}"), &["supervisors"]))
        .collect();
    for (version, action, body) in [
        (1, "approve", json!({})),
        (2, "extend", json!({"hours": 6})),
        (3, "update", json!({"message": "Seen near the station"})),
    ] {
        let replies = concurrently(CLIENTS, |client| {
            Call::post(stack, &format!("/reports/{id}/{action}"))
                .bearer(&tokens[client])
                .version(version)
                .json(&body)
                .send()
        });
        let winners: Vec<&Reply> = replies.iter().filter(|r| r.status == 200).collect();
        assert_eq!(winners.len(), 1, "{action}: one winner");
        assert_eq!(winners[0].json()["version"], version + 1);
        for reply in replies.iter().filter(|r| r.status != 200) {
            assert_eq!(reply.status, 412, "{action}: {}", reply.text);
            assert_eq!(reply.json()["type"], "/problems/stale-version");
        }
        println!(
            "load: {CLIENTS} concurrent {action}s of one report: 1 winner, {} stale-version",
            CLIENTS - 1
        );
    }
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let read = Call::get(stack, &format!("/reports/{id}"))
        .bearer(&supervisor)
        .send()
        .json();
    assert_eq!(read["version"], 4);
    let actions: Vec<&str> = read["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|h| h["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["file", "approve", "extend", "update"]);
}
