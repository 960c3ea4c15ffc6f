//! `receive` on a platform bound to a team store (a real redis-server): in
//! read-write mode each new ticket the sandbox pushes is written to Redis too,
//! in the binding's layout with its TTL, where the production server reads
//! it; in read-only mode nothing is ever written.

#[path = "../../core/tests/push_support/mod.rs"]
mod push_support;
mod receive_support;

use push_support::*;
use receive_support::*;
use redis::AsyncCommands;
use wxdesk_core::team::service::TeamBindArgs;
use wxdesk_core::team::{Layout, Mode, RedisUrl, StoreConfig, TeamStore};
use wxdesk_sandbox::PushRecord;
use wxdesk_testkit::redis::RedisServer;

fn bind(server: &RedisServer, layout: &str, prefix: Option<&str>, mode: &str) -> TeamBindArgs {
    TeamBindArgs {
        component_appid: Some(COMP.to_string()),
        redis_url: server.url(),
        layout: layout.into(),
        prefix: prefix.map(str::to_string),
        mode: Some(mode.into()),
        ..Default::default()
    }
}

/// The ticket a push carries (from the sandbox's record of its plaintext).
fn ticket_of(push: &PushRecord) -> String {
    push.plaintext
        .split("<ComponentVerifyTicket><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .expect("a ticket push")
        .to_string()
}

/// The sandbox pushes a ticket to `receive`; returns it once applied.
async fn push_and_settle(rx: &Rx) -> String {
    let push = rx.env.sandbox.push_ticket(COMP).await.unwrap();
    assert_eq!(push.delivered, Some(200), "{:?}", push.error);
    let newest = rx.inbox()[0].id;
    let e = rx.settled(newest).await;
    assert_eq!(e.outcome, "applied", "{:?}", e.error);
    assert_eq!(e.error, None, "no warning");
    ticket_of(&push)
}

#[tokio::test]
async fn read_write_receive_writes_each_new_ticket_to_redis_in_the_layout() {
    let server = RedisServer::start();
    let rx = start_rx(|_| {}).await;
    rx.desk
        .team_bind(bind(&server, "wxjava-open", Some("wx:open"), "read-write"))
        .unwrap();
    let first = push_and_settle(&rx).await;

    // WxJava's reader: a plain string under its key, TTL Integer.MAX_VALUE s.
    let key = format!("wx:open:wechat_component_verify_ticket:{COMP}");
    let mut raw = server.raw().await;
    let value: Option<String> = raw.get(&key).await.unwrap();
    assert_eq!(value.as_deref(), Some(first.as_str()));
    let ttl: i64 = raw.ttl(&key).await.unwrap();
    assert!(ttl > i64::from(i32::MAX) - 60, "TTL {ttl}");
    let url = RedisUrl::parse(&server.url()).unwrap();
    let mut config = StoreConfig::new(Layout::WxjavaOpen, Mode::ReadOnly);
    config.prefix = Some("wx:open".into());
    let reader = TeamStore::connect(&url, config).await.unwrap();
    assert_eq!(
        reader.read_ticket(COMP).await.unwrap().value.as_str(),
        first
    );

    // The next push replaces it.
    let second = push_and_settle(&rx).await;
    assert_ne!(first, second);
    let value: Option<String> = raw.get(&key).await.unwrap();
    assert_eq!(value.as_deref(), Some(second.as_str()));
}

#[tokio::test]
async fn read_write_wechatpy_ticket_is_json_without_ttl() {
    let server = RedisServer::start();
    let rx = start_rx(|_| {}).await;
    rx.desk
        .team_bind(bind(&server, "wechatpy", None, "read-write"))
        .unwrap();
    let ticket = push_and_settle(&rx).await;
    let key = format!("wechatpy:{COMP}_component_verify_ticket");
    let mut raw = server.raw().await;
    let value: Option<String> = raw.get(&key).await.unwrap();
    // wechatpy's RedisStorage.get: json.loads(value).
    let decoded: String = serde_json::from_str(value.as_deref().unwrap()).unwrap();
    assert_eq!(decoded, ticket);
    let ttl: i64 = raw.ttl(&key).await.unwrap();
    assert_eq!(ttl, -1, "wechatpy keeps the ticket without a TTL");
}

#[tokio::test]
async fn read_only_receive_never_writes_a_ticket() {
    let server = RedisServer::start();
    let rx = start_rx(|_| {}).await;
    rx.desk
        .team_bind(bind(&server, "wxjava-open", Some("wx:open"), "read-only"))
        .unwrap();
    push_and_settle(&rx).await;
    // Stored locally, nothing in Redis.
    assert!(rx.desk.ticket_status(COMP).unwrap().valid);
    let mut raw = server.raw().await;
    let size: i64 = redis::cmd("DBSIZE").query_async(&mut raw).await.unwrap();
    assert_eq!(size, 0);
}

#[tokio::test]
async fn a_redis_that_is_down_is_a_warning_on_the_entry_and_the_ticket_is_kept() {
    let server = RedisServer::start();
    let rx = start_rx(|_| {}).await;
    rx.desk
        .team_bind(bind(&server, "wxjava-open", None, "read-write"))
        .unwrap();
    drop(server);
    let push = rx.env.sandbox.push_ticket(COMP).await.unwrap();
    assert_eq!(push.delivered, Some(200), "{:?}", push.error);
    let e = rx.settled(rx.inbox()[0].id).await;
    assert_eq!(e.outcome, "applied");
    let warning = e.error.unwrap_or_default();
    assert!(warning.contains("team store (Redis)"), "{warning}");
    assert!(!warning.contains(&ticket_of(&push)), "{warning}");
    assert!(rx.desk.ticket_status(COMP).unwrap().valid);
}
