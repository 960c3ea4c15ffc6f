//! The product-level error, and the one shape errors take at every boundary.
//!
//! The protocol crate says *what WeChat answered*; this type adds what the
//! desk knows: a ticket is missing, a force refresh is too soon, an action
//! needs confirmation, a record does not exist. At the CLI, HTTP and IPC
//! boundaries every error becomes one [`ErrorBody`] `{code, message, hint?,
//! hint_zh?, errcode?}`; shells switch on `code` (an [`ErrorCode`]), never on
//! message text. Every hint lives here, once: the catalogue's for WeChat's
//! errcodes, and the desk's own for transport, crypto, vault and team
//! failures (the CLI has no hint table of its own).

mod code;

pub use code::ErrorCode;

use serde::Serialize;
use wxdesk_wechat::{catalogue, CryptoError};

/// Every failure of a desk operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A protocol-level failure (WeChat's answer, transport, crypto, bad input).
    #[error(transparent)]
    Wechat(#[from] wxdesk_wechat::Error),

    /// The database failed.
    #[error("database error: {0}")]
    Store(#[from] rusqlite::Error),

    /// A schema migration failed.
    #[error("database migration failed: {0}")]
    Migration(String),

    /// The vault could not encrypt or decrypt (wrong or missing key, corrupt record).
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),

    /// A record the operation needs does not exist.
    #[error("{what} {id} not found")]
    NotFound {
        /// What kind of record (`app`, `component`, `authorizer`, …).
        what: &'static str,
        /// Its key.
        id: String,
    },

    /// A record with this key already exists.
    #[error("{what} {id} already exists")]
    AlreadyExists {
        /// What kind of record.
        what: &'static str,
        /// Its key.
        id: String,
    },

    /// The component has no usable component_verify_ticket.
    #[error("{reason} for component {component}")]
    TicketUnavailable {
        /// The component appid.
        component: String,
        /// "no component_verify_ticket has been received" / "the newest ticket expired …".
        reason: String,
    },

    /// A force refresh was refused locally to protect WeChat's budget.
    #[error("{0}")]
    ForceRefused(String),

    /// The action can hurt production or delete data and was not confirmed.
    #[error("{action} needs confirmation: {risk}")]
    NeedsConfirmation {
        /// What was about to happen.
        action: String,
        /// Why it is risky.
        risk: String,
    },

    /// The authorizer revoked its authorization; its tokens cannot be refreshed.
    #[error("authorizer {0} has revoked its authorization")]
    Revoked(String),

    /// Bad input caught by the desk (the protocol crate reports its own as `Wechat(InvalidInput)`).
    #[error("{field}: {reason}")]
    Invalid {
        /// The field or flag at fault.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// A file could not be read or written.
    #[error("{path}: {reason}")]
    Io {
        /// The path involved.
        path: String,
        /// What went wrong.
        reason: String,
    },

    /// The long operation was cancelled by the user.
    #[error("cancelled")]
    Cancelled,

    /// Team mode: the shared Redis token store failed (names the key).
    #[error(transparent)]
    Team(#[from] crate::team::TeamError),
}

/// Convenience alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Bad input naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A missing record.
    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            id: id.into(),
        }
    }

    /// The stable code the UI and scripts switch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::Wechat(e) => ErrorCode::of_wechat(e),
            Error::Store(_) => ErrorCode::Store,
            Error::Migration(_) => ErrorCode::Migration,
            Error::Vault(v) => ErrorCode::of_vault(v),
            Error::NotFound { .. } => ErrorCode::NotFound,
            Error::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            Error::TicketUnavailable { .. } => ErrorCode::TicketUnavailable,
            Error::ForceRefused(_) => ErrorCode::ForceRefused,
            Error::NeedsConfirmation { .. } => ErrorCode::NeedsConfirmation,
            Error::Revoked(_) => ErrorCode::Revoked,
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::Io { .. } => ErrorCode::Io,
            Error::Cancelled => ErrorCode::Cancelled,
            Error::Team(t) => ErrorCode::of_team(t),
        }
    }

    /// The WeChat errcode, when the failure is WeChat's answer.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Error::Wechat(e) => e.errcode(),
            _ => None,
        }
    }

    /// The rid of WeChat's answer, when WeChat answered with an error.
    pub fn rid(&self) -> Option<&str> {
        match self {
            Error::Wechat(e) => e.rid(),
            _ => None,
        }
    }

    /// What to do about it, in one sentence or two.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Wechat(wxdesk_wechat::Error::Api { errcode, errmsg, .. }) => {
                Some(catalogue::explain(*errcode, Some(errmsg)).hint)
            }
            Error::Wechat(wxdesk_wechat::Error::Connect { .. }) => {
                Some("nothing reached WeChat: check the environment's API base and the network".into())
            }
            Error::Wechat(wxdesk_wechat::Error::Timeout { .. } | wxdesk_wechat::Error::Transport { .. }) => Some(
                "the request may have reached WeChat: check the result before repeating anything single-use".into(),
            ),
            Error::Wechat(wxdesk_wechat::Error::Http { .. } | wxdesk_wechat::Error::Decode { .. }) => {
                Some("the answer did not come from WeChat's API: check the API base and any proxy in between".into())
            }
            Error::Wechat(wxdesk_wechat::Error::Crypto(c)) => Some(crypto_hint(c).0.to_string()),
            Error::Wechat(wxdesk_wechat::Error::InvalidInput { .. }) => None,
            Error::Store(_) | Error::Migration(_) => Some(
                "check that the database file is writable and not used by an older wxdesk; a copy of the file is safe to send for diagnosis (secrets are encrypted)".into(),
            ),
            Error::Vault(v) => Some(v.hint()),
            Error::NotFound { what, .. } => Some(match *what {
                "app" | "component" => format!("list them with `wxdesk {what} list`, or add it first"),
                "authorizer" => "list them with `wxdesk authorizer list`; an account WeChat lists but this desk lacks arrives with `wxdesk authorizer sync --component C`, a new one with `wxdesk authorize`".into(),
                "session" => "log the user in first (`wxdesk login --appid A --code CODE`); `wxdesk login sessions` lists the stored ones".into(),
                "job" => "the job finished long ago or belongs to another window; start the operation again".into(),
                _ => "check the id; it may have been removed".into(),
            }),
            Error::AlreadyExists { what, .. } => Some(match *what {
                "app" | "component" => format!("use `wxdesk {what} update` to change it"),
                _ => "it is already there; change it instead of adding it again".into(),
            }),
            Error::TicketUnavailable { component, .. } => Some(format!(
                "WeChat pushes a ticket every 10 minutes to your authorization-event URL. Restart the pushes with `wxdesk component ticket start-push {component}`, or paste the newest push with `wxdesk component ticket push {component} --query …`"
            )),
            Error::ForceRefused(_) => Some(
                "force refresh invalidates the token your servers hold; WeChat allows 20 a day, 30 s apart. Use the normal (stable) mode unless the token leaked".into(),
            ),
            Error::NeedsConfirmation { .. } => Some("run it on a terminal to be asked, or add --yes".into()),
            Error::Revoked(_) => Some("the merchant must authorize the platform again: send them a fresh authorization link".into()),
            Error::Invalid { .. } | Error::Io { .. } | Error::Cancelled => None,
            Error::Team(t) => t.hint(),
        }
    }

    /// The fix in Chinese: the catalogue's for WeChat's own errcodes, and the
    /// crypto hints (the other hints are English; the UI translates the ones
    /// it shows itself).
    pub fn hint_zh(&self) -> Option<String> {
        match self {
            Error::Wechat(wxdesk_wechat::Error::Api {
                errcode, errmsg, ..
            }) => Some(catalogue::explain(*errcode, Some(errmsg)).hint_zh),
            Error::Wechat(wxdesk_wechat::Error::Crypto(c)) => Some(crypto_hint(c).1.to_string()),
            _ => None,
        }
    }

    /// The boundary shape of this error.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
            hint: self.hint(),
            hint_zh: self.hint_zh(),
            errcode: self.errcode(),
            rid: self.rid().map(str::to_string),
        }
    }
}

/// What to do about a cryptographic failure (the decrypt and push tools),
/// in English and in Chinese.
fn crypto_hint(e: &CryptoError) -> (&'static str, &'static str) {
    match e {
        CryptoError::Padding => (
            "use the session_key of the login that produced this data: a newer wx.login rotates it",
            "请使用产生这段数据的那次登录的 session_key：新的 wx.login 会更换它",
        ),
        CryptoError::WatermarkMismatch { .. } => (
            "the data belongs to another mini program: check the AppID given and which app the client runs",
            "这段数据属于另一个小程序：请核对填写的 AppID 以及客户端运行的是哪个小程序",
        ),
        CryptoError::SignatureMismatch => (
            "check the message token, and that timestamp, nonce and msg_signature come from the same push",
            "请核对消息校验 Token，并确认 timestamp、nonce 与 msg_signature 来自同一条推送",
        ),
        CryptoError::AppidMismatch { .. } => (
            "give the third-party platform's AppID (the component appid)",
            "请填写第三方平台的 AppID（component appid）",
        ),
        CryptoError::Base64 { .. } => (
            "paste the value exactly as received; wxdesk repairs spaces and URL-encoding but not other damage",
            "请原样粘贴收到的值；wxdesk 能修复空格和 URL 编码，但无法修复其他损坏",
        ),
        CryptoError::Length { .. } | CryptoError::BlockLength { .. } => (
            "check that the key, IV and data were copied whole: an EncodingAESKey has 43 characters, a session_key and an IV 24",
            "请确认密钥、IV 和数据复制完整：EncodingAESKey 为 43 个字符，session_key 和 IV 为 24 个字符",
        ),
        CryptoError::Plaintext { .. } | CryptoError::Frame(_) => (
            "the key decrypts but the content is not what WeChat writes: check that the key belongs to this app",
            "能解密但内容不是微信写入的格式：请确认密钥属于这个应用",
        ),
        CryptoError::Xml(_) => (
            "paste the whole push body as received, including the <xml> element",
            "请粘贴完整的推送内容（包括 <xml> 元素）",
        ),
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Error::Migration(e.to_string())
    }
}

/// The one serializable error that crosses the CLI, HTTP and IPC boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ErrorBody {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// One clear sentence naming the field or cause.
    pub message: String,
    /// What to do about it (English; the CLI prints this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<String>,
    /// The same fix in Chinese, for the zh-CN UI: WeChat's errcodes (the
    /// catalogue) and the crypto failures have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint_zh: Option<String>,
    /// WeChat's errcode, when WeChat answered with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub errcode: Option<i64>,
    /// The rid of WeChat's error answer, for `rid_lookup`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub rid: Option<String>,
}

impl ErrorBody {
    /// A failure of `code` with its message only: no hint, no errcode, no rid
    /// (a shell's own failures, and failures the desk detects itself).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
            hint: None,
            hint_zh: None,
            errcode: None,
            rid: None,
        }
    }
}
