//! `login`, `phone`, `checksession` and `decrypt data` with stored sessions,
//! directly and through a platform.

mod common;

use common::*;
use wxdesk_sandbox::AccountKind;
use wxdesk_wechat::crypto::open_data::encrypt_open_data;

const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

#[test]
fn login_stores_the_session_and_masks_the_key() {
    let w = World::start();
    let (appid, _) = w.app();
    let js = w.sandbox.issue_js_code(&appid, None);
    let v = w.ok(&["login", "--appid", &appid, "--code", &js.code]);
    assert_eq!(v["openid"], js.openid.as_str());
    assert_eq!(v["session_key"], masked(&js.session_key));
    assert_eq!(v["revealed"], false);
    assert!(v["via_component"].is_null());
    // A js_code is single use.
    let e = w.err(&["login", "--appid", &appid, "--code", &js.code]);
    assert_eq!(e["kind"], "api");
    assert!(e["errcode"].is_i64() && e["hint"].is_string(), "{e}");

    let js2 = w.sandbox.issue_js_code(&appid, Some(&js.openid));
    let v = w.ok(&["login", "--appid", &appid, "--code", &js2.code, "--reveal"]);
    assert_eq!(v["session_key"], js2.session_key.as_str());
    let sessions = w.ok(&["login", "sessions", "--appid", &appid]);
    let list = sessions.as_array().unwrap();
    assert_eq!(list.len(), 1, "one row per user");
    assert_eq!(list[0]["session_key_masked"], masked(&js2.session_key));
    let text = w.text(&["login", "sessions"]);
    assert!(
        text.contains(&js.openid) && !text.contains(&js2.session_key),
        "{text}"
    );
    assert_eq!(w.ok(&["app", "show", &appid])["sessions"], 1);

    let r = w.run(&["login", "--appid", &appid, "--json"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.json()["error"]["kind"], "missing_argument");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--code"));
    let e = w.err(&["login", "--appid", &random_appid(), "--code", "x"]);
    assert_eq!(e["kind"], "invalid_input");
}

#[test]
fn component_login_and_phone_for_an_authorizer() {
    let w = World::start();
    let c = w.component();
    let a = w.authorized(&c.appid, AccountKind::MiniProgram);
    let js = w.sandbox.issue_js_code(&a.authorizer_appid, None);
    let v = w.ok(&["login", "--appid", &a.authorizer_appid, "--code", &js.code]);
    assert_eq!(v["via_component"], c.appid.as_str());
    assert_eq!(v["openid"], js.openid.as_str());
    assert!(
        v["unionid"].is_string(),
        "authorizer users have a unionid: {v}"
    );
    let js = w.sandbox.issue_js_code(&a.authorizer_appid, None);
    let v = w.ok(&[
        "login",
        "--appid",
        &a.authorizer_appid,
        "--code",
        &js.code,
        "--component",
        &c.appid,
    ]);
    assert_eq!(v["via_component"], c.appid.as_str());

    let code = w
        .sandbox
        .issue_phone_code(&a.authorizer_appid, "13800138000");
    let v = w.ok(&["phone", "--appid", &a.authorizer_appid, "--code", &code]);
    assert_eq!(v["phone_number"], "13800138000");
    assert_eq!(v["watermark_ok"], true);
}

#[test]
fn phone_checksession_and_decrypt_with_the_stored_key() {
    let w = World::start();
    let (appid, _) = w.app();
    let code = w.sandbox.issue_phone_code(&appid, "+1 2025550123");
    let v = w.ok(&["phone", "--appid", &appid, "--code", &code]);
    assert_eq!(v["country_code"], "1");
    assert_eq!(v["pure_phone_number"], "2025550123");
    let text = w.text(&[
        "phone",
        "--appid",
        &appid,
        "--code",
        &w.sandbox.issue_phone_code(&appid, "13800138000"),
    ]);
    assert!(text.contains("13800138000"), "{text}");
    assert_eq!(
        w.err(&["phone", "--appid", &appid, "--code", &code])["kind"],
        "api"
    );
    assert_eq!(
        w.err(&["phone", "--appid", &appid, "--code", " "])["kind"],
        "invalid_input"
    );

    let js = w.sandbox.issue_js_code(&appid, None);
    w.ok(&["login", "--appid", &appid, "--code", &js.code]);
    let v = w.ok(&["checksession", "--appid", &appid, "--openid", &js.openid]);
    assert_eq!(v["valid"], true);
    assert_eq!(
        w.err(&["checksession", "--appid", &appid, "--openid", "o-unknown"])["kind"],
        "not_found"
    );

    // Decrypt with the stored key; the watermark is checked.
    let plain = format!(
        r#"{{"nickName":"Band","watermark":{{"appid":"{appid}","timestamp":1714521600}}}}"#
    );
    let data = encrypt_open_data(&js.session_key, IV, &plain).unwrap();
    let v = w.ok(&[
        "decrypt", "data", "--appid", &appid, "--openid", &js.openid, "--iv", IV, "--data", &data,
    ]);
    assert_eq!(v["json"]["nickName"], "Band");
    assert_eq!(v["watermark_ok"], true);
    // The stateless form gives the same data without touching a database.
    let r = decrypt_data_raw(
        &w,
        [&js.session_key, IV, &data],
        &["--appid", &appid, "--json", "--db", "/proc/none/w.db"],
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["json"]["nickName"], "Band");
    // Data made for another app: decrypted, with a warning.
    let other = plain.replace(&appid, "wx0000000000000000");
    let data2 = encrypt_open_data(&js.session_key, IV, &other).unwrap();
    let r = w.run(&[
        "decrypt", "data", "--appid", &appid, "--openid", &js.openid, "--iv", IV, "--data", &data2,
        "--json",
    ]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["watermark_ok"], false);
    assert!(r.stderr.contains("warning:"), "{}", r.stderr);
    assert_eq!(
        w.err(&[
            "decrypt",
            "data",
            "--appid",
            &appid,
            "--openid",
            "o-unknown",
            "--iv",
            IV,
            "--data",
            &data
        ])["kind"],
        "not_found"
    );
    let r = w.run(&[
        "decrypt", "data", "--openid", &js.openid, "--iv", IV, "--data", &data, "--json",
    ]);
    assert_eq!(r.code, Some(2), "--openid needs --appid");

    // A newer wx.login replaces the key: the stored one is no longer current.
    w.sandbox.issue_js_code(&appid, Some(&js.openid));
    let v = w.ok(&["checksession", "--appid", &appid, "--openid", &js.openid]);
    assert_eq!(v["valid"], false);
    assert!(w
        .text(&["checksession", "--appid", &appid, "--openid", &js.openid])
        .contains("NO LONGER"));
}
