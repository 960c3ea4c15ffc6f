//! Sample encryptedData for the last login (so "Decrypt data" has something
//! real to open), and the page a merchant lands on after consenting.

use serde_json::{json, Value};
use wxdesk_sandbox::{Sandbox, SandboxConfig, TOKEN_HEADER};
use wxdesk_wechat::crypto::decrypt_open_data;

use crate::common::{client, start, APPID};

#[tokio::test]
async fn sample_data_opens_with_the_last_logins_session_key_only() {
    let sb = start().await;
    let first = sb.issue_js_code(APPID, None);
    let openid = first.openid.clone();
    // A second login rotates the session_key: the sample follows the last one.
    let last = sb.issue_js_code(APPID, Some(&openid));
    assert_ne!(first.session_key, last.session_key);
    let s = sb.sample_open_data(APPID, &openid).unwrap();
    let out = decrypt_open_data(&last.session_key, &s.iv, &s.encrypted_data, Some(APPID)).unwrap();
    let v: Value = serde_json::from_str(&out.plaintext).unwrap();
    assert_eq!(v["openId"], openid.as_str());
    assert_eq!(v["watermark"]["appid"], APPID);
    assert_eq!(out.watermark_timestamp, Some(sb.now()));
    assert!(decrypt_open_data(&first.session_key, &s.iv, &s.encrypted_data, Some(APPID)).is_err());
    // Each sample has its own IV.
    assert_ne!(sb.sample_open_data(APPID, &openid).unwrap().iv, s.iv);

    // Over HTTP: the same, and an unknown user is named with the fix.
    let r = client()
        .post(format!("{}/__sandbox/open_data", sb.base_url()))
        .json(&json!({"appid": APPID, "openid": openid}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let body = v.to_string();
    assert!(
        !body.contains(&last.session_key),
        "the session_key never leaves the sandbox"
    );
    let out = decrypt_open_data(
        &last.session_key,
        v["iv"].as_str().unwrap(),
        v["encrypted_data"].as_str().unwrap(),
        Some(APPID),
    )
    .unwrap();
    assert!(out.plaintext.contains(&openid));
    let r = client()
        .post(format!("{}/__sandbox/open_data", sb.base_url()))
        .json(&json!({"appid": APPID, "openid": "o-nobody"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().await.unwrap();
    assert!(e["error"].as_str().unwrap().contains("login tester"), "{e}");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_consent_landing_says_to_copy_the_address_back_even_when_locked() {
    let token = "a".repeat(64);
    let sb = Sandbox::start(SandboxConfig {
        demo: true,
        access_token: Some(token.clone()),
        ..Default::default()
    })
    .await
    .unwrap();
    let b = sb.base_url();
    let secret = sb.demo_accounts().component_secret;
    let r = client()
        .get(format!("{b}/?auth_code=queryauthcode%40abc&expires_in=600"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        200,
        "the landing is the merchant's page, not the locked console"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("Copy this page's address"), "{html}");
    assert!(html.contains("复制"));
    assert!(html.contains("id=\"copy\""));
    assert!(
        html.contains(&format!(
            "{b}/?auth_code=queryauthcode%40abc&amp;expires_in=600"
        )),
        "{html}"
    );
    assert!(
        !html.contains(&secret) && !html.contains(&token),
        "the landing shows no console data"
    );
    // Without an auth_code, `/` is still the locked console.
    let r = client()
        .get(format!("{b}/?auth_code="))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // With the token, the console still shows (no auth_code).
    let r = client()
        .get(format!("{b}/"))
        .header(TOKEN_HEADER, &token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(&secret));
    sb.shutdown().await;
}
