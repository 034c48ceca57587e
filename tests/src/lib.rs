//! Helpers of the integration tests: each test gets its own emulator, its own table and
//! the system's router behind the emulated authorizer, and the emulator stops when the
//! test ends, passed or failed.

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

pub struct TestStack {
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
        let dev = DevConfig {
            table: TABLE.into(),
            endpoint: emulator.endpoint().into(),
            region: tifli_local::aws::REGION.into(),
        };
        let router = tifli_local::stack::router(Stack {
            store: store.clone(),
            clock,
            policy: AlertPolicy::default(),
            auth: auth.clone(),
            config: dev,
        });
        TestStack {
            client,
            store,
            auth,
            router,
            emulator,
        }
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
