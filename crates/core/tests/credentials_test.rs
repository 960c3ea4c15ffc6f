//! "Test these credentials": one stable_token call (never forced) for a mini
//! program, one api_component_token call for a platform with a ticket, a
//! clear "needs a ticket" otherwise; rejections carry the catalogue's fix,
//! and nothing is ever stored or shown.

mod common;

use common::*;
use wxdesk_core::ops::{self, args::CredentialsTestArgs};
use wxdesk_core::services::credentials_test::CredentialsOutcome;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::Desk;

fn stored_tokens(desk: &Desk) -> i64 {
    desk.store()
        .read(|c| Ok(c.query_row("SELECT COUNT(*) FROM tokens", [], |r| r.get(0))?))
        .unwrap()
}

#[tokio::test]
async fn an_app_is_tested_with_one_unforced_stable_token_and_nothing_is_stored() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, secret) = (random_appid(), random_secret());
    w.sandbox.add_app(&appid, &secret);
    // The token a production server is using.
    let before = desk
        .client()
        .stable_access_token(&appid, &secret, false)
        .await
        .unwrap();

    let v = desk
        .app_test_credentials(&format!(" {appid} "), &secret)
        .await
        .unwrap();
    assert_eq!(v.outcome, CredentialsOutcome::Ok);
    assert_eq!(v.endpoint.as_deref(), Some("cgi-bin/stable_token"));
    assert!(v.expires_in.unwrap_or(0) > 0);
    let json = serde_json::to_string(&v).unwrap();
    assert!(
        !json.contains(&before.access_token),
        "the token is never shown: {json}"
    );
    assert!(!json.contains(&secret));

    // The production token is unchanged, and nothing was saved.
    let after = desk
        .client()
        .stable_access_token(&appid, &secret, false)
        .await
        .unwrap();
    assert_eq!(after.access_token, before.access_token);
    assert!(desk.app_list().unwrap().is_empty());
    assert_eq!(stored_tokens(&desk), 0);
    let calls = desk
        .call_log(&CallLogQuery {
            endpoint: Some("cgi-bin/stable_token".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(calls.len(), 3);
    assert!(calls
        .iter()
        .all(|c| c.request["body"]["force_refresh"] == false));

    // A wrong secret: 40125, with the catalogue's fix; still nothing stored.
    let wrong = random_secret();
    let err = desk.app_test_credentials(&appid, &wrong).await.unwrap_err();
    assert_eq!(err.errcode(), Some(40125), "{err}");
    let body = err.body();
    assert!(
        body.hint
            .as_deref()
            .is_some_and(|h| h.contains("AppSecret")),
        "{body:?}"
    );
    assert!(body.hint_zh.is_some());
    assert!(!format!("{body:?}{err}").contains(&wrong));
    assert!(desk.app_list().unwrap().is_empty());
    assert_eq!(stored_tokens(&desk), 0);

    // Bad input names the field, before any call.
    let err = desk
        .app_test_credentials("wx12", &secret)
        .await
        .unwrap_err();
    assert_eq!(err.code().to_string(), "invalid_input");
    assert!(err.to_string().starts_with("appid"), "{err}");
}

#[tokio::test]
async fn a_platform_needs_a_ticket_and_is_then_tested_with_api_component_token() {
    let w = World::start().await;
    let rt = w.runtime().await;
    let desk = w.desk();
    let (appid, secret) = (random_appid(), random_secret());
    sandbox_component(&w.sandbox, &appid, &secret);
    let args = |secret: &str| {
        serde_json::to_value(CredentialsTestArgs {
            appid: appid.clone(),
            secret: secret.to_string(),
        })
        .unwrap()
    };

    // Not saved yet, so no ticket: said so, and nothing is called.
    let v = ops::dispatch(&rt, "component_test_credentials", args(&secret))
        .await
        .unwrap();
    assert_eq!(v["outcome"], "needs_ticket");
    assert!(v["message"].as_str().unwrap().contains("ticket"));
    assert!(desk.call_log(&CallLogQuery::default()).unwrap().is_empty());

    // With a current ticket: one api_component_token call.
    store_component(&desk, &appid, &secret);
    deliver_ticket(&w, &desk, &appid);
    let v = desk
        .component_test_credentials(&appid, &secret)
        .await
        .unwrap();
    assert_eq!(v.outcome, CredentialsOutcome::Ok);
    assert_eq!(
        v.endpoint.as_deref(),
        Some("cgi-bin/component/api_component_token")
    );
    let err = desk
        .component_test_credentials(&appid, &random_secret())
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(40125), "{err}");
    assert_eq!(stored_tokens(&desk), 0, "no token is cached");
    let calls = desk.call_log(&CallLogQuery::default()).unwrap();
    assert_eq!(calls.len(), 2);
    assert!(calls
        .iter()
        .all(|c| c.endpoint == "cgi-bin/component/api_component_token"));

    // Once the platform is in use (the desk holds its token, as production
    // would), the test mints nothing: a new token could replace production's.
    desk.component_token(&appid, false).await.unwrap();
    let before = desk.call_log(&CallLogQuery::default()).unwrap().len();
    let v = desk
        .component_test_credentials(&appid, &secret)
        .await
        .unwrap();
    assert_eq!(v.outcome, CredentialsOutcome::InUse);
    assert!(v.endpoint.is_none());
    assert_eq!(
        desk.call_log(&CallLogQuery::default()).unwrap().len(),
        before,
        "no call once the platform is in use"
    );
}
