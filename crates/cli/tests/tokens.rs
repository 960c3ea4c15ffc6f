//! `token`, `component token` and `authorizer token`: cache and fresh
//! fetches, masking and `--reveal`, the exact JSON fields, confirmations
//! that send nothing when refused, and single flight across processes.

mod common;

use common::*;
use serde_json::Value;
use wxdesk_sandbox::AccountKind;

fn assert_token_shape(v: &Value) {
    for k in ["token", "expires_at", "expires_in", "source"] {
        assert!(v.get(k).is_some(), "token JSON lacks {k}: {v}");
    }
    assert!(v["token"].is_string());
    assert!(v["expires_at"].is_i64());
    let left = v["expires_in"].as_i64().unwrap();
    assert!(left > 300 && left <= 7200, "{v}");
    assert!(v["source"] == "cache" || v["source"] == "fresh", "{v}");
}

#[test]
fn app_token_stable_cache_reveal_and_errors() {
    let w = World::start();
    let (appid, _) = w.app();
    let v = w.ok(&["token", "--appid", &appid]);
    assert_token_shape(&v);
    assert_eq!(v["source"], "fresh");
    let masked_token = v["token"].as_str().unwrap().to_string();
    assert!(
        masked_token.ends_with('…') && masked_token.chars().count() == 5,
        "{masked_token}"
    );
    let v2 = w.ok(&["token", "--appid", &appid, "--reveal"]);
    assert_eq!(v2["source"], "cache");
    assert_eq!(v2["expires_at"], v["expires_at"]);
    let full = v2["token"].as_str().unwrap();
    assert!(full.len() > 20 && full.starts_with(masked_token.trim_end_matches('…')));
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 1);
    let text = w.text(&["token", "--appid", &appid]);
    assert!(
        text.contains("source:  cache") && text.contains("--reveal") && !text.contains(full),
        "{text}"
    );

    assert_eq!(
        w.err(&["token", "--appid", &random_appid()])["kind"],
        "not_found"
    );
    let e = w.err(&["token", "--appid", "not-an-appid"]);
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("appid"));
    // Missing --appid is a usage error (exit 2).
    let r = w.run(&["token", "--json"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.json()["error"]["kind"], "missing_argument");
}

#[test]
fn legacy_and_force_are_confirmed_and_refused_without_a_terminal() {
    let w = World::start();
    let (appid, _) = w.app();
    // Refused: nothing is called.
    let e = w.err(&["token", "--appid", &appid, "--mode", "legacy"]);
    assert_eq!(e["kind"], "needs_confirmation");
    assert!(e["message"].as_str().unwrap().contains("REPLACES"), "{e}");
    let e = w.err(&["token", "--appid", &appid, "--force"]);
    assert_eq!(e["kind"], "needs_confirmation");
    assert!(e["message"].as_str().unwrap().contains("AT ONCE"), "{e}");
    assert_eq!(w.sandbox.counter("cgi-bin/token"), 0);
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 0);

    // Confirmed with --yes.
    let r = w.run(&[
        "token", "--appid", &appid, "--mode", "legacy", "--yes", "--json",
    ]);
    assert!(r.ok(), "{}", r.stderr);
    let v = r.json();
    assert_token_shape(&v);
    assert_eq!(v["source"], "fresh");
    assert!(v["warning"].as_str().unwrap().contains("NEW token"));
    assert!(
        r.stderr.contains("warning:"),
        "the warning also goes to stderr"
    );
    assert_eq!(w.sandbox.counter("cgi-bin/token"), 1);

    let v = w.ok(&["token", "--appid", &appid, "--force", "--yes"]);
    assert_eq!(v["source"], "fresh");
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 1);
    // A second force within 30 s is refused locally.
    let e = w.err(&["token", "--appid", &appid, "--force", "--yes"]);
    assert_eq!(e["kind"], "force_refused");
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 1);
    // Unknown apps are reported before any prompt.
    assert_eq!(
        w.err(&["token", "--appid", &random_appid(), "--force"])["kind"],
        "not_found"
    );
}

#[test]
fn component_token_needs_a_ticket_and_force_needs_confirmation() {
    let w = World::start();
    let c = w.component_without_ticket();
    let e = w.err(&["component", "token", &c.appid]);
    assert_eq!(e["kind"], "ticket_unavailable");
    assert!(e["hint"].as_str().unwrap().contains("start-push"), "{e}");
    let ticket = w.sandbox.issue_ticket(&c.appid).unwrap();
    w.ok(&["component", "ticket", "set", &c.appid, &ticket]);
    let v = w.ok(&["component", "token", &c.appid]);
    assert_token_shape(&v);
    assert_eq!(v["source"], "fresh");
    assert_eq!(w.ok(&["component", "token", &c.appid])["source"], "cache");
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_component_token"),
        1
    );
    // A new ticket keeps the valid token.
    let t2 = w.sandbox.issue_ticket(&c.appid).unwrap();
    w.ok(&["component", "ticket", "set", &c.appid, &t2]);
    assert_eq!(w.ok(&["component", "token", &c.appid])["source"], "cache");

    assert_eq!(
        w.err(&["component", "token", &c.appid, "--force"])["kind"],
        "needs_confirmation"
    );
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_component_token"),
        1
    );
    assert_eq!(
        w.ok(&["component", "token", &c.appid, "--force", "--yes"])["source"],
        "fresh"
    );
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_component_token"),
        2
    );
    assert_eq!(
        w.err(&["component", "token", &random_appid()])["kind"],
        "not_found"
    );
}

#[test]
fn authorizer_token_cache_force_and_revocation() {
    let w = World::start();
    let c = w.component();
    let a = w.authorized(&c.appid, AccountKind::MiniProgram);
    // `authorizer token A --component C FLAGS…`
    let authorizer_token = |flags: &[&'static str]| {
        let mut args = vec!["authorizer", "token", a.authorizer_appid.as_str()];
        args.extend(["--component", c.appid.as_str()]);
        args.extend_from_slice(flags);
        args
    };
    // api_query_auth returned a token: it is cached.
    let v = w.ok(&authorizer_token(&[]));
    assert_token_shape(&v);
    assert_eq!(v["source"], "cache");
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        0
    );
    assert_eq!(
        w.err(&authorizer_token(&["--force"]))["kind"],
        "needs_confirmation"
    );
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        0
    );
    let v = w.ok(&authorizer_token(&["--force", "--yes", "--reveal"]));
    assert_eq!(v["source"], "fresh");
    assert_eq!(v["revealed"], true);
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        1
    );
    assert_eq!(
        w.err(&[
            "authorizer",
            "token",
            &random_appid(),
            "--component",
            &c.appid
        ])["kind"],
        "not_found"
    );

    // Revoked through the push: refused without calling.
    w.sandbox
        .unauthorize(&c.appid, &a.authorizer_appid)
        .unwrap();
    let p = w.push(&c.appid, "unauthorized");
    let r = deliver_push(&w, &c.appid, &p.query, &p.body);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["action"], "unauthorized");
    assert_eq!(r.json()["changed"], true);
    let e = w.err(&authorizer_token(&["--force", "--yes"]));
    assert_eq!(e["kind"], "revoked");
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        1
    );
}

#[test]
fn concurrent_processes_share_one_fetch() {
    let w = World::start();
    let (appid, _) = w.app();
    w.sandbox.set_fault(wxdesk_sandbox::Fault::new(
        "*",
        wxdesk_sandbox::FaultKind::Latency { ms: 100 },
    ));
    let children: Vec<_> = (0..8)
        .map(|_| {
            json_command(&w, &["token", "--appid", &appid])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut tokens = Vec::new();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        tokens.push(json_line(&String::from_utf8_lossy(&o.stdout))["expires_at"].clone());
    }
    assert_eq!(
        w.sandbox.counter("cgi-bin/stable_token"),
        1,
        "one upstream call for 8 processes"
    );
    assert!(tokens.windows(2).all(|p| p[0] == p[1]));
}
