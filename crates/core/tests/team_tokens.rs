//! Every token path honours a team binding (a real redis-server, the sandbox
//! playing the production server): read-only makes zero token calls upstream
//! whatever the operator runs through the op table; read-write makes wxdesk
//! the central refresher, one upstream call for any number of desks.

mod common;
mod team_support;

use common::redis::RedisServer;
use common::*;
use serde_json::json;
use team_support::*;
use wxdesk_core::ops::dispatch;
use wxdesk_core::team::Layout;
use wxdesk_core::token_types::TokenSource;

#[tokio::test]
async fn read_only_binding_makes_zero_token_calls_whatever_the_operator_runs() {
    let Shared {
        world,
        server,
        c,
        a,
        auth_code,
        ..
    } = shared_platform().await;
    let rt = runtime(&world, &world.db_path()).await;
    let bind = json!({"component_appid": c, "redis_url": server.url(), "layout": "wxjava-open", "prefix": "wx:open"});
    let bound = dispatch(&rt, "team_bind", bind).await.unwrap();
    assert_eq!(bound["mode"], "read-only");
    let before = token_calls(&world);

    // The token commands read Redis and say so.
    let v = dispatch(&rt, "component_token", json!({"component_appid": c}))
        .await
        .unwrap();
    assert_eq!(v["source"], "redis", "{v}");
    assert_eq!(v["layout"], "wxjava-open");
    assert_eq!(
        v["key"],
        format!("wx:open:wechat_component_access_token:{c}")
    );
    let ttl = v["ttl"].as_i64().unwrap();
    assert!(
        (6900..=7000).contains(&ttl),
        "WxJava's TTL is expires_in - 200: {ttl}"
    );
    let v = dispatch(
        &rt,
        "authorizer_token",
        json!({"component_appid": c, "authorizer_appid": a}),
    )
    .await
    .unwrap();
    assert_eq!(v["source"], "redis", "{v}");
    assert_eq!(
        v["key"],
        format!("wx:open:wechat_authorizer_access_token:{c}:{a}")
    );

    // Everything that needs a token internally.
    dispatch(&rt, "auth_link", pc_link(&c)).await.unwrap();
    dispatch(
        &rt,
        "authorizer_refresh_info",
        json!({"appid": a, "component_appid": c}),
    )
    .await
    .unwrap();
    dispatch(
        &rt,
        "quota_get",
        json!({"appid": a, "cgi_path": "/wxa/checksession"}),
    )
    .await
    .unwrap();
    dispatch(
        &rt,
        "authorize",
        json!({"component_appid": c, "auth_code": auth_code}),
    )
    .await
    .unwrap();
    let job = run_job(&rt, "authorizer_sync", json!({"component_appid": c})).await;
    assert_eq!(job["state"], "done", "{job}");
    let job = run_job(
        &rt,
        "authorizer_refresh",
        json!({"component_appid": c, "all": true}),
    )
    .await;
    assert_eq!(job["state"], "done", "{job}");

    // Forcing is refused before anything is sent: the production server refreshes.
    for (op, args) in [
        (
            "component_token",
            json!({"component_appid": c, "force": true, "confirmed": true}),
        ),
        (
            "authorizer_token",
            json!({"component_appid": c, "authorizer_appid": a, "force": true, "confirmed": true}),
        ),
    ] {
        let e = dispatch(&rt, op, args).await.unwrap_err();
        assert_eq!(e.code(), "team_read_only", "{op}: {e}");
        assert!(e.to_string().contains("wx:open:wechat_"), "{e}");
    }
    for args in [
        json!({"component_appid": c, "appid": a}),
        json!({"component_appid": c, "all": true, "force": true, "confirmed": true}),
    ] {
        let job = run_job(&rt, "authorizer_refresh", args).await;
        assert_eq!(job["state"], "failed", "{job}");
        assert_eq!(job["error"]["code"], "team_read_only", "{job}");
    }

    // A key the server has not written is an error naming it, never a mint.
    let mut raw = server.raw().await;
    let key = format!("wx:open:wechat_component_access_token:{c}");
    del_key(&mut raw, &key).await;
    let e = dispatch(&rt, "component_token", json!({"component_appid": c}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), "team_missing_key", "{e}");
    assert!(e.to_string().contains(&key), "{e}");
    let e = dispatch(&rt, "auth_link", pc_link(&c)).await.unwrap_err();
    assert_eq!(e.code(), "team_missing_key", "{e}");

    assert_eq!(
        token_calls(&world),
        before,
        "no token call upstream ({TOKEN_ENDPOINTS:?})"
    );
    assert_eq!(before, vec![0, 0, 0, 0]);
}

#[tokio::test]
async fn read_only_app_binding_serves_the_servers_token_and_refuses_legacy_and_force() {
    let (world, server, desk) = world_with_redis().await;
    let (app, _) = seed_app(&world, &desk);
    production_write(&world, write_app(&server, "wxjava-ma", &app)).await;
    bind_app(&desk, &server, &app, "wxjava-ma");
    let g = stable_token(&desk, &app).await;
    assert_eq!(g.source, TokenSource::Redis);
    let v = wxdesk_core::Desk::token_view(&g, false);
    assert_eq!(
        v.key.as_deref(),
        Some(format!("wa:access_token:{app}").as_str())
    );
    for (mode, force) in [
        (wxdesk_core::token_types::AppTokenMode::Stable, true),
        (wxdesk_core::token_types::AppTokenMode::Legacy, false),
    ] {
        let e = desk.app_token(&app, mode, force).await.unwrap_err();
        assert_eq!(e.code(), "team_read_only", "{e}");
    }

    // A silenceper server on the stable-token API keeps only the stable key.
    let (app2, _) = seed_app(&world, &desk);
    let stable_key = format!("gowechat_miniprogram__stable_access_token_{app2}");
    let mut raw = server.raw().await;
    set_key(&mut raw, &stable_key, "token-from-the-go-server", 6900).await;
    bind_app(&desk, &server, &app2, "silenceper");
    let g = stable_token(&desk, &app2).await;
    assert_eq!(g.token.as_str(), "token-from-the-go-server");
    let v = wxdesk_core::Desk::token_view(&g, false);
    assert_eq!(v.key.as_deref(), Some(stable_key.as_str()));
    assert_eq!(token_calls(&world), vec![0, 0, 0, 0]);
}

#[tokio::test]
async fn read_write_desks_on_separate_databases_make_one_upstream_call() {
    const DESKS: usize = 6;
    let Shared {
        world,
        server,
        c,
        secret,
        a,
        refresh,
        ..
    } = shared_platform().await;
    // The production side leaves only the ticket and the refresh token: a cold start.
    let mut raw = server.raw().await;
    for key in [
        format!("wx:open:wechat_component_access_token:{c}"),
        format!("wx:open:wechat_authorizer_access_token:{c}:{a}"),
    ] {
        assert_eq!(del_key(&mut raw, &key).await, 1, "{key}");
    }
    let dirs: Vec<tempfile::TempDir> = (0..DESKS).map(|_| tempfile::tempdir().unwrap()).collect();
    let desks: Vec<wxdesk_core::Desk> = dirs
        .iter()
        .map(|d| {
            let desk = open_desk(&d.path().join("wxdesk.db"), &world.sandbox.base_url());
            store_component(&desk, &c, &secret);
            // No local ticket: it comes from Redis. A stale local refresh token.
            store_authorizer(&desk, &c, &a, "stale-local-refresh-token");
            bind_component(
                &desk,
                &server,
                &c,
                "wxjava-open",
                Some("wx:open"),
                "read-write",
            );
            desk
        })
        .collect();
    let before = token_calls(&world);

    let grants =
        futures_util::future::join_all(desks.iter().map(|d| d.authorizer_token(&c, &a, false)))
            .await;
    let grants: Vec<_> = grants.into_iter().map(Result::unwrap).collect();
    let after = token_calls(&world);
    assert_eq!(
        after[0] - before[0],
        1,
        "one api_component_token for all desks"
    );
    assert_eq!(
        after[1] - before[1],
        1,
        "one api_authorizer_token for all desks"
    );
    assert!(grants.iter().all(|g| g.token == grants[0].token));
    assert_eq!(
        grants
            .iter()
            .filter(|g| g.source == TokenSource::Fresh)
            .count(),
        1,
        "one desk refreshed, the others read Redis"
    );

    // The token landed in Redis in the layout, with WxJava's TTL convention,
    // and a reader of that layout gets the same value.
    let reader = reader(&server, Layout::WxjavaOpen, Some("wx:open")).await;
    let t = reader.read_authorizer_token(&c, &a).await.unwrap();
    assert_eq!(t.value.as_str(), grants[0].token.as_str());
    let ttl = t.ttl.unwrap();
    assert!((6900..=7000).contains(&ttl), "expires_in - 200: {ttl}");
    let ct = reader.read_component_token(&c).await.unwrap();
    assert!(ct.ttl.is_some_and(|t| (6900..=7000).contains(&t)));
    // The refresh token Redis held was used (the local one is stale) and is
    // now the local one too, in the refresher's database.
    let stored = reader.read_refresh_token(&c, &a).await.unwrap();
    assert_eq!(stored.value.as_str(), refresh);
    let refresher = grants
        .iter()
        .position(|g| g.source == TokenSource::Fresh)
        .unwrap();
    assert_eq!(stored_refresh_token(&desks[refresher], &c, &a), refresh);

    // A forced refresh through one desk: one more call, written for everyone.
    let g = desks[0].component_token(&c, true).await.unwrap();
    assert_eq!(token_calls(&world)[0] - before[0], 2);
    let other = desks[DESKS - 1].component_token(&c, false).await.unwrap();
    assert_eq!(other.source, TokenSource::Redis);
    assert_eq!(other.token, g.token);
    assert_eq!(token_calls(&world)[0] - before[0], 2);
}

#[tokio::test]
async fn read_write_writes_a_rotated_refresh_token_back_to_redis_and_locally() {
    let server = RedisServer::start();
    let component = random_appid();
    let appid = random_appid();
    let dir = tempfile::tempdir().unwrap();
    let (wechat, desk) = rotating_wechat(dir.path(), &component, &random_secret(), &appid).await;
    bind_component(&desk, &server, &component, "silenceper", None, "read-write");

    let g = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    let v = wxdesk_core::Desk::token_view(&g, false);
    assert_eq!(
        v.key.as_deref(),
        Some(format!("authorizer_access_token_{appid}").as_str())
    );
    // silenceper keeps authorizer tokens with TTL expires_in - 30.
    assert_eq!(v.ttl, Some(7170));

    let reader = reader(&server, Layout::Silenceper, None).await;
    let refresh = reader.read_refresh_token(&component, &appid).await.unwrap();
    assert_eq!(refresh.value.as_str(), "refreshtoken@@@rotated-by-wechat");
    // silenceper keeps refresh tokens for a day (a cache of its database).
    assert!(
        refresh.ttl.is_some_and(|t| (86_000..=86_400).contains(&t)),
        "{:?}",
        refresh.ttl
    );
    let stored = reader
        .read_authorizer_token(&component, &appid)
        .await
        .unwrap();
    assert_eq!(
        stored.value.as_str(),
        "scripted-authorizer-token-0123456789"
    );
    assert_eq!(
        stored_refresh_token(&desk, &component, &appid),
        "refreshtoken@@@rotated-by-wechat",
        "the local store keeps the rotated token too"
    );
    // The next call reads Redis: no second upstream call.
    let again = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(again.source, TokenSource::Redis);
    assert_eq!(wechat.count("/cgi-bin/component/api_authorizer_token"), 1);
    assert_eq!(wechat.count("/cgi-bin/component/api_component_token"), 1);
}

#[tokio::test]
async fn read_write_recovers_once_from_a_token_wechat_rejects() {
    let (world, server, desk) = world_with_redis().await;
    let (c, _) = seed_component(&world, &desk);
    production_write(&world, write_component(&server, "wxjava-open", None, &c)).await;
    // Redis holds a token WeChat no longer accepts, with plenty of TTL left.
    let key = format!("wechat_component_access_token:{c}");
    let mut raw = server.raw().await;
    set_key(&mut raw, &key, "stale-component-token-0123456789", 6000).await;
    drop(desk);
    let rt = runtime(&world, &world.db_path()).await;
    let bind = json!({"component_appid": c, "redis_url": server.url(), "layout": "wxjava-open", "mode": "read-write"});
    dispatch(&rt, "team_bind", bind).await.unwrap();
    let before = token_calls(&world);
    dispatch(&rt, "auth_link", pc_link(&c)).await.unwrap();
    assert_eq!(
        token_calls(&world)[0] - before[0],
        1,
        "the rejected token was dropped and refreshed once"
    );
    let now = get_key(&mut raw, &key).await;
    assert_ne!(now, "stale-component-token-0123456789");
    dispatch(&rt, "auth_link", pc_link(&c)).await.unwrap();
    assert_eq!(token_calls(&world)[0] - before[0], 1);
}

#[tokio::test]
async fn read_write_authorize_writes_the_new_tokens_to_redis() {
    let (world, server, desk) = world_with_redis().await;
    let (c, _) = seed_component(&world, &desk);
    deliver_ticket(&world, &desk, &c);
    bind_component(&desk, &server, &c, "wechatpy", None, "read-write");
    let auth = sandbox_authorize(&world.sandbox, &c);
    let view = desk
        .authorize(
            &c,
            wxdesk_core::services::authorizers::AuthorizeInput::AuthCode(auth.auth_code.clone()),
        )
        .await
        .unwrap();
    assert!(view.warnings.is_empty(), "{:?}", view.warnings);
    let a = auth.authorizer_appid;
    let reader = reader(&server, Layout::Wechatpy, None).await;
    let stored = reader.read_refresh_token(&c, &a).await.unwrap();
    assert_eq!(stored.value.as_str(), auth.refresh_token);
    let t = reader.read_authorizer_token(&c, &a).await.unwrap();
    assert_eq!(t.key, format!("wechatpy:{a}_access_token"));
    // wxdesk reads it back without a call.
    let before = token_calls(&world);
    let g = desk.authorizer_token(&c, &a, false).await.unwrap();
    assert_eq!(g.source, TokenSource::Redis);
    assert_eq!(g.token.as_str(), t.value.as_str());
    assert_eq!(token_calls(&world), before);
}
