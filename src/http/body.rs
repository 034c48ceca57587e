//! Reading a JSON body with a precise problem for every way it can be wrong: media type
//! (415), size (413), encoding, syntax, types and unknown fields (400).

use axum::body::Body;
use axum::http::{HeaderMap, header};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use super::problem::{Problem, ProblemType};
use crate::domain::limits::MAX_BODY_BYTES;
use crate::domain::validation::JsonObject;
use crate::domain::{FieldError, ValidationErrors};

/// `application/json`, with no parameter but an optional `charset=utf-8`.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut parts = value.split(';').map(str::trim);
    let essence = parts.next().unwrap_or("");
    essence.eq_ignore_ascii_case("application/json")
        && parts.all(|p| {
            p.split_once('=').is_some_and(|(k, v)| {
                k.trim().eq_ignore_ascii_case("charset")
                    && v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
            })
        })
}

fn too_large() -> Problem {
    Problem::new(
        ProblemType::BodyTooLarge,
        format!("the body must be at most {MAX_BODY_BYTES} bytes"),
    )
}

fn unsupported() -> Problem {
    Problem::new(
        ProblemType::UnsupportedMediaType,
        "send the body as Content-Type: application/json (UTF-8)",
    )
}

/// Reads the body as a JSON value.
pub async fn read_json(headers: &HeaderMap, body: Body) -> Result<serde_json::Value, Problem> {
    if !is_json(headers) {
        return Err(unsupported());
    }
    parse(&read_bytes(headers, body).await?)
}

/// Reads a body whose fields are all optional: no body at all stands for `{}`.
pub async fn read_optional_json(
    headers: &HeaderMap,
    body: Body,
) -> Result<serde_json::Value, Problem> {
    let declared_json = is_json(headers);
    if headers.contains_key(header::CONTENT_TYPE) && !declared_json {
        return Err(unsupported());
    }
    let bytes = read_bytes(headers, body).await?;
    match (bytes.is_empty(), declared_json) {
        (true, _) => Ok(serde_json::Value::Object(Default::default())),
        (false, true) => parse(&bytes),
        (false, false) => Err(unsupported()),
    }
}

/// Whether the body is an HTML form's (`application/x-www-form-urlencoded`).
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|essence| {
            essence
                .trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
}

/// Reads an HTML form's fields, in order, bounded like a JSON body.
pub async fn read_form(headers: &HeaderMap, body: Body) -> Result<Vec<(String, String)>, Problem> {
    let bytes = read_bytes(headers, body).await?;
    Ok(form_urlencoded::parse(&bytes).into_owned().collect())
}

async fn read_bytes(headers: &HeaderMap, body: Body) -> Result<bytes::Bytes, Problem> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<LengthLimitError>() => Err(too_large()),
        Err(_) => Err(Problem::new(
            ProblemType::MalformedBody,
            "the body could not be read to its end",
        )),
    }
}

fn parse(bytes: &[u8]) -> Result<serde_json::Value, Problem> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Problem::new(
            ProblemType::MalformedBody,
            format!("the body is not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    if text.trim().is_empty() {
        return Err(Problem::new(
            ProblemType::MalformedBody,
            "the body is empty: a JSON object is expected",
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        Problem::new(
            ProblemType::MalformedBody,
            format!("line {} column {}: {e}", e.line(), e.column()),
        )
    })
}

/// Every `null` in `value`, by path. The bodies leave out what they do not give: a `null`
/// would read as absent, which the API description does not promise and a client may
/// not mean.
fn nulls(value: &serde_json::Value, path: &str, found: &mut Vec<FieldError>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::Null => found.push(FieldError::new(
            path,
            "must not be null: leave the field out instead",
        )),
        serde_json::Value::Object(fields) => {
            for (key, inner) in fields {
                nulls(inner, &join(key), found);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                nulls(inner, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

/// Deserialises `json`, which must be an object without `null`s, into `T`, naming the
/// offending field on a `null`, a wrong type or an unknown field.
pub fn typed<T: DeserializeOwned>(json: &serde_json::Value) -> Result<T, Problem> {
    let mut found = Vec::new();
    nulls(json, "", &mut found);
    if !found.is_empty() {
        return Err(Problem::invalid(ValidationErrors(found)));
    }
    serde_path_to_error::deserialize(json)
        .map(|JsonObject(value)| value)
        .map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            let message = plain_message(&e.into_inner().to_string());
            Problem::invalid(ValidationErrors(vec![FieldError::new(field, message)]))
        })
}

/// serde names Rust types ("expected struct ChildBody", "expected i64"); callers only
/// know JSON's.
fn plain_message(message: &str) -> String {
    let Some(at) = message.find("expected ") else {
        return message.to_owned();
    };
    let (head, expected) = message.split_at(at + "expected ".len());
    let json_type = match expected {
        e if e.starts_with("struct ") || e.starts_with("a map") => "a JSON object",
        "i64" | "u64" | "u32" | "u8" | "i32" => "an integer",
        "f64" | "f32" => "a number",
        "a sequence" => "an array",
        "a boolean" => "true or false",
        other => other,
    };
    format!("{head}{json_type}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(content_type: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        h
    }

    #[test]
    fn media_types() {
        let cases = [
            ("application/json", true),
            ("Application/JSON", true),
            ("application/json; charset=utf-8", true),
            ("application/json;charset=\"UTF-8\"", true),
            ("application/json; charset=latin1", false),
            ("application/json; boundary=x", false),
            ("text/plain", false),
            ("application/problem+json", false),
            ("application/jsonx", false),
        ];
        for (ct, ok) in cases {
            assert_eq!(is_json(&headers(ct)), ok, "{ct}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }

    #[test]
    fn type_errors_name_the_field_in_plain_words() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            n: u8,
        }
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            inner: Option<Inner>,
            list: Option<Vec<u8>>,
        }
        let err = |v: serde_json::Value| {
            let p = typed::<Outer>(&v).unwrap_err();
            serde_json::to_value(&p).unwrap()["errors"][0].clone()
        };
        let e = err(serde_json::json!({"inner": {"n": "x"}}));
        assert_eq!(e["field"], "inner.n");
        let e = err(serde_json::json!({"inner": {"m": 1}}));
        assert_eq!(e["field"], "inner.m");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("unknown field `m`")
        );
        let e = err(serde_json::json!({"list": [1, "two"]}));
        assert_eq!(e["field"], "list[1]");
        let e = err(serde_json::json!({"inner": "x"}));
        assert_eq!(
            e["message"],
            "invalid type: string \"x\", expected a JSON object"
        );
        let e = err(serde_json::json!({"inner": {"n": 1.5}}));
        assert_eq!(
            e["message"],
            "invalid type: floating point `1.5`, expected an integer"
        );
        let e = err(serde_json::json!({"list": {}}));
        assert_eq!(e["message"], "invalid type: map, expected an array");
        let e = err(serde_json::json!([]));
        assert_eq!(e["field"], "");
    }

    #[test]
    fn nulls_are_refused_wherever_they_are() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            a: Option<serde_json::Value>,
        }
        let p = typed::<Body>(&serde_json::json!({"a": {"b": null, "c": [1, null]}, "d": null}))
            .unwrap_err();
        let body = serde_json::to_value(&p).unwrap();
        assert_eq!(body["type"], "/problems/validation");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["a.b", "a.c[1]", "d"]);
        assert_eq!(
            body["errors"][0]["message"],
            "must not be null: leave the field out instead"
        );
    }
}
