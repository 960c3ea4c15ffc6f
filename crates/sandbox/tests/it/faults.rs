//! Each fault kind, as a reqwest client sees it.

use std::time::{Duration, Instant};

use serde_json::json;
use wxdesk_sandbox::{Fault, FaultKind, SandboxHandle};
use wxdesk_testkit::http::JsonReply;

use crate::common::*;

fn token_url(base: &str) -> String {
    format!("{base}/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}")
}

/// One `cgi-bin/token` request of the test app to `sb`, with a fresh client.
async fn send_token(sb: &SandboxHandle) -> reqwest::Result<reqwest::Response> {
    client().get(token_url(&sb.base_url())).send().await
}

#[tokio::test]
async fn latency_delays_then_answers() {
    let sb = start().await;
    sb.set_fault(Fault::new("cgi-bin/token", FaultKind::Latency { ms: 300 }));
    let t = Instant::now();
    let v: serde_json::Value = send_token(&sb).await.unwrap().json().await.unwrap();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert!(v["access_token"].is_string());
}

#[tokio::test]
async fn global_latency_does_not_serialize() {
    let sb = start().await;
    sb.set_fault(Fault::new("*", FaultKind::Latency { ms: 200 }));
    let t = Instant::now();
    let base = sb.base_url();
    let c = client();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let c = c.clone();
            let url = token_url(&base);
            tokio::spawn(async move { c.get(url).send().await.unwrap().status() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 200);
    }
    assert!(
        t.elapsed() < Duration::from_millis(2000),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn status_answers_html() {
    let sb = start().await;
    sb.set_fault(Fault::new("/cgi-bin/token", FaultKind::Status { code: 502 }).times(1));
    let resp = send_token(&sb).await.unwrap();
    assert_eq!(resp.status(), 502);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("502 Bad Gateway"));
    // times(1): the next call is normal again.
    let resp = send_token(&sb).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn malformed_json_is_truncated() {
    let sb = start().await;
    sb.set_fault(Fault::new("cgi-bin/token", FaultKind::MalformedJson));
    let resp = send_token(&sb).await.unwrap();
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
}

#[tokio::test]
async fn connection_reset_kills_the_exchange() {
    let sb = start().await;
    sb.set_fault(Fault::new("cgi-bin/token", FaultKind::ConnectionReset));
    // The body fails before any byte is written, so not even the status line
    // arrives: `send()` itself fails, mid-request (not at connect time).
    let err = send_token(&sb).await.expect_err("the exchange must fail");
    assert!(
        !err.is_connect(),
        "must not look like a connect error: {err:?}"
    );
    assert!(!err.is_timeout());
    assert!(err.is_request(), "{err:?}");
    // The server survives.
    sb.clear_faults();
    let resp = send_token(&sb).await.unwrap();
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn slow_body_stalls_after_the_first_bytes() {
    let sb = start().await;
    sb.set_fault(Fault::new("cgi-bin/token", FaultKind::SlowBody { ms: 400 }));
    let t = Instant::now();
    let mut resp = send_token(&sb).await.unwrap();
    let headers_at = t.elapsed();
    assert!(
        headers_at < Duration::from_millis(300),
        "headers late: {headers_at:?}"
    );
    let first = resp.chunk().await.unwrap().unwrap();
    assert!(!first.is_empty());
    assert!(t.elapsed() < Duration::from_millis(300));
    let mut rest = first.to_vec();
    while let Some(chunk) = resp.chunk().await.unwrap() {
        rest.extend_from_slice(&chunk);
    }
    assert!(t.elapsed() >= Duration::from_millis(400));
    let v: serde_json::Value = serde_json::from_slice(&rest).unwrap();
    assert!(v["access_token"].is_string());
}

#[tokio::test]
async fn slow_body_trips_a_short_client_timeout() {
    let sb = start().await;
    sb.set_fault(Fault::new(
        "cgi-bin/token",
        FaultKind::SlowBody { ms: 1500 },
    ));
    let c = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = async { c.get(token_url(&sb.base_url())).send().await?.text().await }
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn errcode_fault_replaces_the_answer_without_side_effects() {
    let sb = start().await;
    let code = sb.issue_js_code(APPID, None);
    sb.set_fault(
        Fault::new(
            "sns/jscode2session",
            FaultKind::Errcode {
                errcode: -1,
                errmsg: "system error".into(),
            },
        )
        .times(1),
    );
    let url = format!(
        "/sns/jscode2session?appid={APPID}&secret={SECRET}&js_code={}&grant_type=authorization_code",
        code.code
    );
    let v = get(&sb, &url).await;
    assert_err(&v, -1);
    // The code was not consumed by the faulted call.
    let v = get(&sb, &url).await;
    assert_eq!(v["openid"], json!(code.openid));
}

#[tokio::test]
async fn counters_count_faulted_requests_too() {
    let sb = start().await;
    sb.set_fault(Fault::new("cgi-bin/token", FaultKind::Status { code: 503 }).times(2));
    for _ in 0..3 {
        send_token(&sb).await.unwrap();
    }
    assert_eq!(sb.counter("cgi-bin/token"), 3);
    assert_eq!(sb.counter("/cgi-bin/token"), 3);
    assert_eq!(sb.counters().get("cgi-bin/token"), Some(&3));
    // Hooks are not counted.
    client()
        .get(format!("{}/__sandbox/counters", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert!(sb.counters().keys().all(|k| !k.starts_with("__sandbox")));
    sb.reset_counters();
    assert_eq!(sb.counter("cgi-bin/token"), 0);
}

#[tokio::test]
async fn faults_over_http() {
    let sb = start().await;
    let c = client();
    let base = sb.base_url();
    let r = c
        .post(format!("{base}/__sandbox/faults"))
        .json(&json!({"endpoint":"cgi-bin/token","kind":"errcode","errcode":45009,"errmsg":"reach max api daily quota limit","times":1}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: serde_json::Value = c.get(token_url(&base)).json_reply().await;
    assert_err(&v, 45009);
    c.post(format!("{base}/__sandbox/faults"))
        .json(&json!({"endpoint":"*","kind":"status","code":500,"times":null}))
        .send()
        .await
        .unwrap();
    assert_eq!(c.get(token_url(&base)).send().await.unwrap().status(), 500);
    let r = c
        .delete(format!("{base}/__sandbox/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(c.get(token_url(&base)).send().await.unwrap().status(), 200);
    let bad = c
        .post(format!("{base}/__sandbox/faults"))
        .json(&json!({"endpoint":"*","kind":"nonsense"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    let counters: serde_json::Value = c
        .get(format!("{base}/__sandbox/counters"))
        .json_reply()
        .await;
    assert_eq!(counters["cgi-bin/token"], json!(3));
    c.post(format!("{base}/__sandbox/counters/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(sb.counter("cgi-bin/token"), 0);
}
