//! A local implementation of the Lambda Runtime API (`next`, `response`, `error`,
//! `init/error`), enough to start a function's binary as Lambda does, see when it first
//! asks for work, and invoke it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::routing::{get, post};
use serde_json::Value;
use tokio::sync::{Mutex, mpsc};

const PREFIX: &str = "/2018-06-01/runtime";

struct Shared {
    asked: mpsc::UnboundedSender<Instant>,
    events: Mutex<mpsc::UnboundedReceiver<Value>>,
    done: mpsc::UnboundedSender<Result<Value, String>>,
}

/// One function's Runtime API.
pub struct RuntimeApi {
    pub address: SocketAddr,
    asked: mpsc::UnboundedReceiver<Instant>,
    events: mpsc::UnboundedSender<Value>,
    done: mpsc::UnboundedReceiver<Result<Value, String>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn next(State(shared): State<Arc<Shared>>) -> (HeaderMap, String) {
    let _ = shared.asked.send(Instant::now());
    let event = shared
        .events
        .lock()
        .await
        .recv()
        .await
        .unwrap_or(Value::Null);
    let mut headers = HeaderMap::new();
    let deadline =
        (time::OffsetDateTime::now_utc() + time::Duration::seconds(30)).unix_timestamp() * 1000;
    let id = format!(
        "bench-{}",
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    );
    for (name, value) in [
        ("lambda-runtime-aws-request-id", id),
        ("lambda-runtime-deadline-ms", deadline.to_string()),
        (
            "lambda-runtime-invoked-function-arn",
            "arn:aws:lambda:us-east-1:123456789012:function:bench".to_owned(),
        ),
        (
            "lambda-runtime-trace-id",
            "Root=1-00000000-000000000000000000000000".to_owned(),
        ),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    (headers, event.to_string())
}

async fn response(
    State(shared): State<Arc<Shared>>,
    Path(_id): Path<String>,
    body: String,
) -> &'static str {
    let _ = shared.done.send(Ok(
        serde_json::from_str(&body).unwrap_or(Value::String(body))
    ));
    "{}"
}

async fn error(State(shared): State<Arc<Shared>>, body: String) -> &'static str {
    let _ = shared.done.send(Err(body));
    "{}"
}

impl RuntimeApi {
    pub async fn start() -> std::io::Result<RuntimeApi> {
        let (asked_tx, asked) = mpsc::unbounded_channel();
        let (events, events_rx) = mpsc::unbounded_channel();
        let (done_tx, done) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared {
            asked: asked_tx,
            events: Mutex::new(events_rx),
            done: done_tx,
        });
        let app = Router::new()
            .route(&format!("{PREFIX}/invocation/next"), get(next))
            .route(
                &format!("{PREFIX}/invocation/{{id}}/response"),
                post(response),
            )
            .route(&format!("{PREFIX}/invocation/{{id}}/error"), post(error))
            .route(&format!("{PREFIX}/init/error"), post(error))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(RuntimeApi {
            address,
            asked,
            events,
            done,
            server,
        })
    }

    /// When the function next asks for work.
    pub async fn asked(&mut self) -> Option<Instant> {
        self.asked.recv().await
    }

    /// Hands `event` to the function and waits for its answer.
    pub async fn invoke(&mut self, event: Value) -> Result<Value, String> {
        self.events.send(event).map_err(|e| e.to_string())?;
        self.done
            .recv()
            .await
            .unwrap_or_else(|| Err("the runtime API stopped".into()))
    }
}
