//! Shared helpers of the browser-mode tests (from wxdesk-testkit): a server
//! on a fresh database with a tiny UI folder, a client that never follows
//! redirects, and the login exchange as a browser does it.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::server::*;

/// `POST /api/op/NAME` on `f`'s server, sent with whatever `with` adds
/// (credentials, headers, body); the server must answer.
pub async fn post_op(
    f: &Fixture,
    name: &str,
    with: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
) -> reqwest::Response {
    let url = format!("{}/api/op/{name}", f.server.base_url());
    with(f.http.post(url)).send().await.unwrap()
}
