//! The five-minute tour, against a running local stack: file a report, approve it as a
//! second person, post an update, advance time so the circle widens, resolve it, and
//! show what each demo subscriber received.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Api {
    base: String,
    agent: ureq::Agent,
}

impl Api {
    fn new(base: &str) -> Api {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Api {
            base: base.trim_end_matches('/').to_owned(),
            agent,
        }
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let url = format!("{}{path}", self.base);
        let mut request = ureq::http::Request::builder().method(method).uri(&url);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(body.to_string())?,
            None => request.body(String::new())?,
        };
        let mut response = self.agent.run(request)?;
        let status = response.status();
        let text = response.body_mut().read_to_string()?;
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        if !status.is_success() {
            return Err(format!("{method} {path}: {status} {value}").into());
        }
        Ok(value)
    }

    /// `POST /reports/{id}/{action}` as `token`'s holder, on `version`.
    fn act(
        &self,
        token: &str,
        id: &str,
        action: &str,
        version: u32,
        body: &Value,
    ) -> Result<Value, Error> {
        let path = format!("/reports/{id}/{action}");
        let if_match = format!("\"{version}\"");
        let headers = [("if-match", if_match.as_str())];
        self.call("POST", &path, Some(token), &headers, Some(body))
    }

    fn token(&self, sub: &str, group: &str) -> Result<String, Error> {
        let reply = self.call(
            "POST",
            "/dev/token",
            None,
            &[],
            Some(&json!({"sub": sub, "groups": [group]})),
        )?;
        Ok(reply["token"].as_str().ok_or("no token")?.to_owned())
    }
}

/// Runs the tour against the stack at `base`; writes what happens to `out`.
pub fn run(base: &str, out: &mut impl std::io::Write) -> Result<(), Error> {
    let api = Api::new(base);
    let officer = api.token("officer-1", "officers")?;
    let supervisor = api.token("supervisor-2", "supervisors")?;
    let seen = (time::OffsetDateTime::now_utc() - time::Duration::minutes(30))
        .replace_nanosecond(0)?
        .format(&Rfc3339)?;
    let report = json!({
        "child": { "name": "Amina", "age": 7, "sex": "female", "description": "Red coat, white sneakers, two braids" },
        "last_seen": { "at": seen, "lat": 34.0209, "lon": -6.8416, "place": "Bab El Had, Rabat", "region": "MA-04" },
        "circumstances": { "narrative": "Seen leaving the school gate with an unknown adult.", "vehicle": "White van" },
        "criteria": { "abduction_suspected": true, "risk_of_serious_harm": true,
                      "sufficient_description": true, "registered_in_national_database": true },
        "tip_line": "+212537000000"
    });
    let key = format!(
        "demo-{}",
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    );
    let filed = api.call(
        "POST",
        "/reports",
        Some(&officer),
        &[("idempotency-key", &key)],
        Some(&report),
    )?;
    let id = filed["id"].as_str().ok_or("no id")?.to_owned();
    writeln!(out, "1. officer-1 filed report {id}: {}", filed["status"])?;

    let approve = json!({"radius_km": 10, "widen_km_per_hour": 5});
    let approved = api.act(&supervisor, &id, "approve", 1, &approve)?;
    let activated = time::OffsetDateTime::parse(
        approved["alert"]["activated_at"]
            .as_str()
            .ok_or("no activation")?,
        &Rfc3339,
    )?;
    writeln!(
        out,
        "2. supervisor-2 approved it: {}, radius {} km",
        approved["status"], approved["alert"]["area"]["radius_km"]
    )?;

    let news = json!({"message": "Seen near Rabat Ville train station"});
    api.act(&officer, &id, "update", 2, &news)?;
    writeln!(out, "3. officer-1 posted an update")?;

    let later = (activated + time::Duration::minutes(30)).format(&Rfc3339)?;
    let run = api.call(
        "POST",
        "/dev/expiry/run",
        None,
        &[],
        Some(&json!({ "now": later })),
    )?;
    writeln!(
        out,
        "4. the scheduled run, as if at {later}: widened {}",
        run["widened"]
    )?;

    let found = json!({"outcome": "found", "note": "Found safe at a neighbour's"});
    api.act(&officer, &id, "resolve", 4, &found)?;
    writeln!(out, "5. officer-1 resolved it: found")?;

    // The catch-all subscriber gets all four messages: Alert, Update, Update, Cancel.
    let deadline = Instant::now() + Duration::from_secs(20);
    let received = loop {
        let all = api.call("GET", "/dev/deliveries", None, &[], None)?;
        let mine: Vec<Value> = all
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .filter(|d| d["alert_id"] == id.as_str())
            .collect();
        let catch_all = mine.iter().filter(|d| d["subscriber"] == "all").count();
        if catch_all >= 4 || Instant::now() > deadline {
            break mine;
        }
        std::thread::sleep(Duration::from_millis(250));
    };
    writeln!(out, "\nWhat each subscriber received for {id}:")?;
    let mut by_subscriber: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &received {
        by_subscriber
            .entry(d["subscriber"].as_str().unwrap_or("?").to_owned())
            .or_default()
            .push(format!(
                "{} v{} (circle {})",
                d["msg_type"].as_str().unwrap_or("?"),
                d["version"],
                d["circle"].as_str().unwrap_or("")
            ));
    }
    for (subscriber, messages) in &by_subscriber {
        writeln!(out, "  {subscriber:>5}: {}", messages.join(", "))?;
    }
    writeln!(
        out,
        "  other regions: nothing (their filter policies did not match)"
    )?;
    let public = api.call("GET", "/alerts", None, &[], None)?;
    let listed = public["items"]
        .as_array()
        .is_some_and(|items| items.iter().any(|a| a["id"] == id.as_str()));
    writeln!(out, "\nGET /alerts lists it: {listed}")?;
    if by_subscriber.get("all").map_or(0, Vec::len) < 4 {
        return Err("the catch-all subscriber did not receive the four messages".into());
    }
    Ok(())
}
