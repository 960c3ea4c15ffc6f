//! Settings, mini programs, confirmations, tokens, a user's calls, platforms.

use serde_json::json;
use wxdesk_wechat::crypto::open_data::encrypt_open_data;

use crate::common::*;
use crate::harness::*;
use crate::Fx;

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>, f: &Fx) {
    let w = k.w;
    let Fx {
        a1, c1, auth, base, ..
    } = f;
    // Settings.
    k.same("settings_get", &["env", "show"], json!({}), &[]);
    k.same(
        "settings_set_environment",
        &["env", "set", "sandbox", "--base", base],
        json!({ "environment": { "kind": "sandbox", "base": base } }),
        &[],
    );

    // Mini programs: reads, then writes on twins.
    k.same("app_list", &["app", "list"], json!({}), &[]);
    k.same(
        "app_show",
        &["app", "show", a1],
        json!({ "appid": a1 }),
        &[],
    );
    k.same(
        "app_update",
        &["app", "update", a1, "--name", "Shop 2"],
        json!({ "appid": a1, "name": "Shop 2" }),
        &[],
    );
    let (x1, x2) = (random_appid(), random_appid());
    let sec = random_secret();
    let sec2 = format!("{}{}", &sec[..4], &random_secret()[4..]);
    let twin = [(x2.as_str(), x1.as_str())];
    k.same(
        "app_add",
        &[
            "app", "add", "--appid", &x1, "--secret", &sec, "--name", "Twin",
        ],
        json!({ "appid": x2, "secret": sec2, "name": "Twin" }),
        &twin,
    );
    k.same(
        "app_remove",
        &["app", "remove", &x1, "--yes"],
        json!({ "appid": x2, "confirmed": true }),
        &twin,
    );

    // Credentials tests: an app the desk has not saved, and a platform with its ticket.
    let (x3, sec3) = (random_appid(), random_secret());
    w.sandbox.add_app(&x3, &sec3);
    k.same(
        "app_test_credentials",
        &["app", "test", "--appid", &x3, "--secret", &sec3],
        json!({ "appid": x3, "secret": sec3 }),
        &[],
    );
    k.same(
        "component_test_credentials",
        &[
            "component",
            "test",
            "--appid",
            &c1.appid,
            "--secret",
            &c1.secret,
        ],
        json!({ "appid": c1.appid, "secret": c1.secret }),
        &[],
    );

    // Confirmations: decided and worded by the operations, once.
    k.same_refusal(
        "app_token",
        &["token", "--appid", a1, "--mode", "legacy"],
        json!({ "appid": a1, "mode": "legacy" }),
    );
    k.same_refusal(
        "app_token",
        &["token", "--appid", a1, "--force"],
        json!({ "appid": a1, "force": true }),
    );
    k.same_refusal(
        "component_token",
        &["component", "token", &c1.appid, "--force"],
        json!({ "component_appid": c1.appid, "force": true }),
    );
    k.same_refusal(
        "authorizer_token",
        &[
            "authorizer",
            "token",
            &auth.authorizer_appid,
            "--component",
            &c1.appid,
            "--force",
        ],
        json!({ "component_appid": c1.appid, "authorizer_appid": auth.authorizer_appid, "force": true }),
    );
    k.same_refusal("app_remove", &["app", "remove", a1], json!({ "appid": a1 }));
    k.same_refusal(
        "component_remove",
        &["component", "remove", &c1.appid],
        json!({ "appid": c1.appid }),
    );
    k.same_refusal(
        "quota_clear",
        &["quota", "clear", "--appid", a1],
        json!({ "appid": a1 }),
    );
    k.same_refusal(
        "authorizer_refresh",
        &authorizer_refresh(&c1.appid, &["--all", "--force"]),
        json!({ "component_appid": c1.appid, "all": true, "force": true }),
    );

    // Tokens (warmed first: both calls then read the same cached token).
    w.ok(&["token", "--appid", a1]);
    k.same(
        "app_token",
        &["token", "--appid", a1],
        json!({ "appid": a1 }),
        &[],
    );
    w.ok(&["component", "token", &c1.appid]);
    k.same(
        "component_token",
        &["component", "token", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    let merchant = auth.authorizer_appid.clone();
    w.ok(&["authorizer", "token", &merchant, "--component", &c1.appid]);
    k.same(
        "authorizer_token",
        &["authorizer", "token", &merchant, "--component", &c1.appid],
        json!({ "component_appid": c1.appid, "authorizer_appid": merchant }),
        &[],
    );

    // A user's calls: single-use codes, one each, for the same user.
    let js = w.sandbox.issue_js_code(a1, None);
    let js2 = w.sandbox.issue_js_code(a1, Some(&js.openid));
    let cli = w.ok(&["login", "--appid", a1, "--code", &js.code]);
    let http = k.http("login", json!({ "appid": a1, "code": js2.code }));
    let (m1, m2) = (masked(&js.session_key), masked(&js2.session_key));
    k.check("login", cli, http, &[(m2.as_str(), m1.as_str())]);
    k.same(
        "sessions",
        &["login", "sessions", "--appid", a1],
        json!({ "appid": a1 }),
        &[],
    );
    k.same(
        "checksession",
        &["checksession", "--appid", a1, "--openid", &js.openid],
        json!({ "appid": a1, "openid": js.openid }),
        &[],
    );
    let plain =
        json!({ "nickName": "Band", "watermark": { "appid": a1, "timestamp": 1_700_000_000 } })
            .to_string();
    let data = encrypt_open_data(&js2.session_key, IV, &plain).unwrap();
    k.same(
        "decrypt_data",
        &[
            "decrypt", "data", "--appid", a1, "--openid", &js.openid, "--iv", IV, "--data", &data,
        ],
        json!({ "appid": a1, "openid": js.openid, "iv": IV, "data": data }),
        &[],
    );
    let p1 = w.sandbox.issue_phone_code(a1, "13800138000");
    let p2 = w.sandbox.issue_phone_code(a1, "13800138000");
    let cli = w.ok(&["phone", "--appid", a1, "--code", &p1]);
    let http = k.http("phone", json!({ "appid": a1, "code": p2 }));
    k.check("phone", cli, http, &[]);

    // Platforms.
    k.same("component_list", &["component", "list"], json!({}), &[]);
    k.same(
        "component_show",
        &["component", "show", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    k.same(
        "component_update",
        &["component", "update", &c1.appid, "--name", "Platform 2"],
        json!({ "appid": c1.appid, "name": "Platform 2" }),
        &[],
    );
    let (y1, y2) = (random_appid(), random_appid());
    let (tok, aes) = (random_alnum(32), random_alnum(43));
    let twin_c = [(y2.as_str(), y1.as_str())];
    k.same(
        "component_add",
        &[
            "component",
            "add",
            "--appid",
            &y1,
            "--secret",
            &sec,
            "--token",
            &tok,
            "--aes-key",
            &aes,
            "--name",
            "Twin",
        ],
        json!({ "appid": y2, "secret": sec2, "token": tok, "aes_key": aes, "name": "Twin" }),
        &twin_c,
    );
    let ticket = random_alnum(40);
    k.same(
        "ticket_set",
        &["component", "ticket", "set", &y1, &ticket],
        json!({ "component_appid": y2, "ticket": ticket }),
        &twin_c,
    );
    k.same(
        "component_remove",
        &["component", "remove", &y1, "--yes"],
        json!({ "appid": y2, "confirmed": true }),
        &twin_c,
    );
    k.same(
        "ticket_status",
        &["component", "ticket", "status", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    k.same(
        "ticket_start_push",
        &["component", "ticket", "start-push", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
}
