//! The SDK's configuration in a Lambda function, from the function's environment alone.
//!
//! Lambda gives a function its region and its role's credentials in environment
//! variables, nothing else. The SDK's default loader also looks for profile files, SSO,
//! web identity (through STS) and the instance metadata service: none of them exists in
//! Lambda, yet each is code in the package and work at every cold start. Reading the
//! environment only keeps both out.

use aws_config::environment::EnvironmentVariableCredentialsProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::provider::SharedCredentialsProvider;

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
    if let Some(endpoint) = std::env::var("AWS_ENDPOINT_URL")
        .ok()
        .filter(|e| !e.is_empty())
    {
        config = config.endpoint_url(endpoint);
    }
    config.build()
}
