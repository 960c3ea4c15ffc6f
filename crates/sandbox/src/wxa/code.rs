//! A merchant's code: `wxa/commit` (replaces the experience version),
//! `wxa/get_page`, `wxa/get_category`, `wxa/get_qrcode` (a real PNG whose QR
//! decodes to the experience URL) and `cgi-bin/account/getaccountbasicinfo`.
//!
//! A commit needs an authorizer token (86000), a template of the calling
//! platform's library (85014) and an `ext_json` that is a JSON object whose
//! `extAppid`, when present, is the merchant (85013), and whose `pages`, when
//! present, exist in the template (85045).

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use wxdesk_wechat::qr::{qr_png, QrOptions};

use super::{caller, err, err_hint, locked_caller, platform_caller, CodeVersion};
use crate::state::AppState;
use crate::wx::{self, Params, WxResult};

/// The URL an experience QR code encodes.
pub(crate) fn experience_url(base_url: &str, appid: &str, path: Option<&str>) -> String {
    let mut url = format!("{base_url}/sns/getexpappinfo?appid={appid}");
    if let Some(p) = path {
        let enc: String = form_urlencoded::byte_serialize(p.as_bytes()).collect();
        url.push_str("&path=");
        url.push_str(&enc);
    }
    url.push_str("#wechat_redirect");
    url
}

/// `POST wxa/commit` `{"template_id","ext_json","user_version","user_desc"}`.
pub(crate) async fn commit(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let (appid, component) = platform_caller(&state, p.q("access_token"), now)?;
    let body = p.json()?;
    let template_id = body
        .int("template_id")
        .ok_or_else(|| err_hint(47001, "template_id missing"))?;
    let user_version = body
        .str("user_version")
        .ok_or_else(|| err_hint(47001, "user_version missing"))?;
    let user_desc = body.str("user_desc").unwrap_or_default();
    let ext_json = body.str("ext_json").unwrap_or_else(|| "{}".to_string());
    let ext: Value = serde_json::from_str(&ext_json).map_err(|_| err(85013))?;
    if !ext.is_object() {
        return Err(err(85013));
    }
    if let Some(ext_appid) = ext.get("extAppid").and_then(Value::as_str) {
        if ext_appid != appid {
            return Err(err_hint(85013, "extAppid is not this mini program"));
        }
    }
    let template = state
        .wxa
        .platform(&component)
        .templates
        .iter()
        .find(|t| t.template_id == template_id)
        .cloned()
        .ok_or_else(|| err(85014))?;
    if let Some(pages) = ext.get("pages").and_then(Value::as_array) {
        for page in pages {
            let page = page.as_str().unwrap_or_default();
            if !template.draft.pages.iter().any(|p| p == page) {
                return Err(err_hint(85045, page));
            }
        }
    }
    let version = CodeVersion {
        template_id,
        user_version,
        user_desc,
        ext_json,
        pages: template.draft.pages.clone(),
        privacy_keys: template.draft.privacy_keys.clone(),
        commit_time: now,
    };
    let app = state.wxa.app(&appid);
    app.exp = Some(version);
    app.counts.commits += 1;
    Ok(wx::ok(json!({})))
}

/// `GET wxa/get_page`.
pub(crate) async fn get_page(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let exp = state
        .wxa
        .app(&c.appid)
        .exp
        .clone()
        .ok_or_else(|| err(86001))?;
    Ok(wx::ok(json!({ "page_list": exp.pages })))
}

/// `GET wxa/get_category`: the account's categories with stable ids.
pub(crate) async fn get_category(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, state, c) = locked_caller(&shared, &p)?;
    let categories = state
        .accounts
        .get(&c.appid)
        .map(|a| a.profile.categories.clone())
        .unwrap_or_default();
    let list: Vec<Value> = categories
        .iter()
        .map(|(first, second)| {
            json!({
                "first_class": first, "second_class": second,
                "first_id": category_id(first), "second_id": category_id(second),
            })
        })
        .collect();
    Ok(wx::ok(json!({ "category_list": list })))
}

/// A stable small id for a category name.
pub(crate) fn category_id(name: &str) -> i64 {
    name.bytes()
        .fold(7i64, |h, b| (h * 31 + i64::from(b)) % 9000)
        + 1000
}

/// `GET wxa/get_qrcode[?path=]`: a PNG, or WeChat's JSON error.
pub(crate) async fn get_qrcode(State(shared): State<AppState>, p: Params) -> Response {
    let now = shared.now();
    let found = {
        let mut state = shared.lock();
        caller(&state, p.q("access_token"), now).and_then(|c| {
            let has_code = state.wxa.app(&c.appid).exp.is_some();
            if has_code {
                Ok(c.appid)
            } else {
                Err(err(86001))
            }
        })
    };
    let appid = match found {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    let url = experience_url(&shared.base_url, &appid, p.q("path"));
    match qr_png(&url, &QrOptions::default()) {
        Ok(png) => {
            let mut r = (StatusCode::OK, png).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            r
        }
        Err(_) => err_hint(-1, "could not render the QR code").into_response(),
    }
}

/// `GET cgi-bin/account/getaccountbasicinfo`.
pub(crate) async fn account_basic_info(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, state, c) = locked_caller(&shared, &p)?;
    let profile = state
        .accounts
        .get(&c.appid)
        .map(|a| a.profile.clone())
        .ok_or_else(|| err(40013))?;
    Ok(wx::ok(json!({
        "appid": c.appid,
        "account_type": 2,
        "principal_type": 1,
        "principal_name": profile.principal_name,
        "realname_status": 1,
        "nickname": profile.nick_name,
        "nickname_info": {"nickname": profile.nick_name, "modify_used_count": 0, "modify_quota": 2},
        "head_image_info": {"head_image_url": profile.head_img, "modify_used_count": 0, "modify_quota": 5},
        "signature_info": {"signature": profile.signature, "modify_used_count": 0, "modify_quota": 5},
        "wx_verify_info": {"qualification_verify": profile.verify_type >= 0, "naming_verify": profile.verify_type >= 0},
    })))
}
