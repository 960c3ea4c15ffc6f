//! Authorizers: a real consent flow, links, input errors, listing and
//! showing. The list sync and bulk refresh are in `authorizer_sync.rs`;
//! fetching profiles in `authorizer_info.rs`.

mod push_support;

use push_support::*;
use wxdesk_core::services::authorizers::{AuthorizeInput, AuthorizerQuery};
use wxdesk_core::services::links::AuthLinkOptions;
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::Error;
use wxdesk_wechat::links::AuthLinkKind;

#[tokio::test]
async fn consent_flow_from_link_to_stored_authorizer() {
    let env = start_with_component().await;
    let link = default_link(&env).await;
    assert!(
        link.url.contains("/cgi-bin/componentloginpage?"),
        "{}",
        link.url
    );
    let merchant = "wx1111222233334444";
    let location = consent(
        &link.url,
        &[("authorizer_appid", merchant), ("kind", "mini_program")],
    )
    .await;
    assert!(location.starts_with(REDIRECT), "{location}");
    assert!(location.contains("auth_code="));

    let view = env
        .desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location.clone()))
        .await
        .unwrap();
    assert_eq!(view.appid, merchant);
    assert_eq!(view.status, AuthorizerStatus::Active);
    assert_eq!(view.account_type, "mini_program");
    assert!(view.info.is_some());
    // The stored refresh token is the live one.
    let grant = env
        .desk
        .authorizer_token(COMP, merchant, true)
        .await
        .unwrap();
    assert!(!grant.token.is_empty());

    // The code is single-use: pasting the same address again fails.
    let err = env
        .desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61009), "{err}");

    // H5 link, re-authorizing the same account: the refresh token rotates and is saved.
    let old = env.stored_refresh_token(COMP, merchant);
    let h5 = AuthLinkOptions {
        kind: AuthLinkKind::H5,
        auth_type: Some(2),
        biz_appid: Some(merchant.into()),
        ..AuthLinkOptions::default()
    };
    let link = link_with(&env, &h5).await;
    assert!(
        link.url.contains("/wxaopen/safe/bindcomponent?") && link.url.ends_with("#wechat_redirect")
    );
    let location = consent(&link.url, &[("authorizer_appid", merchant)]).await;
    let code = wxdesk_wechat::links::parse_callback(&location)
        .unwrap()
        .auth_code
        .unwrap();
    let view = env
        .desk
        .authorize(COMP, AuthorizeInput::AuthCode(code))
        .await
        .unwrap();
    assert_eq!(view.appid, merchant);
    let new = env.stored_refresh_token(COMP, merchant);
    assert_ne!(old, new, "re-authorization rotates the refresh token");
    env.desk
        .authorizer_token(COMP, merchant, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_link_gets_a_fresh_pre_auth_code() {
    let env = start_with_component().await;
    let a = default_link(&env).await;
    let b = default_link(&env).await;
    let code = |url: &str| {
        url.split("pre_auth_code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(code(&a.url), code(&b.url));
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        2
    );
    assert_eq!(a.expires_in, Some(600));
    assert!(a.expires_at.unwrap() >= env.desk.now() + 590);
    let masked = a.pre_auth_code_masked.clone().unwrap();
    assert!(masked.ends_with('…') && !masked.contains(&code(&a.url)));
    assert_eq!(a.redirect_uri, REDIRECT);

    // Each code works once: the second link still works after the first was used.
    consent(&a.url, &[]).await;
    let page = browser().post(&a.url).body("").send().await.unwrap();
    assert_ne!(page.status(), 302, "a used pre_auth_code is refused");
    let location = consent(&b.url, &[]).await;
    env.desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap();
}

/// The error `authorize` answers for `input` to `component`.
async fn authorize_error(env: &Env, component: &str, input: AuthorizeInput) -> Error {
    env.desk.authorize(component, input).await.unwrap_err()
}

#[tokio::test]
async fn authorize_input_errors_name_the_field() {
    let env = start_with_component().await;
    let callback = AuthorizeInput::CallbackUrl("https://x.example/cb?ticket=abc".into());
    let err = authorize_error(&env, COMP, callback).await;
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "callback_url"),
        "{err}"
    );
    let err = authorize_error(&env, COMP, AuthorizeInput::AuthCode("   ".into())).await;
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "auth_code"),
        "{err}"
    );
    let err = authorize_error(&env, COMP, AuthorizeInput::AuthCode("nonsense".into())).await;
    assert_eq!(err.errcode(), Some(61009));
    let unknown = "wxffffffffffffffff";
    let err = authorize_error(&env, unknown, AuthorizeInput::AuthCode("x".into())).await;
    assert_eq!(err.code(), "not_found");
    assert_eq!(env.sandbox.counter("cgi-bin/component/api_query_auth"), 1);
}

#[tokio::test]
async fn list_filters_and_show_asks_for_the_component_when_ambiguous() {
    let (env, mp, oa) = start_with_mp_and_oa().await;

    let all = env
        .desk
        .authorizer_list(&AuthorizerQuery::default())
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|a| a.info.is_none()), "lists stay light");
    let mps = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            account_type: Some("mini_program".into()),
            ..AuthorizerQuery::default()
        })
        .unwrap();
    assert_eq!(
        mps.iter().map(|a| a.appid.as_str()).collect::<Vec<_>>(),
        vec![mp.as_str()]
    );
    let found = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            search: Some("Sandbox OA".into()),
            component: Some(COMP.into()),
            ..AuthorizerQuery::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].appid, oa);
    let err = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            account_type: Some("app".into()),
            ..AuthorizerQuery::default()
        })
        .unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "account_type"));

    // The same mini program authorizes a second platform.
    let comp2 = "wxaaaaaaaaaaaaaaaa";
    env.add_component(comp2, TOKEN, Some(REDIRECT));
    env.give_ticket(comp2);
    let link = env
        .desk
        .auth_link(comp2, &AuthLinkOptions::default())
        .await
        .unwrap();
    let location = consent(&link.url, &[("authorizer_appid", &mp)]).await;
    env.desk
        .authorize(comp2, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap();
    let err = env.desk.authorizer_show(&mp, None).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "component"),
        "{err}"
    );
    assert!(err.to_string().contains("--component") && err.to_string().contains(comp2));
    let shown = env.desk.authorizer_show(&mp, Some(comp2)).unwrap();
    assert_eq!(shown.component_appid, comp2);
    assert!(shown.info.is_some());
    assert_eq!(
        env.desk
            .authorizer_show("wx9999999999999999", None)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        env.desk.authorizer_show("bad", None).unwrap_err().code(),
        "invalid_input"
    );
}
