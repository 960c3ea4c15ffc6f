//! Mini programs the operator holds AppSecrets for: add, list, show, update, remove.
//!
//! This is where an AppSecret enters wxdesk, so it is where bad input is
//! stopped: the AppID must look like an AppID, the secret like an AppSecret
//! (32 lowercase hex characters), and the error says where to copy the right
//! value from. Secrets are sealed by the vault before they reach the store and
//! views only ever show them masked. The view also says whether a token is
//! cached for the current environment and how many login sessions are kept,
//! read straight from their tables without decrypting anything.
//!
//! The small shared pieces of account input ([`Secret`], name and secret
//! checks, cached-token summaries) live here too; the components, import and
//! export services use them.

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use wxdesk_wechat::links::validate_appid;
use wxdesk_wechat::redact::mask;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::{apps, apps::AppRow};
use crate::vault::Sealed;

/// Where an operator copies a mini program's AppSecret from.
pub const APP_SECRET_SOURCE: &str =
    "copy it from mp.weixin.qq.com → 开发管理 → 开发设置 → AppSecret";

/// Longest display name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 64;

/// Token kinds (column `tokens.kind`) of a mini program's own access tokens.
pub const APP_TOKEN_KINDS: [&str; 2] = ["app_stable", "app_legacy"];

/// A secret passed in by the operator (AppSecret, message token,
/// EncodingAESKey, passphrase …).
///
/// It is wiped from memory when dropped and never shows in `Debug` output,
/// so an input struct can be logged without leaking. It (de)serializes as a
/// plain JSON string.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(Zeroizing::new(s.into()))
    }

    /// The secret text. Callers must not log it.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret::new(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret::new(s)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}

/// A new mini program.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppInput {
    /// AppID (`wx` + 16 hex digits).
    pub appid: String,
    /// AppSecret (32 lowercase hex characters).
    pub secret: Secret,
    /// Display name (≤ 64 characters; may be empty).
    #[serde(default)]
    pub name: String,
}

/// Changes to a stored mini program; `None` keeps the stored value.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AppChanges {
    /// A new AppSecret (after a reset on mp.weixin.qq.com).
    #[serde(default)]
    pub secret: Option<Secret>,
    /// A new display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A cached access token, described without its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TokenSummary {
    /// Which kind of token (`app_stable`, `app_legacy`, `component`, `authorizer`).
    pub kind: String,
    /// When it expires (Unix seconds).
    pub expires_at: i64,
    /// Seconds left (0 once expired).
    pub expires_in: i64,
    /// Where it came from, as recorded by the token manager.
    pub source: String,
}

/// A mini program as shown to the operator.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AppView {
    /// AppID.
    pub appid: String,
    /// Display name.
    pub name: String,
    /// Masked AppSecret (`abcd…`), or `null` when none is stored (after an import without secrets).
    pub secret: Option<String>,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// Last change (Unix seconds).
    pub updated_at: i64,
    /// The newest cached access token for the current environment, if any.
    pub token: Option<TokenSummary>,
    /// Login sessions (session keys) kept for it.
    pub sessions: i64,
}

/// What removing a mini program deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AppRemoved {
    /// The removed AppID.
    pub appid: String,
    /// Cached access tokens deleted (every environment).
    pub tokens: i64,
    /// Login sessions deleted.
    pub sessions: i64,
}

/// Turns a protocol-level input error into the desk's own `Invalid` error.
pub(crate) fn invalid_input(e: wxdesk_wechat::Error) -> Error {
    match e {
        wxdesk_wechat::Error::InvalidInput { field, reason } => Error::Invalid { field, reason },
        other => Error::Wechat(other),
    }
}

/// Checks a mini program AppID, reporting it as `field`.
pub(crate) fn check_appid(field: &str, appid: &str) -> Result<()> {
    validate_appid(field, appid).map_err(invalid_input)
}

/// Checks and trims a display name.
pub(crate) fn check_name(field: &str, name: &str) -> Result<String> {
    let name = name.trim();
    let n = name.chars().count();
    if n > MAX_NAME_CHARS {
        return Err(Error::invalid(
            field,
            format!("is {n} characters long; use at most {MAX_NAME_CHARS} (it is only a label for this desk)"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "contains a line break or control character; use one line of plain text",
        ));
    }
    Ok(name.to_string())
}

/// Checks an AppSecret (mini program or platform) and returns it trimmed of
/// pasted whitespace. The value is never echoed in the error.
pub(crate) fn check_secret(field: &str, secret: &str, source: &str) -> Result<Zeroizing<String>> {
    let s = secret.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err(Error::invalid(
            field,
            format!("is empty; an AppSecret is 32 lowercase hex characters — {source}"),
        ));
    }
    if n == 18 && s.starts_with("wx") {
        return Err(Error::invalid(
            field,
            format!("looks like an AppID, not an AppSecret; an AppSecret is 32 lowercase hex characters — {source}"),
        ));
    }
    if n != 32 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        let what = if s.bytes().all(|b| b.is_ascii_hexdigit()) {
            format!("has {n} characters")
        } else {
            format!("has {n} characters, not all of them hex digits (0-9, a-f)")
        };
        return Err(Error::invalid(
            field,
            format!("{what}; an AppSecret is exactly 32 lowercase hex characters — {source}"),
        ));
    }
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            field,
            format!("has uppercase letters; AppSecrets are lowercase hex and WeChat compares them exactly — {source}"),
        ));
    }
    Ok(Zeroizing::new(s.to_string()))
}

/// The newest cached token of `owner` among `kinds` in environment `scope`,
/// read without decrypting its value.
pub(crate) fn token_summary(
    conn: &Connection,
    scope: &str,
    kinds: &[&str],
    owner: &str,
    now: i64,
) -> Result<Option<TokenSummary>> {
    let mut best: Option<TokenSummary> = None;
    for kind in kinds {
        let row: Option<(i64, String)> = conn
            .query_row(
                "SELECT expires_at, source FROM tokens WHERE env = ?1 AND kind = ?2 AND owner = ?3",
                (scope, kind, owner),
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((expires_at, source)) = row {
            let newer = match &best {
                Some(b) => expires_at > b.expires_at,
                None => true,
            };
            if newer {
                best = Some(TokenSummary {
                    kind: (*kind).to_string(),
                    expires_at,
                    expires_in: (expires_at - now).max(0),
                    source,
                });
            }
        }
    }
    Ok(best)
}

/// Masks a sealed secret for display without decrypting it more than needed.
pub(crate) fn masked(
    desk: &Desk,
    purpose: &str,
    sealed: Option<&Sealed>,
) -> Result<Option<String>> {
    match sealed {
        None => Ok(None),
        Some(s) => {
            let plain = desk.open_secret(purpose, s)?;
            Ok(Some(mask(&plain)))
        }
    }
}

fn direct_sessions(conn: &Connection, appid: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM sessions WHERE appid = ?1 AND via_component IS NULL",
        [appid],
        |r| r.get(0),
    )?)
}

fn app_tokens(conn: &Connection, appid: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tokens WHERE owner = ?1 AND kind IN ('app_stable', 'app_legacy')",
        [appid],
        |r| r.get(0),
    )?)
}

impl Desk {
    fn app_view(&self, conn: &Connection, row: AppRow, now: i64) -> Result<AppView> {
        Ok(AppView {
            secret: masked(self, apps::SECRET, row.secret.as_ref())?,
            token: token_summary(conn, self.scope(), &APP_TOKEN_KINDS, &row.appid, now)?,
            sessions: direct_sessions(conn, &row.appid)?,
            appid: row.appid,
            name: row.name,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// Adds a mini program. `AlreadyExists` when the AppID is stored already.
    pub fn app_add(&self, input: AppInput) -> Result<AppView> {
        check_appid("appid", &input.appid)?;
        let secret = check_secret("secret", input.secret.expose(), APP_SECRET_SOURCE)?;
        let name = check_name("name", &input.name)?;
        let sealed = self.vault().seal(apps::SECRET, &secret)?;
        let now = self.now();
        let row = AppRow {
            appid: input.appid,
            name,
            secret: Some(sealed),
            created_at: now,
            updated_at: now,
        };
        let appid = row.appid.clone();
        self.store().write(|tx| apps::insert(tx, &row))?;
        self.app_show(&appid)
    }

    /// Every mini program, by name then AppID.
    pub fn app_list(&self) -> Result<Vec<AppView>> {
        let now = self.now();
        self.store().read(|c| {
            apps::list(c)?
                .into_iter()
                .map(|row| self.app_view(c, row, now))
                .collect()
        })
    }

    /// One mini program; `NotFound` when absent.
    pub fn app_show(&self, appid: &str) -> Result<AppView> {
        check_appid("appid", appid)?;
        let now = self.now();
        self.store().read(|c| {
            let row = apps::require(c, appid)?;
            self.app_view(c, row, now)
        })
    }

    /// Changes a mini program's secret and/or name.
    pub fn app_update(&self, appid: &str, changes: AppChanges) -> Result<AppView> {
        check_appid("appid", appid)?;
        if changes.secret.is_none() && changes.name.is_none() {
            return Err(Error::invalid(
                "changes",
                "nothing to change: give a new secret or a new name",
            ));
        }
        let sealed = match &changes.secret {
            Some(s) => {
                let secret = check_secret("secret", s.expose(), APP_SECRET_SOURCE)?;
                Some(self.vault().seal(apps::SECRET, &secret)?)
            }
            None => None,
        };
        let name = changes
            .name
            .as_deref()
            .map(|n| check_name("name", n))
            .transpose()?;
        let now = self.now();
        self.store()
            .write(|tx| apps::update(tx, appid, name.as_deref(), sealed.as_ref(), now))?;
        self.app_show(appid)
    }

    /// Removes a mini program with its cached tokens (every environment) and
    /// its login sessions, in one transaction.
    ///
    /// Unless `confirmed`, nothing is deleted and the answer is
    /// `NeedsConfirmation` describing what would be lost.
    pub fn app_remove(&self, appid: &str, confirmed: bool) -> Result<AppRemoved> {
        check_appid("appid", appid)?;
        if !confirmed {
            let (tokens, sessions) = self.store().read(|c| {
                apps::require(c, appid)?;
                Ok((app_tokens(c, appid)?, direct_sessions(c, appid)?))
            })?;
            return Err(Error::NeedsConfirmation {
                action: format!("remove app {appid}"),
                risk: format!(
                    "deletes its stored AppSecret, {tokens} cached access token(s) and {sessions} login session(s) from this desk \
                     (the mini program on WeChat is not affected; you will need the AppSecret to add it again)"
                ),
            });
        }
        self.store().write(|tx| {
            apps::require(tx, appid)?;
            let tokens = tx.execute(
                "DELETE FROM tokens WHERE owner = ?1 AND kind IN ('app_stable', 'app_legacy')",
                [appid],
            )? as i64;
            tx.execute(
                "DELETE FROM token_leases WHERE owner = ?1 AND kind IN ('app_stable', 'app_legacy')",
                [appid],
            )?;
            let sessions = tx.execute("DELETE FROM sessions WHERE appid = ?1 AND via_component IS NULL", [appid])? as i64;
            apps::delete(tx, appid)?;
            Ok(AppRemoved {
                appid: appid.to_string(),
                tokens,
                sessions,
            })
        })
    }
}
