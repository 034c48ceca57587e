//! The base URL of public links (the feed's, an alert page's): the one configured
//! (`PUBLIC_BASE_URL`), else the API's own address as API Gateway records the domain it
//! served the request on (`requestContext.domainName`). Never the `Host` header, which a
//! client writes and a CDN may cache.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lambda_http::request::RequestContext;

use super::problem::{Problem, ProblemType};
use crate::fanout::Issuer;

/// The domain API Gateway served the request on; `None` outside API Gateway.
pub struct ServedOn(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ServedOn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let domain = match parts.extensions.get::<RequestContext>() {
            Some(RequestContext::ApiGatewayV2(context)) => context.domain_name.clone(),
            _ => None,
        };
        // A domain name is a host and nothing else.
        let domain = domain.filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        });
        Ok(ServedOn(domain))
    }
}

/// `issuer` with the base of its links settled: its own when configured, else the API's
/// address.
pub fn settled(issuer: &Issuer, served: &ServedOn) -> Result<Issuer, Problem> {
    if !issuer.page_base.is_empty() {
        return Ok(issuer.clone());
    }
    let domain = served.0.as_deref().ok_or_else(|| {
        Problem::new(
            ProblemType::Internal,
            "no public base URL: set PUBLIC_BASE_URL",
        )
    })?;
    Ok(Issuer::new(
        issuer.sender.clone(),
        &format!("https://{domain}"),
    ))
}
