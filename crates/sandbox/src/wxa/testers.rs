//! Testers ("体验者"): `wxa/bind_tester`, `wxa/unbind_tester`,
//! `wxa/memberauth`. Only bound testers may open the experience version (the
//! `/__sandbox/wxa/scan` hook plays the scan). A verified mini program may
//! bind [`super::TESTER_CAP_VERIFIED`] testers, an unverified one
//! [`super::TESTER_CAP_UNVERIFIED`] (85002); a WeChat ID that does not look
//! like one answers 85001, a second bind 85004.

use axum::extract::State;
use serde_json::{json, Value};

use super::{err, err_hint, locked_caller, TESTER_CAP_UNVERIFIED, TESTER_CAP_VERIFIED};
use crate::ids;
use crate::state::{AppState, State as SandboxState};
use crate::wx::{self, Params, WxResult};

/// True for a string shaped like a WeChat ID (6–20 chars, letter first).
pub(crate) fn is_wechat_id(id: &str) -> bool {
    let n = id.chars().count();
    (6..=20).contains(&n)
        && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The tester cap of `appid`.
pub(crate) fn cap(state: &SandboxState, appid: &str) -> usize {
    let verified = state
        .accounts
        .get(appid)
        .is_some_and(|a| a.profile.verify_type >= 0);
    if verified {
        TESTER_CAP_VERIFIED
    } else {
        TESTER_CAP_UNVERIFIED
    }
}

/// `POST wxa/bind_tester` `{"wechatid"}` → `{"userstr"}`.
pub(crate) async fn bind(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let wechatid = body
        .str("wechatid")
        .ok_or_else(|| err_hint(47001, "wechatid missing"))?;
    if !is_wechat_id(&wechatid) {
        return Err(err(85001));
    }
    let cap = cap(&state, &c.appid);
    let app = state.wxa.app(&c.appid);
    if app.testers.contains_key(&wechatid) {
        return Err(err(85004));
    }
    if app.testers.len() >= cap {
        return Err(err(85002));
    }
    let userstr = ids::hex(32);
    app.testers.insert(wechatid, userstr.clone());
    Ok(wx::ok(json!({ "userstr": userstr })))
}

/// `POST wxa/unbind_tester` `{"wechatid"}` or `{"userstr"}`.
pub(crate) async fn unbind(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let app = state.wxa.app(&c.appid);
    let key = match (body.str("wechatid"), body.str("userstr")) {
        (Some(w), _) => app.testers.contains_key(&w).then_some(w),
        (None, Some(u)) => app
            .testers
            .iter()
            .find(|(_, s)| **s == u)
            .map(|(w, _)| w.clone()),
        (None, None) => return Err(err_hint(47001, "wechatid or userstr missing")),
    };
    let key = key.ok_or_else(|| err_hint(85001, "not a tester of this mini program"))?;
    app.testers.remove(&key);
    Ok(wx::ok(json!({})))
}

/// `POST wxa/memberauth` `{"action":"get_experiencer"}`.
pub(crate) async fn memberauth(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    if body.str("action").as_deref() != Some("get_experiencer") {
        return Err(err_hint(40097, "action must be get_experiencer"));
    }
    let members: Vec<Value> = state
        .wxa
        .app(&c.appid)
        .testers
        .values()
        .map(|u| json!({ "userstr": u }))
        .collect();
    Ok(wx::ok(json!({ "members": members })))
}
