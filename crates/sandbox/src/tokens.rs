//! Access tokens and API quotas of mini programs and official accounts.
//!
//! Emulates the two token endpoints with their real, different rotation rules
//! (the most common source of production token bugs), and the quota
//! endpoints that read and reset the sandbox's own per-account daily counters:
//!
//! * `cgi-bin/token` mints a new token on every call; the previous one keeps
//!   working for `token_grace` (5 minutes), then answers 40001.
//! * `cgi-bin/stable_token` (POST JSON only) returns the same token until its
//!   last 300 s; `force_refresh` rotates at once (the old token dies
//!   immediately), at most 20 times a day, and is a no-op within 30 s of the
//!   previous effective force.
//! * The two pools are isolated: one never retires the other's tokens.
//! * `cgi-bin/openapi/quota/get` and `cgi-bin/clear_quota` (10 per month).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::state::{
    AppState, StablePool, State as SandboxState, TokenOwner, TokenPool, CLEAR_QUOTA_PER_MONTH,
    TOKEN_TTL,
};
use crate::wx::{self, Params, WxError, WxResult};
use crate::SandboxConfig;

/// Stable-token force refreshes allowed per day.
const FORCE_PER_DAY: u32 = 20;
/// A force refresh within this many seconds of the previous one does nothing.
const FORCE_SPACING: i64 = 30;
/// Daily limit of endpoints without a specific one.
const DEFAULT_DAILY_LIMIT: u32 = 1_000_000;

/// Which kind of account a quota path belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Mini program / official account APIs (own or authorizer token).
    Account,
    /// Third-party platform APIs (component token).
    Component,
}

/// The daily limit and owner scope of a cgi path (with leading slash), if the sandbox knows it.
pub(crate) fn daily_limit(config: &SandboxConfig, path: &str) -> Option<(Scope, u32)> {
    let account = |limit| Some((Scope::Account, limit));
    let component = |limit| Some((Scope::Component, limit));
    match path {
        "/cgi-bin/token" => account(config.legacy_daily_limit),
        "/cgi-bin/stable_token" => account(config.stable_daily_limit),
        "/wxa/business/getuserphonenumber"
        | "/wxa/checksession"
        | "/cgi-bin/openapi/quota/get"
        | "/cgi-bin/clear_quota"
        | "/cgi-bin/account/fastregister" => account(DEFAULT_DAILY_LIMIT),
        "/cgi-bin/component/api_component_token" => component(config.component_token_daily_limit),
        "/cgi-bin/component/api_authorizer_token" => component(config.authorizer_token_daily_limit),
        "/cgi-bin/component/api_start_push_ticket"
        | "/cgi-bin/component/api_create_preauthcode"
        | "/cgi-bin/component/api_query_auth"
        | "/cgi-bin/component/api_get_authorizer_info"
        | "/cgi-bin/component/api_get_authorizer_list"
        | "/cgi-bin/component/fastregisterweapp"
        | "/wxa/component/fastregisterpersonalweapp"
        | "/wxa/component/fastregisterbetaweapp" => component(DEFAULT_DAILY_LIMIT),
        _ => None,
    }
}

/// Counts one call of `path` (leading slash) against `appid`'s daily quota.
pub(crate) fn use_quota(
    state: &mut SandboxState,
    config: &SandboxConfig,
    appid: &str,
    path: &str,
    now: i64,
) -> Result<(), WxError> {
    let limit = daily_limit(config, path).map_or(DEFAULT_DAILY_LIMIT, |(_, limit)| limit);
    state.use_quota(appid, path, limit, now)
}

/// Checks an app's `appid`/`secret` pair, WeChat's way: 41002 appid missing,
/// 61024 when it is a component, 40013 unknown appid, 41004 secret missing,
/// 40125 wrong secret.
pub(crate) fn check_app_secret(
    state: &SandboxState,
    appid: Option<&str>,
    secret: Option<&str>,
) -> Result<String, WxError> {
    let appid = appid.ok_or_else(|| WxError::new(41002))?;
    let Some(account) = state.accounts.get(appid) else {
        if state.components.contains_key(appid) {
            return Err(WxError::new(61024));
        }
        return Err(WxError::new(40013));
    };
    let secret = secret.ok_or_else(|| WxError::new(41004))?;
    if account.secret.as_deref() != Some(secret) {
        return Err(WxError::new(40125));
    }
    Ok(appid.to_string())
}

/// `GET /cgi-bin/token?grant_type=client_credential&appid=&secret=`.
pub(crate) async fn token(State(shared): State<AppState>, p: Params) -> WxResult {
    if p.q("grant_type") != Some("client_credential") {
        return Err(WxError::new(40002));
    }
    let now = shared.now();
    let mut state = shared.lock();
    let appid = check_app_secret(&state, p.q("appid"), p.q("secret"))?;
    use_quota(&mut state, &shared.config, &appid, "/cgi-bin/token", now)?;
    let owner = TokenOwner::App {
        appid: appid.clone(),
    };
    let token = state.mint_token(owner, TokenPool::Legacy, now);
    let grace = i64::try_from(shared.config.token_grace.as_secs()).unwrap_or(i64::MAX);
    let previous = state
        .accounts
        .get_mut(&appid)
        .and_then(|a| a.legacy_current.replace(token.clone()));
    if let Some(previous) = previous {
        state.retire_token(&previous, now.saturating_add(grace));
    }
    state.prune(now);
    Ok(wx::json(
        json!({"access_token": token, "expires_in": TOKEN_TTL}),
    ))
}

/// `POST /cgi-bin/stable_token` with a JSON body.
pub(crate) async fn stable_token(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let body = p.json()?;
    if body.str("grant_type").as_deref() != Some("client_credential") {
        return Err(WxError::new(40002));
    }
    let force = body.bool("force_refresh").unwrap_or(false);
    let now = shared.now();
    let mut state = shared.lock();
    let appid = check_app_secret(
        &state,
        body.str("appid").as_deref(),
        body.str("secret").as_deref(),
    )?;
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/stable_token",
        now,
    )?;
    let mut pool = match state.accounts.get_mut(&appid) {
        Some(account) => std::mem::take(&mut account.stable),
        None => return Err(WxError::new(40013)),
    };
    let result = stable_issue(&mut state, &mut pool, &appid, force, now);
    if let Some(account) = state.accounts.get_mut(&appid) {
        account.stable = pool;
    }
    let (token, expires_in) = result?;
    Ok(wx::json(
        json!({"access_token": token, "expires_in": expires_in}),
    ))
}

fn stable_issue(
    state: &mut SandboxState,
    pool: &mut StablePool,
    appid: &str,
    force: bool,
    now: i64,
) -> Result<(String, i64), WxError> {
    let owner = TokenOwner::App {
        appid: appid.to_string(),
    };
    let within_spacing = pool
        .last_force_at
        .is_some_and(|last| now - last < FORCE_SPACING);
    if force && !within_spacing {
        if pool.force_today.get(now) >= FORCE_PER_DAY {
            return Err(WxError::new(45009));
        }
        for old in [pool.current.take(), pool.previous.take()]
            .into_iter()
            .flatten()
        {
            state.retire_token(&old, now);
        }
        let token = state.mint_token(owner, TokenPool::Stable, now);
        pool.current = Some(token.clone());
        pool.last_force_at = Some(now);
        pool.force_today.bump(now);
        return Ok((token, TOKEN_TTL));
    }
    let (token, expires_in) =
        state.reuse_or_mint(pool.current.as_deref(), owner, TokenPool::Stable, now);
    if pool.current.as_deref() != Some(token.as_str()) {
        pool.previous = pool.current.replace(token.clone());
    }
    Ok((token, expires_in))
}

/// The account a token acts for, and the scope of APIs it may query.
fn token_account(
    state: &SandboxState,
    token: Option<&str>,
    now: i64,
) -> Result<(String, Scope), WxError> {
    let info = state.check_token(token, now)?;
    match &info.owner {
        TokenOwner::Component { appid } => Ok((appid.clone(), Scope::Component)),
        TokenOwner::App { .. } | TokenOwner::Authorizer { .. } => {
            Ok((state.mp_appid_for_token(token, now)?, Scope::Account))
        }
    }
}

/// `POST /cgi-bin/openapi/quota/get?access_token=` `{"cgi_path":"/..."}`.
pub(crate) async fn quota_get(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let (appid, scope) = token_account(&state, p.q("access_token"), now)?;
    let body = p.json()?;
    let path = body
        .str("cgi_path")
        .ok_or_else(|| WxError::hint(47001, "cgi_path missing"))?;
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/openapi/quota/get",
        now,
    )?;
    if !path.starts_with('/') {
        return Err(WxError::new(76003));
    }
    if path.contains("/sns/") {
        return Err(WxError::new(76022));
    }
    let (path_scope, limit) =
        daily_limit(&shared.config, &path).ok_or_else(|| WxError::new(76021))?;
    if path_scope != scope {
        return Err(WxError::new(76022));
    }
    let used = state.quota_used(&appid, &path, now);
    Ok(wx::ok(json!({
        "quota": {"daily_limit": limit, "used": used, "remain": limit.saturating_sub(used)}
    })))
}

/// `POST /cgi-bin/clear_quota?access_token=` `{"appid":"..."}`.
pub(crate) async fn clear_quota(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let (owner, _) = token_account(&state, p.q("access_token"), now)?;
    let body = p.json()?;
    let appid = body.str("appid").ok_or_else(|| WxError::new(41002))?;
    if appid != owner {
        return Err(WxError::hint(
            40013,
            "appid does not match the access_token's account",
        ));
    }
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/clear_quota",
        now,
    )?;
    let clears = if let Some(account) = state.accounts.get_mut(&appid) {
        &mut account.quota_clears
    } else if let Some(component) = state.components.get_mut(&appid) {
        &mut component.quota_clears
    } else {
        return Err(WxError::new(40013));
    };
    if clears.get(now) >= CLEAR_QUOTA_PER_MONTH {
        return Err(WxError::new(48006));
    }
    clears.bump(now);
    state.usage.remove(&appid);
    Ok(wx::ok(json!({})))
}

/// A plain 404 for paths the sandbox does not emulate.
pub(crate) async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        "404 Not Found: this path is not emulated by the wxdesk sandbox\n",
    )
        .into_response()
}
