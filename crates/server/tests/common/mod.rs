//! Shared helpers of the browser-mode tests (from wxdesk-testkit): a server
//! on a fresh database with a tiny UI folder, a client that never follows
//! redirects, and the login exchange as a browser does it.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::server::*;

/// `GET url` through `f`'s client with the session `cookie` (`name=value`);
/// the server must answer.
pub async fn get_with_cookie(f: &Fixture, url: &str, cookie: &str) -> reqwest::Response {
    let request = f.http.get(url).header(reqwest::header::COOKIE, cookie);
    request.send().await.unwrap()
}

/// `POST /api/op/NAME` on `f`'s server, sent with whatever `with` adds
/// (credentials, headers, body); the server must answer.
pub async fn post_op(
    f: &Fixture,
    name: &str,
    with: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> reqwest::Response {
    post_op_at(&f.http, &f.server.base_url(), name, with).await
}

/// `POST {base}/api/op/NAME` through `http`, sent with whatever `with` adds;
/// for a server that is not a [`Fixture`]'s, or another name of its address.
pub async fn post_op_at(
    http: &reqwest::Client,
    base: &str,
    name: &str,
    with: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> reqwest::Response {
    let url = format!("{base}/api/op/{name}");
    with(http.post(url)).send().await.unwrap()
}
