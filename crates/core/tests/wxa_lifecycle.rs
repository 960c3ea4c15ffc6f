//! A merchant from authorized to released through the op table against the
//! sandbox: platform domains, a template from a draft, a commit with a
//! per-merchant ext.json, a tester scanning the decoded experience QR, a
//! readiness check that fails and passes once its fixes are applied, a
//! submission (85009 on a second one, no release before the audit passed),
//! the audit's push landing in the inbox, the release, a phased release and
//! a rollback.

mod common;
mod wxa_support;

use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};
use wxa_support::*;
use wxdesk_core::services::inbox::{Received, UrlKind};
use wxdesk_core::Error;

#[tokio::test]
async fn a_merchant_goes_from_authorized_to_released() {
    let (w, rt, m) = world_with_merchant().await;
    let desk = rt.desk();
    let target = json!({"appid": m.mp});

    // Commit with a per-merchant ext.json.
    let c = ok(
        &rt,
        "code_commit",
        json!({
            "appid": m.mp, "template_id": m.template_id, "user_version": "1.0.0", "user_desc": "first",
            "ext_json": "{\"extAppid\":\"{{appid}}\",\"ext\":{\"name\":\"{{nickname}}\",\"city\":\"{{city}}\"}}",
            "vars": {"city": "杭州"}
        }),
    )
    .await;
    let ext: Value = serde_json::from_str(c["ext_json"].as_str().unwrap()).unwrap();
    assert_eq!(ext["extAppid"], m.mp.as_str());
    assert_eq!(ext["ext"]["city"], "杭州");
    assert!(
        ext["ext"]["name"].as_str().unwrap().contains("Sandbox MP"),
        "{ext}"
    );
    assert_eq!(c["state"]["stage"], "experience");
    assert_eq!(c["state"]["experience_version"], "1.0.0");
    let pages = ok(&rt, "code_pages", target.clone()).await;
    assert!(!pages["pages"].as_array().unwrap().is_empty());

    // A tester scans the experience QR.
    assert_eq!(
        w.sandbox
            .scan_experience(&m.mp, "tester_01")
            .unwrap()
            .result,
        "refused"
    );
    ok(
        &rt,
        "tester_bind",
        json!({"appid": m.mp, "wechat_id": "tester_01"}),
    )
    .await;
    let testers = ok(&rt, "tester_list", target.clone()).await;
    assert_eq!(testers["testers"].as_array().unwrap().len(), 1);
    let qr = ok(&rt, "code_qr", target.clone()).await;
    assert_eq!(qr["content_type"], "image/png");
    let png_bytes = base64::engine::general_purpose::STANDARD
        .decode(qr["image_base64"].as_str().unwrap())
        .unwrap();
    let url = decode_qr(&png_bytes);
    assert!(url.contains(&format!("appid={}", m.mp)), "{url}");
    let scan = w.sandbox.scan_experience(&m.mp, "tester_01").unwrap();
    assert_eq!(scan.result, "ok");
    assert_eq!(scan.user_version.as_deref(), Some("1.0.0"));

    // The readiness check fails: no server domain, no privacy guide.
    let check_args = json!({"appid": m.mp, "privacy": guide()});
    let check = ok(&rt, "audit_check", check_args.clone()).await;
    assert_eq!(check["ready"], false, "{check}");
    let codes: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"no_server_domain"), "{codes:?}");
    assert!(codes.contains(&"no_privacy_guide"), "{codes:?}");
    for f in check["findings"].as_array().unwrap() {
        assert!(!f["message_zh"].as_str().unwrap().is_empty());
        assert!(!f["fix"].as_str().unwrap().is_empty());
        if f["severity"] == "blocker" {
            let apply = &f["apply"];
            assert!(apply.is_object(), "every blocker here has a fix: {f}");
            ok(&rt, apply["op"].as_str().unwrap(), apply["args"].clone()).await;
        }
    }
    let domains = ok(&rt, "domain_get", target.clone()).await;
    assert_eq!(
        domains["domains"]["requestdomain"],
        json!(["https://api.example.com"])
    );
    let check = ok(&rt, "audit_check", check_args).await;
    assert_eq!(check["ready"], true, "{check}");

    // Submit; a second submission is refused with 85009, a release too.
    let s = ok(&rt, "audit_submit", target.clone()).await;
    let auditid = s["auditid"].as_i64().unwrap();
    assert!(auditid > 0);
    assert_eq!(s["state"]["stage"], "auditing");
    assert_eq!(s["state"]["auditid"], auditid);
    let again = op(&rt, "audit_submit", target.clone()).await.unwrap_err();
    assert_eq!(again.errcode(), Some(85009), "{again}");
    let early = op(
        &rt,
        "release_publish",
        json!({"appid": m.mp, "confirmed": true}),
    )
    .await
    .unwrap_err();
    assert!(early.errcode().is_some(), "{early}");
    let check = ok(&rt, "audit_check", json!({"appid": m.mp})).await;
    assert!(check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "audit_in_progress" && f["apply"]["op"] == "audit_undo"));

    // The audit ends; the push lands in the inbox and updates the state.
    let pushes_before = w.sandbox.pushes().len();
    w.advance(&[&desk], Duration::from_secs(3601));
    // Any audit call makes the sandbox settle (and push) the ended audit.
    let _ = op(&rt, "audit_speedup", target.clone()).await;
    let push = w.sandbox.pushes()[pushes_before..]
        .iter()
        .find(|p| p.info_type == "weapp_audit_success")
        .cloned()
        .expect("an audit push");
    let state = ok(&rt, "version_state", target.clone()).await;
    assert_eq!(state["stage"], "auditing", "no status asked yet");
    let id = match desk
        .push_receive(
            UrlKind::Message,
            &m.comp,
            Some(&m.mp),
            &push.query,
            &push.body,
        )
        .unwrap()
    {
        Received::Stored { id } => id,
        other => panic!("{other:?}"),
    };
    let entry = desk.inbox_apply(id).await.unwrap();
    assert_eq!(entry.outcome, "applied");
    let state = ok(&rt, "version_state", target.clone()).await;
    assert_eq!(state["stage"], "audited", "{state}");
    assert_eq!(state["audit_status"], "success");
    assert_eq!(state["audited_version"], "1.0.0");

    let st = ok(&rt, "audit_status", target.clone()).await;
    assert_eq!(
        (st["auditid"].as_i64(), st["status"].as_str()),
        (Some(auditid), Some("success"))
    );

    // Release: confirmation first, nothing sent without it.
    let need = op(&rt, "release_publish", target.clone())
        .await
        .unwrap_err();
    assert!(matches!(need, Error::NeedsConfirmation { .. }), "{need}");
    let sent = w.sandbox.counter("wxa/release");
    ok(
        &rt,
        "release_publish",
        json!({"appid": m.mp, "confirmed": true}),
    )
    .await;
    assert_eq!(w.sandbox.counter("wxa/release"), sent + 1);
    let rs = ok(&rt, "release_status", target.clone()).await;
    assert_eq!(
        rs["version_info"]["release_info"]["release_version"],
        "1.0.0"
    );
    assert_eq!(rs["state"]["stage"], "released");
    assert_eq!(rs["state"]["released_version"], "1.0.0");
    let all = ok(&rt, "version_states", json!({"component_appid": m.comp})).await;
    assert_eq!(all.as_array().unwrap().len(), 1);
    // Boxed: the test's future is large enough already for a test thread's stack.
    Box::pin(a_page_asks_for_its_own_states(&rt, &m.comp, &m.mp)).await;

    // A second version: phased release, full release, history, rollback.
    ok(&rt, "code_commit", m.commit("1.1.0")).await;
    ok(&rt, "audit_submit", target.clone()).await;
    w.advance(&[&desk], Duration::from_secs(3601));
    let st = ok(&rt, "audit_status", target.clone()).await;
    assert_eq!(st["state"]["stage"], "audited", "{st}");
    let gray = json!({"appid": m.mp, "percent": 10});
    let need = op(&rt, "release_gray", gray.clone()).await.unwrap_err();
    assert!(matches!(need, Error::NeedsConfirmation { .. }), "{need}");
    assert_eq!(w.sandbox.counter("wxa/grayrelease"), 0);
    ok(
        &rt,
        "release_gray",
        json!({"appid": m.mp, "percent": 10, "confirmed": true}),
    )
    .await;
    let plan = ok(&rt, "release_gray_plan", target.clone()).await;
    assert_eq!(plan["plan"]["gray_percentage"], 10);
    ok(
        &rt,
        "release_publish",
        json!({"appid": m.mp, "confirmed": true}),
    )
    .await;
    let history = ok(&rt, "release_history", target.clone()).await;
    assert_eq!(history[0]["user_version"], "1.0.0", "{history}");
    let need = op(&rt, "release_revert", target.clone()).await.unwrap_err();
    assert!(matches!(need, Error::NeedsConfirmation { .. }), "{need}");
    let r = ok(
        &rt,
        "release_revert",
        json!({"appid": m.mp, "confirmed": true}),
    )
    .await;
    assert_eq!(r["state"]["released_version"], "1.0.0", "{r}");
    assert_eq!(r["state"]["stage"], "audited");
    let again = op(
        &rt,
        "release_revert",
        json!({"appid": m.mp, "confirmed": true}),
    )
    .await
    .unwrap_err();
    assert!(again.errcode().is_some(), "only one step back: {again}");
}

#[tokio::test]
async fn a_rejections_screenshots_are_images_fetched_once() {
    use wxdesk_sandbox::{audit_screenshot_text, AuditOutcome, AuditPlan};
    let (w, rt, m) = world_with_merchant().await;
    let desk = rt.desk();
    let target = json!({"appid": m.mp});
    ok(
        &rt,
        "domain_set",
        json!({"appid": m.mp, "requestdomain": ["https://api.example.com"]}),
    )
    .await;
    ok(
        &rt,
        "privacy_set",
        json!({"appid": m.mp, "setting": guide()}),
    )
    .await;
    ok(&rt, "code_commit", m.commit("1.0.0")).await;
    w.sandbox
        .set_next_audit(
            Some(&m.mp),
            AuditPlan {
                outcome: AuditOutcome::Fail,
                duration_secs: 60,
                reason: Some("页面内容不完整".into()),
                screenshots: 2,
                ..Default::default()
            },
        )
        .unwrap();
    ok(&rt, "audit_submit", target.clone()).await;
    w.advance(&[&desk], Duration::from_secs(61));
    let st = ok(&rt, "audit_status", target.clone()).await;
    assert_eq!(st["status"], "rejected", "{st}");
    let ids: Vec<String> = st["screenshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 2);

    // WeChat's joined form is accepted; each id comes back as a PNG, in order.
    let args = json!({"appid": m.mp, "media_ids": [ids.join("|")]});
    let shots = ok(&rt, "audit_screenshots", args.clone()).await;
    let shots = shots.as_array().unwrap();
    assert_eq!(shots.len(), 2);
    for (shot, id) in shots.iter().zip(&ids) {
        assert_eq!(shot["media_id"], id.as_str());
        assert_eq!(shot["content_type"], "image/png");
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["image_base64"].as_str().unwrap())
            .unwrap();
        assert_eq!(decode_qr(&png), audit_screenshot_text(id));
    }
    assert_eq!(w.sandbox.counter("cgi-bin/media/get"), 2);
    // Asked again (the card opened again): from memory, no call.
    let again = ok(&rt, "audit_screenshots", args).await;
    assert_eq!(again.as_array().unwrap(), shots);
    assert_eq!(w.sandbox.counter("cgi-bin/media/get"), 2, "cached");

    // An unknown id is WeChat's 40007; a malformed one is refused by name.
    let unknown = op(
        &rt,
        "audit_screenshots",
        json!({"appid": m.mp, "media_ids": ["NoSuchMedia_1"]}),
    )
    .await
    .unwrap_err();
    assert_eq!(unknown.errcode(), Some(40007), "{unknown}");
    let bad = op(
        &rt,
        "audit_screenshots",
        json!({"appid": m.mp, "media_ids": ["../etc"]}),
    )
    .await
    .unwrap_err();
    assert!(bad.to_string().contains("media_ids"), "{bad}");
}

/// A page of the merchants list asks for its own rows only: a merchant with
/// no version yet has no row; another platform's filter hides it; a bad
/// AppID is named.
async fn a_page_asks_for_its_own_states(rt: &wxdesk_core::ops::Runtime, comp: &str, mp: &str) {
    let unknown = "wx00000000000000aa";
    let page = ok(
        rt,
        "version_states",
        json!({"component_appid": comp, "appids": [unknown, mp]}),
    )
    .await;
    assert_eq!(page.as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page[0]["appid"], mp);
    let elsewhere = ok(
        rt,
        "version_states",
        json!({"component_appid": unknown, "appids": [mp]}),
    )
    .await;
    assert_eq!(elsewhere, json!([]));
    let bad = op(rt, "version_states", json!({"appids": ["shop"]}))
        .await
        .unwrap_err();
    assert!(bad.to_string().starts_with("appids:"), "{bad}");
}
