//! The public alert page, `GET /a/{id}`, as a browser (and a social network's crawler)
//! receives it through API Gateway: read with an HTML parser, never by string search.

use scraper::{Html, Selector};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tifli::domain::actions::UpdateBody;
use tifli::domain::{OfficerId, ReportId};
use tifli::page::CONTENT_SECURITY_POLICY;
use tifli::ports::{ReportCreator, ReportWriter};
use tifli::store::memory::MemoryStore;
use tifli_testkit::PAGE_BASE;
use tifli_testkit::requests::Reply;
use tifli_testkit::samples::{self, NOW, SEEN_AT};

use crate::public::{ID, invoke, stored};

fn event(lang: &str) -> Value {
    let mut event = tifli_testkit::events::fixture("public", "get-page.json");
    // As API Gateway passes it: percent-encoded.
    let encoded: String = lang
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    event["rawQueryString"] = format!("lang={encoded}").into();
    event["queryStringParameters"] = json!({ "lang": lang });
    event
}

fn html(reply: &Reply) -> Html {
    Html::parse_document(reply.body.as_str().expect("an HTML body"))
}

fn all(page: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a selector");
    page.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect()
}

fn attr(page: &Html, css: &str, name: &str) -> Vec<String> {
    let selector = Selector::parse(css).expect("a selector");
    page.select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_owned))
        .collect()
}

/// The `content` of `<meta property=…>` (Open Graph) or `<meta name=…>` (Twitter).
fn meta(page: &Html, key: &str) -> Vec<String> {
    let mut found = attr(page, &format!("meta[property=\"{key}\"]"), "content");
    found.extend(attr(page, &format!("meta[name=\"{key}\"]"), "content"));
    found
}

fn assert_headers(reply: &Reply) {
    assert_eq!(reply.headers["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        reply.headers["content-security-policy"],
        CONTENT_SECURITY_POLICY.as_str()
    );
    assert_eq!(reply.headers["x-content-type-options"], "nosniff");
    assert_eq!(reply.headers["referrer-policy"], "no-referrer");
    assert_eq!(reply.headers["cache-control"], "public, max-age=30");
}

#[tokio::test]
async fn the_page_in_each_language_with_the_tags_a_crawler_reads() {
    let body = samples::full_report_json(SEEN_AT);
    let store = stored(body.clone(), false).await;
    for (lang, dir, locale) in [
        ("ar", "rtl", "ar_AR"),
        ("fr", "ltr", "fr_FR"),
        ("zgh", "ltr", "zgh_MA"),
        ("en", "ltr", "en_US"),
    ] {
        let reply = invoke(&store, event(lang)).await;
        assert_eq!(reply.status, 200, "{lang}: {:?}", reply.body);
        assert_headers(&reply);
        assert_eq!(reply.headers["content-language"], lang);
        let page = html(&reply);
        assert_eq!(attr(&page, "html", "lang"), [lang]);
        assert_eq!(attr(&page, "html", "dir"), [dir]);
        let title = all(&page, "title").concat();
        assert!(title.contains("Amina El Idrissi"), "{lang}: {title}");
        assert_eq!(all(&page, "h1"), std::slice::from_ref(&title));
        assert_eq!(meta(&page, "og:title"), std::slice::from_ref(&title));
        assert_eq!(meta(&page, "twitter:title"), std::slice::from_ref(&title));
        assert_eq!(meta(&page, "twitter:card"), ["summary_large_image"]);
        let description = meta(&page, "og:description");
        assert_eq!(description.len(), 1);
        assert!(description[0].contains("+212537000000"), "{description:?}");
        let url = format!("{PAGE_BASE}/a/{ID}?lang={lang}");
        assert_eq!(meta(&page, "og:url"), std::slice::from_ref(&url));
        assert_eq!(attr(&page, "link[rel=canonical]", "href"), [url]);
        assert_eq!(meta(&page, "og:locale"), [locale]);
        assert_eq!(meta(&page, "og:locale:alternate").len(), 3);
        // The share card at this version, in this language, with its size and words.
        let card = format!("{PAGE_BASE}/a/{ID}/card.png?lang={lang}&v=2");
        assert_eq!(meta(&page, "og:image"), std::slice::from_ref(&card));
        assert_eq!(meta(&page, "twitter:image"), [card]);
        assert_eq!(meta(&page, "og:image:type"), ["image/png"]);
        assert_eq!(meta(&page, "og:image:width"), ["1200"]);
        assert_eq!(meta(&page, "og:image:height"), ["630"]);
        assert_eq!(meta(&page, "og:image:alt"), std::slice::from_ref(&title));
        assert_eq!(attr(&page, "link[rel=alternate]", "hreflang").len(), 4);
        // The language switcher: the four, the current one marked.
        assert_eq!(attr(&page, "nav a", "hreflang"), ["ar", "fr", "zgh", "en"]);
        assert_eq!(attr(&page, "nav a[aria-current=page]", "hreflang"), [lang]);
        // The tip line to call, the photo, every public fact in full, the area drawn.
        assert_eq!(attr(&page, "a.call", "href"), ["tel:+212537000000"]);
        assert_eq!(
            attr(&page, "img.photo", "src"),
            ["https://photos.police.ma/r/123.jpg"]
        );
        let facts = all(&page, "dd").join("\n");
        for fact in [
            "Red coat, white sneakers, hair in two braids",
            "White van",
            "Man, about 40",
            "Bab El Had, Rabat",
        ] {
            assert!(facts.contains(fact), "{lang}: {fact} in {facts}");
        }
        assert_eq!(attr(&page, "svg.map circle.circle", "r").len(), 1);
        assert!(!attr(&page, "svg.map path.region", "d").is_empty());
        // What never goes out, and the one style block the policy allows by its hash.
        let text = reply.body.as_str().unwrap();
        for internal in samples::INTERNAL {
            assert!(!text.contains(internal), "{lang}: {internal}");
        }
        assert!(all(&page, "script").is_empty());
        let style = all(&page, "style").concat();
        let hash = base64_sha256(&style);
        assert!(
            CONTENT_SECURITY_POLICY.contains(&format!("'sha256-{hash}'")),
            "{hash}"
        );
    }
}

fn base64_sha256(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text))
}

#[tokio::test]
async fn the_language_asked_is_one_of_the_alert_s_or_its_first() {
    let store = stored(samples::full_report_json(SEEN_AT), false).await;
    for asked in ["de", "\"><script>alert(1)</script>", ""] {
        let reply = invoke(&store, event(asked)).await;
        assert_eq!(reply.status, 200);
        let page = html(&reply);
        assert_eq!(attr(&page, "html", "lang"), ["ar"], "{asked}");
        assert!(!reply.body.as_str().unwrap().contains("<script"));
    }
}

#[tokio::test]
async fn a_drill_is_marked_on_the_page_and_in_its_tags() {
    let mut body = samples::full_report_json(SEEN_AT);
    body["exercise"] = true.into();
    let store = stored(body, false).await;
    let page = html(&invoke(&store, event("en")).await);
    assert_eq!(
        all(&page, ".drill"),
        ["EXERCISE: a drill, not a real alert."]
    );
    for tag in ["og:title", "og:description", "twitter:title"] {
        let content = meta(&page, tag);
        assert!(content[0].starts_with("EXERCISE:"), "{tag}: {content:?}");
    }
    assert!(all(&page, "title")[0].starts_with("EXERCISE:"));
}

#[tokio::test]
async fn an_ended_alert_s_page_says_so_and_nothing_personal() {
    let store = stored(samples::full_report_json(SEEN_AT), true).await;
    for (lang, said) in [
        ("en", "The child has been found. Thank you for your help."),
        ("fr", "L'enfant a été retrouvé. Merci pour votre aide."),
    ] {
        let reply = invoke(&store, event(lang)).await;
        assert_eq!(reply.status, 200);
        assert_headers(&reply);
        let page = html(&reply);
        assert_eq!(all(&page, "h1"), [said]);
        assert_eq!(meta(&page, "og:title"), [said]);
        assert!(meta(&page, "og:description").is_empty());
        assert!(meta(&page, "og:image").is_empty() && meta(&page, "twitter:image").is_empty());
        let text = reply.body.as_str().unwrap();
        for personal in [
            "Amina",
            "Idrissi",
            "Bab El Had",
            "Red coat",
            "White van",
            "about 40",
            "+212537000000",
            "photos.police.ma",
        ] {
            assert!(
                !text.contains(personal),
                "{lang}: {personal} left on an ended page"
            );
        }
        assert!(all(&page, "img, svg, a").is_empty(), "{lang}");
    }
}

#[tokio::test]
async fn no_public_alert_is_a_404_page_in_every_language() {
    let unapproved = MemoryStore::default();
    let (report, entry) = samples::filed(
        samples::report_json(SEEN_AT),
        ReportId::parse(ID).unwrap(),
        "officer-7",
        NOW,
    );
    unapproved.create(&report, &entry, None, NOW).await.unwrap();
    let mut malformed = event("en");
    malformed["rawPath"] = "/a/not-an-id".into();
    malformed["requestContext"]["http"]["path"] = "/a/not-an-id".into();
    malformed["pathParameters"]["id"] = "not-an-id".into();
    for (store, event) in [
        (MemoryStore::default(), event("en")),
        (unapproved, event("en")),
        (MemoryStore::default(), malformed),
    ] {
        let reply = invoke(&store, event).await;
        assert_eq!(reply.status, 404);
        assert_headers(&reply);
        let page = html(&reply);
        assert_eq!(attr(&page, "main p", "lang"), ["ar", "fr", "zgh", "en"]);
        assert!(all(&page, "main p")[3].contains("There is no alert at this address."));
        assert!(!reply.body.as_str().unwrap().contains("Amina"));
    }
}

/// Markup, quotes, an ampersand, a right-to-left mark and a word too long for a line, in
/// every free text the page shows: all of it text, no element or attribute from input.
#[tokio::test]
async fn hostile_text_in_every_field_stays_text() {
    let hostile = |limit: usize| -> String {
        format!(
            "<img src=x onerror=alert(1)>\"' & \u{200F}<b>Amina</b></script><meta http-equiv=refresh content=0>{}",
            "W".repeat(limit)
        )
        .chars()
        .take(limit)
        .collect()
    };
    let mut body = samples::full_report_json(SEEN_AT);
    body["child"]["name"] = hostile(100).into();
    body["child"]["description"] = hostile(1000).into();
    body["last_seen"]["place"] = hostile(200).into();
    body["circumstances"]["vehicle"] = hostile(300).into();
    body["circumstances"]["suspect"] = hostile(500).into();
    let store = stored(body, false).await;
    // An update's message, the page's last free text.
    let active = tifli::ports::ReportReader::get(&store, ReportId::parse(ID).unwrap())
        .await
        .unwrap()
        .unwrap();
    let update = UpdateBody {
        message: Some(hostile(500)),
        last_seen: None,
        child: None,
        vehicle: None,
        suspect: None,
    };
    let updated = active
        .update(&OfficerId::new("officer-7").unwrap(), update, NOW)
        .unwrap();
    store.save(&updated).await.unwrap();

    for lang in ["ar", "fr", "zgh", "en"] {
        let reply = invoke(&store, event(lang)).await;
        assert_eq!(reply.status, 200);
        let page = html(&reply);
        let allowed = [
            "html", "head", "meta", "title", "link", "style", "body", "header", "strong", "nav",
            "a", "main", "h1", "h2", "p", "img", "dl", "dt", "dd", "bdi", "svg", "path", "circle",
            "ul", "li", "section", "form", "input", "label", "textarea", "button", "select",
            "option",
        ];
        let elements = Selector::parse("*").unwrap();
        for element in page.select(&elements) {
            let name = element.value().name();
            assert!(allowed.contains(&name), "{lang}: <{name}> came from input");
        }
        assert_eq!(
            attr(&page, "img", "src"),
            ["https://photos.police.ma/r/123.jpg"]
        );
        assert_eq!(meta(&page, "og:title").len(), 1);
        assert!(meta(&page, "og:title")[0].contains("<img src=x onerror=alert(1)>"));
        assert!(all(&page, "h1")[0].contains("<b>Amina</b>"));
        assert!(
            all(&page, "dd")
                .concat()
                .contains("<meta http-equiv=refresh")
        );
        assert!(attr(&page, "meta[http-equiv]", "content").is_empty());
    }
}

/// The card function, driven by `event`.
async fn invoke_card(store: &MemoryStore, event: Value) -> Reply {
    tifli_testkit::events::invoke(
        tifli::http::card::router(
            store.clone(),
            tifli::store::memory_photos::MemoryPhotos::default(),
        ),
        event,
    )
    .await
}

/// `GET /a/{id}/card.png` with `query`.
fn card_event(query: &str) -> Value {
    // As a social network's crawler asks for it.
    let mut event = tifli_testkit::events::fixture("public", "get-card.json");
    event["rawQueryString"] = query.into();
    let parameters: serde_json::Map<String, Value> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned().into()))
        .collect();
    event["queryStringParameters"] = parameters.into();
    event
}

/// The width and height a PNG's header says.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test]
async fn the_card_a_crawler_fetches_from_the_tag_and_how_long_caches_keep_it() {
    use base64::Engine as _;
    let store = stored(samples::full_report_json(SEEN_AT), false).await;
    for lang in ["ar", "fr", "zgh", "en"] {
        let reply = invoke_card(&store, card_event(&format!("lang={lang}&v=2"))).await;
        assert_eq!(reply.status, 200, "{lang}");
        assert_eq!(reply.headers["content-type"], "image/png");
        assert_eq!(reply.headers["cache-control"], "public, max-age=300");
        assert_eq!(reply.headers["x-content-type-options"], "nosniff");
        // API Gateway carries a binary body in base64.
        let png = base64::engine::general_purpose::STANDARD
            .decode(reply.body.as_str().expect("a base64 body"))
            .expect("base64");
        assert_eq!(png_size(&png), (1200, 630), "{lang}");
    }
    // Another version (an older page), or none: the current card, cached like the page.
    for query in ["lang=en&v=1", "lang=en", ""] {
        let reply = invoke_card(&store, card_event(query)).await;
        assert_eq!(reply.status, 200, "{query}");
        assert_eq!(
            reply.headers["cache-control"], "public, max-age=30",
            "{query}"
        );
    }
    // Once the alert ended: no card, so no picture of the child outlives the alert.
    let ended = stored(samples::full_report_json(SEEN_AT), true).await;
    let gone = invoke_card(&ended, card_event("lang=en&v=3")).await;
    tifli_testkit::requests::assert_problem(&gone, 404, "not-found");
    let nothing = MemoryStore::default();
    let missing = invoke_card(&nothing, card_event("lang=en")).await;
    tifli_testkit::requests::assert_problem(&missing, 404, "not-found");
}
