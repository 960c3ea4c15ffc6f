//! Team mode over TLS (`rediss://`) against a real redis-server whose
//! certificate is signed by a private CA: with the CA given to the binding
//! (`--redis-ca`), wxdesk reads what a peer wrote and writes in read-write
//! mode; without it the handshake fails with an error that names the address
//! and says to give the CA. Bad CA input names the field.

mod common;

use std::time::Duration;

use common::redis::{shown_key, team_show_of, team_store, RedisServer};
use redis::AsyncCommands;
use wxdesk_core::team::bindings::Kind;
use wxdesk_core::team::service::{TeamAccountArgs, TeamBindArgs};
use wxdesk_core::team::{Layout, Mode, RedisUrl, Slot};

const C: &str = "wx1a2b3c4d5e6f7a8b";

fn bind_args(server: &RedisServer, mode: &str, ca: Option<String>) -> TeamBindArgs {
    TeamBindArgs {
        component_appid: Some(C.into()),
        redis_url: server.url(),
        layout: "wxjava-open".into(),
        mode: Some(mode.into()),
        ca_pem: ca,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_read_only_binding_with_the_ca_reads_what_a_peer_wrote_over_tls() {
    let server = RedisServer::start_tls();
    assert!(server.url().starts_with("rediss://127.0.0.1:"));
    // The peer (the production server) writes over TLS too.
    let mut peer = server.raw().await;
    let _: () = peer
        .set_ex(
            format!("wechat_component_access_token:{C}"),
            "ctok_tls",
            6900,
        )
        .await
        .unwrap();

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wxdesk.db");
    let desk = common::open_desk(&db, "http://127.0.0.1:9");
    common::store_component(&desk, C, &common::random_secret());
    let v = desk
        .team_bind(bind_args(&server, "read-only", server.ca_pem.clone()))
        .unwrap();
    assert_eq!(v.transport, "TLS, own CA");

    let ts = desk.team_store(Kind::Component, C).await.unwrap().unwrap();
    assert_eq!(
        ts.read_component_token(C).await.unwrap().value.as_str(),
        "ctok_tls"
    );
    let shown = team_show_of(&desk, C).await;
    assert!(shown[0].reachable, "{:?}", shown[0].error);
    assert_eq!(shown[0].binding.transport, "TLS, own CA");
    let token = shown_key(&shown[0], "component_access_token");
    assert!(token.present && token.readable, "{}", token.status);
}

#[tokio::test]
async fn without_the_ca_the_tls_url_fails_naming_the_address_and_suggesting_redis_ca() {
    let server = RedisServer::start_tls();
    let url = RedisUrl::parse(&server.url()).unwrap();
    let err = team_store(&url, Layout::WxjavaOpen, Mode::ReadOnly, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "team_unreachable", "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("rediss://127.0.0.1:{}", server.port)),
        "{msg}"
    );
    assert!(msg.contains("--redis-ca"), "{msg}");

    // Bound without the CA: `team show` reports the same, and the binding says plain "TLS".
    let dir = tempfile::tempdir().unwrap();
    let desk = common::open_desk(&dir.path().join("wxdesk.db"), "http://127.0.0.1:9");
    common::store_component(&desk, C, &common::random_secret());
    let v = desk
        .team_bind(bind_args(&server, "read-only", None))
        .unwrap();
    assert_eq!(v.transport, "TLS");
    let shown = desk.team_show(TeamAccountArgs::default()).await.unwrap();
    assert!(!shown[0].reachable);
    assert!(
        shown[0]
            .error
            .as_deref()
            .unwrap_or("")
            .contains("--redis-ca"),
        "{:?}",
        shown[0].error
    );
}

#[tokio::test]
async fn a_read_write_binding_with_the_ca_writes_over_tls() {
    let server = RedisServer::start_tls();
    let dir = tempfile::tempdir().unwrap();
    let desk = common::open_desk(&dir.path().join("wxdesk.db"), "http://127.0.0.1:9");
    common::store_component(&desk, C, &common::random_secret());
    desk.team_bind(bind_args(&server, "read-write", server.ca_pem.clone()))
        .unwrap();
    let ts = desk.team_store(Kind::Component, C).await.unwrap().unwrap();
    let slot = Slot::ComponentToken { component: C };
    let guard = ts
        .try_lock(slot, Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    ts.write_component_token(&guard, C, "ctok_written", 7200)
        .await
        .unwrap();
    assert!(guard.release().await.unwrap());
    let mut peer = server.raw().await;
    let v: Option<String> = peer
        .get(format!("wechat_component_access_token:{C}"))
        .await
        .unwrap();
    assert_eq!(v.as_deref(), Some("ctok_written"));
}

#[tokio::test]
async fn a_bad_ca_names_the_field_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let desk = common::open_desk(&dir.path().join("wxdesk.db"), "http://127.0.0.1:9");
    common::store_component(&desk, C, &common::random_secret());
    let args = |url: &str, ca: &str| TeamBindArgs {
        component_appid: Some(C.into()),
        redis_url: url.into(),
        layout: "wxjava-open".into(),
        ca_pem: Some(ca.into()),
        ..Default::default()
    };
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    // A CA for a plain redis:// URL.
    let err = desk
        .team_bind(args("redis://127.0.0.1:6379/0", pem))
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with("ca_pem:"), "{msg}");
    assert!(
        msg.contains("--redis-ca") && msg.contains("rediss://"),
        "{msg}"
    );
    // Not PEM at all.
    let err = desk
        .team_bind(args("rediss://127.0.0.1:6380/0", "hello"))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("ca_pem:") && msg.contains("--redis-ca"),
        "{msg}"
    );
    assert!(msg.contains("BEGIN CERTIFICATE"), "{msg}");
    // PEM armour around something that is not a certificate.
    let err = desk
        .team_bind(args("rediss://127.0.0.1:6380/0", pem))
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("ca_pem:") && msg.contains("--redis-ca"),
        "{msg}"
    );
    // Nothing was stored.
    assert!(desk
        .team_show(TeamAccountArgs::default())
        .await
        .unwrap()
        .is_empty());
}
