//! The privacy guide (`cgi-bin/component/setprivacysetting`,
//! `getprivacysetting`, `uploadprivacyextfile`) and privacy interfaces
//! (`wxa/security/get_privacy_interface`, `apply_privacy_interface`).
//!
//! `getprivacysetting` reports the keys the committed code uses (from the
//! template's draft) next to the declared ones, which is what an audit
//! compares. Interface applications are granted after
//! [`super::INTERFACE_REVIEW_SECS`] virtual seconds.

use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::multipart::locked_upload;
use super::{err_hint, locked_caller, InterfaceApplication, MediaRec, INTERFACE_REVIEW_SECS};
use crate::ids;
use crate::state::AppState;
use crate::wx::{self, Params, WxResult};

/// Keys a guide may declare.
pub(crate) const PRIVACY_KEYS: [(&str, &str); 12] = [
    ("UserInfo", "用户信息（微信昵称、头像）"),
    ("Location", "位置信息"),
    ("Address", "地址"),
    ("Invoice", "发票信息"),
    ("RunData", "微信运动数据"),
    ("Record", "麦克风"),
    ("Album", "选中的照片或视频信息"),
    ("Camera", "摄像头"),
    ("PhoneNumber", "手机号码"),
    ("Contact", "通讯录（仅写入）权限"),
    ("DeviceInfo", "设备信息"),
    ("ChooseLocation", "选择的位置信息"),
];

/// Interfaces that need an application.
pub(crate) const INTERFACES: [(&str, &str); 4] = [
    ("wx.getLocation", "获取当前的地理位置、速度"),
    ("wx.onLocationChange", "监听实时地理位置变化事件"),
    ("wx.chooseAddress", "获取用户收货地址"),
    ("wx.chooseLocation", "打开地图选择位置"),
];

/// `POST cgi-bin/component/setprivacysetting`.
pub(crate) async fn set_setting(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    if let Some(v) = body.int("privacy_ver") {
        if v != 1 && v != 2 {
            return Err(err_hint(40097, "privacy_ver must be 1 or 2"));
        }
    }
    let owner = body
        .0
        .get("owner_setting")
        .and_then(Value::as_object)
        .ok_or_else(|| err_hint(47001, "owner_setting missing"))?;
    let text = |k: &str| owner.get(k).and_then(Value::as_str).unwrap_or_default();
    if text("notice_method").is_empty() {
        return Err(err_hint(40097, "owner_setting.notice_method missing"));
    }
    if [
        "contact_email",
        "contact_phone",
        "contact_qq",
        "contact_weixin",
    ]
    .iter()
    .all(|k| text(k).is_empty())
    {
        return Err(err_hint(40097, "owner_setting needs a contact"));
    }
    let media = text("ext_file_media_id");
    if !media.is_empty() && !state.wxa.media.contains_key(media) {
        return Err(err_hint(40007, "ext_file_media_id"));
    }
    let list = body
        .0
        .get("setting_list")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for item in &list {
        let key = item
            .get("privacy_key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !PRIVACY_KEYS.iter().any(|(k, _)| *k == key) {
            return Err(err_hint(40097, &format!("unknown privacy_key {key}")));
        }
        if item
            .get("privacy_text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .is_empty()
        {
            return Err(err_hint(40097, &format!("privacy_text of {key} missing")));
        }
    }
    let app = state.wxa.app(&c.appid);
    app.privacy = Some(json!({"owner_setting": owner, "setting_list": list}));
    app.privacy_update_time = now;
    Ok(wx::ok(json!({})))
}

/// `POST cgi-bin/component/getprivacysetting` `{"privacy_ver"?}`.
pub(crate) async fn get_setting(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let used = app
        .exp
        .as_ref()
        .map(|v| v.privacy_keys.clone())
        .unwrap_or_default();
    let stored = app.privacy.clone().unwrap_or_else(|| json!({}));
    let labelled: Vec<Value> = stored
        .get("setting_list")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut item| {
            let key = item
                .get("privacy_key")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            if let Some((_, label)) = PRIVACY_KEYS.iter().find(|(k, _)| *k == key) {
                item["privacy_label"] = json!(label);
            }
            item
        })
        .collect();
    let desc: Vec<Value> = PRIVACY_KEYS
        .iter()
        .map(|(k, d)| json!({"privacy_key": k, "privacy_desc": d}))
        .collect();
    Ok(wx::ok(json!({
        "code_exist": i64::from(app.exp.is_some()),
        "privacy_list": used,
        "setting_list": labelled,
        "update_time": app.privacy_update_time,
        "owner_setting": stored.get("owner_setting").cloned().unwrap_or_else(|| json!({})),
        "privacy_desc": {"privacy_desc_list": desc},
    })))
}

/// `POST cgi-bin/component/uploadprivacyextfile` (multipart `file`, a txt of ≤ 100 KB).
pub(crate) async fn upload_ext_file(
    State(shared): State<AppState>,
    headers: HeaderMap,
    p: Params,
) -> WxResult {
    let (mut state, c, part) = locked_upload(&shared, &headers, &p, "file")?;
    if part.bytes.is_empty() || part.bytes.len() > 100 * 1024 {
        return Err(err_hint(40006, "the file must be 1 byte to 100 KB"));
    }
    let id = store_media(
        &mut state,
        &c.appid,
        "privacy_ext_file",
        &part.filename,
        part.bytes.len(),
    );
    Ok(wx::ok(json!({ "ext_file_media_id": id })))
}

/// `GET wxa/security/get_privacy_interface`.
pub(crate) async fn interfaces(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let list: Vec<Value> = INTERFACES
        .iter()
        .map(|(name, desc)| {
            let mut v = json!({
                "api_name": name, "api_ch_name": desc, "api_desc": desc,
                "group_name": "地理位置", "status": 1,
            });
            if let Some(a) = app.interfaces.get(*name) {
                let granted = now >= a.applied_at + INTERFACE_REVIEW_SECS;
                v["status"] = json!(if granted { 5 } else { 3 });
                v["apply_time"] = json!(a.applied_at);
                v["audit_id"] = json!(a.audit_id);
            }
            v
        })
        .collect();
    Ok(wx::ok(json!({ "interface_list": list })))
}

/// `POST wxa/security/apply_privacy_interface` `{"api_name","content",…}`.
pub(crate) async fn apply_interface(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let api = body
        .str("api_name")
        .ok_or_else(|| err_hint(47001, "api_name missing"))?;
    if !INTERFACES.iter().any(|(n, _)| *n == api) {
        return Err(err_hint(40097, &format!("{api} needs no application")));
    }
    if body.str("content").is_none() {
        return Err(err_hint(47001, "content missing"));
    }
    let audit_id = state.wxa.id();
    let app = state.wxa.app(&c.appid);
    if app.interfaces.contains_key(&api) {
        return Err(err_hint(40097, &format!("{api} was already applied for")));
    }
    app.interfaces.insert(
        api,
        InterfaceApplication {
            audit_id,
            applied_at: now,
        },
    );
    Ok(wx::ok(json!({ "audit_id": audit_id })))
}

/// Stores an upload as media of `appid` and returns its id.
pub(crate) fn store_media(
    state: &mut crate::state::State,
    appid: &str,
    kind: &str,
    filename: &str,
    bytes: usize,
) -> String {
    let id = ids::url_safe(40);
    state.wxa.media.insert(
        id.clone(),
        MediaRec {
            appid: appid.to_string(),
            kind: kind.to_string(),
            filename: filename.to_string(),
            bytes,
        },
    );
    id
}
