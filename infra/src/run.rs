//! The local runner: emulator, table, authorizer and every route on one port.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use tifli::domain::cap::Sender;
use tifli::fanout::Issuer;
use tifli::kms::KmsKey;
use tifli::photo::Photos;
use tifli::ports::SystemClock;
use tifli::sns::SnsPublisher;
use tifli::sqs::SqsFailureQueue;
use tifli::store::dynamodb::DynamoStore;
use tifli::store::dynamodb::provision::ensure_table;
use tifli::store::s3::S3Photos;
use tifli::stream::Outlets;
use tifli::uploads::{Bucket, S3PostSigner};
use time::format_description::well_known::Rfc3339;

use crate::auth::Authorizer;
use crate::aws::{REGION, emulator_config, ensure_queue, ensure_topics};
use crate::dev::DevConfig;
use crate::emulator::Emulator;
use crate::stack::Stack;

pub struct Options {
    pub host: String,
    pub port: u16,
    pub emulator: String,
    pub table: String,
    /// The topics' prefix.
    pub topics: String,
    /// The photos bucket.
    pub bucket: String,
    pub sender: String,
    /// Also stop when standard input closes: a process that starts the runner keeps the
    /// pipe open, so the runner never outlives it, even when it is killed.
    pub stop_with_stdin: bool,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn emulator_address(endpoint: &str) -> Result<SocketAddr, Error> {
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or("--emulator must be an http:// URL")?
        .trim_end_matches('/');
    authority
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| format!("{endpoint} resolves to no address").into())
}

/// Reuses an emulator that answers at `endpoint`, or starts one there (on a free port
/// when `endpoint`'s port is 0); the endpoint it answers at.
fn ensure_emulator(endpoint: &str) -> Result<(String, Option<Emulator>), Error> {
    let address = emulator_address(endpoint)?;
    if address.port() != 0
        && TcpStream::connect_timeout(&address, Duration::from_millis(300)).is_ok()
    {
        tracing::info!(%endpoint, "reusing the running emulator");
        return Ok((endpoint.to_owned(), None));
    }
    if !address.ip().is_loopback() {
        return Err(format!(
            "nothing answers at {endpoint}, and only a loopback emulator can be started"
        )
        .into());
    }
    let emulator = Emulator::start(&crate::repo_root(), address.port())?;
    tracing::info!(endpoint = emulator.endpoint(), "emulator started");
    Ok((emulator.endpoint().to_owned(), Some(emulator)))
}

pub async fn run(options: Options) -> Result<(), Error> {
    let wanted = options.emulator.trim_end_matches('/').to_owned();
    let (endpoint, emulator) =
        tokio::task::spawn_blocking(move || ensure_emulator(&wanted)).await??;
    let config = emulator_config(&endpoint).await;
    let client = aws_sdk_dynamodb::Client::new(&config);
    if ensure_table(&client, &options.table).await? {
        tracing::info!(table = %options.table, "table created");
    }
    let sns = aws_sdk_sns::Client::new(&config);
    let topics = ensure_topics(&sns, &options.topics).await?;
    let topic_arn = topics.alerts.clone();
    let sender = Sender::new(&options.sender).ok_or("--sender must have no spaces or commas")?;
    // Bound first: the push notifications link to this address's alert pages.
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let base = format!("http://{}", listener.local_addr()?);
    let issuer = Issuer::new(sender, &base);
    let sqs = aws_sdk_sqs::Client::new(&config);
    let failure_queue = ensure_queue(&sqs, &format!("{}-fanout-failures", options.topics)).await?;
    // The KMS key of the CAP signatures, shared by the fan-out and the public routes.
    let kms = aws_sdk_kms::Client::new(&config);
    let signing_key =
        crate::aws::ensure_signing_key(&kms, &format!("alias/{}-cap-signing", options.topics))
            .await?;
    let signing =
        || tifli::signing::Signing::new(KmsKey::new(kms.clone(), signing_key.clone(), None));
    // The fan-out function's event source: the table's stream, polled.
    let source = crate::streams::run(
        client.clone(),
        aws_sdk_dynamodbstreams::Client::new(&config),
        options.table.clone(),
        Outlets {
            publisher: SnsPublisher::new(sns.clone(), topics.clone()),
            ledger: DynamoStore::new(client.clone(), &options.table),
            failures: SqsFailureQueue::new(sqs.clone(), failure_queue.clone()),
            issuer: issuer.clone(),
            signing: signing(),
        },
    );
    let fan_out = tokio::spawn(async move {
        if let Err(e) = source.await {
            tracing::error!(error = %e, "the stream event source stopped: alerts are no longer fanned out");
        }
    });
    // The photo function's two event sources: the bucket's uploads, and the stream.
    let s3 = S3Photos::client(&config);
    let uploads_queue = crate::photos::ensure_bucket(&s3, &sqs, &options.bucket).await?;
    let retention = tifli::config::retention(tifli::config::env)?;
    let photos = Arc::new(Photos {
        store: DynamoStore::new(client.clone(), &options.table).with_retention(retention),
        objects: S3Photos::new(s3.clone(), &options.bucket),
        base: base.clone(),
    });
    let uploads = tokio::spawn(crate::photos::play_uploads(
        sqs.clone(),
        uploads_queue,
        photos,
    ));
    let photo_source = crate::streams::run(
        client.clone(),
        aws_sdk_dynamodbstreams::Client::new(&config),
        options.table.clone(),
        crate::streams::PhotoConsumer(S3Photos::new(s3.clone(), &options.bucket)),
    );
    let photo_stream = tokio::spawn(async move {
        if let Err(e) = photo_source.await {
            tracing::error!(error = %e, "the photo function's stream source stopped");
        }
    });
    let subscribers = crate::subscribers::provision(&sqs, &sns, &topics).await?;
    let deliveries = crate::subscribers::Deliveries::default();
    let watcher = tokio::spawn(crate::subscribers::watch(
        sqs,
        subscribers,
        deliveries.clone(),
    ));
    let store = DynamoStore::new(client, &options.table).with_retention(retention);
    let review = tifli::config::review(tifli::config::env)?;
    // The expiry function's schedule: a run every minute, with the clock's time.
    let schedule = tokio::spawn({
        let store = store.clone();
        async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                let run = tifli::expiry::sweep(
                    &store,
                    time::OffsetDateTime::now_utc(),
                    crate::dev::EXPIRY_BUDGET,
                    &review,
                )
                .await;
                let idle = tifli::expiry::Sweep {
                    complete: true,
                    ..Default::default()
                };
                if run != idle {
                    tracing::info!(?run, "scheduled run");
                }
            }
        }
    });
    let dev = DevConfig {
        topic_arn: topic_arn.clone(),
        exercises_topic_arn: topics.exercises.clone(),
        case_events_topic_arn: topics.case_events.clone(),
        failure_queue_url: failure_queue,
        table: options.table.clone(),
        endpoint: endpoint.clone(),
        region: REGION.to_owned(),
    };
    let app = crate::stack::router(Stack {
        store,
        clock: Arc::new(SystemClock),
        issuer,
        policy: tifli::config::alert_policy(tifli::config::env)?,
        review,
        auth: Authorizer::generate()?,
        config: dev,
        deliveries,
        photos: crate::stack::Photos {
            uploads: S3PostSigner {
                bucket: Bucket::new(&options.bucket, REGION, Some(&endpoint)),
                credentials: config
                    .credentials_provider()
                    .ok_or("no credentials for the emulator")?,
            },
            s3,
            bucket: options.bucket.clone(),
        },
        signing: signing(),
    });
    println!("{}", try_it(&base, &endpoint, &options.table, &topic_arn));
    let stop_with_stdin = options.stop_with_stdin;
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let stdin_closed = async {
                if stop_with_stdin {
                    // A thread of its own, outside the runtime: the runtime would wait
                    // for a blocking read at shutdown, for ever.
                    let (closed, on_close) = tokio::sync::oneshot::channel();
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
                        let _ = closed.send(());
                    });
                    let _ = on_close.await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                () = stdin_closed => {}
            }
        })
        .await?;
    fan_out.abort();
    uploads.abort();
    photo_stream.abort();
    watcher.abort();
    schedule.abort();
    drop(emulator);
    tracing::info!("stopped");
    Ok(())
}

/// The "try it" block: a token, then a report filed with it (seen half an hour ago, so
/// that the example is valid whenever it is run).
fn try_it(base: &str, endpoint: &str, table: &str, topic: &str) -> String {
    let seen = (time::OffsetDateTime::now_utc() - time::Duration::minutes(30))
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default();
    format!(
        r#"
Tifli is running.
  API        {base}
  emulator   {endpoint}  (DynamoDB table {table}, SNS topic {topic} and the
             exercises and case-events topics beside it)

Try it:
  TOKEN=$(curl -s -X POST {base}/dev/token -H 'content-type: application/json' \
    -d '{{"sub":"officer-1","groups":["officers"]}}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

  curl -i -X POST {base}/reports -H "authorization: Bearer $TOKEN" \
    -H 'content-type: application/json' -H 'idempotency-key: try-it-1' \
    -d '{{"child":{{"name":"Amina","age":7,"sex":"female","description":"Red coat, two braids"}},
         "last_seen":{{"at":"{seen}","lat":34.0209,"lon":-6.8416,"place":"Bab El Had, Rabat","region":"MA-04"}},
         "circumstances":{{"narrative":"Seen leaving with an unknown adult."}},
         "criteria":{{"abduction_suspected":true,"risk_of_serious_harm":true,
                     "sufficient_description":true,"registered_in_national_database":true}},
         "tip_line":"+212537000000"}}'

Ctrl-C stops the API and the emulator it started.
"#
    )
}
