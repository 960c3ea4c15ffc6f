//! `wxdesk authorizer info --all-missing --component C` after a sync: every
//! merchant gets its profile, the list shows names and token expiry, and a
//! second run makes no calls.

mod common;

use common::*;

const INFO: &str = "cgi-bin/component/api_get_authorizer_info";

#[test]
fn info_all_missing_fetches_every_profile_after_a_sync() {
    let w = World::start();
    let c = w.component();
    w.sandbox.seed_authorizers(&c.appid, 7);
    w.ok(&["authorizer", "sync", "--component", &c.appid]);
    let list = w.ok(&["authorizer", "list", "--component", &c.appid]);
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r["nick_name"] == ""), "{list}");

    let v = w.ok(&[
        "authorizer",
        "info",
        "--all-missing",
        "--component",
        &c.appid,
        "--concurrency",
        "3",
    ]);
    assert_eq!(v["total"], 7);
    assert_eq!(v["fetched"], 7);
    assert_eq!(v["failed"], serde_json::json!([]));
    assert_eq!(w.sandbox.counter(INFO), 7);
    let list = w.ok(&["authorizer", "list", "--component", &c.appid]);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|r| r["nick_name"] != ""),
        "{list}"
    );

    let text = w.text(&[
        "authorizer",
        "info",
        "--all-missing",
        "--component",
        &c.appid,
    ]);
    assert!(text.contains("0 merchant(s) without a profile"), "{text}");
    assert_eq!(w.sandbox.counter(INFO), 7);

    // The flag needs the platform, and excludes a single appid.
    let r = w.run(&["authorizer", "info", "--all-missing", "--json"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let r = w.run(&[
        "authorizer",
        "info",
        &random_appid(),
        "--all-missing",
        "--component",
        &c.appid,
        "--json",
    ]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}
