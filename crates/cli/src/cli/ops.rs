//! Desk operations: `quota`, `log`, `export`, `import`, `env`, `serve`.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

/// `wxdesk quota …`
#[derive(Debug, Subcommand)]
pub enum QuotaCommand {
    /// Today's limit, usage and remainder of one API.
    Get(QuotaGetArgs),
    /// Reset every daily counter (uses one of 10 monthly resets; asks for confirmation).
    Clear(QuotaClearArgs),
}

/// Arguments of `quota get`.
#[derive(Debug, Args)]
pub struct QuotaGetArgs {
    /// The account (app, authorizer or platform).
    #[arg(long)]
    pub appid: String,
    /// The API path, e.g. /cgi-bin/message/custom/send.
    #[arg(long)]
    pub cgi_path: String,
    /// Use this platform's authorizer token (default: the app's own token when its AppSecret is stored, else the authorizer token).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// Arguments of `quota clear`.
#[derive(Debug, Args)]
pub struct QuotaClearArgs {
    /// The account (app, authorizer or platform).
    #[arg(long)]
    pub appid: String,
    /// Clear an authorizer's quota through this platform (its authorizer token, or with --by-secret its AppSecret).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
    /// Use clear_quota/v2 with the stored AppSecret (no token): the way out when the token endpoint itself answers 45009.
    #[arg(long)]
    pub by_secret: bool,
}

/// Arguments of `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only calls acting for an appid containing this (e.g. a full AppID, or part of one).
    #[arg(long)]
    pub account: Option<String>,
    /// Only endpoints containing this, case-insensitive (e.g. cgi-bin/stable_token, or just token).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// Only failed calls.
    #[arg(long)]
    pub errors: bool,
    /// Since: RFC 3339 (2024-05-01T08:00:00+08:00), Unix seconds, or relative (30m, 1h, 7d).
    #[arg(long, value_name = "T")]
    pub since: Option<String>,
    /// Until (same forms as --since).
    #[arg(long, value_name = "T")]
    pub until: Option<String>,
    /// Entries per page (1-1000).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Page on: only entries older than this id (the last id of the previous page).
    #[arg(long, value_name = "ID")]
    pub before_id: Option<i64>,
    /// Show one entry in full (request and response).
    #[arg(long, value_name = "ID", conflicts_with_all = ["account", "endpoint", "errors", "since", "until", "before_id"])]
    pub id: Option<i64>,
}

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Include every secret; the file is then encrypted with the passphrase.
    #[arg(long, requires = "passphrase_file")]
    pub with_secrets: bool,
    /// File whose first line is the passphrase (at least 8 characters).
    #[arg(long, value_name = "F")]
    pub passphrase_file: Option<PathBuf>,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file written by `wxdesk export`.
    pub file: PathBuf,
    /// File whose first line is the passphrase of an export made with secrets.
    #[arg(long, value_name = "F")]
    pub passphrase_file: Option<PathBuf>,
    /// Only show what the import would add, change and overwrite; write nothing.
    #[arg(long)]
    pub preview: bool,
}

/// `wxdesk env …`
#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// The environment in use, the saved choice, and other settings.
    Show,
    /// Save the environment used by later runs.
    #[command(subcommand)]
    Set(EnvSetCommand),
}

/// `wxdesk env set …`
#[derive(Debug, Subcommand)]
pub enum EnvSetCommand {
    /// The real WeChat.
    Production,
    /// The offline sandbox.
    Sandbox(EnvSandboxArgs),
    /// Any three bases (a staging proxy, say).
    Custom(EnvCustomArgs),
}

/// Arguments of `env set sandbox`.
#[derive(Debug, Args)]
pub struct EnvSandboxArgs {
    /// The sandbox base URL (as printed by `wxdesk sandbox`).
    #[arg(long)]
    pub base: String,
}

/// Arguments of `env set custom`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("bases").required(true).multiple(true).args(["api", "mp", "open"])))]
pub struct EnvCustomArgs {
    /// API base (default https://api.weixin.qq.com).
    #[arg(long)]
    pub api: Option<String>,
    /// mp base (default https://mp.weixin.qq.com).
    #[arg(long)]
    pub mp: Option<String>,
    /// open base (default https://open.weixin.qq.com).
    #[arg(long)]
    pub open: Option<String>,
}

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port (default: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to listen on. Anything but loopback exposes your secrets to the network: think twice.
    #[arg(long, default_value = "127.0.0.1")]
    pub listen: std::net::IpAddr,
    /// Directory of the built UI (default: the copy built into wxdesk, else <prefix>/share/wxdesk/ui).
    #[arg(long, value_name = "DIR", env = "WXDESK_UI_DIR")]
    pub ui_dir: Option<PathBuf>,
    /// Use this access token instead of a random one (for scripts and tests): at least 32 of A-Z a-z 0-9 _ -.
    #[arg(long, env = "WXDESK_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}
