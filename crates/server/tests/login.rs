//! Browser-mode login: the printed URL logs one browser in once, the session
//! cookie is per port, the access token is checked, and every redirect stays
//! on this server's origin.

mod common;

use std::sync::Arc;

use common::{client, cookie_of, get_with_cookie, login, post_op, post_op_at, start};
use reqwest::header;
use wxdesk_core::ops::Runtime;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{DeskOptions, Environment};
use wxdesk_server::{serve, ServerConfig, UiSource};

#[tokio::test]
async fn the_url_token_logs_in_once_and_a_second_use_answers_401() {
    let f = start().await;
    let base = f.server.base_url();
    let cookie = login(&f).await;
    let (name, value) = cookie.split_once('=').unwrap();
    assert_eq!(name, format!("wxdesk_session_{}", f.server.addr().port()));
    assert_ne!(
        value,
        f.server.token(),
        "the cookie is not the access token"
    );
    assert_eq!(value.len(), 64);

    // The same URL again, from a browser without the session (another
    // browser, or someone who read the URL in a history or a log): refused.
    let again = f.http.get(f.server.url()).send().await.unwrap();
    assert_eq!(again.status(), 401);
    assert!(again.headers().get(header::SET_COOKIE).is_none());
    let again = f
        .http
        .get(format!("{base}/apps?token={}", f.server.token()))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 401, "any path, same answer");

    // The browser that logged in keeps working, and may reopen the printed URL.
    let page = get_with_cookie(&f, &format!("{base}/"), &cookie).await;
    assert_eq!(page.status(), 200);
    let reopen = get_with_cookie(&f, &f.server.url(), &cookie).await;
    assert_eq!(reopen.status(), 303);
    assert_eq!(reopen.headers()[header::LOCATION], "/");
    assert!(reopen.headers().get(header::SET_COOKIE).is_none());

    // A made-up session value is no session.
    let forged = post_op(&f, "app_list", |r| {
        r.header(header::COOKIE, format!("{name}={}", "0".repeat(64)))
    })
    .await;
    assert_eq!(forged.status(), 401);
    // Nor is the access token in the cookie.
    let token_cookie = post_op(&f, "app_list", |r| {
        r.header(header::COOKIE, format!("{name}={}", f.server.token()))
    })
    .await;
    assert_eq!(token_cookie.status(), 401);

    // Scripts keep using the token as a bearer header.
    let bearer = post_op(&f, "app_list", |r| r.bearer_auth(f.server.token())).await;
    assert_eq!(bearer.status(), 200);
}

#[tokio::test]
async fn two_servers_have_their_own_cookie_and_do_not_clobber_each_other() {
    let a = start().await;
    let b = start().await;
    let ca = login(&a).await;
    let cb = login(&b).await;
    let name_a = ca.split_once('=').unwrap().0.to_string();
    let name_b = cb.split_once('=').unwrap().0.to_string();
    assert_ne!(name_a, name_b, "browsers share cookies across ports");
    // A browser sends both cookies to both servers (cookies ignore ports):
    // each server finds its own session.
    let both = format!("{ca}; {cb}");
    for f in [&a, &b] {
        let r = post_op(f, "app_list", |r| r.header(header::COOKIE, &both)).await;
        assert_eq!(r.status(), 200, "{}", f.server.base_url());
    }
    // One server's session is nothing to the other.
    let foreign = format!("{name_b}={}", ca.split_once('=').unwrap().1);
    let r = post_op(&b, "app_list", |r| r.header(header::COOKIE, foreign)).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn the_login_redirect_never_leaves_this_origin() {
    // The first (and only) login, on a path that would be a protocol-relative URL.
    let f = start().await;
    let r = f
        .http
        .get(format!(
            "{}//evil.example/?token={}",
            f.server.base_url(),
            f.server.token()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/");
    let cookie = cookie_of(&r);

    // A second fresh login with a hostile ?next=.
    let g = start().await;
    let r = g
        .http
        .get(format!(
            "{}?token={}&next=http://evil.example/",
            g.server.url().split('?').next().unwrap(),
            g.server.token()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/");

    // Signed in, reopening a tokenized URL only cleans the address bar: same rules.
    let base = f.server.base_url();
    let t = f.server.token();
    for (url, want) in [
        (format!("{base}/?token={t}&next=//evil.example"), "/"),
        (format!("{base}/?token={t}&next=%2F%2Fevil.example"), "/"),
        (format!("{base}/?token={t}&next=/%5Cevil.example"), "/"),
        (
            format!("{base}/?token={t}&next=https://evil.example/x"),
            "/",
        ),
        (format!("{base}/?token={t}&next=javascript:alert(1)"), "/"),
        (
            format!("{base}/?token={t}&next=/ok%0D%0ASet-Cookie:x=1"),
            "/",
        ),
        (format!("{base}//evil.example?token={t}"), "/"),
        (format!("{base}/?token={t}&next=/calls"), "/calls"),
        (format!("{base}/apps?token={t}"), "/apps"),
    ] {
        let r = get_with_cookie(&f, &url, &cookie).await;
        assert_eq!(r.status(), 303, "{url}");
        assert_eq!(r.headers()[header::LOCATION], want, "{url}");
    }
}

async fn serve_with_token(token: &str) -> std::io::Result<wxdesk_server::ServerHandle> {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = DeskOptions::new(dir.path().join("w.db"));
    opts.key_storage = KeyStorage::File;
    opts.environment = Some(Environment::custom(Some("http://127.0.0.1:9"), None, None).unwrap());
    let rt = Arc::new(Runtime::open(opts).await.unwrap());
    serve(
        rt,
        ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            ui: UiSource::Dir(dir.path().join("dist")),
            token: Some(token.to_string()),
        },
    )
    .await
}

#[tokio::test]
async fn a_chosen_token_must_be_long_and_url_safe() {
    for bad in [
        "short".to_string(),
        "a".repeat(31),
        format!("{}&next=//evil", "a".repeat(32)),
        format!("{} {}", "a".repeat(20), "b".repeat(20)),
        format!("{}令牌", "a".repeat(40)),
        format!("{}%41", "a".repeat(40)),
    ] {
        let err = serve_with_token(&bad)
            .await
            .err()
            .unwrap_or_else(|| panic!("{bad:?} was accepted"));
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
        assert!(err.to_string().contains("--token"), "{err}");
    }
    let good = "Ab0_-".repeat(8);
    let s = serve_with_token(&good).await.unwrap();
    assert_eq!(s.token(), good);
    let r = post_op_at(&client(), &s.base_url(), "app_list", |r| {
        r.bearer_auth(&good)
    })
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn without_a_session_a_browser_gets_a_page_saying_how_to_get_in() {
    let f = start().await;
    let base = f.server.base_url();
    for path in ["/", "/apps", "/assets/app.js"] {
        let r = f.http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 401, "{path}");
        assert!(r.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let page = r.text().await.unwrap();
        assert!(page.contains("wxdesk serve"), "{page}");
        assert!(page.contains("run it again"), "{page}");
        assert!(!page.contains(f.server.token()));
    }
    // The API still answers JSON, for scripts and the UI's error handling.
    let r = post_op(&f, "app_list", |r| r).await;
    assert_eq!(r.status(), 401);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["code"], "unauthorized");
}
