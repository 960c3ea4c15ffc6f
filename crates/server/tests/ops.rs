//! The op route's own rules: desktop-only operations are not served, and an
//! operation runs to its end even when the browser goes away mid-call.

mod common;

use std::time::Duration;

use common::{op, post_op, start, start_with, Fixture};
use serde_json::json;
use wxdesk_core::ops::dispatch;
use wxdesk_core::Environment;
use wxdesk_sandbox::{Fault, FaultKind, JsCode, Sandbox, SandboxConfig, SandboxHandle};

const APPID: &str = "wx0123456789abcdef";

/// A sandbox-backed server with one app, whose `login` call the browser gave
/// up on (the client timed out) while WeChat was still answering slowly.
async fn login_abandoned_mid_call() -> (SandboxHandle, Fixture, JsCode) {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let f = start_with(Environment::Sandbox {
        base: sandbox.base_url(),
    })
    .await;
    let secret = "0123456789abcdef0123456789abcdef";
    sandbox.add_app(APPID, secret);
    let (status, body) = op(
        &f,
        "app_add",
        json!({"appid": APPID, "secret": secret, "name": "A"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let js = sandbox.issue_js_code(APPID, None);
    sandbox.set_fault(Fault::new(
        "sns/jscode2session",
        FaultKind::Latency { ms: 1500 },
    ));

    // The tab closes while WeChat is still answering: the client hangs up.
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let gone = impatient
        .post(format!("{}/api/op/login", f.server.base_url()))
        .bearer_auth(f.server.token())
        .json(&json!({"appid": APPID, "code": js.code}))
        .send()
        .await;
    assert!(gone.is_err(), "the client gave up before the answer");
    drop(impatient);
    (sandbox, f, js)
}

#[tokio::test]
async fn save_file_is_not_reachable_over_http() {
    let f = start().await;
    let target = f.dir.path().join("written-over-http.txt");
    for args in [
        json!({"path": target.to_string_lossy(), "content_base64": "aGk="}),
        json!({}),
    ] {
        let (status, body) = op(&f, "save_file", args).await;
        assert_eq!(status, 403, "{body}");
        assert_eq!(body["code"], "desktop_only");
        assert!(
            body["message"].as_str().unwrap().contains("save_file"),
            "{body}"
        );
    }
    assert!(!target.exists(), "nothing was written");
    // Even with a browser session.
    let cookie = common::login(&f).await;
    let r = post_op(&f, "save_file", |r| {
        r.header(reqwest::header::COOKIE, cookie)
            .json(&json!({"path": target.to_string_lossy(), "content_base64": "aGk="}))
    })
    .await;
    assert_eq!(r.status(), 403);
    assert!(!target.exists());
}

#[tokio::test]
async fn an_operation_runs_to_its_end_when_the_client_goes_away() {
    let (sandbox, f, js) = login_abandoned_mid_call().await;

    let appid = APPID;
    // The login still completes: the session is stored...
    let mut stored = false;
    for _ in 0..100 {
        let (status, sessions) = op(&f, "sessions", json!({"appid": appid})).await;
        assert_eq!(status, 200, "{sessions}");
        if sessions
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["openid"] == js.openid.as_str())
        {
            stored = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(stored, "the session of the consumed js_code was kept");
    // ...the call is in the call log...
    let (status, calls) = op(&f, "call_log", json!({})).await;
    assert_eq!(status, 200, "{calls}");
    let calls = calls.as_array().unwrap();
    assert!(
        calls
            .iter()
            .any(|c| c["endpoint"].as_str().unwrap().contains("jscode2session")),
        "{calls:?}"
    );
    // ...and WeChat consumed the code: a second try is refused.
    sandbox.clear_faults();
    assert_eq!(sandbox.counter("sns/jscode2session"), 1);
    let (status, again) = op(&f, "login", json!({"appid": appid, "code": js.code})).await;
    assert_ne!(status, 200, "{again}");
}

#[tokio::test]
async fn stopping_the_server_waits_for_an_operation_whose_client_went_away() {
    let (_sandbox, f, js) = login_abandoned_mid_call().await;
    let appid = APPID;
    // Ctrl-C right away: the login still ends before the server has stopped.
    let rt = f.rt.clone();
    f.server.shutdown().await;
    let sessions = dispatch(&rt, "sessions", json!({"appid": appid}))
        .await
        .unwrap();
    assert!(
        sessions
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["openid"] == js.openid.as_str()),
        "{sessions}"
    );
}
