//! Registering mini programs for merchants: `fastregister` and its subcommands.

use std::path::PathBuf;

use clap::{Args, Subcommand};

/// `wxdesk fastregister …`
#[derive(Debug, Subcommand)]
pub enum FastregisterCommand {
    /// Enterprise registration (legal-person face verification).
    #[command(subcommand)]
    Enterprise(EnterpriseCommand),
    /// Personal mini program.
    #[command(subcommand)]
    Personal(PersonalCommand),
    /// Trial ("beta") mini program.
    #[command(subcommand)]
    Beta(BetaCommand),
    /// Register with an Official Account's qualification (ticket from the fastregisterauth page).
    Offiaccount(OffiaccountArgs),
    /// Stored registration tasks, newest first.
    Tasks(TasksArgs),
}

/// `fastregister enterprise …`
#[derive(Debug, Subcommand)]
pub enum EnterpriseCommand {
    /// Start a registration.
    Create(EnterpriseCreateArgs),
    /// Ask WeChat for the state of a registration.
    Search(EnterpriseSearchArgs),
}

/// Arguments of `fastregister enterprise create`.
#[derive(Debug, Args)]
pub struct EnterpriseCreateArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// Enterprise name exactly as registered.
    #[arg(long)]
    pub name: String,
    /// Enterprise code.
    #[arg(long)]
    pub code: String,
    /// 1 unified social credit code (18), 2 organization code (9), 3 business licence number (15).
    #[arg(long, default_value_t = 1)]
    pub code_type: u8,
    /// Legal person's WeChat ID.
    #[arg(long)]
    pub legal_persona_wechat: String,
    /// Legal person's name.
    #[arg(long)]
    pub legal_persona_name: String,
    /// Platform contact phone.
    #[arg(long)]
    pub component_phone: Option<String>,
}

/// Arguments of `fastregister enterprise search`.
#[derive(Debug, Args)]
pub struct EnterpriseSearchArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// Enterprise name.
    #[arg(long)]
    pub name: String,
    /// Legal person's WeChat ID.
    #[arg(long)]
    pub legal_persona_wechat: String,
    /// Legal person's name.
    #[arg(long)]
    pub legal_persona_name: String,
}

/// `fastregister personal …`
#[derive(Debug, Subcommand)]
pub enum PersonalCommand {
    /// Start a registration; prints the link the individual opens in WeChat.
    Create(PersonalCreateArgs),
    /// Ask WeChat for the state of a task.
    Query(PersonalQueryArgs),
}

/// Arguments of `fastregister personal create`.
#[derive(Debug, Args)]
pub struct PersonalCreateArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// The individual's name.
    #[arg(long)]
    pub idname: String,
    /// The individual's WeChat ID.
    #[arg(long)]
    pub wxuser: String,
    /// Platform contact phone.
    #[arg(long)]
    pub component_phone: Option<String>,
    /// Also write the authorize URL as a QR code (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub qr: Option<PathBuf>,
}

/// Arguments of `fastregister personal query`.
#[derive(Debug, Args)]
pub struct PersonalQueryArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// The taskid returned by `create`.
    #[arg(long)]
    pub taskid: String,
    /// Also write the authorize URL as a QR code (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub qr: Option<PathBuf>,
}

/// `fastregister beta …`
#[derive(Debug, Subcommand)]
pub enum BetaCommand {
    /// Request a trial mini program; prints the link its admin opens in WeChat.
    Create(BetaCreateArgs),
}

/// Arguments of `fastregister beta create`.
#[derive(Debug, Args)]
pub struct BetaCreateArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// Mini program name (4-30 characters).
    #[arg(long)]
    pub name: String,
    /// openid of the WeChat user who becomes its administrator.
    #[arg(long)]
    pub openid: String,
    /// Also write the authorize URL as a QR code (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub qr: Option<PathBuf>,
}

/// Arguments of `fastregister offiaccount`.
#[derive(Debug, Args)]
pub struct OffiaccountArgs {
    /// The platform's AppID.
    #[arg(long, value_name = "C")]
    pub component: String,
    /// The Official Account (an active authorizer of the platform).
    #[arg(long, value_name = "OA")]
    pub authorizer: String,
    /// The ticket from the fastregisterauth callback (or the whole callback URL).
    #[arg(long)]
    pub ticket: String,
}

/// Arguments of `fastregister tasks`.
#[derive(Debug, Args)]
pub struct TasksArgs {
    /// Only this platform.
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}
