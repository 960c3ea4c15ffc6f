//! A merchant from authorized to released through the op table against the
//! sandbox: platform domains, a template from a draft, a commit with a
//! per-merchant ext.json, a tester scanning the decoded experience QR, a
//! readiness check that fails and passes once its fixes are applied, a
//! submission, the audit's push landing in the inbox, and the release —
//! plus the main refusals (85009 on a second submit, release before the
//! audit passed, the withdrawal limit) and confirmations sent nothing.

mod common;

use std::time::Duration;

use base64::Engine;
use common::*;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::services::inbox::{Received, UrlKind};
use wxdesk_core::{DeskOptions, Environment, Error};
use wxdesk_sandbox::DraftSeed;
use wxdesk_wechat::ClientConfig;

async fn runtime(w: &World) -> Runtime {
    Runtime::open(DeskOptions {
        db_path: w.db_path(),
        key_storage: wxdesk_core::vault::KeyStorage::File,
        environment: Some(Environment::Sandbox {
            base: w.sandbox.base_url(),
        }),
        client: ClientConfig::default(),
    })
    .await
    .unwrap()
}

async fn op(rt: &Runtime, name: &str, args: Value) -> Result<Value, Error> {
    dispatch(rt, name, args).await
}

async fn ok(rt: &Runtime, name: &str, args: Value) -> Value {
    match dispatch(rt, name, args).await {
        Ok(v) => v,
        Err(e) => panic!("{name}: {e} {:?}", e.body()),
    }
}

fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(png_bytes);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    grids[0].decode().unwrap().1
}

fn guide() -> Value {
    json!({
        "privacy_ver": 2,
        "owner_setting": {"contact_email": "privacy@example.com", "notice_method": "弹窗提醒"},
        "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "登录与展示"}]
    })
}

struct Merchant {
    comp: String,
    mp: String,
    template_id: i64,
}

/// A platform with a ticket and one authorized merchant, a server domain on
/// the platform's list, and a template in the library (through the ops).
async fn merchant(w: &World, rt: &Runtime) -> Merchant {
    let desk = rt.desk();
    let (comp, _) = seed_component(w, &desk);
    deliver_ticket(w, &desk, &comp);
    let (mp, _, _) = seed_authorizer(w, &desk, &comp);
    let v = ok(
        rt,
        "platform_domains",
        json!({"component_appid": comp, "kind": "server", "action": "add", "domains": ["api.example.com"]}),
    )
    .await;
    assert!(v["domains"]["testing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d == "api.example.com"));
    let draft = w
        .sandbox
        .add_template_drafts(DraftSeed {
            component_appid: comp.clone(),
            user_version: Some("1.0.0".into()),
            user_desc: None,
            pages: vec![],
            privacy_keys: None,
            count: None,
        })
        .unwrap()[0];
    let drafts = ok(rt, "template_drafts", json!({"component_appid": comp})).await;
    assert!(drafts
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["draft_id"] == draft));
    let t = ok(
        rt,
        "template_add",
        json!({"component_appid": comp, "draft_id": draft, "template_type": 0}),
    )
    .await;
    assert_eq!(t["draft_id"], draft);
    let template_id = t["template_id"].as_i64().unwrap();
    let list = ok(rt, "template_list", json!({"component_appid": comp})).await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["template_id"] == template_id));
    Merchant {
        comp,
        mp,
        template_id,
    }
}

#[tokio::test]
async fn a_merchant_goes_from_authorized_to_released() {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let desk = rt.desk();
    let m = merchant(&w, &rt).await;
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
}

#[tokio::test]
async fn withdrawals_are_confirmed_sent_once_and_limited() {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let m = merchant(&w, &rt).await;
    let target = json!({"appid": m.mp, "component_appid": m.comp});
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
    // The platform drops the domain from its own list: the check names it.
    ok(
        &rt,
        "platform_domains",
        json!({"component_appid": m.comp, "kind": "server", "action": "delete", "domains": ["api.example.com"]}),
    )
    .await;
    ok(
        &rt,
        "code_commit",
        json!({"appid": m.mp, "template_id": m.template_id, "user_version": "1.9.0"}),
    )
    .await;
    let check = ok(&rt, "audit_check", target.clone()).await;
    let codes: Vec<&str> = check["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "blocker")
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["domain_not_on_platform"], "{check}");
    ok(
        &rt,
        "code_commit",
        json!({"appid": m.mp, "template_id": m.template_id, "user_version": "2.0.0"}),
    )
    .await;
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
