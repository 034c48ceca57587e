//! Photos against the emulator: a presigned upload posted to the bucket as a browser
//! posts it, the bucket's notification played into the photo handler, the renditions
//! served and described in CAP, deleted from the bucket when the alert ends, and the
//! upload deleted with the report's purge.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use serde_json::json;
use tifli::domain::ReportId;
use tifli::domain::photo::RenditionKind;
use tifli::expiry::sweep;
use tifli::photo::Photos;
use tifli::ports::ReportReader;
use tifli::store::s3::S3Photos;
use tifli_testkit::photos::{ask_upload, carried, jpeg, post_upload, with_camera_metadata};
use tifli_testkit::requests::{file_and_approve, get, send};
use tifli_testkit::{BUCKET, PAGE_BASE, TABLE, TestStack, wait};
use time::{Duration, OffsetDateTime};

const BUDGET: StdDuration = StdDuration::from_secs(30);

/// The photo function's two event sources over this stack's bucket and table.
async fn photo_function(stack: &TestStack) -> (S3Photos, Vec<tokio::task::JoinHandle<()>>) {
    let s3 = S3Photos::client(&stack.config);
    let sqs = aws_sdk_sqs::Client::new(&stack.config);
    let queue = tifli_local::photos::ensure_bucket(&s3, &sqs, BUCKET)
        .await
        .expect("the bucket");
    let photos = Arc::new(Photos {
        store: stack.store.clone(),
        objects: S3Photos::new(s3.clone(), BUCKET),
        base: PAGE_BASE.into(),
    });
    let uploads = tokio::spawn(tifli_local::photos::play_uploads(sqs, queue, photos));
    let source = tifli_local::streams::run(
        stack.client.clone(),
        aws_sdk_dynamodbstreams::Client::new(&stack.config),
        TABLE.into(),
        tifli_local::streams::PhotoConsumer(S3Photos::new(s3.clone(), BUCKET)),
    );
    let stream = tokio::spawn(async move {
        source.await.expect("the stream source runs");
    });
    (S3Photos::new(s3, BUCKET), vec![uploads, stream])
}

async fn keys(stack: &TestStack, prefix: &str) -> Vec<String> {
    S3Photos::client(&stack.config)
        .list_objects_v2()
        .bucket(BUCKET)
        .prefix(prefix)
        .send()
        .await
        .expect("a listing")
        .contents()
        .iter()
        .filter_map(|o| o.key().map(str::to_owned))
        .collect()
}

/// The body of a public GET, as text.
async fn text(stack: &TestStack, path: &str) -> String {
    use tower::ServiceExt as _;
    let response = stack.router.clone().oneshot(get(None, path)).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The path of a public URL under the stack's page base.
fn path(url: &str) -> String {
    url.strip_prefix(PAGE_BASE)
        .expect("under the page base")
        .to_owned()
}

#[tokio::test]
async fn a_photo_is_published_stripped_and_gone_when_the_alert_ends_and_the_report_is_purged() {
    let stack = TestStack::start().await;
    let (_objects, tasks) = photo_function(&stack).await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let report_id = ReportId::parse(&id).unwrap();
    let officer = stack.token("officer-1", &["officers"]);
    let body = json!({"consent": true, "content_type": "image/jpeg"});
    let upload = stack.send(ask_upload(&officer, &id, &body)).await;
    assert_eq!(upload.status, 200, "{}", upload.body);
    assert!(
        upload.body["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/{BUCKET}"))
    );

    let photo = with_camera_metadata(&jpeg(1600, 1200));
    let form = upload.body.clone();
    let status = tokio::task::spawn_blocking(move || post_upload(&form, &photo))
        .await
        .unwrap();
    assert!(matches!(status, 200 | 201 | 204), "{status}");

    let report = wait::until("the photo recorded", || async {
        stack
            .store
            .get(report_id)
            .await
            .unwrap()
            .filter(|r| r.photo().is_some())
    })
    .await;
    assert_eq!(report.version(), 3);
    let photo = report.photo().unwrap().clone();
    let page = photo.rendition(RenditionKind::Page).unwrap();
    assert_eq!((page.width, page.height), (900, 1200), "upright");

    // Served as CloudFront serves the bucket's p/: the bytes CAP's digest names, with
    // nothing of the phone's metadata, cached four minutes at most.
    let served = send(&stack.router, get(None, &path(&page.url))).await;
    assert_eq!(served.status, 200);
    assert_eq!(served.headers["content-type"], "image/jpeg");
    assert_eq!(served.headers["cache-control"], "public, max-age=240");
    let bytes = S3Photos::client(&stack.config)
        .get_object()
        .bucket(BUCKET)
        .key(&page.key)
        .send()
        .await
        .unwrap()
        .body
        .collect()
        .await
        .unwrap()
        .into_bytes();
    assert_eq!(carried(&bytes), Vec::<String>::new());
    let digest = {
        use sha1::Digest as _;
        hex::encode(sha1::Sha1::digest(&bytes))
    };
    let cap = text(&stack, &format!("/alerts/{id}/cap")).await;
    assert!(cap.contains(&format!("<digest>{digest}</digest>")), "{cap}");
    let (valid, why) = tifli_testkit::checks::validate_cap(&[cap]);
    assert!(valid, "{why}");
    assert!(text(&stack, &format!("/a/{id}")).await.contains(&page.url));

    // The alert ends: the public renditions go at once; the upload stays with the case.
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let resolved = stack
        .act(
            &supervisor,
            &id,
            "resolve",
            3,
            Some(&json!({"outcome": "found"})),
        )
        .await;
    assert_eq!(resolved.status, 200, "{}", resolved.body);
    wait::until("the renditions deleted", || async {
        keys(&stack, "p/").await.is_empty().then_some(())
    })
    .await;
    for rendition in &photo.renditions {
        let gone = send(&stack.router, get(None, &path(&rendition.url))).await;
        assert_eq!(gone.status, 404, "{:?}", rendition.kind);
    }
    assert_eq!(keys(&stack, "uploads/").await, vec![photo.original.clone()]);

    // The report's purge takes the upload with it.
    let now = OffsetDateTime::now_utc();
    sweep(&stack.store, now, BUDGET, &Default::default()).await;
    let purged = sweep(
        &stack.store,
        now + Duration::days(31),
        BUDGET,
        &Default::default(),
    )
    .await;
    assert_eq!(purged.retention_steps, 1, "{purged:?}");
    wait::until("the upload deleted", || async {
        keys(&stack, "uploads/").await.is_empty().then_some(())
    })
    .await;
    for task in tasks {
        task.abort();
    }
}

/// A refusal through the real bucket: a PNG posted with a JPEG's form (the emulator
/// does not enforce the POST policy, S3 would refuse the type only if it differs from
/// the form's), and a decompression bomb. Each is a history line, the file is gone and
/// nothing is published.
#[tokio::test]
async fn what_the_bucket_takes_but_the_photo_function_refuses_leaves_nothing_behind() {
    let stack = TestStack::start().await;
    let (_objects, tasks) = photo_function(&stack).await;
    let id = file_and_approve(&stack, "officer-1", "supervisor-1").await;
    let report_id = ReportId::parse(&id).unwrap();
    let officer = stack.token("officer-1", &["officers"]);
    for (version, declared, file, why) in [
        (
            3,
            "image/jpeg",
            tifli_testkit::photos::png(200, 200),
            "not the image/jpeg declared",
        ),
        (
            4,
            "image/png",
            tifli_testkit::photos::png_claiming(60_000, 60_000),
            "60000 × 60000 pixels",
        ),
    ] {
        let body = json!({"consent": true, "content_type": declared});
        let upload = stack.send(ask_upload(&officer, &id, &body)).await;
        assert_eq!(upload.status, 200, "{}", upload.body);
        let form = upload.body.clone();
        let status = tokio::task::spawn_blocking(move || post_upload(&form, &file))
            .await
            .unwrap();
        assert!(matches!(status, 200 | 201 | 204), "{status}");
        let (report, history) = wait::until("the refusal recorded", || async {
            use tifli::ports::HistoryReader;
            stack
                .store
                .get_with_history(report_id)
                .await
                .unwrap()
                .filter(|(r, _)| r.version() == version)
        })
        .await;
        let last = history.last().unwrap();
        assert_eq!(last.action, tifli::domain::Action::PhotoRefused);
        assert!(
            last.reason.as_deref().unwrap().contains(why),
            "{:?}",
            last.reason
        );
        assert_eq!(report.photo(), None);
        assert_eq!(report.publication(), None, "nothing published");
        wait::until("the refused file deleted", || async {
            keys(&stack, "uploads/").await.is_empty().then_some(())
        })
        .await;
        assert!(keys(&stack, "p/").await.is_empty());
    }
    for task in tasks {
        task.abort();
    }
}
