//! Mini program calls: login (direct and by a platform), tokens, phone
//! numbers, check-session and quota.

use std::time::Duration;

use wxdesk_sandbox::AccountKind;
use wxdesk_wechat::api::login::{CodeToSessionRequest, ComponentCodeToSessionRequest};
use wxdesk_wechat::Error;

use crate::common::*;

#[tokio::test]
async fn jscode2session_success_bad_reused_and_wrong_secret() {
    let sb = sandbox().await;
    let c = client(&sb);
    let code = sb.issue_js_code(APP, None);
    let req = CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &code.code,
    };
    let s = c.code_to_session(&req).await.unwrap();
    assert_eq!(s.openid, code.openid);
    assert_eq!(s.session_key, code.session_key);
    assert_eq!(errcode(c.code_to_session(&req).await), 40163, "reused code");
    let bad = CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: "nonexistent",
    };
    assert_eq!(errcode(c.code_to_session(&bad).await), 40029);
    let fresh = sb.issue_js_code(APP, None);
    let wrong = CodeToSessionRequest {
        appid: APP,
        secret: "ffffffffffffffffffffffffffffffff",
        js_code: &fresh.code,
    };
    assert_eq!(errcode(c.code_to_session(&wrong).await), 40125);
    // Expired after 5 minutes.
    let late = sb.issue_js_code(APP, None);
    sb.advance_clock(Duration::from_secs(301));
    assert_eq!(
        errcode(
            c.code_to_session(&CodeToSessionRequest {
                appid: APP,
                secret: APP_SECRET,
                js_code: &late.code
            })
            .await
        ),
        40029
    );
    // Input is validated before anything is sent.
    let before = sb.counter("sns/jscode2session");
    match c
        .code_to_session(&CodeToSessionRequest {
            appid: "wx123",
            secret: APP_SECRET,
            js_code: "x",
        })
        .await
    {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "appid"),
        other => panic!("{:?}", other.err()),
    }
    assert_eq!(sb.counter("sns/jscode2session"), before);
}

#[tokio::test]
async fn component_jscode2session_requires_authorization() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = component_token(&c, &sb).await;
    let auth = authorize_new(&sb, AccountKind::MiniProgram);
    let code = sb.issue_js_code(&auth.authorizer_appid, None);
    let s = c
        .component_code_to_session(&ComponentCodeToSessionRequest {
            appid: &auth.authorizer_appid,
            js_code: &code.code,
            component_appid: COMP,
            component_access_token: &cat,
        })
        .await
        .unwrap();
    assert_eq!(s.openid, code.openid);
    // The plain app has not authorized the platform: 61003.
    let other = sb.issue_js_code(APP, None);
    let r = c
        .component_code_to_session(&ComponentCodeToSessionRequest {
            appid: APP,
            js_code: &other.code,
            component_appid: COMP,
            component_access_token: &cat,
        })
        .await;
    assert_eq!(errcode(r), 61003);
}

#[tokio::test]
async fn legacy_token_rotates_and_stable_token_does_not() {
    let sb = sandbox().await;
    let c = client(&sb);
    let a = c.legacy_access_token(APP, APP_SECRET).await.unwrap();
    let b = c.legacy_access_token(APP, APP_SECRET).await.unwrap();
    assert_ne!(a.access_token, b.access_token);
    assert!(a.expires_in > 7000);
    let s1 = c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    let s2 = c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert_eq!(
        s1.access_token, s2.access_token,
        "normal mode leaves the token alone"
    );
    let f = c.stable_access_token(APP, APP_SECRET, true).await.unwrap();
    assert_ne!(f.access_token, s1.access_token, "force rotates");
    // The force-retired token is refused with 40001.
    let code = sb.issue_phone_code(APP, "13800138000");
    assert_eq!(
        errcode(c.phone_number(APP, &s1.access_token, &code).await),
        40001
    );
    assert_eq!(
        errcode(
            c.stable_access_token(APP, "ffffffffffffffffffffffffffffffff", false)
                .await
        ),
        40125
    );
    assert_eq!(
        errcode(
            c.legacy_access_token("wx9999999999999999", APP_SECRET)
                .await
        ),
        40013
    );
}

#[tokio::test]
async fn phone_number_accepts_string_country_code_and_codes_are_single_use() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = app_token(&c).await;
    let code = sb.issue_phone_code(APP, "13800138000");
    let p = c.phone_number(APP, &tok, &code).await.unwrap();
    assert_eq!(p.pure_phone_number, "13800138000");
    assert_eq!(p.country_code, "86");
    assert_eq!(p.watermark.appid, APP);
    assert_eq!(errcode(c.phone_number(APP, &tok, &code).await), 40163);
    assert_eq!(errcode(c.phone_number(APP, &tok, "bogus").await), 40029);
    // Expired token: 42001.
    sb.advance_clock(Duration::from_secs(7300));
    let code = sb.issue_phone_code(APP, "13800138000");
    assert_eq!(errcode(c.phone_number(APP, &tok, &code).await), 42001);
}

#[tokio::test]
async fn checksession_valid_then_rotated() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = app_token(&c).await;
    let first = sb.issue_js_code(APP, Some("openid-one"));
    c.code_to_session(&CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &first.code,
    })
    .await
    .unwrap();
    c.check_session(APP, &tok, "openid-one", &first.session_key)
        .await
        .unwrap();
    let second = sb.issue_js_code(APP, Some("openid-one"));
    c.code_to_session(&CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &second.code,
    })
    .await
    .unwrap();
    assert_eq!(
        errcode(
            c.check_session(APP, &tok, "openid-one", &first.session_key)
                .await
        ),
        87009
    );
    c.check_session(APP, &tok, "openid-one", &second.session_key)
        .await
        .unwrap();
}

#[tokio::test]
async fn quota_get_and_clear() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = app_token(&c).await;
    let q = c
        .api_quota(APP, &tok, "/cgi-bin/stable_token")
        .await
        .unwrap();
    assert!(
        q.daily_limit > 0 && q.used >= 1 && q.remain == q.daily_limit - q.used,
        "{q:?}"
    );
    c.clear_quota(APP, &tok).await.unwrap();
    let q2 = c
        .api_quota(APP, &tok, "/cgi-bin/stable_token")
        .await
        .unwrap();
    assert!(q2.used < q.used + 1);
    assert!(matches!(
        c.api_quota(APP, &tok, "cgi-bin/token").await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        errcode(c.api_quota(APP, &tok, "/cgi-bin/no/such/api").await),
        76021
    );
    for _ in 0..9 {
        c.clear_quota(APP, &tok).await.unwrap();
    }
    assert_eq!(
        errcode(c.clear_quota(APP, &tok).await),
        48006,
        "10 resets a month"
    );
}
