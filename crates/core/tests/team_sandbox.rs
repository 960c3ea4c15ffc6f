//! The sandbox playing the production server of team mode
//! (`POST /__sandbox/team/write`): it writes its current ticket and tokens
//! into a real Redis in a peer's layout, wxdesk reads them in read-only mode,
//! and they are the ones the sandbox's WeChat APIs accept.

mod common;

use common::redis::{store_on, RedisServer};
use serde_json::{json, Value};
use wxdesk_core::team::{Layout, Mode};
use wxdesk_sandbox::{AuthorizeSeed, ComponentSeed, TeamWriteRequest, TeamWritten};

async fn post(base: &str, path: &str, body: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn the_sandbox_writes_a_wxjava_open_store_that_wxdesk_reads_and_wechat_accepts() {
    let world = common::World::start().await;
    let server = RedisServer::start();
    let base = world.sandbox.base_url();
    let c = common::random_appid();
    let secret = common::random_secret();
    world.sandbox.add_component(ComponentSeed {
        appid: c.clone(),
        secret: secret.clone(),
        token: "pushtoken".into(),
        encoding_aes_key: "a".repeat(43),
        push_url: None,
        name: None,
    });
    let auth = world
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: c.clone(),
            authorizer_appid: None,
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap();
    let a = auth.authorizer_appid.clone();

    let (status, body) = post(
        &base,
        "/__sandbox/team/write",
        json!({"redis_url": server.url(), "layout": "wxjava-open", "prefix": "wx:open",
               "component_appid": c, "authorizer_appid": a}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let written: TeamWritten = serde_json::from_value(body.clone()).unwrap();
    let keys: Vec<&str> = written.keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            format!("wx:open:wechat_component_verify_ticket:{c}"),
            format!("wx:open:wechat_component_access_token:{c}"),
            format!("wx:open:wechat_authorizer_access_token:{c}:{a}"),
            format!("wx:open:wechat_authorizer_refresh_token:{c}:{a}"),
        ]
    );
    assert!(
        !body.to_string().contains(&auth.refresh_token),
        "the hook answer repeats a token"
    );

    let ro = store_on(&server, Layout::WxjavaOpen, Mode::ReadOnly, Some("wx:open")).await;
    let ticket = ro.read_ticket(&c).await.unwrap();
    let token = ro.read_component_token(&c).await.unwrap();
    assert!(
        (6990..=7000).contains(&token.ttl.unwrap()),
        "{:?}",
        token.ttl
    );
    let refresh = ro.read_refresh_token(&c, &a).await.unwrap();
    assert_eq!(refresh.value.as_str(), auth.refresh_token);
    let atok = ro.read_authorizer_token(&c, &a).await.unwrap();

    // The ticket in Redis is one WeChat accepts, and the token is WeChat's current one.
    let (_, got) = post(
        &base,
        "/cgi-bin/component/api_component_token",
        json!({"component_appid": c, "component_appsecret": secret,
               "component_verify_ticket": ticket.value.as_str()}),
    )
    .await;
    assert_eq!(
        got["component_access_token"].as_str(),
        Some(token.value.as_str()),
        "{got}"
    );
    let (_, got) = post(
        &base,
        &format!(
            "/cgi-bin/component/api_authorizer_token?component_access_token={}",
            token.value.as_str()
        ),
        json!({"component_appid": c, "authorizer_appid": a,
               "authorizer_refresh_token": refresh.value.as_str()}),
    )
    .await;
    assert_eq!(
        got["authorizer_access_token"].as_str(),
        Some(atok.value.as_str()),
        "{got}"
    );
}

#[tokio::test]
async fn the_sandbox_hook_follows_each_layout_and_names_bad_input() {
    let world = common::World::start().await;
    let server = RedisServer::start();
    let app = common::random_appid();
    world.sandbox.add_app(&app, &common::random_secret());
    let c = common::random_appid();
    world.sandbox.add_component(ComponentSeed {
        appid: c.clone(),
        secret: common::random_secret(),
        token: "pushtoken".into(),
        encoding_aes_key: "a".repeat(43),
        push_url: None,
        name: None,
    });
    let req = |layout: &str| TeamWriteRequest {
        redis_url: server.url(),
        layout: layout.into(),
        prefix: None,
        component_appid: Some(c.clone()),
        authorizer_appid: None,
        appid: Some(app.clone()),
    };
    // wechatpy: JSON values, the app token with its expires_at companion.
    let w = world.sandbox.team_write(&req("wechatpy")).await.unwrap();
    assert!(w
        .keys
        .iter()
        .any(|k| k.key == format!("wechatpy:{app}_access_token_expires_at")));
    let py = store_on(&server, Layout::Wechatpy, Mode::ReadOnly, None).await;
    let t = py.read_app_token(&app).await.unwrap();
    let ttl = t.ttl.unwrap();
    assert!(
        (7195..=7200).contains(&ttl),
        "wechatpy keeps the full expires_in: {ttl}"
    );
    assert!(py.read_ticket(&c).await.is_ok());
    // The same token read through the wrong layout is "unreadable", never guessed.
    let wrong = store_on(&server, Layout::Wxdesk, Mode::ReadOnly, Some("wechatpy")).await;
    assert!(wrong.read_app_token(&app).await.is_err());

    // silenceper keeps no ticket: reported as skipped, the rest written.
    let w = world.sandbox.team_write(&req("silenceper")).await.unwrap();
    assert_eq!(w.skipped, vec!["component_verify_ticket".to_string()]);
    let go = store_on(&server, Layout::Silenceper, Mode::ReadOnly, None).await;
    assert_eq!(
        go.read_app_token(&app).await.unwrap().value.as_str(),
        t.value.as_str(),
        "both layouts carry the sandbox's one current token"
    );

    let err = world.sandbox.team_write(&req("spring")).await.unwrap_err();
    assert!(err.to_string().starts_with("layout:"), "{err}");
    let mut r = req("wxdesk");
    r.component_appid = Some(common::random_appid());
    let err = world.sandbox.team_write(&r).await.unwrap_err();
    assert!(err.to_string().contains("unknown component_appid"), "{err}");
    let (status, body) = post(
        &world.sandbox.base_url(),
        "/__sandbox/team/write",
        json!({"layout": "wxdesk"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap_or("").contains("redis_url"),
        "{body}"
    );
}
