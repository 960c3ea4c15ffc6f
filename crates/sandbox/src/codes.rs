//! Single-use user codes: `wx.login` codes, phone-number codes and sessions.
//!
//! A mini program's back end turns a `wx.login` code into an openid and a
//! session_key (`sns/jscode2session`, or the platform variant
//! `sns/component/jscode2session`), a getPhoneNumber code into a phone number
//! (`wxa/business/getuserphonenumber`), and proves a session is still current
//! with `wxa/checksession`. Codes are minted by hooks (standing in for the
//! WeChat client), live 5 minutes and work once: 40029 when unknown or
//! expired, 40163 when reused. Every login rotates the user's session_key, so
//! a checksession signed with an older key answers 87009.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;
use wxdesk_wechat::crypto::signature::{checksession_signature, verify_hex};

use crate::ids;
use crate::state::{
    AppState, JsCodeRecord, PhoneCodeRecord, State as SandboxState, User, CODE_TTL,
};
use crate::tokens::{check_app_secret, use_quota};
use crate::wx::{self, Params, WxError, WxResult};

/// A `wx.login` code as the WeChat client would hand it to a mini program,
/// plus what exchanging it will reveal (for assertions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsCode {
    /// The code (32 characters, valid 5 minutes, single use).
    pub code: String,
    /// The user's openid in this app.
    pub openid: String,
    /// The user's unionid, when the user has one.
    pub unionid: Option<String>,
    /// The session_key this login created (it replaces the user's previous one).
    pub session_key: String,
}

/// Whether `appid` is bound to an open platform (authorized to some component):
/// such apps' new users get a unionid.
fn open_bound(state: &SandboxState, appid: &str) -> bool {
    state
        .components
        .values()
        .any(|c| c.authorizations.get(appid).is_some_and(|a| !a.revoked))
}

/// Logs a user in: creates the user if needed, rotates the session_key and
/// issues a js_code. `unionid` sets the user's unionid when given.
pub(crate) fn issue_js_code(
    state: &mut SandboxState,
    now: i64,
    appid: &str,
    openid: Option<&str>,
    unionid: Option<&str>,
) -> JsCode {
    let bound = open_bound(state, appid);
    let users = state.users.entry(appid.to_string()).or_default();
    let openid = openid.map_or_else(ids::openid, str::to_string);
    let user = users.entry(openid.clone()).or_insert_with(|| User {
        openid: openid.clone(),
        unionid: None,
        session_key: None,
    });
    if let Some(unionid) = unionid {
        user.unionid = Some(unionid.to_string());
    } else if user.unionid.is_none() && bound {
        user.unionid = Some(ids::openid());
    }
    let session_key = ids::session_key();
    user.session_key = Some(session_key.clone());
    let unionid = user.unionid.clone();
    let code = ids::js_code();
    state.js_codes.insert(
        code.clone(),
        JsCodeRecord {
            appid: appid.to_string(),
            openid: openid.clone(),
            session_key: session_key.clone(),
            issued_at: now,
            used: false,
        },
    );
    state.prune(now);
    JsCode {
        code,
        openid,
        unionid,
        session_key,
    }
}

/// Issues a getPhoneNumber code for `phone` in `appid`.
pub(crate) fn issue_phone_code(
    state: &mut SandboxState,
    now: i64,
    appid: &str,
    phone: &str,
) -> String {
    let code = ids::phone_code();
    state.phone_codes.insert(
        code.clone(),
        PhoneCodeRecord {
            appid: appid.to_string(),
            phone: phone.trim().to_string(),
            issued_at: now,
            used: false,
        },
    );
    state.prune(now);
    code
}

/// Marks a single-use code used: 40163 when it already was, 40029 when it
/// expired ([`CODE_TTL`]).
fn consume(used: &mut bool, issued_at: i64, now: i64) -> Result<(), WxError> {
    if *used {
        return Err(WxError::new(40163));
    }
    if now - issued_at >= CODE_TTL {
        return Err(WxError::new(40029));
    }
    *used = true;
    Ok(())
}

/// Consumes a js_code of `appid`: 40029 unknown/expired/other app, 40163 reused.
fn exchange_js_code(state: &mut SandboxState, appid: &str, code: &str, now: i64) -> WxResult {
    let record = state
        .js_codes
        .get_mut(code)
        .filter(|r| r.appid == appid)
        .ok_or_else(|| WxError::new(40029))?;
    consume(&mut record.used, record.issued_at, now)?;
    let (openid, session_key) = (record.openid.clone(), record.session_key.clone());
    let unionid = state
        .users
        .get(appid)
        .and_then(|u| u.get(&openid))
        .and_then(|u| u.unionid.clone());
    let mut body = json!({"openid": openid, "session_key": session_key});
    if let Some(unionid) = unionid {
        body["unionid"] = json!(unionid);
    }
    Ok(wx::json(body))
}

/// `GET /sns/jscode2session?appid=&secret=&js_code=&grant_type=authorization_code`.
pub(crate) async fn jscode2session(State(shared): State<AppState>, p: Params) -> WxResult {
    let now = shared.now();
    let mut state = shared.lock();
    let appid = check_app_secret(&state, p.q("appid"), p.q("secret")).map_err(|e| {
        // A component appid is simply not a mini program here.
        if e.errcode == 61024 {
            WxError::new(40013)
        } else {
            e
        }
    })?;
    if p.q("grant_type") != Some("authorization_code") {
        return Err(WxError::new(40002));
    }
    let code = p.q("js_code").ok_or_else(|| WxError::new(41008))?;
    exchange_js_code(&mut state, &appid, code, now)
}

/// `GET /sns/component/jscode2session?appid=&js_code=&grant_type=authorization_code&component_appid=&component_access_token=`.
pub(crate) async fn component_jscode2session(
    State(shared): State<AppState>,
    p: Params,
) -> WxResult {
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    match p.q("component_appid") {
        None => return Err(WxError::hint(41002, "component_appid missing")),
        Some(c) if c != component => {
            return Err(WxError::hint(
                40013,
                "component_appid does not match the component_access_token",
            ))
        }
        Some(_) => {}
    }
    let appid = p.q("appid").ok_or_else(|| WxError::new(41002))?;
    let authorized = state
        .components
        .get(&component)
        .and_then(|c| c.authorizations.get(appid))
        .is_some_and(|a| !a.revoked);
    if !authorized {
        return Err(WxError::new(61003));
    }
    if p.q("grant_type") != Some("authorization_code") {
        return Err(WxError::new(40002));
    }
    let code = p.q("js_code").ok_or_else(|| WxError::new(41008))?;
    exchange_js_code(&mut state, appid, code, now)
}

/// Splits a seeded phone into (phoneNumber, purePhoneNumber, countryCode).
/// `13800138000` is a mainland number; `+1 2025550123` (or `+1-…`) carries a
/// country code, which non-CN `phoneNumber`s include.
fn phone_parts(phone: &str) -> (String, String, String) {
    if let Some(rest) = phone.strip_prefix('+') {
        let cc: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let pure = rest[cc.len()..].trim_start_matches([' ', '-']).to_string();
        if cc == "86" {
            return (pure.clone(), pure, cc);
        }
        return (format!("+{cc} {pure}"), pure, cc);
    }
    (phone.to_string(), phone.to_string(), "86".to_string())
}

/// `POST /wxa/business/getuserphonenumber?access_token=` `{"code":"..."}`.
pub(crate) async fn getuserphonenumber(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let appid = state.mp_appid_for_token(p.q("access_token"), now)?;
    let body = p.json()?;
    let code = body.str("code").ok_or_else(|| WxError::new(41008))?;
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/wxa/business/getuserphonenumber",
        now,
    )?;
    let record = state
        .phone_codes
        .get_mut(&code)
        .filter(|r| r.appid == appid)
        .ok_or_else(|| WxError::new(40029))?;
    consume(&mut record.used, record.issued_at, now)?;
    let (phone_number, pure, country) = phone_parts(&record.phone);
    Ok(wx::ok(json!({
        "phone_info": {
            "phoneNumber": phone_number,
            "purePhoneNumber": pure,
            "countryCode": country,
            "watermark": {"timestamp": record.issued_at, "appid": appid},
        }
    })))
}

/// `GET /wxa/checksession?access_token=&openid=&signature=&sig_method=hmac_sha256`.
pub(crate) async fn checksession(State(shared): State<AppState>, p: Params) -> WxResult {
    let now = shared.now();
    let mut state = shared.lock();
    let appid = state.mp_appid_for_token(p.q("access_token"), now)?;
    use_quota(&mut state, &shared.config, &appid, "/wxa/checksession", now)?;
    let openid = p
        .q("openid")
        .ok_or_else(|| WxError::hint(40097, "openid missing"))?;
    if p.q("sig_method") != Some("hmac_sha256") {
        return Err(WxError::hint(40097, "sig_method must be hmac_sha256"));
    }
    let signature = p.q("signature").ok_or_else(|| WxError::new(87009))?;
    let session_key = state
        .users
        .get(&appid)
        .and_then(|u| u.get(openid))
        .and_then(|u| u.session_key.clone())
        .ok_or_else(|| WxError::new(87009))?;
    if verify_hex(&checksession_signature(&session_key), signature) {
        Ok(wx::ok(json!({})))
    } else {
        Err(WxError::new(87009))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(
            phone_parts("13800138000"),
            ("13800138000".into(), "13800138000".into(), "86".into())
        );
        assert_eq!(
            phone_parts("+1 2025550123"),
            ("+1 2025550123".into(), "2025550123".into(), "1".into())
        );
        assert_eq!(
            phone_parts("+86-13800138000"),
            ("13800138000".into(), "13800138000".into(), "86".into())
        );
    }
}
