//! `app …` and `component …`: the accounts whose secrets the desk keeps,
//! and a platform's tickets.
//!
//! Lists and shows print secrets only masked (the views never carry them);
//! removals go through a confirmation because they delete secrets that
//! cannot be recovered from WeChat.

use std::future::Future;

use serde::Serialize;
use wxdesk_core::ops::args::{
    AppAddArgs, AppIdArgs, AppUpdateArgs, ComponentAddArgs, ComponentIdArgs, ComponentUpdateArgs,
    CredentialsTestArgs, NoArgs, RemoveArgs, TicketPushArgs, TicketSetArgs,
};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::ops::Runtime;
use wxdesk_core::services::apps::{AppView, TokenSummary};
use wxdesk_core::services::components::ComponentView;
use wxdesk_core::services::components_push::{PushAction, PushApplied, TicketStatusView};
use wxdesk_core::services::credentials_test::{CredentialsOutcome, CredentialsTestView};

use super::{read_body, tokens, Ctx};
use crate::cli::{AppCommand, ComponentCommand, CredentialsArgs, TicketCommand};
use crate::output::CliError;
use crate::text::{self, Table};

fn token_cell(t: Option<&TokenSummary>) -> String {
    match t {
        Some(t) if t.expires_in > 0 => {
            format!("{} ({} left)", t.kind, text::duration(t.expires_in))
        }
        Some(t) => format!("{} (expired)", t.kind),
        None => "-".into(),
    }
}

fn app_text(a: &AppView) -> String {
    format!(
        "appid:    {}\nname:     {}\nsecret:   {}\ntoken:    {}\nsessions: {}\nadded:    {}\nupdated:  {}",
        a.appid,
        a.name,
        a.secret.as_deref().unwrap_or("(not stored)"),
        token_cell(a.token.as_ref()),
        a.sessions,
        text::time(a.created_at),
        text::time(a.updated_at),
    )
}

/// A credentials test as text (never the token).
fn credentials_text(v: &CredentialsTestView) -> String {
    let head = match v.outcome {
        CredentialsOutcome::Ok => "ok",
        CredentialsOutcome::NeedsTicket | CredentialsOutcome::InUse => "not checked",
    };
    format!("{head}: {}", v.message)
}

/// `app test` and `component test`: one credentials check through the
/// operation `test`, printed without the token.
async fn test_credentials<'r, F, Fut>(
    ctx: &'r Ctx<'_>,
    a: CredentialsArgs,
    test: F,
) -> Result<(), CliError>
where
    F: FnOnce(&'r Runtime, CredentialsTestArgs) -> Fut,
    Fut: Future<Output = wxdesk_core::Result<CredentialsTestView>>,
{
    let args = CredentialsTestArgs {
        appid: a.appid,
        secret: a.secret,
    };
    let v = test(ctx.rt()?, args).await?;
    ctx.out.view(&v, &credentials_text(&v))
}

/// `app remove` and `component remove`: the removal operation `remove`
/// behind the shell's confirmation, its result printed as `text` says.
async fn remove_account<'r, T, F, Fut>(
    ctx: &'r Ctx<'_>,
    appid: String,
    remove: F,
    text: impl FnOnce(&T) -> String,
) -> Result<(), CliError>
where
    T: Serialize,
    F: Fn(&'r Runtime, RemoveArgs) -> Fut,
    Fut: Future<Output = wxdesk_core::Result<T>>,
{
    let rt = ctx.rt()?;
    let r = ctx
        .confirmed(|confirmed| {
            let appid = appid.clone();
            remove(rt, RemoveArgs { appid, confirmed })
        })
        .await?;
    ctx.out.view(&r, &text(&r))
}

/// `app add|test|list|show|update|remove`.
pub async fn app(ctx: &Ctx<'_>, cmd: AppCommand) -> Result<(), CliError> {
    let out = ctx.out;
    let rt = ctx.rt()?;
    match cmd {
        AppCommand::Add(a) => {
            let v = op::app_add(
                rt,
                AppAddArgs {
                    appid: a.appid,
                    secret: a.secret,
                    name: Some(a.name),
                },
            )
            .await?;
            out.view(&v, &format!("added\n{}", app_text(&v)))
        }
        AppCommand::Test(a) => test_credentials(ctx, a, op::app_test_credentials).await,
        AppCommand::List => {
            let apps = op::app_list(rt, NoArgs {}).await?;
            let mut t = Table::new(&["APPID", "NAME", "SECRET", "TOKEN", "SESSIONS"]);
            for a in &apps {
                t.row(vec![
                    a.appid.clone(),
                    a.name.clone(),
                    a.secret.clone().unwrap_or_else(|| "-".into()),
                    token_cell(a.token.as_ref()),
                    a.sessions.to_string(),
                ]);
            }
            out.view(
                &apps,
                &t.render("no apps yet; add one with `wxdesk app add --appid A --secret S`"),
            )
        }
        AppCommand::Show(a) => {
            let v = op::app_show(rt, AppIdArgs { appid: a.appid }).await?;
            out.view(&v, &app_text(&v))
        }
        AppCommand::Update(a) => {
            let v = op::app_update(
                rt,
                AppUpdateArgs {
                    appid: a.appid,
                    secret: a.secret,
                    name: a.name,
                },
            )
            .await?;
            out.view(&v, &format!("updated\n{}", app_text(&v)))
        }
        AppCommand::Remove(a) => {
            remove_account(ctx, a.appid, op::app_remove, |r| {
                format!(
                    "removed app {} ({} cached token(s), {} session(s) deleted)",
                    r.appid, r.tokens, r.sessions
                )
            })
            .await
        }
    }
}

fn component_text(c: &ComponentView) -> String {
    let ticket = match &c.ticket {
        Some(t) => format!(
            "{} from {} at {} ({})",
            if t.valid { "valid" } else { "EXPIRED" },
            t.source,
            text::time(t.received_at),
            if t.valid {
                format!(
                    "{} left",
                    text::duration(t.expires_at - t.received_at - t.age_secs)
                )
            } else {
                "start the pushes with `wxdesk component ticket start-push`".into()
            }
        ),
        None => "none received".into(),
    };
    format!(
        "appid:        {}\nname:         {}\nsecret:       {}\ntoken:        {}\naes_key:      {}\nredirect_uri: {}\nreceive_url:  {}\nticket:       {}\naccess token: {}\nauthorizers:  {} active, {} revoked\nadded:        {}\nupdated:      {}",
        c.appid,
        c.name,
        c.secret.as_deref().unwrap_or("(not stored)"),
        c.token.as_deref().unwrap_or("(not stored)"),
        c.aes_key.as_deref().unwrap_or("(not stored)"),
        c.redirect_uri.as_deref().unwrap_or("-"),
        c.receive
            .as_ref()
            .map(|r| format!(
                "{}\n  授权事件接收URL:     {}\n  消息与事件接收URL:   {}\n  授权发起页域名:      {}\n  permanent link:     {}",
                r.base_url, r.component_push_url, r.message_push_url, r.launch_domain, r.authorize_url
            ))
            .unwrap_or_else(|| "- (set one with --receive-url to get the console settings and a permanent link)".into()),
        ticket,
        token_cell(c.access_token.as_ref()),
        c.authorizers.active,
        c.authorizers.revoked,
        text::time(c.created_at),
        text::time(c.updated_at),
    )
}

fn ticket_text(t: &TicketStatusView) -> String {
    let mut s = current_ticket_text(t);
    if let Some(r) = &t.last_rejected {
        s.push_str(&format!(
            "\nlast ticket received {} is NOT current: {}",
            text::time(r.received_at),
            r.reason
        ));
    }
    s
}

fn current_ticket_text(t: &TicketStatusView) -> String {
    match t.received_at {
        None => format!(
            "{}: no component_verify_ticket received yet; start the pushes with `wxdesk component ticket start-push {}`",
            t.component_appid, t.component_appid
        ),
        Some(at) => format!(
            "{}: ticket {} ({}) received {} from {}, {}; {} kept",
            t.component_appid,
            t.ticket_masked.as_deref().unwrap_or("?"),
            if t.valid { "valid" } else { "EXPIRED" },
            text::time(at),
            t.source.as_deref().unwrap_or("?"),
            match t.expires_at {
                Some(e) if t.valid => format!("expires {}", text::time(e)),
                _ => "cannot mint tokens any more".into(),
            },
            t.count
        ),
    }
}

fn push_text(p: &PushApplied) -> String {
    let what = match &p.action {
        PushAction::TicketStored { ticket, .. } => {
            format!("ticket stored\n{}", ticket_text(ticket))
        }
        PushAction::TicketNotCurrent { reason, ticket } => format!(
            "ticket recorded but NOT current: {reason}\n{}",
            current_ticket_text(ticket)
        ),
        PushAction::Authorized { authorizer } => format!(
            "authorizer {} ({}) stored for {}",
            authorizer.appid, authorizer.nick_name, authorizer.component_appid
        ),
        PushAction::Unauthorized {
            authorizer_appid,
            changed,
        } => {
            if *changed {
                format!("authorizer {authorizer_appid} marked revoked")
            } else {
                format!(
                    "authorizer {authorizer_appid} was unknown or already revoked; nothing changed"
                )
            }
        }
        PushAction::FastRegister { task, authorizer } => format!(
            "fast-registration task {} ({}): {} — {}{}",
            task.id,
            task.task_key,
            task.status,
            task.status_text,
            authorizer
                .as_ref()
                .map(|a| format!("; new mini program {} stored", a.appid))
                .unwrap_or_default()
        ),
        PushAction::Ignored { reason } => format!("verified, nothing to do: {reason}"),
    };
    format!(
        "push {} for {} verified\n{what}",
        p.info_type.as_deref().unwrap_or("(no InfoType)"),
        p.component_appid
    )
}

/// `component …`.
pub async fn component(ctx: &Ctx<'_>, cmd: ComponentCommand) -> Result<(), CliError> {
    let out = ctx.out;
    match cmd {
        ComponentCommand::Add(a) => {
            let v = op::component_add(
                ctx.rt()?,
                ComponentAddArgs {
                    appid: a.appid,
                    secret: a.secret,
                    token: a.token,
                    aes_key: a.aes_key,
                    name: Some(a.name),
                    redirect_uri: a.redirect_uri,
                    receive_url: a.receive_url,
                },
            )
            .await?;
            out.view(&v, &format!("added\n{}", component_text(&v)))
        }
        ComponentCommand::Test(a) => {
            test_credentials(ctx, a, op::component_test_credentials).await
        }
        ComponentCommand::List => {
            let list = op::component_list(ctx.rt()?, NoArgs {}).await?;
            let mut t = Table::new(&["APPID", "NAME", "SECRET", "TICKET", "TOKEN", "AUTHORIZERS"]);
            for c in &list {
                t.row(vec![
                    c.appid.clone(),
                    c.name.clone(),
                    c.secret.clone().unwrap_or_else(|| "-".into()),
                    match &c.ticket {
                        Some(t) if t.valid => format!("valid ({} old)", text::duration(t.age_secs)),
                        Some(_) => "expired".into(),
                        None => "none".into(),
                    },
                    token_cell(c.access_token.as_ref()),
                    format!(
                        "{} active, {} revoked",
                        c.authorizers.active, c.authorizers.revoked
                    ),
                ]);
            }
            out.view(
                &list,
                &t.render("no platforms yet; add one with `wxdesk component add --appid C --secret S --token T --aes-key K`"),
            )
        }
        ComponentCommand::Show(a) => {
            let v = op::component_show(
                ctx.rt()?,
                ComponentIdArgs {
                    component_appid: a.appid,
                },
            )
            .await?;
            out.view(&v, &component_text(&v))
        }
        ComponentCommand::Update(a) => {
            let v = op::component_update(
                ctx.rt()?,
                ComponentUpdateArgs {
                    appid: a.appid,
                    secret: a.secret,
                    token: a.token,
                    aes_key: a.aes_key,
                    name: a.name,
                    redirect_uri: a.redirect_uri,
                    receive_url: a.receive_url,
                },
            )
            .await?;
            out.view(&v, &format!("updated\n{}", component_text(&v)))
        }
        ComponentCommand::Remove(a) => {
            remove_account(ctx, a.appid, op::component_remove, |r| {
                format!(
                    "removed component {} ({} ticket(s), {} authorizer(s), {} task(s), {} token(s), {} session(s) deleted)",
                    r.appid, r.tickets, r.authorizers, r.tasks, r.tokens, r.sessions
                )
            })
            .await
        }
        ComponentCommand::Ticket(t) => ticket(ctx, t).await,
        ComponentCommand::Token(a) => tokens::component_token(ctx, a).await,
    }
}

async fn ticket(ctx: &Ctx<'_>, cmd: TicketCommand) -> Result<(), CliError> {
    let out = ctx.out;
    match cmd {
        TicketCommand::Set(a) => {
            let v = op::ticket_set(
                ctx.rt()?,
                TicketSetArgs {
                    component_appid: a.component,
                    ticket: a.ticket,
                },
            )
            .await?;
            out.view(&v, &ticket_text(&v))
        }
        TicketCommand::Push(a) => {
            // Read the body before opening anything: a missing file is the operator's first mistake.
            let body = read_body("--body", a.body.as_deref())?;
            let v = op::ticket_push(
                ctx.rt()?,
                TicketPushArgs {
                    component_appid: a.component,
                    query: a.query,
                    body,
                },
            )
            .await?;
            for r in &v.repairs {
                out.note(r);
            }
            out.view(&v, &push_text(&v))
        }
        TicketCommand::StartPush(a) => {
            let v = op::ticket_start_push(
                ctx.rt()?,
                ComponentIdArgs {
                    component_appid: a.appid,
                },
            )
            .await?;
            let text = format!(
                "{}: WeChat answered {:?} ({})",
                v.component_appid,
                v.message,
                if v.message.contains("normal") {
                    "pushes were already running"
                } else {
                    "pushes restarted; a ticket arrives within 10 minutes"
                }
            );
            out.view(&v, &text)
        }
        TicketCommand::Status(a) => {
            let v = op::ticket_status(
                ctx.rt()?,
                ComponentIdArgs {
                    component_appid: a.appid,
                },
            )
            .await?;
            out.view(&v, &ticket_text(&v))
        }
    }
}
