//! Quota reading and confirmed resets, with the token of whichever account
//! owns the quota (app, authorizer or platform).

mod common;

use common::*;
use wxdesk_core::Error;

const CLEAR: &str = "cgi-bin/clear_quota";
const QUOTA: &str = "cgi-bin/openapi/quota/get";

#[tokio::test]
async fn reads_quota_with_the_owning_accounts_token() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, component, authorizer) = app_and_authorizer(&w, &desk);

    // The app's own token: the stable_token fetch itself is counted.
    let q = desk.quota_get(&app, "/cgi-bin/stable_token").await.unwrap();
    assert_eq!(q.appid, app);
    assert_eq!(q.cgi_path, "/cgi-bin/stable_token");
    assert_eq!(q.daily_limit, 500_000);
    assert_eq!(q.used, 1);
    assert_eq!(q.remain, 499_999);
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 1);

    // An authorizer (not a saved app): its authorizer token.
    let q = desk
        .quota_get(&authorizer, "/cgi-bin/component/api_authorizer_token")
        .await;
    // It is an account token, not the platform's: a platform API path is refused (76022).
    assert_eq!(q.unwrap_err().errcode(), Some(76022));
    let q = desk
        .quota_get(&authorizer, "/wxa/checksession")
        .await
        .unwrap();
    assert_eq!(q.used, 0);
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        1
    );
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 1);

    // A platform: its component token, for its own APIs.
    let q = desk
        .quota_get(&component, "/cgi-bin/component/api_component_token")
        .await
        .unwrap();
    assert_eq!(q.used, 1);

    // Bad input is refused before anything is sent.
    let before = w.sandbox.counter(QUOTA);
    let err = desk.quota_get(&app, "cgi-bin/token").await.unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("cgi_path"), "{err}");
    let err = desk
        .quota_get(&app, "/sns/jscode2session")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = desk
        .quota_get("wxnothex", "/cgi-bin/token")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = desk
        .quota_get(&random_appid(), "/cgi-bin/token")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(w.sandbox.counter(QUOTA), before);
}

#[tokio::test]
async fn clear_quota_needs_confirmation_and_sends_nothing_without_it() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, _) = seed_app(&w, &desk);

    let err = desk.quota_clear(&app, false).await.unwrap_err();
    match &err {
        Error::NeedsConfirmation { action, risk } => {
            assert!(action.contains(&app));
            assert_eq!(risk, "clear_quota uses one of the 10 resets per month");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.code(), "needs_confirmation");
    assert!(
        w.sandbox.counters().values().all(|n| *n == 0),
        "nothing may be sent: {:?}",
        w.sandbox.counters()
    );
    assert!(desk.cached_tokens().unwrap().is_empty());

    // Confirmed: one reset, and the counters start again.
    desk.quota_get(&app, "/cgi-bin/stable_token").await.unwrap();
    let done = desk.quota_clear(&app, true).await.unwrap();
    assert!(done.cleared);
    assert_eq!(done.appid, app);
    assert_eq!(w.sandbox.counter(CLEAR), 1);
    let q = desk.quota_get(&app, "/cgi-bin/stable_token").await.unwrap();
    assert_eq!(q.used, 0);

    // The monthly budget is WeChat's to enforce; its answer comes back with the catalogue hint.
    for _ in 1..10 {
        desk.quota_clear(&app, true).await.unwrap();
    }
    let err = desk.quota_clear(&app, true).await.unwrap_err();
    assert_eq!(err.errcode(), Some(48006));
    assert!(err.hint().is_some());
    // The boundary body carries the same fix in Chinese for the zh-CN UI.
    let body = err.body();
    assert_eq!(body.hint, err.hint());
    let zh = body.hint_zh.clone().unwrap();
    assert!(zh.contains("10") && zh.contains("clear_quota"), "{zh}");
    assert!(
        zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{zh}"
    );
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["hint_zh"].as_str(), Some(zh.as_str()));
    assert_eq!(w.sandbox.counter(CLEAR), 11);
}

#[tokio::test]
async fn clear_quota_for_an_authorizer_uses_its_token() {
    let w = World::start().await;
    let desk = w.desk();
    let Platform { authorizers, .. } = seed_platform(&w, &desk, 1);
    let (authorizer, _) = authorizers[0].clone();
    desk.quota_clear(&authorizer, true).await.unwrap();
    assert_eq!(w.sandbox.counter(CLEAR), 1);
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        1
    );
    assert_eq!(w.sandbox.counter("cgi-bin/stable_token"), 0);
}
