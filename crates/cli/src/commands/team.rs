//! `wxdesk team bind|show|unbind`: bind a platform or mini program to a
//! shared token store on Redis (team mode), check it, remove it.
//!
//! The flags are the ones issue 9 fixes for scripts; the work is the core's
//! `team_bind` / `team_show` / `team_unbind`.

use clap::{Args, Subcommand};
use wxdesk_core::team::service::{TeamAccountArgs, TeamBindArgs, TeamShowView};

use wxdesk_core::ops::handlers as op;

use super::Ctx;
use crate::output::CliError;

/// `wxdesk team …`
#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Bind a platform (--component) or a mini program (--appid) to a Redis store in a peer's key layout.
    Bind(TeamBindFlags),
    /// Check the Redis of one binding (or all): connection, and each key with its TTL.
    Show(TeamShowFlags),
    /// Remove a binding: wxdesk keeps its own tokens for the account again.
    Unbind(TeamAccountFlags),
}

/// Which account.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct TeamAccountFlags {
    /// The platform's component appid.
    #[arg(long = "component", value_name = "C")]
    pub component: Option<String>,
    /// The mini program's appid.
    #[arg(long = "appid", value_name = "A")]
    pub appid: Option<String>,
}

/// `wxdesk team bind`.
#[derive(Debug, Args)]
pub struct TeamBindFlags {
    #[command(flatten)]
    pub account: TeamAccountFlags,
    /// redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS. A password is sealed in the vault.
    #[arg(long = "redis", value_name = "URL")]
    pub redis: String,
    /// The production server's key layout.
    #[arg(long, value_parser = ["wxjava-open", "wxjava-ma", "silenceper", "wechatpy", "wxdesk"])]
    pub layout: String,
    /// Key prefix (default: the layout's: none for wxjava-open, `wa`, `gowechat_miniprogram_`, `wechatpy`, `wxdesk`).
    #[arg(long)]
    pub prefix: Option<String>,
    /// Value codec (default: the layout's; json for wechatpy).
    #[arg(long, value_parser = ["raw", "json"])]
    pub codec: Option<String>,
    /// read-only: the production server refreshes, wxdesk only reads (default). read-write: wxdesk refreshes.
    #[arg(long, value_parser = ["read-only", "read-write"])]
    pub mode: Option<String>,
    /// For rediss:// with a private or self-signed CA: the CA certificate (PEM file) to trust.
    #[arg(long = "redis-ca", value_name = "FILE.pem")]
    pub redis_ca: Option<std::path::PathBuf>,
}

/// `wxdesk team show [C|A]`.
#[derive(Debug, Args)]
pub struct TeamShowFlags {
    /// A bound platform or mini program (default: every binding).
    #[arg(value_name = "C|A")]
    pub appid: Option<String>,
}

fn show_text(views: &[TeamShowView]) -> String {
    if views.is_empty() {
        return "no team bindings; add one with `wxdesk team bind --component C --redis URL --layout L`".into();
    }
    let mut out = Vec::new();
    for v in views {
        let b = &v.binding;
        let prefix = if b.prefix.is_empty() {
            "(none)"
        } else {
            b.prefix.as_str()
        };
        out.push(format!(
            "{} {}: {} ({}) {} layout, prefix {prefix}, codec {}, {}",
            b.kind, b.appid, b.redis, b.transport, b.layout, b.codec, b.mode
        ));
        if !v.reachable {
            out.push(format!(
                "  unreachable: {}",
                v.error.as_deref().unwrap_or("")
            ));
            continue;
        }
        for k in &v.keys {
            let who = k
                .authorizer_appid
                .as_deref()
                .map(|a| format!(" ({a})"))
                .unwrap_or_default();
            out.push(format!("  {}{who}  {}  {}", k.what, k.key, k.status));
        }
    }
    out.join("\n")
}

/// Runs `wxdesk team …`.
pub async fn run(ctx: &Ctx<'_>, cmd: TeamCommand) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    match cmd {
        TeamCommand::Bind(f) => {
            let ca_pem = match &f.redis_ca {
                None => None,
                Some(p) => Some(std::fs::read_to_string(p).map_err(|e| {
                    CliError::invalid(
                        "--redis-ca",
                        format!(
                            "cannot read {}: {e}; give the PEM file of the CA that signed the Redis server's certificate",
                            p.display()
                        ),
                    )
                })?),
            };
            let v = op::team_bind(
                rt,
                TeamBindArgs {
                    component_appid: f.account.component,
                    appid: f.account.appid,
                    redis_url: f.redis,
                    layout: f.layout,
                    prefix: f.prefix,
                    codec: f.codec,
                    mode: f.mode,
                    ca_pem,
                },
            )
            .await?;
            let text = format!(
                "bound {} {} to {} ({} layout, {}); check it with `wxdesk team show {}`",
                v.kind, v.appid, v.redis, v.layout, v.mode, v.appid
            );
            ctx.out.view(&v, &text)
        }
        TeamCommand::Show(f) => {
            let views = op::team_show(
                rt,
                TeamAccountArgs {
                    component_appid: None,
                    appid: f.appid,
                },
            )
            .await?;
            ctx.out.view(&views, &show_text(&views))
        }
        TeamCommand::Unbind(f) => {
            let v = op::team_unbind(
                rt,
                TeamAccountArgs {
                    component_appid: f.component,
                    appid: f.appid,
                },
            )
            .await?;
            let text = format!(
                "unbound {} {}: wxdesk keeps its own tokens for it again",
                v.kind, v.appid
            );
            ctx.out.view(&v, &text)
        }
    }
}
