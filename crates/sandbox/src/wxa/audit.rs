//! Audits: `wxa/uploadmedia`, `wxa/submit_audit`, `get_auditstatus`,
//! `get_latest_auditstatus`, `undocodeaudit`, `speedupaudit`, `queryquota`.
//!
//! WeChat's rules: a submission needs committed code (85086) and a nickname,
//! avatar and description (86002); one audit at a time (85009); a monthly
//! submission quota (85085); 1–5 items whose pages and categories exist
//! (85023, 85007, 85008). Withdrawing is limited to 1 a day and 10 a month
//! (87013). An audit takes virtual time and ends as its plan says (hooks),
//! except that an audit of code using privacy keys the guide does not
//! declare, or of a merchant without server domains, is rejected — which is
//! what real reviewers do. [`settle`] moves due audits on and pushes the
//! `weapp_audit_*` events; a ticker started by the first submission calls it
//! as the virtual clock passes, and every audit endpoint calls it first.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{json, Value};

use super::multipart::locked_upload;
use super::privacy::store_media;
use super::{
    err, err_hint, locked_caller, AppWxa, AuditOutcome, AuditPlan, AuditRec, SPEEDUP_QUOTA,
    SUBMIT_QUOTA, UNDO_PER_DAY, UNDO_PER_MONTH,
};
use crate::pushes::{self, Delivery};
use crate::state::{AppState, Shared, State as SandboxState};
use crate::wx::{self, Params, WxError, WxResult};

/// Submissions `app` has left this month.
pub(crate) fn submit_rest(app: &AppWxa, now: i64) -> i64 {
    app.submit_rest_override
        .unwrap_or_else(|| SUBMIT_QUOTA - i64::from(app.submits_month.get(now)))
        .max(0)
}

/// An audit event to push: platform, mini program, event name, extra XML fields.
type Event = (
    Option<String>,
    String,
    &'static str,
    Vec<(&'static str, String)>,
);

/// Moves every due audit on; returns the event pushes to deliver.
pub(crate) fn settle(state: &mut SandboxState, now: i64) -> Vec<Delivery> {
    let mut events: Vec<Event> = Vec::new();
    let mut screenshot_owners: Vec<(String, usize)> = Vec::new();
    for (appid, app) in state.wxa.apps.iter_mut() {
        for a in app.audits.iter_mut() {
            if !(a.status == 2 || a.status == 4) || a.due_at > now {
                continue;
            }
            let component = a.component.clone();
            match (a.plan.outcome, a.delay_pushed) {
                (AuditOutcome::Delay, false) => {
                    a.status = 4;
                    a.reason = a
                        .plan
                        .reason
                        .clone()
                        .unwrap_or_else(|| "审核排队中，预计延后 / queued, delayed".into());
                    a.delay_pushed = true;
                    let at = a.due_at;
                    a.due_at = a.due_at.saturating_add(a.plan.then_secs);
                    events.push((
                        component,
                        appid.clone(),
                        "weapp_audit_delay",
                        vec![("Reason", a.reason.clone()), ("DelayTime", at.to_string())],
                    ));
                }
                (AuditOutcome::Fail, _) => {
                    a.status = 1;
                    a.reason = a.plan.reason.clone().unwrap_or_else(|| {
                        "小程序内容不符合规范 / content violates the rules".into()
                    });
                    screenshot_owners.push((appid.clone(), a.plan.screenshots as usize));
                    events.push((
                        component,
                        appid.clone(),
                        "weapp_audit_fail",
                        vec![
                            ("Reason", a.reason.clone()),
                            ("FailTime", a.due_at.to_string()),
                        ],
                    ));
                }
                _ => {
                    a.status = 0;
                    a.reason.clear();
                    events.push((
                        component,
                        appid.clone(),
                        "weapp_audit_success",
                        vec![("SuccTime", a.due_at.to_string())],
                    ));
                }
            }
        }
    }
    // Rejections get screenshots: media ids registered like uploads.
    let mut shots: Vec<String> = Vec::new();
    for (appid, n) in &screenshot_owners {
        let ids: Vec<String> = (0..*n)
            .map(|_| store_media(state, appid, "screenshot", "screenshot.png", 0))
            .collect();
        shots.push(ids.join("|"));
    }
    let mut shot_iter = shots.into_iter();
    let mut deliveries = Vec::new();
    for (component, appid, event, mut fields) in events {
        if event == "weapp_audit_fail" {
            let joined = shot_iter.next().unwrap_or_default();
            if let Some(a) = state.wxa.apps.get_mut(&appid).and_then(|app| {
                app.audits
                    .iter_mut()
                    .rev()
                    .find(|a| a.status == 1 && a.screenshot.is_empty())
            }) {
                a.screenshot = joined.clone();
            }
            fields.push(("ScreenShot", joined));
        }
        if let Some(component) = component {
            if let Some(d) =
                super::push::audit_event(state, now, &component, &appid, event, &fields)
            {
                deliveries.push(d);
            }
        }
    }
    deliveries
}

/// Starts the settling ticker once per sandbox.
fn ensure_ticker(shared: &AppState, state: &mut SandboxState) {
    if state.wxa.ticker {
        return;
    }
    state.wxa.ticker = true;
    let weak = Arc::downgrade(shared);
    shared.runtime.spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let Some(shared) = weak.upgrade() else {
                break;
            };
            let deliveries = {
                let now = shared.now();
                let mut state = shared.lock();
                settle(&mut state, now)
            };
            pushes::deliver_all(&shared, deliveries).await;
        }
    });
}

/// Settles due audits and delivers their pushes in the background.
pub(crate) fn settle_now(shared: &Arc<Shared>, state: &mut SandboxState, now: i64) {
    let deliveries = settle(state, now);
    pushes::deliver_in_background(shared, deliveries);
}

/// `POST wxa/uploadmedia` (multipart `media`) → `{"type","mediaid"}`.
pub(crate) async fn upload_media(
    State(shared): State<AppState>,
    headers: HeaderMap,
    p: Params,
) -> WxResult {
    let (mut state, c, part) = locked_upload(&shared, &headers, &p, "media")?;
    let (kind, limit, code) = if part.content_type.starts_with("image/") {
        ("image", 2 * 1024 * 1024, 40009)
    } else if part.content_type.starts_with("video/") {
        ("video", 20 * 1024 * 1024, 40011)
    } else {
        return Err(err_hint(40005, "media must be an image or a video"));
    };
    if part.bytes.is_empty() || part.bytes.len() > limit {
        return Err(err(code));
    }
    let id = store_media(&mut state, &c.appid, kind, &part.filename, part.bytes.len());
    Ok(wx::ok(json!({ "type": kind, "mediaid": id })))
}

fn media_ids(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// `POST wxa/submit_audit`.
pub(crate) async fn submit(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    settle_now(&shared, &mut state, now);
    let profile = state.accounts.get(&c.appid).map(|a| a.profile.clone());
    let exp = state
        .wxa
        .app(&c.appid)
        .exp
        .clone()
        .ok_or_else(|| err(85086))?;
    if profile
        .as_ref()
        .is_none_or(|p| p.nick_name.is_empty() || p.head_img.is_empty() || p.signature.is_empty())
    {
        return Err(err(86002));
    }
    let categories = profile.map(|p| p.categories).unwrap_or_default();
    let app = state.wxa.app(&c.appid);
    if app.audits.iter().any(|a| a.status == 2 || a.status == 4) {
        return Err(err(85009));
    }
    if submit_rest(app, now) <= 0 {
        return Err(err(85085));
    }
    if let Some(items) = body.0.get("item_list") {
        let items = items
            .as_array()
            .ok_or_else(|| err_hint(47001, "item_list must be an array"))?;
        if items.is_empty() || items.len() > 5 {
            return Err(err(85023));
        }
        for item in items {
            if let Some(addr) = item.get("address").and_then(Value::as_str) {
                let page = addr.split('?').next().unwrap_or_default();
                if !exp.pages.iter().any(|p| p == page) {
                    return Err(err_hint(85007, addr));
                }
            }
            let first = item.get("first_class").and_then(Value::as_str);
            let second = item.get("second_class").and_then(Value::as_str);
            if let (Some(f), Some(s)) = (first, second) {
                if !categories.iter().any(|(a, b)| a == f && b == s) {
                    return Err(err_hint(85008, &format!("{f}/{s}")));
                }
            }
        }
    }
    let preview = body.0.get("preview_info");
    let mut media = media_ids(preview.and_then(|p| p.get("pic_id_list")));
    media.extend(media_ids(preview.and_then(|p| p.get("video_id_list"))));
    if let Some(stuff) = body.str("feedback_stuff") {
        media.extend(
            stuff
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    for m in &media {
        if state.wxa.media.get(m).is_none_or(|r| r.appid != c.appid) {
            return Err(err_hint(40007, m));
        }
    }
    let mut plan = state
        .wxa
        .next_audit
        .remove(&c.appid)
        .or_else(|| state.wxa.default_audit.clone())
        .unwrap_or_default();
    let auditid = state.wxa.id();
    let app = state.wxa.app(&c.appid);
    // What a reviewer rejects whatever the plan: undeclared privacy use, no server domains.
    let declared: Vec<String> = app
        .privacy
        .as_ref()
        .and_then(|p| p.get("setting_list"))
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|i| {
                    i.get("privacy_key")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    let undeclared: Vec<&String> = exp
        .privacy_keys
        .iter()
        .filter(|k| !declared.contains(k))
        .collect();
    if plan.outcome != AuditOutcome::Fail {
        if !undeclared.is_empty() {
            plan = AuditPlan {
                outcome: AuditOutcome::Fail,
                reason: Some(format!(
                    "用户隐私保护指引未声明 {undeclared:?} / the privacy guide does not declare {undeclared:?}"
                )),
                ..plan
            };
        } else if app.third_domains.is_empty() && app.direct_domains.is_empty() {
            plan = AuditPlan {
                outcome: AuditOutcome::Fail,
                reason: Some("未配置服务器域名 / no server domain configured".into()),
                ..plan
            };
        }
    }
    app.submits_month.bump(now);
    app.counts.submits += 1;
    app.audits.push(AuditRec {
        auditid,
        version: exp,
        submit_time: now,
        status: 2,
        reason: String::new(),
        screenshot: String::new(),
        due_at: now.saturating_add(plan.duration_secs),
        plan,
        delay_pushed: false,
        released: false,
        sped_up: false,
        component: c.component,
    });
    ensure_ticker(&shared, &mut state);
    Ok(wx::ok(json!({ "auditid": auditid })))
}

fn audit_json(a: &AuditRec, screenshot_key: &str) -> Value {
    json!({
        "auditid": a.auditid,
        "status": a.status,
        "reason": a.reason,
        screenshot_key: a.screenshot,
        "user_version": a.version.user_version,
        "user_desc": a.version.user_desc,
        "submit_audit_time": a.submit_time,
    })
}

/// The `auditid` of a request's JSON body (47001 when it is missing).
fn auditid_of(p: &Params) -> Result<i64, WxError> {
    p.json()?
        .int("auditid")
        .ok_or_else(|| err_hint(47001, "auditid missing"))
}

/// `POST wxa/get_auditstatus` `{"auditid"}`.
pub(crate) async fn status(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let auditid = auditid_of(&p)?;
    settle_now(&shared, &mut state, now);
    let app = state.wxa.app(&c.appid);
    let a = app
        .audits
        .iter()
        .find(|a| a.auditid == auditid)
        .ok_or_else(|| err(85012))?;
    let mut v = audit_json(a, "screenshot");
    if let Value::Object(m) = &mut v {
        m.remove("auditid");
    }
    Ok(wx::ok(v))
}

/// `GET wxa/get_latest_auditstatus`.
pub(crate) async fn latest_status(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    settle_now(&shared, &mut state, now);
    let app = state.wxa.app(&c.appid);
    let a = app
        .audits
        .last()
        .ok_or_else(|| err_hint(85012, "no audit yet"))?;
    Ok(wx::ok(audit_json(a, "ScreenShot")))
}

/// `GET wxa/undocodeaudit`.
pub(crate) async fn undo(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    settle_now(&shared, &mut state, now);
    let app = state.wxa.app(&c.appid);
    let Some(i) = app
        .audits
        .iter()
        .rposition(|a| a.status == 2 || a.status == 4)
    else {
        return Err(err(85019));
    };
    if app.undo_day.get(now) >= UNDO_PER_DAY || app.undo_month.get(now) >= UNDO_PER_MONTH {
        return Err(err(87013));
    }
    app.undo_day.bump(now);
    app.undo_month.bump(now);
    if let Some(a) = app.audits.get_mut(i) {
        a.status = 3;
    }
    Ok(wx::ok(json!({})))
}

/// `POST wxa/speedupaudit` `{"auditid"}`.
pub(crate) async fn speedup(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let auditid = auditid_of(&p)?;
    settle_now(&shared, &mut state, now);
    let app = state.wxa.app(&c.appid);
    let used = i64::from(app.speedups_month.get(now));
    let a = app
        .audits
        .iter_mut()
        .find(|a| a.auditid == auditid)
        .ok_or_else(|| err(85012))?;
    if a.status != 2 {
        return Err(err(89402));
    }
    if a.sped_up {
        return Err(err(89404));
    }
    if used >= SPEEDUP_QUOTA {
        return Err(err(89405));
    }
    a.sped_up = true;
    a.due_at = a.due_at.min(now.saturating_add(600));
    app.speedups_month.bump(now);
    Ok(wx::ok(json!({})))
}

/// `GET wxa/queryquota`.
pub(crate) async fn quota(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    Ok(wx::ok(json!({
        "rest": submit_rest(app, now),
        "limit": SUBMIT_QUOTA,
        "speedup_rest": (SPEEDUP_QUOTA - i64::from(app.speedups_month.get(now))).max(0),
        "speedup_limit": SPEEDUP_QUOTA,
    })))
}
