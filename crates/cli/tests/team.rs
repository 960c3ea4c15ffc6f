//! `wxdesk team bind|show|unbind` through the real binary, with the sandbox
//! playing the production server that writes a real redis-server.

mod common;

use wxdesk_testkit::redis as redis_server;

use common::*;
use wxdesk_sandbox::{AccountKind, TeamWriteRequest};

/// `team bind WHO ACCOUNT --redis URL --layout LAYOUT EXTRA…` (`who`: the
/// account's flag and AppID).
fn team_bind<'a>(
    who: [&'a str; 2],
    redis: &'a str,
    layout: &'a str,
    extra: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec!["team", "bind", who[0], who[1], "--redis", redis];
    args.extend(["--layout", layout]);
    args.extend_from_slice(extra);
    args
}

#[test]
fn team_bind_show_unbind_against_a_real_redis() {
    let w = World::start();
    let server = redis_server::RedisServer::start_with_password("00112233445566778899aabbccddeeff");
    let c = w.component();
    let auth = w.authorized(&c.appid, AccountKind::MiniProgram);
    let url = server.url();

    let who = ["--component", c.appid.as_str()];
    let v = w.ok(&team_bind(
        who,
        &url,
        "wxjava-open",
        &["--prefix", "wx:open"],
    ));
    assert_eq!(v["mode"], "read-only");
    assert_eq!(v["has_password"], true);
    assert_eq!(v["redis"], format!("redis://127.0.0.1:{}/0", server.port));

    // Nothing written yet: show reports the keys as missing, by name.
    let v = w.ok(&["team", "show", &c.appid]);
    let keys = v[0]["keys"].as_array().unwrap().clone();
    assert_eq!(v[0]["reachable"], true);
    assert!(keys.iter().all(|k| k["present"] == false), "{keys:?}");
    assert!(keys.iter().any(|k| k["key"]
        == format!(
            "wx:open:wechat_authorizer_refresh_token:{}:{}",
            c.appid, auth.authorizer_appid
        )));

    // The production server (the sandbox) writes; show sees it with its TTL.
    let written =
        w.rt.block_on(w.sandbox.team_write(&TeamWriteRequest {
            redis_url: url.clone(),
            layout: "wxjava-open".into(),
            prefix: Some("wx:open".into()),
            component_appid: Some(c.appid.clone()),
            authorizer_appid: Some(auth.authorizer_appid.clone()),
            appid: None,
        }))
        .unwrap();
    assert_eq!(written.keys.len(), 4);
    let text = w.text(&["team", "show", &c.appid]);
    let line = text
        .lines()
        .find(|l| {
            l.contains(&format!(
                "wx:open:wechat_component_access_token:{}",
                c.appid
            ))
        })
        .unwrap_or_else(|| panic!("{text}"));
    // The sandbox's current token has up to 7,200 s left; WxJava stores it with TTL expires_in - 200.
    assert!(
        line.ends_with("Redis, wxjava-open layout, TTL 7,000 s")
            || line.contains("Redis, wxjava-open layout, TTL 6,9"),
        "{line}"
    );
    assert!(text.contains("authorizer_refresh_token"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("wechat_authorizer_refresh_token") && l.ends_with("no TTL")),
        "{text}"
    );

    // Bad input is refused by name.
    let e = w.err(&team_bind(who, "http://127.0.0.1:1", "wxjava-open", &[]));
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("redis_url"), "{e}");
    let r = w.run(&["team", "bind", "--redis", &url, "--layout", "wxjava-open"]);
    assert!(!r.ok());

    let v = w.ok(&["team", "unbind", "--component", &c.appid]);
    assert_eq!(v["appid"], c.appid.as_str());
    assert_eq!(w.ok(&["team", "show"]).as_array().map(Vec::len), Some(0));

    // The Redis password never reached stdout or stderr.
    for run in w.transcript.borrow().iter() {
        for printed in [&run.stdout, &run.stderr] {
            assert!(
                !printed.contains("00112233445566778899aabbccddeeff"),
                "{:?}",
                run.args
            );
        }
    }
}

#[test]
fn token_commands_of_a_bound_account_say_redis_with_layout_and_key() {
    let w = World::start();
    let server = redis_server::RedisServer::start();
    let url = server.url();
    let (app, _) = w.app();
    let c = w.component();
    let auth = w
        .authorized(&c.appid, AccountKind::MiniProgram)
        .authorizer_appid;
    w.rt.block_on(w.sandbox.team_write(&TeamWriteRequest {
        redis_url: url.clone(),
        layout: "silenceper".into(),
        prefix: None,
        component_appid: Some(c.appid.clone()),
        authorizer_appid: Some(auth.clone()),
        appid: Some(app.clone()),
    }))
    .unwrap();
    for who in [["--appid", app.as_str()], ["--component", c.appid.as_str()]] {
        w.ok(&team_bind(who, &url, "silenceper", &[]));
    }
    let calls = || {
        [
            "cgi-bin/stable_token",
            "cgi-bin/token",
            "cgi-bin/component/api_component_token",
            "cgi-bin/component/api_authorizer_token",
        ]
        .map(|e| w.sandbox.counter(e))
    };
    let before = calls();

    let v = w.ok(&["token", "--appid", &app]);
    assert_eq!(v["source"], "redis", "{v}");
    assert_eq!(v["layout"], "silenceper");
    assert_eq!(
        v["key"],
        format!("gowechat_miniprogram__access_token_{app}")
    );
    // silenceper keeps access tokens with TTL expires_in - 1500.
    assert!(
        v["ttl"]
            .as_i64()
            .is_some_and(|t| (5600..=5700).contains(&t)),
        "{v}"
    );
    let v = w.ok(&["component", "token", &c.appid]);
    assert_eq!(v["source"], "redis", "{v}");
    assert_eq!(v["key"], format!("component_access_token_{}", c.appid));
    let v = w.ok(&["authorizer", "token", &auth, "--component", &c.appid]);
    assert_eq!(v["source"], "redis", "{v}");
    assert_eq!(v["key"], format!("authorizer_access_token_{auth}"));

    let text = w.text(&["component", "token", &c.appid]);
    let line = text
        .lines()
        .find(|l| l.starts_with("source:"))
        .unwrap_or_else(|| panic!("{text}"));
    // silenceper stores the component token with TTL expires_in - 1500.
    assert!(line.contains("Redis, silenceper layout, TTL 5,"), "{line}");
    assert!(
        text.contains(&format!("key:     component_access_token_{}", c.appid)),
        "{text}"
    );
    // Read-only: a force is refused before anything is sent.
    let e = w.err(&["component", "token", &c.appid, "--force", "--yes"]);
    assert_eq!(e["kind"], "team_read_only", "{e}");
    assert_eq!(calls(), before, "no token call upstream");
}

#[test]
fn team_bind_redis_ca_reaches_a_tls_redis_with_a_private_ca() {
    let w = World::start();
    let server = redis_server::RedisServer::start_tls();
    let c = w.component();
    let url = server.url();
    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, server.ca_pem.as_deref().unwrap()).unwrap();
    let ca = ca.to_string_lossy().to_string();
    let bind = |extra| team_bind(["--component", &c.appid], &url, "wxjava-open", extra);

    // Without the CA: bound, but show says the handshake failed and what to do.
    let v = w.ok(&bind(&[]));
    assert_eq!(v["transport"], "TLS");
    let text = w.text(&["team", "show", &c.appid]);
    assert!(
        text.contains("unreachable") && text.contains("--redis-ca"),
        "{text}"
    );

    // A missing file is refused by the flag's name.
    let e = w.err(&bind(&["--redis-ca", "/nonexistent/ca.pem"]));
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("--redis-ca"), "{e}");

    let v = w.ok(&bind(&["--redis-ca", &ca]));
    assert_eq!(v["transport"], "TLS, own CA");
    let text = w.text(&["team", "show", &c.appid]);
    assert!(text.contains("(TLS, own CA)"), "{text}");
    assert!(!text.contains("unreachable"), "{text}");
    assert!(text.contains("component_access_token"), "{text}");
}
