//! cgi-bin/token, stable_token, quota.

use std::time::Duration;

use serde_json::json;
use wxdesk_sandbox::SandboxConfig;
use wxdesk_testkit::http::JsonReply;

use crate::common::*;

fn token_path(appid: &str, secret: &str) -> String {
    format!("/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}")
}

async fn phone_call(sb: &wxdesk_sandbox::SandboxHandle, token: &str) -> serde_json::Value {
    // Any MP API works to probe a token; a bogus code answers 40029 when the token is fine.
    post(
        sb,
        &format!("/wxa/business/getuserphonenumber?access_token={token}"),
        json!({"code":"nope"}),
    )
    .await
}

#[tokio::test]
async fn legacy_token_shape_and_errors() {
    let sb = start().await;
    let v = get(&sb, &token_path(APPID, SECRET)).await;
    assert_payload(&v);
    assert_eq!(v["expires_in"], json!(7200));
    assert!(v["access_token"].as_str().unwrap().len() >= 136);
    assert_err(
        &get(&sb, &token_path("wx9999999999999999", SECRET)).await,
        40013,
    );
    assert_err(&get(&sb, &token_path(APPID, "wrong")).await, 40125);
    assert_err(
        &get(
            &sb,
            &format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}"),
        )
        .await,
        41004,
    );
    assert_err(
        &get(&sb, "/cgi-bin/token?grant_type=client_credential").await,
        41002,
    );
    assert_err(
        &get(
            &sb,
            &format!("/cgi-bin/token?grant_type=x&appid={APPID}&secret={SECRET}"),
        )
        .await,
        40002,
    );
    // Content type is WeChat's.
    let resp = client()
        .get(format!("{}{}", sb.base_url(), token_path(APPID, SECRET)))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["content-type"],
        "application/json; encoding=utf-8"
    );
}

#[tokio::test]
async fn legacy_token_rotates_with_grace() {
    let sb = start().await;
    let t1 = legacy_token(&sb).await;
    let t2 = legacy_token(&sb).await;
    assert_ne!(t1, t2);
    // Both work right now (the old one is in its grace period).
    assert_err(&phone_call(&sb, &t1).await, 40029);
    assert_err(&phone_call(&sb, &t2).await, 40029);
    sb.advance_clock(Duration::from_secs(301));
    assert_err(&phone_call(&sb, &t1).await, 40001);
    assert_err(&phone_call(&sb, &t2).await, 40029);
    // Natural expiry: 42001.
    sb.advance_clock(Duration::from_secs(7200));
    assert_err(&phone_call(&sb, &t2).await, 42001);
    // Missing and unknown tokens.
    assert_err(
        &post(&sb, "/wxa/business/getuserphonenumber", json!({"code":"x"})).await,
        41001,
    );
    assert_err(&phone_call(&sb, "not-a-token").await, 40001);
}

#[tokio::test]
async fn legacy_daily_limit() {
    let sb = start_with(SandboxConfig {
        legacy_daily_limit: 3,
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        legacy_token(&sb).await;
    }
    assert_err(&get(&sb, &token_path(APPID, SECRET)).await, 45009);
    // A new (Beijing) day resets the quota.
    sb.advance_clock(Duration::from_secs(86_400));
    assert_payload(&get(&sb, &token_path(APPID, SECRET)).await);
}

#[tokio::test]
async fn stable_token_normal_mode() {
    let sb = start().await;
    let a = stable_token(&sb, false).await;
    assert_payload(&a);
    assert_eq!(a["expires_in"], json!(7200));
    sb.advance_clock(Duration::from_secs(100));
    let b = stable_token(&sb, false).await;
    assert_eq!(a["access_token"], b["access_token"]);
    let left = b["expires_in"].as_i64().unwrap();
    assert!((7098..=7100).contains(&left), "{left}");
    // Into the last 300 s: rotates; the old one stays valid until its own expiry.
    sb.advance_clock(Duration::from_secs(6850));
    let c = stable_token(&sb, false).await;
    assert_ne!(a["access_token"], c["access_token"]);
    assert_eq!(c["expires_in"], json!(7200));
    let old = a["access_token"].as_str().unwrap();
    assert_err(&phone_call(&sb, old).await, 40029);
    sb.advance_clock(Duration::from_secs(300));
    assert_err(&phone_call(&sb, old).await, 42001);
    assert_err(
        &phone_call(&sb, c["access_token"].as_str().unwrap()).await,
        40029,
    );
}

#[tokio::test]
async fn stable_token_force_refresh_rules() {
    let sb = start().await;
    // The budget is per Beijing day: start an hour into one, so the ~11
    // virtual minutes below never cross midnight (16:00 UTC).
    let into_day = (sb.now() + 8 * 3600).rem_euclid(86_400);
    sb.advance_clock(Duration::from_secs((86_400 - into_day + 3600) as u64));
    let a = stable_token(&sb, false).await;
    let old = a["access_token"].as_str().unwrap().to_string();
    let b = stable_token(&sb, true).await;
    let new = b["access_token"].as_str().unwrap().to_string();
    assert_ne!(old, new);
    assert_eq!(b["expires_in"], json!(7200));
    // The old token dies at once.
    assert_err(&phone_call(&sb, &old).await, 40001);
    // A force within 30 s does nothing.
    sb.advance_clock(Duration::from_secs(10));
    let c = stable_token(&sb, true).await;
    assert_eq!(c["access_token"].as_str().unwrap(), new);
    assert_err(&phone_call(&sb, &new).await, 40029);
    // After 30 s it rotates again.
    sb.advance_clock(Duration::from_secs(21));
    let d = stable_token(&sb, true).await;
    assert_ne!(d["access_token"].as_str().unwrap(), new);
    // 20 effective forces a day, then 45009.
    for _ in 2..20 {
        sb.advance_clock(Duration::from_secs(31));
        assert_payload(&stable_token(&sb, true).await);
    }
    sb.advance_clock(Duration::from_secs(31));
    assert_err(&stable_token(&sb, true).await, 45009);
    // Normal mode still works.
    assert_payload(&stable_token(&sb, false).await);
}

#[tokio::test]
async fn stable_token_is_post_json_only_and_isolated() {
    let sb = start().await;
    let v = get(
        &sb,
        &format!(
            "/cgi-bin/stable_token?grant_type=client_credential&appid={APPID}&secret={SECRET}"
        ),
    )
    .await;
    assert_err(&v, 43002);
    let resp = client()
        .post(format!("{}/cgi-bin/stable_token", sb.base_url()))
        .body("grant_type=client_credential")
        .send()
        .await
        .unwrap();
    assert_err(&resp.json().await.unwrap(), 47001);
    let bad = post(
        &sb,
        "/cgi-bin/stable_token",
        json!({"grant_type":"client_credential","appid":APPID,"secret":"x"}),
    )
    .await;
    assert_err(&bad, 40125);
    // Isolated pools: many legacy calls never retire the stable token and vice versa.
    let stable = stable_token(&sb, false).await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let legacy = legacy_token(&sb).await;
    legacy_token(&sb).await;
    stable_token(&sb, true).await;
    sb.advance_clock(Duration::from_secs(301));
    assert_err(&phone_call(&sb, &legacy).await, 40001);
    assert_err(&phone_call(&sb, &stable).await, 40001);
    let fresh = legacy_token(&sb).await;
    stable_token(&sb, false).await;
    assert_err(&phone_call(&sb, &fresh).await, 40029);
}

#[tokio::test]
async fn stable_token_200_parallel_calls() {
    let sb = start().await;
    let c = client();
    let url = format!("{}/cgi-bin/stable_token", sb.base_url());
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let v: serde_json::Value = c
                    .post(url)
                    .json(&json!({"grant_type":"client_credential","appid":APPID,"secret":SECRET}))
                    .json_reply()
                    .await;
                v["access_token"].as_str().expect("token").to_string()
            })
        })
        .collect();
    let mut tokens = std::collections::HashSet::new();
    for t in tasks {
        tokens.insert(t.await.unwrap());
    }
    assert_eq!(tokens.len(), 1, "normal mode returns one token to everyone");
    assert_eq!(sb.counter("cgi-bin/stable_token"), 200);
}

#[tokio::test]
async fn quota_get_and_clear() {
    let sb = start_with(SandboxConfig {
        legacy_daily_limit: 5,
        ..Default::default()
    })
    .await;
    let token = legacy_token(&sb).await;
    legacy_token(&sb).await;
    let q = |path: &str| json!({"cgi_path": path});
    let url = format!("/cgi-bin/openapi/quota/get?access_token={token}");
    let v = post(&sb, &url, q("/cgi-bin/token")).await;
    assert_eq!(v["errcode"], json!(0));
    assert_eq!(v["quota"], json!({"daily_limit":5,"used":2,"remain":3}));
    assert_err(&post(&sb, &url, q("cgi-bin/token")).await, 76003);
    assert_err(&post(&sb, &url, q("/sns/jscode2session")).await, 76022);
    assert_err(&post(&sb, &url, q("/cgi-bin/nope")).await, 76021);
    assert_err(
        &post(&sb, &url, q("/cgi-bin/component/api_component_token")).await,
        76022,
    );

    let clear = format!("/cgi-bin/clear_quota?access_token={token}");
    assert_err(
        &post(&sb, &clear, json!({"appid":"wx9999999999999999"})).await,
        40013,
    );
    let v = post(&sb, &clear, json!({"appid": APPID})).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    let v = post(&sb, &url, q("/cgi-bin/token")).await;
    assert_eq!(v["quota"]["used"], json!(0));
    for _ in 1..10 {
        assert_eq!(
            post(&sb, &clear, json!({"appid": APPID})).await["errcode"],
            json!(0)
        );
    }
    assert_err(&post(&sb, &clear, json!({"appid": APPID})).await, 48006);
}
