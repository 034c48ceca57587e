//! `template.yaml` as it deploys, where the local stack cannot show it: the JWT
//! authorizer on every staff route, the stream event source's retries and failure
//! destinations, the fan-out's own role, the Cognito plan and sessions, the rules on
//! retention settings, and an alarm with a runbook for every way alerts can stop.

use std::collections::BTreeSet;

use serde_norway::Value;
use tifli::http::routes::{ALL, Function};

pub(crate) fn template() -> Value {
    let path = tifli_local::repo_root().join("template.yaml");
    let text = std::fs::read_to_string(&path).expect("template.yaml");
    serde_norway::from_str(&text).expect("template.yaml is YAML")
}

pub(crate) fn resource<'a>(template: &'a Value, name: &str) -> &'a Value {
    let found = &template["Resources"][name];
    assert!(!found.is_null(), "no resource {name}");
    found
}

/// `(tag, value)` of a short-form intrinsic such as `!Ref X`.
fn intrinsic(v: &Value) -> Option<(String, &Value)> {
    match v {
        Value::Tagged(tagged) => Some((tagged.tag.to_string(), &tagged.value)),
        _ => None,
    }
}

/// The name a `!Ref` or `!GetAtt` points at ("Resource" or "Resource.Attribute").
fn target(v: &Value) -> String {
    match intrinsic(v) {
        Some((tag, value)) if tag == "!Ref" || tag == "!GetAtt" => {
            value.as_str().expect("a name").to_owned()
        }
        _ => panic!("not a !Ref or !GetAtt: {v:?}"),
    }
}

fn yaml(text: &str) -> Value {
    serde_norway::from_str(text).expect("YAML")
}

/// The HttpApi events of every function: (function, method, path, its `Auth`).
fn api_routes(template: &Value) -> Vec<(String, String, String, Value)> {
    let mut routes = Vec::new();
    for (name, resource) in template["Resources"].as_mapping().expect("resources") {
        let Some(events) = resource["Properties"]["Events"].as_mapping() else {
            continue;
        };
        for event in events.values() {
            if event["Type"].as_str() != Some("HttpApi") {
                continue;
            }
            let p = &event["Properties"];
            assert_eq!(target(&p["ApiId"]), "HttpApi");
            routes.push((
                name.as_str().expect("a name").to_owned(),
                p["Method"].as_str().expect("a method").to_owned(),
                p["Path"].as_str().expect("a path").to_owned(),
                p["Auth"].clone(),
            ));
        }
    }
    routes
}

/// The authorizer API Gateway runs is Cognito's: issued by this stack's user pool, for
/// its app client, on every route but the public ones the code marks public.
#[test]
fn every_staff_route_is_behind_the_user_pool_s_authorizer() {
    let template = template();
    let auth = &resource(&template, "HttpApi")["Properties"]["Auth"];
    assert_eq!(auth["DefaultAuthorizer"], "CognitoJwt");
    let jwt = &auth["Authorizers"]["CognitoJwt"];
    assert_eq!(jwt["IdentitySource"], "$request.header.Authorization");
    assert_eq!(
        jwt["JwtConfiguration"]["issuer"],
        yaml("!Sub \"https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}\"")
    );
    assert_eq!(
        jwt["JwtConfiguration"]["audience"],
        yaml("[!Ref UserPoolClient]")
    );
    assert_eq!(
        resource(&template, "UserPoolClient")["Properties"]["UserPoolId"],
        yaml("!Ref UserPool")
    );

    let public: BTreeSet<(String, String)> = ALL
        .iter()
        .filter(|r| matches!(r.function, Function::Public | Function::Card))
        .map(|r| (r.method.to_string(), r.path.to_owned()))
        .collect();
    let mut open = BTreeSet::new();
    let routes = api_routes(&template);
    for (function, method, path, auth) in &routes {
        let open_function = ["PublicFunction", "CardFunction"].contains(&function.as_str());
        if auth.is_null() {
            assert!(
                !open_function,
                "{method} {path}: public, behind the authorizer"
            );
            continue;
        }
        assert_eq!(auth, &yaml("{Authorizer: NONE}"), "{method} {path}");
        assert!(
            open_function,
            "{method} {path}: staff, without the authorizer"
        );
        open.insert((method.clone(), path.clone()));
    }
    assert_eq!(open, public);
    // The staff routes: filing, the queue, a report, its preview, its sightings, its
    // photo's upload, and each action on request.
    let staff = routes.len() - open.len();
    assert_eq!(staff, 6 + tifli::domain::Action::ON_REQUEST.len());
}

/// docs/RELIABILITY.md cites these settings as proof that nothing is dropped.
#[test]
fn the_stream_source_retries_until_records_expire() {
    let template = template();
    let fanout = &resource(&template, "FanoutFunction")["Properties"];
    let source = &fanout["Events"]["ReportChanges"]["Properties"];
    assert_eq!(target(&source["Stream"]), "ReportsTable.StreamArn");
    assert_eq!(source["MaximumRetryAttempts"], -1);
    assert_eq!(source["MaximumRecordAgeInSeconds"], -1);
    assert_eq!(source["BisectBatchOnFunctionError"], true);
    assert_eq!(
        source["FunctionResponseTypes"],
        yaml("[ReportBatchItemFailures]")
    );
    let on_failure = &source["DestinationConfig"]["OnFailure"];
    assert_eq!(on_failure["Type"], "SQS");
    assert_eq!(
        target(&on_failure["Destination"]),
        "FanoutDeadLetterQueue.Arn"
    );
    // What can never be published goes to the failure queue, by the function itself.
    let env = &fanout["Environment"]["Variables"];
    assert_eq!(target(&env["FAILURE_QUEUE_URL"]), "FanoutFailureQueue");
    for queue in ["FanoutFailureQueue", "FanoutDeadLetterQueue"] {
        let days = resource(&template, queue)["Properties"]["MessageRetentionPeriod"].as_u64();
        assert_eq!(days, Some(14 * 24 * 3600), "{queue}: kept 14 days");
    }
}

/// The fan-out's statements, from its own role: none on every resource.
#[test]
fn the_fan_out_role_reads_only_this_table_s_stream() {
    let template = template();
    let fanout = &resource(&template, "FanoutFunction")["Properties"];
    assert_eq!(target(&fanout["Role"]), "FanoutRole.Arn");
    assert!(
        fanout["Policies"].is_null(),
        "with a role of its own, SAM adds nothing to it"
    );
    let role = &resource(&template, "FanoutRole")["Properties"];
    assert!(role["ManagedPolicyArns"].is_null(), "no managed policy");
    let statements: Vec<&Value> = role["Policies"]
        .as_sequence()
        .expect("inline policies")
        .iter()
        .flat_map(|p| {
            p["PolicyDocument"]["Statement"]
                .as_sequence()
                .expect("statements")
        })
        .collect();
    for statement in &statements {
        let resources = match &statement["Resource"] {
            Value::Sequence(list) => list.clone(),
            one => vec![one.clone()],
        };
        for r in resources {
            assert_ne!(r, Value::from("*"), "{statement:?}");
        }
    }
    let stream = statements
        .iter()
        .find(|s| {
            s["Action"]
                .as_sequence()
                .is_some_and(|a| a.contains(&"dynamodb:GetRecords".into()))
        })
        .expect("the stream statement");
    assert_eq!(
        stream["Resource"],
        yaml("!Sub \"${ReportsTable.Arn}/stream/*\"")
    );
}

/// Everything the pool uses is in the plan it chooses; sessions last one shift; the pool
/// survives a stack deletion.
#[test]
fn the_user_pool_chooses_its_plan_and_a_session_lasts_one_shift() {
    let template = template();
    let pool = resource(&template, "UserPool");
    assert_eq!(pool["Properties"]["UserPoolTier"], "ESSENTIALS");
    assert!(
        pool["Properties"]["UserPoolAddOns"].is_null(),
        "threat protection needs the Plus plan"
    );
    assert_eq!(pool["Properties"]["DeletionProtection"], "ACTIVE");
    assert_eq!(pool["DeletionPolicy"], "Retain");
    let client = &resource(&template, "UserPoolClient")["Properties"];
    assert_eq!(client["RefreshTokenValidity"], 12);
    assert_eq!(client["TokenValidityUnits"]["RefreshToken"], "hours");
}

/// API access logs carry the route and the subject, never the caller's address.
#[test]
fn the_api_writes_access_logs_without_addresses() {
    let template = template();
    let settings = &resource(&template, "HttpApi")["Properties"]["AccessLogSettings"];
    assert_eq!(target(&settings["DestinationArn"]), "ApiAccessLogGroup.Arn");
    let format: serde_json::Value =
        serde_json::from_str(settings["Format"].as_str().expect("a format")).expect("JSON");
    assert_eq!(format["route"], "$context.routeKey");
    assert_eq!(format["subject"], "$context.authorizer.claims.sub");
    let text = format.to_string();
    assert!(
        !text.contains("sourceIp") && !text.contains("path"),
        "{text}"
    );
}

/// A rule's assertion evaluated on parameter values, with the functions CloudFormation
/// allows in rules that this template uses.
fn holds(v: &Value, params: &[(&str, String)]) -> Value {
    let (tag, arg) = intrinsic(v).unwrap_or_else(|| panic!("not an intrinsic: {v:?}"));
    let args = || arg.as_sequence().expect("arguments");
    let value = |v: &Value| match intrinsic(v) {
        Some(_) => holds(v, params),
        None => v.clone(),
    };
    let truth = |v: &Value| value(v).as_bool().expect("a condition");
    match tag.as_str() {
        "!Ref" => {
            let name = arg.as_str().expect("a parameter");
            let (_, v) = params.iter().find(|(p, _)| *p == name).expect("known");
            Value::from(v.clone())
        }
        "!Or" => Value::from(args().iter().any(truth)),
        "!And" => Value::from(args().iter().all(truth)),
        "!Not" => Value::from(!truth(&args()[0])),
        "!Equals" => Value::from(value(&args()[0]) == value(&args()[1])),
        "!Contains" => {
            let list = value(&args()[0]);
            let list = list.as_sequence().expect("a list");
            Value::from(list.contains(&value(&args()[1])))
        }
        other => panic!("{other} is not used in rules here"),
    }
}

/// Whatever retention settings CloudFormation lets through, the functions start with;
/// whatever they would refuse, CloudFormation refuses first.
#[test]
fn the_rules_refuse_exactly_the_retention_the_functions_refuse() {
    let template = template();
    let allowed = |name: &str| -> Vec<String> {
        template["Parameters"][name]["AllowedValues"]
            .as_sequence()
            .expect("allowed values")
            .iter()
            .map(|v| v.as_u64().expect("days").to_string())
            .collect()
    };
    let assertions = template["Rules"]["HistoryOutlastsReports"]["Assertions"]
        .as_sequence()
        .expect("assertions");
    let (mut refused, mut combinations) = (0, 0);
    for report in allowed("RetentionDays") {
        for rejected in allowed("RejectedRetentionDays") {
            for history in allowed("HistoryRetentionDays") {
                let params = [
                    ("RetentionDays", report.clone()),
                    ("RejectedRetentionDays", rejected.clone()),
                    ("HistoryRetentionDays", history.clone()),
                ];
                let deploys = assertions
                    .iter()
                    .all(|a| holds(&a["Assert"], &params).as_bool() == Some(true));
                let env = |name: &str| {
                    let name = match name {
                        "RETENTION_DAYS" => "RetentionDays",
                        "REJECTED_RETENTION_DAYS" => "RejectedRetentionDays",
                        "HISTORY_RETENTION_DAYS" => "HistoryRetentionDays",
                        _ => return None,
                    };
                    params
                        .iter()
                        .find(|(p, _)| *p == name)
                        .map(|(_, v)| v.clone())
                };
                let starts = tifli::config::retention(env).is_ok();
                assert_eq!(deploys, starts, "{params:?}");
                combinations += 1;
                refused += usize::from(!deploys);
            }
        }
    }
    assert_eq!(combinations, 7 * 7 * 7);
    assert!(refused > 0, "the rules refuse something");
}

/// Every alarm tells the operations topic, and has a runbook entry: a section of
/// docs/RELIABILITY.md titled with its name.
#[test]
fn every_alarm_notifies_operations_and_has_a_runbook() {
    let template = template();
    let reliability = std::fs::read_to_string(tifli_local::repo_root().join("docs/RELIABILITY.md"))
        .expect("docs/RELIABILITY.md");
    let mut alarms = Vec::new();
    for (name, resource) in template["Resources"].as_mapping().expect("resources") {
        if resource["Type"].as_str() != Some("AWS::CloudWatch::Alarm") {
            continue;
        }
        let name = name.as_str().expect("a name");
        let p = &resource["Properties"];
        assert_eq!(p["AlarmActions"], yaml("[!Ref OperationsTopic]"), "{name}");
        assert_eq!(p["OKActions"], yaml("[!Ref OperationsTopic]"), "{name}");
        assert!(
            reliability.contains(&format!("\n### {name}\n")),
            "no runbook section for {name}"
        );
        alarms.push(name.to_owned());
    }
    // Publication, the scheduled run, the review queue, the API, the three queues, the
    // stream, the functions.
    for expected in [
        "PublishFailuresAlarm",
        "SetAsideAlarm",
        "SlowPublicationAlarm",
        "RepublishedAlarm",
        "ScheduledRunFailuresAlarm",
        "ScheduledRunMissingAlarm",
        "ReviewWaitingAlarm",
        "LapsedAlarm",
        "ApiServerErrorsAlarm",
        "FailureQueueAlarm",
        "DeadLetterQueueAlarm",
        "SchedulerDeadLetterQueueAlarm",
        "IteratorAgeAlarm",
        "FunctionErrorsAlarm",
        "FunctionThrottlesAlarm",
    ] {
        assert!(alarms.iter().any(|a| a == expected), "no {expected}");
    }
}

/// Public traffic cannot take the fan-out's executions, on accounts that have them.
#[test]
fn public_traffic_cannot_starve_the_fan_out() {
    let template = template();
    let reserve = |function: &str| {
        resource(&template, function)["Properties"]["ReservedConcurrentExecutions"].clone()
    };
    assert_eq!(
        reserve("FanoutFunction"),
        yaml("!If [ReservesFanout, !Ref FanoutReservedConcurrency, !Ref AWS::NoValue]")
    );
    assert_eq!(
        reserve("PublicFunction"),
        yaml("!If [CapsPublic, !Ref PublicReservedConcurrency, !Ref AWS::NoValue]")
    );
    assert_eq!(reserve("ExpiryFunction"), 1);
}

/// Every IAM statement of the template's roles and functions, and of its key policies.
fn statements(template: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (name, resource) in template["Resources"].as_mapping().expect("resources") {
        let name = name.as_str().expect("a name").to_owned();
        let p = &resource["Properties"];
        let documents = p["Policies"]
            .as_sequence()
            .into_iter()
            .flatten()
            .map(|policy| match &policy["PolicyDocument"] {
                Value::Null => policy.clone(),
                document => document.clone(),
            })
            .chain((!p["KeyPolicy"].is_null()).then(|| p["KeyPolicy"].clone()));
        for document in documents {
            for statement in document["Statement"].as_sequence().into_iter().flatten() {
                found.push((name.clone(), statement.clone()));
            }
        }
    }
    found
}

/// Whether the IAM action `pattern` (`*` any run of characters, `?` one) grants `action`,
/// without regard to case, as IAM matches them.
fn grants(pattern: &str, action: &str) -> bool {
    fn matches(p: &[u8], a: &[u8]) -> bool {
        match (p.first(), a.first()) {
            (None, None) => true,
            (Some(b'*'), _) => matches(&p[1..], a) || (!a.is_empty() && matches(p, &a[1..])),
            (Some(b'?'), Some(_)) => matches(&p[1..], &a[1..]),
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => matches(&p[1..], &a[1..]),
            _ => false,
        }
    }
    matches(pattern.as_bytes(), action.as_bytes())
}

#[test]
fn an_action_pattern_grants_as_iam_matches_it() {
    for pattern in [
        "kms:Sign", "kms:*", "*", "kms:S*", "KMS:sign", "kms:Si?n", "*:Sign",
    ] {
        assert!(grants(pattern, "kms:Sign"), "{pattern}");
    }
    for pattern in [
        "kms:Verify",
        "kms:Sign?",
        "kms:GetPublicKey",
        "sns:*",
        "kms:Signs",
    ] {
        assert!(!grants(pattern, "kms:Sign"), "{pattern}");
    }
}

fn actions(statement: &Value) -> Vec<String> {
    match &statement["Action"] {
        Value::Sequence(list) => list
            .iter()
            .map(|a| a.as_str().unwrap().to_owned())
            .collect(),
        one => vec![one.as_str().expect("an action").to_owned()],
    }
}

/// The CAP signing key: RSA, for signing only, kept when replaced; only the fan-out and
/// the public function (the two that publish CAP) may sign with it, only as they sign,
/// and nothing else in the template grants signing; the two slots of a rotation are the
/// same key but for their name.
#[test]
fn only_the_functions_that_publish_cap_may_sign() {
    let template = template();
    let blue = resource(&template, "CapSigningKeyBlue");
    let green = resource(&template, "CapSigningKeyGreen");
    for (key, slot) in [(blue, "CapSigningBlue"), (green, "CapSigningGreen")] {
        assert_eq!(key["Condition"], slot);
        assert_eq!(key["DeletionPolicy"], "Retain");
        assert_eq!(key["UpdateReplacePolicy"], "Retain");
        assert_eq!(key["Properties"]["KeySpec"], "RSA_2048");
        assert_eq!(key["Properties"]["KeyUsage"], "SIGN_VERIFY");
    }
    assert_eq!(
        blue["Properties"]["KeyPolicy"],
        green["Properties"]["KeyPolicy"]
    );

    let all = statements(&template);
    assert!(
        all.iter().all(|(_, s)| s["NotAction"].is_null()),
        "a NotAction grants what it does not name"
    );
    let signing: Vec<(String, Value)> = all
        .into_iter()
        .filter(|(_, s)| actions(s).iter().any(|a| grants(a, "kms:Sign")))
        .collect();
    let holders: Vec<&str> = signing.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        holders,
        ["CapSigningKeyBlue", "CapSigningKeyGreen"],
        "{signing:?}"
    );
    for (_, statement) in &signing {
        assert_eq!(actions(statement), ["kms:Sign"]);
        assert_eq!(
            statement["Principal"]["AWS"],
            yaml("[!GetAtt FanoutRole.Arn, !GetAtt PublicFunctionRole.Arn]")
        );
        let condition = &statement["Condition"]["StringEquals"];
        assert_eq!(
            condition["kms:SigningAlgorithm"],
            "RSASSA_PKCS1_V1_5_SHA_256"
        );
        assert_eq!(condition["kms:MessageType"], "RAW");
    }

    // The functions given the key are those two, and their binaries are the signers.
    let current =
        yaml("!If [CapSigningBlue, !GetAtt CapSigningKeyBlue.Arn, !GetAtt CapSigningKeyGreen.Arn]");
    let mut given = Vec::new();
    for (name, resource) in template["Resources"].as_mapping().expect("resources") {
        let variables = &resource["Properties"]["Environment"]["Variables"];
        if !variables["CAP_SIGNING_KEY"].is_null() {
            assert_eq!(variables["CAP_SIGNING_KEY"], current, "{name:?}");
            given.push(
                resource["Metadata"]["BuildProperties"]["Binary"]
                    .as_str()
                    .unwrap(),
            );
        }
    }
    given.sort();
    assert_eq!(given, ["tifli-fanout", "tifli-public"]);
    let public = &resource(&template, "PublicFunction")["Properties"]["Environment"]["Variables"];
    assert_eq!(
        public["CAP_PREVIOUS_SIGNING_KEY"],
        yaml("!Ref PreviousCapSigningKeyArn")
    );
    assert_eq!(
        resource(&template, "CapSigningKeyAlias")["Properties"]["TargetKeyId"],
        yaml("!If [CapSigningBlue, !Ref CapSigningKeyBlue, !Ref CapSigningKeyGreen]")
    );
}

/// A `!Sub` string, or the template string of a `!Sub [string, variables]`.
fn sub_text(v: &Value) -> String {
    let (tag, arg) = intrinsic(v).expect("a !Sub");
    assert_eq!(tag, "!Sub");
    match arg {
        Value::Sequence(parts) => parts[0].as_str().expect("a string").to_owned(),
        other => other.as_str().expect("a string").to_owned(),
    }
}

/// The console deploys only with a domain of the force's (and its certificate): its
/// sign-in must return to an address known before the distribution exists.
#[test]
fn the_console_is_private_same_origin_and_strict() {
    let template = template();
    let console = [
        "ConsoleBucket",
        "ConsoleBucketPolicy",
        "ConsoleOriginAccess",
        "ConsoleIndex",
        "ConsoleHeaders",
        "ConsoleDistribution",
        "SignInDomain",
        "SignInBranding",
    ];
    for name in console {
        assert_eq!(
            resource(&template, name)["Condition"],
            "HasConsole",
            "{name}"
        );
    }
    let rule = &template["Rules"]["ConsoleNeedsCertificate"]["Assertions"][0]["Assert"];
    let deploys = |domain: &str, cert: &str| {
        let params = [
            ("ConsoleDomainName", domain.to_owned()),
            ("ConsoleCertificateArn", cert.to_owned()),
        ];
        holds(rule, &params).as_bool().expect("a truth")
    };
    let arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    assert!(deploys("", ""));
    assert!(deploys("console.tifli.example.ma", arn));
    assert!(!deploys("console.tifli.example.ma", ""));
    assert!(!deploys("", arn));

    // Private: nobody reads the bucket but the distribution, and only over TLS.
    assert_private(&resource(&template, "ConsoleBucket")["Properties"]);
    let statements =
        &resource(&template, "ConsoleBucketPolicy")["Properties"]["PolicyDocument"]["Statement"];
    let allows: Vec<&Value> = statements
        .as_sequence()
        .expect("statements")
        .iter()
        .filter(|s| s["Effect"] == "Allow")
        .collect();
    assert_eq!(allows.len(), 1);
    assert_eq!(
        allows[0]["Principal"]["Service"],
        "cloudfront.amazonaws.com"
    );
    assert_eq!(allows[0]["Action"], "s3:GetObject");
    assert!(
        sub_text(&allows[0]["Condition"]["StringEquals"]["AWS:SourceArn"])
            .ends_with(":distribution/${ConsoleDistribution}")
    );

    // Same origin: the console from the bucket through origin access control, the
    // API's paths to the HTTP API, uncached, every method, the token passed on.
    let config = &resource(&template, "ConsoleDistribution")["Properties"]["DistributionConfig"];
    let origins = config["Origins"].as_sequence().expect("origins");
    let origin = |id: &str| {
        origins
            .iter()
            .find(|o| o["Id"] == id)
            .unwrap_or_else(|| panic!("no origin {id}"))
    };
    assert_eq!(
        target(&origin("console")["OriginAccessControlId"]),
        "ConsoleOriginAccess.Id"
    );
    assert!(sub_text(&origin("api")["DomainName"]).starts_with("${HttpApi}.execute-api."));
    assert_eq!(
        origin("api")["CustomOriginConfig"]["OriginProtocolPolicy"],
        "https-only"
    );
    const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
    const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";
    let behaviors = config["CacheBehaviors"].as_sequence().expect("behaviors");
    // The photos' renditions, from the bucket's p/ only, five minutes at most: an
    // alert's end deletes them and their URLs must stop answering soon after.
    let photos = &behaviors[0];
    assert_eq!(photos["PathPattern"], "/p/*");
    assert_eq!(photos["TargetOriginId"], "photos");
    assert_eq!(
        photos["AllowedMethods"],
        yaml("[GET, HEAD]"),
        "nothing is written through the distribution"
    );
    assert_eq!(target(&photos["CachePolicyId"]), "PhotoCachePolicy");
    let photo_cache = &resource(&template, "PhotoCachePolicy")["Properties"]["CachePolicyConfig"];
    assert_eq!(photo_cache["MaxTTL"], 240);
    assert_eq!(
        target(&origin("photos")["OriginAccessControlId"]),
        "PhotosOriginAccess.Id"
    );
    let photo_policy =
        &resource(&template, "PhotosBucketPolicy")["Properties"]["PolicyDocument"]["Statement"];
    let reads = serde_norway::to_string(photo_policy).expect("yaml");
    assert!(reads.contains("${PhotosBucket.Arn}/p/*"), "{reads}");
    assert!(!reads.contains("uploads"), "{reads}");
    assert_private(&resource(&template, "PhotosBucket")["Properties"]);
    // The share cards next, cached as their function says, by language and version only.
    let card = &behaviors[1];
    assert_eq!(card["PathPattern"], "/a/*/card.png");
    assert_eq!(target(&card["CachePolicyId"]), "CardCachePolicy");
    let cards = &resource(&template, "CardCachePolicy")["Properties"]["CachePolicyConfig"];
    assert_eq!(cards["MaxTTL"], 300);
    assert_eq!(
        cards["ParametersInCacheKeyAndForwardedToOrigin"]["QueryStringsConfig"]["QueryStrings"],
        yaml("[lang, v]")
    );
    let routed: BTreeSet<&str> = behaviors[2..]
        .iter()
        .map(|b| {
            assert_eq!(b["TargetOriginId"], "api");
            assert_eq!(b["CachePolicyId"], CACHING_DISABLED);
            assert_eq!(b["OriginRequestPolicyId"], ALL_VIEWER_EXCEPT_HOST);
            assert!(
                b["AllowedMethods"]
                    .as_sequence()
                    .expect("methods")
                    .contains(&Value::from("POST"))
            );
            b["PathPattern"].as_str().expect("a pattern")
        })
        .collect();
    for route in ALL {
        let path = route.path;
        let covered = routed
            .iter()
            .any(|pattern| path.starts_with(pattern.trim_end_matches('*')));
        assert!(
            covered,
            "{path} does not reach the API through the console's origin"
        );
    }
    assert_eq!(config["DefaultCacheBehavior"]["TargetOriginId"], "console");
    assert_eq!(
        target(&config["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]),
        "ConsoleHeaders"
    );
    let index = &config["DefaultCacheBehavior"]["FunctionAssociations"][0];
    assert_eq!(index["EventType"], "viewer-request");
    assert_eq!(
        target(&index["FunctionARN"]),
        "ConsoleIndex.FunctionMetadata.FunctionARN"
    );
    assert_eq!(
        config["DefaultCacheBehavior"]["ViewerProtocolPolicy"],
        "redirect-to-https"
    );

    // Strict: the same policy the local runner serves, but for the token exchange with
    // the sign-in domain.
    let headers = &resource(&template, "ConsoleHeaders")["Properties"]["ResponseHeadersPolicyConfig"]
        ["SecurityHeadersConfig"];
    let csp = sub_text(&headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]);
    let local = tifli_local::console::CONTENT_SECURITY_POLICY;
    assert_eq!(
        csp.replace(
            " https://${Domain}.auth.${AWS::Region}.amazoncognito.com",
            ""
        )
        .replace(
            " https://${PhotosBucket.RegionalDomainName}",
            " http://127.0.0.1:*"
        )
        .replace("${Tiles}", ""),
        local
    );
    assert!(!csp.contains("unsafe") && !csp.contains('*'), "{csp}");
    assert_eq!(headers["FrameOptions"]["FrameOption"], "DENY");

    // The sign-in: the code flow only, back to the console's own address.
    let client = &resource(&template, "UserPoolClient")["Properties"];
    let flows = intrinsic(&client["AllowedOAuthFlows"]).expect("!If").1[1].clone();
    assert_eq!(flows, yaml("[code]"));
    let callback = &intrinsic(&client["CallbackURLs"]).expect("!If").1[1][0];
    assert_eq!(sub_text(callback), "https://${ConsoleDomainName}/console/");
    let logout = &intrinsic(&client["LogoutURLs"]).expect("!If").1[1][0];
    assert_eq!(sub_text(logout), "https://${ConsoleDomainName}/console/");
    assert_eq!(client["GenerateSecret"], false);
}

/// A bucket's properties: every public access blocked, encrypted at rest.
fn assert_private(bucket: &Value) {
    for block in [
        "BlockPublicAcls",
        "BlockPublicPolicy",
        "IgnorePublicAcls",
        "RestrictPublicBuckets",
    ] {
        assert_eq!(
            bucket["PublicAccessBlockConfiguration"][block], true,
            "{block}"
        );
    }
    assert!(!bucket["BucketEncryption"].is_null());
}
