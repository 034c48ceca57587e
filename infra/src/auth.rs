//! The API Gateway JWT authorizer, emulated: tokens signed with a key generated at
//! start-up, verified on every protected route, their claims handed to the function in
//! the request context exactly as API Gateway hands them over.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lambda_http::request::RequestContext;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const ISSUER: &str = "tifli-local";
pub const AUDIENCE: &str = "tifli";
/// Tokens live as long as Cognito's default ID tokens.
pub const TOKEN_TTL: time::Duration = time::Duration::hours(1);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(rename = "cognito:groups", default)]
    pub groups: Vec<String>,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    pub token_use: String,
}

/// The signing key of this run of the local stack.
#[derive(Clone)]
pub struct Authorizer {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
}

impl Authorizer {
    /// A fresh random 256-bit HMAC key: tokens of an earlier run are refused.
    pub fn generate() -> Result<Authorizer, jsonwebtoken::errors::Error> {
        let mut secret = [0u8; 32];
        rand::fill(&mut secret);
        Ok(Authorizer {
            encoding: Arc::new(EncodingKey::from_secret(&secret)?),
            decoding: Arc::new(DecodingKey::from_secret(&secret)?),
        })
    }

    pub fn issue(&self, sub: &str, groups: &[String], now: time::OffsetDateTime) -> String {
        let claims = Claims {
            sub: sub.to_owned(),
            groups: groups.to_vec(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.unix_timestamp(),
            exp: (now + TOKEN_TTL).unix_timestamp(),
            token_use: "id".to_owned(),
        };
        self.sign(&claims)
    }

    /// Signs any claims with this run's key: how tests forge tokens that carry odd or
    /// missing claims yet pass the signature check.
    pub fn sign<C: Serialize>(&self, claims: &C) -> String {
        // HS256 over a fixed, valid header and serialisable claims cannot fail.
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .unwrap_or_default()
    }

    /// Verifies signature, algorithm (HS256 only: `none` and others are refused), issuer,
    /// audience and expiry, and returns the claims as API Gateway passes them on: every
    /// value a string, arrays as `[a b]`.
    pub fn verify(&self, token: &str) -> Option<HashMap<String, String>> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 0;
        let data =
            jsonwebtoken::decode::<HashMap<String, Value>>(token, &self.decoding, &validation)
                .ok()?;
        Some(
            data.claims
                .into_iter()
                .map(|(k, v)| (k, claim_string(&v)))
                .collect(),
        )
    }
}

fn claim_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(claim_string).collect();
            format!("[{}]", items.join(" "))
        }
        other => other.to_string(),
    }
}

/// The request context API Gateway builds for a request with verified `claims`.
pub fn request_context(
    request: &Request,
    claims: HashMap<String, String>,
) -> Option<RequestContext> {
    let now = time::OffsetDateTime::now_utc();
    serde_json::from_value(json!({
        "routeKey": "$default",
        "accountId": "000000000000",
        "stage": "$default",
        "requestId": tifli::domain::ReportId::generate(now).to_string(),
        "apiId": "local",
        "domainName": "localhost",
        "domainPrefix": "localhost",
        "time": "",
        "timeEpoch": now.unix_timestamp() * 1000,
        "http": {
            "method": request.method().as_str(),
            "path": request.uri().path(),
            "protocol": "HTTP/1.1",
            "sourceIp": "127.0.0.1",
            "userAgent": request.headers().get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or(""),
        },
        "authorizer": { "jwt": { "claims": claims, "scopes": null } },
    }))
    .ok()
}

/// API Gateway's answer to a missing or refused token (HTTP APIs cannot customise it).
fn unauthorized() -> Response {
    let mut response = (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"message": "Unauthorized"})),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

/// Middleware: the JWT authorizer of the protected routes.
pub async fn authorize(
    State(auth): State<Authorizer>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let Some(claims) = token.and_then(|t| auth.verify(t)) else {
        return unauthorized();
    };
    let Some(context) = request_context(&request, claims) else {
        return unauthorized();
    };
    request.extensions_mut().insert(context);
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use tifli::http::identity::GROUPS_CLAIM;

    /// `{"alg":"none","typ":"JWT"}`, base64url-encoded.
    const ALG_NONE_HEADER: &str = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";

    fn now() -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }

    #[test]
    fn a_token_of_this_run_is_accepted_with_its_claims() {
        let auth = Authorizer::generate().unwrap();
        let token = auth.issue(
            "officer-1",
            &["officers".into(), "supervisors".into()],
            now(),
        );
        let claims = auth.verify(&token).unwrap();
        assert_eq!(claims["sub"], "officer-1");
        assert_eq!(claims[GROUPS_CLAIM], "[officers supervisors]");
    }

    #[test]
    fn refused_tokens() {
        let auth = Authorizer::generate().unwrap();
        let other = Authorizer::generate().unwrap();
        let good = auth.issue("o", &["officers".into()], now());
        let expired = auth.issue(
            "o",
            &["officers".into()],
            now() - TOKEN_TTL - time::Duration::seconds(1),
        );
        let payload = good.split('.').nth(1).unwrap();
        let unsigned = format!("{ALG_NONE_HEADER}.{payload}.");
        let mut tampered = good.clone();
        tampered.pop();
        tampered.push(if good.ends_with('A') { 'B' } else { 'A' });
        let cases = [
            ("wrong key", other.issue("o", &["officers".into()], now())),
            ("expired", expired),
            ("alg none", unsigned),
            ("bad signature", tampered),
            ("not a jwt", "abc".to_owned()),
            ("empty", String::new()),
        ];
        for (what, token) in cases {
            assert!(auth.verify(&token).is_none(), "{what} accepted");
        }
    }
}
