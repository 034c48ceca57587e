//! SDK configuration for the emulator: its endpoint, a fixed region and dummy
//! credentials, through the SDK's own settings (as `AWS_ENDPOINT_URL` would).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_dynamodb::config::Credentials;

pub const REGION: &str = "us-east-1";

pub async fn emulator_config(endpoint: &str) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new(
            "testing", "testing", None, None, "emulator",
        ))
        .load()
        .await
}
