//! `wxdesk profile …` and `wxdesk batch …`: release profiles and resumable
//! batches, through the core's operation table.
//!
//! `batch run` and `batch resume` run the batch in this process as a job of
//! the runtime: the first line is the batch id, a progress line follows on a
//! terminal, Ctrl-C asks the batch to stop at its next safe point (the same
//! as `batch cancel ID` from another shell), and the result table ends it.
//! With `--json`, once the batch has ended, stdout is the operation's own
//! result (`BatchStarted`, as over HTTP); `batch status ID` shows the end.
//! Killed outright, the batch's state is in the database: `batch resume ID`
//! continues it and never commits or submits a merchant twice.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::{json, Value};
use wxdesk_core::ops::Runtime;

use super::wxa_run::{call, call_confirmed, runtime};
use super::Ctx;
use crate::output::CliError;
use crate::text::Table;

/// `wxdesk profile …`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Create or replace a release profile.
    // `--version` is the version to commit, not wxdesk's own.
    #[command(disable_version_flag = true)]
    Set(ProfileSetArgs),
    /// The platform's profiles.
    List(ComponentArg),
    /// One profile.
    Show(ProfileNameArg),
    /// Delete a profile.
    Delete(ProfileNameArg),
    /// Set a profile's domains and privacy guide on merchants.
    Apply(ProfileApplyArgs),
}

/// `--component C`.
#[derive(Debug, Args)]
pub struct ComponentArg {
    /// The platform (component AppID).
    #[arg(long)]
    pub component: String,
}

/// `--component C NAME`.
#[derive(Debug, Args)]
pub struct ProfileNameArg {
    /// The platform (component AppID).
    #[arg(long)]
    pub component: String,
    /// The profile's name.
    pub name: String,
}

/// `profile set`.
#[derive(Debug, Args)]
pub struct ProfileSetArgs {
    /// The platform (component AppID).
    #[arg(long)]
    pub component: String,
    /// The profile's name.
    pub name: String,
    /// The template to commit (wxdesk template list).
    #[arg(long)]
    pub template_id: i64,
    /// ext.json template: JSON with {{appid}}, {{nickname}} and CSV column variables.
    #[arg(long, value_name = "FILE")]
    pub ext_json: Option<PathBuf>,
    /// Per-merchant variables: CSV whose first column is appid.
    #[arg(long, value_name = "FILE.csv")]
    pub vars: Option<PathBuf>,
    /// Domains: {"requestdomain":[…],"wsrequestdomain":[…],"uploaddomain":[…],"downloaddomain":[…],"webviewdomain":[…]}.
    #[arg(long, value_name = "FILE.json")]
    pub domains: Option<PathBuf>,
    /// The privacy guide (setprivacysetting JSON).
    #[arg(long, value_name = "FILE.json")]
    pub privacy: Option<PathBuf>,
    /// Audit defaults: {"item_list":[…],"feedback_info"?,"privacy_api_not_use"?,"order_path"?}.
    #[arg(long, value_name = "FILE.json")]
    pub audit: Option<PathBuf>,
    /// Version to commit (default: the template's).
    #[arg(long = "version", id = "user_version", value_name = "V")]
    pub version: Option<String>,
    /// Description to commit (default: the template's).
    #[arg(long)]
    pub desc: Option<String>,
}

/// Merchants: a file of appids, or all.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct Merchants {
    /// A file of appids (one a line, or a CSV whose first column is appid).
    #[arg(long, value_name = "FILE")]
    pub merchants: Option<PathBuf>,
    /// Every active mini-program authorizer of the platform.
    #[arg(long)]
    pub all: bool,
}

/// `profile apply`.
#[derive(Debug, Args)]
pub struct ProfileApplyArgs {
    /// The platform (component AppID).
    #[arg(long)]
    pub component: String,
    /// The profile's name.
    pub name: String,
    #[command(flatten)]
    pub select: Merchants,
}

/// `wxdesk batch …`
#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Run a profile's steps across merchants; prints the batch id, then the result table.
    Run(BatchRunArgs),
    /// A batch and its per-merchant result table.
    Status(BatchIdArg),
    /// Continue a cancelled or interrupted batch where it stopped.
    Resume(BatchIdArg),
    /// Stop a batch at its next safe point.
    Cancel(BatchIdArg),
    /// Batches, newest first.
    List(BatchListArgs),
}

/// `batch run`.
#[derive(Debug, Args)]
pub struct BatchRunArgs {
    /// The platform (component AppID).
    #[arg(long)]
    pub component: String,
    /// The release profile.
    #[arg(long)]
    pub profile: String,
    #[command(flatten)]
    pub select: Merchants,
    /// commit, submit, release in that order (e.g. commit,submit), or revert.
    #[arg(long, value_delimiter = ',', required = true)]
    pub steps: Vec<String>,
    /// Merchants at once (default: the batch_concurrency setting, 20).
    #[arg(long)]
    pub concurrency: Option<u32>,
    /// Skip the readiness check before each submit.
    #[arg(long)]
    pub no_check: bool,
}

/// `batch status|resume|cancel ID`.
#[derive(Debug, Args)]
pub struct BatchIdArg {
    /// The batch id.
    pub id: String,
}

/// `batch list`.
#[derive(Debug, Args)]
pub struct BatchListArgs {
    /// Only this platform's batches.
    #[arg(long)]
    pub component: Option<String>,
}

fn read(flag: &str, p: &Path) -> Result<String, CliError> {
    super::read_body(flag, Some(p))
}

fn json_file(flag: &str, p: &Path) -> Result<Value, CliError> {
    serde_json::from_str(&read(flag, p)?)
        .map_err(|e| CliError::invalid(flag, format!("{} is not valid JSON: {e}", p.display())))
}

/// Appids from a file: one a line, or the first column of a CSV (a header `appid` is skipped).
fn appids(p: &Path) -> Result<Vec<String>, CliError> {
    let text = read("--merchants", p)?;
    Ok(text
        .lines()
        .map(|l| {
            l.split(',')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string()
        })
        .filter(|a| !a.is_empty() && a != "appid" && !a.starts_with('#'))
        .collect())
}

fn selection(m: &Merchants) -> Result<Value, CliError> {
    Ok(match &m.merchants {
        Some(p) => json!({"appids": appids(p)?, "all": false}),
        None => json!({"appids": [], "all": m.all}),
    })
}

fn s(v: &Value, k: &str) -> String {
    match &v[k] {
        Value::Null => String::new(),
        Value::String(x) => x.clone(),
        x => x.to_string(),
    }
}

/// `wxdesk profile …`.
pub async fn profile(ctx: &Ctx<'_>, cmd: ProfileCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let describe = |p: &Value| {
        let pr = &p["profile"];
        format!(
            "{}  template {}  version {}  variables [{}]  domains {}  privacy {}  merchants with values {}",
            s(p, "name"),
            pr["template_id"],
            if pr["user_version"].is_null() { "(template's)".into() } else { s(pr, "user_version") },
            p["variables"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default(),
            if pr["domains"].is_null() { "no" } else { "yes" },
            if pr["privacy"].is_null() { "no" } else { "yes" },
            pr["vars"]["rows"].as_object().map_or(0, |o| o.len()),
        )
    };
    match cmd {
        ProfileCommand::Set(a) => {
            let mut args = json!({
                "component_appid": a.component, "name": a.name, "template_id": a.template_id,
                "user_version": a.version, "user_desc": a.desc,
            });
            if let Some(p) = &a.ext_json {
                args["ext_json"] = json!(read("--ext-json", p)?);
            }
            if let Some(p) = &a.vars {
                args["vars_csv"] = json!(read("--vars", p)?);
            }
            if let Some(p) = &a.domains {
                args["domains"] = json_file("--domains", p)?;
            }
            if let Some(p) = &a.privacy {
                args["privacy"] = json_file("--privacy", p)?;
            }
            if let Some(p) = &a.audit {
                args["audit"] = json_file("--audit", p)?;
            }
            let v = call(&rt, "profile_set", args).await?;
            ctx.out.view(&v, &format!("saved {}", describe(&v)))
        }
        ProfileCommand::List(a) => {
            let v = call(&rt, "profile_list", json!({"component_appid": a.component})).await?;
            let text = v
                .as_array()
                .map(|l| l.iter().map(describe).collect::<Vec<_>>().join("\n"))
                .unwrap_or_default();
            ctx.out.view(
                &v,
                if text.is_empty() {
                    "no profiles"
                } else {
                    &text
                },
            )
        }
        ProfileCommand::Show(a) => {
            let v = call(
                &rt,
                "profile_show",
                json!({"component_appid": a.component, "name": a.name}),
            )
            .await?;
            let body = serde_json::to_string_pretty(&v["profile"]).unwrap_or_default();
            ctx.out.view(&v, &format!("{}\n{body}", describe(&v)))
        }
        ProfileCommand::Delete(a) => {
            let v = call(
                &rt,
                "profile_delete",
                json!({"component_appid": a.component, "name": a.name}),
            )
            .await?;
            ctx.out
                .view(&v, &format!("deleted profile {}", s(&v, "name")))
        }
        ProfileCommand::Apply(a) => {
            let mut args = selection(&a.select)?;
            args["component_appid"] = json!(a.component);
            args["name"] = json!(a.name);
            let v = call(&rt, "profile_apply", args).await?;
            let mut t = Table::new(&["appid", "applied", "error"]);
            for r in v.as_array().into_iter().flatten() {
                let applied = joined(&r["applied"]);
                t.row(vec![s(r, "appid"), applied, s(&r["error"], "message")]);
            }
            ctx.out.view(&v, &t.render("no merchants"))
        }
    }
}

/// `wxdesk batch …`.
pub async fn batch(ctx: &Ctx<'_>, cmd: BatchCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    match cmd {
        BatchCommand::Run(a) => {
            let mut args = selection(&a.select)?;
            args["component_appid"] = json!(a.component);
            args["profile"] = json!(a.profile);
            args["steps"] = json!(a.steps.iter().map(|s| s.trim()).collect::<Vec<_>>());
            args["concurrency"] = json!(a.concurrency);
            args["check"] = json!(!a.no_check);
            let started = call_confirmed(ctx, &rt, "batch_run", args).await?;
            follow(ctx, &rt, &started).await
        }
        BatchCommand::Resume(a) => {
            let started = call(&rt, "batch_resume", json!({"batch_id": a.id})).await?;
            follow(ctx, &rt, &started).await
        }
        BatchCommand::Status(a) => {
            let v = call(&rt, "batch_status", json!({"batch_id": a.id})).await?;
            ctx.out.view(&v, &table(&v))
        }
        BatchCommand::Cancel(a) => {
            let v = call(&rt, "batch_cancel", json!({"batch_id": a.id})).await?;
            ctx.out.view(
                &v,
                &format!("batch {}: {}", s(&v, "batch_id"), s(&v, "state")),
            )
        }
        BatchCommand::List(a) => {
            let v = call(&rt, "batch_list", json!({"component_appid": a.component})).await?;
            let mut t = Table::new(&[
                "batch", "platform", "profile", "steps", "state", "done", "failed", "total",
            ]);
            for b in v.as_array().into_iter().flatten() {
                let steps = joined(&b["steps"]);
                t.row(vec![
                    s(b, "batch_id"),
                    s(b, "component_appid"),
                    s(b, "profile"),
                    steps,
                    s(b, "state"),
                    s(&b["counts"], "done"),
                    s(&b["counts"], "failed"),
                    s(&b["counts"], "total"),
                ]);
            }
            ctx.out.view(&v, &t.render("no batches"))
        }
    }
}

/// Prints the batch id, follows the job with a progress line on a
/// terminal, relays Ctrl-C as a cancel, and prints the result table (with
/// `--json`: the operation's own result, `started`).
async fn follow(ctx: &Ctx<'_>, rt: &Runtime, started: &Value) -> Result<(), CliError> {
    let id = s(started, "batch_id");
    let job = s(started, "job_id");
    if ctx.out.json {
        eprintln!("batch {id}");
    } else {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "batch {id}");
        let _ = out.flush();
    }
    let tty = std::io::stderr().is_terminal();
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
            }
        });
    }
    let mut cancel_sent = false;
    let job_view = loop {
        if interrupted.load(Ordering::SeqCst) && !cancel_sent {
            cancel_sent = true;
            eprintln!("\ncancelling… (the batch stops at its next safe point; `wxdesk batch resume {id}` continues it)");
            call(rt, "batch_cancel", json!({"batch_id": id})).await?;
        }
        let j = call(rt, "job_status", json!({"job_id": job})).await?;
        if tty {
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\rbatch {id}: {}/{} merchants finished\x1b[K",
                j["done"], j["total"]
            );
            let _ = err.flush();
        }
        if j["state"] != "running" {
            break j;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    if tty {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[K");
        let _ = err.flush();
    }
    if job_view["state"] == "failed" {
        let body: wxdesk_core::ErrorBody = serde_json::from_value(job_view["error"].clone())
            .map_err(|e| CliError::invalid("job", e.to_string()))?;
        eprintln!("batch {id} stopped; `wxdesk batch resume {id}` continues it");
        return Err(CliError { body });
    }
    if ctx.out.json {
        return ctx.out.view(started, "");
    }
    let v = call(rt, "batch_status", json!({"batch_id": id})).await?;
    ctx.out.view(&v, &table(&v))
}

/// A list of strings as one comma-joined cell (empty when absent).
fn joined(list: &Value) -> String {
    let items = list.as_array().into_iter().flatten();
    items
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

/// The per-merchant result table and a summary line.
fn table(v: &Value) -> String {
    let mut t = Table::new(&[
        "appid", "nickname", "step", "phase", "auditid", "errcode", "error", "fix",
    ]);
    for i in v["items"].as_array().into_iter().flatten() {
        t.row(vec![
            s(i, "appid"),
            s(i, "nickname"),
            s(i, "step"),
            s(i, "phase"),
            s(i, "auditid"),
            s(i, "errcode"),
            s(i, "error"),
            s(i, "hint"),
        ]);
    }
    let c = &v["counts"];
    format!(
        "{}\nbatch {} {}: {} done, {} failed, {} in progress, {} pending of {}",
        t.render("no merchants"),
        s(v, "batch_id"),
        s(v, "state"),
        c["done"],
        c["failed"],
        c["in_progress"],
        c["pending"],
        c["total"]
    )
}

/// `audit submit --profile P`: fills what no flag gave from the profile's audit defaults.
pub(super) async fn profile_audit_defaults(
    rt: &Runtime,
    t: &super::wxa_args::Target,
    name: &str,
    args: &mut Value,
) -> Result<(), CliError> {
    let component = match &t.component {
        Some(c) => c.trim().to_string(),
        None => s(
            &call(rt, "version_state", super::wxa_run::target(t)).await?,
            "component_appid",
        ),
    };
    let p = call(
        rt,
        "profile_show",
        json!({"component_appid": component, "name": name}),
    )
    .await?;
    let audit = &p["profile"]["audit"];
    for k in [
        "item_list",
        "feedback_info",
        "privacy_api_not_use",
        "order_path",
    ] {
        let empty = match &args[k] {
            Value::Null => true,
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if empty && !audit[k].is_null() {
            args[k] = audit[k].clone();
        }
    }
    Ok(())
}
