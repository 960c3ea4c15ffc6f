//! Code management over raw HTTP: the `/__sandbox/wxa/` hooks, WeChat's wire
//! shapes (PNG QR code, `screenshot` vs `ScreenShot`, `{}` release body), the
//! monthly withdrawal limit across virtual days, and `weapp_audit_*` pushes
//! delivered to the message URL, verified and decrypted with the protocol
//! crate's crypto.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Value};
use wxdesk_sandbox::{AccountKind, SandboxHandle};
use wxdesk_wechat::api::wxa_audit::{AuditEvent, AuditState};
use wxdesk_wechat::crypto::push::{plain_signature, PushCrypto, PushQuery};
use wxdesk_wechat::push_message::parse_message;

use crate::common::*;
use crate::pushes::receiver;

struct Merchant {
    appid: String,
    refresh: String,
    token: String,
}

async fn merchant(sb: &SandboxHandle, ctoken: &str) -> Merchant {
    let auth = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let v = post(
        sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={ctoken}"),
        json!({"component_appid": COMPONENT, "authorization_code": auth.auth_code}),
    )
    .await;
    let info = &v["authorization_info"];
    Merchant {
        appid: auth.authorizer_appid,
        refresh: info["authorizer_refresh_token"].as_str().unwrap().into(),
        token: info["authorizer_access_token"].as_str().unwrap().into(),
    }
}

/// New component and authorizer tokens after the virtual clock moved on.
async fn refresh(sb: &SandboxHandle, m: &mut Merchant) -> String {
    let ctoken = fetch_component_token(sb).await;
    let v = post(
        sb,
        &format!("/cgi-bin/component/api_authorizer_token?component_access_token={ctoken}"),
        json!({"component_appid":COMPONENT,"authorizer_appid":m.appid,"authorizer_refresh_token":m.refresh}),
    )
    .await;
    m.token = v["authorizer_access_token"].as_str().unwrap().into();
    ctoken
}

async fn hook(sb: &SandboxHandle, path: &str, body: Value) -> (u16, Value) {
    let resp = client()
        .post(format!("{}/__sandbox/wxa/{path}", sb.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// Drafts → template → domains → privacy guide → commit; returns the template id.
async fn ready(sb: &SandboxHandle, ctoken: &str, m: &Merchant) -> i64 {
    let (s, v) = hook(sb, "drafts", json!({"component_appid": COMPONENT})).await;
    assert_eq!(s, 200, "{v}");
    let draft = v["drafts"][0]["draft_id"].as_i64().unwrap();
    let ok = |v: &Value| assert_eq!(v["errcode"], 0, "{v}");
    ok(&post(
        sb,
        &format!("/wxa/addtotemplate?access_token={ctoken}"),
        json!({"draft_id": draft, "template_type": 0}),
    )
    .await);
    let list = get(sb, &format!("/wxa/gettemplatelist?access_token={ctoken}")).await;
    let tid = list["template_list"][0]["template_id"].as_i64().unwrap();
    ok(&post(
        sb,
        &format!("/cgi-bin/component/modify_wxa_server_domain?access_token={ctoken}"),
        json!({"action": "add", "wxa_server_domain": "api.example.com;cdn.example.com"}),
    )
    .await);
    let t = &m.token;
    ok(&post(
        sb,
        &format!("/wxa/modify_domain?access_token={t}"),
        json!({"action": "set", "requestdomain": ["https://api.example.com"]}),
    )
    .await);
    ok(&post(
        sb,
        &format!("/cgi-bin/component/setprivacysetting?access_token={t}"),
        json!({"owner_setting": {"contact_email": "p@example.com", "notice_method": "弹窗"},
               "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "登录"}]}),
    )
    .await);
    ok(&post(
        sb,
        &format!("/wxa/commit?access_token={t}"),
        json!({"template_id": tid.to_string(), "ext_json": "{}", "user_version": "1.0.0", "user_desc": "first"}),
    )
    .await);
    tid
}

#[tokio::test]
async fn hooks_answer_and_refuse_clearly() {
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let m = merchant(&sb, &ctoken).await;
    let (s, v) = hook(
        &sb,
        "drafts",
        json!({"component_appid": "wx9999999999999999"}),
    )
    .await;
    assert_eq!(s, 400);
    assert!(
        v["error"].as_str().unwrap().contains("wx9999999999999999"),
        "{v}"
    );
    let (s, _) = hook(
        &sb,
        "drafts",
        json!({"component_appid": COMPONENT, "count": 0}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, v) = hook(&sb, "audit/next", json!({"outcome": "sometimes"})).await;
    assert_eq!(s, 400);
    assert!(v["error"].as_str().unwrap().contains("outcome"), "{v}");
    let (s, _) = hook(
        &sb,
        "audit/next",
        json!({"appid": "wx0000000000000000", "outcome": "fail"}),
    )
    .await;
    assert_eq!(s, 400, "unknown appid");
    let (s, _) = hook(
        &sb,
        "message_url",
        json!({"component_appid": COMPONENT, "url": "ftp://x"}),
    )
    .await;
    assert_eq!(s, 400);
    let (s, _) = hook(&sb, "quota", json!({"appid": m.appid, "rest": 0})).await;
    assert_eq!(s, 200);
    let q = get(&sb, &format!("/wxa/queryquota?access_token={}", m.token)).await;
    assert_eq!(q["rest"], 0);
    // Scanning before any commit is refused, with the reason.
    let v = get(
        &sb,
        &format!("/__sandbox/wxa/scan?appid={}&wechat_id=tester_01", m.appid),
    )
    .await;
    assert_eq!(v["result"], "refused");
    assert!(v["reason"].as_str().unwrap().contains("commit"), "{v}");
    // Code management state is part of /__sandbox/state.
    let state = get(&sb, "/__sandbox/state").await;
    assert!(state["state"]["wxa"]["apps"].get(&m.appid).is_some());
}

#[tokio::test]
async fn wire_shapes_of_qr_status_and_release() {
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let m = merchant(&sb, &ctoken).await;
    let t = m.token.clone();
    // The app's own token cannot commit: a platform must.
    let own = legacy_token(&sb).await;
    assert_err(
        &post(
            &sb,
            &format!("/wxa/commit?access_token={own}"),
            json!({"template_id": 1, "user_version": "1"}),
        )
        .await,
        86000,
    );
    // An Official Account is not a mini program.
    let oa = sb
        .authorize(seed(AccountKind::OfficialAccount, None))
        .unwrap();
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={ctoken}"),
        json!({"component_appid": COMPONENT, "authorization_code": oa.auth_code}),
    )
    .await;
    let oa_token = v["authorization_info"]["authorizer_access_token"]
        .as_str()
        .unwrap();
    assert_err(
        &get(&sb, &format!("/wxa/get_page?access_token={oa_token}")).await,
        85015,
    );

    let qr = client()
        .get(format!("{}/wxa/get_qrcode?access_token={t}", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.status(), 200);
    assert!(qr.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("json"));
    assert_err(&qr.json().await.unwrap(), 86001);

    ready(&sb, &ctoken, &m).await;
    let qr = client()
        .get(format!(
            "{}/wxa/get_qrcode?access_token={t}&path=pages%2Findex%2Findex",
            sb.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(qr.headers()["content-type"], "image/png");
    let bytes = qr.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

    sb.set_next_audit(
        None,
        wxdesk_sandbox::AuditPlan {
            duration_secs: 5,
            ..Default::default()
        },
    )
    .unwrap();
    let v = post(
        &sb,
        &format!("/wxa/submit_audit?access_token={t}"),
        json!({"item_list": []}),
    )
    .await;
    assert_err(&v, 85023);
    let v = post(
        &sb,
        &format!("/wxa/submit_audit?access_token={t}"),
        json!({}),
    )
    .await;
    let auditid = v["auditid"].as_i64().unwrap();
    let latest = get(
        &sb,
        &format!("/wxa/get_latest_auditstatus?access_token={t}"),
    )
    .await;
    assert_eq!(latest["status"], 2);
    assert!(
        latest.get("ScreenShot").is_some(),
        "latest uses ScreenShot: {latest}"
    );
    let one = post(
        &sb,
        &format!("/wxa/get_auditstatus?access_token={t}"),
        json!({"auditid": auditid.to_string()}),
    )
    .await;
    assert!(
        one.get("screenshot").is_some(),
        "get_auditstatus uses screenshot: {one}"
    );
    sb.advance_clock(Duration::from_secs(6));
    // Release wants the literal {} body.
    let empty = client()
        .post(format!("{}/wxa/release?access_token={t}", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_err(&empty.json().await.unwrap(), 44002);
    let v = post(&sb, &format!("/wxa/release?access_token={t}"), json!({})).await;
    assert_eq!(v["errcode"], 0, "{v}");
    let info = post(
        &sb,
        &format!("/wxa/getversioninfo?access_token={t}"),
        json!({}),
    )
    .await;
    assert_eq!(info["release_info"]["release_version"], "1.0.0");
}

/// Beijing-time day of month of a Unix timestamp.
fn day_of_month(ts: i64) -> i64 {
    let z = (ts + 8 * 3600).div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    doy - (153 * mp + 2) / 5 + 1
}

#[tokio::test]
async fn withdrawals_are_limited_to_one_a_day_and_ten_a_month() {
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let mut m = merchant(&sb, &ctoken).await;
    ready(&sb, &ctoken, &m).await;
    sb.set_submit_quota(&m.appid, 20).unwrap();
    // Start on the first day of a (Beijing) month.
    while day_of_month(sb.now()) != 1 {
        sb.advance_clock(Duration::from_secs(86_400));
    }
    let long = wxdesk_sandbox::AuditPlan {
        duration_secs: 86_400 * 40,
        ..Default::default()
    };
    let short = wxdesk_sandbox::AuditPlan {
        duration_secs: 3600,
        ..Default::default()
    };
    sb.set_next_audit(None, long).unwrap();
    for day in 1..=11 {
        refresh(&sb, &mut m).await;
        let t = m.token.clone();
        let submit_path = format!("/wxa/submit_audit?access_token={t}");
        let undo_path = format!("/wxa/undocodeaudit?access_token={t}");
        let submit = || post(&sb, &submit_path, json!({}));
        let undo = || get(&sb, &undo_path);
        let v = submit().await;
        assert_eq!(v["errcode"], 0, "day {day}: {v}");
        if day == 11 {
            assert_err(&undo().await, 87013);
            break;
        }
        assert_eq!(undo().await["errcode"], 0, "day {day}");
        assert_err(&undo().await, 85019);
        // A second audit the same day cannot be withdrawn; it passes within the hour.
        sb.set_next_audit(Some(&m.appid), short.clone()).unwrap();
        assert_eq!(submit().await["errcode"], 0, "day {day}");
        assert_err(
            &post(
                &sb,
                &format!("/wxa/submit_audit?access_token={t}"),
                json!({}),
            )
            .await,
            85009,
        );
        assert_err(&undo().await, 87013);
        sb.advance_clock(Duration::from_secs(86_400));
    }
    assert_eq!(day_of_month(sb.now()), 11, "all in one month");
}

#[tokio::test]
async fn audit_events_are_pushed_encrypted_to_the_message_url() {
    let (url, rx) = receiver(StatusCode::OK).await;
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let m = merchant(&sb, &ctoken).await;
    ready(&sb, &ctoken, &m).await;
    let message_url = url.replace("/component/event?env=test", "/component/event?app=$APPID$");
    let (s, v) = hook(
        &sb,
        "message_url",
        json!({"component_appid": COMPONENT, "url": message_url}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let (s, v) = hook(
        &sb,
        "audit/next",
        json!({"appid": m.appid, "outcome": "fail", "duration_secs": 30, "reason": "缺少隐私说明", "screenshots": 2}),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    let t = &m.token;
    let v = post(
        &sb,
        &format!("/wxa/submit_audit?access_token={t}"),
        json!({}),
    )
    .await;
    assert_eq!(v["errcode"], 0, "{v}");
    sb.advance_clock(Duration::from_secs(31));
    // The ticker settles the audit and delivers without any API call.
    let mut got = Vec::new();
    for _ in 0..200 {
        got = rx.got.lock().unwrap().clone();
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(got.len(), 1, "one push arrived");
    let (query, body, _) = &got[0];
    assert!(
        query.contains(&format!("app={}", m.appid)),
        "$APPID$ replaced: {query}"
    );
    let q = PushQuery::parse(query).unwrap();
    assert_eq!(
        q.signature.as_deref(),
        Some(plain_signature(MSG_TOKEN, &q.timestamp, &q.nonce).as_str())
    );
    assert!(body.starts_with("<xml><ToUserName><![CDATA[gh_"), "{body}");
    let crypto = PushCrypto::new(MSG_TOKEN, AES_KEY, COMPONENT).unwrap();
    let opened = crypto
        .open(&q, body)
        .expect("signature verifies and the body decrypts");
    let msg = opened.message;
    assert!(
        msg.contains("<Event><![CDATA[weapp_audit_fail]]></Event>"),
        "{msg}"
    );
    assert!(
        msg.contains("<Reason><![CDATA[缺少隐私说明]]></Reason>"),
        "{msg}"
    );
    assert!(msg.contains("<FailTime>"), "{msg}");
    let shots = msg
        .split("<ScreenShot><![CDATA[")
        .nth(1)
        .unwrap()
        .split("]]>")
        .next()
        .unwrap();
    assert_eq!(shots.split('|').count(), 2, "{msg}");
    let event = AuditEvent::from_push(&parse_message(&msg).unwrap()).expect("an audit event");
    assert_eq!(event.state, AuditState::Rejected);
    assert_eq!(event.reason, "缺少隐私说明");
    assert_eq!(event.screenshots.len(), 2);
    assert!(event.to_user_name.starts_with("gh_"));
    let status = get(
        &sb,
        &format!("/wxa/get_latest_auditstatus?access_token={t}"),
    )
    .await;
    assert_eq!(status["status"], 1);
    assert_eq!(status["ScreenShot"], shots);

    // Success is pushed too, and recorded with the other pushes.
    sb.set_next_audit(
        Some(&m.appid),
        wxdesk_sandbox::AuditPlan {
            duration_secs: 5,
            ..Default::default()
        },
    )
    .unwrap();
    post(
        &sb,
        &format!("/wxa/submit_audit?access_token={t}"),
        json!({}),
    )
    .await;
    sb.advance_clock(Duration::from_secs(6));
    for _ in 0..200 {
        if rx.got.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 2);
    let q = PushQuery::parse(&got[1].0).unwrap();
    let msg = crypto.open(&q, &got[1].1).unwrap().message;
    assert!(
        msg.contains("weapp_audit_success") && msg.contains("<SuccTime>"),
        "{msg}"
    );
    let kinds: Vec<String> = sb.pushes().into_iter().map(|p| p.info_type).collect();
    assert!(
        kinds.contains(&"weapp_audit_fail".to_string())
            && kinds.contains(&"weapp_audit_success".to_string())
    );
}

#[tokio::test]
async fn the_remaining_errors_of_each_call() {
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let m = merchant(&sb, &ctoken).await;
    let t = m.token.clone();
    let domains = format!("/cgi-bin/component/modify_wxa_server_domain?access_token={ctoken}");
    let apply_path = format!("/wxa/security/apply_privacy_interface?access_token={t}");
    let apply = json!({"api_name": "wx.chooseAddress", "content": "收货地址"});
    let refused = |path: &str, body: Value, errcode: i64| (path.to_string(), body, errcode);
    // Each case: (path, body, the errcode it is refused with), in order.
    let before_apply = [
        // A platform domain is a bare host.
        refused(
            &domains,
            json!({"action": "add", "wxa_server_domain": "https://api.example.com"}),
            85302,
        ),
        refused(&domains, json!({"action": "replace"}), 40097),
        // Unbinding someone who is not a tester.
        refused(
            &format!("/wxa/unbind_tester?access_token={t}"),
            json!({"wechatid": "nobody_here"}),
            85001,
        ),
        refused(
            &format!("/wxa/bind_tester?access_token={t}"),
            json!({"wechatid": "13800138000"}),
            85001,
        ),
    ];
    for (path, body, errcode) in before_apply {
        assert_err(&post(&sb, &path, body).await, errcode);
    }
    // Applying twice for the same interface.
    let v = post(&sb, &apply_path, apply.clone()).await;
    assert_eq!(v["errcode"], 0, "{v}");
    let after_apply = [
        refused(&apply_path, apply, 40097),
        // An upload without a multipart body.
        refused(
            &format!("/wxa/uploadmedia?access_token={t}"),
            json!({}),
            41005,
        ),
        // Speeding up an unknown audit; a phased release without any release.
        refused(
            &format!("/wxa/speedupaudit?access_token={t}"),
            json!({"auditid": 1}),
            85012,
        ),
        refused(
            &format!("/wxa/grayrelease?access_token={t}"),
            json!({"gray_percentage": 10}),
            85079,
        ),
    ];
    for (path, body, errcode) in after_apply {
        assert_err(&post(&sb, &path, body).await, errcode);
    }
    assert_err(
        &get(&sb, &format!("/wxa/revertgrayrelease?access_token={t}")).await,
        85021,
    );
    assert_err(
        &get(
            &sb,
            &format!("/wxa/get_latest_auditstatus?access_token={t}"),
        )
        .await,
        85012,
    );
    // Every endpoint checks the token.
    for path in [
        "/wxa/get_page",
        "/wxa/queryquota",
        "/wxa/gettemplatelist",
        "/wxa/get_qrcode",
    ] {
        assert_err(
            &get(&sb, &format!("{path}?access_token=not-a-token")).await,
            40001,
        );
    }
}
