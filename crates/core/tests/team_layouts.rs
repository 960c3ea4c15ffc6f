//! Team mode against a real redis-server, one section per peer layout:
//! a fixture writes keys exactly as that peer does (its key string, value
//! encoding and TTL, as raw commands) and wxdesk reads them; then wxdesk in
//! read-write mode writes and a reader written to the peer's format (raw GET
//! of the literal key, decoded as the peer decodes) reads them back.

mod common;

use std::time::Duration;

use common::redis::{store_on, RedisServer};
use redis::AsyncCommands;
use wxdesk_core::team::{Guard, Layout, Mode, Slot, TeamStore};

const C: &str = "wx1a2b3c4d5e6f7a8b";
const A: &str = "wx0f1e2d3c4b5a6978";
const APP: &str = "wx9988776655443322";
const LEASE: Duration = Duration::from_secs(10);

async fn store(
    server: &RedisServer,
    layout: Layout,
    prefix: Option<&str>,
    mode: Mode,
) -> TeamStore {
    store_on(server, layout, mode, prefix).await
}

/// How another SDK writes a key: `SET`, `SETEX` (seconds) or `PSETEX` (milliseconds).
#[derive(Clone, Copy)]
enum W {
    Set,
    Ex(u64),
    Px(u64),
}

/// Writes each `(key, value, how)` as the SDK under test would.
async fn seed(con: &mut redis::aio::MultiplexedConnection, writes: &[(String, &str, W)]) {
    for (key, value, how) in writes {
        let _: () = match *how {
            W::Set => con.set(key, *value).await.unwrap(),
            W::Ex(secs) => con.set_ex(key, *value, secs).await.unwrap(),
            W::Px(ms) => con.pset_ex(key, *value, ms).await.unwrap(),
        };
    }
}

async fn raw_get(con: &mut redis::aio::MultiplexedConnection, key: &str) -> Option<String> {
    con.get(key).await.unwrap()
}

async fn raw_ttl(con: &mut redis::aio::MultiplexedConnection, key: &str) -> i64 {
    con.ttl(key).await.unwrap()
}

/// A value wxdesk keeps in Redis for `C`, `A` and `APP`.
#[derive(Clone, Copy)]
enum D {
    Ticket,
    Component,
    Authorizer,
    Refresh,
    App,
}

/// Takes `slot`'s lock and writes each of `what` as wxdesk the refresher
/// does (values `ticket@@@desk`, `ctok_desk`, `atok_desk`,
/// `refreshtoken@@@desk`, `apptok_desk`; tokens for 7200 s).
async fn desk_writes(rw: &TeamStore, slot: Slot<'_>, what: &[D]) -> Guard {
    let g = rw.lock(slot, LEASE, LEASE).await.unwrap();
    for d in what {
        match d {
            D::Ticket => rw.write_ticket(&g, C, "ticket@@@desk").await,
            D::Component => rw.write_component_token(&g, C, "ctok_desk", 7200).await,
            D::Authorizer => rw.write_authorizer_token(&g, C, A, "atok_desk", 7200).await,
            D::Refresh => {
                rw.write_refresh_token(&g, C, A, "refreshtoken@@@desk")
                    .await
            }
            D::App => rw.write_app_token(&g, APP, "apptok_desk", 7200).await,
        }
        .unwrap();
    }
    g
}

/// The value a reader of the layout gets for `d`.
async fn read(ro: &TeamStore, d: D) -> String {
    let t = match d {
        D::Ticket => ro.read_ticket(C).await,
        D::Component => ro.read_component_token(C).await,
        D::Authorizer => ro.read_authorizer_token(C, A).await,
        D::Refresh => ro.read_refresh_token(C, A).await,
        D::App => ro.read_app_token(APP).await,
    };
    t.unwrap().value.as_str().to_string()
}

/// Each `(key, value, ttl)` is stored raw as `value`, with a TTL near `ttl`
/// (or none at all for `-1`).
async fn assert_raw(con: &mut redis::aio::MultiplexedConnection, want: &[(String, &str, i64)]) {
    for (k, v, ttl) in want {
        assert_eq!(raw_get(con, k).await.as_deref(), Some(*v), "{k}");
        if *ttl < 0 {
            assert_eq!(raw_ttl(con, k).await, -1, "{k}");
        } else {
            assert_ttl_near(raw_ttl(con, k).await, *ttl, k);
        }
    }
}

fn assert_ttl_near(ttl: i64, expected: i64, key: &str) {
    assert!(
        (expected - 3..=expected).contains(&ttl),
        "{key}: TTL {ttl}, expected about {expected}"
    );
}

#[tokio::test]
async fn wxjava_open_reads_what_wxjava_writes_and_writes_what_it_reads() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    // WxOpenInRedisConfigStorage with keyPrefix "wx:open" (the Spring starter's default).
    // JedisWxRedisOps.setValue: psetex(key, toMillis(expire), value), or set when expire <= 0.
    let _: () = redis::cmd("PSETEX")
        .arg(format!("wx:open:wechat_component_verify_ticket:{C}"))
        .arg(i64::from(i32::MAX) * 1000)
        .arg("ticket@@@wxjava")
        .query_async(&mut con)
        .await
        .unwrap();
    seed(
        &mut con,
        &[
            (
                format!("wx:open:wechat_component_access_token:{C}"),
                "ctok_wxjava",
                W::Px((7200 - 200) * 1000),
            ),
            (
                format!("wx:open:wechat_authorizer_access_token:{C}:{A}"),
                "atok_wxjava",
                W::Px((7200 - 200) * 1000),
            ),
            (
                format!("wx:open:wechat_authorizer_refresh_token:{C}:{A}"),
                "refreshtoken@@@wxjava",
                W::Set,
            ),
        ],
    )
    .await;

    let ro = store(&server, Layout::WxjavaOpen, Some("wx:open"), Mode::ReadOnly).await;
    assert_eq!(read(&ro, D::Ticket).await, "ticket@@@wxjava");
    let ct = ro.read_component_token(C).await.unwrap();
    assert_eq!(ct.value.as_str(), "ctok_wxjava");
    assert_ttl_near(ct.ttl.unwrap(), 7000, &ct.key);
    let src = ct.source();
    assert!(
        src.starts_with("Redis, wxjava-open layout, TTL 6,9")
            || src == "Redis, wxjava-open layout, TTL 7,000 s",
        "{src}"
    );
    assert_eq!(read(&ro, D::Authorizer).await, "atok_wxjava");
    let rt = ro.read_refresh_token(C, A).await.unwrap();
    assert_eq!((rt.value.as_str(), rt.ttl), ("refreshtoken@@@wxjava", None));

    // wxdesk as the refresher, no prefix this time (WxJava without keyPrefix).
    let rw = store(&server, Layout::WxjavaOpen, None, Mode::ReadWrite).await;
    let slot = Slot::ComponentToken { component: C };
    let g = desk_writes(
        &rw,
        slot,
        &[D::Ticket, D::Component, D::Authorizer, D::Refresh],
    )
    .await;
    assert!(g.release().await.unwrap());
    // What WxOpenInRedisConfigStorage.getComponentAccessToken() etc. would GET.
    let k = format!("wechat_component_access_token:{C}");
    assert_eq!(raw_get(&mut con, &k).await.as_deref(), Some("ctok_desk"));
    assert_ttl_near(raw_ttl(&mut con, &k).await, 7000, &k);
    let k = format!("wechat_component_verify_ticket:{C}");
    assert_eq!(
        raw_get(&mut con, &k).await.as_deref(),
        Some("ticket@@@desk")
    );
    assert!(raw_ttl(&mut con, &k).await > 2_000_000_000);
    let k = format!("wechat_authorizer_access_token:{C}:{A}");
    assert_eq!(raw_get(&mut con, &k).await.as_deref(), Some("atok_desk"));
    assert_ttl_near(raw_ttl(&mut con, &k).await, 7000, &k);
    let k = format!("wechat_authorizer_refresh_token:{C}:{A}");
    assert_eq!(
        raw_get(&mut con, &k).await.as_deref(),
        Some("refreshtoken@@@desk")
    );
    assert_eq!(
        raw_ttl(&mut con, &k).await,
        -1,
        "refresh tokens never expire in WxJava"
    );
}

#[tokio::test]
async fn wxjava_ma_reads_and_writes_the_wa_access_token_key() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    // WxMaRedisBetterConfigImpl: "%s:access_token:%s" with keyPrefix "wa", TTL expires_in - 200.
    seed(
        &mut con,
        &[(
            format!("wa:access_token:{APP}"),
            "apptok_wxjava",
            W::Px((7200 - 200) * 1000),
        )],
    )
    .await;
    let ro = store(&server, Layout::WxjavaMa, None, Mode::ReadOnly).await;
    let t = ro.read_app_token(APP).await.unwrap();
    assert_eq!(t.value.as_str(), "apptok_wxjava");
    assert_eq!(t.key, format!("wa:access_token:{APP}"));

    let rw = store(&server, Layout::WxjavaMa, Some("shop"), Mode::ReadWrite).await;
    let _g = desk_writes(&rw, Slot::AppToken { appid: APP }, &[D::App]).await;
    let k = format!("shop:access_token:{APP}");
    assert_eq!(raw_get(&mut con, &k).await.as_deref(), Some("apptok_desk"));
    assert_ttl_near(raw_ttl(&mut con, &k).await, 7000, &k);
}

#[tokio::test]
async fn silenceper_reads_and_writes_its_underscore_keys() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    // cache/redis.go SetContext: SETEX key timeout value; raw strings.
    seed(
        &mut con,
        &[
            (
                format!("gowechat_miniprogram__access_token_{APP}"),
                "apptok_go",
                W::Ex(7200 - 1500),
            ),
            (
                format!("component_access_token_{C}"),
                "ctok_go",
                W::Ex(7200 - 1500),
            ),
            (
                format!("authorizer_access_token_{A}"),
                "atok_go",
                W::Ex(7200 - 30),
            ),
            (
                format!("authorizer_refresh_token_{A}"),
                "refreshtoken@@@go",
                W::Ex(24 * 3600),
            ),
        ],
    )
    .await;

    let ro = store(&server, Layout::Silenceper, None, Mode::ReadOnly).await;
    let t = ro.read_app_token(APP).await.unwrap();
    assert_eq!(t.value.as_str(), "apptok_go");
    assert_ttl_near(t.ttl.unwrap(), 5700, &t.key);
    assert_eq!(read(&ro, D::Component).await, "ctok_go");
    assert_eq!(read(&ro, D::Authorizer).await, "atok_go");
    assert_eq!(read(&ro, D::Refresh).await, "refreshtoken@@@go");
    let err = ro.read_ticket(C).await.unwrap_err();
    assert_eq!(err.code(), "team_no_such_key", "{err}");

    let rw = store(&server, Layout::Silenceper, None, Mode::ReadWrite).await;
    let g = desk_writes(
        &rw,
        Slot::ComponentToken { component: C },
        &[D::Component, D::Authorizer, D::App],
    )
    .await;
    rw.write(&g, Slot::StableAppToken { appid: APP }, "stable_desk", 7200)
        .await
        .unwrap();
    assert_raw(
        &mut con,
        &[
            (format!("component_access_token_{C}"), "ctok_desk", 5700),
            (format!("authorizer_access_token_{A}"), "atok_desk", 7170),
            (
                format!("gowechat_miniprogram__access_token_{APP}"),
                "apptok_desk",
                5700,
            ),
            (
                format!("gowechat_miniprogram__stable_access_token_{APP}"),
                "stable_desk",
                6900,
            ),
        ],
    )
    .await;
}

/// What wechatpy's RedisStorage.get does: json.loads of the stored text.
async fn wechatpy_get(
    con: &mut redis::aio::MultiplexedConnection,
    key: &str,
) -> Option<serde_json::Value> {
    raw_get(con, key)
        .await
        .map(|s| serde_json::from_str(&s).unwrap())
}

#[tokio::test]
async fn wechatpy_values_are_json_encoded_both_ways() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    // RedisStorage.set: redis.set(f"{prefix}:{key}", json.dumps(value), ex=ttl).
    seed(
        &mut con,
        &[
            (
                format!("wechatpy:{C}_component_verify_ticket"),
                "\"ticket@@@py\"",
                W::Set,
            ),
            (
                format!("wechatpy:{C}_component_access_token"),
                "\"ctok_py\"",
                W::Ex(7200),
            ),
            (
                format!("wechatpy:{A}_access_token"),
                "\"atok_py\"",
                W::Ex(7200),
            ),
            (
                format!("wechatpy:{A}_refresh_token"),
                "\"refreshtoken@@@py\"",
                W::Set,
            ),
            (
                format!("wechatpy:{APP}_access_token"),
                "\"apptok_py\"",
                W::Ex(7200),
            ),
            (
                format!("wechatpy:{APP}_access_token_expires_at"),
                "1770000000",
                W::Set,
            ),
        ],
    )
    .await;

    let ro = store(&server, Layout::Wechatpy, None, Mode::ReadOnly).await;
    assert_eq!(read(&ro, D::Ticket).await, "ticket@@@py");
    assert_eq!(read(&ro, D::Component).await, "ctok_py");
    assert_eq!(read(&ro, D::Authorizer).await, "atok_py");
    assert_eq!(read(&ro, D::Refresh).await, "refreshtoken@@@py");
    assert_eq!(read(&ro, D::App).await, "apptok_py");

    let rw = store(&server, Layout::Wechatpy, Some("prod"), Mode::ReadWrite).await;
    let _g = desk_writes(
        &rw,
        Slot::ComponentToken { component: C },
        &[D::Ticket, D::Component, D::Refresh, D::App],
    )
    .await;
    let k = format!("prod:{C}_component_verify_ticket");
    assert_eq!(
        wechatpy_get(&mut con, &k).await,
        Some(serde_json::json!("ticket@@@desk"))
    );
    assert_eq!(raw_ttl(&mut con, &k).await, -1);
    let k = format!("prod:{C}_component_access_token");
    assert_eq!(
        wechatpy_get(&mut con, &k).await,
        Some(serde_json::json!("ctok_desk"))
    );
    assert_ttl_near(raw_ttl(&mut con, &k).await, 7200, &k);
    let k = format!("prod:{A}_refresh_token");
    assert_eq!(
        wechatpy_get(&mut con, &k).await,
        Some(serde_json::json!("refreshtoken@@@desk"))
    );
    let k = format!("prod:{APP}_access_token");
    assert_eq!(
        wechatpy_get(&mut con, &k).await,
        Some(serde_json::json!("apptok_desk"))
    );
    let at = wechatpy_get(&mut con, &format!("prod:{APP}_access_token_expires_at")).await;
    let at = at.and_then(|v| v.as_i64()).unwrap();
    let now = wxdesk_core::store::now();
    assert!(
        (now + 7190..=now + 7200).contains(&at),
        "expires_at {at} vs now {now}"
    );
}

#[tokio::test]
async fn wxdesk_layout_round_trips_between_two_desks() {
    let server = RedisServer::start();
    let mut con = server.raw().await;
    let rw = store(&server, Layout::Wxdesk, None, Mode::ReadWrite).await;
    let _g = desk_writes(
        &rw,
        Slot::ComponentToken { component: C },
        &[D::Ticket, D::Component, D::Authorizer, D::Refresh, D::App],
    )
    .await;
    // The documented format.
    assert_raw(
        &mut con,
        &[
            (format!("wxdesk:ticket:{C}"), "ticket@@@desk", 43200),
            (format!("wxdesk:component_token:{C}"), "ctok_desk", 6900),
            (
                format!("wxdesk:authorizer_token:{C}:{A}"),
                "atok_desk",
                6900,
            ),
            (
                format!("wxdesk:refresh_token:{C}:{A}"),
                "refreshtoken@@@desk",
                -1,
            ),
            (format!("wxdesk:app_token:{APP}"), "apptok_desk", 6900),
        ],
    )
    .await;
    let ro = store(&server, Layout::Wxdesk, None, Mode::ReadOnly).await;
    assert_eq!(read(&ro, D::Authorizer).await, "atok_desk");
    assert_eq!(read(&ro, D::App).await, "apptok_desk");
}
