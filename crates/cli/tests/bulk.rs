//! The CLI's bulk operations do no harm in bulk: `authorizer refresh --all`
//! renews only missing or expiring tokens, `--all --force` needs the same
//! confirmation as a single --force and says how many calls it makes; a sync
//! that would revoke more than 20 % of the authorizers needs --yes; the force
//! budget shows before a force; a ticket push that is not newer says why.

mod common;

use std::time::Duration;

use common::*;

const CALL: &str = "cgi-bin/component/api_authorizer_token";

#[test]
fn refresh_all_skips_valid_tokens_and_forcing_all_needs_confirmation() {
    let w = World::start();
    let c = w.component();
    w.sandbox.seed_authorizers(&c.appid, 6);
    w.ok(&["authorizer", "sync", "--component", &c.appid]);

    let refresh_all = authorizer_refresh(&c.appid, &["--all"]);
    let v = w.ok(&refresh_all);
    assert_eq!(
        (v["refreshed"].as_u64(), v["skipped_fresh"].as_u64()),
        (Some(6), Some(0))
    );
    assert_eq!(w.sandbox.counter(CALL), 6);
    // Again: every token is valid, nothing is rotated.
    let v = w.ok(&refresh_all);
    assert_eq!(
        (v["refreshed"].as_u64(), v["skipped_fresh"].as_u64()),
        (Some(0), Some(6))
    );
    assert_eq!(w.sandbox.counter(CALL), 6);
    let text = w.text(&refresh_all);
    assert!(
        text.contains("0 refreshed") && text.contains("6 still valid skipped"),
        "{text}"
    );

    // Forcing all: refused without a terminal or --yes, naming the call count.
    let e = w.err(&authorizer_refresh(&c.appid, &["--all", "--force"]));
    assert_eq!(e["kind"], "needs_confirmation", "{e}");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("6 api_authorizer_token calls"), "{msg}");
    assert_eq!(w.sandbox.counter(CALL), 6, "nothing was sent");
    let v = w.ok(&force_refresh_all(&c.appid));
    assert_eq!(
        (v["refreshed"].as_u64(), v["forced"].as_bool()),
        (Some(6), Some(true))
    );
    assert_eq!(w.sandbox.counter(CALL), 12);
    // --force without --all is a usage error.
    let r = w.run(&authorizer_refresh(&c.appid, &["--force", "--json"]));
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

#[test]
fn a_sync_revoking_many_authorizers_needs_yes() {
    let w = World::start();
    let c = w.component();
    let seeded = w.sandbox.seed_authorizers(&c.appid, 5);
    w.ok(&["authorizer", "sync", "--component", &c.appid]);
    for a in &seeded[..2] {
        w.sandbox.unauthorize(&c.appid, a).unwrap();
    }
    // 2 of 5 = 40 %: refused, nothing revoked, and it says what it saw.
    let e = w.err(&["authorizer", "sync", "--component", &c.appid]);
    assert_eq!(e["kind"], "needs_confirmation");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("would revoke 2 of 5"), "{msg}");
    assert_eq!(authorizer_count(&w, "active"), Some(5));
    // Confirmed.
    let v = w.ok(&["authorizer", "sync", "--component", &c.appid, "--yes"]);
    assert_eq!(v["revoked"], 2);
    assert_eq!(authorizer_count(&w, "active"), Some(3));
}

#[test]
fn the_force_budget_shows_before_a_force_and_after_a_fetch() {
    let w = World::start();
    let (appid, _) = w.app();
    let e = w.err(&["token", "--appid", &appid, "--force"]);
    assert_eq!(e["kind"], "needs_confirmation");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("20 of 20 force refreshes left today"), "{msg}");
    let v = w.ok(&["token", "--appid", &appid, "--force", "--yes"]);
    assert_eq!(v["force_budget_left"], 19);
    let text = w.text(&["token", "--appid", &appid]);
    assert!(
        text.contains("19 of 20 force refreshes left today"),
        "{text}"
    );
}

#[test]
fn a_ticket_push_from_the_future_is_recorded_but_not_current() {
    let w = World::start();
    let c = w.component();
    w.sandbox.advance_clock(Duration::from_secs(3600));
    let p = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    let body = w.write("push.xml", &p.body);
    let args = [
        "component",
        "ticket",
        "push",
        &c.appid,
        "--query",
        &p.query,
        "--body",
        body.to_str().unwrap(),
    ];
    let text = w.text(&args);
    assert!(text.contains("NOT current"), "{text}");
    assert!(text.contains("ahead of this computer's clock"), "{text}");
    let v = w.ok(&args);
    assert_eq!(v["action"], "ticket_not_current");
    assert!(v["reason"].as_str().unwrap().contains("future"), "{v}");
    // The status names it too; the pasted ticket stays current.
    let text = w.text(&["component", "ticket", "status", &c.appid]);
    assert!(text.contains("is NOT current"), "{text}");
    let v = w.ok(&["component", "ticket", "status", &c.appid]);
    assert_eq!(v["source"], "manual");
    assert!(v["last_rejected"]["reason"]
        .as_str()
        .unwrap()
        .contains("future"));
}
