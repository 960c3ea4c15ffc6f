//! Sample `encryptedData` for the last login, and the page a merchant lands on
//! after consenting.
//!
//! A newcomer walking the sandbox has a login (a session_key the sandbox made)
//! but no mini-program front end to call `wx.getUserInfo`, so "Decrypt data"
//! had nothing to open. The sandbox plays that front end here: it encrypts a
//! user-info JSON (with `watermark.appid`) with the user's current
//! session_key, exactly as WeChat does, and hands out only `encryptedData`
//! and `iv` — the session_key never leaves the sandbox.
//!
//! The consent page redirects to the platform's `redirect_uri`; for the demo
//! platform that is the sandbox's own `/`. Without this landing page the
//! merchant saw the locked console; now they see what to do next: copy the
//! address (it carries the `auth_code`) back into wxdesk.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::SandboxError;
use crate::html::{esc, page, respond};
use crate::state::{AppState, Shared};

/// Open data as `wx.getUserInfo` hands it to a mini program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleOpenData {
    /// base64 of the AES-128-CBC ciphertext (with the user's session_key).
    pub encrypted_data: String,
    /// base64 of the 16-byte IV.
    pub iv: String,
}

/// Encrypts a user-info JSON for `openid` of `appid` with that user's
/// current session_key (the one their last login created).
pub(crate) fn sample_open_data(
    shared: &Shared,
    appid: &str,
    openid: &str,
) -> Result<SampleOpenData, SandboxError> {
    let now = shared.now();
    let state = shared.lock();
    let user = state
        .users
        .get(appid)
        .and_then(|users| users.get(openid))
        .ok_or_else(|| {
            SandboxError::invalid(
                "openid",
                format!("{openid} has never logged in to {appid} in this sandbox: run the login tester (get a sandbox code, then exchange it) first"),
            )
        })?;
    let session_key = user.session_key.clone().ok_or_else(|| {
        SandboxError::invalid(
            "openid",
            format!("{openid} has no session in {appid}: log in first"),
        )
    })?;
    let mut info = json!({
        "openId": openid,
        "nickName": "沙箱用户 Sandbox user",
        "gender": 0,
        "language": "zh_CN",
        "city": "Shenzhen",
        "province": "Guangdong",
        "country": "China",
        "avatarUrl": "",
        "watermark": {"appid": appid, "timestamp": now},
    });
    if let Some(unionid) = &user.unionid {
        info["unionId"] = json!(unionid);
    }
    drop(state);
    let iv = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 16]>());
    let encrypted_data =
        wxdesk_wechat::crypto::encrypt_open_data(&session_key, &iv, &info.to_string())
            .map_err(|e| SandboxError::invalid("session_key", e.to_string()))?;
    Ok(SampleOpenData { encrypted_data, iv })
}

#[derive(Deserialize)]
struct SampleInput {
    appid: String,
    openid: String,
}

/// `POST /__sandbox/open_data` `{"appid","openid"}` → [`SampleOpenData`].
pub(crate) async fn http_sample(
    State(shared): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("application/json"));
    let parsed = serde_json::from_slice::<SampleInput>(&body);
    match (is_json, parsed) {
        (true, Ok(i)) => match sample_open_data(&shared, &i.appid, &i.openid) {
            Ok(data) => Json(data).into_response(),
            Err(e) => (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": e.to_string()})),
            )
                .into_response(),
        },
        (_, Err(e)) => (
            StatusCode::BAD_REQUEST,
            Json(
                json!({"error": format!("invalid body ({e}); expected {{\"appid\",\"openid\"}}")}),
            ),
        )
            .into_response(),
        (false, Ok(_)) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "send the body as application/json"})),
        )
            .into_response(),
    }
}

/// Whether `GET /` is the landing of a consent (it carries an `auth_code`),
/// not a visit to the console.
pub(crate) fn is_landing(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "auth_code" && !v.is_empty())
    })
}

/// The page a merchant lands on after consenting: the address to copy back
/// into wxdesk, with a copy button. It shows nothing but that address.
pub(crate) fn landing_page(shared: &Shared, uri: &Uri) -> Response {
    let path_query = uri.path_and_query().map_or("/", |p| p.as_str());
    let address = format!("{}{}", shared.base_url.trim_end_matches('/'), path_query);
    let body = format!(
        "<div class=\"card ok\" id=\"landing\"><h1>授权完成 Authorization done</h1>\
<p>请复制本页地址，回到 wxdesk 的「授权商家」向导，粘贴到回调地址框中。<br>\
Copy this page's address and paste it back into wxdesk (Authorize a merchant → paste the address you landed on).</p>\
<p><code id=\"address\">{addr}</code></p>\
<p><button type=\"button\" id=\"copy\" aria-label=\"复制地址 Copy the address\">复制地址 Copy the address</button> <span id=\"copied\" role=\"status\"></span></p>\
<p class=\"muted\">这个地址带有一次性的 auth_code，10 分钟内有效。 The address carries a single-use auth_code, valid for 10 minutes.</p></div>\
<script>document.getElementById('copy').addEventListener('click',function(){{var a=document.getElementById('address').textContent,s=document.getElementById('copied');\
function done(){{s.textContent='已复制 Copied';}}\
if(navigator.clipboard&&window.isSecureContext){{navigator.clipboard.writeText(a).then(done,fallback);}}else{{fallback();}}\
function fallback(){{var t=document.createElement('textarea');t.value=a;document.body.appendChild(t);t.select();try{{document.execCommand('copy');done();}}catch(e){{s.textContent='请手动复制 Select and copy it by hand';}}document.body.removeChild(t);}}}});</script>",
        addr = esc(&address)
    );
    respond(StatusCode::OK, page("授权完成 Authorization done", &body))
}

/// `GET /`: the landing of a consent when it carries an `auth_code`, else the console.
pub(crate) async fn root(State(shared): State<AppState>, uri: Uri) -> Response {
    if is_landing(uri.query()) {
        return landing_page(&shared, &uri);
    }
    crate::demo::console(State(shared)).await
}
