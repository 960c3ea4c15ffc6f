//! The token manager's vocabulary, clock and in-process single flight.
//!
//! WeChat access tokens are shared state between wxdesk and the operator's
//! production servers: fetching one the wrong way (legacy `cgi-bin/token`, a
//! `force_refresh`) kicks the token production holds, and fetching one too
//! often burns a rationed daily budget. So every token wxdesk uses is cached
//! in the `tokens` table (sealed), refreshed five minutes early, and fetched
//! by exactly one caller at a time — one in-process flight per token
//! ([`SingleFlight`]) and one cross-process lease row per token (see
//! `services::token_obtain`). This module holds the types those pieces share: what
//! kind of token, where it came from, what a caller gets back ([`TokenGrant`])
//! and what may be shown ([`TokenView`], [`TokenStatusView`]), plus
//! [`cache_token`] for services that receive a token as a by-product of
//! another call (e.g. `api_query_auth` returns an authorizer token).
//!
//! The desk's [`Clock`] lives in `crate::clock` and the in-process flights
//! in `crate::single_flight`; both are re-exported here.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store;
use crate::vault::Vault;

pub use crate::clock::{beijing_day_start, Clock};
pub(crate) use crate::single_flight::replicate;
pub use crate::single_flight::{Flight, FlightState, SingleFlight};

/// Vault purpose of a cached token value.
pub const TOKEN_VALUE: &str = "tokens.value";

/// A cached token with fewer seconds than this left is refreshed early.
pub const EARLY_REFRESH_SECS: i64 = 300;

/// How long a cross-process refresh lease lasts before others may take over.
pub const LEASE_SECS: i64 = 30;

/// Longest lifetime believed from WeChat's `expires_in` (its tokens live 7200 s);
/// a larger, negative or absurd value from the wire is clamped into `0..=` this.
pub const MAX_EXPIRES_IN_SECS: i64 = 86_400;

/// `expires_in` from the wire, clamped to `0..=MAX_EXPIRES_IN_SECS`.
pub fn clamp_expires_in(expires_in: i64) -> i64 {
    expires_in.clamp(0, MAX_EXPIRES_IN_SECS)
}

/// WeChat's daily budget of `stable_token` force refreshes per account.
pub const FORCE_PER_DAY: i64 = 20;

/// WeChat ignores a force refresh less than this many seconds after the previous one.
pub const FORCE_SPACING_SECS: i64 = 30;

/// Warning attached to a freshly minted legacy token.
pub const LEGACY_WARNING: &str = "cgi-bin/token minted a NEW token: the token your production servers hold stops working in about 5 minutes. \
     Use the stable mode (the default) unless you mean to rotate the token.";

/// Warning attached to a stable token obtained with force_refresh.
pub const FORCE_WARNING: &str = "force_refresh rotated the token at once: the token your production servers held is already invalid \
     (they will see 40001 until they fetch the new one).";

/// Which endpoint a mini program's token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, TS)]
#[serde(rename_all = "snake_case")]
pub enum AppTokenMode {
    /// `POST cgi-bin/stable_token` in normal mode: returns the token production
    /// already holds, without invalidating it. The default.
    #[default]
    Stable,
    /// `GET cgi-bin/token`: mints a new token and retires the previous one
    /// about five minutes later. Only on explicit request.
    Legacy,
}

/// Whether a grant came from the cache or from WeChat just now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TokenSource {
    /// Read from the `tokens` table; WeChat was not called.
    Cache,
    /// Fetched from WeChat by this call.
    Fresh,
    /// Read from the team store (Redis) the account is bound to.
    Redis,
}

/// The kinds of cached token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A mini program's token from `stable_token`.
    AppStable,
    /// A mini program's token from legacy `cgi-bin/token`.
    AppLegacy,
    /// A third-party platform's component_access_token.
    Component,
    /// An authorizer_access_token (a platform acting for an authorizer).
    Authorizer,
}

impl TokenKind {
    /// The column text.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::AppStable => "app_stable",
            TokenKind::AppLegacy => "app_legacy",
            TokenKind::Component => "component",
            TokenKind::Authorizer => "authorizer",
        }
    }

    /// Parses the column text.
    pub fn parse(s: &str) -> Option<TokenKind> {
        match s {
            "app_stable" => Some(TokenKind::AppStable),
            "app_legacy" => Some(TokenKind::AppLegacy),
            "component" => Some(TokenKind::Component),
            "authorizer" => Some(TokenKind::Authorizer),
            _ => None,
        }
    }

    /// The endpoint that issues this kind.
    pub fn endpoint(self) -> &'static str {
        match self {
            TokenKind::AppStable => "cgi-bin/stable_token",
            TokenKind::AppLegacy => "cgi-bin/token",
            TokenKind::Component => "cgi-bin/component/api_component_token",
            TokenKind::Authorizer => "cgi-bin/component/api_authorizer_token",
        }
    }
}

/// A token handed to a caller. `token` is the secret itself; show it only
/// through [`TokenView`].
#[derive(Clone)]
pub struct TokenGrant {
    /// What kind of token.
    pub kind: TokenKind,
    /// Whose token: an appid, or `component/authorizer` (see [`authorizer_owner`]).
    pub owner: String,
    /// The token. Secret.
    pub token: Zeroizing<String>,
    /// Unix seconds when WeChat stops accepting it.
    pub expires_at: i64,
    /// Cache or fresh.
    pub source: TokenSource,
    /// The endpoint that issued it (e.g. `cgi-bin/stable_token`).
    pub endpoint: String,
    /// Desk time (Unix seconds) when this grant was made; `expires_at - granted_at` is the lifetime left.
    pub granted_at: i64,
    /// What this fetch did to production, when it did something (legacy mint, force refresh).
    pub warning: Option<String>,
    /// For a mini program's stable token: `stable_token` force refreshes left today.
    pub force_budget_left: Option<i64>,
    /// Team mode: the Redis key it was read from or written to.
    pub team: Option<crate::services::TeamOrigin>,
}

/// What a token operation shows: the token masked unless revealed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenView {
    /// The token, masked (`abcd…`) unless the caller asked to reveal it.
    pub token: String,
    /// Whether `token` is the real value.
    pub revealed: bool,
    /// Unix seconds when it expires.
    pub expires_at: i64,
    /// Seconds left when the grant was made (never negative).
    pub expires_in: i64,
    /// `cache`, `fresh` or `redis`.
    pub source: TokenSource,
    /// What kind of token.
    pub kind: TokenKind,
    /// Whose token.
    pub owner: String,
    /// The endpoint that issued it.
    pub endpoint: String,
    /// What the fetch did to production, if anything.
    pub warning: Option<String>,
    /// For a mini program's stable token: `stable_token` force refreshes left
    /// today (of 20, Beijing day), so the budget is known before a force.
    pub force_budget_left: Option<i64>,
    /// Team mode: the binding's layout (`wxjava-open`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub layout: Option<String>,
    /// Team mode: the Redis key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub key: Option<String>,
    /// Team mode: the key's TTL in seconds (absent: no TTL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ttl: Option<i64>,
}

/// One cached token as the dashboard shows it. Never carries the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TokenStatusView {
    /// What kind of token.
    pub kind: TokenKind,
    /// Whose token.
    pub owner: String,
    /// Unix seconds when it expires.
    pub expires_at: i64,
    /// Seconds left now (never negative).
    pub expires_in: i64,
    /// The endpoint that issued it.
    pub source: String,
    /// Unix seconds when it was fetched.
    pub fetched_at: i64,
    /// False when it will be refreshed on next use (less than 5 minutes left).
    pub usable: bool,
    /// For a mini program's stable token: `stable_token` force refreshes left today.
    pub force_budget_left: Option<i64>,
}

/// Whether a token expiring at `expires_at` is still served from the cache
/// at `now` (at least [`EARLY_REFRESH_SECS`] left). Saturating.
pub fn fresh_enough(expires_at: i64, now: i64) -> bool {
    expires_at.saturating_sub(now) >= EARLY_REFRESH_SECS
}

impl TokenGrant {
    /// Seconds of validity left at grant time (never negative).
    pub fn expires_in(&self) -> i64 {
        self.expires_at.saturating_sub(self.granted_at).max(0)
    }
}

/// The owner key of an authorizer token: `component_appid/authorizer_appid`.
pub fn authorizer_owner(component_appid: &str, authorizer_appid: &str) -> String {
    format!("{component_appid}/{authorizer_appid}")
}

/// A token WeChat just issued, as [`cache_token`] and [`cache_token_at`] take it.
#[derive(Clone, Copy)]
pub struct IssuedToken<'a> {
    /// Which kind of token.
    pub kind: TokenKind,
    /// Its owner key (an appid, or [`authorizer_owner`]).
    pub owner: &'a str,
    /// The token itself (sealed before it is stored).
    pub value: &'a str,
    /// Seconds it lives, as WeChat said (clamped, see [`clamp_expires_in`]).
    pub expires_in: i64,
    /// The issuing endpoint (e.g. `cgi-bin/component/api_query_auth`).
    pub source: &'a str,
}

impl std::fmt::Debug for IssuedToken<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedToken")
            .field("kind", &self.kind)
            .field("owner", &self.owner)
            .field("value", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("source", &self.source)
            .finish()
    }
}

/// Caches a token inside the caller's transaction, timed by the system clock.
/// Services that hold a [`crate::Desk`] should prefer [`cache_token_at`] with
/// `desk.now()`, so cached lifetimes follow the desk's clock.
pub fn cache_token(
    conn: &Connection,
    desk_vault: &Vault,
    scope: &str,
    token: &IssuedToken<'_>,
) -> Result<()> {
    cache_token_at(conn, desk_vault, scope, token, store::now())
}

/// [`cache_token`] at an explicit time `now` (Unix seconds).
pub fn cache_token_at(
    conn: &Connection,
    desk_vault: &Vault,
    scope: &str,
    token: &IssuedToken<'_>,
    now: i64,
) -> Result<()> {
    let row = token_row(desk_vault, token, now)?;
    store::token_rows::put(conn, scope, &row)
}

/// The row caching `token` (its value sealed), fetched at `now`. An empty
/// value is refused.
pub(crate) fn token_row(
    desk_vault: &Vault,
    token: &IssuedToken<'_>,
    now: i64,
) -> Result<store::token_rows::TokenRow> {
    let IssuedToken {
        kind,
        owner,
        value,
        expires_in,
        source,
    } = *token;
    if value.trim().is_empty() {
        return Err(Error::invalid(
            "access_token",
            "WeChat returned an empty token; nothing was cached",
        ));
    }
    let sealed = desk_vault.seal(TOKEN_VALUE, value)?;
    Ok(store::token_rows::TokenRow {
        kind,
        owner: owner.to_string(),
        value: sealed,
        expires_at: now.saturating_add(clamp_expires_in(expires_in)),
        source: source.to_string(),
        fetched_at: now,
        generation: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_arithmetic_saturates_on_hostile_values() {
        for v in [i64::MIN, -1, 0, 7200, i64::MAX] {
            let clamped = clamp_expires_in(v);
            assert!((0..=MAX_EXPIRES_IN_SECS).contains(&clamped), "{v}");
            let _ = beijing_day_start(v);
            let _ = fresh_enough(v, i64::MIN);
            let _ = fresh_enough(i64::MIN, v);
        }
        assert_eq!(clamp_expires_in(7200), 7200);
        assert_eq!(clamp_expires_in(i64::MAX), MAX_EXPIRES_IN_SECS);
        assert_eq!(clamp_expires_in(-5), 0);
        assert!(fresh_enough(i64::MAX, i64::MIN));
        assert!(!fresh_enough(i64::MIN, i64::MAX));
        let g = TokenGrant {
            kind: TokenKind::AppStable,
            owner: "wx0000000000000001".into(),
            token: Zeroizing::new("t".into()),
            expires_at: i64::MAX,
            source: TokenSource::Cache,
            endpoint: "cgi-bin/stable_token".into(),
            granted_at: i64::MIN,
            warning: None,
            force_budget_left: None,
            team: None,
        };
        assert_eq!(g.expires_in(), i64::MAX);
        let vault = Vault::from_key(
            &[7u8; 32],
            crate::vault::KeyLocation::Keyring {
                account: "test".into(),
            },
        );
        let issued = IssuedToken {
            kind: TokenKind::AppStable,
            owner: "wx0000000000000001",
            value: "t",
            expires_in: i64::MAX,
            source: "x",
        };
        let row = token_row(&vault, &issued, i64::MAX).unwrap();
        assert_eq!(row.expires_at, i64::MAX);
        let row = token_row(&vault, &issued, 1_700_000_000).unwrap();
        assert_eq!(row.expires_at, 1_700_000_000 + MAX_EXPIRES_IN_SECS);
    }

    #[test]
    fn kinds_round_trip() {
        for k in [
            TokenKind::AppStable,
            TokenKind::AppLegacy,
            TokenKind::Component,
            TokenKind::Authorizer,
        ] {
            assert_eq!(TokenKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.as_str())
            );
        }
        assert_eq!(TokenKind::parse("x"), None);
        assert_eq!(
            serde_json::to_value(TokenSource::Fresh).unwrap(),
            serde_json::json!("fresh")
        );
        assert_eq!(
            serde_json::to_value(AppTokenMode::Legacy).unwrap(),
            serde_json::json!("legacy")
        );
    }
}
