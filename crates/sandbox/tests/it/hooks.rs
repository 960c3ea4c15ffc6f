//! The /__sandbox/ HTTP hooks, the console and demo mode.

use serde_json::{json, Value};
use wxdesk_sandbox::{Sandbox, SandboxConfig};

use crate::common::*;

async fn hook(base: &str, path: &str, body: Value) -> (u16, Value) {
    let r = client()
        .post(format!("{base}/__sandbox/{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn every_hook_over_http() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let base = sb.base_url();
    assert!(base.starts_with("http://127.0.0.1:"));
    assert_eq!(
        hook(&base, "apps", json!({"appid": APPID, "secret": SECRET}))
            .await
            .0,
        200
    );
    let (s, v) = hook(&base, "components", json!({"appid": COMPONENT, "secret": COMPONENT_SECRET, "token": MSG_TOKEN, "encoding_aes_key": AES_KEY})).await;
    assert_eq!(s, 200, "{v}");
    let (_, js) = hook(&base, "codes/js", json!({"appid": APPID})).await;
    let v = get(&sb, &format!("/sns/jscode2session?appid={APPID}&secret={SECRET}&js_code={}&grant_type=authorization_code", js["code"].as_str().unwrap())).await;
    assert_eq!(v["openid"], js["openid"]);
    let (_, phone) = hook(
        &base,
        "codes/phone",
        json!({"appid": APPID, "phone": "13800138000"}),
    )
    .await;
    assert_eq!(phone["code"].as_str().unwrap().len(), 64);
    let (_, t) = hook(&base, "tickets", json!({"component_appid": COMPONENT})).await;
    assert!(t["ticket"].as_str().unwrap().starts_with("ticket@@@"));
    let (_, t) = hook(
        &base,
        "tickets",
        json!({"component_appid": COMPONENT, "push": true}),
    )
    .await;
    assert_eq!(t["push"]["info_type"], json!("component_verify_ticket"));
    let ticket = t["ticket"].as_str().unwrap();
    let v = post(&sb, "/cgi-bin/component/api_component_token", json!({"component_appid":COMPONENT,"component_appsecret":COMPONENT_SECRET,"component_verify_ticket":ticket})).await;
    assert_payload(&v);
    let (s, a) = hook(
        &base,
        "authorize",
        json!({"component_appid": COMPONENT, "kind": "official_account", "func_ids": [1, 2]}),
    )
    .await;
    assert_eq!(s, 200, "{a}");
    let authorizer = a["authorizer_appid"].as_str().unwrap().to_string();
    assert!(a["auth_code"].is_string() && a["refresh_token"].is_string());
    let (_, bulk) = hook(
        &base,
        "authorizers/bulk",
        json!({"component_appid": COMPONENT, "count": 25}),
    )
    .await;
    assert_eq!(bulk["appids"].as_array().unwrap().len(), 25);
    let unauthorize = || {
        let body = json!({"component_appid": COMPONENT, "authorizer_appid": authorizer});
        hook(&base, "unauthorize", body)
    };
    assert_eq!(unauthorize().await.0, 200);
    assert_eq!(unauthorize().await.0, 400);
    let before = sb.now();
    let (_, clock) = hook(&base, "clock", json!({"advance_secs": 3600})).await;
    assert!(clock["now"].as_i64().unwrap() >= before + 3600);
    let pushes: Value = get(&sb, "/__sandbox/pushes").await;
    assert!(pushes.as_array().unwrap().len() >= 3);
    let state: Value = get(&sb, "/__sandbox/state").await;
    assert!(state["state"]["components"][COMPONENT].is_object());
    assert!(state["state"]["accounts"][APPID].is_object());
    // Errors name the problem.
    let (s, e) = hook(
        &base,
        "tickets",
        json!({"component_appid": "wx9999999999999999"}),
    )
    .await;
    assert_eq!(s, 400);
    assert!(e["error"]
        .as_str()
        .unwrap()
        .contains("unknown component_appid"));
    let (s, e) = hook(&base, "apps", json!({"appid": APPID})).await;
    assert_eq!(s, 400);
    assert!(e["error"].as_str().unwrap().contains("secret"), "{e}");
    let r = client()
        .get(format!("{base}/__sandbox/nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    sb.shutdown().await;
}

#[tokio::test]
async fn demo_mode_and_console() {
    let sb = Sandbox::start(SandboxConfig {
        demo: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let demo = sb.demo_accounts();
    assert_eq!(demo, sb.demo_accounts(), "seeded once");
    assert!(demo.mini_program_appid.starts_with("wx") && demo.mini_program_appid.len() == 18);
    assert_eq!(demo.component_encoding_aes_key.len(), 43);
    wxdesk_wechat::crypto::push::PushCrypto::new(
        &demo.component_token,
        &demo.component_encoding_aes_key,
        &demo.component_appid,
    )
    .unwrap();
    // The demo credentials work.
    let v = get(
        &sb,
        &format!(
            "/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            demo.mini_program_appid, demo.mini_program_secret
        ),
    )
    .await;
    assert_payload(&v);
    let v = post(&sb, "/cgi-bin/component/api_component_token", json!({"component_appid": demo.component_appid, "component_appsecret": demo.component_secret, "component_verify_ticket": demo.ticket})).await;
    assert_payload(&v);
    // The console lists them, with working forms.
    let c = client();
    let html = html_at(&format!("{}/", sb.base_url())).await;
    assert!(html.contains(&demo.mini_program_appid));
    assert!(html.contains(&demo.component_encoding_aes_key));
    assert!(html.contains("action=\"/__sandbox/codes/js\""));
    let r = c
        .post(format!("{}/__sandbox/codes/js", sb.base_url()))
        .form(&[("appid", demo.mini_program_appid.as_str()), ("openid", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = c
        .post(format!("{}/__sandbox/tickets", sb.base_url()))
        .form(&[
            ("component_appid", demo.component_appid.as_str()),
            ("push", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = html_at(&format!("{}/", sb.base_url())).await;
    assert!(html.contains("js_code: {"), "{html}");
    assert!(html.contains("ticket push: {"));
    assert!(
        html.contains("encrypt_type=aes&amp;msg_signature="),
        "recent pushes show the raw query"
    );
    // The console is not counted as an endpoint.
    assert!(sb.counters().keys().all(|k| !k.is_empty()));
    sb.shutdown().await;
}

#[tokio::test]
async fn start_on_a_fixed_address_and_shutdown() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let sb = Sandbox::start_on(addr, SandboxConfig::default())
        .await
        .unwrap();
    assert_eq!(sb.base_url(), format!("http://{addr}"));
    let clone = sb.clone();
    clone.add_app(APPID, SECRET);
    assert_payload(
        &get(
            &sb,
            &format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"),
        )
        .await,
    );
    sb.shutdown().await;
    let err = client()
        .get(format!("http://{addr}/cgi-bin/token"))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_connect(), "{err:?}");
}
