//! Fault injection at the SDK's transport: the real SDK, its retry strategy and error
//! parsing, in front of the real emulator, with some calls answered by a fault instead
//! of the service. Most faults are answered before the request leaves, so the service
//! never sees the call; `AnswerLost` lets the call through and loses its answer. What
//! the system does with each is what it would do with the same answer from AWS.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_smithy_http_client::tls::Provider;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;

/// What a faulty call gets instead of the service's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The connection is refused: the service is down or unreachable.
    Refused,
    /// DynamoDB's `ThrottlingException` (HTTP 400).
    Throttled,
    /// DynamoDB cancels a transaction that met another one on the same item.
    TransactionConflict,
    /// DynamoDB cancels a transaction for throttling (a reason code, not an error).
    TransactionThrottled,
    /// The request reaches the service and is applied, but its answer is lost on the
    /// way back (a reset connection): the one fault where a retry meets its own write.
    AnswerLost,
}

/// Which calls fail: of the calls to `operation` (all when `None`), the first `burst`
/// of every `every`.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub fault: Fault,
    pub operation: Option<&'static str>,
    pub burst: usize,
    pub every: usize,
}

impl Rule {
    pub fn always(fault: Fault, operation: Option<&'static str>) -> Rule {
        Rule::share(fault, operation, 1, 1)
    }

    pub fn share(
        fault: Fault,
        operation: Option<&'static str>,
        burst: usize,
        every: usize,
    ) -> Rule {
        Rule {
            fault,
            operation,
            burst,
            every,
        }
    }

    /// Only the next call to `operation`.
    pub fn once(fault: Fault, operation: Option<&'static str>) -> Rule {
        Rule::share(fault, operation, 1, usize::MAX)
    }
}

/// The faults in force, shared with every client built on them; counts what they did.
#[derive(Debug, Default)]
pub struct Faults {
    rule: Mutex<Option<Rule>>,
    matching: AtomicUsize,
    calls: AtomicUsize,
    injected: AtomicUsize,
}

impl Faults {
    pub fn new() -> Arc<Faults> {
        Arc::default()
    }

    pub fn set(&self, rule: Option<Rule>) {
        *self.rule.lock().expect("faults") = rule;
        self.matching.store(0, Ordering::SeqCst);
    }

    /// Calls that reached the transport, faulty or not.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Calls answered by a fault.
    pub fn injected(&self) -> usize {
        self.injected.load(Ordering::SeqCst)
    }

    fn fault_for(&self, operation: &str) -> Option<Fault> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let rule = (*self.rule.lock().expect("faults"))?;
        if rule.operation.is_some_and(|o| o != operation) {
            return None;
        }
        let n = self.matching.fetch_add(1, Ordering::SeqCst);
        (n % rule.every.max(1) < rule.burst).then(|| {
            self.injected.fetch_add(1, Ordering::SeqCst);
            rule.fault
        })
    }

    /// `config` with its transport behind these faults. The retry strategy is the
    /// SDK's standard one, as deployed (3 attempts), with a shorter first back-off so
    /// that tests do not sleep for seconds.
    pub fn config(self: &Arc<Self>, config: &aws_config::SdkConfig) -> aws_config::SdkConfig {
        // The client the SDK would pick by default (its features select rustls on
        // aws-lc), built here because the default is chosen per service client.
        let inner = aws_smithy_http_client::Builder::new()
            .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
            .build_https();
        config
            .to_builder()
            .http_client(FaultyHttpClient {
                inner,
                faults: self.clone(),
            })
            .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(10)))
            .build()
    }
}

/// The operation a request calls: DynamoDB names it in `X-Amz-Target`, the query
/// protocol of SNS in the form body.
fn operation(request: &HttpRequest) -> String {
    if let Some(target) = request.headers().get("x-amz-target") {
        return target.rsplit('.').next().unwrap_or(target).to_owned();
    }
    let body = request.body().bytes().unwrap_or_default();
    String::from_utf8_lossy(body)
        .split('&')
        .find_map(|pair| pair.strip_prefix("Action="))
        .unwrap_or("")
        .to_owned()
}

fn dynamodb_error(kind: &str, extra: serde_json::Value) -> HttpResponse {
    let mut body = serde_json::json!({
        "__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"),
        "message": "injected by the test",
    });
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    let mut response = HttpResponse::new(
        400.try_into().expect("a status"),
        SdkBody::from(body.to_string()),
    );
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.0");
    response
}

fn io_error(kind: std::io::ErrorKind) -> ConnectorError {
    ConnectorError::io(std::io::Error::from(kind).into())
}

fn cancelled(reason: &str) -> HttpResponse {
    dynamodb_error(
        "TransactionCanceledException",
        serde_json::json!({"CancellationReasons": [
            {"Code": "None"},
            {"Code": reason, "Message": "injected by the test"},
            {"Code": "None"},
        ]}),
    )
}

/// The answer to a call that is not sent.
fn answer(fault: Fault) -> Result<HttpResponse, ConnectorError> {
    match fault {
        Fault::Refused => Err(io_error(std::io::ErrorKind::ConnectionRefused)),
        Fault::Throttled => Ok(dynamodb_error("ThrottlingException", serde_json::json!({}))),
        Fault::TransactionConflict => Ok(cancelled("TransactionConflict")),
        Fault::TransactionThrottled => Ok(cancelled("ThrottlingError")),
        Fault::AnswerLost => unreachable!("an applied call is answered in `call`"),
    }
}

#[derive(Debug)]
struct FaultyHttpClient {
    inner: SharedHttpClient,
    faults: Arc<Faults>,
}

impl HttpClient for FaultyHttpClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            faults: self.faults.clone(),
        })
    }
}

#[derive(Debug)]
struct FaultyConnector {
    inner: SharedHttpConnector,
    faults: Arc<Faults>,
}

impl HttpConnector for FaultyConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        match self.faults.fault_for(&operation(&request)) {
            Some(Fault::AnswerLost) => {
                let sent = self.inner.call(request);
                HttpConnectorFuture::new(async move {
                    let _applied = sent.await;
                    Err(io_error(std::io::ErrorKind::ConnectionReset))
                })
            }
            Some(fault) => HttpConnectorFuture::ready(answer(fault)),
            None => self.inner.call(request),
        }
    }
}
