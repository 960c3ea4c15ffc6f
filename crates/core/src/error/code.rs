//! The stable error codes, as one enum.
//!
//! `ErrorBody.code` used to be a free string, so a new code could reach the UI
//! or a script without anyone handling it. Every shell now switches on
//! [`ErrorCode`] (the server's HTTP status, the UI's error display via the
//! generated TypeScript union, the i18n completeness test), and the protocol,
//! crypto, vault and team errors are mapped into it exhaustively here.

use serde::Serialize;
use wxdesk_wechat::CryptoError;

/// Every stable error code, as scripts and the UI see it (`ErrorBody.code`).
///
/// The wire strings are the snake_case variant names. Shells switch on this
/// enum (the server's HTTP status, the UI's error display): adding a variant
/// breaks the build wherever it is not handled yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// WeChat answered with an errcode.
    Api,
    /// Nothing reached WeChat (DNS, refused connection, TLS).
    Connect,
    /// WeChat did not answer in time.
    Timeout,
    /// The connection broke after the request was sent.
    Transport,
    /// A non-2xx HTTP status, from a gateway rather than WeChat's API.
    Http,
    /// The answer was not the JSON WeChat sends.
    Decode,
    /// Bad input: names the field and the fix.
    InvalidInput,
    /// A value that should be base64 is not.
    InvalidBase64,
    /// A key, IV or block has the wrong length.
    InvalidLength,
    /// Decryption failed (wrong key, corrupt data).
    DecryptFailed,
    /// The decrypted data belongs to another mini program.
    WatermarkMismatch,
    /// A push's signature does not match.
    SignatureMismatch,
    /// A push was encrypted for another AppID.
    AppidMismatch,
    /// A push is not valid XML.
    InvalidXml,
    /// The database failed.
    Store,
    /// A schema migration failed.
    Migration,
    /// The vault key is not here.
    VaultKeyMissing,
    /// The vault key file is not a key.
    VaultKeyInvalid,
    /// The vault key does not match the database.
    VaultWrongKey,
    /// A stored secret is not a wxdesk envelope.
    VaultMalformed,
    /// The vault key could not be stored.
    VaultKeyStore,
    /// A record does not exist.
    NotFound,
    /// A record already exists.
    AlreadyExists,
    /// No usable component_verify_ticket.
    TicketUnavailable,
    /// A force refresh was refused locally.
    ForceRefused,
    /// A risky action was not confirmed.
    NeedsConfirmation,
    /// The authorizer revoked its authorization.
    Revoked,
    /// A file could not be read or written.
    Io,
    /// The user cancelled.
    Cancelled,
    /// Team mode: Redis is unreachable.
    TeamUnreachable,
    /// Team mode: a Redis command failed.
    TeamCommand,
    /// Team mode: the key the production server writes is absent.
    TeamMissingKey,
    /// Team mode: the key holds another format.
    TeamUnreadable,
    /// Team mode: the layout has no key for this kind of account.
    TeamNoSuchKey,
    /// Team mode: the binding is read-only.
    TeamReadOnly,
    /// Team mode: a write carried an older generation.
    TeamStaleGeneration,
    /// Team mode: the refresh lock is held elsewhere.
    TeamLocked,
    /// Browser mode: no valid access token.
    Unauthorized,
    /// Browser mode: the Host header is not the server's own.
    ForbiddenHost,
    /// Browser mode: a cross-origin request.
    ForbiddenOrigin,
    /// Browser mode: the operation only runs in the desktop app.
    DesktopOnly,
    /// A shell failed in a way that is a bug (a panicked task, a result that
    /// could not be serialized).
    Internal,
    /// CLI: the command line is wrong.
    Usage,
    /// CLI: a required flag is missing.
    MissingArgument,
    /// CLI: the async runtime could not start.
    Runtime,
}

impl ErrorCode {
    /// Every code, in declaration order (for tests and documentation).
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Api,
        ErrorCode::Connect,
        ErrorCode::Timeout,
        ErrorCode::Transport,
        ErrorCode::Http,
        ErrorCode::Decode,
        ErrorCode::InvalidInput,
        ErrorCode::InvalidBase64,
        ErrorCode::InvalidLength,
        ErrorCode::DecryptFailed,
        ErrorCode::WatermarkMismatch,
        ErrorCode::SignatureMismatch,
        ErrorCode::AppidMismatch,
        ErrorCode::InvalidXml,
        ErrorCode::Store,
        ErrorCode::Migration,
        ErrorCode::VaultKeyMissing,
        ErrorCode::VaultKeyInvalid,
        ErrorCode::VaultWrongKey,
        ErrorCode::VaultMalformed,
        ErrorCode::VaultKeyStore,
        ErrorCode::NotFound,
        ErrorCode::AlreadyExists,
        ErrorCode::TicketUnavailable,
        ErrorCode::ForceRefused,
        ErrorCode::NeedsConfirmation,
        ErrorCode::Revoked,
        ErrorCode::Io,
        ErrorCode::Cancelled,
        ErrorCode::TeamUnreachable,
        ErrorCode::TeamCommand,
        ErrorCode::TeamMissingKey,
        ErrorCode::TeamUnreadable,
        ErrorCode::TeamNoSuchKey,
        ErrorCode::TeamReadOnly,
        ErrorCode::TeamStaleGeneration,
        ErrorCode::TeamLocked,
        ErrorCode::Unauthorized,
        ErrorCode::ForbiddenHost,
        ErrorCode::ForbiddenOrigin,
        ErrorCode::DesktopOnly,
        ErrorCode::Internal,
        ErrorCode::Usage,
        ErrorCode::MissingArgument,
        ErrorCode::Runtime,
    ];

    /// The wire string (`"invalid_input"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Api => "api",
            ErrorCode::Connect => "connect",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Transport => "transport",
            ErrorCode::Http => "http",
            ErrorCode::Decode => "decode",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::InvalidBase64 => "invalid_base64",
            ErrorCode::InvalidLength => "invalid_length",
            ErrorCode::DecryptFailed => "decrypt_failed",
            ErrorCode::WatermarkMismatch => "watermark_mismatch",
            ErrorCode::SignatureMismatch => "signature_mismatch",
            ErrorCode::AppidMismatch => "appid_mismatch",
            ErrorCode::InvalidXml => "invalid_xml",
            ErrorCode::Store => "store",
            ErrorCode::Migration => "migration",
            ErrorCode::VaultKeyMissing => "vault_key_missing",
            ErrorCode::VaultKeyInvalid => "vault_key_invalid",
            ErrorCode::VaultWrongKey => "vault_wrong_key",
            ErrorCode::VaultMalformed => "vault_malformed",
            ErrorCode::VaultKeyStore => "vault_key_store",
            ErrorCode::NotFound => "not_found",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::TicketUnavailable => "ticket_unavailable",
            ErrorCode::ForceRefused => "force_refused",
            ErrorCode::NeedsConfirmation => "needs_confirmation",
            ErrorCode::Revoked => "revoked",
            ErrorCode::Io => "io",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::TeamUnreachable => "team_unreachable",
            ErrorCode::TeamCommand => "team_command",
            ErrorCode::TeamMissingKey => "team_missing_key",
            ErrorCode::TeamUnreadable => "team_unreadable",
            ErrorCode::TeamNoSuchKey => "team_no_such_key",
            ErrorCode::TeamReadOnly => "team_read_only",
            ErrorCode::TeamStaleGeneration => "team_stale_generation",
            ErrorCode::TeamLocked => "team_locked",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::ForbiddenHost => "forbidden_host",
            ErrorCode::ForbiddenOrigin => "forbidden_origin",
            ErrorCode::DesktopOnly => "desktop_only",
            ErrorCode::Internal => "internal",
            ErrorCode::Usage => "usage",
            ErrorCode::MissingArgument => "missing_argument",
            ErrorCode::Runtime => "runtime",
        }
    }

    /// The code of a protocol failure (exhaustive: a new protocol error
    /// variant must be given a code here).
    pub fn of_wechat(e: &wxdesk_wechat::Error) -> ErrorCode {
        use wxdesk_wechat::Error as W;
        match e {
            W::Api { .. } => ErrorCode::Api,
            W::Connect { .. } => ErrorCode::Connect,
            W::Timeout { .. } => ErrorCode::Timeout,
            W::Transport { .. } => ErrorCode::Transport,
            W::Http { .. } => ErrorCode::Http,
            W::Decode { .. } => ErrorCode::Decode,
            W::InvalidInput { .. } => ErrorCode::InvalidInput,
            W::Crypto(c) => ErrorCode::of_crypto(c),
        }
    }

    /// The code of a cryptographic failure.
    pub fn of_crypto(e: &CryptoError) -> ErrorCode {
        match e {
            CryptoError::Base64 { .. } => ErrorCode::InvalidBase64,
            CryptoError::Length { .. } | CryptoError::BlockLength { .. } => {
                ErrorCode::InvalidLength
            }
            CryptoError::Padding | CryptoError::Plaintext { .. } | CryptoError::Frame(_) => {
                ErrorCode::DecryptFailed
            }
            CryptoError::WatermarkMismatch { .. } => ErrorCode::WatermarkMismatch,
            CryptoError::SignatureMismatch => ErrorCode::SignatureMismatch,
            CryptoError::AppidMismatch { .. } => ErrorCode::AppidMismatch,
            CryptoError::Xml(_) => ErrorCode::InvalidXml,
        }
    }

    /// The code of a vault failure.
    pub fn of_vault(e: &crate::vault::VaultError) -> ErrorCode {
        use crate::vault::VaultError as V;
        match e {
            V::KeyMissing(_) => ErrorCode::VaultKeyMissing,
            V::KeyInvalid { .. } => ErrorCode::VaultKeyInvalid,
            V::WrongKey { .. } => ErrorCode::VaultWrongKey,
            V::Malformed { .. } => ErrorCode::VaultMalformed,
            V::KeyStore(_) => ErrorCode::VaultKeyStore,
        }
    }

    /// The code of a team-mode (Redis) failure.
    pub fn of_team(e: &crate::team::TeamError) -> ErrorCode {
        use crate::team::TeamError as T;
        match e {
            T::BadUrl(_) => ErrorCode::InvalidInput,
            T::Unreachable { .. } => ErrorCode::TeamUnreachable,
            T::Command { .. } => ErrorCode::TeamCommand,
            T::Missing { .. } => ErrorCode::TeamMissingKey,
            T::Unreadable { .. } => ErrorCode::TeamUnreadable,
            T::NoSuchKey(_) => ErrorCode::TeamNoSuchKey,
            T::ReadOnly { .. } => ErrorCode::TeamReadOnly,
            T::StaleGeneration { .. } => ErrorCode::TeamStaleGeneration,
            T::Locked { .. } => ErrorCode::TeamLocked,
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets tests and callers compare with the wire string: `err.code() == "not_found"`.
impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<ErrorCode> for &str {
    fn eq(&self, other: &ErrorCode) -> bool {
        *self == other.as_str()
    }
}
