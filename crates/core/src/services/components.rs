//! Third-party platforms ("components"): add, list, show, update, remove.
//!
//! A platform carries three secrets — its AppSecret, the message token and
//! the EncodingAESKey used to verify and decrypt pushes — and each has a
//! WeChat-defined shape, so each is checked here with an error that says
//! where to copy it from. The EncodingAESKey check accepts keys whose last
//! character carries non-canonical base64 bits, because the platform issues
//! such keys and WeChat accepts them. The view summarises what the operator
//! needs at a glance: the newest component_verify_ticket and whether it is
//! still usable, how many merchants authorized the platform, and the cached
//! component_access_token — all without decrypting a ticket or token.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use wxdesk_wechat::crypto::push::decode_encoding_aes_key;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::apps::{
    check_appid, check_name, check_secret, masked, token_summary, Secret, TokenSummary,
};
use crate::services::receive_url::{check_receive_url, receive_settings, ReceiveSettingsView};
use crate::store::components::{self, ComponentChanges as StoreChanges, ComponentRow};
use crate::store::{authorizers, tickets};

/// Where an operator copies a platform's AppSecret from.
pub const COMPONENT_SECRET_SOURCE: &str =
    "copy it from open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) → 详情 → 开发资料 → AppSecret";

/// Where the message token and EncodingAESKey are found.
pub const PUSH_SETTINGS_SOURCE: &str =
    "copy it from open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) → 详情 → 开发资料 (消息校验Token / 消息加解密Key)";

/// Token kind (column `tokens.kind`) of a component_access_token.
pub const COMPONENT_TOKEN_KIND: &str = "component";

/// A new third-party platform.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComponentInput {
    /// Component AppID (`wx` + 16 hex digits).
    pub appid: String,
    /// Platform AppSecret (32 lowercase hex characters).
    pub secret: Secret,
    /// Message token (消息校验Token): 3–32 letters or digits.
    #[serde(default)]
    pub token: Option<Secret>,
    /// EncodingAESKey (消息加解密Key): 43 characters.
    #[serde(default)]
    pub aes_key: Option<Secret>,
    /// Display name (≤ 64 characters; may be empty).
    #[serde(default)]
    pub name: String,
    /// Default redirect URI of authorization links (absolute http(s) URL).
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

/// Changes to a stored platform; `None` keeps the stored value.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ComponentChanges {
    /// New AppSecret.
    #[serde(default)]
    pub secret: Option<Secret>,
    /// New message token.
    #[serde(default)]
    pub token: Option<Secret>,
    /// New EncodingAESKey.
    #[serde(default)]
    pub aes_key: Option<Secret>,
    /// New display name.
    #[serde(default)]
    pub name: Option<String>,
    /// New default redirect URI.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// New `receive` base URL; an empty string clears it.
    #[serde(default)]
    pub receive_url: Option<String>,
}

/// The newest component_verify_ticket, described without its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TicketSummary {
    /// When it arrived (Unix seconds).
    pub received_at: i64,
    /// Seconds since it arrived.
    pub age_secs: i64,
    /// When WeChat stops accepting it (received_at + 12 h).
    pub expires_at: i64,
    /// `push` or `manual`.
    pub source: String,
    /// Whether it can still be used to get a component_access_token.
    pub valid: bool,
}

/// How many merchants authorized the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AuthorizerCounts {
    /// Currently authorized.
    pub active: i64,
    /// Cancelled their authorization (kept for history).
    pub revoked: i64,
}

/// A third-party platform as shown to the operator.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ComponentView {
    /// Component AppID.
    pub appid: String,
    /// Display name.
    pub name: String,
    /// Masked AppSecret, or `null` when none is stored.
    pub secret: Option<String>,
    /// Masked message token, or `null`.
    pub token: Option<String>,
    /// Masked EncodingAESKey, or `null`.
    pub aes_key: Option<String>,
    /// Default redirect URI of authorization links.
    pub redirect_uri: Option<String>,
    /// Where `wxdesk receive` answers for it, and what to paste into the
    /// WeChat console; `null` when no receive URL is stored.
    #[ts(optional = nullable)]
    pub receive: Option<ReceiveSettingsView>,
    /// When it was added (Unix seconds).
    pub created_at: i64,
    /// Last change (Unix seconds).
    pub updated_at: i64,
    /// The newest ticket, if any was received.
    pub ticket: Option<TicketSummary>,
    /// Authorizer counts.
    pub authorizers: AuthorizerCounts,
    /// The cached component_access_token for the current environment, if any.
    pub access_token: Option<TokenSummary>,
}

/// What removing a platform deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ComponentRemoved {
    /// The removed component AppID.
    pub appid: String,
    /// Tickets deleted.
    pub tickets: i64,
    /// Authorizers deleted (active and revoked).
    pub authorizers: i64,
    /// Fast-registration tasks deleted.
    pub tasks: i64,
    /// Cached component and authorizer tokens deleted (every environment).
    pub tokens: i64,
    /// Login sessions made through the platform deleted.
    pub sessions: i64,
}

/// Checks a message token (WeChat: 3–32 letters or digits); returns it trimmed.
pub(crate) fn check_message_token(field: &str, token: &str) -> Result<Zeroizing<String>> {
    let t = token.trim();
    let n = t.chars().count();
    if !(3..=32).contains(&n) {
        return Err(Error::invalid(
            field,
            format!("has {n} characters; the message token is 3–32 letters or digits (WeChat's rule) — {PUSH_SETTINGS_SOURCE}"),
        ));
    }
    if let Some(pos) = t.chars().position(|c| !c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            field,
            format!(
                "the character at position {} is not a letter or digit; the message token is 3–32 letters or digits (WeChat's rule) — {PUSH_SETTINGS_SOURCE}",
                pos + 1
            ),
        ));
    }
    Ok(Zeroizing::new(t.to_string()))
}

/// Checks an EncodingAESKey (43 characters decoding to 32 bytes; non-canonical
/// trailing bits accepted); returns it trimmed.
pub(crate) fn check_aes_key(field: &str, key: &str) -> Result<Zeroizing<String>> {
    match decode_encoding_aes_key(key) {
        Ok(mut bytes) => {
            zeroize::Zeroize::zeroize(&mut bytes);
            Ok(Zeroizing::new(key.trim().to_string()))
        }
        Err(wxdesk_wechat::error::CryptoError::Base64 { reason, .. }) => {
            Err(Error::invalid(field, reason))
        }
        Err(e) => Err(Error::invalid(
            field,
            format!("{e}: copy the key again from the platform's development settings"),
        )),
    }
}

/// Checks a redirect URI: an absolute http(s) URL with a host.
pub(crate) fn check_redirect_uri(field: &str, uri: &str) -> Result<String> {
    let u = uri.trim();
    let parsed = url::Url::parse(u).map_err(|e| {
        Error::invalid(
            field,
            format!("{u:?} is not an absolute URL ({e}); use e.g. https://your.domain/wechat/authorized"),
        )
    })?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(Error::invalid(
            field,
            format!("{u:?} must start with https:// (or http://)"),
        ));
    }
    if parsed.host_str().unwrap_or("").is_empty() {
        return Err(Error::invalid(
            field,
            format!("{u:?} has no host; use e.g. https://your.domain/wechat/authorized"),
        ));
    }
    Ok(u.to_string())
}

/// Summarises the newest ticket of a component (no decryption).
pub(crate) fn ticket_summary(
    conn: &Connection,
    component: &str,
    now: i64,
) -> Result<Option<TicketSummary>> {
    Ok(tickets::latest(conn, component)?.map(|t| {
        let expires_at = t.expires_at();
        TicketSummary {
            received_at: t.received_at,
            age_secs: now.saturating_sub(t.received_at).max(0),
            expires_at,
            source: t.source,
            valid: now < expires_at,
        }
    }))
}

fn count(conn: &Connection, sql: &str, appid: &str) -> Result<i64> {
    Ok(conn.query_row(sql, [appid], |r| r.get(0))?)
}

const COUNT_TICKETS: &str = "SELECT COUNT(*) FROM tickets WHERE component_appid = ?1";
const COUNT_AUTHORIZERS: &str = "SELECT COUNT(*) FROM authorizers WHERE component_appid = ?1";
const COUNT_TASKS: &str = "SELECT COUNT(*) FROM fastregister_tasks WHERE component_appid = ?1";
const COUNT_SESSIONS: &str = "SELECT COUNT(*) FROM sessions WHERE via_component = ?1";
/// Tokens of the platform itself and of its authorizers (an authorizer
/// token's owner is `component_appid/authorizer_appid`, see
/// [`crate::token_types::authorizer_owner`]).
const TOKENS_WHERE: &str = "(kind = 'component' AND owner = ?1) OR (kind = 'authorizer' AND substr(owner, 1, length(?1) + 1) = ?1 || '/')";

impl Desk {
    fn component_view(
        &self,
        conn: &Connection,
        row: ComponentRow,
        now: i64,
    ) -> Result<ComponentView> {
        let (active, revoked) = authorizers::counts(conn, Some(&row.appid))?;
        Ok(ComponentView {
            secret: masked(self, components::SECRET, row.secret.as_ref())?,
            token: masked(self, components::TOKEN, row.token.as_ref())?,
            aes_key: masked(self, components::AES_KEY, row.aes_key.as_ref())?,
            ticket: ticket_summary(conn, &row.appid, now)?,
            authorizers: AuthorizerCounts { active, revoked },
            access_token: token_summary(
                conn,
                self.scope(),
                &[COMPONENT_TOKEN_KIND],
                &row.appid,
                now,
            )?,
            receive: components::receive_url(conn, &row.appid)?
                .map(|base| receive_settings(&base, &row.appid)),
            appid: row.appid,
            name: row.name,
            redirect_uri: row.redirect_uri,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }

    /// Adds a third-party platform with its `receive` base URL (checked
    /// before anything is stored; `None` or empty: none).
    pub fn component_add_receiving(
        &self,
        input: ComponentInput,
        receive_url: Option<&str>,
    ) -> Result<ComponentView> {
        let receive_url = receive_url
            .filter(|u| !u.trim().is_empty())
            .map(|u| check_receive_url("receive_url", u))
            .transpose()?;
        let appid = input.appid.clone();
        let view = self.component_add(input)?;
        match receive_url {
            Some(u) => {
                let now = self.now();
                self.store()
                    .write(|tx| components::set_receive_url(tx, &appid, Some(&u), now))?;
                self.component_show(&appid)
            }
            None => Ok(view),
        }
    }

    /// Adds a third-party platform. `AlreadyExists` when the AppID is stored already.
    pub fn component_add(&self, input: ComponentInput) -> Result<ComponentView> {
        component_appid(&input.appid)?;
        let secret = check_secret("secret", input.secret.expose(), COMPONENT_SECRET_SOURCE)?;
        let token = input
            .token
            .as_ref()
            .map(|t| check_message_token("token", t.expose()))
            .transpose()?;
        let aes_key = input
            .aes_key
            .as_ref()
            .map(|k| check_aes_key("aes_key", k.expose()))
            .transpose()?;
        let name = check_name("name", &input.name)?;
        let redirect_uri = input
            .redirect_uri
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| check_redirect_uri("redirect_uri", u))
            .transpose()?;
        let vault = self.vault();
        let now = self.now();
        let row = ComponentRow {
            appid: input.appid.clone(),
            name,
            secret: Some(vault.seal(components::SECRET, &secret)?),
            token: token
                .as_deref()
                .map(|t| vault.seal(components::TOKEN, t))
                .transpose()?,
            aes_key: aes_key
                .as_deref()
                .map(|k| vault.seal(components::AES_KEY, k))
                .transpose()?,
            redirect_uri,
            created_at: now,
            updated_at: now,
        };
        self.store().write(|tx| components::insert(tx, &row))?;
        self.component_show(&input.appid)
    }

    /// Every platform, by name then AppID.
    pub fn component_list(&self) -> Result<Vec<ComponentView>> {
        let now = self.now();
        self.store().read(|c| {
            components::list(c)?
                .into_iter()
                .map(|row| self.component_view(c, row, now))
                .collect()
        })
    }

    /// One platform; `NotFound` when absent.
    pub fn component_show(&self, appid: &str) -> Result<ComponentView> {
        component_appid(appid)?;
        let now = self.now();
        self.store().read(|c| {
            let row = components::require(c, appid)?;
            self.component_view(c, row, now)
        })
    }

    /// Changes a platform's secrets, name or redirect URI.
    pub fn component_update(
        &self,
        appid: &str,
        changes: ComponentChanges,
    ) -> Result<ComponentView> {
        component_appid(appid)?;
        if changes.secret.is_none()
            && changes.token.is_none()
            && changes.aes_key.is_none()
            && changes.name.is_none()
            && changes.redirect_uri.is_none()
            && changes.receive_url.is_none()
        {
            return Err(Error::invalid(
                "changes",
                "nothing to change: give a new secret, token, aes_key, name, redirect_uri or receive_url",
            ));
        }
        let vault = self.vault();
        let secret = match &changes.secret {
            Some(s) => Some(vault.seal(
                components::SECRET,
                &check_secret("secret", s.expose(), COMPONENT_SECRET_SOURCE)?,
            )?),
            None => None,
        };
        let token = match &changes.token {
            Some(t) => Some(vault.seal(
                components::TOKEN,
                &check_message_token("token", t.expose())?,
            )?),
            None => None,
        };
        let aes_key = match &changes.aes_key {
            Some(k) => {
                Some(vault.seal(components::AES_KEY, &check_aes_key("aes_key", k.expose())?)?)
            }
            None => None,
        };
        let name = changes
            .name
            .as_deref()
            .map(|n| check_name("name", n))
            .transpose()?;
        let redirect_uri = changes
            .redirect_uri
            .as_deref()
            .map(|u| check_redirect_uri("redirect_uri", u))
            .transpose()?;
        // Some("") clears the receive URL; None keeps it.
        let receive_url = changes
            .receive_url
            .as_deref()
            .map(|u| match u.trim() {
                "" => Ok(None),
                u => check_receive_url("receive_url", u).map(Some),
            })
            .transpose()?;
        let c = StoreChanges {
            name: name.as_deref(),
            secret: secret.as_ref(),
            token: token.as_ref(),
            aes_key: aes_key.as_ref(),
            redirect_uri: redirect_uri.as_deref(),
        };
        let now = self.now();
        self.store().write(|tx| {
            components::update(tx, appid, &c, now)?;
            match &receive_url {
                Some(u) => components::set_receive_url(tx, appid, u.as_deref(), now),
                None => Ok(()),
            }
        })?;
        self.component_show(appid)
    }

    /// Removes a platform with its tickets, authorizers (their refresh tokens
    /// are lost), fast-registration tasks, cached tokens and the sessions made
    /// through it, in one transaction.
    ///
    /// Unless `confirmed`, nothing is deleted and the answer is
    /// `NeedsConfirmation` describing what would be lost.
    pub fn component_remove(&self, appid: &str, confirmed: bool) -> Result<ComponentRemoved> {
        component_appid(appid)?;
        if !confirmed {
            let (auths, tasks) = self.store().read(|c| {
                components::require(c, appid)?;
                Ok((
                    authorizers::counts(c, Some(appid))?,
                    count(c, COUNT_TASKS, appid)?,
                ))
            })?;
            return Err(Error::NeedsConfirmation {
                action: format!("remove component {appid}"),
                risk: format!(
                    "deletes its secrets, tickets, {} active and {} revoked authorizer(s) with their refresh tokens, and {tasks} fast-registration task(s) \
                     from this desk; without the refresh tokens the merchants must authorize again unless you re-add them from an export made with secrets",
                    auths.0, auths.1
                ),
            });
        }
        self.store().write(|tx| {
            components::require(tx, appid)?;
            let tickets = count(tx, COUNT_TICKETS, appid)?;
            let authorizers = count(tx, COUNT_AUTHORIZERS, appid)?;
            let tasks = count(tx, COUNT_TASKS, appid)?;
            let sessions = count(tx, COUNT_SESSIONS, appid)?;
            tx.execute("DELETE FROM sessions WHERE via_component = ?1", [appid])?;
            let tokens =
                tx.execute(&format!("DELETE FROM tokens WHERE {TOKENS_WHERE}"), [appid])? as i64;
            tx.execute(
                &format!("DELETE FROM token_leases WHERE {TOKENS_WHERE}"),
                [appid],
            )?;
            // Tickets, authorizers and tasks go by ON DELETE CASCADE.
            components::delete(tx, appid)?;
            Ok(ComponentRemoved {
                appid: appid.to_string(),
                tickets,
                authorizers,
                tasks,
                tokens,
                sessions,
            })
        })
    }
}

/// Checks a component AppID given as the `appid` field, with the platform's
/// own "where to copy it" hint.
pub(crate) fn component_appid(appid: &str) -> Result<()> {
    check_appid("component appid", appid).map_err(|e| match e {
        Error::Invalid { reason, .. } => Error::invalid("appid", reason),
        other => other,
    })
}
