//! Request ids: remembering the errors the sandbox answered, and
//! `cgi-bin/openapi/rid/get` to look them up.
//!
//! Real WeChat keeps, for every request, what it received and what it
//! answered, and lets the account that made the request read it back by the
//! rid printed at the end of an errmsg. The sandbox does the same for every
//! error it answers (faults included): a middleware sees each error body on
//! its way out, and records the request it answered, under the rid the body
//! carries, for the account that made it. Only small buffered bodies are
//! inspected, so streamed and huge fault bodies pass untouched. The records
//! are kept in memory, at most [`MAX_RECORDS`], and never served by
//! `/__sandbox/state` (a request may hold a secret).

use std::collections::{HashMap, VecDeque};

use axum::body::{Body, HttpBody};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Value};

use crate::state::{AppState, State as SandboxState, TokenOwner};
use crate::tokens::use_quota;
use crate::wx::{self, Params, WxError, WxResult};

/// How many answered errors are remembered (oldest forgotten first).
pub(crate) const MAX_RECORDS: usize = 10_000;
/// Bodies larger than this are neither recorded nor inspected.
const MAX_BODY: u64 = 64 * 1024;

/// What the sandbox answered to one failed request.
#[derive(Debug, Clone)]
pub(crate) struct RidRecord {
    /// The account that made the request, when it could be told.
    pub account: Option<String>,
    /// Unix seconds when the request arrived.
    pub invoke_time: i64,
    /// How long the sandbox took.
    pub cost_in_ms: i64,
    /// Path and query as received.
    pub request_url: String,
    /// The request body as received.
    pub request_body: String,
    /// The answer.
    pub response_body: String,
}

/// The remembered errors, by rid.
#[derive(Default)]
pub(crate) struct RidLog {
    records: HashMap<String, RidRecord>,
    order: VecDeque<String>,
}

impl std::fmt::Debug for RidLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RidLog({} records)", self.records.len())
    }
}

impl RidLog {
    fn insert(&mut self, rid: String, record: RidRecord) {
        if self.records.insert(rid.clone(), record).is_none() {
            self.order.push_back(rid);
        }
        while self.order.len() > MAX_RECORDS {
            if let Some(old) = self.order.pop_front() {
                self.records.remove(&old);
            }
        }
    }

    fn get(&self, rid: &str) -> Option<&RidRecord> {
        self.records.get(rid)
    }
}

fn small(body: &Body) -> bool {
    body.size_hint().exact().is_some_and(|n| n <= MAX_BODY)
}

/// The account a request acts for: the owner of its token, else its `appid`.
fn account_of(state: &SandboxState, p: &Params) -> Option<String> {
    let token = p
        .q("access_token")
        .or_else(|| p.q("component_access_token"));
    if let Some(info) = token.and_then(|t| state.tokens.get(t)) {
        return Some(match &info.owner {
            TokenOwner::App { appid } | TokenOwner::Authorizer { appid, .. } => appid.clone(),
            TokenOwner::Component { appid } => appid.clone(),
        });
    }
    let body: Option<Value> = serde_json::from_slice(&p.body).ok();
    let from_body = |k: &str| {
        body.as_ref()
            .and_then(|b| b.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    p.q("appid")
        .map(str::to_string)
        .or_else(|| from_body("appid"))
        .or_else(|| p.q("component_appid").map(str::to_string))
        .or_else(|| from_body("component_appid"))
}

/// Records every small error answer under its rid.
pub(crate) async fn middleware(
    State(shared): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if req.uri().path().starts_with("/__sandbox") || !small(req.body()) {
        return next.run(req).await;
    }
    let started = shared.clock.now_ms();
    let url = req
        .uri()
        .path_and_query()
        .map_or_else(|| req.uri().path().to_string(), |p| p.as_str().to_string());
    let query = wx::parse_query(req.uri().query());
    let method = req.method().clone();
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return wx::json(json!({"errcode": -1, "errmsg": "system error"}));
    };
    let params = Params {
        method,
        query,
        body: bytes.clone(),
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !small(response.body()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(out) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Some(rid) = error_rid(&out) {
        let now = shared.clock.now_ms();
        let mut state = shared.lock();
        let record = RidRecord {
            account: account_of(&state, &params),
            invoke_time: started.div_euclid(1000),
            cost_in_ms: now.saturating_sub(started),
            request_url: url,
            request_body: String::from_utf8_lossy(&params.body).into_owned(),
            response_body: String::from_utf8_lossy(&out).into_owned(),
        };
        state.rids.insert(rid, record);
    }
    Response::from_parts(parts, Body::from(out))
}

/// The rid of an error body (`errcode` ≠ 0 and `errmsg` ending in `rid: …`).
fn error_rid(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    if v.get("errcode").and_then(Value::as_i64).unwrap_or(0) == 0 {
        return None;
    }
    let msg = v.get("errmsg")?.as_str()?;
    let (_, rid) = msg.rsplit_once("rid:")?;
    let rid = rid.trim();
    (!rid.is_empty()).then(|| rid.to_string())
}

/// `POST /cgi-bin/openapi/rid/get?access_token=` `{"rid":"..."}`: what the
/// sandbox saw for a request that failed. 76001 when the rid is unknown,
/// 76003 when another account made it.
pub(crate) async fn rid_get(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let token = p.q("access_token");
    let caller = match state.check_token(token, now)?.owner.clone() {
        TokenOwner::Component { appid } => appid,
        TokenOwner::App { .. } | TokenOwner::Authorizer { .. } => {
            state.mp_appid_for_token(token, now)?
        }
    };
    let body = p.json()?;
    let rid = body
        .str("rid")
        .ok_or_else(|| WxError::hint(47001, "rid missing"))?;
    use_quota(
        &mut state,
        &shared.config,
        &caller,
        "/cgi-bin/openapi/rid/get",
        now,
    )?;
    let record = state.rids.get(&rid).ok_or_else(|| WxError::new(76001))?;
    if record.account.as_deref().is_some_and(|a| a != caller) {
        return Err(WxError::custom(
            76003,
            "rid does not belong to this account",
        ));
    }
    Ok(wx::ok(json!({
        "request": {
            "invoke_time": record.invoke_time,
            "cost_in_ms": record.cost_in_ms,
            "request_url": record.request_url,
            "request_body": record.request_body,
            "response_body": record.response_body,
            "client_ip": "127.0.0.1",
        }
    })))
}
