//! The rules of code management through the op table against the sandbox:
//! withdrawals are confirmed, sent once and limited (87013); a commit or a
//! submission whose connection drops is sent once and not recorded; the
//! readiness check names each cause of a failing audit.

mod common;
mod wxa_support;

use std::time::Duration;

use common::draft_seed;
use serde_json::{json, Value};
use wxa_support::*;
use wxdesk_core::Error;
use wxdesk_sandbox::{DraftSeed, Fault, FaultKind, ProfilePatch};

#[tokio::test]
async fn withdrawals_are_confirmed_sent_once_and_limited() {
    let (w, rt, m) = world_with_merchant().await;
    let target = m.target();
    domains_and_privacy(&rt, &m).await;
    // The platform drops the domain from its own list: the check names it.
    ok(
        &rt,
        "platform_domains",
        json!({"component_appid": m.comp, "kind": "server", "action": "delete", "domains": ["api.example.com"]}),
    )
    .await;
    ok(&rt, "code_commit", m.commit("1.9.0")).await;
    let check = ok(&rt, "audit_check", target.clone()).await;
    let codes: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "blocker")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["domain_not_on_platform"], "{check}");
    ok(&rt, "code_commit", m.commit("2.0.0")).await;
    ok(&rt, "audit_submit", target.clone()).await;

    let need = op(&rt, "audit_undo", target.clone()).await.unwrap_err();
    assert!(matches!(need, Error::NeedsConfirmation { .. }), "{need}");
    assert_eq!(w.sandbox.counter("wxa/undocodeaudit"), 0, "nothing sent");
    let confirmed = json!({"appid": m.mp, "confirmed": true});
    let u = ok(&rt, "audit_undo", confirmed.clone()).await;
    assert_eq!(u["state"]["stage"], "withdrawn");
    ok(&rt, "audit_submit", target.clone()).await;
    let limit = op(&rt, "audit_undo", confirmed).await.unwrap_err();
    assert_eq!(limit.errcode(), Some(87013), "{limit}");
    assert_eq!(
        w.sandbox.counter("wxa/undocodeaudit"),
        2,
        "the refused withdrawal was sent once, never retried"
    );
    let st = ok(&rt, "audit_status", target.clone()).await;
    assert_eq!(st["status"], "auditing");

    // Bad input names the field.
    let bad = op(
        &rt,
        "code_commit",
        json!({"appid": m.mp, "template_id": m.template_id, "user_version": "2.0.1", "ext_json": "{\"a\":\"{{shop}}\"}"}),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&bad, Error::Invalid { field, .. } if field == "ext_json"),
        "{bad}"
    );
    assert!(bad.to_string().contains("{{shop}}"), "{bad}");
    let q = ok(&rt, "audit_quota", target).await;
    assert_eq!(q["quota"]["rest"], 18);
}

#[tokio::test]
async fn consuming_calls_are_sent_once_when_they_may_have_reached_wechat() {
    let (w, rt, m) = world_with_merchant().await;
    let commit = m.commit("3.0.0");

    // The connection drops after WeChat may have taken the commit: one attempt, no record.
    w.sandbox
        .set_fault(Fault::new("wxa/commit", FaultKind::ConnectionReset).times(1));
    assert!(op(&rt, "code_commit", commit.clone()).await.is_err());
    assert_eq!(w.sandbox.counter("wxa/commit"), 1, "never replayed");
    let state = ok(&rt, "version_state", json!({"appid": m.mp})).await;
    assert_eq!(state["stage"], "none", "{state}");
    assert_eq!(state["experience_version"], Value::Null);

    ok(&rt, "code_commit", commit).await;
    domains_and_privacy(&rt, &m).await;
    w.sandbox
        .set_fault(Fault::new("wxa/submit_audit", FaultKind::ConnectionReset).times(1));
    assert!(op(&rt, "audit_submit", json!({"appid": m.mp}))
        .await
        .is_err());
    assert_eq!(w.sandbox.counter("wxa/submit_audit"), 1, "never replayed");
    let state = ok(&rt, "version_state", json!({"appid": m.mp})).await;
    assert_eq!(state["auditid"], Value::Null, "{state}");
}

#[tokio::test]
async fn the_readiness_check_names_each_cause() {
    let (w, rt, m) = world_with_merchant().await;
    let desk = rt.desk();
    let target = json!({"appid": m.mp});

    // Before any commit: no code.
    let check = ok(&rt, "audit_check", target.clone()).await;
    assert!(blockers(&check).contains(&"no_code".to_string()), "{check}");

    // Code that uses the location: undeclared key, interfaces not applied.
    let draft = w
        .sandbox
        .add_template_drafts(DraftSeed {
            privacy_keys: Some(vec!["UserInfo".into(), "Location".into()]),
            ..draft_seed(&m.comp, "4.0.0")
        })
        .unwrap()[0];
    let t = ok(
        &rt,
        "template_add",
        json!({"component_appid": m.comp, "draft_id": draft}),
    )
    .await;
    ok(
        &rt,
        "code_commit",
        json!({"appid": m.mp, "template_id": t["template_id"], "user_version": "4.0.0"}),
    )
    .await;
    domains_and_privacy(&rt, &m).await;
    w.sandbox
        .patch_profile(ProfilePatch {
            appid: m.mp.clone(),
            nick_name: Some(String::new()),
            categories: Some(vec![]),
            ..Default::default()
        })
        .unwrap();
    w.sandbox.set_submit_quota(&m.mp, 0).unwrap();
    let items = json!([{"address": "pages/nowhere/nowhere", "first_class": "工具", "second_class": "效率"}]);
    let check = ok(
        &rt,
        "audit_check",
        json!({"appid": m.mp, "item_list": items}),
    )
    .await;
    let b = blockers(&check);
    for code in [
        "no_nickname",
        "no_category",
        "page_missing",
        "privacy_undeclared",
        "privacy_interface_not_applied",
        "quota_exhausted",
    ] {
        assert!(b.contains(&code.to_string()), "{code} missing: {check}");
    }
    assert!(!b.contains(&"no_server_domain".to_string()), "{check}");
    let located = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "privacy_interface_not_applied")
        .count();
    assert_eq!(
        located, 2,
        "wx.getLocation and wx.onLocationChange: {check}"
    );

    // Applying for the interfaces: pending (a warning), then granted.
    for api in ["wx.getLocation", "wx.onLocationChange"] {
        ok(
            &rt,
            "privacy_apply",
            json!({"appid": m.mp, "application": {"api_name": api, "content": "门店导航"}}),
        )
        .await;
    }
    let check = ok(&rt, "audit_check", target.clone()).await;
    assert!(!blockers(&check).contains(&"privacy_interface_not_applied".to_string()));
    assert!(check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "privacy_interface_pending" && f["severity"] == "warning"));
    w.advance(&[&desk], Duration::from_secs(61));
    let check = ok(&rt, "audit_check", target).await;
    assert!(!check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "privacy_interface_pending"));
}

/// A release that WeChat accepted proves the audit passed: the stored state
/// says released even when neither the audit's push nor a status read came
/// first (it said "auditing" before this was fixed).
#[tokio::test]
async fn a_release_accepted_before_any_audit_news_marks_the_audit_passed() {
    let (w, rt, m) = world_with_merchant().await;
    let target = m.target();
    domains_and_privacy(&rt, &m).await;
    ok(&rt, "code_commit", m.commit("3.1.0")).await;
    ok(&rt, "audit_submit", target.clone()).await;
    let desk = rt.desk();
    w.advance(&[&desk], std::time::Duration::from_secs(3601));
    let before = ok(&rt, "version_state", target.clone()).await;
    assert_eq!(
        before["stage"], "auditing",
        "no news of the audit yet: {before}"
    );
    let r = ok(
        &rt,
        "release_publish",
        json!({"appid": m.mp, "component_appid": m.comp, "confirmed": true}),
    )
    .await;
    assert_eq!(r["state"]["stage"], "released", "{r}");
    assert_eq!(r["state"]["audit_status"], "success", "{r}");
    assert_eq!(r["state"]["released_version"], "3.1.0", "{r}");
    assert_eq!(r["state"]["audited_version"], "3.1.0", "{r}");
}

#[tokio::test]
async fn shrinking_the_released_platform_list_is_confirmed_first() {
    let (_w, rt, m) = world_with_merchant().await;
    let list = |action: &str, published_too: bool, confirmed: bool| {
        json!({"component_appid": m.comp, "kind": "server", "action": action,
               "domains": ["api.example.com"], "published_too": published_too, "confirmed": confirmed})
    };
    // Added to the released list too (adding never breaks anyone): no question.
    let added = ok(&rt, "platform_domains", list("add", true, false)).await;
    assert!(
        added["domains"]["published"]
            .to_string()
            .contains("api.example.com"),
        "{added}"
    );
    // Deleting it from the released list asks first, and sends nothing until confirmed.
    let e = op(&rt, "platform_domains", list("delete", true, false))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "needs_confirmation", "{e}");
    assert!(e.to_string().contains("api.example.com"), "{e}");
    let read = json!({"component_appid": m.comp, "kind": "server", "action": "get"});
    let still = ok(&rt, "platform_domains", read.clone()).await;
    assert!(
        still["domains"]["published"]
            .to_string()
            .contains("api.example.com"),
        "{still}"
    );
    // The testing list alone changes without a question; confirmed, the released one too.
    ok(&rt, "platform_domains", list("delete", false, false)).await;
    let gone = ok(&rt, "platform_domains", list("delete", true, true)).await;
    assert!(
        !gone["domains"]["published"]
            .to_string()
            .contains("api.example.com"),
        "{gone}"
    );
}
