//! `authorize` and `authorizer …`: merchants that authorized a platform.
//!
//! `authorizer info` fetches a profile the list sync leaves out (the sync
//! stores refresh tokens only, to stay fast over thousands of accounts).
//!
//! Sync and bulk refresh are long operations: the `authorizer_sync` and
//! `authorizer_refresh` operations start a job, which this shell polls with
//! `job_status` exactly as the UI does. On a terminal a progress line is shown
//! on stderr (rewritten in place), and Ctrl-C sends `job_cancel` — a sync
//! writes nothing unless it completes, a refresh stops starting new work and
//! reports what was done. `--json` prints the job's result (`SyncReport`,
//! `RefreshReport`).

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use wxdesk_core::ops::args::{
    AuthorizeArgs as AuthorizeOpArgs, AuthorizerListArgs, AuthorizerRefreshArgs,
    AuthorizerShowArgs, AuthorizerSyncArgs, JobArgs,
};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::ops::jobs::{JobStarted, JobState};
use wxdesk_core::ops::merchants::AuthorizerPageArgs;
use wxdesk_core::ops::wire::AccountType;
use wxdesk_core::services::authorizers::{AuthorizerView, RefreshReport, SyncReport};
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::ErrorCode;

use super::{tokens, Ctx};
use crate::cli::{AccountTypeArg, AuthorizeArgs, AuthorizerCommand, StatusArg};
use crate::output::CliError;
use crate::text::{self, Table};

/// The table of `authorizer list` (every match or one page).
fn authorizer_table(list: &[AuthorizerView]) -> Table {
    let mut t = Table::new(&[
        "APPID",
        "COMPONENT",
        "NAME",
        "TYPE",
        "STATUS",
        "AUTHORIZED",
        "TOKEN EXPIRES",
        "TAGS",
    ]);
    for r in list {
        t.row(vec![
            r.appid.clone(),
            r.component_appid.clone(),
            r.nick_name.clone(),
            r.account_type.clone(),
            status_word(r.status).to_string(),
            text::opt_time(r.authorized_at),
            text::opt_time(r.token_expires_at),
            r.tags.join(","),
        ]);
    }
    t
}

fn status_word(s: AuthorizerStatus) -> &'static str {
    s.as_str()
}

fn authorizer_text(a: &AuthorizerView) -> String {
    let mut s = format!(
        "appid:         {}\ncomponent:     {}\nname:          {}\ntype:          {}\nstatus:        {}\nfunc_info:     {}\nrefresh token: {}\nauthorized:    {}\nrevoked:       {}\nupdated:       {}",
        a.appid,
        a.component_appid,
        a.nick_name,
        a.account_type,
        status_word(a.status),
        a.func_info
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(","),
        if a.has_refresh_token { "stored (sealed)" } else { "MISSING" },
        text::opt_time(a.authorized_at),
        text::opt_time(a.revoked_at),
        text::time(a.updated_at),
    );
    if let Some(p) = &a.principal_name {
        s.push_str(&format!("\nprincipal:     {p}"));
    }
    if let Some(u) = &a.user_name {
        s.push_str(&format!("\nuser_name:     {u}"));
    }
    for w in &a.warnings {
        s.push_str(&format!("\nwarning:       {w}"));
    }
    s
}

/// `authorizer show`/`info`: the fields, then the profile snapshot, or what
/// to run when there is none yet (authorizers added by a sync).
fn shown_text(a: &AuthorizerView) -> String {
    let mut s = authorizer_text(a);
    match &a.info {
        Some(info) => {
            s.push_str("\ninfo:\n");
            s.push_str(&serde_json::to_string_pretty(info).unwrap_or_default());
        }
        None if a.status == AuthorizerStatus::Active => s.push_str(&format!(
            "\nprofile:       not fetched yet; run `wxdesk authorizer info {} --component {}`",
            a.appid, a.component_appid
        )),
        None => {
            s.push_str("\nprofile:       never fetched (revoked: WeChat no longer answers for it)")
        }
    }
    s
}

/// A progress line on stderr, only when stderr is a terminal.
struct Progress {
    label: &'static str,
    tty: bool,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn new(label: &'static str) -> Arc<Progress> {
        Arc::new(Progress {
            label,
            tty: std::io::stderr().is_terminal(),
            last: Mutex::new(None),
        })
    }

    fn update(&self, done: usize, total: usize) {
        if !self.tty {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let due = last.is_none_or(|t| t.elapsed() >= Duration::from_millis(80));
        if due || done == total {
            *last = Some(Instant::now());
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{} {done}/{total}\x1b[K", self.label);
            let _ = err.flush();
        }
    }

    fn finish(&self) {
        let started = self
            .last
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some();
        if self.tty && started {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}

/// A flag set by the first Ctrl-C (the operation then stops cleanly).
fn cancel_on_ctrl_c() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let f = flag.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            f.store(true, Ordering::SeqCst);
            eprintln!("\ncancelling…");
        }
    });
    flag
}

/// Polls a job until it ends, drawing progress and cancelling it on
/// Ctrl-C; returns its result as `T`.
async fn wait_job<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    label: &'static str,
    started: JobStarted,
) -> Result<T, CliError> {
    let rt = ctx.rt()?;
    let progress = Progress::new(label);
    let cancel = cancel_on_ctrl_c();
    let mut cancel_sent = false;
    let job = || JobArgs {
        job_id: started.job_id.clone(),
    };
    let view = loop {
        let v = op::job_status(rt, job()).await?;
        if v.total > 0 {
            progress.update(v.done as usize, v.total as usize);
        }
        if v.state != JobState::Running {
            break v;
        }
        if cancel.load(Ordering::SeqCst) && !cancel_sent {
            op::job_cancel(rt, job()).await?;
            cancel_sent = true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    progress.finish();
    match (view.state, view.result, view.error) {
        (JobState::Failed, _, Some(body)) => Err(CliError { body }),
        (_, Some(result), _) => serde_json::from_value(result).map_err(|e| {
            CliError::new(
                ErrorCode::Internal,
                format!("the {} job's report is unreadable: {e}", view.kind),
            )
        }),
        _ => Err(wxdesk_core::Error::Cancelled.into()),
    }
}

/// `authorize --component C (--auth-code CODE | --callback-url URL)`.
pub async fn authorize(ctx: &Ctx<'_>, a: AuthorizeArgs) -> Result<(), CliError> {
    let (auth_code, callback_url) = match (a.auth_code, a.callback_url) {
        (Some(code), _) => (Some(code), None),
        (None, Some(url)) => (None, Some(url)),
        (None, None) => {
            return Err(CliError::missing(
                "give --auth-code CODE or --callback-url URL",
                "Usage: wxdesk authorize --component C (--auth-code CODE | --callback-url URL)",
            ))
        }
    };
    let v = op::authorize(
        ctx.rt()?,
        AuthorizeOpArgs {
            component_appid: a.component,
            auth_code,
            callback_url,
        },
    )
    .await?;
    for w in &v.warnings {
        ctx.out.warn(w);
    }
    ctx.out
        .view(&v, &format!("authorized\n{}", authorizer_text(&v)))
}

/// `authorizer list|show|info|sync|refresh|token`.
pub async fn authorizer(ctx: &Ctx<'_>, cmd: AuthorizerCommand) -> Result<(), CliError> {
    let out = ctx.out;
    match cmd {
        AuthorizerCommand::List(a) => {
            let status = a.status.map(|s| match s {
                StatusArg::Active => AuthorizerStatus::Active,
                StatusArg::Revoked => AuthorizerStatus::Revoked,
            });
            let account_type = a.account_type.map(|t| match t {
                AccountTypeArg::MiniProgram => AccountType::MiniProgram,
                AccountTypeArg::OfficialAccount => AccountType::OfficialAccount,
                AccountTypeArg::Unknown => AccountType::Unknown,
            });
            if a.limit.is_some() || a.offset.is_some() {
                // A page: the op's own result (items + total) under --json.
                let page = op::authorizer_page(
                    ctx.rt()?,
                    AuthorizerPageArgs {
                        component_appid: a.component,
                        status,
                        account_type,
                        search: a.search,
                        tag: a.tag,
                        limit: a.limit,
                        offset: a.offset,
                    },
                )
                .await?;
                let rendered = if page.items.is_empty() {
                    format!(
                        "no authorizers on this page ({} match; --offset counts from 0)",
                        page.total
                    )
                } else {
                    let first = u64::from(page.offset) + 1;
                    let last = u64::from(page.offset) + page.items.len() as u64;
                    format!(
                        "{}authorizers {first}–{last} of {} (next page: --offset {last})",
                        authorizer_table(&page.items).render(""),
                        page.total
                    )
                };
                return out.view(&page, &rendered);
            }
            let list = op::authorizer_list(
                ctx.rt()?,
                AuthorizerListArgs {
                    component_appid: a.component,
                    status,
                    account_type,
                    search: a.search,
                    tag: a.tag,
                },
            )
            .await?;
            let mut rendered = authorizer_table(&list).render(
                "no authorizers match; run `wxdesk authorizer sync --component C` to fetch them",
            );
            if !list.is_empty() {
                rendered.push_str(&format!("{} authorizer(s)", list.len()));
            }
            out.view(&list, &rendered)
        }
        AuthorizerCommand::Show(a) => {
            let v = op::authorizer_show(
                ctx.rt()?,
                AuthorizerShowArgs {
                    appid: a.appid,
                    component_appid: a.component,
                },
            )
            .await?;
            out.view(&v, &shown_text(&v))
        }
        AuthorizerCommand::Info(a) if a.all_missing => {
            let component = a.component.as_deref().unwrap_or_default();
            super::profiles::fetch_missing(ctx, component, a.concurrency).await
        }
        AuthorizerCommand::Info(a) => {
            let v = op::authorizer_refresh_info(
                ctx.rt()?,
                AuthorizerShowArgs {
                    appid: a.appid.unwrap_or_default(),
                    component_appid: a.component,
                },
            )
            .await?;
            out.view(
                &v,
                &format!("profile fetched from WeChat and stored\n{}", shown_text(&v)),
            )
        }
        AuthorizerCommand::Sync(a) => {
            let rt = ctx.rt()?;
            let sync = |confirmed: bool| {
                let component_appid = a.component.clone();
                async move {
                    let started = op::authorizer_sync(
                        rt,
                        AuthorizerSyncArgs {
                            component_appid,
                            confirmed,
                        },
                    )
                    .await?;
                    wait_job::<SyncReport>(ctx, "listing authorizers", started).await
                }
            };
            let mut r = sync(ctx.g.yes).await?;
            if let Some(wxdesk_core::Error::NeedsConfirmation { action, risk }) =
                r.held_confirmation()
            {
                ctx.confirm(&action, &risk)?;
                r = sync(true).await?;
            }
            out.view(
                &r,
                &format!(
                    "{}: WeChat lists {}; {} added, {} refresh token(s) updated, {} revoked, {} unchanged",
                    r.component_appid, r.total, r.added, r.updated_refresh_tokens, r.revoked, r.unchanged
                ),
            )
        }
        AuthorizerCommand::Refresh(a) => {
            let one = match (&a.appid, a.all) {
                (Some(appid), false) => Some(appid.clone()),
                (None, true) => None,
                _ => return Err(CliError::missing(
                    "give one authorizer appid or --all, not both",
                    "Usage: wxdesk authorizer refresh --component C (A | --all [--force]) [--concurrency N]",
                )),
            };
            let rt = ctx.rt()?;
            let started = ctx
                .confirmed(|confirmed| {
                    op::authorizer_refresh(
                        rt,
                        AuthorizerRefreshArgs {
                            component_appid: a.component.clone(),
                            appid: a.appid.clone(),
                            all: a.all,
                            concurrency: Some(a.concurrency),
                            force: a.force,
                            confirmed,
                        },
                    )
                })
                .await?;
            let r: RefreshReport = wait_job(ctx, "refreshing", started).await?;
            if let (Some(appid), true) = (&one, r.skipped_revoked > 0) {
                return Err(wxdesk_core::Error::Revoked(appid.clone()).into());
            }
            if one.is_some() {
                if let Some(f) = r.failed.first() {
                    let mut e = CliError::new(f.code, format!("{}: {}", f.appid, f.message));
                    e.body.errcode = f.errcode;
                    if let Some(code) = f.errcode {
                        let x = wxdesk_wechat::catalogue::explain(code, None);
                        e.body.hint = Some(x.hint);
                        e.body.hint_zh = Some(x.hint_zh);
                    }
                    return Err(e);
                }
            }
            for f in &r.failed {
                out.warn(&format!("{}: {} ({})", f.appid, f.message, f.code));
            }
            let mut s = format!(
                "{}: {} refreshed{}, {} failed, {} still valid skipped, {} revoked skipped (of {})",
                r.component_appid,
                r.refreshed,
                if r.forced { " (forced)" } else { "" },
                r.failed.len(),
                r.skipped_fresh,
                r.skipped_revoked,
                r.total
            );
            if r.cancelled {
                s.push_str(&format!("; cancelled, {} not started", r.not_started));
            }
            out.view(&r, &s)
        }
        AuthorizerCommand::Token(a) => tokens::authorizer_token(ctx, a).await,
    }
}
