//! `authorize` and `authorizer …`: merchants that authorized a platform.
//!
//! `authorizer info` fetches a profile the list sync leaves out (the sync
//! stores refresh tokens only, to stay fast over thousands of accounts).
//!
//! Sync and bulk refresh are long operations: on a terminal they show a
//! progress line on stderr (rewritten in place), and Ctrl-C cancels them
//! cleanly — a sync writes nothing unless it completes, a refresh stops
//! starting new work and reports what was done.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use wxdesk_core::services::authorizers::{
    AuthorizeInput, AuthorizerQuery, AuthorizerView, RefreshTarget,
};
use wxdesk_core::store::authorizers::AuthorizerStatus;

use super::{tokens, Ctx};
use crate::cli::{AccountTypeArg, AuthorizeArgs, AuthorizerCommand, StatusArg};
use crate::output::CliError;
use crate::text::{self, Table};

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

/// `authorize --component C (--auth-code CODE | --callback-url URL)`.
pub async fn authorize(ctx: &Ctx<'_>, a: AuthorizeArgs) -> Result<(), CliError> {
    let input = match (a.auth_code, a.callback_url) {
        (Some(code), _) => AuthorizeInput::AuthCode(code),
        (None, Some(url)) => AuthorizeInput::CallbackUrl(url),
        (None, None) => {
            return Err(CliError::missing(
                "give --auth-code CODE or --callback-url URL",
                "Usage: wxdesk authorize --component C (--auth-code CODE | --callback-url URL)",
            ))
        }
    };
    let v = ctx.desk()?.authorize(&a.component, input).await?;
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
            let q = AuthorizerQuery {
                component: a.component,
                status: a.status.map(|s| match s {
                    StatusArg::Active => AuthorizerStatus::Active,
                    StatusArg::Revoked => AuthorizerStatus::Revoked,
                }),
                account_type: a.account_type.map(|t| {
                    match t {
                        AccountTypeArg::MiniProgram => "mini_program",
                        AccountTypeArg::OfficialAccount => "official_account",
                        AccountTypeArg::Unknown => "unknown",
                    }
                    .to_string()
                }),
                search: a.search,
                tag: a.tag,
            };
            let list = ctx.desk()?.authorizer_list(&q)?;
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
            for r in &list {
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
            let mut rendered = t.render(
                "no authorizers match; run `wxdesk authorizer sync --component C` to fetch them",
            );
            if !list.is_empty() {
                rendered.push_str(&format!("{} authorizer(s)", list.len()));
            }
            out.view(
                &json!({ "authorizers": list, "count": list.len() }),
                &rendered,
            )
        }
        AuthorizerCommand::Show(a) => {
            let v = ctx
                .desk()?
                .authorizer_show(&a.appid, a.component.as_deref())?;
            out.view(&v, &shown_text(&v))
        }
        AuthorizerCommand::Info(a) if a.all_missing => {
            let component = a.component.as_deref().unwrap_or_default();
            super::profiles::fetch_missing(ctx, component, a.concurrency).await
        }
        AuthorizerCommand::Info(a) => {
            let appid = a.appid.as_deref().unwrap_or_default();
            let v = ctx
                .desk()?
                .authorizer_refresh_info(appid, a.component.as_deref())
                .await?;
            out.view(
                &v,
                &format!("profile fetched from WeChat and stored\n{}", shown_text(&v)),
            )
        }
        AuthorizerCommand::Sync(a) => {
            let desk = ctx.desk()?;
            let cancel = cancel_on_ctrl_c();
            let sync = |confirmed: bool| {
                let progress = Progress::new("listing authorizers");
                let p = progress.clone();
                let cancel = cancel.clone();
                let component = a.component.clone();
                async move {
                    let result = desk
                        .authorizer_sync_confirmed(
                            &component,
                            confirmed,
                            &move |d, t| p.update(d, t),
                            &cancel,
                        )
                        .await;
                    progress.finish();
                    result
                }
            };
            let mut r = sync(ctx.g.yes).await?;
            if r.revocations_held {
                ctx.confirm(
                    &format!(
                        "revoke {} of {} active authorizers of {} (WeChat no longer lists them)",
                        r.would_revoke, r.active_before, r.component_appid
                    ),
                    &format!(
                        "the sync would revoke {} of {} and revoked nothing yet; they are marked revoked and their cached tokens dropped. \
                         A wrong environment or a truncated list looks the same: check before confirming",
                        r.would_revoke, r.active_before
                    ),
                )?;
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
            let target = match (&a.appid, a.all, a.force) {
                (Some(appid), false, _) => RefreshTarget::One(appid.clone()),
                (None, true, false) => RefreshTarget::All,
                (None, true, true) => RefreshTarget::AllForced,
                _ => return Err(CliError::missing(
                    "give one authorizer appid or --all, not both",
                    "Usage: wxdesk authorizer refresh --component C (A | --all [--force]) [--concurrency N]",
                )),
            };
            let one = matches!(target, RefreshTarget::One(_));
            let target_shown = target.clone();
            let desk = ctx.desk()?;
            if target == RefreshTarget::AllForced {
                let plan = desk.authorizer_refresh_plan(&a.component, true)?;
                ctx.confirm(
                    &format!(
                        "force-refresh the tokens of ALL {} active authorizers of {}: {} api_authorizer_token calls ({} of them not due)",
                        plan.active,
                        a.component,
                        plan.calls,
                        plan.active.saturating_sub(plan.due)
                    ),
                    &format!(
                        "every merchant's current authorizer_access_token is replaced, including tokens your platform servers hold ({}); \
                         each call counts against that merchant's daily limit. `--all` without --force renews only the {} missing or expiring",
                        desk.env().label(),
                        plan.due
                    ),
                )?;
            }
            let progress = Progress::new("refreshing");
            let p = progress.clone();
            let cancel = cancel_on_ctrl_c();
            let result = desk
                .authorizer_refresh(
                    &a.component,
                    target,
                    a.concurrency,
                    &move |d, t| p.update(d, t),
                    &cancel,
                )
                .await;
            progress.finish();
            let r = result?;
            if let (RefreshTarget::One(appid), true) = (&target_shown, r.skipped_revoked > 0) {
                return Err(wxdesk_core::Error::Revoked(appid.clone()).into());
            }
            if one {
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
