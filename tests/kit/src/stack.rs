//! A stack in process: each test gets an emulator of its own (on a port it binds
//! itself), its table, and the system's router behind the emulated authorizer; the
//! emulator stops when the test ends, passed or failed.

use std::sync::Arc;

use aws_sdk_dynamodb::Client;
use tifli::domain::AlertPolicy;
use tifli::ports::{Clock, SystemClock};
use tifli::store::dynamodb::DynamoStore;
use tifli::store::dynamodb::provision::ensure_table;
use tifli_local::auth::Authorizer;
use tifli_local::dev::DevConfig;
use tifli_local::emulator::Emulator;
use tifli_local::stack::Stack;

pub const TABLE: &str = "tifli-test";
/// The topics' prefix: `tifli-alerts`, `tifli-exercises`, `tifli-case-events`.
pub const TOPICS: &str = "tifli";
pub const SENDER: &str = "tifli@police.example";
/// The photos bucket of test stacks.
pub const BUCKET: &str = "tifli-test-photos";
/// The alias of the emulator's CAP signing key, as the local runner names it.
pub const SIGNING_KEY_ALIAS: &str = "alias/tifli-cap-signing";
/// The public site of test stacks' alert pages.
pub const PAGE_BASE: &str = "https://tifli.example";

/// Presigns uploads into [`BUCKET`] with fixed credentials: what the approval function
/// does with its role's, for handler and contract tests that never post the file.
pub fn uploads() -> tifli::uploads::S3PostSigner {
    tifli::uploads::S3PostSigner {
        bucket: tifli::uploads::Bucket::new(BUCKET, tifli_local::aws::REGION, None),
        credentials: aws_credential_types::provider::SharedCredentialsProvider::new(
            aws_credential_types::Credentials::new("testing", "testing", None, None, "tests"),
        ),
    }
}

/// Who publishes in test stacks: [`SENDER`], pages under [`PAGE_BASE`].
pub fn issuer() -> tifli::fanout::Issuer {
    tifli::fanout::Issuer::new(
        tifli::domain::cap::Sender::new(SENDER).expect("sender"),
        PAGE_BASE,
    )
}

pub struct TestStack {
    pub config: aws_config::SdkConfig,
    /// The ARN of the emulator's CAP signing key (KMS).
    pub signing_key: String,
    pub clock: Arc<dyn Clock>,
    pub client: Client,
    pub store: DynamoStore,
    pub auth: Authorizer,
    pub router: axum::Router,
    // Last, so that it is dropped after the clients that talk to it.
    pub emulator: Emulator,
}

impl TestStack {
    pub async fn start() -> TestStack {
        Self::start_with_clock(Arc::new(SystemClock)).await
    }

    pub async fn start_with_clock(clock: Arc<dyn Clock>) -> TestStack {
        let emulator =
            tokio::task::spawn_blocking(|| Emulator::start(&tifli_local::repo_root(), 0))
                .await
                .expect("emulator task")
                .expect("the emulator starts");
        let config = tifli_local::aws::emulator_config(emulator.endpoint()).await;
        let client = Client::new(&config);
        ensure_table(&client, TABLE)
            .await
            .expect("the table is created");
        let store = DynamoStore::new(client.clone(), TABLE);
        let auth = Authorizer::generate().expect("a signing key");
        let signing_key = tifli_local::aws::ensure_signing_key(
            &aws_sdk_kms::Client::new(&config),
            SIGNING_KEY_ALIAS,
        )
        .await
        .expect("the signing key");
        let router = stack_router(
            &emulator,
            &config,
            store.clone(),
            clock.clone(),
            auth.clone(),
            &signing_key,
        );
        TestStack {
            config,
            signing_key,
            clock,
            client,
            store,
            auth,
            router,
            emulator,
        }
    }

    /// The system's router over another store of this stack's table (one whose client
    /// misbehaves, say), behind the same authorizer.
    pub fn router_for(&self, store: DynamoStore) -> axum::Router {
        stack_router(
            &self.emulator,
            &self.config,
            store,
            self.clock.clone(),
            self.auth.clone(),
            &self.signing_key,
        )
    }

    /// A signer with the emulator's KMS key, as the functions hold one.
    pub fn signing(&self) -> tifli::signing::Signing {
        tifli::signing::Signing::new(tifli::kms::KmsKey::new(
            aws_sdk_kms::Client::new(&self.config),
            self.signing_key.clone(),
            None,
        ))
    }

    /// `request` through the stack's router.
    pub async fn send(&self, request: http::Request<axum::body::Body>) -> crate::requests::Reply {
        crate::requests::send(&self.router, request).await
    }

    /// `GET path` without a token, its body as text (a feed, a CAP message).
    pub async fn get_text(&self, path: &str) -> (http::StatusCode, http::HeaderMap, String) {
        use tower::ServiceExt;
        let request = crate::requests::get(None, path);
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible");
        let (status, headers) = (response.status(), response.headers().clone());
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("body");
        let text = String::from_utf8(bytes.to_vec()).expect("UTF-8");
        (status, headers, text)
    }

    /// `POST /reports/{id}/{action}` as `token`'s holder, on `version`.
    pub async fn act(
        &self,
        token: &str,
        id: &str,
        action: &str,
        version: u32,
        body: Option<&serde_json::Value>,
    ) -> crate::requests::Reply {
        let request = crate::requests::act(Some(token), id, action, Some(version), body);
        self.send(request).await
    }

    /// `requests` sent all at once; their replies.
    pub async fn race(
        &self,
        requests: impl IntoIterator<Item = http::Request<axum::body::Body>>,
    ) -> Vec<crate::requests::Reply> {
        let mut racers = tokio::task::JoinSet::new();
        for request in requests {
            let router = self.router.clone();
            racers.spawn(async move { crate::requests::send(&router, request).await });
        }
        racers.join_all().await
    }

    pub fn token(&self, sub: &str, groups: &[&str]) -> String {
        let groups: Vec<String> = groups.iter().map(|g| g.to_string()).collect();
        self.auth
            .issue(sub, &groups, time::OffsetDateTime::now_utc())
    }

    /// Every item of the table (tests only: the system itself never scans).
    pub async fn items(
        &self,
    ) -> Vec<std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
        let mut items = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .client
                .scan()
                .table_name(TABLE)
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            items.extend(page.items.unwrap_or_default());
            start = page.last_evaluated_key;
            if start.is_none() {
                return items;
            }
        }
    }

    /// How many reports, history items and idempotency keys the table holds.
    pub async fn counts(&self) -> [usize; 3] {
        [
            self.count("report").await,
            self.count("history").await,
            self.count("idempotency").await,
        ]
    }

    /// How many items of `kind` (`report`, `history`, `idempotency`) the table holds.
    pub async fn count(&self, kind: &str) -> usize {
        self.items()
            .await
            .iter()
            .filter(|i| {
                i.get("kind")
                    .and_then(|k| k.as_s().ok())
                    .map(String::as_str)
                    == Some(kind)
            })
            .count()
    }
}

fn stack_router(
    emulator: &Emulator,
    config: &aws_config::SdkConfig,
    store: DynamoStore,
    clock: Arc<dyn Clock>,
    auth: Authorizer,
    signing_key: &str,
) -> axum::Router {
    let arn = |topic: &str| {
        format!(
            "arn:aws:sns:{}:123456789012:{TOPICS}-{topic}",
            tifli_local::aws::REGION
        )
    };
    let dev = DevConfig {
        table: TABLE.into(),
        topic_arn: arn("alerts"),
        exercises_topic_arn: arn("exercises"),
        case_events_topic_arn: arn("case-events"),
        failure_queue_url: format!(
            "{}/123456789012/{TOPICS}-fanout-failures",
            emulator.endpoint()
        ),
        endpoint: emulator.endpoint().into(),
        region: tifli_local::aws::REGION.into(),
    };
    tifli_local::stack::router(Stack {
        store,
        clock,
        issuer: issuer(),
        policy: AlertPolicy::default(),
        review: Default::default(),
        auth,
        config: dev,
        deliveries: Default::default(),
        photos: tifli_local::stack::Photos {
            s3: tifli::store::s3::S3Photos::client(config),
            bucket: BUCKET.into(),
            uploads: tifli::uploads::S3PostSigner {
                bucket: tifli::uploads::Bucket::new(
                    BUCKET,
                    tifli_local::aws::REGION,
                    Some(emulator.endpoint()),
                ),
                credentials: config.credentials_provider().expect("credentials"),
            },
        },
        signing: tifli::signing::Signing::new(tifli::kms::KmsKey::new(
            aws_sdk_kms::Client::new(config),
            signing_key.to_owned(),
            None,
        )),
    })
}

impl TestStack {
    /// The table's stream ARN and every record its (single) shard holds, oldest first.
    pub async fn stream_records(&self) -> (String, Vec<aws_sdk_dynamodbstreams::types::Record>) {
        let streams = aws_sdk_dynamodbstreams::Client::new(&self.config);
        let arn = self
            .client
            .describe_table()
            .table_name(TABLE)
            .send()
            .await
            .expect("the table")
            .table
            .and_then(|t| t.latest_stream_arn)
            .expect("a stream");
        let shard = streams
            .describe_stream()
            .stream_arn(&arn)
            .send()
            .await
            .expect("the stream")
            .stream_description
            .and_then(|d| d.shards)
            .and_then(|s| s.into_iter().next())
            .and_then(|s| s.shard_id)
            .expect("a shard");
        let iterator = streams
            .get_shard_iterator()
            .stream_arn(&arn)
            .shard_id(shard)
            .shard_iterator_type(aws_sdk_dynamodbstreams::types::ShardIteratorType::TrimHorizon)
            .send()
            .await
            .expect("an iterator")
            .shard_iterator;
        let records = streams
            .get_records()
            .set_shard_iterator(iterator)
            .limit(1000)
            .send()
            .await
            .expect("the records")
            .records
            .unwrap_or_default();
        (arn, records)
    }

    /// The store as a reader at `now`: what reads see once that time has come.
    pub fn store_at(&self, now: time::OffsetDateTime) -> DynamoStore {
        self.store
            .clone()
            .with_clock(std::sync::Arc::new(tifli::ports::FixedClock(now)))
    }
}
