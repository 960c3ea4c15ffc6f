//! The command-line grammar.
//!
//! Flag names are a public interface (scripts depend on them), so they follow
//! WeChat's own field names where one exists. Global options are declared
//! `global = true`, so they may stand anywhere on the command line.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

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

/// `wxdesk decrypt …`
#[derive(Debug, Subcommand)]
pub enum DecryptCommand {
    /// Decrypt encryptedData with a session_key and iv (AES-128-CBC), checking the watermark.
    Data(DecryptDataArgs),
    /// Verify and decrypt a push to the authorization-event URL (reads the XML body from stdin by default).
    Push(DecryptPushArgs),
}

/// Arguments of `decrypt data`: with `--session-key` (stateless), or with
/// `--appid` and `--openid` (the session key stored by `wxdesk login`).
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key_source").required(true).args(["session_key", "openid"])))]
pub struct DecryptDataArgs {
    /// The session_key from jscode2session (base64).
    #[arg(long)]
    pub session_key: Option<String>,
    /// The user whose stored session_key decrypts the data (needs --appid).
    #[arg(long, requires = "appid")]
    pub openid: Option<String>,
    /// The iv returned with encryptedData (base64).
    #[arg(long)]
    pub iv: String,
    /// The encryptedData (base64; spaces-for-plus and URL-encoding are repaired).
    #[arg(long)]
    pub data: String,
    /// The mini program: expected watermark appid with --session-key (a mismatch is an
    /// error of kind watermark_mismatch), or whose stored session to use with --openid.
    #[arg(long)]
    pub appid: Option<String>,
}

/// Arguments of `decrypt push`.
#[derive(Debug, Args)]
pub struct DecryptPushArgs {
    /// The message token configured on the platform.
    #[arg(long)]
    pub token: String,
    /// The 43-character EncodingAESKey.
    #[arg(long)]
    pub aes_key: String,
    /// The third-party platform's AppID (the appid the push is encrypted for).
    #[arg(long)]
    pub appid: String,
    /// The push's query string or whole URL (replaces --timestamp, --nonce and --msg-signature).
    #[arg(long, conflicts_with_all = ["timestamp", "nonce", "msg_signature"])]
    pub query: Option<String>,
    /// The timestamp query parameter.
    #[arg(long, required_unless_present = "query")]
    pub timestamp: Option<String>,
    /// The nonce query parameter.
    #[arg(long, required_unless_present = "query")]
    pub nonce: Option<String>,
    /// The msg_signature query parameter.
    #[arg(long, required_unless_present = "query")]
    pub msg_signature: Option<String>,
    /// File holding the pushed XML body (default: stdin).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
}

/// `wxdesk encrypt …`
#[derive(Debug, Subcommand)]
pub enum EncryptCommand {
    /// Encrypt a message as a push (reads the message from stdin by default).
    Push(EncryptPushArgs),
}

/// Arguments of `encrypt push`.
#[derive(Debug, Args)]
pub struct EncryptPushArgs {
    /// The message token.
    #[arg(long)]
    pub token: String,
    /// The 43-character EncodingAESKey.
    #[arg(long)]
    pub aes_key: String,
    /// The appid appended to the message (the component appid for platform pushes).
    #[arg(long)]
    pub appid: String,
    /// Timestamp to sign with.
    #[arg(long)]
    pub timestamp: String,
    /// Nonce to sign with.
    #[arg(long)]
    pub nonce: String,
    /// Fixed 16-character random prefix, for reproducible output (default: random).
    #[arg(long, value_name = "R16")]
    pub random: Option<String>,
    /// File holding the message (default: stdin).
    #[arg(long, value_name = "FILE")]
    pub body: Option<PathBuf>,
}

/// `wxdesk sign …`
#[derive(Debug, Subcommand)]
pub enum SignCommand {
    /// sha1(rawData + session_key), lowercase hex.
    RawData(SignRawDataArgs),
    /// HMAC-SHA256 keyed with the session_key text, lowercase hex (empty message = wxa/checksession signature).
    Session(SignSessionArgs),
}

/// Arguments of `sign raw-data`.
#[derive(Debug, Args)]
pub struct SignRawDataArgs {
    /// The session_key.
    #[arg(long)]
    pub session_key: String,
    /// The rawData string exactly as the client sent it.
    #[arg(long)]
    pub raw_data: String,
}

/// Arguments of `sign session`.
#[derive(Debug, Args)]
pub struct SignSessionArgs {
    /// The session_key.
    #[arg(long)]
    pub session_key: String,
    /// Message to sign (default: the empty string).
    #[arg(long, default_value = "")]
    pub message: String,
}

/// `wxdesk link …`
#[derive(Debug, Subcommand)]
pub enum LinkCommand {
    /// PC authorization page (merchant scans a QR on mp.weixin.qq.com).
    Pc(AuthLinkArgs),
    /// H5 authorization page (opened inside WeChat).
    H5(AuthLinkArgs),
    /// Fast registration of a mini program reusing an Official Account's qualification.
    Fastregister(FastRegisterLinkArgs),
}

/// Arguments of `link pc|h5`.
///
/// With `--component-appid`, `--pre-auth-code` and `--redirect-uri` the link
/// is only built (nothing is read or called). With `--component` (or without a
/// pre_auth_code) the platform is read from the desk and a fresh
/// pre_auth_code is fetched for this link.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("platform").required(true).args(["component", "component_appid"])))]
pub struct AuthLinkArgs {
    /// A platform stored in the desk (fetches a fresh pre_auth_code).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
    /// The third-party platform's AppID (stateless form, with --pre-auth-code).
    #[arg(long)]
    pub component_appid: Option<String>,
    /// A pre_auth_code obtained elsewhere (one per link); fetched when omitted.
    #[arg(long)]
    pub pre_auth_code: Option<String>,
    /// Where WeChat sends the merchant back (default: the platform's stored redirect URI).
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// 1 OA, 2 mini program, 3 both, 4 promoter, 5 Channels, 6 all, 8 sales assistant (default 3).
    #[arg(long)]
    pub auth_type: Option<u8>,
    /// Restrict to exactly this account.
    #[arg(long)]
    pub biz_appid: Option<String>,
    /// Permission-set ids to offer, comma-separated (e.g. 1,2,18).
    #[arg(long, value_delimiter = ',')]
    pub category_ids: Vec<u32>,
    /// Also write the link as a QR code (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub qr: Option<PathBuf>,
}

/// Arguments of `link fastregister`.
///
/// With `--component-appid` and `--redirect-uri` the link is only built; with
/// `--component` the desk checks that the Official Account is an active
/// authorizer of the platform and defaults the redirect URI.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("platform").required(true).args(["component", "component_appid"])))]
pub struct FastRegisterLinkArgs {
    /// A platform stored in the desk.
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
    /// The third-party platform's AppID (stateless form, with --redirect-uri).
    #[arg(long)]
    pub component_appid: Option<String>,
    /// The Official Account whose qualification is reused.
    #[arg(long)]
    pub appid: String,
    /// Where WeChat sends the admin back with a ticket (default: the platform's stored one).
    #[arg(long)]
    pub redirect_uri: Option<String>,
    /// 1 to also reuse the OA's WeChat verification.
    #[arg(long, default_value = "1", value_parser = ["0", "1"])]
    pub copy_wx_verify: String,
    /// Also write the link as a QR code (.png or .svg).
    #[arg(long, value_name = "FILE")]
    pub qr: Option<PathBuf>,
}

/// Error-correction level names on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EcArg {
    /// ~7% recovery.
    L,
    /// ~15% recovery.
    M,
    /// ~25% recovery.
    Q,
    /// ~30% recovery.
    H,
}

/// Arguments of `qr`.
#[derive(Debug, Args)]
pub struct QrArgs {
    /// The text to encode.
    #[arg(long)]
    pub text: String,
    /// Output file; .png or .svg.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Image width in pixels.
    #[arg(long, default_value_t = 512)]
    pub size: u32,
    /// Quiet zone, in modules.
    #[arg(long, default_value_t = 4)]
    pub margin: u32,
    /// Error-correction level.
    #[arg(long, value_enum, default_value = "m")]
    pub ec: EcArg,
}

/// Arguments of `errcode`.
#[derive(Debug, Args)]
pub struct ErrcodeArgs {
    /// The errcode (e.g. 40001, -1).
    #[arg(allow_negative_numbers = true)]
    pub code: i64,
    /// The errmsg WeChat sent, to extract details such as the caller IP.
    #[arg(long)]
    pub errmsg: Option<String>,
}

/// Arguments of `sandbox`.
#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (default: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Do not seed the demo mini program and platform.
    #[arg(long)]
    pub no_demo: bool,
}

/// `wxdesk app …`
#[derive(Debug, Subcommand)]
pub enum AppCommand {
    /// Save a mini program with its AppSecret.
    Add(AppAddArgs),
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
    /// Only calls acting for this appid.
    #[arg(long)]
    pub account: Option<String>,
    /// Only this endpoint (e.g. cgi-bin/stable_token).
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
