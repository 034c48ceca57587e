//! The pure work of a request, with no I/O: what our code costs per call.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tifli::domain::actions::ApproveBody;
use tifli::domain::cells::cover;
use tifli::domain::public::PublicAlert;
use tifli::domain::samples::{NOW, SEEN_AT, alert_with, approved, full_report_json};
use tifli::domain::{AlertPolicy, Language, OfficerId, Report, ReportBody, ReportId};
use tifli::fanout::AlertMessage;

fn handlers(c: &mut Criterion) {
    let json = full_report_json(SEEN_AT);
    let officer = OfficerId::new("officer-1").unwrap();
    c.bench_function("validate_and_file_report", |b| {
        b.iter(|| {
            let body: ReportBody = serde_json::from_value(black_box(json.clone())).unwrap();
            let draft = body.validate(NOW).unwrap();
            black_box(Report::file(
                ReportId::generate(NOW),
                draft,
                officer.clone(),
                NOW,
            ))
        })
    });

    let draft = serde_json::from_value::<ReportBody>(json.clone())
        .unwrap()
        .validate(NOW)
        .unwrap();
    let (filed, _) = Report::file(ReportId::generate(NOW), draft, officer.clone(), NOW);
    let supervisor = OfficerId::new("supervisor-1").unwrap();
    let policy = AlertPolicy::default();
    c.bench_function("approve_transition", |b| {
        b.iter(|| {
            black_box(
                filed
                    .approve(&supervisor, ApproveBody::default(), &policy, NOW)
                    .unwrap(),
            )
        })
    });

    let alert = PublicAlert::of(&alert_with(
        "Amina El Idrissi",
        "Bab El Had, Rabat",
        "Red coat, white sneakers",
        json!({}),
    ))
    .unwrap();
    let sender = tifli_testkit::issuer();
    c.bench_function("render_cap_and_texts_4_languages", |b| {
        b.iter(|| black_box(AlertMessage::new(black_box(&alert), &sender).per_protocol()))
    });

    // What signing adds to a message, ours: the digest of the canonical message, the
    // `SignedInfo`, the signed message. The RSA operation is the key's (KMS, remote);
    // an RSA-2048 signature made here gives its order of magnitude.
    let unsigned = AlertMessage::new(&alert, &sender).unsigned;
    let signature = tifli::domain::cap::Signature {
        kid: "1234abcd-12ab-34cd-56ef-1234567890ab".into(),
        value: vec![7; 256],
    };
    c.bench_function("sign_cap_message", |b| {
        b.iter_batched(
            || unsigned.clone(),
            |message| {
                black_box(message.signed_info());
                black_box(message.signed(black_box(&signature)))
            },
            criterion::BatchSize::SmallInput,
        )
    });
    let key = tifli_testkit::signing::LocalKey::current();
    let signed_info = unsigned.signed_info();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    c.bench_function("rsa2048_sign_local", |b| {
        use tifli::ports::CapKey;
        b.iter(|| {
            runtime
                .block_on(key.sign(black_box(signed_info.as_bytes())))
                .unwrap()
        })
    });

    // The public page of a report with every field, in Arabic.
    let full = PublicAlert::of(&approved(&filed)).unwrap();
    c.bench_function("render_alert_page", |b| {
        b.iter(|| {
            black_box(tifli::page::alert_page(
                black_box(&full),
                Language::Ar,
                "https://tifli.example",
            ))
        })
    });

    // The share card of the same alert, shaped and rasterised: English, then Arabic (right
    // to left, joined letters).
    let mut card = c.benchmark_group("render_share_card");
    for language in [Language::En, Language::Ar] {
        card.bench_function(language.code(), |b| {
            b.iter(|| black_box(tifli::card::share_card(black_box(&full), language).unwrap()))
        });
    }
    card.finish();

    c.bench_function("geohash_cover_15km", |b| {
        b.iter(|| black_box(cover(34.0209, -6.8416, black_box(15.0))))
    });
    c.bench_function("geohash_cover_150km", |b| {
        b.iter(|| black_box(cover(34.0209, -6.8416, black_box(150.0))))
    });
}

/// What the photo function does with a phone's photo: check, decode, turn, resize and
/// encode both renditions. A second or so per call: ten samples.
fn photo(c: &mut Criterion) {
    let jpeg = tifli_testkit::photos::camera_jpeg(4000, 3000);
    let mut group = c.benchmark_group("photo");
    group.sample_size(10);
    group.bench_function("renditions_4000x3000_jpeg", |b| {
        b.iter(|| {
            black_box(
                tifli::photo::image::renditions(
                    black_box(&jpeg),
                    tifli::domain::photo::PhotoType::Jpeg,
                )
                .unwrap(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, handlers, photo);
criterion_main!(benches);
