//! Getting WeChat tokens without stampedes, and using them with one retry.
//!
//! Three rules shape this module:
//!
//! 1. **Do no harm to production.** A mini program's token comes from
//!    `stable_token` in normal mode, which hands back the token production
//!    already holds. Legacy `cgi-bin/token` and `force_refresh` rotate it and
//!    are used only when the operator asks; force refreshes are counted
//!    locally against WeChat's 20-a-day budget (Beijing days) and refused
//!    within 30 s of the previous one, before anything is sent.
//! 2. **One fetch per token, however many callers.** Every token is cached
//!    (sealed) in the `tokens` table and refreshed when less than five
//!    minutes remain. A fetch is single-flighted twice: in-process by a
//!    per-token async lock (callers that queued behind an attempt reuse its
//!    outcome), and across processes sharing the database by a lease row in
//!    `token_leases`, taken in a `BEGIN IMMEDIATE` transaction; a process that
//!    finds someone else's live lease polls the cache until the token appears
//!    or the lease expires, then takes over.
//! 3. **Recover once from a stale token, never loop.** `with_*_token`
//!    (`services::token_use`) runs a
//!    call; on 40001/40014/42001 it deletes the cached token only if it is
//!    still the value that failed (compare-and-delete, so concurrent callers do
//!    not each trigger a refresh), gets a token again (single flight) and
//!    retries exactly once.
//!
//! Network calls never run inside a database transaction; each result is
//! written in one transaction (token, rotated refresh token, force record and
//! lease release together).
//!
//! 4. **Only newer values replace older ones.** The token write is a
//!    compare-and-set on the generation read when the lease was taken, and a
//!    rotated refresh token is a compare-and-set on the authorizer's
//!    generation read with the refresh token sent. A fetch whose lease
//!    expired mid-call (another process took over and wrote a newer token)
//!    does not overwrite it and hands out the newer token instead; a rotated
//!    refresh token that cannot become current is kept as the authorizer's
//!    spare, which a refresh tries when WeChat rejects the stored one (61023).

use std::time::{Duration, Instant};

use wxdesk_wechat::links::validate_appid;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::token_status::{check_force_budget, force_budget_in};
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::store::{apps, components, token_rows as token_store, Store};
use crate::token_types::{
    clamp_expires_in, fresh_enough, replicate, token_row, AppTokenMode, IssuedToken, TokenGrant,
    TokenKind, TokenSource, FORCE_WARNING, LEASE_SECS, LEGACY_WARNING, TOKEN_VALUE,
};

/// How often a process waiting on another process's lease re-reads the cache.
const LEASE_POLL: Duration = Duration::from_millis(50);

/// Longest a caller waits on other holders' leases before taking over anyway
/// (a safety net: a lease normally ends with a token or expires in 30 s).
const MAX_LEASE_WAIT: Duration = Duration::from_secs(45);

/// Which token to fetch, with what it is fetched from.
#[derive(Debug, Clone)]
pub(super) enum Spec {
    AppStable {
        appid: String,
    },
    AppLegacy {
        appid: String,
    },
    Component {
        component: String,
    },
    Authorizer {
        component: String,
        authorizer: String,
    },
}

impl Spec {
    pub(super) fn kind(&self) -> TokenKind {
        match self {
            Spec::AppStable { .. } => TokenKind::AppStable,
            Spec::AppLegacy { .. } => TokenKind::AppLegacy,
            Spec::Component { .. } => TokenKind::Component,
            Spec::Authorizer { .. } => TokenKind::Authorizer,
        }
    }

    pub(super) fn owner(&self) -> String {
        match self {
            Spec::AppStable { appid } | Spec::AppLegacy { appid } => appid.clone(),
            Spec::Component { component } => component.clone(),
            Spec::Authorizer {
                component,
                authorizer,
            } => crate::token_types::authorizer_owner(component, authorizer),
        }
    }
}

/// What WeChat returned.
pub(super) struct Fetched {
    pub(super) token: Zeroizing<String>,
    pub(super) expires_in: i64,
    /// For authorizer tokens: what happened to the refresh token.
    pub(super) refresh: Option<RefreshUsed>,
}

/// The refresh token an authorizer-token fetch sent, and what came back.
pub(super) struct RefreshUsed {
    /// The stored refresh token when the fetch read it.
    pub(super) stored: Zeroizing<String>,
    /// The authorizer's refresh-token generation read with it.
    pub(super) generation: i64,
    /// The refresh token to keep: the one WeChat returned (rotated or not),
    /// or the spare that worked; `None` when WeChat returned none.
    pub(super) keep: Option<Zeroizing<String>>,
}

/// What the lease transaction decided.
enum Step {
    Cached(token_store::TokenRow),
    /// Leased; the token's generation at that moment (`None`: not cached).
    Leased(Option<i64>),
    Wait,
}

/// Releases a lease when dropped while still armed (failure paths, panics,
/// cancelled futures), so other processes need not wait for its expiry.
struct LeaseGuard<'a> {
    store: &'a Store,
    scope: &'a str,
    kind: TokenKind,
    owner: &'a str,
    holder: String,
    armed: bool,
}

impl LeaseGuard<'_> {
    fn release(&mut self) {
        if self.armed {
            let released = self.store.write(|tx| {
                token_store::release_lease(tx, self.scope, self.kind, self.owner, &self.holder)
            });
            // On a database error the lease simply expires in LEASE_SECS.
            if released.is_ok() {
                self.armed = false;
            }
        }
    }
}

impl Drop for LeaseGuard<'_> {
    fn drop(&mut self) {
        self.release();
    }
}

impl Desk {
    /// A mini program's access token: cached, else fetched with `mode`
    /// (`Stable` normal mode by default; `Legacy` mints a new token and the
    /// grant carries a warning). `force` skips the cache: with `Stable` it is a
    /// `force_refresh`, refused locally when the 20-a-day budget is spent or the
    /// previous force was less than 30 s ago.
    pub async fn app_token(
        &self,
        appid: &str,
        mode: AppTokenMode,
        force: bool,
    ) -> Result<TokenGrant> {
        validate_appid("appid", appid)?;
        self.store().read(|c| apps::require(c, appid))?;
        let spec = match mode {
            AppTokenMode::Stable => Spec::AppStable {
                appid: appid.to_string(),
            },
            AppTokenMode::Legacy => Spec::AppLegacy {
                appid: appid.to_string(),
            },
        };
        let mut grant = self.obtain(&spec, force).await?;
        if mode == AppTokenMode::Stable {
            let now = self.now();
            let budget = self
                .store()
                .read(|c| force_budget_in(c, self.scope(), appid, now))?;
            grant.force_budget_left = Some(budget.left);
        }
        Ok(grant)
    }

    /// A third-party platform's component_access_token, fetched (when not
    /// cached, or with `force`) from the newest component_verify_ticket.
    pub async fn component_token(&self, component_appid: &str, force: bool) -> Result<TokenGrant> {
        validate_appid("component_appid", component_appid)?;
        self.store()
            .read(|c| components::require(c, component_appid))?;
        self.obtain(
            &Spec::Component {
                component: component_appid.to_string(),
            },
            force,
        )
        .await
    }

    /// An authorizer_access_token, fetched (when not cached, or with `force`)
    /// from the stored refresh token; a refresh token WeChat rotates is saved
    /// with the new token. A revoked authorizer is refused.
    pub async fn authorizer_token(
        &self,
        component_appid: &str,
        authorizer_appid: &str,
        force: bool,
    ) -> Result<TokenGrant> {
        validate_appid("component_appid", component_appid)?;
        validate_appid("authorizer_appid", authorizer_appid)?;
        let row = self
            .store()
            .read(|c| authorizers::require(c, component_appid, authorizer_appid))?;
        if row.status == AuthorizerStatus::Revoked {
            return Err(Error::Revoked(authorizer_appid.to_string()));
        }
        let spec = Spec::Authorizer {
            component: component_appid.to_string(),
            authorizer: authorizer_appid.to_string(),
        };
        self.obtain(&spec, force).await
    }

    /// A usable cached token of (kind, owner), or `None`.
    fn cached_grant(&self, kind: TokenKind, owner: &str) -> Result<Option<TokenGrant>> {
        let row = self
            .store()
            .read(|c| token_store::get(c, self.scope(), kind, owner))?;
        let now = self.now();
        match row {
            Some(row) if fresh_enough(row.expires_at, now) => {
                self.grant_from_row(row, now).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn grant_from_row(&self, row: token_store::TokenRow, now: i64) -> Result<TokenGrant> {
        let token = self.vault().open(TOKEN_VALUE, &row.value)?;
        Ok(TokenGrant {
            kind: row.kind,
            owner: row.owner,
            token,
            expires_at: row.expires_at,
            source: TokenSource::Cache,
            endpoint: row.source,
            granted_at: now,
            warning: None,
            force_budget_left: None,
            team: None,
        })
    }

    /// The cache, else one fetch per token across callers and processes.
    async fn obtain(&self, spec: &Spec, force: bool) -> Result<TokenGrant> {
        if let Some(store) = self.team_store_for(spec).await? {
            // Bound to a team store: Redis is the source, never a local mint.
            return self.obtain_from_team(&store, spec, force).await;
        }
        let kind = spec.kind();
        let owner = spec.owner();
        if !force {
            if let Some(g) = self.cached_grant(kind, &owner)? {
                return Ok(g);
            }
        }
        let flight = self.flights.flight(&format!("{}:{owner}", kind.as_str()));
        let seen = flight.finished();
        let mut state = flight.lock().await;
        if flight.finished() != seen {
            // An attempt finished while we queued: reuse its outcome.
            match &state.failure {
                None if !force || state.forced => {
                    if let Some(g) = self.cached_grant(kind, &owner)? {
                        return Ok(g);
                    }
                }
                Some(e) if state.forced == force => {
                    if let Some(e) = replicate(e) {
                        return Err(e);
                    }
                }
                _ => {}
            }
        }
        let result = self.fetch_with_lease(spec, &owner, force).await;
        flight.finish(&mut state, force, &result);
        result
    }

    /// Takes the cross-process lease (or waits for another holder's token),
    /// fetches, and writes the result.
    async fn fetch_with_lease(&self, spec: &Spec, owner: &str, force: bool) -> Result<TokenGrant> {
        let kind = spec.kind();
        let scope = self.scope();
        let holder = format!(
            "{:016x}{:016x}",
            rand::random::<u64>(),
            rand::random::<u64>()
        );
        let started = Instant::now();
        let observed = loop {
            let now = self.now();
            let take_over = started.elapsed() >= MAX_LEASE_WAIT;
            let step = self.store().write(|tx| {
                let current = token_store::get(tx, scope, kind, owner)?;
                if let (false, Some(row)) = (force, &current) {
                    if fresh_enough(row.expires_at, now) {
                        return Ok(Step::Cached(row.clone()));
                    }
                }
                if token_store::try_lease(
                    tx,
                    scope,
                    kind,
                    owner,
                    &holder,
                    now,
                    now.saturating_add(LEASE_SECS),
                    take_over,
                )?
                .is_some()
                {
                    return Ok(Step::Wait);
                }
                if let (true, Spec::AppStable { appid }) = (force, spec) {
                    // Inside the lease transaction, so two processes cannot both pass.
                    check_force_budget(tx, scope, appid, now)?;
                }
                Ok(Step::Leased(current.map(|r| r.generation)))
            })?;
            match step {
                Step::Cached(row) => return self.grant_from_row(row, now),
                Step::Leased(generation) => break generation,
                Step::Wait => {
                    if let Some(g) = self.wait_for_holder(kind, owner, force, started).await? {
                        return Ok(g);
                    }
                }
            }
        };

        let mut lease = LeaseGuard {
            store: self.store(),
            scope,
            kind,
            owner,
            holder,
            armed: true,
        };
        let fetched = self.fetch_upstream(spec, force).await;
        let now = self.now();
        let forced_stable = match spec {
            Spec::AppStable { appid } if force => Some(appid.as_str()),
            _ => None,
        };
        let fetched = match fetched {
            Ok(f) => f,
            Err(e) => {
                // A force that may have reached WeChat counts against the budget
                // (timeouts included: WeChat may have rotated the token).
                let reached = matches!(
                    e,
                    Error::Wechat(
                        wxdesk_wechat::Error::Timeout { .. }
                            | wxdesk_wechat::Error::Transport { .. }
                    )
                );
                if let (Some(appid), true) = (forced_stable, reached) {
                    let written = self.store().write(|tx| {
                        token_store::record_force(tx, scope, appid, now)?;
                        token_store::release_lease(tx, scope, kind, owner, &lease.holder)
                    });
                    if written.is_ok() {
                        lease.armed = false;
                    }
                }
                lease.release();
                return Err(e);
            }
        };
        let endpoint = kind.endpoint();
        let vault = self.vault();
        let issued = IssuedToken {
            kind,
            owner,
            value: &fetched.token,
            expires_in: fetched.expires_in,
            source: endpoint,
        };
        let row = token_row(vault, &issued, now)?;
        let newer = self.store().write(|tx| {
            // Compare-and-set: if someone wrote (or dropped) the token since
            // the lease was taken, theirs is newer and stays.
            let written = token_store::put_if_generation(tx, scope, &row, observed)?;
            if let (
                Spec::Authorizer {
                    component,
                    authorizer,
                },
                Some(used),
            ) = (spec, &fetched.refresh)
            {
                if let Some(keep) = used.keep.as_ref().filter(|k| !k.trim().is_empty()) {
                    if keep.as_str() != used.stored.as_str() {
                        let sealed = vault.seal(authorizers::REFRESH_TOKEN, keep)?;
                        if !authorizers::set_refresh_token_if_generation(
                            tx,
                            component,
                            authorizer,
                            &sealed,
                            used.generation,
                            now,
                        )? {
                            // A newer refresh token was stored meanwhile; never drop
                            // the one WeChat just issued: keep it as the spare.
                            authorizers::set_spare_refresh_token(
                                tx, component, authorizer, &sealed, now,
                            )?;
                        }
                    }
                }
            }
            if let Some(appid) = forced_stable {
                token_store::record_force(tx, scope, appid, now)?;
            }
            token_store::release_lease(tx, scope, kind, owner, &lease.holder)?;
            if written {
                Ok(None)
            } else {
                token_store::get(tx, scope, kind, owner)
            }
        })?;
        lease.armed = false;
        let warning = match (kind, force) {
            (TokenKind::AppLegacy, _) => Some(LEGACY_WARNING.to_string()),
            (TokenKind::AppStable, true) => Some(FORCE_WARNING.to_string()),
            _ => None,
        };
        if let Some(newer) = newer.filter(|r| fresh_enough(r.expires_at, now)) {
            // Another holder stored a newer token while this call was out:
            // hand out the stored one, so every caller sees the same token.
            let mut g = self.grant_from_row(newer, now)?;
            g.warning = warning;
            return Ok(g);
        }
        Ok(TokenGrant {
            kind,
            owner: owner.to_string(),
            expires_at: now.saturating_add(clamp_expires_in(fetched.expires_in)),
            token: fetched.token,
            source: TokenSource::Fresh,
            endpoint: endpoint.to_string(),
            granted_at: now,
            warning,
            force_budget_left: None,
            team: None,
        })
    }

    /// Polls while another process holds the lease. Returns its token once it
    /// appears, or `None` when the lease is gone or expired (the caller then
    /// tries to take it).
    async fn wait_for_holder(
        &self,
        kind: TokenKind,
        owner: &str,
        force: bool,
        started: Instant,
    ) -> Result<Option<TokenGrant>> {
        loop {
            tokio::time::sleep(LEASE_POLL).await;
            let now = self.now();
            let (row, lease) = self.store().read(|c| {
                Ok((
                    token_store::get(c, self.scope(), kind, owner)?,
                    token_store::lease(c, self.scope(), kind, owner)?,
                ))
            })?;
            if !force {
                if let Some(row) = row {
                    if fresh_enough(row.expires_at, now) {
                        return self.grant_from_row(row, now).map(Some);
                    }
                }
            }
            let live = lease.is_some_and(|l| l.expires_at > now);
            if !live || started.elapsed() >= MAX_LEASE_WAIT {
                return Ok(None);
            }
        }
    }
}
