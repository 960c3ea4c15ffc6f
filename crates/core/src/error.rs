//! The product-level error, and the one shape errors take at every boundary.
//!
//! The protocol crate says *what WeChat answered*; this type adds what the
//! desk knows: a ticket is missing, a force refresh is too soon, an action
//! needs confirmation, a record does not exist. At the CLI, HTTP and IPC
//! boundaries every error becomes one [`ErrorBody`] `{code, message, hint,
//! errcode?}`; the UI switches on `code`, never on message text, and the hint
//! comes from the error catalogue.

use serde::Serialize;
use wxdesk_wechat::catalogue;

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
    pub fn code(&self) -> &'static str {
        match self {
            Error::Wechat(e) => e.kind(),
            Error::Store(_) => "store",
            Error::Migration(_) => "migration",
            Error::Vault(v) => v.code(),
            Error::NotFound { .. } => "not_found",
            Error::AlreadyExists { .. } => "already_exists",
            Error::TicketUnavailable { .. } => "ticket_unavailable",
            Error::ForceRefused(_) => "force_refused",
            Error::NeedsConfirmation { .. } => "needs_confirmation",
            Error::Revoked(_) => "revoked",
            Error::Invalid { .. } => "invalid_input",
            Error::Io { .. } => "io",
            Error::Cancelled => "cancelled",
            Error::Team(t) => t.code(),
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
            Error::Wechat(_) => None,
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

    /// The catalogue's fix in Chinese, for WeChat's own errcodes only (the
    /// other hints are English and the UI translates them itself).
    pub fn hint_zh(&self) -> Option<String> {
        match self {
            Error::Wechat(wxdesk_wechat::Error::Api {
                errcode, errmsg, ..
            }) => Some(catalogue::explain(*errcode, Some(errmsg)).hint_zh),
            _ => None,
        }
    }

    /// The boundary shape of this error.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code().to_string(),
            message: self.to_string(),
            hint: self.hint(),
            hint_zh: self.hint_zh(),
            errcode: self.errcode(),
            rid: self.rid().map(str::to_string),
        }
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
    pub code: String,
    /// One clear sentence naming the field or cause.
    pub message: String,
    /// What to do about it (English; the CLI prints this one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint: Option<String>,
    /// The same fix in Chinese, for the zh-CN UI. Only WeChat's errcodes
    /// (the catalogue) have one.
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
