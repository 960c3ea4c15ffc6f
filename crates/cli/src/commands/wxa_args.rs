//! The command line of code management: `template`, `code`, `tester`,
//! `domain`, `privacy`, `audit` and `release`. Scripts depend on these flags
//! (issue 10), so they are kept exactly: every mini-program command takes
//! `--authorizer A [--component C]`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// The mini program a command acts on.
#[derive(Debug, Clone, Args)]
pub struct Target {
    /// The authorized mini program's AppID.
    #[arg(long, value_name = "APPID")]
    pub authorizer: String,
    /// Its platform, when it authorized several.
    #[arg(long, value_name = "COMPONENT_APPID")]
    pub component: Option<String>,
}

/// `--component C` of the platform's own commands.
#[derive(Debug, Clone, Args)]
pub struct Platform {
    /// The platform's component AppID.
    #[arg(long, value_name = "COMPONENT_APPID")]
    pub component: String,
}

/// `wxdesk template …`
#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// Drafts uploaded from DevTools.
    Drafts(Platform),
    /// The platform's template library.
    List(Platform),
    /// Turn a draft into a template.
    Add(TemplateAddArgs),
    /// Delete a template.
    Delete(TemplateDeleteArgs),
}

/// `template add`.
#[derive(Debug, Args)]
pub struct TemplateAddArgs {
    #[command(flatten)]
    pub platform: Platform,
    /// The draft id (from `template drafts`).
    #[arg(long)]
    pub draft_id: i64,
    /// 0 normal (default), 1 standard.
    #[arg(long = "type", value_parser = clap::value_parser!(i64).range(0..=1))]
    pub template_type: Option<i64>,
}

/// `template delete`.
#[derive(Debug, Args)]
pub struct TemplateDeleteArgs {
    #[command(flatten)]
    pub platform: Platform,
    /// The template id (from `template list`).
    #[arg(long)]
    pub template_id: i64,
}

/// `wxdesk code …`
#[derive(Debug, Subcommand)]
pub enum CodeCommand {
    /// Commit a template as the experience version.
    // `--version` is the version committed here, not wxdesk's own.
    #[command(disable_version_flag = true)]
    Commit(CodeCommitArgs),
    /// Save the experience QR code as a PNG.
    Qr(CodeQrArgs),
    /// The pages of the committed code.
    Pages(Target),
    /// The categories an audit item may use.
    Categories(Target),
}

/// `code commit`.
#[derive(Debug, Args)]
pub struct CodeCommitArgs {
    #[command(flatten)]
    pub target: Target,
    /// Template id of the platform's library.
    #[arg(long)]
    pub template_id: i64,
    /// Version string, e.g. 1.0.3.
    #[arg(long = "version", id = "user_version", value_name = "V")]
    pub user_version: String,
    /// Version description.
    #[arg(long, default_value = "")]
    pub desc: String,
    /// ext.json file; {{appid}} and {{nickname}} are replaced for the merchant.
    #[arg(long, value_name = "FILE")]
    pub ext_json: Option<PathBuf>,
}

/// `code qr`.
#[derive(Debug, Args)]
pub struct CodeQrArgs {
    #[command(flatten)]
    pub target: Target,
    /// Where to write the PNG.
    #[arg(long, value_name = "FILE.png")]
    pub out: PathBuf,
    /// Page to open, e.g. pages/index/index?x=1.
    #[arg(long)]
    pub path: Option<String>,
}

/// `wxdesk tester …`
#[derive(Debug, Subcommand)]
pub enum TesterCommand {
    /// Bind a tester by WeChat id.
    Bind(TesterArgs),
    /// Unbind a tester.
    Unbind(TesterArgs),
    /// The bound testers.
    List(Target),
}

/// `tester bind|unbind`.
#[derive(Debug, Args)]
pub struct TesterArgs {
    #[command(flatten)]
    pub target: Target,
    /// The tester's WeChat id (微信号).
    #[arg(long)]
    pub wechat_id: String,
}

/// `wxdesk domain …`
#[derive(Debug, Subcommand)]
pub enum DomainCommand {
    /// The server domains.
    Get(Target),
    /// Replace the server domains.
    Set(DomainSetArgs),
    /// Replace the web-view (business) domains.
    Webview(WebviewArgs),
    /// The platform's own domain lists (a merchant's domains must be on them first).
    Platform(PlatformDomainArgs),
}

/// What `domain platform` does with the platform's list.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PlatformDomainAction {
    /// Print the lists.
    Get,
    /// Add the given domains.
    Add,
    /// Remove the given domains.
    Delete,
    /// Replace the list with the given domains.
    Set,
}

/// `domain platform get|add|delete|set`.
#[derive(Debug, Args)]
pub struct PlatformDomainArgs {
    /// get, add, delete or set.
    #[arg(value_enum)]
    pub action: PlatformDomainAction,
    #[command(flatten)]
    pub platform: Platform,
    /// The business (jump / web-view) list instead of the server list.
    #[arg(long)]
    pub jump: bool,
    /// A bare domain, e.g. api.example.com (repeat for several).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domain: Vec<String>,
    /// Also change the released platform's list, not only the testing one.
    #[arg(long)]
    pub published_too: bool,
}

/// `domain set`.
#[derive(Debug, Args)]
pub struct DomainSetArgs {
    #[command(flatten)]
    pub target: Target,
    /// https:// request domain (repeat for several).
    #[arg(long = "request", value_name = "URL")]
    pub request: Vec<String>,
    /// wss:// socket domain.
    #[arg(long = "socket", value_name = "URL")]
    pub socket: Vec<String>,
    /// https:// upload domain.
    #[arg(long = "upload", value_name = "URL")]
    pub upload: Vec<String>,
    /// https:// download domain.
    #[arg(long = "download", value_name = "URL")]
    pub download: Vec<String>,
    /// Set directly (domains need not be on the platform's list).
    #[arg(long)]
    pub directly: bool,
}

/// `domain webview`.
#[derive(Debug, Args)]
pub struct WebviewArgs {
    #[command(flatten)]
    pub target: Target,
    /// https:// business domain (repeat for several).
    #[arg(long = "url", value_name = "URL", required = true)]
    pub url: Vec<String>,
    /// Set directly (the verification file must be on the domain).
    #[arg(long)]
    pub directly: bool,
}

/// `wxdesk privacy …`
#[derive(Debug, Subcommand)]
pub enum PrivacyCommand {
    /// The privacy guide, and the keys the code uses without declaring them.
    Get(Target),
    /// Set the privacy guide from a JSON file (setprivacysetting's body).
    Set(PrivacySetArgs),
}

/// `privacy set`.
#[derive(Debug, Args)]
pub struct PrivacySetArgs {
    #[command(flatten)]
    pub target: Target,
    /// The guide: {"owner_setting":{…},"setting_list":[…]}.
    #[arg(long, value_name = "FILE.json")]
    pub file: PathBuf,
}

/// `wxdesk audit …`
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// What will make the audit fail, with the fixes.
    Check(Target),
    /// Submit the experience version; prints the auditid.
    Submit(AuditSubmitArgs),
    /// The latest audit: auditid, status, reason.
    Status(Target),
    /// Withdraw the audit in progress (1 a day, 10 a month; asks for confirmation).
    Undo(Target),
    /// Ask for a faster audit.
    Speedup(Target),
    /// Submissions and speed-ups left this month.
    Quota(Target),
}

/// `audit submit`.
#[derive(Debug, Args)]
pub struct AuditSubmitArgs {
    #[command(flatten)]
    pub target: Target,
    /// Audit items: a JSON array of {address, tag, first_class, second_class, first_id, second_id, title}.
    #[arg(long, value_name = "FILE.json")]
    pub items: Option<PathBuf>,
    /// Feedback for the reviewer (≤ 200 characters).
    #[arg(long)]
    pub feedback: Option<String>,
    /// Declare that no privacy interface is used.
    #[arg(long)]
    pub privacy_api_not_use: bool,
    /// Order-centre page path.
    #[arg(long)]
    pub order_path: Option<String>,
    /// Take the audit items, feedback, privacy_api_not_use and order path a flag does not give from this release profile.
    #[arg(long)]
    pub profile: Option<String>,
}

/// `wxdesk release …`
#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Release the audited version (asks for confirmation).
    Publish(Target),
    /// Roll back to the previous version (asks for confirmation).
    Revert(Target),
    /// The experience and released versions.
    Status(Target),
    /// Phased release to a share of users (asks for confirmation).
    Gray(GrayArgs),
    /// The phased release's plan: status, share of users, since when.
    GrayPlan(Target),
    /// Cancel the phased release (asks for confirmation).
    GrayRevert(Target),
    /// Open or close the mini program to users (closing asks for confirmation).
    Visit(VisitArgs),
}

/// `release gray`.
#[derive(Debug, Args)]
pub struct GrayArgs {
    #[command(flatten)]
    pub target: Target,
    /// Share of users, 1–100.
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=100))]
    pub percent: i64,
}

/// `open` or `close`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Visit {
    /// Users can open it.
    Open,
    /// Users cannot open it (暂停服务).
    Close,
}

/// `release visit`.
#[derive(Debug, Args)]
pub struct VisitArgs {
    #[command(flatten)]
    pub target: Target,
    /// open or close.
    #[arg(value_enum)]
    pub status: Visit,
}
