//! Photos, from the upload an officer asks for (API Gateway) to the renditions the photo
//! function makes of it (the bucket's S3 event) and deletes when the alert ends (the
//! table's stream): against the in-memory store and bucket.

use std::sync::Arc;

use serde_json::{Value, json};
use tifli::domain::actions::{ApproveBody, ResolveBody};
use tifli::domain::cap::{Sender, render};
use tifli::domain::lifecycle::CapMsgType;
use tifli::domain::photo::{PhotoRefusal, RenditionKind};
use tifli::domain::public::PublicAlert;
use tifli::domain::{Action, AlertPolicy, OfficerId, Outcome, Report, ReportId, Status};
use tifli::photo::{Photos, Processed};
use tifli::ports::{FixedClock, HistoryReader, ReportCreator, ReportReader, ReportWriter};
use tifli::store::memory::MemoryStore;
use tifli::store::memory_photos::MemoryPhotos;
use tifli_testkit::photos::{carried, jpeg, png, png_claiming, with_camera_metadata};
use tifli_testkit::requests::{Reply, assert_problem};
use tifli_testkit::{events, samples};
use time::OffsetDateTime;
use time::macros::datetime;

const ID: &str = "01KB2ZQ7M3N8X5V4T6R9P2W1YA";
/// The officer of the fixtures, who filed the report.
const REPORTER: &str = "4f8c2a1e-7b7d-4c1e-9d55-0c6f1a2b3c4d";
const FILED: OffsetDateTime = datetime!(2026-11-28 17:00 UTC);
const NOW: OffsetDateTime = datetime!(2026-11-28 17:05 UTC);
const BASE: &str = "https://tifli.example";

fn id() -> ReportId {
    ReportId::parse(ID).unwrap()
}

/// The key of the S3 event fixture.
fn upload_key() -> String {
    format!("uploads/{ID}/01KB3000000000000000000000")
}

/// A store holding report `ID`, filed by the fixtures' officer, approved when `active`.
async fn seeded(active: bool) -> MemoryStore {
    let store = MemoryStore::default();
    let (report, entry) = samples::filed(
        samples::report_json(samples::SEEN_AT),
        id(),
        REPORTER,
        FILED,
    );
    store.create(&report, &entry, None, FILED).await.unwrap();
    if active {
        let approved = report
            .approve(
                &OfficerId::new("supervisor-9").unwrap(),
                ApproveBody::default(),
                &AlertPolicy::default(),
                FILED,
            )
            .unwrap();
        store.save(&approved).await.unwrap();
    }
    store
}

/// The reporting officer finds the child: `active` resolved.
fn found(active: &Report) -> tifli::domain::Transition {
    let body = ResolveBody {
        outcome: Some(Outcome::Found),
        note: None,
    };
    active
        .resolve(&OfficerId::new(REPORTER).unwrap(), body, NOW)
        .unwrap()
}

async fn report(store: &MemoryStore) -> Report {
    store.get(id()).await.unwrap().expect("the report")
}

async fn ask(store: &MemoryStore, event: Value) -> Reply {
    let router = tifli::http::approval::router(
        store.clone(),
        Arc::new(FixedClock(NOW)),
        AlertPolicy::default(),
        tifli_testkit::issuer(),
        tifli_testkit::uploads(),
    );
    events::invoke(router, event).await
}

fn upload_event(body: &Value) -> Value {
    events::with_body(
        events::fixture("approval", "upload-photo.json"),
        &body.to_string(),
    )
}

/// The fixture as another officer (not on the case) or a supervisor sends it.
fn as_someone(mut event: Value, sub: &str, group: &str) -> Value {
    let claims = &mut event["requestContext"]["authorizer"]["jwt"]["claims"];
    claims["sub"] = sub.into();
    claims["cognito:username"] = sub.into();
    claims["cognito:groups"] = format!("[{group}]").into();
    event
}

#[tokio::test]
async fn the_officer_on_the_case_gets_an_upload_the_bucket_checks() {
    let store = seeded(true).await;
    let reply = ask(&store, events::fixture("approval", "upload-photo.json")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.body["url"],
        format!(
            "https://{}.s3.us-east-1.amazonaws.com",
            tifli_testkit::BUCKET
        )
    );
    assert_eq!(reply.body["expires_at"], "2026-11-28T17:15:00Z");
    let fields = &reply.body["fields"];
    let key = fields["key"].as_str().unwrap();
    assert!(key.starts_with(&format!("uploads/{ID}/")), "{key}");
    assert_eq!(fields["Content-Type"], "image/jpeg");
    assert_eq!(fields["x-amz-meta-officer"], REPORTER);
    assert_eq!(fields["x-amz-algorithm"], "AWS4-HMAC-SHA256");
    assert!(fields["policy"].is_string() && fields["x-amz-signature"].is_string());
    // A supervisor may too; nothing was recorded by asking.
    let supervisor = as_someone(
        events::fixture("approval", "upload-photo.json"),
        "supervisor-2",
        "supervisors",
    );
    assert_eq!(ask(&store, supervisor).await.status, 200);
    assert_eq!(report(&store).await.version(), 2);
}

#[tokio::test]
async fn an_upload_is_refused_without_consent_a_known_type_or_a_place_on_the_case() {
    let store = seeded(true).await;
    for (body, field) in [
        (json!({"content_type": "image/jpeg"}), "consent"),
        (
            json!({"consent": false, "content_type": "image/jpeg"}),
            "consent",
        ),
        (
            json!({"consent": true, "content_type": "image/gif"}),
            "content_type",
        ),
        (json!({"consent": true}), "content_type"),
    ] {
        let reply = ask(&store, upload_event(&body)).await;
        assert_problem(&reply, 400, "validation");
        assert_eq!(reply.body["errors"][0]["field"], field, "{body}");
    }
    let gif = ask(
        &store,
        upload_event(&json!({"consent": true, "content_type": "image/gif"})),
    )
    .await;
    assert!(
        gif.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("image/webp")
    );
    let url = ask(
        &store,
        upload_event(&json!({"consent": true, "content_type": "image/png", "url": "x"})),
    )
    .await;
    assert_problem(&url, 400, "validation");

    let stranger = as_someone(
        events::fixture("approval", "upload-photo.json"),
        "officer-42",
        "officers",
    );
    let reply = ask(&store, stranger).await;
    assert_problem(&reply, 403, "not-on-case");
    assert!(
        reply.body["detail"]
            .as_str()
            .unwrap()
            .contains("add a photo")
    );

    let mut elsewhere = events::fixture("approval", "upload-photo.json");
    let other = "01KB2ZQ7M3N8X5V4T6R9P2W1YB";
    elsewhere["pathParameters"]["id"] = other.into();
    elsewhere["rawPath"] = format!("/reports/{other}/photo").into();
    elsewhere["requestContext"]["http"]["path"] = elsewhere["rawPath"].clone();
    assert_problem(&ask(&store, elsewhere).await, 404, "not-found");

    let mut text = events::fixture("approval", "upload-photo.json");
    text["headers"]["content-type"] = "text/plain".into();
    assert_problem(&ask(&store, text).await, 415, "unsupported-media-type");

    // Once the alert has ended, no photo joins it.
    let found = found(&report(&store).await);
    store.save(&found).await.unwrap();
    let late = ask(&store, events::fixture("approval", "upload-photo.json")).await;
    assert_problem(&late, 409, "invalid-transition");
}

fn photos(store: &MemoryStore, bucket: &MemoryPhotos) -> Photos<MemoryStore, MemoryPhotos> {
    Photos {
        store: store.clone(),
        objects: bucket.clone(),
        base: BASE.into(),
    }
}

/// The bucket's event for the fixture's upload, through the photo function's handler.
async fn process(store: &MemoryStore, bucket: &MemoryPhotos) {
    let event = events::fixture("photo", "uploaded.json");
    let answer = tifli::photo::events::handle(&photos(store, bucket), event, NOW).await;
    assert_eq!(answer, Ok(Value::Null));
}

fn rendition_keys(bucket: &MemoryPhotos) -> Vec<String> {
    bucket
        .keys()
        .into_iter()
        .filter(|k| k.starts_with("p/"))
        .collect()
}

#[tokio::test]
async fn a_phone_photo_is_published_upright_without_a_trace_of_where_it_was_taken() {
    let store = seeded(true).await;
    let bucket = MemoryPhotos::default();
    let original = with_camera_metadata(&jpeg(800, 600));
    let before = carried(&original).join(" ");
    for tag in ["GPSLatitude", "Model", "Comment", "Artist", "Orientation"] {
        assert!(
            before.contains(tag),
            "the test photo carries {tag}: {before}"
        );
    }
    bucket.upload(&upload_key(), original.clone(), "image/jpeg", REPORTER);
    process(&store, &bucket).await;

    let report = report(&store).await;
    assert_eq!(report.version(), 3);
    assert_eq!(report.status(), Status::Active);
    assert_eq!(
        report.publication().map(|p| p.msg_type),
        Some(CapMsgType::Update)
    );
    let photo = report.photo().expect("the hosted photo");
    assert_eq!(photo.original, upload_key());
    assert_eq!(photo.consent_by.as_str(), REPORTER);
    let (_, history) = store.get_with_history(id()).await.unwrap().unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last.action, last.actor.as_str()),
        (Action::Photo, REPORTER)
    );
    // The original stays with the case; two renditions, with nothing but pixels.
    assert_eq!(bucket.object(&upload_key()).unwrap().bytes, original);
    assert_eq!(rendition_keys(&bucket).len(), 2);
    for rendition in &photo.renditions {
        let served = bucket.object(&rendition.key).expect("in the bucket");
        assert_eq!(
            carried(&served.bytes),
            Vec::<String>::new(),
            "{:?}",
            rendition.kind
        );
        assert_eq!(
            served.content_type.as_deref(),
            Some(rendition.mime_type.as_str())
        );
        assert_eq!(rendition.size, served.bytes.len() as u64);
        assert_eq!(rendition.url, format!("{BASE}/{}", rendition.key));
        // Unguessable: 128 random bits in the path.
        let token = rendition.key.split('/').nth(1).unwrap();
        assert_eq!(token.len(), 32, "{token}");
    }
    // Taken sideways (orientation 6): published upright, taller than wide.
    let page = photo.rendition(RenditionKind::Page).unwrap();
    assert_eq!((page.width, page.height), (600, 800));
    let card = photo.rendition(RenditionKind::Card).unwrap();
    assert_eq!(
        (card.width, card.height, card.mime_type.as_str()),
        (320, 400, "image/png")
    );

    // CAP describes the served file: its digest is the SHA-1 of the bytes a receiver
    // fetches, and the message, signed, is still valid CAP and verifies.
    let alert = PublicAlert::of(&report).unwrap();
    let key = tifli_testkit::signing::LocalKey::current();
    let unsigned = render(&alert, &Sender::new("tifli@police.example").unwrap(), BASE);
    let cap = key.signing().sign(&unsigned).await.unwrap();
    let verdicts =
        tifli_testkit::signing::verify(std::slice::from_ref(&cap), &key.published_keys());
    assert!(verdicts[0].verified(), "{verdicts:?}");
    let served = bucket.object(&page.key).unwrap().bytes;
    let digest = {
        use sha1::Digest as _;
        hex::encode(sha1::Sha1::digest(&served))
    };
    assert!(cap.contains(&format!("<digest>{digest}</digest>")), "{cap}");
    assert!(
        cap.contains(&format!("<size>{}</size>", served.len())),
        "{cap}"
    );
    assert!(cap.contains(&format!("<uri>{}</uri>", page.url)), "{cap}");
    assert!(cap.contains("<mimeType>image/jpeg</mimeType>"), "{cap}");
    let (valid, why) = tifli_testkit::checks::validate_cap(&[cap]);
    assert!(valid, "{why}");
    // The feed's entry carries it as its enclosure, as a feed reader reads it.
    let feed = tifli::domain::atom::feed(BASE, &[alert], NOW);
    let read = tifli_testkit::checks::read_atom(&feed);
    let entry = &read["entries"][0];
    let enclosure = entry["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "enclosure")
        .unwrap_or_else(|| panic!("no enclosure in {read}"));
    assert_eq!(enclosure["href"], page.url);
    assert_eq!(enclosure["type"], "image/jpeg");
}

#[tokio::test]
async fn a_new_photo_replaces_the_last_and_a_pending_report_publishes_nothing() {
    let store = seeded(false).await;
    let bucket = MemoryPhotos::default();
    bucket.upload(&upload_key(), png(300, 300), "image/png", REPORTER);
    process(&store, &bucket).await;
    let first = report(&store).await;
    assert_eq!(
        (first.version(), first.status()),
        (2, Status::PendingReview)
    );
    assert_eq!(first.publication(), None, "nobody outside knows of it yet");
    let old: Vec<String> = first.photo().unwrap().public_keys();

    let second = format!("uploads/{ID}/01KB3000000000000000000001");
    bucket.upload(&second, jpeg(400, 400), "image/jpeg", "supervisor-2");
    let event = json!({"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post",
        "s3": {"object": {"key": second, "size": 1}}}]});
    tifli::photo::events::handle(&photos(&store, &bucket), event, NOW)
        .await
        .unwrap();
    let now = report(&store).await;
    assert_eq!(now.version(), 3);
    assert_eq!(now.photo().unwrap().original, second);
    for key in old {
        assert!(bucket.object(&key).is_none(), "{key} still served");
    }
    assert_eq!(rendition_keys(&bucket).len(), 2);
}

#[tokio::test]
async fn what_is_not_a_sane_image_of_its_declared_kind_is_refused_on_the_history() {
    let cases: [(&str, Vec<u8>, &str, PhotoRefusal); 5] = [
        (
            "a PNG named JPEG",
            png(200, 200),
            "image/jpeg",
            PhotoRefusal::WrongKind {
                declared: "image/jpeg",
                found: "image/png",
            },
        ),
        (
            "not an image",
            b"%PDF-1.7 a letter".to_vec(),
            "image/jpeg",
            PhotoRefusal::NotAnImage,
        ),
        (
            "a declared type of no image",
            jpeg(200, 200),
            "text/html",
            PhotoRefusal::NotAnImage,
        ),
        (
            "over 5 MB",
            {
                let mut big = jpeg(200, 200);
                big.resize(5 * 1024 * 1024 + 1, 0);
                big
            },
            "image/jpeg",
            PhotoRefusal::TooLarge,
        ),
        (
            "a decompression bomb",
            png_claiming(60_000, 60_000),
            "image/png",
            PhotoRefusal::Dimensions {
                width: 60_000,
                height: 60_000,
            },
        ),
    ];
    for (what, bytes, declared, refusal) in cases {
        let store = seeded(true).await;
        let bucket = MemoryPhotos::default();
        bucket.upload(&upload_key(), bytes, declared, REPORTER);
        let done = tifli::photo::events::on_uploads(
            &photos(&store, &bucket),
            &events::fixture("photo", "uploaded.json"),
            NOW,
        )
        .await
        .unwrap();
        assert_eq!(
            done,
            [Processed::Refused {
                report: id(),
                version: 3,
                refusal: refusal.clone()
            }],
            "{what}"
        );
        let report = report(&store).await;
        assert_eq!(report.photo(), None, "{what}");
        assert_eq!(report.publication(), None, "{what}: nothing published");
        let (_, history) = store.get_with_history(id()).await.unwrap().unwrap();
        let last = history.last().unwrap();
        assert_eq!(last.action, Action::PhotoRefused, "{what}");
        assert_eq!(
            last.reason.as_deref(),
            Some(refusal.to_string().as_str()),
            "{what}"
        );
        assert!(bucket.keys().is_empty(), "{what}: {:?}", bucket.keys());
    }
}

/// A stream record of `kind` as the table's stream carries it to the photo function.
fn stream_record(name: &str, old: Value, new: Value, sequence: &str) -> Value {
    json!({
        "eventID": sequence, "eventName": name, "eventVersion": "1.1",
        "eventSource": "aws:dynamodb", "awsRegion": "eu-west-3",
        "eventSourceARN": "arn:aws:dynamodb:eu-west-3:123456789012:table/tifli/stream/2026-11-28T00:00:00.000",
        "dynamodb": {"ApproximateCreationDateTime": 1795885500, "Keys": {"pk": {"S": format!("REPORT#{ID}")}},
            "NewImage": new, "OldImage": old, "SequenceNumber": sequence, "SizeBytes": 512,
            "StreamViewType": "NEW_AND_OLD_IMAGES"}
    })
}

/// A report's stream image: the report's attributes and its kind, as the table holds it.
fn image(report: &Report) -> Value {
    let mut item: serde_dynamo::Item = serde_dynamo::to_item(report).unwrap();
    item.insert(
        "kind".into(),
        serde_dynamo::AttributeValue::S("report".into()),
    );
    serde_json::to_value(item).unwrap()
}

#[tokio::test]
async fn an_alert_s_end_deletes_its_public_photo_and_the_purge_its_upload() {
    let store = seeded(true).await;
    let bucket = MemoryPhotos::default();
    bucket.upload(&upload_key(), jpeg(300, 300), "image/jpeg", REPORTER);
    process(&store, &bucket).await;
    let active = report(&store).await;
    let resolved = found(&active).report;
    let ended = stream_record("MODIFY", image(&active), image(&resolved), "100");
    assert!(tifli_local::streams::passes_photo_filter(&ended));
    let answer =
        tifli::photo::events::handle(&photos(&store, &bucket), json!({ "Records": [ended] }), NOW)
            .await
            .unwrap();
    assert_eq!(answer["batchItemFailures"], json!([]));
    assert_eq!(
        bucket.keys(),
        [upload_key()],
        "the renditions are gone, the upload stays"
    );

    // The retention step's marker, deleted once the report's data is gone.
    let marker = json!({
        "pk": {"S": format!("REPORT#{ID}")}, "sk": {"S": "RETENTION"}, "kind": {"S": "retention"},
        "report_id": {"S": ID}, "step": {"S": "strip"},
    });
    let purged = stream_record("REMOVE", marker, json!({}), "200");
    assert!(tifli_local::streams::passes_photo_filter(&purged));
    tifli::photo::events::handle(
        &photos(&store, &bucket),
        json!({ "Records": [purged] }),
        NOW,
    )
    .await
    .unwrap();
    assert!(bucket.keys().is_empty(), "{:?}", bucket.keys());
}

#[tokio::test]
async fn the_share_card_shows_the_photo_in_its_frame() {
    let store = seeded(true).await;
    let bucket = MemoryPhotos::default();
    // The fixture asks for the Arabic card: its photo frame is on the right.
    let card = |bucket: MemoryPhotos| {
        let store = store.clone();
        async move {
            use base64::Engine as _;
            let router = tifli::http::card::router(store, bucket);
            let reply = events::invoke(router, events::fixture("public", "get-card.json")).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            let png = base64::engine::general_purpose::STANDARD
                .decode(reply.body.as_str().expect("a base64 body"))
                .unwrap();
            image::load_from_memory(&png).unwrap().to_rgb8()
        }
    };
    bucket.upload(&upload_key(), jpeg(600, 800), "image/jpeg", REPORTER);
    let without = card(MemoryPhotos::default()).await;
    process(&store, &bucket).await;
    let with = card(bucket.clone()).await;
    if let Ok(dir) = std::env::var("TIFLI_SCREENSHOTS") {
        with.save(format!("{dir}/card-photo.png")).unwrap();
    }
    // The frame's middle: the silhouette's grey without the photo, the photo's colours
    // with it (the test picture is a red-green gradient over blue).
    let (x, y) = (1200 - 60 - 272 / 2, 132 + 34 + 150);
    let grey = without.get_pixel(x, y).0;
    let photo = with.get_pixel(x, y).0;
    assert_ne!(grey, photo);
    assert!(grey[0].abs_diff(grey[2]) < 16, "{grey:?}: a grey");
    assert!(photo[0].abs_diff(photo[2]) > 16, "{photo:?}: a colour");
    // The rest of the card is the same card.
    assert_eq!(without.get_pixel(600, 40), with.get_pixel(600, 40));
}

#[tokio::test]
async fn an_upload_s_event_delivered_twice_publishes_once() {
    let store = seeded(true).await;
    let bucket = MemoryPhotos::default();
    bucket.upload(&upload_key(), jpeg(400, 300), "image/jpeg", REPORTER);
    process(&store, &bucket).await;
    let once = report(&store).await;
    // S3 delivers at least once; Lambda retries an invocation that failed late.
    let again = tifli::photo::events::on_uploads(
        &photos(&store, &bucket),
        &events::fixture("photo", "uploaded.json"),
        NOW,
    )
    .await
    .unwrap();
    assert_eq!(again, [Processed::Ignored("already hosted")]);
    assert_eq!(report(&store).await, once);
    for key in once.photo().unwrap().public_keys() {
        assert!(bucket.object(&key).is_some(), "{key} still served");
    }
}
