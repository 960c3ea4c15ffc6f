//! Platform-side tokens against the sandbox: the component token and its
//! ticket, authorizer tokens from refresh tokens, the per-account token and
//! the dashboard status that never shows values.

mod common;

use std::time::Duration;

use common::*;
use wxdesk_core::store::authorizers;
use wxdesk_core::token_types::{authorizer_owner, AppTokenMode, TokenKind, TokenSource};
use wxdesk_core::{Desk, Environment, Error};
use wxdesk_sandbox::AuthorizeSeed;

const STABLE: &str = "cgi-bin/stable_token";
const COMPONENT: &str = "cgi-bin/component/api_component_token";
const AUTHORIZER: &str = "cgi-bin/component/api_authorizer_token";

/// A platform with one authorizer on `desk`: `(component, appid, refresh)`.
fn one_authorizer(w: &World, desk: &Desk) -> (String, String, String) {
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(w, desk, 1);
    let (appid, refresh) = authorizers[0].clone();
    (component, appid, refresh)
}

#[tokio::test]
async fn component_token_needs_a_fresh_ticket() {
    let w = World::start().await;
    let desk = w.desk();
    let (component, _) = seed_component(&w, &desk);

    let err = desk.component_token(&component, false).await.unwrap_err();
    match &err {
        Error::TicketUnavailable {
            component: c,
            reason,
        } => {
            assert_eq!(c, &component);
            assert_eq!(reason, "no component_verify_ticket has been received");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.hint().unwrap().contains("start-push"));
    assert_eq!(w.sandbox.counter(COMPONENT), 0);

    deliver_ticket(&w, &desk, &component);
    let g = desk.component_token(&component, false).await.unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    assert_eq!(g.kind, TokenKind::Component);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // A new ticket does not throw away a valid token.
    deliver_ticket(&w, &desk, &component);
    let again = desk.component_token(&component, false).await.unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert_eq!(*again.token, *g.token);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // 13 h later the token and the newest ticket have both expired.
    w.advance(&[&desk], Duration::from_secs(13 * 3600));
    let err = desk.component_token(&component, false).await.unwrap_err();
    match &err {
        Error::TicketUnavailable { reason, .. } => {
            assert_eq!(
                reason,
                "the newest component_verify_ticket is 13 h old (tickets last 12 h)"
            )
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // The next push fixes it.
    deliver_ticket(&w, &desk, &component);
    let g2 = desk.component_token(&component, false).await.unwrap();
    assert_eq!(g2.source, TokenSource::Fresh);
    assert_ne!(*g2.token, *g.token);

    // Force always asks WeChat.
    let forced = desk.component_token(&component, true).await.unwrap();
    assert_eq!(forced.source, TokenSource::Fresh);
    assert_eq!(w.sandbox.counter(COMPONENT), 3);
}

#[tokio::test]
async fn authorizer_token_from_the_refresh_token() {
    let w = World::start().await;
    let desk = w.desk();
    let (component, appid, refresh) = one_authorizer(&w, &desk);

    let g = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    assert_eq!(g.kind, TokenKind::Authorizer);
    assert_eq!(g.owner, authorizer_owner(&component, &appid));
    assert_eq!(g.owner, format!("{component}/{appid}"));
    assert_eq!(w.sandbox.counter(AUTHORIZER), 1);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);
    let again = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert_eq!(w.sandbox.counter(AUTHORIZER), 1);
    assert_eq!(stored_refresh_token(&desk, &component, &appid), refresh);

    // The token works on mini-program APIs for the authorizer.
    let used = desk
        .with_authorizer_token(&component, &appid, |t| {
            let client = desk.client().clone();
            let appid = appid.clone();
            async move { client.api_quota(&appid, &t, "/wxa/checksession").await }
        })
        .await
        .unwrap();
    assert_eq!(used.used, 0);

    // The merchant re-authorizes: the stored refresh token is now invalid (61023), nothing is marked.
    let re = w
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: component.clone(),
            authorizer_appid: Some(appid.clone()),
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap();
    let err = desk
        .authorizer_token(&component, &appid, true)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61023));
    assert!(err.hint().is_some());
    let row = desk
        .store()
        .read(|c| authorizers::require(c, &component, &appid))
        .unwrap();
    assert_eq!(row.status, authorizers::AuthorizerStatus::Active);
    // Once the new refresh token is synced, refreshing works again.
    store_authorizer(&desk, &component, &appid, &re.refresh_token);
    let g = desk
        .authorizer_token(&component, &appid, true)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);

    // A revoked authorizer is refused without calling WeChat.
    let before = w.sandbox.counter(AUTHORIZER);
    desk.store()
        .write(|tx| authorizers::mark_revoked(tx, &component, &appid, desk.now()))
        .unwrap();
    let err = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Revoked(ref a) if *a == appid),
        "{err:?}"
    );
    assert_eq!(w.sandbox.counter(AUTHORIZER), before);
}

#[tokio::test]
async fn unauthorized_answer_61003_is_returned_as_is() {
    let w = World::start().await;
    let desk = w.desk();
    let (component, appid, _) = one_authorizer(&w, &desk);
    w.sandbox.unauthorize(&component, &appid).unwrap();
    let err = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61003));
    let row = desk
        .store()
        .read(|c| authorizers::require(c, &component, &appid))
        .unwrap();
    assert_eq!(
        row.status,
        authorizers::AuthorizerStatus::Active,
        "nothing is marked automatically"
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_is_saved_with_the_token() {
    let component = random_appid();
    let appid = random_appid();
    let dir = tempfile::tempdir().unwrap();
    let (server, desk) = rotating_wechat(dir.path(), &component, "component-secret", &appid).await;
    assert!(matches!(desk.env(), Environment::Sandbox { .. }));

    let g = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(*g.token, "scripted-authorizer-token-0123456789");
    assert_eq!(
        stored_refresh_token(&desk, &component, &appid),
        "refreshtoken@@@rotated-by-wechat"
    );
    assert_eq!(server.count("/cgi-bin/component/api_authorizer_token"), 1);
}

/// The token `with_account_token` picks for `appid`, seen by a WeChat call
/// made with it.
async fn account_token(desk: &Desk, appid: &str) -> wxdesk_core::Result<String> {
    let client = desk.client().clone();
    let owner = appid.to_string();
    desk.with_account_token(appid, move |t: String| {
        let client = client.clone();
        let owner = owner.clone();
        async move {
            client
                .api_quota(&owner, &t, "/wxa/checksession")
                .await
                .map(|_| t)
        }
    })
    .await
}

/// The authorizer's current token, as the token manager hands it out.
async fn authorizer_token(desk: &Desk, component: &str, authorizer: &str) -> String {
    desk.authorizer_token(component, authorizer, false)
        .await
        .unwrap()
        .token
        .to_string()
}

#[tokio::test]
async fn account_token_picks_app_or_authorizer() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, component, authorizer) = app_and_authorizer(&w, &desk);

    let t = account_token(&desk, &app).await.unwrap();
    assert_eq!(
        t,
        *desk
            .app_token(&app, AppTokenMode::Stable, false)
            .await
            .unwrap()
            .token
    );
    let t = account_token(&desk, &authorizer).await.unwrap();
    assert_eq!(t, authorizer_token(&desk, &component, &authorizer).await);

    let unknown = random_appid();
    let err = account_token(&desk, &unknown).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("wxdesk app add"), "{err}");

    // An app saved without its secret (a secret-less import) that is also an
    // authorizer uses the authorizer token.
    desk.store()
        .write(|tx| {
            wxdesk_core::store::apps::insert(
                tx,
                &wxdesk_core::store::apps::AppRow {
                    appid: authorizer.clone(),
                    name: "imported".into(),
                    secret: None,
                    created_at: 0,
                    updated_at: 0,
                },
            )
        })
        .unwrap();
    let t = account_token(&desk, &authorizer).await.unwrap();
    assert_eq!(t, authorizer_token(&desk, &component, &authorizer).await);

    desk.store()
        .write(|tx| authorizers::mark_revoked(tx, &component, &authorizer, desk.now()))
        .unwrap();
    let err = account_token(&desk, &authorizer).await.unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("secret"), "{err}");
    desk.store()
        .write(|tx| wxdesk_core::store::apps::delete(tx, &authorizer))
        .unwrap();
    let err = account_token(&desk, &authorizer).await.unwrap_err();
    assert_eq!(err.code(), "revoked");
}

#[tokio::test]
async fn dashboard_status_never_shows_values() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    let g = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    let status = desk.cached_tokens().unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].kind, TokenKind::AppStable);
    assert_eq!(status[0].source, STABLE);
    assert!(status[0].usable);
    let json = serde_json::to_string(&status).unwrap();
    assert!(!json.contains(g.token.as_str()));
    let view = serde_json::to_value(Desk::token_view(&g, false)).unwrap();
    assert_eq!(view["source"], "fresh");
    assert_eq!(view["kind"], "app_stable");
    assert!(!view.to_string().contains(g.token.as_str()));

    // A token for the sandbox is not offered in another environment.
    let other = open_desk(&w.db_path(), "http://127.0.0.1:9");
    assert!(other.cached_tokens().unwrap().is_empty());
}
