//! The template library (`wxa/gettemplatedraftlist`, `addtotemplate`,
//! `gettemplatelist`, `deletetemplate`), with the component_access_token.
//!
//! Drafts come from DevTools in real life; here they come from the
//! `/__sandbox/wxa/drafts` hook. The library holds at most
//! [`super::TEMPLATE_CAP`] templates (85065) and unknown ids answer 85064.

use axum::extract::State;
use serde_json::{json, Value};

use super::{err, err_hint, Draft, TemplateRec, TEMPLATE_CAP};
use crate::state::AppState;
use crate::wx::{self, Params, WxResult};

fn draft_json(d: &Draft, component_appid: &str) -> Value {
    json!({
        "create_time": d.create_time,
        "user_version": d.user_version,
        "user_desc": d.user_desc,
        "draft_id": d.draft_id,
        "source_miniprogram_appid": component_appid,
        "source_miniprogram": "沙箱开发小程序 Sandbox dev MP",
        "developer": "sandbox-dev",
    })
}

/// `GET wxa/gettemplatedraftlist?access_token=COMPONENT_ACCESS_TOKEN`.
pub(crate) async fn draft_list(State(shared): State<AppState>, p: Params) -> WxResult {
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    let platform = state.wxa.platform(&component);
    let list: Vec<Value> = platform
        .drafts
        .iter()
        .map(|d| draft_json(d, &component))
        .collect();
    Ok(wx::ok(json!({ "draft_list": list })))
}

/// `POST wxa/addtotemplate` `{"draft_id", "template_type"}`.
pub(crate) async fn add_to_template(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    let body = p.json()?;
    let draft_id = body
        .int("draft_id")
        .ok_or_else(|| err_hint(47001, "draft_id missing"))?;
    let template_type = body.int("template_type").unwrap_or(0);
    if !(0..=1).contains(&template_type) {
        return Err(err_hint(40097, "template_type must be 0 or 1"));
    }
    let id = state.wxa.id();
    let platform = state.wxa.platform(&component);
    let draft = platform
        .drafts
        .iter()
        .find(|d| d.draft_id == draft_id)
        .cloned()
        .ok_or_else(|| err(85064))?;
    if platform.templates.len() >= TEMPLATE_CAP {
        return Err(err(85065));
    }
    platform.templates.push(TemplateRec {
        template_id: id,
        draft,
        template_type,
        create_time: now,
    });
    Ok(wx::ok(json!({})))
}

/// `GET wxa/gettemplatelist[?template_type=0|1]`.
pub(crate) async fn template_list(State(shared): State<AppState>, p: Params) -> WxResult {
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    let wanted = p.q("template_type").and_then(|t| t.parse::<i64>().ok());
    let platform = state.wxa.platform(&component);
    let list: Vec<Value> = platform
        .templates
        .iter()
        .filter(|t| wanted.is_none_or(|w| w == t.template_type))
        .map(|t| {
            let mut v = draft_json(&t.draft, &component);
            v["template_id"] = json!(t.template_id);
            v["template_type"] = json!(t.template_type);
            v["create_time"] = json!(t.create_time);
            v["category_list"] = json!([]);
            v
        })
        .collect();
    Ok(wx::ok(json!({ "template_list": list })))
}

/// `POST wxa/deletetemplate` `{"template_id"}`.
pub(crate) async fn delete_template(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    let body = p.json()?;
    let template_id = body
        .int("template_id")
        .ok_or_else(|| err_hint(47001, "template_id missing"))?;
    let platform = state.wxa.platform(&component);
    let before = platform.templates.len();
    platform.templates.retain(|t| t.template_id != template_id);
    if platform.templates.len() == before {
        return Err(err(85064));
    }
    Ok(wx::ok(json!({})))
}
