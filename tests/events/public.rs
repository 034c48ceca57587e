//! The public function driven by API Gateway events without an authorizer, as deployed:
//! the listing, one alert, its CAP message and the feed, and what an ended alert keeps.

use std::sync::Arc;

use serde_json::Value;
use tifli::domain::actions::ResolveBody;
use tifli::domain::{OfficerId, Outcome, ReportId};
use tifli::ports::{CapKey, FixedClock, ReportCreator, ReportWriter};
use tifli::store::memory::MemoryStore;
use tifli_testkit::requests::{Reply, assert_problem};
use tifli_testkit::samples::{self, NOW};
use tifli_testkit::signing::{LocalKey, UnavailableKey};
use tifli_testkit::{PAGE_BASE, events};

/// The id of the fixtures' paths.
pub const ID: &str = "01KB2ZQ7M3N8X5V4T6R9P2W1YA";

fn fixture(name: &str) -> Value {
    events::fixture("public", name)
}

pub async fn invoke(store: &MemoryStore, event: Value) -> Reply {
    invoke_signed(store, event, LocalKey::current()).await
}

/// [`invoke`], the public function's CAP messages signed by `key`.
async fn invoke_signed(store: &MemoryStore, event: Value, key: impl CapKey) -> Reply {
    let router = tifli::http::public::router(
        store.clone(),
        tifli_testkit::issuer(),
        Arc::new(FixedClock(NOW)),
        tifli::signing::Signing::new(key),
    );
    events::invoke(router, event).await
}

/// A store holding the fixtures' alert, approved; and resolved too when `ended`.
async fn with_alert(ended: bool) -> MemoryStore {
    stored(samples::report_json(samples::SEEN_AT), ended).await
}

/// A store holding the fixtures' alert filed from `body`, approved; and found too when
/// `ended`.
pub async fn stored(body: Value, ended: bool) -> MemoryStore {
    let store = MemoryStore::default();
    let id = ReportId::parse(ID).unwrap();
    let (report, entry) = samples::filed(body, id, "officer-7", NOW);
    store.create(&report, &entry, None, NOW).await.unwrap();
    let supervisor = OfficerId::new("supervisor-7").unwrap();
    let active = report
        .approve(&supervisor, Default::default(), &Default::default(), NOW)
        .unwrap();
    store.save(&active).await.unwrap();
    if ended {
        let found = ResolveBody {
            outcome: Some(Outcome::Found),
            note: None,
        };
        let resolved = active.report.resolve(&supervisor, found, NOW).unwrap();
        store.save(&resolved).await.unwrap();
    }
    store
}

#[tokio::test]
async fn the_listing_and_one_alert_without_credentials() {
    let store = with_alert(false).await;
    let list = invoke(&store, fixture("list-alerts.json")).await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.headers["cache-control"], "public, max-age=30");
    assert_eq!(list.body["items"][0]["id"], ID);
    let one = invoke(&store, fixture("get-alert.json")).await;
    assert_eq!(one.status, 200, "{}", one.body);
    assert_eq!(one.body["child"]["name"], "Amina");
    assert_eq!(one.body["cap"], format!("/alerts/{ID}/cap"));
    assert!(one.body.get("circumstances").is_none(), "{}", one.body);
}

#[tokio::test]
async fn the_cap_message_and_the_feed_in_their_media_types() {
    let store = with_alert(false).await;
    let cap = invoke(&store, fixture("get-cap.json")).await;
    assert_eq!(cap.status, 200);
    assert_eq!(cap.headers["content-type"], "application/cap+xml");
    let xml = cap.body.as_str().unwrap();
    assert!(
        xml.contains(&format!("<identifier>tifli-{ID}-2</identifier>")),
        "{xml}"
    );
    // Signed, as the fan-out signs what it publishes.
    let key = LocalKey::current();
    let verdicts = tifli_testkit::signing::verify(&[xml.to_owned()], &key.published_keys());
    assert!(verdicts[0].verified(), "{verdicts:?}");
    let feed = invoke(&store, fixture("alerts-feed.json")).await;
    assert_eq!(feed.status, 200);
    assert_eq!(feed.headers["content-type"], "application/atom+xml");
    // The feed's links are absolute, on the configured public base URL.
    let atom = feed.body.as_str().unwrap();
    let cap_link = format!("{PAGE_BASE}/alerts/{ID}/cap");
    assert!(atom.contains(&cap_link), "{atom}");
}

/// Without a configured base, the feed's links are the API's own address, as API
/// Gateway records the domain it served the request on: still not the `Host` header.
#[tokio::test]
async fn without_a_base_url_the_links_are_the_api_s_own_address() {
    let store = with_alert(false).await;
    let issuer = tifli::fanout::Issuer::new(tifli_testkit::issuer().sender, "");
    let router = tifli::http::public::router(
        store.clone(),
        issuer,
        Arc::new(FixedClock(NOW)),
        LocalKey::current().signing(),
    );
    let mut event = fixture("alerts-feed.json");
    event["headers"]["host"] = "attacker.example".into();
    let feed = events::invoke(router, event.clone()).await;
    assert_eq!(feed.status, 200);
    let atom = feed.body.as_str().unwrap();
    let api = event["requestContext"]["domainName"].as_str().unwrap();
    assert!(
        atom.contains(&format!("https://{api}/alerts/{ID}/cap")),
        "{atom}"
    );
    assert!(!atom.contains("attacker"), "{atom}");
}

#[tokio::test]
async fn the_feed_never_takes_its_links_from_the_host_header() {
    let store = with_alert(false).await;
    let mut event = fixture("alerts-feed.json");
    event["headers"]["host"] = "attacker.example".into();
    event["headers"]["x-forwarded-host"] = "attacker.example".into();
    event["requestContext"]["domainName"] = "attacker.example".into();
    let feed = invoke(&store, event).await;
    assert_eq!(feed.status, 200);
    let atom = feed.body.as_str().unwrap();
    assert!(!atom.contains("attacker"), "{atom}");
    assert!(atom.contains(&format!("{PAGE_BASE}/alerts.atom")), "{atom}");
}

#[tokio::test]
async fn an_ended_alert_keeps_its_id_status_and_end_only() {
    let store = with_alert(true).await;
    let one = invoke(&store, fixture("get-alert.json")).await;
    assert_eq!(one.status, 200, "{}", one.body);
    let mut keys: Vec<&str> = one
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(keys, ["ended_at", "id", "status"]);
    assert_eq!(one.body["status"], "resolved");
    let list = invoke(&store, fixture("list-alerts.json")).await;
    assert_eq!(list.body["items"], serde_json::json!([]));
}

/// The keys partners verify with: the current one, then the previous one, as PEM.
#[tokio::test]
async fn the_signing_keys_are_published_current_first() {
    let key = LocalKey::current().rotated_from(&LocalKey::before_rotation());
    let r = invoke_signed(
        &MemoryStore::default(),
        fixture("get-signing-keys.json"),
        key,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.headers["cache-control"], "public, max-age=30");
    let keys = r.body["keys"].as_array().unwrap();
    let kids: Vec<&str> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, ["test-key-2", "test-key-1"]);
    for key in keys {
        assert!(
            key["pem"]
                .as_str()
                .unwrap()
                .starts_with("-----BEGIN PUBLIC KEY-----\n")
        );
        assert_eq!(key["not_before"], "2026-11-01T00:00:00Z");
        assert_eq!(key.as_object().unwrap().len(), 3, "{key}");
    }
}

/// When the key cannot sign or be read (KMS throttled, the key disabled), nothing goes
/// out unsigned: the reader is asked to come back.
#[tokio::test]
async fn without_its_key_the_cap_message_is_unavailable() {
    let store = with_alert(false).await;
    for name in ["get-cap.json", "get-signing-keys.json"] {
        let r = invoke_signed(&store, fixture(name), UnavailableKey).await;
        assert_problem(&r, 503, "unavailable");
        assert_eq!(r.body["detail"], "the signing key is unavailable");
        assert_eq!(r.headers["retry-after"], "1");
    }
    // What needs no signature is still served.
    let r = invoke_signed(&store, fixture("get-alert.json"), UnavailableKey).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn an_unknown_alert_is_a_problem() {
    let r = invoke(&MemoryStore::default(), fixture("get-cap.json")).await;
    assert_problem(&r, 404, "not-found");
    let mut other = fixture("get-alert.json");
    other["rawPath"] = "/alerts/not-an-id".into();
    other["requestContext"]["http"]["path"] = "/alerts/not-an-id".into();
    other["pathParameters"]["id"] = "not-an-id".into();
    let r = invoke(&MemoryStore::default(), other).await;
    assert_problem(&r, 404, "not-found");
}
