//! `tifli-bench`: runs every benchmark and writes docs/BENCHMARKS.md. Run through
//! `bench/run`, which builds what it measures first.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tifli::domain::actions::ApproveBody;
use tifli::domain::public::PublicAlert;
use tifli::domain::{AlertPolicy, OfficerId, Report, ReportBody, ReportId};
use tifli::expiry::sweep;
use tifli::fanout::AlertMessage;
use tifli_bench::runtime_api::RuntimeApi;
use tifli_bench::stats::{ms, percentile};
use tifli_testkit::events;
use tifli_testkit::samples::report_json;
use tifli_testkit::{SENDER, TABLE, TestStack};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

type Error = Box<dyn std::error::Error + Send + Sync>;

const STARTS: usize = 50;
/// What the sweep's figures mean, printed under them.
const SWEEP_NOTE: &str = "The items read stay at the due items whatever the number of active alerts: that is what \
DynamoDB bills and what bounds a run in AWS. The run's duration here grows with N because the emulator answers a \
Query on an index by going through every item of the table in Python, and a run makes several (expiry, widening, \
the two review partitions twice, the ledger, retention); a run that would outlast its budget (60 s here) stops \
cleanly and leaves the rest to the next run.";
const WARM_INVOCATIONS: usize = 1_000;
/// Where the start-up work goes, measured with symbols (bench/start-up-profile).
const START_UP_NOTE: &str = "Where it goes, from `bench/start-up-profile <function>` (symbols, the same \
counts): the baseline's half a million is the dynamic loader, libc and tokio's runtime. Each SDK client built at \
start-up adds about half a million more, four fifths of it the service's runtime plugin parsing AWS's partition \
table (a JSON document and its regular expressions), which the SDK's generated code does whatever endpoint \
resolver the client is given: so a function builds at start-up only the clients every event uses, and the others \
(KMS in the public function, SQS in the fan-out, S3 in the share card) at their first use (`src/deferred.rs`). \
The loader's relocations are the next share: about 18,000 in a function against 1,900 in the baseline, some \
170,000 instructions more. Gone from start-up: reading the system's trust store (about 150 files here; the five \
AWS roots are compiled in), and the TLS configuration each SDK client built and threw away (now built once, at \
the first request). In the first invocation, a filing's tip line is checked against its country's numbering plan: \
loading every country's plans cost about 100 ms, now only the calling code's are loaded (`build.rs`), and \
compiling the parser's and that country's regular expressions is most of what remains of the intake's count.";
const APPROVALS: usize = 200;
const FUNCTIONS: [&str; 7] = [
    "tifli-intake",
    "tifli-approval",
    "tifli-public",
    "tifli-card",
    "tifli-photo",
    "tifli-fanout",
    "tifli-expiry",
];

fn root() -> PathBuf {
    tifli_local::repo_root()
}

/// The event each function is invoked with: the committed fixtures, with the report's
/// sighting moved to half an hour ago so that the filing stays valid.
fn event(function: &str) -> Result<Value, Error> {
    Ok(match function {
        "tifli-intake" => {
            let event = events::fixture("intake", "file-report.json");
            let mut body: Value = serde_json::from_str(event["body"].as_str().unwrap_or("{}"))?;
            body["last_seen"]["at"] = tifli_testkit::samples::half_an_hour_ago().into();
            events::with_body(event, &body.to_string())
        }
        "tifli-approval" => events::fixture("approval", "list-pending.json"),
        "tifli-public" => events::fixture("public", "list-alerts.json"),
        "tifli-card" => events::fixture("public", "get-card.json"),
        // An upload already gone: the function's own start and one S3 call.
        "tifli-photo" => events::fixture("photo", "uploaded.json"),
        "tifli-fanout" => events::fixture("fanout", "approve.json"),
        "tifli-expiry" => events::fixture("expiry", "scheduled.json"),
        _ => json!({"hello": "world"}),
    })
}

struct Env {
    endpoint: String,
    topics: tifli::fanout::Topics,
    failure_queue: String,
    /// The emulator's CAP signing key (KMS).
    signing_key: String,
}

/// Where a measured function's own output goes, one file per function: read it when a
/// function fails under the benchmark.
fn log_of(binary: &Path) -> PathBuf {
    let name = binary
        .file_name()
        .map_or_else(|| "function".into(), |n| n.to_string_lossy());
    root().join(format!("target/bench-logs/{name}.log"))
}

fn command(binary: &Path, api: &RuntimeApi, env: &Env) -> Result<tokio::process::Command, Error> {
    let mut command = tokio::process::Command::new(binary);
    lambda_environment(command.as_std_mut(), binary, &api.address.to_string(), env)?;
    command.kill_on_drop(true);
    Ok(command)
}

/// Lambda's environment for `binary` with its Runtime API at `api`, its output to its
/// log.
fn lambda_environment(
    command: &mut std::process::Command,
    binary: &Path,
    api: &str,
    env: &Env,
) -> Result<(), Error> {
    let log = log_of(binary);
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let log = std::fs::File::options()
        .create(true)
        .append(true)
        .open(&log)?;
    command
        .env_clear()
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "bench")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_FORMAT", "JSON")
        .env("AWS_REGION", tifli_local::aws::REGION)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", &env.endpoint)
        .env("TABLE_NAME", TABLE)
        .env("PHOTOS_BUCKET", tifli_testkit::BUCKET)
        .env("ALERTS_TOPIC_ARN", &env.topics.alerts)
        .env("EXERCISES_TOPIC_ARN", &env.topics.exercises)
        .env("CASE_EVENTS_TOPIC_ARN", &env.topics.case_events)
        .env("FAILURE_QUEUE_URL", &env.failure_queue)
        .env("CAP_SIGNING_KEY", &env.signing_key)
        .env("CAP_SENDER", SENDER)
        .env("PUBLIC_BASE_URL", tifli_testkit::PAGE_BASE)
        .stdout(log.try_clone()?)
        .stderr(log);
    Ok(())
}

/// The longest a function may take to ask for work or to answer one invocation.
const PATIENCE: Duration = Duration::from_secs(60);

/// Waits for `work` unless the function's process ends first or `PATIENCE` runs out: a
/// function that crashes or stalls must fail the benchmark with its log named, not hang
/// it (the Runtime API alone cannot tell a dead function from a slow one).
async fn watched<T>(
    child: &mut tokio::process::Child,
    binary: &Path,
    work: impl Future<Output = T>,
) -> Result<T, Error> {
    let log = log_of(binary);
    tokio::select! {
        value = work => Ok(value),
        status = child.wait() => Err(format!(
            "{} ended ({}) before it answered; see {}",
            binary.display(),
            status.map_or_else(|e| e.to_string(), |s| s.to_string()),
            log.display()
        ).into()),
        () = tokio::time::sleep(PATIENCE) => Err(format!(
            "{} did not answer within {PATIENCE:?}; see {}",
            binary.display(),
            log.display()
        ).into()),
    }
}

struct Starts {
    init: Vec<Duration>,
    first: Vec<Duration>,
    /// The CPU time the function's threads ran in its first invocation: the rest of
    /// the first invocation's time it waited, mostly for the emulator.
    first_cpu: Vec<Duration>,
}

impl Starts {
    /// Each start's init and first invocation together.
    fn cold(&self) -> Vec<Duration> {
        self.init
            .iter()
            .zip(&self.first)
            .map(|(i, f)| *i + *f)
            .collect()
    }
}

/// Instructions a start executes, counted by callgrind: unlike a time, the same count on
/// every run of the same build, whatever else the machine does.
struct Work {
    /// From exec to the first request for work.
    init: u64,
    /// From there to the request for the second event: the first invocation.
    first: u64,
}

async fn work(binary: &Path, event: &Value, env: &Env) -> Result<Work, Error> {
    let init = instructions(binary, event, env, false).await?;
    let through_first = instructions(binary, event, env, true).await?;
    Ok(Work {
        init,
        first: through_first.saturating_sub(init),
    })
}

/// The instructions `binary` executes until it asks for its first event, or its second
/// when `invoked`; then it is stopped (SIGTERM, on which callgrind writes its counts).
async fn instructions(
    binary: &Path,
    event: &Value,
    env: &Env,
    invoked: bool,
) -> Result<u64, Error> {
    let mut api = RuntimeApi::start().await?;
    let counts = log_of(binary).with_extension("callgrind");
    let mut command = std::process::Command::new("valgrind");
    command
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", counts.display()))
        .arg(binary);
    lambda_environment(&mut command, binary, &api.address.to_string(), env)?;
    let mut child = tokio::process::Command::from(command)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            format!("valgrind (Debian's valgrind package, which bench/run installs): {e}")
        })?;
    watched(&mut child, binary, api.asked()).await?;
    if invoked {
        watched(&mut child, binary, api.invoke(event.clone()))
            .await?
            .map_err(|e| format!("{}: {e}", binary.display()))?;
        watched(&mut child, binary, api.asked()).await?;
    }
    let pid = child.id().ok_or("no pid")?;
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()?;
    child.wait().await?;
    let totals = std::fs::read_to_string(&counts)?;
    totals
        .lines()
        .find_map(|l| l.strip_prefix("summary: "))
        .and_then(|n| n.trim().parse().ok())
        .ok_or_else(|| format!("no total in {}", counts.display()).into())
}

/// The most a function's first invocation may take against the emulator.
const FIRST_INVOCATION_BUDGET: Duration = Duration::from_millis(10);

/// The CPU time all of process `pid`'s threads have run so far (the first field of each
/// thread's schedstat, in nanoseconds).
fn cpu_time(pid: u32) -> Result<Duration, Error> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task"))? {
        let stat = std::fs::read_to_string(task?.path().join("schedstat"))?;
        total += stat
            .split_whitespace()
            .next()
            .and_then(|ns| ns.parse::<u64>().ok())
            .ok_or("an unreadable schedstat")?;
    }
    Ok(Duration::from_nanos(total))
}

/// `STARTS` cold starts of each of `binaries` (with its event), taken in turns: one of
/// each, then again, so that the baseline and every function see the machine alike.
async fn cold_starts(binaries: &[(PathBuf, Value)], env: &Env) -> Result<Vec<Starts>, Error> {
    let mut all: Vec<Starts> = binaries
        .iter()
        .map(|_| Starts {
            init: Vec::new(),
            first: Vec::new(),
            first_cpu: Vec::new(),
        })
        .collect();
    for _ in 0..STARTS {
        for ((binary, event), starts) in binaries.iter().zip(&mut all) {
            let mut api = RuntimeApi::start().await?;
            let started = Instant::now();
            let mut child = command(binary, &api, env)?.spawn()?;
            let asked = watched(&mut child, binary, api.asked())
                .await?
                .ok_or("the function never asked for work")?;
            starts.init.push(asked - started);
            let pid = child.id().ok_or("no pid")?;
            let cpu = cpu_time(pid)?;
            let invoked = Instant::now();
            watched(&mut child, binary, api.invoke(event.clone()))
                .await?
                .map_err(|e| format!("{}: {e}", binary.display()))?;
            starts.first.push(invoked.elapsed());
            starts.first_cpu.push(cpu_time(pid)?.saturating_sub(cpu));
            child.kill().await?;
        }
    }
    Ok(all)
}

/// Peak resident memory (VmHWM) of one process over `WARM_INVOCATIONS` invocations.
async fn peak_memory(binary: &Path, event: &Value, env: &Env) -> Result<u64, Error> {
    let mut api = RuntimeApi::start().await?;
    let mut child = command(binary, &api, env)?.spawn()?;
    watched(&mut child, binary, api.asked()).await?;
    for _ in 0..WARM_INVOCATIONS {
        watched(&mut child, binary, api.invoke(event.clone()))
            .await?
            .map_err(|e| format!("{}: {e}", binary.display()))?;
    }
    let pid = child.id().ok_or("no pid")?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .ok_or("no VmHWM")?;
    child.kill().await?;
    Ok(kib)
}

fn zip_size(binary: &Path) -> Result<u64, Error> {
    let zip = binary.with_extension("zip");
    let _ = std::fs::remove_file(&zip);
    let status = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-c"])
        .arg(&zip)
        .arg(binary)
        .status()?;
    if !status.success() {
        return Err("zip failed".into());
    }
    Ok(std::fs::metadata(zip)?.len())
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1_000_000.0)
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**not met**" }
}

async fn functions_section(out: &mut String) -> Result<(), Error> {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let env = Env {
        endpoint: stack.emulator.endpoint().to_owned(),
        topics: fan_out.topics.clone(),
        failure_queue: fan_out.failure_queue.clone(),
        signing_key: stack.signing_key.clone(),
    };
    drop(fan_out);
    let release = root().join("target/release");
    let mut measured = vec![(release.join("hello"), event("hello")?)];
    for function in FUNCTIONS {
        measured.push((release.join(function), event(function)?));
    }
    let mut starts = cold_starts(&measured, &env).await?.into_iter();
    let hello = starts.next().ok_or("the baseline's starts")?;
    let hello_p50 = percentile(&hello.init, 50.0);
    writeln!(out, "## Cold start\n")?;
    writeln!(
        out,
        "Time from process start to the first `next` request on a local Lambda Runtime API (init), {STARTS} starts \
         each, taken in turns with the baseline's, host release builds (the release profile of the workspace); then the first invocation (SDK clients' \
         first use, against the emulator); and the cold request, init plus first invocation in the same start: what \
         the first person after a quiet spell waits, before the network. A first invocation's CPU is the time its \
         threads ran (their schedstat); the rest of it they waited, mostly for the emulator. Baseline: a bare `lambda_runtime` function \
         built with the same profile. Targets: init ≤ 1.5 × the baseline, first invocation ≤ 10 ms.\n"
    )?;
    writeln!(
        out,
        "| function | init p50 | init p95 | × baseline | target | first invocation p50 | p95 | its CPU p50 | target | cold request p50 | p95 |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|---|---|")?;
    writeln!(
        out,
        "| hello world (baseline) | {} | {} | 1.00 | | {} | {} | {} | | {} | {} |",
        ms(hello_p50),
        ms(percentile(&hello.init, 95.0)),
        ms(percentile(&hello.first, 50.0)),
        ms(percentile(&hello.first, 95.0)),
        ms(percentile(&hello.first_cpu, 50.0)),
        ms(percentile(&hello.cold(), 50.0)),
        ms(percentile(&hello.cold(), 95.0))
    )?;
    let mut memory = Vec::new();
    let mut counts = Vec::new();
    let mut missed = Vec::new();
    for (function, ((binary, event), starts)) in FUNCTIONS
        .into_iter()
        .zip(measured.iter().skip(1).zip(starts))
    {
        let p50 = percentile(&starts.init, 50.0);
        let ratio = p50.as_secs_f64() / hello_p50.as_secs_f64().max(f64::EPSILON);
        let first = percentile(&starts.first, 50.0);
        writeln!(
            out,
            "| {function} | {} | {} | {ratio:.2} | {} | {} | {} | {} | {} | {} | {} |",
            ms(p50),
            ms(percentile(&starts.init, 95.0)),
            met(ratio <= 1.5),
            ms(first),
            ms(percentile(&starts.first, 95.0)),
            ms(percentile(&starts.first_cpu, 50.0)),
            met(first <= FIRST_INVOCATION_BUDGET),
            ms(percentile(&starts.cold(), 50.0)),
            ms(percentile(&starts.cold(), 95.0))
        )?;
        if first > FIRST_INVOCATION_BUDGET {
            let cpu = percentile(&starts.first_cpu, 50.0);
            missed.push(format!(
                "{function}'s first invocation takes {} of which {} its own CPU: {}",
                ms(first),
                ms(cpu),
                if cpu <= FIRST_INVOCATION_BUDGET {
                    "the rest is waiting for the emulator's answers"
                } else {
                    "its own work is over the budget"
                }
            ));
        }
        memory.push((function, peak_memory(binary, event, &env).await?));
        counts.push((function, work(binary, event, &env).await?));
    }
    if !missed.is_empty() {
        writeln!(
            out,
            "\nWhere a first invocation misses 10 ms: {}. The emulator answers each request in Python, one at a \
             time, from a table the benchmark's earlier starts keep filling.",
            missed.join("; ")
        )?;
    }
    writeln!(out, "\n## Start-up work\n")?;
    writeln!(
        out,
        "Instructions executed in the same starts' two phases, counted by callgrind (`valgrind --tool=callgrind`) \
         on the same builds: init (from exec to the first request for work) and the first invocation. The same \
         count on every run, where times move with the machine; in Lambda, at 128 MB, each instruction before the \
         first answer is a person's wait. {START_UP_NOTE}\n"
    )?;
    writeln!(out, "| function | init | × baseline | first invocation |")?;
    writeln!(out, "|---|---|---|---|")?;
    let baseline = work(&release.join("hello"), &event("hello")?, &env).await?;
    writeln!(
        out,
        "| hello world (baseline) | {} | 1.00 | {} |",
        thousands(baseline.init),
        thousands(baseline.first)
    )?;
    for (function, count) in counts {
        writeln!(
            out,
            "| {function} | {} | {:.2} | {} |",
            thousands(count.init),
            count.init as f64 / baseline.init as f64,
            thousands(count.first)
        )?;
    }
    writeln!(out, "\n## Memory\n")?;
    writeln!(
        out,
        "Peak resident memory (VmHWM) of one process over {WARM_INVOCATIONS} warm invocations. Target ≤ 24 MB.\n"
    )?;
    writeln!(out, "| function | peak RSS | target |")?;
    writeln!(out, "|---|---|---|")?;
    for (function, kib) in memory {
        writeln!(
            out,
            "| {function} | {:.1} MB | {} |",
            kib as f64 / 1024.0,
            met(kib <= 24 * 1024)
        )?;
    }
    Ok(())
}

/// The most a function's zip may weigh, in bytes: 2 MB, but the two that handle images.
fn package_budget(function: &str) -> u64 {
    match function {
        "tifli-card" => 4_000_000,
        "tifli-photo" => 3_000_000,
        _ => 2_000_000,
    }
}

/// The photo function's work on a phone's photo must stay under this.
const PHOTO_BUDGET_NS: f64 = 1e9;

fn package_section(out: &mut String) -> Result<(), Error> {
    writeln!(out, "\n## Package size\n")?;
    writeln!(
        out,
        "Each function built as deployed: `cargo lambda build --release --arm64` (cargo-lambda and zig pinned in \
         bench/requirements.txt); the stripped `bootstrap` and its zip. Target: each zip ≤ 2 MB, but the two that \
         handle images. The share card's ≤ 4 MB: its drawing stack (shaping, outlines, rasterising) and its fonts \
         take about 1 MB, and it is the one function behind a cache (five minutes a card), so its cold starts are \
         rare. The photo function's ≤ 3 MB: its JPEG, PNG and WebP decoders and encoders and the S3 client come on \
         top of what every function carries. What \
         every function carries, measured on the public function's symbols: the Rust standard library about \
         0.7 MB, the SDK's runtime, signing and configuration 0.4 MB, tokio, hyper and tower 0.4 MB, rustls and \
         ring 0.35 MB, the service clients 0.1 to 0.2 MB each, HTTP/2 0.27 MB (the SDK's HTTP client always \
         includes it), unwind tables 0.4 MB; Tifli's own code 0.25 MB.\n"
    )?;
    writeln!(out, "| function | binary | zip | target |")?;
    writeln!(out, "|---|---|---|---|")?;
    for function in FUNCTIONS {
        let binary = root()
            .join("target/lambda")
            .join(function)
            .join("bootstrap");
        let size = std::fs::metadata(&binary)
            .map_err(|e| format!("{}: {e}", binary.display()))?
            .len();
        let zip = zip_size(&binary)?;
        writeln!(
            out,
            "| {function} | {} | {} | {} |",
            mib(size),
            mib(zip),
            met(zip <= package_budget(function))
        )?;
    }
    Ok(())
}

/// Criterion's mean of the benchmark `name` (`group/function` in a group), in ns.
fn estimate_ns(name: &str) -> Result<f64, Error> {
    let path = root().join(format!("target/criterion/{name}/new/estimates.json"));
    let estimates: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?,
    )?;
    Ok(estimates["mean"]["point_estimate"]
        .as_f64()
        .unwrap_or(f64::NAN))
}

fn handlers_section(out: &mut String) -> Result<(), Error> {
    writeln!(out, "\n## Handler cost\n")?;
    writeln!(
        out,
        "Criterion, the pure work per request with no I/O (`bench/benches/handlers.rs`): mean time per call. \
         Target: each under 100 µs.\n"
    )?;
    writeln!(out, "| work | mean | target |")?;
    writeln!(out, "|---|---|---|")?;
    for name in [
        "validate_and_file_report",
        "approve_transition",
        "render_cap_and_texts_4_languages",
        "sign_cap_message",
        "render_alert_page",
        "geohash_cover_15km",
        "geohash_cover_150km",
    ] {
        let ns = estimate_ns(name)?;
        writeln!(
            out,
            "| {name} | {:.1} µs | {} |",
            ns / 1000.0,
            met(ns < 100_000.0)
        )?;
    }
    // The RSA operation itself is KMS's, remote, one call per publication (see "Fan-out
    // calls"); made here with a local key, for its order of magnitude only.
    let rsa = estimate_ns("rsa2048_sign_local")?;
    writeln!(
        out,
        "| rsa2048_sign_local (KMS's part, for scale: no target) | {:.1} µs | — |",
        rsa / 1000.0
    )?;
    // The share card is drawing, not a request's bookkeeping: its own target, as one
    // card serves every reader of a version for the five minutes caches keep it.
    for language in ["en", "ar"] {
        let ns = estimate_ns(&format!("render_share_card/{language}"))?;
        writeln!(
            out,
            "| render_share_card/{language} (target 50 ms) | {:.1} ms | {} |",
            ns / 1e6,
            met(ns < 50e6)
        )?;
    }
    let photo = estimate_ns("photo/renditions_4000x3000_jpeg")?;
    writeln!(
        out,
        "| photo: renditions of a 4000×3000 JPEG (target 1 s) | {:.0} ms | {} |",
        photo / 1e6,
        met(photo < PHOTO_BUDGET_NS)
    )?;
    // What a reader downloads: the page of a report with every field, per language.
    use tifli::domain::samples::{NOW, SEEN_AT, approved, full_report_json};
    let draft = serde_json::from_value::<ReportBody>(full_report_json(SEEN_AT))?
        .validate(NOW)
        .map_err(|e| format!("{e:?}"))?;
    let officer = OfficerId::new("officer-1").ok_or("id")?;
    let (filed, _) = Report::file(ReportId::generate(NOW), draft, officer, NOW);
    let alert = PublicAlert::of(&approved(&filed)).ok_or("public")?;
    let sizes: Vec<String> = tifli::domain::Language::ALL
        .into_iter()
        .map(|l| {
            let page = tifli::page::alert_page(&alert, l, "https://tifli.example");
            format!("{} {} bytes", l.code(), page.len())
        })
        .collect();
    writeln!(
        out,
        "\nWhat signing adds to building a message, here: `sign_cap_message`, the SHA-256 digest of the \
         message in its canonical form, `SignedInfo` and the signed message, beside the \
         `render_cap_and_texts_4_languages` that builds it. The RSA signature itself is made by KMS, \
         remote, one `Sign` call per publication (see \"Fan-out calls\"); `rsa2048_sign_local` gives its \
         order of magnitude on this machine."
    )?;
    writeln!(
        out,
        "\nThe public page of a report with every field (`GET /a/{{id}}`, no script, its style inline), \
         uncompressed: {}.",
        sizes.join(", ")
    )?;
    let cards: Vec<String> = tifli::domain::Language::ALL
        .into_iter()
        .map(|l| {
            tifli::card::share_card(&alert, l)
                .map(|png| format!("{} {} bytes", l.code(), png.len()))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<_, _>>()?;
    writeln!(
        out,
        "\nIts share card (`GET /a/{{id}}/card.png`, 1200×630 PNG): {}.",
        cards.join(", ")
    )?;
    Ok(())
}

fn sample_report(now: OffsetDateTime, n: i64, hours: i64) -> Result<Report, Error> {
    let body: ReportBody = serde_json::from_value(report_json(&now.format(&Rfc3339)?))?;
    let at = now + time::Duration::milliseconds(n);
    let draft = body.validate(at).map_err(|e| format!("{e:?}"))?;
    let (filed, _) = Report::file(
        ReportId::generate(at),
        draft,
        OfficerId::new("officer-1").ok_or("id")?,
        at,
    );
    let approval = ApproveBody {
        duration_hours: Some(hours),
        widen_km_per_hour: Some(0.0),
        ..Default::default()
    };
    Ok(filed
        .approve(
            &OfficerId::new("supervisor-1").ok_or("id")?,
            approval,
            &AlertPolicy::default(),
            at,
        )
        .map_err(|e| format!("{e:?}"))?
        .report)
}

/// Versions the stream lost, per run of the sweep benchmark.
const LOST: usize = 5;

/// Files and approves an alert `ago` before now through the store, as the approval
/// function does: the approval's transaction enters it in the publication ledger,
/// unpublished (the table has no stream, so nothing publishes it).
async fn lost_version(
    store: &tifli::store::dynamodb::DynamoStore,
    ago: time::Duration,
    n: i64,
) -> Result<(), Error> {
    use tifli::ports::{ReportCreator, ReportWriter};
    let at = OffsetDateTime::now_utc() - ago;
    let body: ReportBody = serde_json::from_value(report_json(&at.format(&Rfc3339)?))?;
    let at = at + time::Duration::milliseconds(n);
    let draft = body.validate(at).map_err(|e| format!("{e:?}"))?;
    let (filed, entry) = Report::file(
        ReportId::generate(at),
        draft,
        OfficerId::new("officer-1").ok_or("id")?,
        at,
    );
    store.create(&filed, &entry, None, at).await?;
    let approved = filed
        .approve(
            &OfficerId::new("supervisor-1").ok_or("id")?,
            ApproveBody {
                widen_km_per_hour: Some(0.0),
                ..Default::default()
            },
            &AlertPolicy::default(),
            at,
        )
        .map_err(|e| format!("{e:?}"))?;
    store.save(&approved).await?;
    Ok(())
}

async fn sweep_section(out: &mut String) -> Result<(), Error> {
    writeln!(out, "\n## Sweep scaling\n")?;
    writeln!(
        out,
        "One scheduled run over N active alerts of which 10 are due to expire (no widening due) and {LOST} have a \
         version the stream lost (committed 10 minutes before, unpublished in the publication ledger), against the \
         emulator (the table's stream off for this one, as the emulator would hold every record in memory): items \
         its Queries read and its duration. The reads must stay at the due items and the lost versions as N grows.\n"
    )?;
    writeln!(
        out,
        "| active alerts | due | expired | items read (expiry Query) | lost versions | republished | items read (ledger Query) | items read (all Queries) | run |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
    for total in [1_000, 10_000, 50_000] {
        let stack = TestStack::start().await;
        // The emulator keeps every stream record in memory: 50,000 imports would fill
        // the machine. The run under test reads indexes, not the stream.
        let table = format!("sweep-{total}");
        tifli::store::dynamodb::provision::ensure_table_without_stream(&stack.client, &table)
            .await?;
        let store = tifli::store::dynamodb::DynamoStore::new(stack.client.clone(), &table);
        let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
        let reports = (0..total)
            .map(|n| sample_report(now, n, if n < 10 { 1 } else { 24 }))
            .collect::<Result<Vec<_>, _>>()?;
        store.import(&reports).await?;
        for n in 0..LOST {
            lost_version(&store, time::Duration::minutes(10), n as i64).await?;
        }
        let started = Instant::now();
        let run = sweep(
            &store,
            now + time::Duration::hours(1) + time::Duration::seconds(5),
            Duration::from_secs(60),
            &Default::default(),
        )
        .await;
        let took = started.elapsed();
        let reads = run.read.expiry
            + run.read.widening
            + run.read.review
            + run.read.ledger
            + run.read.retention;
        writeln!(
            out,
            "| {} | 10 | {} | {} | {LOST} | {} | {} | {reads} | {} |",
            total + LOST as i64,
            run.expired,
            run.read.expiry,
            run.republished,
            run.read.ledger,
            ms(took)
        )?;
    }
    writeln!(out, "\n{SWEEP_NOTE}")?;
    Ok(())
}

/// Counts every HTTP request an SDK client sends (retries included).
#[derive(Debug, Clone)]
struct CountCalls(Arc<AtomicUsize>);

impl aws_smithy_runtime_api::client::interceptors::Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_transmit(
        &self,
        _context: &aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef<'_>,
        _components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _config: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

async fn fan_out_section(out: &mut String) -> Result<(), Error> {
    writeln!(out, "\n## Fan-out calls\n")?;
    writeln!(
        out,
        "SNS and KMS API calls the fan-out makes for one approval, counted by an interceptor on each SDK client, \
         with 1, 10 and 100 subscribed queues; and the messages delivered. Target: 1 Publish and 1 Sign (the \
         message's signature), whatever the subscribers.\n"
    )?;
    writeln!(
        out,
        "| subscribers | SNS calls | KMS calls | delivered | target |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for subscribers in [1usize, 10, 100] {
        let stack = TestStack::start().await;
        let fan_out = stack.fan_out().await;
        let mut queues = Vec::new();
        for n in 0..subscribers {
            queues.push(fan_out.subscribe_region(&format!("q{n}"), "MA-04").await);
        }
        let topics = fan_out.topics.clone();
        let (fan_out_sqs, fan_out_failures) = (fan_out.sqs.clone(), fan_out.failure_queue.clone());
        drop(fan_out);
        let calls = Arc::new(AtomicUsize::new(0));
        let conf = aws_sdk_sns::config::Builder::from(&stack.config)
            .interceptor(CountCalls(calls.clone()))
            .build();
        let publisher = tifli::sns::SnsPublisher::new(aws_sdk_sns::Client::from_conf(conf), topics);
        let signs = Arc::new(AtomicUsize::new(0));
        let kms = aws_sdk_kms::config::Builder::from(&stack.config)
            .interceptor(CountCalls(signs.clone()))
            .build();
        let signing = tifli::signing::Signing::new(tifli::kms::KmsKey::new(
            aws_sdk_kms::Client::from_conf(kms),
            stack.signing_key.clone(),
            None,
        ));
        let failures =
            tifli::sqs::SqsFailureQueue::new(fan_out_sqs.clone(), fan_out_failures.clone());
        let poller = tokio::spawn(tifli_local::streams::run(
            stack.client.clone(),
            aws_sdk_dynamodbstreams::Client::new(&stack.config),
            TABLE.into(),
            tifli::stream::Outlets {
                publisher,
                ledger: stack.store.clone(),
                failures,
                issuer: tifli_testkit::issuer(),
                signing,
            },
        ));
        let report = sample_report(OffsetDateTime::now_utc(), 0, 24)?;
        let (filed, entry) = {
            let body = report.details().clone();
            Report::file(
                report.id(),
                body,
                report.reported_by().clone(),
                report.created_at(),
            )
        };
        use tifli::ports::{ReportCreator, ReportWriter};
        stack
            .store
            .create(&filed, &entry, None, filed.created_at())
            .await?;
        let approved = filed
            .approve(
                &OfficerId::new("supervisor-1").ok_or("id")?,
                ApproveBody::default(),
                &AlertPolicy::default(),
                OffsetDateTime::now_utc(),
            )
            .map_err(|e| format!("{e:?}"))?;
        stack.store.save(&approved).await?;
        let sqs = aws_sdk_sqs::Client::new(&stack.config);
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut delivered = 0;
        while delivered < subscribers && Instant::now() < deadline {
            delivered = 0;
            for queue in &queues {
                let attributes = sqs
                    .get_queue_attributes()
                    .queue_url(queue)
                    .attribute_names(
                        aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages,
                    )
                    .send()
                    .await?;
                let n = attributes
                    .attributes
                    .and_then(|a| {
                        a.get(&aws_sdk_sqs::types::QueueAttributeName::ApproximateNumberOfMessages)
                            .cloned()
                    })
                    .and_then(|n| n.parse::<usize>().ok())
                    .unwrap_or(0);
                delivered += n.min(1);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        poller.abort();
        let (calls, signs) = (calls.load(Ordering::SeqCst), signs.load(Ordering::SeqCst));
        writeln!(
            out,
            "| {subscribers} | {calls} | {signs} | {delivered} | {} |",
            met(calls == 1 && signs == 1 && delivered == subscribers)
        )?;
    }
    Ok(())
}

async fn time_to_alert_section(out: &mut String) -> Result<(), Error> {
    let stack = TestStack::start().await;
    let fan_out = stack.fan_out().await;
    let queue = fan_out.subscribe_region("rabat", "MA-04").await;
    let officer = stack.token("officer-1", &["officers"]);
    let supervisor = stack.token("supervisor-1", &["supervisors"]);
    let sender = tifli_testkit::issuer();
    let mut latencies = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..APPROVALS {
        let body = tifli_testkit::samples::report("Amina");
        let filed = request(&stack, "POST", "/reports", &officer, None, Some(&body)).await?;
        let id = filed["id"].as_str().ok_or("no id")?.to_owned();
        let approved = request(
            &stack,
            "POST",
            &format!("/reports/{id}/approve"),
            &supervisor,
            Some("1"),
            None,
        )
        .await?;
        let t0 = Instant::now();
        // Waits for the alert (and fails the run if it never comes).
        fan_out.receive(&queue, 1).await;
        latencies.push(t0.elapsed());
        // Our code's share: building the message (CAP, texts, cells) for this alert.
        let report: Report = serde_json::from_value(approved)?;
        let alert = PublicAlert::of(&report).ok_or("not public")?;
        let built = Instant::now();
        std::hint::black_box(AlertMessage::new(&alert, &sender).per_protocol());
        ours.push(built.elapsed());
    }
    let p50 = percentile(&latencies, 50.0);
    let ours_p50 = percentile(&ours, 50.0);
    writeln!(out, "\n## Time to alert\n")?;
    writeln!(
        out,
        "Through the local stack, {APPROVALS} approvals one after the other: from the approve response to the \
         alert in an SQS queue subscribed with a region filter (stream polled every 100 ms when idle, as the local \
         event source does; Lambda's own stream polling adds its own delay in AWS).\n"
    )?;
    writeln!(out, "| p50 | p95 | p99 |")?;
    writeln!(out, "|---|---|---|")?;
    writeln!(
        out,
        "| {} | {} | {} |",
        ms(p50),
        ms(percentile(&latencies, 95.0)),
        ms(percentile(&latencies, 99.0))
    )?;
    writeln!(
        out,
        "\nOur code's share: building the message (CAP in four languages, texts, cells) takes {:.2} ms at the median, \
         {:.1} % of the median time to alert; the rest is the stream's polling and the emulator's I/O.",
        ours_p50.as_secs_f64() * 1000.0,
        100.0 * ours_p50.as_secs_f64() / p50.as_secs_f64().max(f64::EPSILON)
    )?;
    Ok(())
}

async fn request(
    stack: &TestStack,
    method: &str,
    path: &str,
    token: &str,
    if_match: Option<&str>,
    body: Option<&Value>,
) -> Result<Value, Error> {
    use tower::ServiceExt;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {token}"));
    if let Some(version) = if_match {
        request = request.header("if-match", format!("\"{version}\""));
    }
    let request = match body {
        Some(b) => request
            .header("content-type", "application/json")
            .body(axum::body::Body::from(b.to_string()))?,
        None => request.body(axum::body::Body::empty())?,
    };
    let response = stack.router.clone().oneshot(request).await?;
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    if !status.is_success() {
        return Err(format!(
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&bytes)
        )
        .into());
    }
    Ok(serde_json::from_slice(&bytes)?)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let rustc = std::process::Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cpu}, {cores} cores; {rustc}")
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut out = String::new();
    writeln!(out, "# Benchmarks\n")?;
    writeln!(
        out,
        "Written by `bench/run` on {} ({}). Every figure below comes from that run; each target is stated beside \
         its figure.\n",
        OffsetDateTime::now_utc().date(),
        machine()
    )?;
    let path = root().join("docs/BENCHMARKS.md");
    std::fs::create_dir_all(root().join("docs"))?;
    // `tifli-bench sweep` (say) measures that section again and puts it in place of its
    // old figures, leaving the others as they were.
    if let Some(only) = std::env::args().nth(1) {
        let mut part = String::new();
        match only.as_str() {
            "functions" => functions_section(&mut part).await?,
            "package" => package_section(&mut part)?,
            "handlers" => handlers_section(&mut part)?,
            "sweep" => sweep_section(&mut part).await?,
            "fan-out" => fan_out_section(&mut part).await?,
            "console" => tifli_bench::console::section(&mut part)?,
            other => return Err(format!("no section {other} to run alone").into()),
        }
        print!("{part}");
        let title = part
            .trim_start()
            .lines()
            .next()
            .ok_or("a title")?
            .to_owned();
        let old = std::fs::read_to_string(&path)?;
        let Some(start) = old.find(&title) else {
            // A section new to the file goes at its end.
            std::fs::write(&path, format!("{}\n{}\n", old.trim_end(), part.trim_end()))?;
            return Ok(());
        };
        // A part may hold several sections (cold start and memory): it replaces the old
        // ones up to the end of the old copy of its last.
        let last = part
            .lines()
            .rfind(|l| l.starts_with("## "))
            .unwrap_or(&title);
        let from = old[start..].find(last).map_or(start, |i| start + i) + last.len();
        let end = old[from..]
            .find("\n## ")
            .map_or(old.len(), |i| from + i + 1);
        let new = format!("{}{}\n\n{}", &old[..start], part.trim(), &old[end..]);
        std::fs::write(&path, new)?;
        return Ok(());
    }
    // Each section is written as soon as it is measured; one that fails says why.
    let mut failed = false;
    for section in [
        "functions",
        "package",
        "handlers",
        "time to alert",
        "sweep",
        "fan-out",
        "console",
    ] {
        let mut part = String::new();
        let outcome = match section {
            "functions" => functions_section(&mut part).await,
            "package" => package_section(&mut part),
            "handlers" => handlers_section(&mut part),
            "time to alert" => time_to_alert_section(&mut part).await,
            "sweep" => sweep_section(&mut part).await,
            "fan-out" => fan_out_section(&mut part).await,
            _ => tifli_bench::console::section(&mut part),
        };
        if let Err(e) = outcome {
            failed = true;
            writeln!(part, "\n**The {section} benchmark failed:** {e}\n")?;
        }
        print!("{part}");
        out.push_str(&part);
        std::fs::write(&path, &out)?;
    }
    if failed {
        return Err("a benchmark failed: see docs/BENCHMARKS.md".into());
    }
    Ok(())
}
