//! Stateless tools: `decrypt`, `encrypt`, `sign`, `link`, `qr`, `errcode`, `sandbox`.
//!
//! These need no stored account (except the optional desk lookups of `link`).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand, ValueEnum};

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
