//! The team-token tests' shared set-up: counting token calls upstream,
//! binding a desk to a real redis-server, playing the production server
//! (the sandbox) and a peer writing raw keys, and reading Redis back in a
//! layout.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::team::{Layout, Mode, TeamStore};
use wxdesk_sandbox::TeamWriteRequest;

use crate::common::redis::{store_on, RedisServer};
use crate::common::*;

pub const TOKEN_ENDPOINTS: [&str; 4] = [
    "cgi-bin/component/api_component_token",
    "cgi-bin/component/api_authorizer_token",
    "cgi-bin/stable_token",
    "cgi-bin/token",
];

pub fn token_calls(world: &World) -> Vec<u64> {
    TOKEN_ENDPOINTS
        .iter()
        .map(|e| world.sandbox.counter(e))
        .collect()
}

pub async fn runtime(world: &World, db: &std::path::Path) -> Runtime {
    wxdesk_testkit::desk::open_runtime(db, &world.sandbox.base_url()).await
}

/// Runs a job op to its end and returns the job view.
pub async fn run_job(rt: &Runtime, op: &str, args: Value) -> Value {
    let started = dispatch(rt, op, args).await.unwrap();
    let id = started["job_id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = dispatch(rt, "job_status", json!({ "job_id": id }))
            .await
            .unwrap();
        if v["state"] != "running" {
            return v;
        }
        assert!(Instant::now() < deadline, "job {op} did not end: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Binds `desk` to `server` for the component `c` in `layout` and `mode`.
pub fn bind_component(
    desk: &wxdesk_core::Desk,
    server: &RedisServer,
    c: &str,
    layout: &str,
    prefix: Option<&str>,
    mode: &str,
) {
    desk.team_bind(wxdesk_core::team::service::TeamBindArgs {
        component_appid: Some(c.to_string()),
        redis_url: server.url(),
        layout: layout.into(),
        prefix: prefix.map(Into::into),
        mode: Some(mode.into()),
        ..Default::default()
    })
    .unwrap();
}

/// Binds `desk` to `server` for the Mini Program `app` in `layout` (read-only).
pub fn bind_app(desk: &wxdesk_core::Desk, server: &RedisServer, app: &str, layout: &str) {
    desk.team_bind(wxdesk_core::team::service::TeamBindArgs {
        appid: Some(app.to_string()),
        redis_url: server.url(),
        layout: layout.into(),
        ..Default::default()
    })
    .unwrap();
}

/// `app`'s stable-mode token, unforced.
pub async fn stable_token(
    desk: &wxdesk_core::Desk,
    app: &str,
) -> wxdesk_core::token_types::TokenGrant {
    desk.app_token(app, wxdesk_core::token_types::AppTokenMode::Stable, false)
        .await
        .unwrap()
}

/// A sandbox, a redis-server, and a desk on the sandbox.
pub async fn world_with_redis() -> (World, RedisServer, wxdesk_core::Desk) {
    let world = World::start().await;
    let server = RedisServer::start();
    let desk = world.desk();
    (world, server, desk)
}

/// `auth_link`'s arguments for a PC link to authorize to the platform `c`.
pub fn pc_link(c: &str) -> Value {
    json!({"component_appid": c, "kind": "pc", "redirect_uri": "https://example.com/cb"})
}

/// A peer's `SET key value EX ttl`.
pub async fn set_key(
    raw: &mut ::redis::aio::MultiplexedConnection,
    key: &str,
    value: &str,
    ttl: u64,
) {
    let _: () = ::redis::cmd("SET")
        .arg(key)
        .arg(value)
        .arg("EX")
        .arg(ttl)
        .query_async(raw)
        .await
        .unwrap();
}

/// A peer's `GET key`, which must hold a value.
pub async fn get_key(raw: &mut ::redis::aio::MultiplexedConnection, key: &str) -> String {
    ::redis::cmd("GET").arg(key).query_async(raw).await.unwrap()
}

/// A peer's `DEL key`: how many keys it removed.
pub async fn del_key(raw: &mut ::redis::aio::MultiplexedConnection, key: &str) -> i64 {
    ::redis::cmd("DEL").arg(key).query_async(raw).await.unwrap()
}

/// A read-only reader of `server` in `layout`.
pub async fn reader(server: &RedisServer, layout: Layout, prefix: Option<&str>) -> TeamStore {
    store_on(server, layout, Mode::ReadOnly, prefix).await
}

/// What the production server (the sandbox) writes to `server` in `layout`
/// under `prefix`, for no account yet: set the ids with `..`.
pub fn write_request(server: &RedisServer, layout: &str, prefix: Option<&str>) -> TeamWriteRequest {
    TeamWriteRequest {
        redis_url: server.url(),
        layout: layout.into(),
        prefix: prefix.map(Into::into),
        component_appid: None,
        authorizer_appid: None,
        appid: None,
    }
}

/// [`write_request`] for the Mini Program `app`.
pub fn write_app(server: &RedisServer, layout: &str, app: &str) -> TeamWriteRequest {
    TeamWriteRequest {
        appid: Some(app.to_string()),
        ..write_request(server, layout, None)
    }
}

/// [`write_request`] for the platform `c` (not its authorizers).
pub fn write_component(
    server: &RedisServer,
    layout: &str,
    prefix: Option<&str>,
    c: &str,
) -> TeamWriteRequest {
    TeamWriteRequest {
        component_appid: Some(c.to_string()),
        ..write_request(server, layout, prefix)
    }
}

/// Has the production server write `req`'s tokens to Redis.
pub async fn production_write(world: &World, req: TeamWriteRequest) {
    world.sandbox.team_write(&req).await.unwrap();
}

/// A sandbox and a redis-server; a platform `c` (AppSecret `secret`) with one
/// authorizer `a` (refresh token `refresh`, authorized with `auth_code`)
/// whose tokens the production server wrote to Redis (wxjava-open layout
/// under `wx:open`); no desk holds the database open.
pub struct Shared {
    pub world: World,
    pub server: RedisServer,
    pub c: String,
    pub secret: String,
    pub a: String,
    pub refresh: String,
    pub auth_code: String,
}

pub async fn shared_platform() -> Shared {
    let (world, server, desk) = world_with_redis().await;
    let (c, secret) = seed_component(&world, &desk);
    let (a, refresh, auth_code) = seed_authorizer(&world, &desk, &c);
    drop(desk);
    let req = TeamWriteRequest {
        authorizer_appid: Some(a.clone()),
        ..write_component(&server, "wxjava-open", Some("wx:open"), &c)
    };
    production_write(&world, req).await;
    Shared {
        world,
        server,
        c,
        secret,
        a,
        refresh,
        auth_code,
    }
}
