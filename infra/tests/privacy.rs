//! Privacy through a whole lifecycle of the local stack, logging at `debug`: no log or
//! metric line holds a child's name, description, the narrative, a photo URL or a phone
//! number (nor any other free text a user typed), and staff reads leave audit lines; the public outputs (JSON, CAP, Atom, SNS bodies)
//! hold only their whitelisted fields; an ended alert is reduced at once and its purge
//! times are set.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tifli_testkit::fanout::subscribe_queue;
use tifli_testkit::local::{Call, LocalStack, Reply};
use tifli_testkit::wait;

/// The runner binary these tests run.
const RUNNER: &str = env!("CARGO_BIN_EXE_tifli-local");

const NAME: &str = "Zineb Privacyname";
const DESCRIPTION: &str = "Green scarf privacydescription";
const NARRATIVE: &str = "Privacynarrative: seen with a cousin";
const PHOTO: &str = "https://photos.police.example/privacyphoto-4471.jpg";
const TIP_LINE: &str = "+212537994471";
const VEHICLE: &str = "Privacyvehicle blue hatchback";
const SUSPECT: &str = "Privacysuspect tall man";
const PLACE: &str = "Privacyplace market square";
const UPDATE: &str = "Privacyupdate seen near the souk";
const NOTE: &str = "Privacynote found at her aunt's";
const REJECTION: &str = "Privacyreason duplicate of an earlier report";
const OVERRIDE: &str = "Privacyoverride the family confirmed the danger";
const CANCELLATION: &str = "Privacycancel the child was never missing";
const WITNESS: &str = "Privacywitness saw her near the fountain";
const WITNESS_PLACE: &str = "Privacywitnessplace fountain square";
const WITNESS_CONTACT: &str = "+212661994471";
const OFFICER: &str = "officer-71";
const SUPERVISOR: &str = "supervisor-72";

/// Everything a user typed about a child or a case: never in a log line.
const TYPED: [&str; 16] = [
    NAME,
    DESCRIPTION,
    NARRATIVE,
    PHOTO,
    TIP_LINE,
    VEHICLE,
    SUSPECT,
    PLACE,
    UPDATE,
    NOTE,
    REJECTION,
    OVERRIDE,
    CANCELLATION,
    WITNESS,
    WITNESS_PLACE,
    WITNESS_CONTACT,
];

/// What the public may see of an alert: the whitelist, by JSON path.
const PUBLIC_ALERT_FIELDS: [&str; 29] = [
    "id",
    "version",
    "status",
    "exercise",
    "msg_type",
    "sent",
    "ending",
    "child",
    "child.name",
    "child.age",
    "child.sex",
    "child.description",
    "child.photo_url",
    "last_seen",
    "last_seen.at",
    "last_seen.place",
    "last_seen.region",
    "vehicle",
    "suspect",
    "message",
    "tip_line",
    "area",
    "regions",
    "expires_at",
    "area.lat",
    "area.lon",
    "area.radius_km",
    "languages",
    // The link to the alert's CAP message.
    "cap",
];

/// What the public never sees, whatever the output.
const INTERNAL: [&str; 9] = [
    NARRATIVE,
    NOTE,
    REJECTION,
    OVERRIDE,
    CANCELLATION,
    OFFICER,
    SUPERVISOR,
    "photo_consent",
    "criteria",
];

/// The elements a CAP message may hold: what Tifli publishes, nothing of the report.
const CAP_ELEMENTS: [&str; 47] = [
    "alert",
    "identifier",
    "sender",
    "sent",
    "status",
    "msgType",
    "scope",
    "references",
    "info",
    "language",
    "category",
    "event",
    "urgency",
    "severity",
    "certainty",
    "eventCode",
    "valueName",
    "value",
    "expires",
    "senderName",
    "headline",
    "description",
    "instruction",
    // The alert's page: its id and a language, nothing more.
    "web",
    "contact",
    "resource",
    "resourceDesc",
    "mimeType",
    "uri",
    // A hosted photo's size and digest.
    "size",
    "digest",
    "area",
    "areaDesc",
    "circle",
    "geocode",
    // The signature: a digest, constants, the signature's bytes and the key's name.
    "Signature",
    "SignedInfo",
    "CanonicalizationMethod",
    "SignatureMethod",
    "Reference",
    "Transforms",
    "Transform",
    "DigestMethod",
    "DigestValue",
    "SignatureValue",
    "KeyInfo",
    "KeyName",
];

/// The elements of the Atom feed.
const ATOM_ELEMENTS: [&str; 9] = [
    "feed", "id", "title", "updated", "author", "name", "entry", "summary", "link",
];

/// The names of the elements of `xml`.
fn elements(xml: &str) -> BTreeSet<String> {
    xml.split('<')
        .skip(1)
        .filter(|tag| !tag.starts_with(['/', '?', '!']))
        .map(|tag| {
            tag.split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

fn assert_elements(what: &str, xml: &str, allowed: &[&str]) {
    let found = elements(xml);
    let extra: Vec<&String> = found
        .iter()
        .filter(|e| !allowed.contains(&e.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "{what}: elements not whitelisted: {extra:?}"
    );
}

fn report(criteria_met: bool) -> Value {
    let mut body = tifli_testkit::samples::report(NAME);
    body["child"] = json!({
        "name": NAME, "age": 6, "sex": "female", "description": DESCRIPTION,
        "photo_url": PHOTO, "photo_consent": true,
    });
    body["last_seen"]["place"] = PLACE.into();
    body["circumstances"] = json!({"narrative": NARRATIVE, "vehicle": VEHICLE, "suspect": SUSPECT});
    body["tip_line"] = TIP_LINE.into();
    body["criteria"]["risk_of_serious_harm"] = criteria_met.into();
    body
}

fn ok(reply: Reply) -> Value {
    assert!(
        (200..300).contains(&reply.status),
        "{}: {}",
        reply.status,
        reply.text
    );
    reply.json()
}

/// Every JSON path (`a.b`, arrays looked through) of `value`'s object keys.
fn paths(value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                paths(inner, &path, out);
                out.insert(path);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| paths(i, prefix, out)),
        _ => {}
    }
}

fn assert_whitelisted(alert: &Value) {
    let mut found = BTreeSet::new();
    paths(alert, "", &mut found);
    let allowed: BTreeSet<String> = PUBLIC_ALERT_FIELDS.iter().map(|f| f.to_string()).collect();
    let extra: Vec<_> = found.difference(&allowed).collect();
    assert!(extra.is_empty(), "not whitelisted: {extra:?}");
}

fn assert_nothing_internal(what: &str, output: &str) {
    for internal in INTERNAL {
        assert!(
            !output.contains(internal),
            "{what} holds {internal:?}: {output}"
        );
    }
}

/// The SNS side: a queue subscribed to the stack's topic, as a partner's would be.
struct Partner {
    runtime: tokio::runtime::Runtime,
    sqs: aws_sdk_sqs::Client,
    dynamodb: aws_sdk_dynamodb::Client,
    queue: String,
    table: String,
}

impl Partner {
    fn subscribe(stack: &LocalStack) -> Partner {
        let config = ok(Call::get(stack, "/dev/config").send());
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let endpoint = config["endpoint"].as_str().expect("endpoint").to_owned();
        let sdk = runtime.block_on(tifli_local::aws::emulator_config(&endpoint));
        let (sqs, sns) = (
            aws_sdk_sqs::Client::new(&sdk),
            aws_sdk_sns::Client::new(&sdk),
        );
        let topic = config["topic_arn"].as_str().expect("topic").to_owned();
        let queue = runtime.block_on(subscribe_queue(&sqs, &sns, &topic, "partner", None));
        Partner {
            runtime,
            sqs,
            dynamodb: aws_sdk_dynamodb::Client::new(&sdk),
            queue,
            table: config["table"].as_str().expect("table").to_owned(),
        }
    }

    /// The SNS notification bodies received, waiting until there are `want`.
    fn received(&self, want: usize) -> Vec<String> {
        let mut bodies = Vec::new();
        wait::until_blocking(&format!("{want} notifications"), || {
            let out = self
                .runtime
                .block_on(
                    self.sqs
                        .receive_message()
                        .queue_url(&self.queue)
                        .max_number_of_messages(10)
                        .send(),
                )
                .expect("receive");
            for message in out.messages() {
                let notification: Value =
                    serde_json::from_str(message.body().unwrap_or("")).expect("a notification");
                bodies.push(notification["Message"].as_str().expect("a body").to_owned());
            }
            (bodies.len() >= want).then_some(())
        });
        bodies
    }

    /// The `purge_at` of every item of `report`, by kind.
    fn purge_times(&self, report: &str) -> Vec<(String, Option<String>)> {
        let items = self
            .runtime
            .block_on(self.dynamodb.scan().table_name(&self.table).send())
            .expect("a scan")
            .items
            .unwrap_or_default();
        items
            .iter()
            .filter(|i| {
                i.values()
                    .any(|v| v.as_s().is_ok_and(|s| s.contains(report)))
            })
            .map(|i| {
                let kind = i.get("kind").and_then(|k| k.as_s().ok()).cloned();
                let purge = i.get("purge_at").and_then(|p| p.as_n().ok()).cloned();
                (kind.unwrap_or_default(), purge)
            })
            .collect()
    }
}

#[test]
fn a_whole_lifecycle_logged_at_debug_leaks_nothing() {
    let stack = LocalStack::start(RUNNER, "lifecycle", "debug");
    let partner = Partner::subscribe(&stack);
    let officer = stack.token(OFFICER, &["officers"]);
    let supervisor = stack.token(SUPERVISOR, &["supervisors"]);

    // Filed, reviewed, approved, assigned, updated, extended, widened, read by the public.
    let filed = ok(Call::post(&stack, "/reports")
        .bearer(&officer)
        .header("idempotency-key", "lifecycle-1")
        .json(&report(true))
        .send());
    let id = filed["id"].as_str().expect("id").to_owned();
    let act = |id: &str, action: &str, version: u64, token: &str, body: Value| {
        Call::post(&stack, &format!("/reports/{id}/{action}"))
            .bearer(token)
            .version(version)
            .json(&body)
            .send()
    };
    ok(Call::get(&stack, "/reports").bearer(&supervisor).send());
    ok(Call::get(&stack, &format!("/reports/{id}"))
        .bearer(&supervisor)
        .send());
    ok(act(
        &id,
        "approve",
        1,
        &supervisor,
        json!({"radius_km": 10, "max_radius_km": 60}),
    ));
    ok(act(
        &id,
        "assign",
        2,
        &supervisor,
        json!({"officer": "officer-on-call"}),
    ));
    ok(act(&id, "update", 3, &officer, json!({"message": UPDATE})));
    ok(act(&id, "extend", 4, &supervisor, json!({"hours": 12})));
    let later =
        tifli_testkit::samples::rfc3339(time::OffsetDateTime::now_utc() + time::Duration::hours(3));
    let sweep = ok(Call::post(&stack, "/dev/expiry/run")
        .json(&json!({"now": later}))
        .send());
    assert!(sweep["widened"].as_u64() >= Some(1), "{sweep}");
    // A witness sends what they saw; staff read it.
    let seen = json!({
        "seen_at": tifli_testkit::samples::rfc3339(time::OffsetDateTime::now_utc()),
        "place": WITNESS_PLACE,
        "description": WITNESS,
        "contact": WITNESS_CONTACT,
    });
    let sent = Call::post(&stack, &format!("/a/{id}/sightings"))
        .json(&seen)
        .send();
    assert_eq!(sent.status, 201, "{}", sent.text);
    let read = ok(Call::get(&stack, &format!("/reports/{id}/sightings"))
        .bearer(&supervisor)
        .send());
    assert_eq!(read["items"][0]["description"], WITNESS);

    let mut public = Vec::new();
    for path in [
        "/alerts".to_owned(),
        format!("/alerts/{id}"),
        format!("/alerts/{id}/cap"),
        "/alerts.atom".to_owned(),
    ] {
        let reply = Call::get(&stack, &path).send();
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert!(reply.text.contains(NAME), "{path} shows the child");
        assert_nothing_internal(&path, &reply.text);
        public.push((path, reply));
    }
    assert_whitelisted(&public[0].1.json()["items"]);
    assert_whitelisted(&public[1].1.json());
    assert_elements("the CAP", &public[2].1.text, &CAP_ELEMENTS);
    assert_elements("the feed", &public[3].1.text, &ATOM_ELEMENTS);

    // Ended: reduced at once, purge times set.
    ok(act(
        &id,
        "resolve",
        6,
        &officer,
        json!({"outcome": "found", "note": NOTE}),
    ));
    let ended = ok(Call::get(&stack, &format!("/alerts/{id}")).send());
    let keys: Vec<&String> = ended.as_object().expect("an object").keys().collect();
    assert_eq!(keys, ["ended_at", "id", "status"]);
    for path in ["/alerts", "/alerts.atom"] {
        let reply = Call::get(&stack, path).send();
        assert!(!reply.text.contains(NAME), "{path} still shows the child");
    }
    let cap = Call::get(&stack, &format!("/alerts/{id}/cap")).send().text;
    assert!(cap.contains("<msgType>Cancel</msgType>"), "{cap}");
    assert_nothing_internal("the Cancel", &cap);
    assert_elements("the Cancel", &cap, &CAP_ELEMENTS);
    // The Cancel names the child, and shows nothing more.
    for gone in [PHOTO, PLACE, DESCRIPTION, VEHICLE, SUSPECT, UPDATE] {
        assert!(!cap.contains(gone), "{gone:?} in the Cancel: {cap}");
    }
    // The report's purge time is set by the transition that ended it.
    let purge = partner.purge_times(&id);
    let report_purge = purge.iter().find(|(kind, _)| kind == "report");
    assert!(
        report_purge.is_some_and(|(_, at)| at.is_some()),
        "{purge:?}"
    );
    // The history's, by the next scheduled run.
    ok(Call::post(&stack, "/dev/expiry/run")
        .json(&json!({}))
        .send());
    let purge = partner.purge_times(&id);
    let history: Vec<_> = purge.iter().filter(|(kind, _)| kind == "history").collect();
    assert_eq!(history.len(), 7, "{purge:?}");
    assert!(history.iter().all(|(_, at)| at.is_some()), "{purge:?}");

    // A rejected report, an override, a cancellation, and refused input.
    let second = ok(Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&report(true))
        .send());
    let second = second["id"].as_str().expect("id").to_owned();
    ok(act(
        &second,
        "reject",
        1,
        &supervisor,
        json!({"reason": REJECTION}),
    ));
    let third = ok(Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&report(false))
        .send());
    let third = third["id"].as_str().expect("id").to_owned();
    let refused = act(&third, "approve", 1, &supervisor, json!({}));
    assert_eq!(refused.status, 422, "{}", refused.text);
    ok(act(
        &third,
        "approve",
        1,
        &supervisor,
        json!({"override_reason": OVERRIDE}),
    ));
    ok(act(
        &third,
        "cancel",
        2,
        &supervisor,
        json!({"reason": CANCELLATION}),
    ));
    let mut invalid = report(true);
    invalid["child"]["age"] = 40.into();
    invalid["tip_line"] = format!("{TIP_LINE}99999").into();
    let reply = Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&invalid)
        .send();
    assert_eq!(reply.status, 400, "{}", reply.text);

    // A report nobody reviews: announced to staff, then lapsed.
    let fourth = ok(Call::post(&stack, "/reports")
        .bearer(&officer)
        .json(&report(true))
        .send());
    let fourth = fourth["id"].as_str().expect("id").to_owned();
    for (hours, counter) in [(1, "reminded"), (25, "lapsed")] {
        let at = time::OffsetDateTime::now_utc() + time::Duration::hours(hours);
        let at = tifli_testkit::samples::rfc3339(at);
        let run = ok(Call::post(&stack, "/dev/expiry/run")
            .json(&json!({ "now": at }))
            .send());
        assert_eq!(run[counter], 1, "{run}");
    }
    let lapsed = ok(Call::get(&stack, &format!("/reports/{fourth}"))
        .bearer(&supervisor)
        .send());
    assert_eq!(lapsed["status"], "lapsed");

    // What partners received over SNS: first alert 5 versions, the third 2. Delivery is
    // at least once (the runs above, hours ahead of the clock, may send a version the
    // fan-out was about to publish): partners deduplicate on the identifier, as here.
    let mut bodies = partner.received(7);
    let mut seen = BTreeSet::new();
    bodies.retain(|body| {
        let envelope: Value = serde_json::from_str(body).expect("an envelope");
        seen.insert(envelope["identifier"].as_str().unwrap_or("").to_owned())
    });
    assert_eq!(bodies.len(), 7, "{bodies:#?}");
    for body in &bodies {
        assert_nothing_internal("an SNS body", body);
        let envelope: Value = serde_json::from_str(body).expect("an envelope");
        assert_elements(
            "an SNS body's CAP",
            envelope["cap"].as_str().expect("the CAP"),
            &CAP_ELEMENTS,
        );
        for texts in envelope["texts"].as_object().expect("texts").values() {
            let keys: Vec<&String> = texts.as_object().expect("texts").keys().collect();
            assert_eq!(keys, ["long", "page", "short"]);
        }
        let keys: BTreeSet<&str> = envelope
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "alert_id",
                "cap",
                "identifier",
                "msg_type",
                "status",
                "texts",
                "version"
            ])
        );
    }

    let log = stack.stop();
    let debug_lines = log.iter().filter(|l| l.contains("DEBUG")).count();
    assert!(
        debug_lines > 0,
        "the runner logged at debug:\n{}",
        log.join("\n")
    );
    // Each staff read left an audit line: who, by which route, which reports.
    let audits: Vec<&String> = log.iter().filter(|l| l.contains("staff read")).collect();
    let read_by = |route: &str| {
        audits
            .iter()
            .any(|l| l.contains(SUPERVISOR) && l.contains(route) && l.contains(&id))
    };
    assert!(read_by("\"/reports\""), "{audits:#?}");
    assert!(read_by("\"/reports/{id}\""), "{audits:#?}");
    assert!(read_by("\"/reports/{id}/sightings\""), "{audits:#?}");
    for typed in TYPED {
        assert!(
            typed.to_lowercase().contains("privacy")
                || typed == TIP_LINE
                || typed == WITNESS_CONTACT,
            "{typed:?} has no marker"
        );
    }
    // Every typed text carries the marker "privacy" (the names "Zineb"), so that a part
    // of one, cut or escaped, is found too; nothing else in this run says "privacy".
    let mut leaks = Vec::new();
    for line in &log {
        let lower = line.to_lowercase();
        if lower.contains("privacy") || lower.contains("zineb") {
            leaks.push(format!("typed text in: {line}"));
        }
        // No phone number at all, whatever its spelling.
        let digits: String = line.chars().filter(char::is_ascii_digit).collect();
        if digits.contains("537994471") {
            leaks.push(format!("the tip line in: {line}"));
        }
        if digits.contains("661994471") {
            leaks.push(format!("a witness's number in: {line}"));
        }
    }
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
    println!(
        "privacy: {} log lines ({debug_lines} at debug) over a whole lifecycle, {} SNS bodies \
         and {} public reads checked: no personal data logged, nothing internal public",
        log.len(),
        bodies.len(),
        public.len() + 4
    );
}
