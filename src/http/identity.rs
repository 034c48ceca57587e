//! Who is calling: read from the API Gateway JWT authorizer's claims, the same way in
//! Lambda and in the local runner (which emulates the authorizer).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use lambda_http::request::RequestContext;

use super::problem::{Problem, ProblemType};
use crate::domain::OfficerId;

/// The Cognito groups that carry a role in Tifli.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Officers,
    Supervisors,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Officers => "officers",
            Group::Supervisors => "supervisors",
        }
    }
}

pub const GROUPS_CLAIM: &str = "cognito:groups";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: OfficerId,
    pub groups: Vec<String>,
}

impl Identity {
    /// Reads `sub` and `cognito:groups` from the authorizer context. Groups come only
    /// from `cognito:groups`: no other claim can grant a role.
    pub fn from_context(context: &RequestContext) -> Option<Identity> {
        #[allow(unreachable_patterns)]
        let claims = match context {
            RequestContext::ApiGatewayV2(ctx) => &ctx.authorizer.as_ref()?.jwt.as_ref()?.claims,
            _ => return None,
        };
        let subject = OfficerId::new(claims.get("sub")?.as_str())?;
        let groups = claims
            .get(GROUPS_CLAIM)
            .map(|g| parse_groups(g))
            .unwrap_or_default();
        Some(Identity { subject, groups })
    }

    pub fn is_in(&self, group: Group) -> bool {
        self.groups.iter().any(|g| g == group.as_str())
    }

    /// 403 unless the caller belongs to one of `groups`.
    pub fn require(&self, groups: &[Group]) -> Result<(), Problem> {
        if groups.iter().any(|g| self.is_in(*g)) {
            return Ok(());
        }
        let names: Vec<_> = groups.iter().map(|g| g.as_str()).collect();
        Err(Problem::new(
            ProblemType::Forbidden,
            format!("this action needs membership of: {}", names.join(", ")),
        ))
    }
}

/// API Gateway hands a JWT array claim to the function as one string, `[a b c]`; a
/// single group may also arrive bare. Group names hold no white space (the user pool
/// refuses it) and Tifli's hold no brackets, so a bare value that does is no group at
/// all rather than several: one string cannot pass for a list.
pub fn parse_groups(raw: &str) -> Vec<String> {
    let raw = raw.trim();
    let inner = match raw.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        Some(inner) => inner,
        None if raw.contains(|c: char| c.is_whitespace() || c == '[' || c == ']') => "",
        None => raw,
    };
    inner
        .split_whitespace()
        .filter(|g| !g.contains(['[', ']']))
        .map(str::to_owned)
        .collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Identity {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Problem> {
        parts
            .extensions
            .get::<RequestContext>()
            .and_then(Identity::from_context)
            .ok_or_else(|| {
                Problem::new(
                    ProblemType::Unauthenticated,
                    "no verified identity: send a bearer token of the Tifli user pool",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_as_api_gateway_renders_them() {
        let cases: &[(&str, &[&str])] = &[
            ("[officers]", &["officers"]),
            ("[officers supervisors]", &["officers", "supervisors"]),
            ("officers", &["officers"]),
            ("[]", &[]),
            ("", &[]),
            // One string is never a list, and brackets never part of a name.
            ("officers supervisors", &[]),
            ("officers]", &[]),
            ("[officers [supervisors]]", &["officers"]),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_groups(raw), *want, "{raw:?}");
        }
    }

    fn context(claims: serde_json::Value) -> RequestContext {
        serde_json::from_value(serde_json::json!({
            "routeKey": "POST /reports", "accountId": "123456789012", "stage": "$default",
            "requestId": "r", "apiId": "a", "domainName": "d", "domainPrefix": "d",
            "time": "28/Nov/2026:16:30:00 +0000", "timeEpoch": 0,
            "http": { "method": "POST", "path": "/reports", "protocol": "HTTP/1.1",
                      "sourceIp": "127.0.0.1", "userAgent": "t" },
            "authorizer": { "jwt": { "claims": claims, "scopes": null } }
        }))
        .unwrap()
    }

    #[test]
    fn identity_from_claims() {
        let id = Identity::from_context(&context(serde_json::json!({
            "sub": "officer-1", "cognito:groups": "[officers]"
        })))
        .unwrap();
        assert_eq!(id.subject.as_str(), "officer-1");
        assert!(id.is_in(Group::Officers));
        assert!(!id.is_in(Group::Supervisors));
        assert!(id.require(&[Group::Officers]).is_ok());
        let refused = id.require(&[Group::Supervisors]).unwrap_err();
        assert_eq!(refused.kind(), ProblemType::Forbidden);
    }

    #[test]
    fn roles_come_only_from_the_groups_claim() {
        let id = Identity::from_context(&context(serde_json::json!({
            "sub": "x", "groups": "[supervisors]", "custom:groups": "supervisors",
            "scope": "supervisors"
        })))
        .unwrap();
        assert!(id.groups.is_empty());
        assert!(id.require(&[Group::Supervisors]).is_err());
    }

    #[test]
    fn no_subject_no_identity() {
        assert!(
            Identity::from_context(&context(
                serde_json::json!({"cognito:groups": "[officers]"})
            ))
            .is_none()
        );
        assert!(Identity::from_context(&context(serde_json::json!({"sub": " "}))).is_none());
    }
}
