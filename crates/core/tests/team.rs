//! Team mode's guarantees against a real redis-server: read-only never
//! writes, failures name the key, the lock has one owner at a time, a stale
//! generation cannot overwrite a newer token, a stampede makes one upstream
//! call, and bindings keep the Redis password sealed.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::redis::{shown_key, store_on, team_show_of, team_store, RedisServer};
use redis::AsyncCommands;
use wxdesk_core::team::service::{TeamAccountArgs, TeamBindArgs};
use wxdesk_core::team::{Layout, Mode, RedisUrl, Slot, TeamError, TeamStore};

const C: &str = "wx1a2b3c4d5e6f7a8b";
const A: &str = "wx0f1e2d3c4b5a6978";

async fn store(server: &RedisServer, layout: Layout, mode: Mode) -> TeamStore {
    store_on(server, layout, mode, None).await
}

/// Every key and its value (strings only), sorted.
async fn snapshot(con: &mut redis::aio::MultiplexedConnection) -> Vec<(String, Option<String>)> {
    let mut keys: Vec<String> = con.keys("*").await.unwrap();
    keys.sort();
    let mut out = Vec::new();
    for k in keys {
        let v: redis::RedisResult<Option<String>> = con.get(&k).await;
        out.push((k, v.ok().flatten()));
    }
    out
}

/// Names of the write commands Redis has executed since the last CONFIG RESETSTAT.
async fn writes_seen(con: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    let info: String = redis::cmd("INFO")
        .arg("commandstats")
        .query_async(con)
        .await
        .unwrap();
    info.lines()
        .filter_map(|l| l.strip_prefix("cmdstat_"))
        .filter_map(|l| l.split(':').next())
        .filter(|c| {
            [
                "set", "setex", "psetex", "setnx", "del", "incr", "eval", "evalsha", "expire",
                "pexpire", "getset", "getdel", "unlink",
            ]
            .contains(c)
        })
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn read_only_never_writes_whatever_it_reads() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    let _: () = con
        .set_ex(format!("wechat_component_access_token:{C}"), "ctok", 100)
        .await
        .unwrap();
    // wechatpy's JSON under a wxjava key: unreadable by this layout, and must stay as it is.
    let _: () = con
        .set(
            format!("wechat_authorizer_access_token:{C}:{A}"),
            "\"atok\"",
        )
        .await
        .unwrap();
    let before = snapshot(&mut con).await;
    let _: () = redis::cmd("CONFIG")
        .arg("RESETSTAT")
        .query_async(&mut con)
        .await
        .unwrap();

    let ro = store(&server, Layout::WxjavaOpen, Mode::ReadOnly).await;
    assert!(ro.read_component_token(C).await.is_ok());
    assert!(matches!(
        ro.read_authorizer_token(C, A).await,
        Err(TeamError::Unreadable { .. })
    ));
    assert!(matches!(
        ro.read_refresh_token(C, A).await,
        Err(TeamError::Missing { .. })
    ));
    assert!(matches!(
        ro.read_ticket(C).await,
        Err(TeamError::Missing { .. })
    ));
    // Asking a read-only store to lock or write is refused before Redis sees anything.
    let slot = Slot::ComponentToken { component: C };
    assert!(matches!(
        ro.try_lock(slot, Duration::from_secs(1)).await,
        Err(TeamError::ReadOnly { .. })
    ));

    assert_eq!(writes_seen(&mut con).await, Vec::<String>::new());
    assert_eq!(
        snapshot(&mut con).await,
        before,
        "read-only mode changed Redis"
    );
}

#[tokio::test]
async fn missing_and_unreadable_errors_name_the_key() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    let ro = store(&server, Layout::WxjavaOpen, Mode::ReadOnly).await;
    let err = ro.read_component_token(C).await.unwrap_err();
    let msg = err.to_string();
    assert_eq!(err.code(), "team_missing_key");
    assert!(
        msg.contains(&format!("wechat_component_access_token:{C}")),
        "{msg}"
    );
    assert!(msg.contains("production server writes it"), "{msg}");

    // The old WxMaRedisConfigImpl keeps a hash; wechatpy keeps JSON; neither is a wxjava-open value.
    let _: () = con
        .hset(format!("wechat_component_verify_ticket:{C}"), "value", "t")
        .await
        .unwrap();
    let err = ro.read_ticket(C).await.unwrap_err();
    assert_eq!(err.code(), "team_unreadable");
    assert!(err
        .to_string()
        .contains(&format!("wechat_component_verify_ticket:{C}")));
    let _: () = con
        .set(
            format!("wechat_authorizer_access_token:{C}:{A}"),
            "\"SECRETTOKENVALUE\"",
        )
        .await
        .unwrap();
    let err = ro.read_authorizer_token(C, A).await.unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("unreadable by the wxjava-open layout"),
        "{msg}"
    );
    assert!(
        !msg.contains("SECRETTOKENVALUE"),
        "the error repeats the value: {msg}"
    );
    // And the core error carries the code and a hint.
    let body = wxdesk_core::Error::from(err).body();
    assert_eq!(body.code, "team_unreadable");
    assert!(body.hint.is_some());
}

#[tokio::test]
async fn the_lock_has_exactly_one_winner_among_many_tasks() {
    let server = RedisServer::start();
    let rw = store(&server, Layout::Wxdesk, Mode::ReadWrite).await;
    let slot = Slot::ComponentToken { component: C };
    let mut tasks = Vec::new();
    for _ in 0..64 {
        let s = rw.clone();
        tasks.push(tokio::spawn(async move {
            s.try_lock(
                Slot::ComponentToken { component: C },
                Duration::from_secs(30),
            )
            .await
            .unwrap()
        }));
    }
    let mut winners = Vec::new();
    for t in tasks {
        if let Some(g) = t.await.unwrap() {
            winners.push(g);
        }
    }
    assert_eq!(winners.len(), 1, "{} tasks hold the lock", winners.len());
    let g = winners.pop().unwrap();
    assert_eq!(g.generation(), 1);
    assert!(rw
        .try_lock(slot, Duration::from_secs(1))
        .await
        .unwrap()
        .is_none());
    assert!(g.release().await.unwrap());
    let g2 = rw
        .try_lock(slot, Duration::from_secs(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(g2.generation(), 2);
}

#[tokio::test]
async fn a_cold_stampede_makes_one_upstream_call() {
    let server = RedisServer::start();
    let upstream = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for i in 0..20 {
        // Separate connections: separate "processes".
        let s = store(&server, Layout::WxjavaOpen, Mode::ReadWrite).await;
        let upstream = upstream.clone();
        tasks.push(tokio::spawn(async move {
            let slot = Slot::ComponentToken { component: C };
            if let Ok(t) = s.read(slot).await {
                return t.value.to_string();
            }
            let g = s
                .lock(slot, Duration::from_secs(10), Duration::from_secs(10))
                .await
                .unwrap();
            // Read again under the lock: the previous holder may have refreshed it.
            let value = match s.read(slot).await {
                Ok(t) => t.value.to_string(),
                Err(_) => {
                    upstream.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    let v = format!("ctok_from_{i}");
                    s.write_component_token(&g, C, &v, 7200).await.unwrap();
                    v
                }
            };
            g.release().await.unwrap();
            value
        }));
    }
    let mut values = Vec::new();
    for t in tasks {
        values.push(t.await.unwrap());
    }
    assert_eq!(upstream.load(Ordering::SeqCst), 1, "upstream calls");
    values.dedup();
    assert_eq!(
        values.len(),
        1,
        "every process got the same token: {values:?}"
    );
}

#[tokio::test]
async fn a_stale_generation_cannot_overwrite_a_newer_token() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    let slow = store(&server, Layout::WxjavaOpen, Mode::ReadWrite).await;
    let fast = store(&server, Layout::WxjavaOpen, Mode::ReadWrite).await;
    let slot = Slot::ComponentToken { component: C };
    let old = slow
        .try_lock(slot, Duration::from_millis(50))
        .await
        .unwrap()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(120)).await; // the slow process stalls past its lease
    let new = fast
        .try_lock(slot, Duration::from_secs(10))
        .await
        .unwrap()
        .unwrap();
    assert!(new.generation() > old.generation());
    fast.write_component_token(&new, C, "ctok_new", 7200)
        .await
        .unwrap();
    let err = slow
        .write_component_token(&old, C, "ctok_old", 7200)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            TeamError::StaleGeneration {
                mine: 1,
                current: 2,
                ..
            }
        ),
        "{err}"
    );
    let v: Option<String> = con
        .get(format!("wechat_component_access_token:{C}"))
        .await
        .unwrap();
    assert_eq!(v.as_deref(), Some("ctok_new"));
    // Its release does not free the lock the new owner holds.
    assert!(!old.release().await.unwrap());
    assert!(fast
        .try_lock(slot, Duration::from_secs(1))
        .await
        .unwrap()
        .is_none());
    assert!(new.release().await.unwrap());
}

#[tokio::test]
async fn redis_down_is_a_clear_error_naming_the_address() {
    let server = RedisServer::start();
    let ro = store(&server, Layout::Wechatpy, Mode::ReadOnly).await;
    let url = RedisUrl::parse(&server.url()).unwrap();
    drop(server);
    let err = ro.read_component_token(C).await.unwrap_err();
    assert_eq!(err.code(), "team_unreachable", "{err}");
    assert!(err.to_string().contains(url.display()), "{err}");

    let err = team_store(&url, Layout::Wechatpy, Mode::ReadOnly, None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "team_unreachable", "{err}");
}

#[tokio::test]
async fn a_password_url_connects_and_a_wrong_one_is_refused_without_echoing_it() {
    let server = RedisServer::start_with_password("0123456789abcdef0123456789abcdef");
    let ok = RedisUrl::parse(&server.url()).unwrap();
    assert!(team_store(&ok, Layout::Wxdesk, Mode::ReadOnly, None)
        .await
        .is_ok());
    let bad = RedisUrl::parse(&format!(
        "redis://:wrongpassword1234@127.0.0.1:{}/0",
        server.port
    ))
    .unwrap();
    let err = team_store(&bad, Layout::Wxdesk, Mode::ReadOnly, None)
        .await
        .unwrap_err();
    assert!(!err.to_string().contains("wrongpassword1234"), "{err}");
    assert!(!format!("{err:?}").contains("wrongpassword1234"), "{err:?}");
}

#[tokio::test]
async fn bindings_seal_the_password_and_show_reports_each_key() {
    let server = RedisServer::start_with_password("fedcba9876543210fedcba9876543210");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wxdesk.db");
    let desk = common::open_desk(&db, "http://127.0.0.1:9");
    common::store_component(&desk, C, &common::random_secret());
    let bind = |layout: &str, mode: Option<&str>| TeamBindArgs {
        component_appid: Some(C.into()),
        redis_url: server.url(),
        layout: layout.into(),
        mode: mode.map(str::to_string),
        ..Default::default()
    };
    // Layout and account kind must agree; bad input names the field.
    let err = desk.team_bind(bind("wxjava-ma", None)).unwrap_err();
    assert!(err.to_string().starts_with("layout:"), "{err}");
    let err = desk.team_bind(bind("spring", None)).unwrap_err();
    assert!(err.to_string().starts_with("layout:"), "{err}");
    let err = desk
        .team_bind(TeamBindArgs {
            appid: Some(A.into()),
            ..bind("wxjava-open", None)
        })
        .unwrap_err();
    assert!(err.to_string().starts_with("component_appid:"), "{err}");
    let err = desk
        .team_bind(TeamBindArgs {
            redis_url: "http://x".into(),
            ..bind("wxjava-open", None)
        })
        .unwrap_err();
    assert!(err.to_string().starts_with("redis_url:"), "{err}");

    let v = desk.team_bind(bind("wxjava-open", None)).unwrap();
    assert_eq!(
        (v.mode.as_str(), v.layout.as_str(), v.has_password),
        ("read-only", "wxjava-open", true)
    );
    assert_eq!(v.redis, format!("redis://127.0.0.1:{}/0", server.port));
    let bytes = std::fs::read(&db).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        !text.contains("fedcba9876543210fedcba9876543210"),
        "the Redis password is in the database in clear"
    );

    let mut con = server.raw().await;
    let _: () = con
        .set_ex(format!("wechat_component_access_token:{C}"), "ctok", 6900)
        .await
        .unwrap();
    let shown = team_show_of(&desk, C).await;
    assert_eq!(shown.len(), 1);
    let s = &shown[0];
    assert!(s.reachable, "{:?}", s.error);
    let token = shown_key(s, "component_access_token");
    assert!(token.present && token.readable);
    assert!(
        token
            .status
            .starts_with("Redis, wxjava-open layout, TTL 6,"),
        "{}",
        token.status
    );
    let ticket = shown_key(s, "component_verify_ticket");
    assert!(!ticket.present);
    assert_eq!(ticket.key, format!("wechat_component_verify_ticket:{C}"));

    // The token manager's entry point: the bound store, connected with the unsealed URL.
    let ts = desk
        .team_store(wxdesk_core::team::bindings::Kind::Component, C)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        ts.read_component_token(C).await.unwrap().value.as_str(),
        "ctok"
    );
    assert!(desk
        .team_store(wxdesk_core::team::bindings::Kind::App, A)
        .await
        .unwrap()
        .is_none());

    drop(con);
    drop(server);
    let shown = desk.team_show(TeamAccountArgs::default()).await.unwrap();
    assert!(!shown[0].reachable);
    assert!(shown[0]
        .error
        .as_deref()
        .unwrap_or("")
        .contains("unreachable"));

    desk.team_unbind(TeamAccountArgs {
        component_appid: Some(C.into()),
        ..Default::default()
    })
    .unwrap();
    let err = desk
        .team_unbind(TeamAccountArgs {
            component_appid: Some(C.into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}
