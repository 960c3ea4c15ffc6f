//! `wxdesk receive` (the headless push receiver) and `wxdesk inbox` (the pushes it and
//! pasting stored).
//!
//! The flags are the ones issue 9 fixes for scripts; the work is the server
//! crate's `receive` module and the core's inbox.

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;

use clap::{Args, Subcommand};
use wxdesk_core::ops::args::{InboxApplyArgs, InboxListArgs};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::services::inbox::InboxEntryView;
use wxdesk_server::receive::{receive, ReceiveConfig};

use super::Ctx;
use crate::output::CliError;

/// `wxdesk receive`.
#[derive(Debug, Args)]
pub struct ReceiveArgs {
    /// Address and port to listen on (`127.0.0.1:0`: any free port; `0.0.0.0:8080`: every interface).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Pass each push of platform COMPONENT on to URL, verbatim, after it is stored (repeatable).
    #[arg(long, value_name = "COMPONENT=URL")]
    pub forward: Vec<String>,
}

/// `wxdesk inbox …`
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct InboxCommand {
    #[command(subcommand)]
    pub action: Option<InboxAction>,
    #[command(flatten)]
    pub list: InboxListFlags,
}

/// `wxdesk inbox apply ID`.
#[derive(Debug, Subcommand)]
pub enum InboxAction {
    /// Apply a stored push again (after fixing what made it fail).
    Apply {
        /// The entry id (first column of `wxdesk inbox`).
        id: i64,
    },
}

/// Filters of `wxdesk inbox`.
#[derive(Debug, Args)]
pub struct InboxListFlags {
    /// Only this platform.
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
    /// Only this authorizer.
    #[arg(long, value_name = "A")]
    pub authorizer: Option<String>,
    /// Only this InfoType or Event (e.g. component_verify_ticket, authorized, weapp_audit_success).
    #[arg(long = "type", value_name = "T")]
    pub info_type: Option<String>,
    /// Only pushes that failed, were refused or did not verify.
    #[arg(long)]
    pub errors: bool,
    /// At most N entries, newest first (default 100, at most 1000).
    #[arg(long, value_name = "N")]
    pub limit: Option<i64>,
}

/// `COMPONENT=URL` pairs, checked.
fn parse_forwards(items: &[String]) -> Result<HashMap<String, String>, CliError> {
    let mut out = HashMap::new();
    for item in items {
        let Some((c, url)) = item.split_once('=') else {
            return Err(CliError::invalid(
                "--forward",
                format!("{item:?} is not COMPONENT=URL; e.g. --forward wx1234567890abcdef=https://backend.example.com/wechat/component"),
            ));
        };
        let (c, url) = (c.trim(), url.trim());
        if !(c.len() == 18 && c.starts_with("wx") && c.bytes().all(|b| b.is_ascii_alphanumeric())) {
            return Err(CliError::invalid(
                "--forward",
                format!("{c:?} is not a component appid (wx + 16 letters or digits)"),
            ));
        }
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.len() < 10 {
            return Err(CliError::invalid(
                "--forward",
                format!("the URL for {c} must start with http:// or https://"),
            ));
        }
        if out.insert(c.to_string(), url.to_string()).is_some() {
            return Err(CliError::invalid(
                "--forward",
                format!("{c} is given twice; give one URL per platform"),
            ));
        }
    }
    Ok(out)
}

/// Receives until Ctrl-C. The first stdout line is the base URL.
pub async fn run_receive(ctx: &Ctx<'_>, a: ReceiveArgs) -> Result<(), CliError> {
    let forwards = parse_forwards(&a.forward)?;
    let rt = ctx.rt()?;
    let environment = rt.environment().label();
    let desk = rt.desk();
    let mut config = ReceiveConfig::new(a.listen);
    config.forwards = forwards;
    let handle = receive(desk.clone(), config).await.map_err(|e| {
        CliError::invalid(
            "--listen",
            format!(
                "cannot listen on {}: {e}; pick another address or port",
                a.listen
            ),
        )
    })?;
    let base = handle.base_url();
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{base}");
        if ctx.out.json {
            let v = serde_json::json!({ "base_url": base, "environment": environment });
            let _ = writeln!(stdout, "{v}");
        } else {
            let _ = writeln!(
                stdout,
                "wxdesk is receiving pushes (environment: {}). Behind your HTTPS proxy, set in the WeChat console:\n  \
                 授权事件接收URL   {base}/wechat/component/<component_appid>\n  \
                 消息与事件接收URL {base}/wechat/message/<component_appid>/$APPID$\n  \
                 authorization launch page: {base}/wechat/authorize/<component_appid>\n\
                 Press Ctrl-C to stop.",
                environment
            );
        }
        let _ = stdout.flush();
    }
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    Ok(())
}

fn entry_line(e: &InboxEntryView) -> String {
    format!(
        "{:>6}  {}  {}  {}  {}  {}{}",
        e.id,
        e.received_at,
        e.component_appid,
        e.authorizer_appid.as_deref().unwrap_or("-"),
        e.info_type.as_deref().unwrap_or("?"),
        e.outcome,
        e.error
            .as_deref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    )
}

/// Runs `wxdesk inbox …`.
pub async fn run_inbox(ctx: &Ctx<'_>, cmd: InboxCommand) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    match cmd.action {
        Some(InboxAction::Apply { id }) => {
            let e = op::inbox_apply(rt, InboxApplyArgs { id }).await?;
            ctx.out.view(&e, &entry_line(&e))
        }
        None => {
            let f = cmd.list;
            let entries = op::inbox_list(
                rt,
                InboxListArgs {
                    component_appid: f.component,
                    authorizer_appid: f.authorizer,
                    info_type: f.info_type,
                    errors: f.errors,
                    limit: f.limit,
                },
            )
            .await?;
            let text = if entries.is_empty() {
                "no pushes stored (yet); run `wxdesk receive`, or paste one with `wxdesk component ticket push`".to_string()
            } else {
                entries
                    .iter()
                    .map(entry_line)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            ctx.out.view(&entries, &text)
        }
    }
}
