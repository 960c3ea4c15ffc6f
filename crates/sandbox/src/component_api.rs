//! The platform endpoints of the emulated WeChat as HTTP handlers:
//! `api_start_push_ticket`, `api_component_token`, pre-auth codes,
//! `api_query_auth`, `api_authorizer_token`, authorizer info and the paged
//! authorizer list, plus [`component_call`], the prologue every
//! component-token endpoint shares. The state they act on (seeds, tickets,
//! the authorization core) is in `component`.

use std::sync::MutexGuard;

use axum::extract::State;
use serde_json::{json, Value};

use crate::component::*;
use crate::ids;
use crate::pushes;
use crate::state::{
    Account, AppState, AuthorizationRecord, PreAuthRecord, Shared, State as SandboxState,
    TokenOwner, TokenPool, AUTH_CODE_TTL, TICKET_TTL,
};
use crate::tokens::use_quota;
use crate::wx::{self, Body, Params, WxError, WxResult};

/// Common prologue of component-token endpoints: POST, a valid
/// component_access_token (either query name), a JSON body whose
/// `component_appid` (when `need_appid`) matches the token; counts the
/// component's quota of `quota_path` when given. Hands the endpoint the clock
/// reading, the locked state, the calling component and the JSON body.
pub(crate) fn component_call<'a>(
    shared: &'a Shared,
    p: &Params,
    quota_path: Option<&str>,
    need_appid: bool,
) -> Result<(i64, MutexGuard<'a, SandboxState>, String, Body), WxError> {
    let now = shared.now();
    let mut state = shared.lock();
    p.require_post()?;
    let component = state.component_for_token(p.component_token(), now)?;
    let body = p.json()?;
    if need_appid {
        match body.str("component_appid") {
            None => return Err(WxError::hint(41002, "component_appid missing")),
            Some(appid) if appid != component => {
                return Err(WxError::hint(
                    40013,
                    "component_appid does not match the component_access_token",
                ))
            }
            Some(_) => {}
        }
    }
    if let Some(path) = quota_path {
        use_quota(&mut state, &shared.config, &component, path, now)?;
    }
    Ok((now, state, component, body))
}

/// Checks a component's appid/secret pair (41002/40013/61011/41004/40125).
fn check_component_secret(
    state: &SandboxState,
    appid: Option<String>,
    secret: Option<String>,
) -> Result<String, WxError> {
    let appid = appid.ok_or_else(|| WxError::hint(41002, "component_appid missing"))?;
    let Some(component) = state.components.get(&appid) else {
        if state.accounts.contains_key(&appid) {
            return Err(WxError::new(61011));
        }
        return Err(WxError::new(40013));
    };
    let secret = secret.ok_or_else(|| WxError::new(41004))?;
    if component.secret != secret {
        return Err(WxError::new(40125));
    }
    Ok(appid)
}

/// `POST /cgi-bin/component/api_start_push_ticket` `{"component_appid","component_secret"}`.
pub(crate) async fn start_push_ticket(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let body = p.json()?;
    let now = shared.now();
    let delivery = {
        let mut state = shared.lock();
        let appid = check_component_secret(
            &state,
            body.str("component_appid"),
            body.str("component_secret"),
        )?;
        use_quota(
            &mut state,
            &shared.config,
            &appid,
            "/cgi-bin/component/api_start_push_ticket",
            now,
        )?;
        issue_ticket_push(&mut state, now, &appid)
            .map_err(|_| WxError::new(40013))?
            .2
    };
    pushes::deliver_in_background(&shared, delivery.into_iter().collect());
    Ok(wx::ok(json!({})))
}

/// `POST /cgi-bin/component/api_component_token`.
pub(crate) async fn component_token(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let body = p.json()?;
    let now = shared.now();
    let mut state = shared.lock();
    let appid = check_component_secret(
        &state,
        body.str("component_appid"),
        body.str("component_appsecret"),
    )?;
    let ticket = body
        .str("component_verify_ticket")
        .ok_or_else(|| WxError::hint(47001, "component_verify_ticket missing"))?;
    let record = state
        .tickets
        .get(&ticket)
        .filter(|t| t.component_appid == appid)
        .ok_or_else(|| WxError::new(61006))?;
    if now - record.issued_at >= TICKET_TTL {
        return Err(WxError::new(61005));
    }
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/component/api_component_token",
        now,
    )?;
    let current = state
        .components
        .get(&appid)
        .and_then(|c| c.access_token.clone());
    let (token, expires_in) = state.reuse_or_mint(
        current.as_deref(),
        TokenOwner::Component {
            appid: appid.clone(),
        },
        TokenPool::Component,
        now,
    );
    if let Some(component) = state.components.get_mut(&appid) {
        component.access_token = Some(token.clone());
    }
    Ok(wx::json(
        json!({"component_access_token": token, "expires_in": expires_in}),
    ))
}

/// `POST /cgi-bin/component/api_create_preauthcode`.
pub(crate) async fn create_preauthcode(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, _) = component_call(
        &shared,
        &p,
        Some("/cgi-bin/component/api_create_preauthcode"),
        true,
    )?;
    let ttl = i64::try_from(shared.config.pre_auth_code_ttl).unwrap_or(i64::MAX);
    let code = ids::pre_auth_code();
    state.pre_auth_codes.insert(
        code.clone(),
        PreAuthRecord {
            component_appid: component,
            issued_at: now,
            expires_at: now.saturating_add(ttl),
            used: false,
        },
    );
    state.prune(now);
    Ok(wx::json(json!({"pre_auth_code": code, "expires_in": ttl})))
}

fn func_info(ids: &[u32]) -> Value {
    Value::Array(
        ids.iter()
            .map(|id| json!({"funcscope_category": {"id": id}}))
            .collect(),
    )
}

/// Returns the authorizer's current access token, minting one when needed.
fn authorizer_access_token(
    state: &mut SandboxState,
    now: i64,
    component: &str,
    appid: &str,
) -> (String, i64) {
    let current = state
        .components
        .get(component)
        .and_then(|c| c.authorizations.get(appid))
        .and_then(|a| a.access_token.clone());
    let (token, expires_in) = state.reuse_or_mint(
        current.as_deref(),
        TokenOwner::Authorizer {
            component_appid: component.to_string(),
            appid: appid.to_string(),
        },
        TokenPool::Authorizer,
        now,
    );
    if let Some(record) = state
        .components
        .get_mut(component)
        .and_then(|c| c.authorizations.get_mut(appid))
    {
        record.access_token = Some(token.clone());
    }
    (token, expires_in)
}

fn active_authorization<'a>(
    state: &'a SandboxState,
    component: &str,
    appid: &str,
) -> Result<&'a AuthorizationRecord, WxError> {
    state
        .components
        .get(component)
        .and_then(|c| c.authorizations.get(appid))
        .filter(|a| !a.revoked)
        .ok_or_else(|| WxError::new(61003))
}

/// `POST /cgi-bin/component/api_query_auth`.
pub(crate) async fn query_auth(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, body) =
        component_call(&shared, &p, Some("/cgi-bin/component/api_query_auth"), true)?;
    let code = body
        .str("authorization_code")
        .ok_or_else(|| WxError::hint(47001, "authorization_code missing"))?;
    let record = state
        .auth_codes
        .get_mut(&code)
        .filter(|r| r.component_appid == component && !r.used)
        .ok_or_else(|| WxError::new(61009))?;
    if now - record.issued_at >= AUTH_CODE_TTL {
        return Err(WxError::new(61010));
    }
    record.used = true;
    let appid = record.authorizer_appid.clone();
    let (refresh_token, func_ids) = {
        let auth = active_authorization(&state, &component, &appid)?;
        (auth.refresh_token.clone(), auth.func_ids.clone())
    };
    let (token, expires_in) = authorizer_access_token(&mut state, now, &component, &appid);
    Ok(wx::json(json!({
        "authorization_info": {
            "authorizer_appid": appid,
            "authorizer_access_token": token,
            "expires_in": expires_in,
            "authorizer_refresh_token": refresh_token,
            "func_info": func_info(&func_ids),
        }
    })))
}

/// `POST /cgi-bin/component/api_authorizer_token`.
pub(crate) async fn authorizer_token(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, body) = component_call(&shared, &p, None, true)?;
    let appid = body
        .str("authorizer_appid")
        .ok_or_else(|| WxError::hint(41002, "authorizer_appid missing"))?;
    let refresh = body
        .str("authorizer_refresh_token")
        .ok_or_else(|| WxError::hint(61023, "authorizer_refresh_token missing"))?;
    let current = active_authorization(&state, &component, &appid)?
        .refresh_token
        .clone();
    if current != refresh {
        return Err(WxError::new(61023));
    }
    // Counted per authorizer: each authorizer has its own daily refresh budget.
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/component/api_authorizer_token",
        now,
    )?;
    let (token, expires_in) = authorizer_access_token(&mut state, now, &component, &appid);
    Ok(wx::json(json!({
        "authorizer_access_token": token,
        "expires_in": expires_in,
        "authorizer_refresh_token": current,
    })))
}

/// The `authorizer_info` object of `api_get_authorizer_info`.
pub(crate) fn authorizer_info(account: &Account) -> Value {
    let p = &account.profile;
    let mut info = json!({
        "nick_name": p.nick_name,
        "head_img": p.head_img,
        "service_type_info": {"id": p.service_type},
        "verify_type_info": {"id": p.verify_type},
        "user_name": p.user_name,
        "principal_name": p.principal_name,
        "alias": "",
        "business_info": {"open_store": 0, "open_scan": 0, "open_pay": 0, "open_card": 0, "open_shake": 0},
        "qrcode_url": format!("http://mmbiz.qpic.cn/mmbiz_jpg/sandbox-{}/0", account.appid),
        "signature": p.signature,
        "register_type": p.register_type,
        "account_status": p.account_status,
        "basic_config": {"is_phone_configured": true, "is_email_configured": true},
        "idc": 1,
    });
    if account.kind == AccountKind::MiniProgram {
        info["MiniProgramInfo"] = json!({
            "network": {
                "RequestDomain": ["https://api.sandbox.example.com"],
                "WsRequestDomain": [],
                "UploadDomain": [],
                "DownloadDomain": [],
                "BizDomain": [],
                "UDPDomain": [],
            },
            "categories": p.categories.iter().map(|(first, second)| json!({"first": first, "second": second})).collect::<Vec<_>>(),
            "visit_status": 0,
        });
    }
    info
}

/// `POST /cgi-bin/component/api_get_authorizer_info`.
pub(crate) async fn get_authorizer_info(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, state, component, body) = component_call(
        &shared,
        &p,
        Some("/cgi-bin/component/api_get_authorizer_info"),
        true,
    )?;
    let appid = body
        .str("authorizer_appid")
        .ok_or_else(|| WxError::hint(41002, "authorizer_appid missing"))?;
    let func_ids = active_authorization(&state, &component, &appid)?
        .func_ids
        .clone();
    let account = state
        .accounts
        .get(&appid)
        .ok_or_else(|| WxError::new(61003))?;
    Ok(wx::json(json!({
        "authorizer_info": authorizer_info(account),
        "authorization_info": {"authorizer_appid": appid, "func_info": func_info(&func_ids)},
    })))
}

/// `POST /cgi-bin/component/api_get_authorizer_list` `{"component_appid","offset","count"}`.
pub(crate) async fn get_authorizer_list(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, state, component, body) = component_call(
        &shared,
        &p,
        Some("/cgi-bin/component/api_get_authorizer_list"),
        true,
    )?;
    let offset = body.int("offset").unwrap_or(0);
    let count = body
        .int("count")
        .ok_or_else(|| WxError::hint(47001, "count missing"))?;
    if count > 500 {
        return Err(WxError::new(40170));
    }
    if offset < 0 || count < 0 {
        return Err(WxError::hint(
            40097,
            "offset and count must not be negative",
        ));
    }
    let Some(c) = state.components.get(&component) else {
        return Err(WxError::new(61011));
    };
    let mut active: Vec<&AuthorizationRecord> =
        c.authorizations.values().filter(|a| !a.revoked).collect();
    active.sort_by(|a, b| {
        a.auth_time
            .cmp(&b.auth_time)
            .then_with(|| a.authorizer_appid.cmp(&b.authorizer_appid))
    });
    let total = active.len();
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(total);
    let take = usize::try_from(count).unwrap_or(0);
    let list: Vec<Value> = active[start..]
        .iter()
        .take(take)
        .map(|a| {
            json!({
                "authorizer_appid": a.authorizer_appid,
                "refresh_token": a.refresh_token,
                "auth_time": a.auth_time,
            })
        })
        .collect();
    Ok(wx::json(json!({"total_count": total, "list": list})))
}
