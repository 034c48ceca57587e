//! Sightings sent to the public function through API Gateway, as an app sends them
//! (JSON) and as the page's form does without a script: taken, refused with the problem
//! (or the page) that says why, and limited per client address and per alert.

use scraper::{Html, Selector};
use serde_json::{Value, json};
use tifli::domain::ReportId;
use tifli::domain::limits::{SIGHTINGS_PER_ADDRESS, SIGHTINGS_PER_ALERT};
use tifli::ports::SightingReader;
use tifli::store::memory::MemoryStore;
use tifli_testkit::requests::{Reply, assert_problem};
use tifli_testkit::samples;

use crate::public::{ID, invoke, stored};

fn event(name: &str) -> Value {
    tifli_testkit::events::fixture("public", name)
}

/// The JSON fixture with `body` instead of its own.
fn with_body(body: &Value) -> Value {
    let mut event = event("post-sighting.json");
    let text = body.to_string();
    event["headers"]["content-length"] = text.len().to_string().into();
    event["body"] = text.into();
    event
}

/// The form fixture with `fields` instead of its own.
fn with_form(fields: &[(&str, &str)]) -> Value {
    let mut event = event("post-sighting-form.json");
    let body: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    event["headers"]["content-length"] = body.len().to_string().into();
    event["body"] = body.into();
    event
}

/// The fixture from another client address, as API Gateway saw it.
fn from_address(mut event: Value, address: &str) -> Value {
    event["requestContext"]["http"]["sourceIp"] = address.into();
    event
}

async fn sightings(store: &MemoryStore) -> Vec<tifli::domain::sighting::Sighting> {
    store
        .sightings(ReportId::parse(ID).unwrap(), 1_000, None)
        .await
        .unwrap()
        .sightings
}

fn html(reply: &Reply) -> Html {
    Html::parse_document(reply.body.as_str().expect("an HTML body"))
}

fn texts(page: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a selector");
    page.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

#[tokio::test]
async fn a_witness_sighting_is_taken_for_the_officers_and_never_cached() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    let reply = invoke(&store, event("post-sighting.json")).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.headers["cache-control"], "no-store");
    let id = reply.body["id"].as_str().expect("an id");
    let kept = sightings(&store).await;
    assert_eq!(kept.len(), 1);
    let sighting = serde_json::to_value(&kept[0]).unwrap();
    assert_eq!(sighting["id"], id);
    assert_eq!(sighting["report_id"], ID);
    assert_eq!(sighting["place"], "Gare routière de Khémisset, quai 3");
    assert_eq!(sighting["contact"], "+212 6 12 34 56 78");
    assert_eq!(sighting["lat"], 33.826);
    assert_eq!(sighting["seen_at"], "2026-11-28T17:45:00+01:00");
    assert_eq!(sighting["received_at"], "2026-11-28T17:10:00Z");
    // The alert is as it was: a sighting never changes it.
    let alert = invoke(&store, event("get-alert.json")).await;
    assert_eq!(alert.body["version"], 2);
}

#[tokio::test]
async fn every_bad_sighting_gets_the_problem_that_names_its_fields() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    let future = "2026-11-28T19:00:00+01:00";
    let cases = [
        (json!({}), vec!["seen_at", "place", "description"]),
        (
            json!({"seen_at": future, "place": "x", "description": "y"}),
            vec!["seen_at"],
        ),
        (
            json!({"seen_at": "yesterday", "lat": 95, "lon": 0, "description": "y"}),
            vec!["seen_at", "lat"],
        ),
        (
            json!({"seen_at": samples::SEEN_AT, "place": "a\u{2028}b", "description": "\u{202E}x", "contact": "\u{0007}"}),
            vec!["place", "description", "contact"],
        ),
        (
            json!({"seen_at": samples::SEEN_AT, "place": "x", "description": "y", "photo": "z"}),
            vec!["photo"],
        ),
        (
            json!({"seen_at": samples::SEEN_AT, "place": "x", "description": "y".repeat(2_001)}),
            vec!["description"],
        ),
    ];
    for (body, fields) in cases {
        let reply = invoke(&store, with_body(&body)).await;
        assert_problem(&reply, 400, "validation");
        let named: Vec<&str> = reply.body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(named, fields, "{body}");
    }
    let mut plain = event("post-sighting.json");
    plain["headers"]["content-type"] = "text/plain".into();
    assert_problem(&invoke(&store, plain).await, 415, "unsupported-media-type");
    assert!(sightings(&store).await.is_empty());
}

#[tokio::test]
async fn an_ended_or_unknown_alert_takes_no_sighting() {
    let ended = stored(samples::report_json(samples::SEEN_AT), true).await;
    let reply = invoke(&ended, event("post-sighting.json")).await;
    assert_problem(&reply, 409, "alert-not-active");
    assert!(sightings(&ended).await.is_empty());

    let page = invoke(&ended, event("post-sighting-form.json")).await;
    assert_eq!(page.status, 409);
    let body = html(&page);
    assert_eq!(
        texts(&body, "p.notice"),
        ["Cette alerte est terminée : elle ne reçoit plus de signalements."]
    );
    assert!(texts(&body, "form").is_empty(), "no form to send again");

    let nothing = MemoryStore::default();
    assert_problem(
        &invoke(&nothing, event("post-sighting.json")).await,
        404,
        "not-found",
    );
    let missing = invoke(&nothing, event("post-sighting-form.json")).await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.headers["content-type"], "text/html; charset=utf-8");
}

#[tokio::test]
async fn the_page_form_without_a_script_sends_a_sighting_in_the_readers_language() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    let reply = invoke(&store, event("post-sighting-form.json")).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(reply.headers["cache-control"], "no-store");
    assert!(reply.headers.contains_key("content-security-policy"));
    let page = html(&reply);
    assert_eq!(
        texts(&page, "p.notice"),
        ["Merci. La police a bien reçu votre signalement."]
    );
    let back = Selector::parse("main a").unwrap();
    let href = page.select(&back).next().unwrap().attr("href").unwrap();
    assert_eq!(href, format!("{}/a/{ID}?lang=fr", tifli_testkit::PAGE_BASE));
    let kept = sightings(&store).await;
    assert_eq!(kept.len(), 1);
    // "About 30 minutes ago", counted back from the server's clock; an empty contact is
    // none.
    let sighting = serde_json::to_value(&kept[0]).unwrap();
    assert_eq!(sighting["seen_at"], "2026-11-28T16:40:00Z");
    assert!(sighting.get("contact").is_none(), "{sighting}");
}

#[tokio::test]
async fn a_refused_form_comes_back_filled_with_its_fields_marked_and_escaped() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let reply = invoke(
        &store,
        with_form(&[
            ("lang", "ar"),
            ("seen_ago", "7"),
            ("place", hostile),
            ("description", hostile),
        ]),
    )
    .await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    let page = html(&reply);
    let root = Selector::parse("html").unwrap();
    let root = page.select(&root).next().unwrap();
    assert_eq!(
        (root.attr("lang"), root.attr("dir")),
        (Some("ar"), Some("rtl"))
    );
    // How long ago is not one of the choices: that field is marked, the others kept as
    // typed.
    let invalid = Selector::parse("[aria-invalid=true]").unwrap();
    let marked: Vec<&str> = page
        .select(&invalid)
        .filter_map(|e| e.attr("name"))
        .collect();
    assert_eq!(marked, ["seen_ago"]);
    let place = Selector::parse("input[name=place]").unwrap();
    assert_eq!(
        page.select(&place).next().unwrap().attr("value"),
        Some(hostile)
    );
    let textarea = Selector::parse("textarea[name=description]").unwrap();
    let kept: String = page.select(&textarea).next().unwrap().text().collect();
    assert_eq!(kept, hostile);
    for css in ["script", "img", "[onerror]"] {
        let selector = Selector::parse(css).unwrap();
        assert_eq!(page.select(&selector).count(), 0, "{css} from input");
    }
    // The form posts to itself, relative to the answer's own address.
    let form = Selector::parse("form").unwrap();
    assert_eq!(
        page.select(&form).next().unwrap().attr("action"),
        Some("sightings")
    );
    assert!(sightings(&store).await.is_empty());
}

#[tokio::test]
async fn one_address_is_limited_and_told_when_to_come_back() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    for _ in 0..SIGHTINGS_PER_ADDRESS {
        let reply = invoke(&store, event("post-sighting.json")).await;
        assert_eq!(reply.status, 201, "{}", reply.body);
    }
    let refused = invoke(&store, event("post-sighting.json")).await;
    assert_problem(&refused, 429, "too-many-requests");
    // NOW is 17:10: the hour's window ends at 18:00.
    assert_eq!(refused.headers["retry-after"], "3000");
    let page = invoke(&store, event("post-sighting-form.json")).await;
    assert_eq!(page.status, 201, "another address (CloudFront's viewer)");
    // Behind CloudFront, the viewer's address counts, not the edge's.
    let mut edge = event("post-sighting-form.json");
    edge["headers"]["cloudfront-viewer-address"] = "203.0.113.10:40000".into();
    assert_eq!(invoke(&store, edge).await.status, 201);
    // A refused body costs nothing.
    let invalid = from_address(with_body(&json!({})), "198.51.100.99");
    for _ in 0..SIGHTINGS_PER_ADDRESS + 1 {
        assert_eq!(invoke(&store, invalid.clone()).await.status, 400);
    }
    let valid = from_address(event("post-sighting.json"), "198.51.100.99");
    assert_eq!(invoke(&store, valid).await.status, 201);
}

#[tokio::test]
async fn one_alert_is_limited_whatever_the_addresses() {
    let store = stored(samples::report_json(samples::SEEN_AT), false).await;
    for n in 0..SIGHTINGS_PER_ALERT {
        let address = format!("10.{}.{}.1", n / 250, n % 250);
        let reply = invoke(&store, from_address(event("post-sighting.json"), &address)).await;
        assert_eq!(reply.status, 201, "{n}: {}", reply.body);
    }
    let refused = invoke(
        &store,
        from_address(event("post-sighting.json"), "192.0.2.200"),
    )
    .await;
    assert_problem(&refused, 429, "too-many-requests");
    // NOW is 17:10: the ten minutes' window ends at 17:20.
    assert_eq!(refused.headers["retry-after"], "600");
    let page = invoke(&store, event("post-sighting-form.json")).await;
    assert_eq!(page.status, 429);
    assert_eq!(page.headers["retry-after"], "600");
    assert_eq!(
        texts(&html(&page), "p.notice"),
        ["Trop de signalements ont été envoyés. Réessayez dans 10 min, ou appelez le numéro."]
    );
    assert_eq!(sightings(&store).await.len(), SIGHTINGS_PER_ALERT as usize);
}
