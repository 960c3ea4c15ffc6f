//! Releasing: `wxa/release`, `wxa/revertcoderelease` (and its history),
//! `wxa/grayrelease`, `revertgrayrelease`, `getgrayreleaseplan`,
//! `change_visitstatus`, `getversioninfo`.
//!
//! WeChat's rules: only the newest audit, once passed, can be released
//! (85019 without an audit, 85020 when it has not passed, 85052 when it is
//! released already); a release can only go back to the version before it,
//! once (87012), and not during a phased release (87011); a phased release
//! needs a released version (85079) and a passed audit (85080), and its
//! percentage is 1–100 (85081) and only grows (85082).

use axum::extract::State;
use serde_json::{json, Value};

use super::audit::settle_now;
use super::{err, err_hint, locked_caller, GrayPlan, Released};
use crate::state::AppState;
use crate::wx::{self, Params, WxResult};

/// `POST wxa/release` with body `{}`.
pub(crate) async fn release(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    if p.body.iter().all(u8::is_ascii_whitespace) {
        return Err(err(44002));
    }
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    p.json()?;
    settle_now(&shared, &mut state, now);
    let app_version = state.wxa.id();
    let app = state.wxa.app(&c.appid);
    let audit = app.audits.last_mut().ok_or_else(|| err(85019))?;
    if audit.status != 0 {
        return Err(err(85020));
    }
    if audit.released {
        return Err(err(85052));
    }
    audit.released = true;
    let version = audit.version.clone();
    app.previous = app.release.take();
    app.counts.releases += 1;
    app.release = Some(Released {
        app_version,
        version,
        release_time: now,
        reverted: false,
    });
    if let Some(g) = app.gray.as_mut().filter(|g| g.status == 1) {
        g.status = 3;
    }
    Ok(wx::ok(json!({})))
}

fn history_json(r: &Released) -> Value {
    json!({
        "app_version": r.app_version,
        "user_version": r.version.user_version,
        "user_desc": r.version.user_desc,
        "commit_time": r.version.commit_time,
    })
}

/// `GET wxa/revertcoderelease[?app_version=]` or `?action=get_history_version`.
pub(crate) async fn revert(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let can_revert = app.release.as_ref().is_some_and(|r| !r.reverted);
    if p.q("action") == Some("get_history_version") {
        let list: Vec<Value> = app
            .previous
            .iter()
            .filter(|_| can_revert)
            .map(history_json)
            .collect();
        return Ok(wx::ok(json!({ "version_list": list })));
    }
    if app.gray.as_ref().is_some_and(|g| g.status == 1) {
        return Err(err(87011));
    }
    let Some(previous) = app.previous.clone().filter(|_| can_revert) else {
        return Err(err(87012));
    };
    if let Some(v) = p.q("app_version") {
        if v.parse::<i64>().ok() != Some(previous.app_version) {
            return Err(err_hint(87012, "only the previous version can be restored"));
        }
    }
    app.previous = None;
    app.counts.reverts += 1;
    app.release = Some(Released {
        reverted: true,
        release_time: now,
        ..previous
    });
    Ok(wx::ok(json!({})))
}

/// `POST wxa/grayrelease` `{"gray_percentage","support_experiencer_first"?,"support_debuger_first"?}`.
pub(crate) async fn gray_release(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    settle_now(&shared, &mut state, now);
    let app = state.wxa.app(&c.appid);
    if app.release.is_none() {
        return Err(err(85079));
    }
    let audit = app
        .audits
        .last()
        .filter(|a| a.status == 0 && !a.released)
        .ok_or_else(|| err(85080))?;
    let auditid = audit.auditid;
    let pct = body.int("gray_percentage").unwrap_or(0);
    if !(1..=100).contains(&pct) {
        return Err(err(85081));
    }
    if let Some(g) = app
        .gray
        .as_ref()
        .filter(|g| g.status == 1 && g.auditid == auditid)
    {
        if pct <= g.percentage {
            return Err(err(85082));
        }
    }
    app.gray = Some(GrayPlan {
        auditid,
        status: 1,
        percentage: pct,
        create_timestamp: now,
        experiencer_first: body.bool("support_experiencer_first").unwrap_or(false),
        debuger_first: body.bool("support_debuger_first").unwrap_or(false),
    });
    Ok(wx::ok(json!({})))
}

/// `GET wxa/revertgrayrelease`.
pub(crate) async fn revert_gray(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let g = app
        .gray
        .as_mut()
        .filter(|g| g.status == 1)
        .ok_or_else(|| err_hint(85021, "no phased release in progress"))?;
    g.status = 4;
    Ok(wx::ok(json!({})))
}

/// `GET wxa/getgrayreleaseplan`.
pub(crate) async fn gray_plan(State(shared): State<AppState>, p: Params) -> WxResult {
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let plan = match &app.gray {
        Some(g) => json!({
            "status": g.status, "create_timestamp": g.create_timestamp,
            "gray_percentage": g.percentage,
            "support_experiencer_first": g.experiencer_first,
            "support_debuger_first": g.debuger_first,
        }),
        None => json!({"status": 0, "create_timestamp": 0, "gray_percentage": 0}),
    };
    Ok(wx::ok(json!({ "gray_release_plan": plan })))
}

/// `POST wxa/change_visitstatus` `{"action":"open"|"close"}`.
pub(crate) async fn change_visit_status(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let close = match body.str("action").as_deref() {
        Some("close") => true,
        Some("open") => false,
        _ => return Err(err_hint(40097, "action must be open or close")),
    };
    let app = state.wxa.app(&c.appid);
    if app.release.is_none() {
        return Err(err_hint(85021, "nothing released yet"));
    }
    if app.visit_closed == close {
        return Err(err(85021));
    }
    app.visit_closed = close;
    Ok(wx::ok(json!({})))
}

/// `POST wxa/getversioninfo`.
pub(crate) async fn version_info(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let mut v = json!({});
    if let Some(e) = &app.exp {
        v["exp_info"] = json!({
            "exp_time": e.commit_time, "exp_version": e.user_version, "exp_desc": e.user_desc,
        });
    }
    if let Some(r) = &app.release {
        v["release_info"] = json!({
            "release_time": r.release_time,
            "release_version": r.version.user_version,
            "release_desc": r.version.user_desc,
        });
    }
    Ok(wx::ok(v))
}
