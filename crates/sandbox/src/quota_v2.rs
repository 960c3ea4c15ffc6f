//! `clear_quota/v2` for apps and platforms: quota resets authenticated by
//! AppSecret instead of an access token.
//!
//! When the token endpoint itself has hit 45009 there is no token to call
//! `clear_quota` with; these two are the way out. They share the 10-per-month
//! reset budget with `clear_quota`:
//!
//! * `POST cgi-bin/clear_quota/v2?appid=&appsecret=` resets an app.
//! * `POST cgi-bin/component/clear_quota/v2` `{"component_appid","appsecret","appid"?}`
//!   resets the platform itself, or (with `appid`) one of its active authorizers.

use axum::extract::State;
use serde_json::json;

use crate::state::{AppState, MonthlyCount, CLEAR_QUOTA_PER_MONTH};
use crate::tokens::check_app_secret;
use crate::wx::{self, Params, WxError, WxResult};

fn spend(clears: &mut MonthlyCount, now: i64) -> Result<(), WxError> {
    if clears.get(now) >= CLEAR_QUOTA_PER_MONTH {
        return Err(WxError::new(48006));
    }
    clears.bump(now);
    Ok(())
}

/// `POST /cgi-bin/clear_quota/v2?appid=&appsecret=`.
pub(crate) async fn clear_quota_v2(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let appid = check_app_secret(&state, p.q("appid"), p.q("appsecret"))?;
    let account = state
        .accounts
        .get_mut(&appid)
        .ok_or_else(|| WxError::new(40013))?;
    spend(&mut account.quota_clears, now)?;
    state.usage.remove(&appid);
    Ok(wx::ok(json!({})))
}

/// `POST /cgi-bin/component/clear_quota/v2` `{"component_appid","appsecret","appid"?}`.
pub(crate) async fn component_clear_quota_v2(
    State(shared): State<AppState>,
    p: Params,
) -> WxResult {
    p.require_post()?;
    let body = p.json()?;
    let component_appid = body
        .str("component_appid")
        .ok_or_else(|| WxError::new(41002))?;
    let secret = body.str("appsecret").ok_or_else(|| WxError::new(41004))?;
    let now = shared.now();
    let mut state = shared.lock();
    let component = state
        .components
        .get_mut(&component_appid)
        .ok_or_else(|| WxError::new(61011))?;
    if component.secret != secret {
        return Err(WxError::new(40125));
    }
    let target = match body.str("appid") {
        None => {
            spend(&mut component.quota_clears, now)?;
            component_appid
        }
        Some(appid) => {
            let active = component
                .authorizations
                .get(&appid)
                .is_some_and(|a| !a.revoked);
            if !active {
                return Err(WxError::new(61003));
            }
            let account = state
                .accounts
                .get_mut(&appid)
                .ok_or_else(|| WxError::new(40013))?;
            spend(&mut account.quota_clears, now)?;
            appid
        }
    };
    state.usage.remove(&target);
    Ok(wx::ok(json!({})))
}
