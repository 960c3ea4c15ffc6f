//! User sessions: `login`, `phone`, `checksession`.

use clap::{Args, Subcommand};

/// Arguments of `login`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LoginArgs {
    /// List stored sessions instead of logging in.
    #[command(subcommand)]
    pub command: Option<LoginCommand>,
    /// The mini program's AppID.
    #[arg(long)]
    pub appid: Option<String>,
    /// The code from wx.login (5 minutes, single use).
    #[arg(long)]
    pub code: Option<String>,
    /// Log in through this platform (sns/component/jscode2session).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// `wxdesk login …` subcommands.
#[derive(Debug, Subcommand)]
pub enum LoginCommand {
    /// Stored sessions, newest first (session keys masked).
    Sessions(SessionsArgs),
}

/// Arguments of `login sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// Only this mini program.
    #[arg(long)]
    pub appid: Option<String>,
}

/// Arguments of `phone`.
#[derive(Debug, Args)]
pub struct PhoneArgs {
    /// The mini program's AppID.
    #[arg(long)]
    pub appid: String,
    /// The code from the getPhoneNumber button (5 minutes, single use).
    #[arg(long)]
    pub code: String,
    /// Use this platform's authorizer token (default: the app's own token when its AppSecret is stored, else the authorizer token).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// Arguments of `checksession`.
#[derive(Debug, Args)]
pub struct ChecksessionArgs {
    /// The mini program's AppID.
    #[arg(long)]
    pub appid: String,
    /// The user's openid (its session must be stored by `wxdesk login`).
    #[arg(long)]
    pub openid: String,
    /// Use this platform's authorizer token (default: the app's own token when its AppSecret is stored, else the authorizer token).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}
