//! Merchants that authorized a platform: `authorizer` and `authorize`.

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

/// `wxdesk authorizer …`
#[derive(Debug, Subcommand)]
pub enum AuthorizerCommand {
    /// List stored authorizers.
    List(AuthorizerListArgs),
    /// Show one authorizer with its profile snapshot.
    Show(AuthorizerShowArgs),
    /// Fetch an authorizer's profile from WeChat (name, type, grants) and store it;
    /// authorizers added by `sync` have none until this runs; `--all-missing --component C`
    /// fetches every active one that has none (a job: progress on stderr, Ctrl-C cancels).
    Info(AuthorizerInfoArgs),
    /// Reconcile the stored authorizers with WeChat's list (reports counts); revoking
    /// more than 20 % (or all) of them asks for confirmation (--yes).
    Sync(ComponentFlag),
    /// Refresh authorizer tokens: one (forced), all missing or expiring (--all),
    /// or every one forced (--all --force, asks for confirmation).
    Refresh(AuthorizerRefreshArgs),
    /// An authorizer_access_token.
    Token(AuthorizerTokenArgs),
}

/// Authorizer status names on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    /// Currently authorized.
    Active,
    /// Cancelled (kept for history).
    Revoked,
}

/// Account types on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AccountTypeArg {
    /// Mini programs.
    MiniProgram,
    /// Official Accounts.
    OfficialAccount,
    /// Not known yet.
    Unknown,
}

/// Arguments of `authorizer list`.
#[derive(Debug, Args)]
pub struct AuthorizerListArgs {
    /// Only this platform.
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
    /// Only active or only revoked.
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// Only this account type.
    #[arg(long = "type", value_enum)]
    pub account_type: Option<AccountTypeArg>,
    /// Substring of the appid, the name, the notes or a tag.
    #[arg(long)]
    pub search: Option<String>,
    /// Only merchants with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// One page of at most N rows (1–1000) with the total (op `authorizer_page`); without it, every match.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// With a page: skip this many rows first (default 0).
    #[arg(long, value_name = "N")]
    pub offset: Option<u32>,
}

/// Arguments of `authorizer show` and `authorizer info`.
#[derive(Debug, Args)]
pub struct AuthorizerShowArgs {
    /// The authorizer's AppID.
    pub appid: String,
    /// The platform (needed when the account authorized several).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// Arguments of `authorizer info`: one authorizer, or `--all-missing` of a platform.
#[derive(Debug, Args)]
pub struct AuthorizerInfoArgs {
    /// The authorizer's AppID.
    #[arg(
        required_unless_present = "all_missing",
        conflicts_with = "all_missing"
    )]
    pub appid: Option<String>,
    /// The platform (needed when the account authorized several; required with --all-missing).
    #[arg(long, value_name = "C", required_if_eq("all_missing", "true"))]
    pub component: Option<String>,
    /// Fetch the profile of every active authorizer of --component that has none.
    #[arg(long)]
    pub all_missing: bool,
    /// With --all-missing: fetches in flight (default 8, at most 32).
    #[arg(long, value_name = "N", requires = "all_missing")]
    pub concurrency: Option<usize>,
}

/// A required `--component C`.
#[derive(Debug, Args)]
pub struct ComponentFlag {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
}

/// Arguments of `authorizer refresh`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["appid", "all"])))]
pub struct AuthorizerRefreshArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// One authorizer.
    pub appid: Option<String>,
    /// Every active authorizer whose token is missing or expires within 5 minutes
    /// (valid tokens are left alone).
    #[arg(long)]
    pub all: bool,
    /// With --all: force a new token for EVERY active authorizer (asks for
    /// confirmation, showing how many calls it makes).
    #[arg(long, requires = "all")]
    pub force: bool,
    /// How many refreshes run at once (1-64).
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
}

/// Arguments of `authorizer token`.
#[derive(Debug, Args)]
pub struct AuthorizerTokenArgs {
    /// The authorizer's AppID.
    pub appid: String,
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// Fetch a new token even if a cached one is valid (asks for confirmation).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `authorize`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("code_source").required(true).args(["auth_code", "callback_url"])))]
pub struct AuthorizeArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// The auth_code from the redirect or the `authorized` push.
    #[arg(long)]
    pub auth_code: Option<String>,
    /// The whole address the merchant's browser landed on after consent.
    #[arg(long)]
    pub callback_url: Option<String>,
}
