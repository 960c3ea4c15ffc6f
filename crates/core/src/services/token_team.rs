//! The token manager of an account bound to a team store (Redis): where
//! `services::token_obtain` asks before it would mint anything.
//!
//! Two wxdesks, or wxdesk and a production server, minting tokens for the same
//! account replace each other's tokens. A binding names the one refresher:
//!
//! - **read-only** (the default): the production server refreshes. Every token
//!   comes from Redis, in the server's layout; a missing key is an error naming
//!   it and what the server should have written. Nothing is minted or written,
//!   and a force refresh (or a legacy mint) is refused before anything is sent.
//! - **read-write**: wxdesk is the refresher. A usable token in Redis is served
//!   as is; otherwise the process takes the Redis lock of the key, reads again
//!   (another process may have just refreshed), calls WeChat once, writes the
//!   token (and a rotated authorizer refresh token) in the layout with its TTL
//!   convention, fenced by the lock's generation, and caches it locally too.
//!   So any number of processes on any number of machines make one upstream
//!   call per refresh.

use std::time::Duration;

use wxdesk_wechat::team_layout::Slot;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::token_obtain::{Fetched, Spec};
use crate::services::token_status::check_force_budget;
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::store::{components, token_rows as token_store};
use crate::team::{Guard, Kind, Layout, Mode, TeamError, TeamStore, TeamToken};
use crate::token_types::{
    cache_token_at, clamp_expires_in, IssuedToken, TokenGrant, TokenKind, TokenSource,
    EARLY_REFRESH_SECS, FORCE_WARNING, LEGACY_WARNING,
};

/// How long a refresher may hold the Redis lock before others take over.
const LOCK_LEASE: Duration = Duration::from_secs(30);

/// How long a process waits for another refresher's lock.
const LOCK_WAIT: Duration = Duration::from_secs(45);

/// The lifetime assumed for a token whose key has no TTL (WeChat's is 7200 s).
const NO_TTL_SECS: i64 = 7200;

/// Where a team-mode token lives: the layout, the Redis key, its TTL when read,
/// and the binding's mode. Never the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamOrigin {
    /// The peer layout of the binding.
    pub layout: Layout,
    /// The Redis key.
    pub key: String,
    /// Seconds left on the key (None: no TTL).
    pub ttl: Option<i64>,
    /// Read-only or read-write.
    pub mode: Mode,
}

impl TeamOrigin {
    /// "Redis, wxjava-open layout, TTL 6,900 s".
    pub fn line(&self) -> String {
        crate::team::source_line(self.layout, self.ttl)
    }
}

impl Spec {
    /// The platform, the authorizer and the rotated refresh token to keep,
    /// when this is an authorizer token and WeChat rotated its refresh token.
    fn rotated<'a>(&'a self, keep: Option<&'a str>) -> Option<(&'a str, &'a str, &'a str)> {
        match (self, keep) {
            (
                Spec::Authorizer {
                    component,
                    authorizer,
                },
                Some(keep),
            ) => Some((component, authorizer, keep)),
            _ => None,
        }
    }

    /// The bound account that holds this token.
    fn team_account(&self) -> (Kind, &str) {
        match self {
            Spec::AppStable { appid } | Spec::AppLegacy { appid } => (Kind::App, appid),
            Spec::Component { component } | Spec::Authorizer { component, .. } => {
                (Kind::Component, component)
            }
        }
    }

    /// The token's slot (a mini program's token is kept under the layout's
    /// plain key, the one its default reader uses).
    fn slot(&self) -> Slot<'_> {
        match self {
            Spec::AppStable { appid } | Spec::AppLegacy { appid } => Slot::AppToken { appid },
            Spec::Component { component } => Slot::ComponentToken { component },
            Spec::Authorizer {
                component,
                authorizer,
            } => Slot::AuthorizerToken {
                component,
                authorizer,
            },
        }
    }
}

/// Deletes `KEYS[1]` only while it holds `ARGV[1]` (the token WeChat rejected).
const DELETE_IF_VALUE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"#;

/// Whether a token read from Redis may be served (at least five minutes left).
fn usable(t: &TeamToken) -> bool {
    t.ttl.is_none_or(|ttl| ttl >= EARLY_REFRESH_SECS)
}

/// `Ok(None)` for a missing key, the token otherwise; other failures pass.
fn present(r: std::result::Result<TeamToken, TeamError>) -> Result<Option<TeamToken>> {
    match r {
        Ok(t) => Ok(Some(t)),
        Err(TeamError::Missing { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl Desk {
    /// The connected team store of the account holding `spec`'s token, or
    /// `None` when the account is not bound.
    pub(super) async fn team_store_for(&self, spec: &Spec) -> Result<Option<TeamStore>> {
        let (kind, appid) = spec.team_account();
        self.team_store(kind, appid).await
    }

    /// Refuses a forced refresh of a platform's authorizers when the platform
    /// is bound read-only (the production server refreshes them), before any
    /// call. Offline: reads the binding only.
    pub(crate) fn refuse_team_refresh(&self, component: &str) -> Result<()> {
        match self.team_binding(Kind::Component, component)? {
            Some(row) if row.mode == Mode::ReadOnly => {
                let key = row
                    .layout
                    .key(
                        row.prefix.as_deref(),
                        Slot::AuthorizerToken {
                            component,
                            authorizer: "*",
                        },
                    )
                    .unwrap_or_else(|_| format!("the authorizer tokens of {component}"));
                Err(TeamError::ReadOnly { key }.into())
            }
            _ => Ok(()),
        }
    }

    /// After WeChat rejected a team token (40001/40014/42001): in read-write
    /// mode, drops its key if it still holds that token (compare-and-delete),
    /// so the one retry refreshes it; read-only never touches Redis (the
    /// production server refreshes). Returns whether the key was dropped.
    pub(super) async fn team_invalidate_if_current(&self, grant: &TokenGrant) -> Result<bool> {
        let Some(origin) = grant.team.as_ref().filter(|o| o.mode == Mode::ReadWrite) else {
            return Ok(false);
        };
        let (kind, appid) = match grant.kind {
            TokenKind::Component | TokenKind::Authorizer => (
                Kind::Component,
                grant.owner.split('/').next().unwrap_or_default(),
            ),
            TokenKind::AppStable | TokenKind::AppLegacy => (Kind::App, grant.owner.as_str()),
        };
        let Some(store) = self.team_store(kind, appid).await? else {
            return Ok(false);
        };
        if store.config().mode != Mode::ReadWrite {
            return Ok(false);
        }
        let stored = store.config().codec.encode(&grant.token);
        let n: i64 = store
            .redis()
            .eval(DELETE_IF_VALUE, &[&origin.key], &[stored])
            .await?;
        Ok(n == 1)
    }

    /// A token of a bound account: read from Redis (read-only), or served /
    /// refreshed by the central refresher protocol (read-write).
    pub(super) async fn obtain_from_team(
        &self,
        store: &TeamStore,
        spec: &Spec,
        force: bool,
    ) -> Result<TokenGrant> {
        let layout = store.config().layout;
        let slot = spec.slot();
        if store.config().mode == Mode::ReadOnly {
            if force || matches!(spec, Spec::AppLegacy { .. }) {
                return Err(TeamError::ReadOnly {
                    key: store.key(slot)?,
                }
                .into());
            }
            let t = match (store.read(slot).await, spec) {
                // A silenceper server on the stable-token API keeps it under its own key.
                (Err(TeamError::Missing { .. }), Spec::AppStable { appid })
                    if layout == Layout::Silenceper =>
                {
                    store.read(Slot::StableAppToken { appid }).await?
                }
                (r, _) => r?,
            };
            return Ok(self.team_grant(store, spec, t, TokenSource::Redis));
        }
        if !force {
            if let Some(t) = present(store.read(slot).await)?.filter(usable) {
                return Ok(self.team_grant(store, spec, t, TokenSource::Redis));
            }
        }
        let guard = store.lock(slot, LOCK_LEASE, LOCK_WAIT).await?;
        let result = self.refresh_locked(store, &guard, spec, force).await;
        // A release that fails leaves the lock to expire with its lease.
        let _released = guard.release().await;
        result
    }

    /// Under the lock: read again, else fetch once, write to Redis and the cache.
    async fn refresh_locked(
        &self,
        store: &TeamStore,
        guard: &Guard,
        spec: &Spec,
        force: bool,
    ) -> Result<TokenGrant> {
        let slot = spec.slot();
        if !force {
            if let Some(t) = present(store.read(slot).await)?.filter(usable) {
                return Ok(self.team_grant(store, spec, t, TokenSource::Redis));
            }
        }
        let scope = self.scope();
        if let (true, Spec::AppStable { appid }) = (force, spec) {
            let now = self.now();
            self.store()
                .read(|c| check_force_budget(c, scope, appid, now))?;
        }
        let (fetched, redis_refresh) = self.team_fetch(store, spec, force).await?;
        let expires_in = clamp_expires_in(fetched.expires_in);
        let ttl_in = u64::try_from(expires_in).unwrap_or(0);
        let written = store.write(guard, slot, &fetched.token, ttl_in).await;
        match written {
            Ok(()) => {}
            Err(TeamError::StaleGeneration { .. }) => {
                // A newer refresher wrote meanwhile: serve its token.
                let t = store.read(slot).await?;
                return Ok(self.team_grant(store, spec, t, TokenSource::Redis));
            }
            Err(e) => return Err(e.into()),
        }
        let kept = fetched
            .refresh
            .as_ref()
            .and_then(|r| r.keep.clone())
            .filter(|k| !k.trim().is_empty());
        let keep = kept.as_ref().map(|k| k.as_str());
        if let Some((component, authorizer, keep)) = spec.rotated(keep) {
            if redis_refresh.as_deref().map(String::as_str) != Some(keep) {
                store
                    .write_refresh_token(guard, component, authorizer, keep)
                    .await?;
            }
        }
        let kind = spec.kind();
        let owner = spec.owner();
        let now = self.now();
        let vault = self.vault();
        self.store().write(|tx| {
            let issued = IssuedToken {
                kind,
                owner: &owner,
                value: &fetched.token,
                expires_in,
                source: kind.endpoint(),
            };
            cache_token_at(tx, vault, scope, &issued, now)?;
            if let Spec::AppStable { appid } = spec {
                if force {
                    token_store::record_force(tx, scope, appid, now)?;
                }
            }
            if let Some((component, authorizer, keep)) = spec.rotated(keep) {
                keep_refresh_token_locally(self, tx, component, authorizer, keep, now)?;
            }
            Ok(())
        })?;
        let key = store.key(slot)?;
        let ttl = store.config().layout.ttl(slot, ttl_in);
        Ok(TokenGrant {
            kind,
            owner,
            token: fetched.token,
            expires_at: now.saturating_add(expires_in),
            source: TokenSource::Fresh,
            endpoint: kind.endpoint().to_string(),
            granted_at: now,
            warning: match (kind, force) {
                (TokenKind::AppLegacy, _) => Some(LEGACY_WARNING.to_string()),
                (TokenKind::AppStable, true) => Some(FORCE_WARNING.to_string()),
                _ => None,
            },
            force_budget_left: None,
            team: Some(TeamOrigin {
                layout: store.config().layout,
                key,
                ttl: match ttl {
                    wxdesk_wechat::team_layout::Ttl::Seconds(s) => i64::try_from(s).ok(),
                    wxdesk_wechat::team_layout::Ttl::Persist => None,
                },
                mode: store.config().mode,
            }),
        })
    }

    /// The one upstream call, from what Redis holds first (the ticket, the
    /// refresh token), else from the local store. Also returns the refresh
    /// token Redis held, to know whether a rotated one must be written.
    async fn team_fetch(
        &self,
        store: &TeamStore,
        spec: &Spec,
        force: bool,
    ) -> Result<(Fetched, Option<Zeroizing<String>>)> {
        match spec {
            Spec::Component { component } => {
                let ticket = match store.read_ticket(component).await {
                    Ok(t) => Some(t),
                    Err(TeamError::Missing { .. } | TeamError::NoSuchKey(_)) => None,
                    Err(e) => return Err(e.into()),
                };
                let Some(ticket) = ticket else {
                    return Ok((self.fetch_upstream(spec, force).await?, None));
                };
                let row = self.store().read(|c| components::require(c, component))?;
                let secret = self.stored_component_secret(component, row.secret.as_ref())?;
                let t = self
                    .client()
                    .component_token(component, &secret, &ticket.value)
                    .await?;
                Ok((
                    Fetched {
                        token: Zeroizing::new(t.component_access_token),
                        expires_in: t.expires_in,
                        refresh: None,
                    },
                    None,
                ))
            }
            Spec::Authorizer {
                component,
                authorizer,
            } => {
                let row = self
                    .store()
                    .read(|c| authorizers::require(c, component, authorizer))?;
                if row.status == AuthorizerStatus::Revoked {
                    return Err(Error::Revoked(authorizer.to_string()));
                }
                let Some(refresh) = present(store.read_refresh_token(component, authorizer).await)?
                else {
                    return Ok((self.fetch_upstream(spec, force).await?, None));
                };
                let refresh = refresh.value;
                let t = self
                    .call_authorizer_token(component, authorizer, &refresh)
                    .await?;
                let keep = t
                    .authorizer_refresh_token
                    .map(Zeroizing::new)
                    .unwrap_or_else(|| refresh.clone());
                Ok((
                    Fetched {
                        token: Zeroizing::new(t.authorizer_access_token),
                        expires_in: t.expires_in,
                        refresh: Some(crate::services::token_obtain::RefreshUsed {
                            stored: refresh.clone(),
                            generation: 0,
                            keep: Some(keep),
                        }),
                    },
                    Some(refresh),
                ))
            }
            Spec::AppStable { .. } | Spec::AppLegacy { .. } => {
                Ok((self.fetch_upstream(spec, force).await?, None))
            }
        }
    }

    /// A grant of a token read from Redis.
    fn team_grant(
        &self,
        store: &TeamStore,
        spec: &Spec,
        t: TeamToken,
        source: TokenSource,
    ) -> TokenGrant {
        let now = self.now();
        let kind = spec.kind();
        let left = t.ttl.unwrap_or(NO_TTL_SECS).max(0);
        TokenGrant {
            kind,
            owner: spec.owner(),
            token: t.value,
            expires_at: now.saturating_add(left),
            source,
            endpoint: kind.endpoint().to_string(),
            granted_at: now,
            warning: None,
            force_budget_left: None,
            team: Some(TeamOrigin {
                layout: t.layout,
                key: t.key,
                ttl: t.ttl,
                mode: store.config().mode,
            }),
        }
    }
}

/// Makes `keep` the authorizer's local refresh token too (inside the caller's
/// transaction), so the desk still works when the binding is removed.
fn keep_refresh_token_locally(
    desk: &Desk,
    tx: &rusqlite::Connection,
    component: &str,
    authorizer: &str,
    keep: &str,
    now: i64,
) -> Result<()> {
    let state = authorizers::refresh_state(tx, component, authorizer)?;
    let same = match &state.refresh_token {
        Some(s) => desk
            .open_secret(authorizers::REFRESH_TOKEN, s)
            .map(|v| v.as_str() == keep)
            .unwrap_or(false),
        None => false,
    };
    if same {
        return Ok(());
    }
    let sealed = desk.vault().seal(authorizers::REFRESH_TOKEN, keep)?;
    if !authorizers::set_refresh_token_if_generation(
        tx,
        component,
        authorizer,
        &sealed,
        state.generation,
        now,
    )? {
        authorizers::set_spare_refresh_token(tx, component, authorizer, &sealed, now)?;
    }
    Ok(())
}

impl Desk {
    /// After an authorization was stored: when the platform is bound
    /// read-write, writes the authorizer's token and refresh token from
    /// `api_query_auth` into Redis too, so every other wxdesk (and the
    /// production server) can use and refresh it. Returns a warning when the
    /// store could not be written (the authorization itself is stored).
    pub(crate) async fn team_publish_authorization(
        &self,
        component: &str,
        info: &wxdesk_wechat::api::component::AuthorizationInfo,
    ) -> Option<String> {
        let published = async {
            let Some(store) = self.team_store(Kind::Component, component).await? else {
                return Ok(());
            };
            if store.config().mode != Mode::ReadWrite {
                return Ok(());
            }
            let authorizer = info.authorizer_appid.as_str();
            let slot = Slot::AuthorizerToken {
                component,
                authorizer,
            };
            let guard = store.lock(slot, LOCK_LEASE, LOCK_WAIT).await?;
            let written = async {
                if let Some(t) = info
                    .authorizer_access_token
                    .as_deref()
                    .filter(|t| !t.is_empty())
                {
                    let expires_in = clamp_expires_in(info.expires_in.unwrap_or(7200));
                    let ttl_in = u64::try_from(expires_in).unwrap_or(0);
                    store.write(&guard, slot, t, ttl_in).await?;
                }
                if let Some(r) = info
                    .authorizer_refresh_token
                    .as_deref()
                    .filter(|r| !r.is_empty())
                {
                    store
                        .write_refresh_token(&guard, component, authorizer, r)
                        .await?;
                }
                Ok::<(), TeamError>(())
            }
            .await;
            let _released = guard.release().await;
            written.map_err(Error::from)
        }
        .await;
        published.err().map(|e: Error| {
            format!("the authorization was stored, but not written to the team store (Redis): {e}")
        })
    }

    /// After a pushed ticket became current: when the platform is bound
    /// read-write, writes it into Redis too (in the layout, with its TTL), so
    /// the production server picks it up. Read-only never writes; a layout
    /// without a ticket key (silenceper) has nothing to write. Returns a
    /// warning when the store could not be written (the ticket is stored).
    pub(crate) async fn team_publish_ticket(
        &self,
        component: &str,
        ticket: &str,
    ) -> Option<String> {
        let published = async {
            let Some(store) = self.team_store(Kind::Component, component).await? else {
                return Ok(());
            };
            let slot = Slot::Ticket { component };
            if store.config().mode != Mode::ReadWrite || store.key(slot).is_err() {
                return Ok(());
            }
            let guard = store.lock(slot, LOCK_LEASE, LOCK_WAIT).await?;
            let written = store.write_ticket(&guard, component, ticket).await;
            let _released = guard.release().await;
            written.map_err(Error::from)
        }
        .await;
        published.err().map(|e: Error| {
            format!("the ticket was stored, but not written to the team store (Redis): {e}")
        })
    }
}
