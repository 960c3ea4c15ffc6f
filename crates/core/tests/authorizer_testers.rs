//! Every tester for an authorized mini program, through the op table against
//! the sandbox: login through the platform, phone number and session check
//! with the authorizer token, quota read and confirmed reset; the choice of
//! credential for an app that is also an authorizer; `clear_quota/v2` for
//! apps and platforms when no token can be had; and rid lookup of a failed call.

mod common;

use common::*;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::Error;
use wxdesk_sandbox::{Fault, FaultKind};

/// `name` with `args`, which must succeed.
async fn ok(rt: &Runtime, name: &str, args: Value) -> Value {
    dispatch(rt, name, args).await.unwrap()
}

/// `name` with `args`, which must fail.
async fn refused(rt: &Runtime, name: &str, args: Value) -> Error {
    dispatch(rt, name, args).await.unwrap_err()
}

/// A sandbox, a runtime on it, and a platform with one authorized mini
/// program (`mp`).
struct Fixture {
    w: World,
    rt: Runtime,
    comp: String,
    comp_secret: String,
    mp: String,
}

async fn one_authorizer() -> Fixture {
    let w = World::start().await;
    let rt = w.runtime().await;
    let desk = rt.desk();
    let Platform {
        appid: comp,
        secret: comp_secret,
        authorizers,
        ..
    } = seed_platform(&w, &desk, 1);
    let (mp, _) = authorizers[0].clone();
    Fixture {
        w,
        rt,
        comp,
        comp_secret,
        mp,
    }
}

/// The call log's rows for `endpoint`.
fn log_of(
    desk: &wxdesk_core::Desk,
    endpoint: &str,
) -> Vec<wxdesk_core::services::call_log::CallLogView> {
    desk.call_log(&wxdesk_core::store::call_log::CallLogQuery {
        endpoint: Some(endpoint.into()),
        ..Default::default()
    })
    .unwrap()
}

#[tokio::test]
async fn an_authorizer_without_secret_gets_every_tester() {
    let Fixture {
        w, rt, comp, mp, ..
    } = one_authorizer().await;

    // Login through the platform: sns/component/jscode2session.
    let js = w.sandbox.issue_js_code(&mp, None);
    let v = ok(&rt, "login", json!({"appid": mp, "code": js.code})).await;
    assert_eq!(v["openid"], js.openid.as_str());
    assert_eq!(v["via_component"], comp.as_str());
    assert_eq!(w.sandbox.counter("sns/component/jscode2session"), 1);
    assert_eq!(w.sandbox.counter("sns/jscode2session"), 0);

    // Phone number with the authorizer token.
    let code = w.sandbox.issue_phone_code(&mp, "13800138000");
    let v = ok(&rt, "phone", json!({"appid": mp, "code": code})).await;
    assert_eq!(v["pure_phone_number"], "13800138000");
    assert_eq!(v["watermark_ok"], true);
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        1
    );
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 0);

    // Check session, naming the platform explicitly.
    let v = ok(
        &rt,
        "checksession",
        json!({"appid": mp, "openid": js.openid, "component_appid": comp}),
    )
    .await;
    assert_eq!(v["valid"], true);

    // Quota: read, then clear only when confirmed.
    let path = "/wxa/business/getuserphonenumber";
    let v = ok(&rt, "quota_get", json!({"appid": mp, "cgi_path": path})).await;
    assert_eq!(v["used"], 1);
    let err = refused(&rt, "quota_clear", json!({"appid": mp})).await;
    assert_eq!(err.code(), "needs_confirmation");
    assert_eq!(w.sandbox.counter("cgi-bin/clear_quota"), 0);
    let v = ok(&rt, "quota_clear", json!({"appid": mp, "confirmed": true})).await;
    assert_eq!(v["cleared"], true);
    assert_eq!(w.sandbox.counter("cgi-bin/clear_quota"), 1);
    let v = ok(
        &rt,
        "quota_get",
        json!({"appid": mp, "cgi_path": path, "component_appid": comp}),
    )
    .await;
    assert_eq!(v["used"], 0);
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 0);
}

#[tokio::test]
async fn an_app_that_is_also_an_authorizer_chooses_its_credential() {
    let Fixture {
        w, rt, comp, mp, ..
    } = one_authorizer().await;
    // Saved with an AppSecret WeChat does not accept: its own token fails (40125).
    store_app(&rt.desk(), &mp, &random_secret());

    let code = w.sandbox.issue_phone_code(&mp, "13800138000");
    let err = refused(&rt, "phone", json!({"appid": mp, "code": code})).await;
    assert_eq!(err.errcode(), Some(40125), "{err}");

    // Through the platform it works, with the same (unused) code.
    let v = ok(
        &rt,
        "phone",
        json!({"appid": mp, "code": code, "component_appid": comp}),
    )
    .await;
    assert_eq!(v["pure_phone_number"], "13800138000");

    // A platform it never authorized is refused before anything is sent.
    let (other, _) = seed_component(&w, &rt.desk());
    let before = w.sandbox.counter("wxa/business/getuserphonenumber");
    let err = refused(
        &rt,
        "phone",
        json!({"appid": mp, "code": "abc", "component_appid": other}),
    )
    .await;
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("component_appid"), "{err}");
    assert_eq!(w.sandbox.counter("wxa/business/getuserphonenumber"), before);
}

#[tokio::test]
async fn clear_quota_v2_when_no_token_can_be_had() {
    let Fixture {
        w,
        rt,
        comp,
        comp_secret,
        mp,
    } = one_authorizer().await;
    w.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_component_token",
        FaultKind::Errcode {
            errcode: 45009,
            errmsg: "reach max api daily quota limit".into(),
        },
    ));

    // The platform token itself answers 45009: reading or clearing with it fails.
    let err = refused(
        &rt,
        "quota_get",
        json!({"appid": comp, "cgi_path": "/cgi-bin/component/api_component_token"}),
    )
    .await;
    assert_eq!(err.errcode(), Some(45009));
    let err = refused(
        &rt,
        "quota_clear",
        json!({"appid": comp, "confirmed": true}),
    )
    .await;
    assert_eq!(err.errcode(), Some(45009));

    // component/clear_quota/v2 needs no token: confirmed first, then it works.
    let v2 = "cgi-bin/component/clear_quota/v2";
    let err = refused(
        &rt,
        "quota_clear",
        json!({"appid": comp, "by_secret": true}),
    )
    .await;
    assert_eq!(err.code(), "needs_confirmation");
    assert_eq!(w.sandbox.counter(v2), 0);
    let v = ok(
        &rt,
        "quota_clear",
        json!({"appid": comp, "by_secret": true, "confirmed": true}),
    )
    .await;
    assert_eq!(v["cleared"], true);
    assert_eq!(w.sandbox.counter(v2), 1);

    // An authorizer's quota, with the platform's AppSecret.
    ok(
        &rt,
        "quota_clear",
        json!({"appid": mp, "component_appid": comp, "by_secret": true, "confirmed": true}),
    )
    .await;
    assert_eq!(w.sandbox.counter(v2), 2);

    // The AppSecret never reaches the call log in clear.
    let log = log_of(&rt.desk(), v2);
    assert_eq!(log.len(), 2);
    for row in &log {
        assert!(!row.request.to_string().contains(&comp_secret), "{row:?}");
    }

    // An app: clear_quota/v2 with its AppSecret resets its counters.
    w.sandbox.clear_faults();
    let (app, _) = seed_app(&w, &rt.desk());
    let q = json!({"appid": app, "cgi_path": "/cgi-bin/stable_token"});
    assert_eq!(ok(&rt, "quota_get", q.clone()).await["used"], 1);
    ok(
        &rt,
        "quota_clear",
        json!({"appid": app, "by_secret": true, "confirmed": true}),
    )
    .await;
    assert_eq!(w.sandbox.counter("cgi-bin/clear_quota/v2"), 1);
    assert_eq!(ok(&rt, "quota_get", q).await["used"], 0);

    // An authorizer without AppSecret cannot use clear_quota/v2 by itself.
    let err = refused(
        &rt,
        "quota_clear",
        json!({"appid": mp, "by_secret": true, "confirmed": true}),
    )
    .await;
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("by_secret"), "{err}");
}

#[tokio::test]
async fn rid_lookup_shows_what_wechat_saw_of_a_failed_call() {
    let Fixture {
        w, rt, comp, mp, ..
    } = one_authorizer().await;

    let err = refused(
        &rt,
        "phone",
        json!({"appid": mp, "code": "bogus-code-0001"}),
    )
    .await;
    assert_eq!(err.errcode(), Some(40029));
    let rid = err.body().rid.expect("the error body carries the rid");

    // The call log row of the failure carries the same rid.
    let log = log_of(&rt.desk(), "wxa/business/getuserphonenumber");
    assert_eq!(log[0].rid.as_deref(), Some(rid.as_str()));

    let v = ok(&rt, "rid_lookup", json!({"rid": rid, "appid": mp})).await;
    assert_eq!(v["rid"], rid.as_str());
    let url = v["request_url"].as_str().unwrap();
    assert!(url.contains("/wxa/business/getuserphonenumber"), "{url}");
    assert!(url.contains("access_token="), "{url}");
    let body = v["request_body"].as_str().unwrap();
    assert!(
        !body.contains("bogus-code-0001"),
        "the code is masked: {body}"
    );
    assert!(v["response_body"].as_str().unwrap().contains("40029"));
    assert!((v["invoke_time"].as_i64().unwrap() - w.sandbox.now()).abs() <= 5);
    // The token in the URL is masked: no stored token appears in the answer.
    let tok = rt.desk().authorizer_token(&comp, &mp, false).await.unwrap();
    assert!(!v.to_string().contains(tok.token.as_str()), "{v}");

    // Another account's token may not read it; an unknown rid is not found.
    let (app, _) = seed_app(&w, &rt.desk());
    let err = refused(&rt, "rid_lookup", json!({"rid": rid, "appid": app})).await;
    assert_eq!(err.errcode(), Some(76003), "{err}");
    let err = refused(
        &rt,
        "rid_lookup",
        json!({"rid": "00000000-00000000-00000000", "appid": mp}),
    )
    .await;
    assert_eq!(err.errcode(), Some(76001), "{err}");
    let err = refused(&rt, "rid_lookup", json!({"rid": "not a rid", "appid": mp})).await;
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("rid"), "{err}");
}
