//! `wxdesk rid RID --appid A`, and the `--component`/`--by-secret` flags of
//! `phone` and `quota clear`: against the sandbox.

mod common;

use common::*;
use wxdesk_sandbox::AccountKind;

/// The rid in an error message (`… (rid X)`).
fn rid_of(message: &str) -> String {
    let (_, tail) = message.rsplit_once("(rid ").expect("message names the rid");
    tail.trim_end_matches(')').to_string()
}

#[test]
fn rid_shows_the_request_wechat_saw() {
    let w = World::start();
    let c = w.component();
    let a = w.authorized(&c.appid, AccountKind::MiniProgram);
    let mp = a.authorizer_appid.as_str();
    let e = w.err(&["phone", "--appid", mp, "--code", "bogus-code-0001"]);
    assert_eq!(e["errcode"], 40029);
    let rid = rid_of(e["message"].as_str().unwrap());

    let v = w.ok(&["rid", &rid, "--appid", mp]);
    assert_eq!(v["rid"], rid.as_str());
    let url = v["request_url"].as_str().unwrap();
    assert!(url.contains("/wxa/business/getuserphonenumber"), "{url}");
    assert!(!v["request_body"]
        .as_str()
        .unwrap()
        .contains("bogus-code-0001"));
    assert!(v["response_body"].as_str().unwrap().contains("40029"));

    let text = w.text(&["rid", &rid, "--appid", mp]);
    assert!(
        text.contains("getuserphonenumber") && text.contains("40029"),
        "{text}"
    );

    let e = w.err(&["rid", "00000000-00000000-00000000", "--appid", mp]);
    assert_eq!(e["errcode"], 76001);
    let e = w.err(&["rid", "no such rid", "--appid", mp]);
    assert_eq!(e["kind"], "invalid_input");
    let r = w.run(&["rid", &rid, "--json"]);
    assert_eq!(r.code, Some(2), "--appid is required");
}

#[test]
fn phone_and_quota_clear_choose_the_credential() {
    let w = World::start();
    let c = w.component();
    let a = w.authorized(&c.appid, AccountKind::MiniProgram);
    let mp = a.authorizer_appid.as_str();
    let code = w.sandbox.issue_phone_code(mp, "13800138000");
    let v = w.ok(&[
        "phone",
        "--appid",
        mp,
        "--code",
        &code,
        "--component",
        &c.appid,
    ]);
    assert_eq!(v["pure_phone_number"], "13800138000");

    let v = w.ok(&[
        "quota",
        "clear",
        "--appid",
        mp,
        "--component",
        &c.appid,
        "--by-secret",
        "--yes",
    ]);
    assert_eq!(v["cleared"], true);
    assert_eq!(w.sandbox.counter("cgi-bin/component/clear_quota/v2"), 1);
    let e = w.err(&["quota", "clear", "--appid", mp, "--by-secret", "--yes"]);
    assert_eq!(e["kind"], "invalid_input");
}
