//! `wxdesk-bench`: wxdesk's performance figures, each printed with its target.
//!
//! The issue promises numbers, not adjectives: single flight in one process
//! and across processes, bulk authorizer refresh, a 10,000-authorizer sync,
//! CLI startup on a large database, call-log page queries, and team mode's
//! stampede across 10 databases sharing one Redis ([`team`]). This binary
//! measures each against the sandbox on loopback with 20 ms of latency added
//! to every WeChat call, prints one line per figure with PASS or FAIL, and
//! exits non-zero when a target is missed. It is a benchmark, not a test: run
//! it on a quiet machine with `cargo run --release -p wxdesk-bench`.
//!
//! The cross-process figures run the real `wxdesk` release binary: the one in
//! `WXDESK_BIN` if set, else the one `cargo build --release -p wxdesk-cli`
//! leaves next to this binary (built first when cargo is available).
//!
//! `WXDESK_BENCH_KEEP=1` keeps the generated databases (the path is printed)
//! for a look at them afterwards.
//!
//! `wxdesk-bench --only NAME` runs one group of figures: `in-process`,
//! `processes`, `bulk`, `sync`, `startup` (with the log queries), `team` or
//! `ui` (WebKitGTK memory against the blank-page floor, first screen and
//! screen switches on the large database; see [`ui`]) or `batch` ([`batch`]:
//! a release batch across 200 merchants).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::task::JoinSet;
use wxdesk_core::services::apps::{AppInput, Secret};
use wxdesk_core::services::components::ComponentInput;
use wxdesk_core::services::components_push::TicketSource;
use wxdesk_core::store::authorizers::REFRESH_TOKEN;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::token_types::AppTokenMode;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment};
use wxdesk_sandbox::{ComponentSeed, Fault, FaultKind, Sandbox, SandboxConfig, SandboxHandle};
use wxdesk_testkit::ids::{random_alnum, random_appid, random_secret};
use wxdesk_wechat::ClientConfig;

mod batch;
mod big_db;
mod team;
mod ui;

/// Latency added to every emulated WeChat call.
const LATENCY_MS: u64 = 20;
/// Runs per timed CLI figure (the median is reported).
const STARTUP_RUNS: usize = 25;
/// Runs per timed query (the median is reported).
const QUERY_RUNS: usize = 40;

type Res<T> = Result<T, String>;

fn err<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> String + '_ {
    move |e| format!("{what}: {e}")
}

/// One printed figure.
struct Figure {
    line: String,
    pass: bool,
}

/// The large database (10,000 authorizers, 1,000,000 call-log rows) and
/// the names the figures query it by.
struct BigDb {
    path: PathBuf,
    /// An account with ~2% failed calls.
    account: String,
    /// An account that never failed.
    quiet: String,
    component: String,
    authorizer: String,
    app: String,
}

struct Bench {
    sandbox: SandboxHandle,
    bin: PathBuf,
    root: tempfile::TempDir,
    figures: Vec<Figure>,
}

/// A well-mixed 64-bit hash (SplitMix64), for reproducible pseudo-random data.
fn splitmix(i: u64) -> u64 {
    let mut z = i.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Finds (building if possible) the release `wxdesk` binary.
fn locate_cli() -> Res<PathBuf> {
    if let Some(p) = std::env::var_os("WXDESK_BIN") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("WXDESK_BIN={} is not a file", p.display()))
        };
    }
    let me = std::env::current_exe().map_err(err("cannot locate this binary"))?;
    let dir = me
        .parent()
        .ok_or_else(|| "this binary has no directory".to_string())?;
    let candidate = dir.join(format!("wxdesk{}", std::env::consts::EXE_SUFFIX));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let release = dir.file_name().is_some_and(|n| n == "release");
    if release {
        eprintln!("building the release wxdesk binary (cargo build --release -p wxdesk-cli)…");
        let built = std::process::Command::new(&cargo)
            .args([
                "build",
                "--release",
                "--quiet",
                "-p",
                "wxdesk-cli",
                "--bin",
                "wxdesk",
            ])
            .status();
        match built {
            Ok(s) if s.success() => {}
            Ok(s) => eprintln!("cargo build exited with {s}; using any existing binary"),
            Err(e) => eprintln!("cargo is not available ({e}); using any existing binary"),
        }
    } else {
        eprintln!("note: this is not a release build; figures are only meaningful with --release");
    }
    if candidate.is_file() {
        Ok(candidate)
    } else {
        Err(format!(
            "no wxdesk binary at {}; build it with `cargo build --release -p wxdesk-cli` or set WXDESK_BIN",
            candidate.display()
        ))
    }
}

impl Bench {
    fn figure(&mut self, line: String, pass: bool) {
        println!("{line} {}", if pass { "PASS" } else { "FAIL" });
        self.figures.push(Figure { line, pass });
    }

    fn db(&self, name: &str) -> PathBuf {
        self.root.path().join(name).join("w.db")
    }

    fn desk(&self, db: &Path) -> Res<Desk> {
        Desk::open(DeskOptions {
            db_path: db.to_path_buf(),
            key_storage: KeyStorage::File,
            environment: Some(Environment::Sandbox {
                base: self.sandbox.base_url(),
            }),
            client: ClientConfig::default(),
        })
        .map_err(err("open desk"))
    }

    /// Runs the CLI with the sandbox environment and `--json`; returns its wall time and output.
    async fn wxdesk(&self, db: &Path, args: &[&str]) -> Res<(Duration, Value)> {
        let started = Instant::now();
        let out = self
            .cli(db, args)
            .output()
            .await
            .map_err(err("spawn wxdesk"))?;
        let elapsed = started.elapsed();
        if !out.status.success() {
            return Err(format!(
                "wxdesk {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let v = serde_json::from_slice(&out.stdout).map_err(err("wxdesk --json output"))?;
        Ok((elapsed, v))
    }

    fn cli(&self, db: &Path, args: &[&str]) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(&self.bin);
        cmd.args(args)
            .args(["--json", "--env", "sandbox", "--sandbox-base"])
            .arg(self.sandbox.base_url())
            .arg("--db")
            .arg(db)
            .env("WXDESK_KEYRING", "off")
            .env_remove("WXDESK_API_BASE")
            .env_remove("WXDESK_MP_BASE")
            .env_remove("WXDESK_OPEN_BASE")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd
    }

    fn add_app(&self, desk: &Desk) -> Res<String> {
        let appid = random_appid();
        let secret = random_secret();
        self.sandbox.add_app(&appid, &secret);
        desk.app_add(AppInput {
            appid: appid.clone(),
            secret: Secret::new(secret),
            name: "Bench".into(),
        })
        .map_err(err("app add"))?;
        Ok(appid)
    }

    fn add_component(&self, desk: &Desk) -> Res<String> {
        let appid = random_appid();
        let secret = random_secret();
        let token = random_alnum(32);
        let aes_key = random_alnum(43);
        self.sandbox
            .try_add_component(ComponentSeed {
                appid: appid.clone(),
                secret: secret.clone(),
                token: token.clone(),
                encoding_aes_key: aes_key.clone(),
                push_url: None,
                name: Some("Bench platform".into()),
            })
            .map_err(err("sandbox component"))?;
        desk.component_add(ComponentInput {
            appid: appid.clone(),
            secret: Secret::new(secret),
            token: Some(Secret::new(token)),
            aes_key: Some(Secret::new(aes_key)),
            name: "Bench platform".into(),
            redirect_uri: Some("https://bench.example/cb".into()),
        })
        .map_err(err("component add"))?;
        let ticket = self
            .sandbox
            .issue_ticket(&appid)
            .map_err(err("sandbox ticket"))?;
        desk.ticket_set(&appid, &ticket, TicketSource::Manual)
            .map_err(err("ticket set"))?;
        Ok(appid)
    }

    /// (a) 200 concurrent token requests in one process, cold cache.
    async fn single_flight_in_process(&mut self) -> Res<()> {
        let desk = Arc::new(self.desk(&self.db("a"))?);
        let appid = self.add_app(&desk)?;
        self.sandbox.reset_counters();
        let mut set = JoinSet::new();
        for _ in 0..200 {
            let (d, a) = (desk.clone(), appid.clone());
            set.spawn(async move { d.app_token(&a, AppTokenMode::Stable, false).await });
        }
        let mut failed = 0;
        while let Some(r) = set.join_next().await {
            if !matches!(r, Ok(Ok(_))) {
                failed += 1;
            }
        }
        let calls = self.sandbox.counter("cgi-bin/stable_token");
        self.figure(
            format!(
                "single-flight in-process: 200 concurrent requests -> {calls} upstream call(s), {failed} failed (target 1)"
            ),
            calls == 1 && failed == 0,
        );
        Ok(())
    }

    /// (b) 20 concurrent `wxdesk token` processes sharing one database.
    async fn single_flight_across_processes(&mut self) -> Res<()> {
        let db = self.db("b");
        let appid = {
            let desk = self.desk(&db)?;
            self.add_app(&desk)?
        };
        self.sandbox.reset_counters();
        let mut children = Vec::new();
        for _ in 0..20 {
            let child = self
                .cli(&db, &["token", "--appid", &appid])
                .spawn()
                .map_err(err("spawn wxdesk"))?;
            children.push(child);
        }
        let mut failed = 0;
        for c in children {
            let out = c.wait_with_output().await.map_err(err("wait wxdesk"))?;
            if !out.status.success() {
                failed += 1;
                eprintln!(
                    "  token process failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
        }
        let calls = self.sandbox.counter("cgi-bin/stable_token");
        self.figure(
            format!(
                "single-flight across processes: 20 concurrent `wxdesk token` processes -> {calls} upstream call(s), {failed} failed (target 1)"
            ),
            calls == 1 && failed == 0,
        );
        Ok(())
    }

    /// (c) `authorizer refresh --all` over 1,000 authorizers.
    async fn bulk_refresh(&mut self) -> Res<()> {
        let db = self.db("c");
        let comp = {
            let desk = self.desk(&db)?;
            let comp = self.add_component(&desk)?;
            self.sandbox
                .try_seed_authorizers(&comp, 1000)
                .map_err(err("seed"))?;
            desk.authorizer_sync(&comp, &|_, _| {}, &AtomicBool::new(false))
                .await
                .map_err(err("sync"))?;
            desk.component_token(&comp, false)
                .await
                .map_err(err("component token"))?;
            comp
        };
        self.sandbox.reset_counters();
        let (took, v) = self
            .wxdesk(
                &db,
                &["authorizer", "refresh", "--component", &comp, "--all"],
            )
            .await?;
        let refreshed = v["refreshed"].as_u64().unwrap_or(0);
        let calls = self
            .sandbox
            .counter("cgi-bin/component/api_authorizer_token");
        self.figure(
            format!(
                "bulk refresh: `wxdesk authorizer refresh --all` over 1,000 authorizers -> {:.2} s ({refreshed} refreshed, {calls} upstream calls, concurrency 16) (target <= 3 s)",
                took.as_secs_f64()
            ),
            took <= Duration::from_secs(3) && refreshed == 1000,
        );
        Ok(())
    }

    /// (d) `authorizer sync` of 10,000 authorizers into an empty table.
    async fn sync(&mut self) -> Res<()> {
        let db = self.db("d");
        let comp = {
            let desk = self.desk(&db)?;
            let comp = self.add_component(&desk)?;
            self.sandbox
                .try_seed_authorizers(&comp, 10_000)
                .map_err(err("seed"))?;
            comp
        };
        let (took, v) = self
            .wxdesk(&db, &["authorizer", "sync", "--component", &comp])
            .await?;
        let added = v["added"].as_u64().unwrap_or(0);
        self.figure(
            format!(
                "sync: `wxdesk authorizer sync` of 10,000 authorizers (20 pages, cold component token) -> {:.2} s ({added} added) (target <= 3 s)",
                took.as_secs_f64()
            ),
            took <= Duration::from_secs(3) && added == 10_000,
        );
        Ok(())
    }
}

async fn run() -> Res<bool> {
    let only = only()?;
    let bin = locate_cli()?;
    let sandbox = Sandbox::start(SandboxConfig::default())
        .await
        .map_err(err("start sandbox"))?;
    sandbox.set_fault(Fault::new("*", FaultKind::Latency { ms: LATENCY_MS }));
    println!(
        "wxdesk-bench: sandbox {} with {LATENCY_MS} ms latency on every call; CLI {}",
        sandbox.base_url(),
        bin.display()
    );
    let mut b = Bench {
        sandbox,
        bin,
        root: tempfile::tempdir().map_err(err("temp dir"))?,
        figures: Vec::new(),
    };
    let runs = |name: &str| only.as_deref().is_none_or(|o| o == name);
    if runs("in-process") {
        b.single_flight_in_process().await?;
    }
    if runs("processes") {
        b.single_flight_across_processes().await?;
    }
    if runs("bulk") {
        b.bulk_refresh().await?;
    }
    if runs("sync") {
        b.sync().await?;
    }
    let big = if runs("startup") || runs("ui") {
        Some(b.big_db()?)
    } else {
        None
    };
    if let (true, Some(big)) = (runs("startup"), &big) {
        b.startup(&big.path).await?;
        b.log_queries(&big.path, &big.account, &big.quiet)?;
    }
    if let (true, Some(big)) = (runs("ui"), &big) {
        b.ui_figures(big).await?;
    }
    if runs("team") {
        b.team_stampede().await?;
    }
    if runs("batch") {
        b.batch().await?;
    }
    if std::env::var_os("WXDESK_BENCH_KEEP").is_some() {
        let root = std::mem::replace(&mut b.root, tempfile::tempdir().map_err(err("temp dir"))?);
        println!("  (kept the databases in {})", root.keep().display());
    }
    let failed: Vec<&Figure> = b.figures.iter().filter(|f| !f.pass).collect();
    if failed.is_empty() {
        println!("all {} figures meet their targets", b.figures.len());
    } else {
        println!(
            "{} of {} figures miss their targets:",
            failed.len(),
            b.figures.len()
        );
        for f in failed {
            println!("  {}", f.line);
        }
    }
    Ok(b.figures.iter().all(|f| f.pass))
}

/// `--only NAME`: the one group of figures to run.
fn only() -> Res<Option<String>> {
    const NAMES: [&str; 8] = [
        "in-process",
        "processes",
        "bulk",
        "sync",
        "startup",
        "team",
        "ui",
        "batch",
    ];
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => Ok(None),
        [flag, name] if flag == "--only" && NAMES.contains(&name.as_str()) => {
            Ok(Some(name.clone()))
        }
        _ => Err(format!("usage: wxdesk-bench [--only {}]", NAMES.join("|"))),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("wxdesk-bench: {e}");
            ExitCode::from(2)
        }
    }
}
