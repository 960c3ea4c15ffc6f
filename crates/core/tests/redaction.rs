//! Redaction of what the desk stores and prints: call-log bodies of every
//! shape (the sandbox's truncated-JSON fault, a body cut inside a long token,
//! a phone number answer), and `{:?}` of the types that hold secrets.

mod common;

use common::*;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::token_types::AppTokenMode;
use wxdesk_core::Desk;
use wxdesk_sandbox::{Fault, FaultKind};

fn responses(desk: &Desk, endpoint: &str) -> Vec<String> {
    desk.call_log(&CallLogQuery {
        limit: Some(500),
        ..CallLogQuery::default()
    })
    .unwrap()
    .into_iter()
    .filter(|c| c.endpoint.contains(endpoint))
    .map(|c| format!("{} {}", c.request, c.response.unwrap_or_default()))
    .collect()
}

#[tokio::test]
async fn the_sandbox_malformed_json_fault_leaves_no_token_in_the_call_log() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, secret) = seed_app(&w, &desk);
    w.sandbox
        .set_fault(Fault::new("cgi-bin/stable_token", FaultKind::MalformedJson).times(1));
    let err = desk
        .app_token(&app, AppTokenMode::Stable, false)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "decode", "{err}");
    // The error, its Debug form and its JSON body carry no token either.
    for text in [
        err.to_string(),
        format!("{err:?}"),
        serde_json::to_string(&err.body()).unwrap(),
    ] {
        assert!(!text.contains("86_tr"), "{text}");
        assert!(!text.contains(&secret), "{text}");
    }
    let logged = responses(&desk, "stable_token");
    assert!(!logged.is_empty());
    for row in &logged {
        assert!(
            !row.contains("86_tr"),
            "the truncated token is stored: {row}"
        );
        assert!(!row.contains(&secret), "{row}");
    }
    // The row still says what it was.
    assert!(logged.iter().any(|r| r.contains("errcode")), "{logged:?}");
}

#[tokio::test]
async fn a_body_cut_inside_a_long_token_or_in_xml_is_masked() {
    let token = "87_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let refresh = "refreshtoken@@@abcdefghijklmnopqrstuvwxyz0123";
    let scripted = Scripted::start(vec![
        (
            "/cgi-bin/stable_token",
            format!(r#"{{"errcode":0,"expires_in":7200,"access_token":"{token}"#),
        ),
        (
            "/cgi-bin/token",
            format!("<xml><AccessToken><![CDATA[{token}]]></AccessToken><RefreshToken>{refresh}"),
        ),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(&dir.path().join("w.db"), &scripted.base);
    let app = random_appid();
    let secret = random_secret();
    store_app(&desk, &app, &secret);
    for mode in [AppTokenMode::Stable, AppTokenMode::Legacy] {
        let err = desk.app_token(&app, mode, false).await.unwrap_err();
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(
                !text.contains(token) && !text.contains(&token[..20]),
                "{text}"
            );
        }
    }
    let rows = responses(&desk, "token");
    assert_eq!(rows.len(), 2, "{rows:?}");
    for row in rows {
        for s in [token, refresh, secret.as_str()] {
            assert!(!row.contains(&s[..16]), "{s} stored in {row}");
        }
    }
}

#[tokio::test]
async fn phone_numbers_are_masked_in_the_call_log() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, _) = seed_app(&w, &desk);
    let code = w.sandbox.issue_phone_code(&app, "13800138000");
    let phone = desk.phone(&app, &code).await.unwrap();
    // The operator asked for the number: the result has it.
    assert!(serde_json::to_string(&phone)
        .unwrap()
        .contains("13800138000"));
    let rows = responses(&desk, "getuserphonenumber");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(!rows[0].contains("13800138000"), "{}", rows[0]);
    assert!(rows[0].contains("138****8000"), "{}", rows[0]);
}

#[tokio::test]
async fn debug_of_grants_views_and_errors_prints_no_secret() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, secret) = seed_app(&w, &desk);
    let grant = desk
        .app_token(&app, AppTokenMode::Stable, false)
        .await
        .unwrap();
    let token = grant.token.to_string();
    let revealed = Desk::token_view(&grant, true);
    assert_eq!(revealed.token, token, "the reveal still reveals");
    let js = w.sandbox.issue_js_code(&app, None);
    let login = desk.login(&app, &js.code, None, true).await.unwrap();
    assert_eq!(login.session_key, js.session_key);
    let shown = desk.app_show(&app).unwrap();
    for (what, text) in [
        ("TokenGrant", format!("{grant:?}")),
        ("TokenView", format!("{revealed:?}")),
        ("LoginView", format!("{login:?}")),
        ("AppView", format!("{shown:?}")),
    ] {
        assert!(
            text.contains("<redacted>") || what == "AppView",
            "{what}: {text}"
        );
        for s in [token.as_str(), js.session_key.as_str(), secret.as_str()] {
            assert!(!text.contains(s), "{what} prints a secret: {text}");
        }
        assert!(text.contains(&app), "{what} still says whose: {text}");
    }
}

#[test]
fn debug_of_operation_arguments_prints_no_secret() {
    use wxdesk_core::ops::args::{AppAddArgs, ImportArgs};
    let secret = random_secret();
    let appid = random_appid();
    let add = AppAddArgs {
        appid: appid.clone(),
        secret: secret.clone(),
        name: Some("Shop".into()),
    };
    let import = ImportArgs {
        content_base64: secret.clone(),
        passphrase: Some(secret.clone()),
        confirmed: false,
    };
    for text in [format!("{add:?}"), format!("{import:?}")] {
        assert!(!text.contains(&secret), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
    assert!(format!("{add:?}").contains(&appid));
}
