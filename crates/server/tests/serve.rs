//! Browser mode's locks: token, cookie, Host and Origin checks, no CORS, and
//! the one API route calling the core's table.

mod common;

use common::{cookie_of, get_with_cookie, post_op, post_op_at, start};
use reqwest::header;

#[tokio::test]
async fn token_url_sets_a_cookie_and_requests_without_it_get_401() {
    let f = start().await;
    let base = f.server.base_url();
    let r = f.http.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let r = post_op(&f, "app_list", |r| r.body("{}")).await;
    assert_eq!(r.status(), 401);
    let r = f
        .http
        .get(format!("{base}/?token=wrong"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = f.http.get(f.server.url()).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()[header::LOCATION],
        "/",
        "the token leaves the address bar"
    );
    let cookie = cookie_of(&r);
    assert!(
        cookie.starts_with(&format!("{}=", f.server.cookie_name())),
        "{cookie}"
    );
    assert!(
        !cookie.contains(f.server.token()),
        "the cookie holds a session value, not the access token"
    );
    let page = get_with_cookie(&f, &format!("{base}/"), &cookie).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("wxdesk ui"));
    let ops = post_op(&f, "app_list", |r| {
        r.header(header::COOKIE, &cookie).body("{}")
    })
    .await;
    assert_eq!(ops.status(), 200);
    assert_eq!(ops.text().await.unwrap(), "[]");
    // Scripts may send the token as a bearer header instead.
    let bearer = post_op(&f, "settings_get", |r| r.bearer_auth(f.server.token())).await;
    assert_eq!(bearer.status(), 200);
}

#[tokio::test]
async fn foreign_host_or_origin_is_forbidden_and_no_cors() {
    let f = start().await;
    let port = f.server.addr().port();
    let evil_host = post_op(&f, "app_list", |r| {
        r.bearer_auth(f.server.token())
            .header(header::HOST, format!("evil.example:{port}"))
    })
    .await;
    assert_eq!(evil_host.status(), 403);
    let evil_origin = post_op(&f, "app_list", |r| {
        r.bearer_auth(f.server.token())
            .header(header::ORIGIN, "https://evil.example")
    })
    .await;
    assert_eq!(evil_origin.status(), 403);
    assert!(evil_origin
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
    let own_origin = post_op(&f, "app_list", |r| {
        r.bearer_auth(f.server.token())
            .header(header::ORIGIN, format!("http://127.0.0.1:{port}"))
    })
    .await;
    assert_eq!(own_origin.status(), 200);
    assert!(
        own_origin
            .headers()
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .is_none(),
        "no CORS, ever"
    );
    let by_name = format!("http://localhost:{port}");
    let localhost = post_op_at(&f.http, &by_name, "app_list", |r| {
        r.bearer_auth(f.server.token())
    })
    .await;
    assert_eq!(localhost.status(), 200);
}

#[tokio::test]
async fn errors_are_the_boundary_shape_with_fitting_statuses() {
    let f = start().await;
    let t = f.server.token();
    let r = post_op(&f, "no_such_op", |r| r.bearer_auth(t).body("{}")).await;
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert_eq!(e["code"], "invalid_input");
    let r = post_op(&f, "app_add", |r| {
        r.bearer_auth(t).body(r#"{"appid":"wx123","secret":"x"}"#)
    })
    .await;
    assert_eq!(r.status(), 400);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(e["message"].as_str().unwrap().contains("appid"), "{e}");
    let r = post_op(&f, "app_show", |r| {
        r.bearer_auth(t).body(r#"{"appid":"wx1111111111111111"}"#)
    })
    .await;
    assert_eq!(r.status(), 404);
    let r = post_op(&f, "app_list", |r| r.bearer_auth(t).body("not json")).await;
    assert_eq!(r.status(), 400);
    let r = post_op(&f, "app_list", |r| {
        r.bearer_auth(t).body(r#"{"unexpected":1}"#)
    })
    .await;
    assert_eq!(
        r.status(),
        400,
        "unknown arguments are rejected, not ignored"
    );
    let secret = "0123456789abcdef0123456789abcdef";
    let r = post_op(&f, "app_add", |r| {
        r.bearer_auth(t).body(format!(
            r#"{{"appid":"wx1111111111111111","secret":"{secret}","name":"A"}}"#
        ))
    })
    .await;
    assert_eq!(r.status(), 200);
    assert!(
        !r.text().await.unwrap().contains(secret),
        "secrets come back masked"
    );
    let r = post_op(&f, "app_remove", |r| {
        r.bearer_auth(t).body(r#"{"appid":"wx1111111111111111"}"#)
    })
    .await;
    assert_eq!(r.status(), 409, "removal needs confirmation");
}

#[tokio::test]
async fn static_files_and_client_routes_without_traversal() {
    let f = start().await;
    let base = f.server.base_url();
    let t = f.server.token();
    let js = f
        .http
        .get(format!("{base}/assets/app.js"))
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert!(js.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let route = f
        .http
        .get(format!("{base}/apps/wx1111111111111111"))
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    assert!(
        route.text().await.unwrap().contains("wxdesk ui"),
        "client-side routes get index.html"
    );
    let trav = f
        .http
        .get(format!("{base}/..%2Fsecret.txt"))
        .bearer_auth(t)
        .send()
        .await
        .unwrap();
    assert!(!trav.text().await.unwrap().contains("outside the UI dir"));
}
