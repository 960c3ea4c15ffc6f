//! With `--json` a failure prints `{"error": ErrorBody}`: the same `code`,
//! `message`, `hint`, `hint_zh` and `errcode` the UI receives, plus `kind`,
//! the deprecated alias of `code`. The hints come from the core, so the CLI
//! and the UI say the same thing.

mod common;

use common::*;
use wxdesk_wechat::crypto::open_data::encrypt_open_data;

const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

#[test]
fn bad_input_has_code_and_kind_alias_and_no_empty_fields() {
    let w = World::start();
    let e = w.err(&["app", "show", "not-an-appid"]);
    assert_eq!(e["code"], "invalid_input", "{e}");
    assert_eq!(e["kind"], "invalid_input", "{e}");
    // Absent, not null: the body is the core's ErrorBody.
    assert!(e.get("errcode").is_none(), "{e}");
    assert!(e.get("hint_zh").is_none(), "{e}");
}

#[test]
fn wechat_errors_carry_errcode_and_both_hints() {
    let w = World::start();
    let (appid, _) = w.app();
    let js = w.sandbox.issue_js_code(&appid, None);
    w.ok(&["login", "--appid", &appid, "--code", &js.code]);
    // A js_code is single use: WeChat answers with an errcode.
    let e = w.err(&["login", "--appid", &appid, "--code", &js.code]);
    assert_eq!(e["code"], "api", "{e}");
    assert_eq!(e["kind"], "api", "{e}");
    assert!(e["errcode"].is_i64(), "{e}");
    let hint = e["hint"].as_str().expect("hint");
    let hint_zh = e["hint_zh"].as_str().expect("hint_zh");
    assert!(!hint.is_empty() && hint != hint_zh, "{e}");
    assert!(
        hint_zh
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "hint_zh is Chinese: {hint_zh}"
    );
}

#[test]
fn crypto_failures_get_the_cores_hint() {
    let w = World::start();
    let (appid, _) = w.app();
    let js = w.sandbox.issue_js_code(&appid, None);
    let plain =
        r#"{"nickName":"Band","watermark":{"appid":"wx0000000000000000","timestamp":1714521600}}"#;
    let data = encrypt_open_data(&js.session_key, IV, plain).unwrap();
    let r = decrypt_data_raw(
        &w,
        [&js.session_key, IV, &data],
        &["--appid", &appid, "--json"],
        &["decrypt", "data", "--json"],
    );
    assert_error_shape(&r);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "watermark_mismatch", "{e}");
    assert_eq!(e["kind"], "watermark_mismatch", "{e}");
    assert!(
        e["hint"]
            .as_str()
            .is_some_and(|h| h.contains("another mini program")),
        "{e}"
    );
    // A wrong session_key: decryption fails (bad padding, or by chance
    // garbage that is not JSON), and the hint is about the key.
    let key = "AAAAAAAAAAAAAAAAAAAAAA==";
    let r = decrypt_data_raw(
        &w,
        [key, IV, &data],
        &["--json"],
        &["decrypt", "data", "--json"],
    );
    assert_error_shape(&r);
    let e = &r.json()["error"];
    assert_eq!(e["code"], "decrypt_failed", "{e}");
    assert!(e["hint"].as_str().is_some_and(|h| h.contains("key")), "{e}");
}

#[test]
fn usage_errors_keep_exit_code_two_and_the_shape() {
    let w = World::start();
    let r = w.run(&["login", "--appid", &random_appid(), "--json"]);
    assert_eq!(r.code, Some(2));
    assert_error_shape(&r);
    assert_eq!(r.json()["error"]["code"], "missing_argument");
}
