//! The command-line grammar.
//!
//! Flag names are a public interface (scripts depend on them), so they follow
//! WeChat's own field names where one exists. Global options are declared
//! `global = true`, so they may stand anywhere on the command line.
//!
//! This file holds the top level (`Cli`, the global flags, the `Command`
//! list); each command family's arguments live in a submodule of their own.

mod accounts;
mod authorizers;
mod fastregister;
mod login;
mod ops;
mod tools;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use accounts::*;
pub use authorizers::*;
pub use fastregister::*;
pub use login::*;
pub use ops::*;
pub use tools::*;

/// wxdesk: WeChat Mini Program and third-party platform operator's desk.
#[derive(Debug, Parser)]
#[command(name = "wxdesk", version, about, propagate_version = true)]
pub struct Cli {
    /// Options valid for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options valid anywhere on the command line.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Print exactly one JSON object on stdout (errors as {"error":{...}}).
    #[arg(long, global = true)]
    pub json: bool,
    /// WeChat API base URL (default https://api.weixin.qq.com).
    #[arg(long, global = true, env = "WXDESK_API_BASE", value_name = "URL")]
    pub api_base: Option<String>,
    /// Base of the PC authorization and fast-registration pages (default https://mp.weixin.qq.com).
    #[arg(long, global = true, env = "WXDESK_MP_BASE", value_name = "URL")]
    pub mp_base: Option<String>,
    /// Base of the H5 authorization page (default https://open.weixin.qq.com).
    #[arg(long, global = true, env = "WXDESK_OPEN_BASE", value_name = "URL")]
    pub open_base: Option<String>,
    /// The desk database (default: the platform's data directory).
    #[arg(long, global = true, env = "WXDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Which WeChat to talk to for this run (default: the saved `env set` choice).
    #[arg(long = "env", global = true, value_name = "NAME", value_parser = ["production", "sandbox"])]
    pub environment: Option<String>,
    /// Base URL of the sandbox for `--env sandbox` (as printed by `wxdesk sandbox`).
    #[arg(long, global = true, env = "WXDESK_SANDBOX_BASE", value_name = "URL")]
    pub sandbox_base: Option<String>,
    /// Confirm actions that can hurt production or delete data, without asking.
    #[arg(long, global = true)]
    pub yes: bool,
    /// Print secrets (tokens, session keys) in full instead of masked.
    #[arg(long, global = true)]
    pub reveal: bool,
    /// True when the base URLs came only from WXDESK_*_BASE variables, not flags.
    #[arg(skip)]
    pub bases_from_env: bool,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Decrypt open data (encryptedData) or a push.
    #[command(subcommand)]
    Decrypt(DecryptCommand),
    /// Encrypt a push the way WeChat does (for testing a push receiver).
    #[command(subcommand)]
    Encrypt(EncryptCommand),
    /// Compute rawData and login-state signatures.
    #[command(subcommand)]
    Sign(SignCommand),
    /// Build authorization and fast-registration links.
    #[command(subcommand)]
    Link(LinkCommand),
    /// Render any text as a QR code (PNG or SVG, chosen by the file extension).
    Qr(QrArgs),
    /// Explain a WeChat errcode: meaning in Chinese and English, and the fix.
    Errcode(ErrcodeArgs),
    /// Run the offline WeChat sandbox until stopped. The first stdout line is its base URL.
    Sandbox(SandboxArgs),
    /// Serve the UI and every operation over HTTP on 127.0.0.1 (browser mode). The first stdout line is the URL to open.
    Serve(ServeArgs),
    /// Mini programs whose AppSecret this desk keeps.
    #[command(subcommand)]
    App(AppCommand),
    /// Third-party platforms (components): accounts, tickets, tokens.
    #[command(subcommand)]
    Component(ComponentCommand),
    /// A mini program's access token (stable_token by default).
    Token(TokenArgs),
    /// Merchant accounts that authorized a platform.
    #[command(subcommand)]
    Authorizer(AuthorizerCommand),
    /// Complete an authorization from its auth_code or callback URL and store the authorizer.
    Authorize(AuthorizeArgs),
    /// Exchange a wx.login code for a session (stored), or list stored sessions.
    Login(LoginArgs),
    /// Exchange a getPhoneNumber code for the user's phone number.
    Phone(PhoneArgs),
    /// Ask WeChat whether a stored session_key is still current.
    Checksession(ChecksessionArgs),
    /// Register mini programs for merchants (enterprise, personal, trial, reuse an Official Account).
    #[command(subcommand)]
    Fastregister(FastregisterCommand),
    /// Read or reset API quotas.
    #[command(subcommand)]
    Quota(QuotaCommand),
    /// Read the call log (newest first).
    Log(LogArgs),
    /// Export apps, platforms, authorizers and settings to a file.
    Export(ExportArgs),
    /// Import a file written by `wxdesk export` (all records or none), after a preview: asks on a terminal, or --yes.
    Import(ImportArgs),
    /// Show or choose the environment (production, sandbox, custom bases).
    #[command(subcommand)]
    Env(EnvCommand),
    /// Team mode: share tokens with a production server through Redis (bind, show, unbind).
    #[command(subcommand)]
    Team(crate::commands::team::TeamCommand),
    /// Look up a rid from a WeChat errmsg: the request WeChat saw, and when.
    Rid(crate::commands::rid::RidArgs),
    /// The paid phone-number meter: calls per mini program against the trial, cost so far and the month's projection.
    Meter(crate::commands::meter::MeterArgsCli),
    /// Receive WeChat's pushes on a server (headless). The first stdout line is the base URL.
    Receive(crate::commands::receive::ReceiveArgs),
    /// The pushes received or pasted, newest first; `inbox apply ID` applies one again.
    Inbox(crate::commands::receive::InboxCommand),
    /// The platform's code templates: drafts, list, add, delete.
    #[command(subcommand)]
    Template(crate::commands::wxa_args::TemplateCommand),
    /// A merchant's code: commit, experience QR, pages, categories.
    #[command(subcommand)]
    Code(crate::commands::wxa_args::CodeCommand),
    /// A merchant's testers: bind, unbind, list.
    #[command(subcommand)]
    Tester(crate::commands::wxa_args::TesterCommand),
    /// A merchant's server and web-view domains.
    #[command(subcommand)]
    Domain(crate::commands::wxa_args::DomainCommand),
    /// A merchant's privacy guide.
    #[command(subcommand)]
    Privacy(crate::commands::wxa_args::PrivacyCommand),
    /// Audits: readiness check, submit, status, undo, speed-up, quota.
    #[command(subcommand)]
    Audit(crate::commands::wxa_args::AuditCommand),
    /// Releases: publish, revert, status, phased release, visit status.
    #[command(subcommand)]
    Release(crate::commands::wxa_args::ReleaseCommand),
    /// Release profiles: a template, ext_json with per-merchant variables, domains, privacy guide, audit defaults.
    #[command(subcommand)]
    Profile(crate::commands::batch::ProfileCommand),
    /// Batches: commit, submit, release or revert across merchants; resumable.
    #[command(subcommand)]
    Batch(crate::commands::batch::BatchCommand),
}
