//! The SDK's configuration in a Lambda function, from the function's environment alone.
//!
//! Lambda gives a function its region and its role's credentials in environment
//! variables, nothing else. The SDK's default loader also looks for profile files, SSO,
//! web identity (through STS) and the instance metadata service: none of them exists in
//! Lambda, yet each is code in the package and work at every cold start. Reading the
//! environment only keeps both out.
//!
//! The SDK's HTTP client, for each SDK client built, builds a TLS configuration (reading
//! the trust store) only to throw it away; [`https_client`] skips that, so the only one
//! built is the one the first request keeps (`docs/BENCHMARKS.md` has the counts).

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_http_client::tls::rustls_provider::CryptoMode;
use aws_smithy_http_client::tls::{Provider, TlsContext, TrustStore};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::shared::IntoShared;

/// Amazon Root CA 1 to 4 and Starfield Services Root Certificate Authority - G2 (as
/// Debian's ca-certificates ships them): the roots of every AWS endpoint's certificate.
const AWS_ROOTS: &[u8] = include_bytes!("aws-roots.pem");

/// An HTTPS client that trusts AWS's roots alone, read from the binary, and builds its
/// TLS configuration at the first request. Its cryptography is ring's: the SDK's
/// default, AWS-LC, brings a whole C crypto library (about 0.9 MB of each function's
/// 5.7 to 8 MB) for the few algorithms a TLS client to AWS uses.
pub fn https_client() -> Option<SharedHttpClient> {
    let trust = TrustStore::empty().with_pem_certificate(AWS_ROOTS);
    let context = TlsContext::builder().with_trust_store(trust).build().ok()?;
    let client = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .tls_context(context)
        .build_https();
    Some(AtFirstRequest(client).into_shared())
}

/// The SDK's HTTP client without its check at client construction, which builds a
/// connector (TLS configuration and trust store) only to load the store early, once per
/// SDK client. The connector the requests use is built and kept at the first request.
#[derive(Debug)]
struct AtFirstRequest(SharedHttpClient);

impl HttpClient for AtFirstRequest {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn connector_metadata(
        &self,
    ) -> Option<aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

/// The configuration of the SDK clients: the region of `AWS_REGION`, the credentials of
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, and the
/// endpoint of `AWS_ENDPOINT_URL` when set (the local emulator's, in benchmarks).
pub fn from_lambda_environment() -> SdkConfig {
    let region = std::env::var("AWS_REGION").ok().map(Region::new);
    let mut config = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(region)
        .credentials_provider(SharedCredentialsProvider::new(
            EnvironmentVariableCredentialsProvider::new(),
        ));
    // It cannot fail with these roots (a unit test builds it); without it every request
    // would fail, the SDK crates having no default client here.
    config.set_http_client(https_client());
    if let Some(endpoint) = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
    {
        config = config.endpoint_url(endpoint);
    }
    config.build()
}

#[cfg(test)]
mod tests {
    use base64::Engine;

    /// The five roots, each a DER certificate (a SEQUENCE): the TLS provider parses them
    /// when a client first connects, and would stop the function on a bad one.
    #[test]
    fn the_compiled_in_roots_are_five_certificates() {
        let pem = std::str::from_utf8(super::AWS_ROOTS).unwrap();
        let bodies: Vec<String> = pem
            .split("-----BEGIN CERTIFICATE-----")
            .skip(1)
            .map(|rest| {
                let body = rest.split("-----END CERTIFICATE-----").next().unwrap();
                body.lines().collect::<String>()
            })
            .collect();
        assert_eq!(bodies.len(), 5);
        for body in bodies {
            let der = base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap();
            assert_eq!(der[0], 0x30, "a DER SEQUENCE");
        }
        assert!(super::https_client().is_some());
    }
}
