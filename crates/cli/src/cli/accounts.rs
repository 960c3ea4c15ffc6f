//! Accounts the desk keeps: `app`, `component` (with its ticket and token)
//! and a mini program's `token`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `wxdesk app …`
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Save a mini program with its AppSecret.
    Add(AppAddArgs),
    /// Test an AppID and AppSecret before saving them: one stable_token call without
    /// force_refresh (the token in use is not changed); nothing is stored or printed.
    Test(CredentialsArgs),
    /// List saved mini programs (secrets masked).
    List,
    /// Show one mini program (secret masked).
    Show(AppIdArg),
    /// Change a mini program's AppSecret or name.
    Update(AppUpdateArgs),
    /// Remove a mini program with its cached tokens and sessions (asks for confirmation).
    Remove(AppIdArg),
}

/// Arguments of `app add`.
#[derive(Debug, Args)]
pub struct AppAddArgs {
    /// AppID (`wx` + 16 hex digits).
    #[arg(long)]
    pub appid: String,
    /// AppSecret (32 lowercase hex characters).
    #[arg(long)]
    pub secret: String,
    /// Display name.
    #[arg(long, default_value = "")]
    pub name: String,
}

/// Arguments of `app test` and `component test`.
#[derive(Debug, Args)]
pub struct CredentialsArgs {
    /// AppID (`wx` + 16 hex digits).
    #[arg(long)]
    pub appid: String,
    /// AppSecret (32 lowercase hex characters).
    #[arg(long)]
    pub secret: String,
}

/// One AppID as a positional argument.
#[derive(Debug, Args)]
pub struct AppIdArg {
    /// The AppID.
    pub appid: String,
}

/// Arguments of `app update`.
#[derive(Debug, Args)]
pub struct AppUpdateArgs {
    /// The AppID.
    pub appid: String,
    /// A new AppSecret.
    #[arg(long)]
    pub secret: Option<String>,
    /// A new display name.
    #[arg(long)]
    pub name: Option<String>,
}

/// `wxdesk component …`
#[derive(Debug, Subcommand)]
pub enum ComponentCommand {
    /// Save a third-party platform with its secrets.
    Add(ComponentAddArgs),
    /// Test a platform AppID and AppSecret: one api_component_token call with the stored
    /// ticket, or a note that the secret can be checked only once a ticket arrives.
    Test(CredentialsArgs),
    /// List saved platforms (secrets masked).
    List,
    /// Show one platform (secrets masked).
    Show(AppIdArg),
    /// Change a platform's secrets, name or redirect URI.
    Update(ComponentUpdateArgs),
    /// Remove a platform with its tickets, authorizers and tokens (asks for confirmation).
    Remove(AppIdArg),
    /// component_verify_ticket: set, apply a push, restart pushes, status.
    #[command(subcommand)]
    Ticket(TicketCommand),
    /// The platform's component_access_token.
    Token(ComponentTokenArgs),
}

/// Arguments of `component add`.
#[derive(Debug, Args)]
pub struct ComponentAddArgs {
    /// Component AppID.
    #[arg(long)]
    pub appid: String,
    /// Platform AppSecret (32 lowercase hex characters).
    #[arg(long)]
    pub secret: String,
    /// Message token (消息校验Token).
    #[arg(long)]
    pub token: Option<String>,
    /// EncodingAESKey (消息加解密Key), 43 characters.
    #[arg(long)]
    pub aes_key: Option<String>,
    /// Display name.
    #[arg(long, default_value = "")]
    pub name: String,
    /// Default redirect URI of authorization links.
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// Where `wxdesk receive` answers for this platform (e.g. https://wx.example.com).
    #[arg(long, value_name = "URL")]
    pub receive_url: Option<String>,
}

/// Arguments of `component update`.
#[derive(Debug, Args)]
pub struct ComponentUpdateArgs {
    /// Component AppID.
    pub appid: String,
    /// New AppSecret.
    #[arg(long)]
    pub secret: Option<String>,
    /// New message token.
    #[arg(long)]
    pub token: Option<String>,
    /// New EncodingAESKey.
    #[arg(long)]
    pub aes_key: Option<String>,
    /// New display name.
    #[arg(long)]
    pub name: Option<String>,
    /// New default redirect URI.
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// New `receive` base URL (e.g. https://wx.example.com; "" removes it).
    #[arg(long, value_name = "URL")]
    pub receive_url: Option<String>,
}

/// `wxdesk component ticket …`
#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// Record a component_verify_ticket pasted by hand.
    Set(TicketSetArgs),
    /// Verify, decrypt and apply a raw push (ticket, authorization, revocation, registration).
    Push(TicketPushArgs),
    /// Ask WeChat to (re)start pushing tickets.
    StartPush(AppIdArg),
    /// How fresh the newest ticket is.
    Status(AppIdArg),
}

/// Arguments of `component ticket set`.
#[derive(Debug, Args)]
pub struct TicketSetArgs {
    /// Component AppID.
    pub component: String,
    /// The ComponentVerifyTicket value.
    pub ticket: String,
}

/// Arguments of `component ticket push`.
#[derive(Debug, Args)]
pub struct TicketPushArgs {
    /// Component AppID.
    pub component: String,
    /// The push's query string or whole URL.
    #[arg(long)]
    pub query: String,
    /// File holding the pushed XML body (default: stdin).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
}

/// Arguments of `component token`.
#[derive(Debug, Args)]
pub struct ComponentTokenArgs {
    /// Component AppID.
    pub component: String,
    /// Fetch a new token even if a cached one is valid (asks for confirmation).
    #[arg(long)]
    pub force: bool,
}

/// How a mini program's token is fetched.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TokenModeArg {
    /// `stable_token` (does not disturb production's token).
    Stable,
    /// `cgi-bin/token` (mints a new token; production's expires in ~5 min).
    Legacy,
}

/// Arguments of `token`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The mini program's AppID.
    #[arg(long)]
    pub appid: String,
    /// stable (default) or legacy (asks for confirmation).
    #[arg(long, value_enum, default_value = "stable")]
    pub mode: TokenModeArg,
    /// Force a new token (stable_token force_refresh; asks for confirmation).
    #[arg(long)]
    pub force: bool,
}
