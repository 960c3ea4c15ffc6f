//! The lock on the sandbox's control surface when wxdesk embeds it.
//!
//! The hooks under `/__sandbox/` and the console at `/` can mint codes, move
//! the clock and read every secret the sandbox holds (`GET /__sandbox/state`).
//! A standalone `wxdesk sandbox` is a test tool and leaves them open. When
//! wxdesk starts the sandbox inside the app or `wxdesk serve`, it passes an
//! [`crate::SandboxConfig::access_token`]; then this middleware:
//!
//! - refuses a foreign `Host` header on those paths with HTTP 403, even with
//!   the token, so a web page that rebinds its own name to 127.0.0.1 cannot
//!   reach them (only `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT`);
//! - answers HTTP 401 unless the request carries the token, as
//!   `Authorization: Bearer T`, `X-Sandbox-Token: T`, or the console cookie;
//! - trades `GET /?token=T` for that cookie (`wxdesk_sandbox_PORT`, HttpOnly,
//!   SameSite=Strict, so the console's own forms work and other sites' forms
//!   do not) and redirects to `/`, so the token leaves the address bar.
//!
//! WeChat's own paths (`cgi-bin/…`, `sns/…`, `wxa/…`, the consent pages) stay
//! open: wxdesk's client and the merchant's browser call them, and they serve
//! nothing without the credentials the caller already holds. So does `GET /`
//! with an `auth_code`: that is where the demo platform's consent lands, and it
//! shows only its own address (see `open_data::landing_page`), not the console.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::html::{esc, page, respond};
use crate::state::AppState;

/// Header carrying the token, besides `Authorization: Bearer`.
pub const TOKEN_HEADER: &str = "x-sandbox-token";

/// The paths behind the lock: the console and the hooks.
fn is_guarded(path: &str) -> bool {
    path == "/" || path == "/__sandbox" || path.starts_with("/__sandbox/")
}

/// The console cookie's name; it carries the port because cookies do not, so
/// two sandboxes on one machine keep their own.
pub(crate) fn cookie_name(port: u16) -> String {
    format!("wxdesk_sandbox_{port}")
}

/// Compares without an early exit, so timing does not reveal a prefix.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Whether `Host` names this sandbox on a loopback name.
fn host_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
    .contains(&host)
}

/// The token a request presents: header first, then the console cookie.
fn presented(headers: &HeaderMap, cookie: &str) -> Option<String> {
    let text = |name: &str| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    if let Some(t) = text(header::AUTHORIZATION.as_str())
        .into_iter()
        .find_map(|v| v.strip_prefix("Bearer ").map(|t| t.trim().to_string()))
    {
        return Some(t);
    }
    if let Some(t) = text(TOKEN_HEADER).into_iter().next() {
        return Some(t);
    }
    text(header::COOKIE.as_str())
        .iter()
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie)
        .map(|(_, value)| value.trim().to_string())
}

/// The `token` query parameter of a console URL.
fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
}

/// A refusal: JSON for the hooks, a page for the console. Never echoes what was sent.
fn refuse(path: &str, status: StatusCode, message: &str) -> Response {
    if path.starts_with("/__sandbox") {
        return (status, Json(json!({ "error": message }))).into_response();
    }
    let body = format!(
        "<div class=\"card error\"><h1>沙箱控制台已锁定 The sandbox console is locked</h1><p>{}</p></div>",
        esc(message)
    );
    respond(status, page("沙箱控制台 Sandbox console", &body))
}

/// The middleware; a no-op when the sandbox runs without an access token.
pub(crate) async fn middleware(
    State(shared): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(expected) = shared.config.access_token.as_deref() else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_string();
    // The landing of a consent (the demo platform's redirect_uri is `/`) is
    // the merchant's page, not the console: it shows only its own address.
    let landing = path == "/"
        && req.method() == Method::GET
        && crate::open_data::is_landing(req.uri().query());
    if !is_guarded(&path) || landing {
        return next.run(req).await;
    }
    if !host_allowed(req.headers(), shared.port) {
        return refuse(
            &path,
            StatusCode::FORBIDDEN,
            &format!(
                "the Host header must be 127.0.0.1:{0}, localhost:{0} or [::1]:{0}; the sandbox's control surface is not served under other names",
                shared.port
            ),
        );
    }
    let cookie = cookie_name(shared.port);
    if path == "/" && req.method() == Method::GET {
        if let Some(token) = query_token(req.uri().query()) {
            if !same(&token, expected) {
                return refuse(
                    &path,
                    StatusCode::UNAUTHORIZED,
                    "the token in this link is wrong or from an earlier run: open the console again from wxdesk (Settings → Offline sandbox → Open the console)",
                );
            }
            let mut response = StatusCode::SEE_OTHER.into_response();
            response
                .headers_mut()
                .insert(header::LOCATION, HeaderValue::from_static("/"));
            let set = format!("{cookie}={token}; Path=/; HttpOnly; SameSite=Strict");
            if let Ok(value) = HeaderValue::from_str(&set) {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            return response;
        }
    }
    match presented(req.headers(), &cookie) {
        Some(token) if same(&token, expected) => next.run(req).await,
        _ => refuse(
            &path,
            StatusCode::UNAUTHORIZED,
            "this sandbox was started by wxdesk and its console and /__sandbox/ hooks need its access token (Authorization: Bearer, X-Sandbox-Token, or the console link from wxdesk: Settings → Offline sandbox → Open the console)",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_whole_tokens() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }

    #[test]
    fn reads_the_token_from_each_place() {
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; wxdesk_sandbox_9=tok; b=2"),
        );
        assert_eq!(presented(&h, "wxdesk_sandbox_9").as_deref(), Some("tok"));
        assert_eq!(presented(&h, "wxdesk_sandbox_8"), None);
        h.insert(TOKEN_HEADER, HeaderValue::from_static("hdr"));
        assert_eq!(presented(&h, "wxdesk_sandbox_9").as_deref(), Some("hdr"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer bear"),
        );
        assert_eq!(presented(&h, "wxdesk_sandbox_9").as_deref(), Some("bear"));
    }

    #[test]
    fn only_loopback_names_of_this_port() {
        let host = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::HOST, HeaderValue::from_static(v));
            host_allowed(&h, 4000)
        };
        assert!(host("127.0.0.1:4000"));
        assert!(host("LOCALHOST:4000"));
        assert!(host("[::1]:4000"));
        assert!(!host("127.0.0.1:4001"));
        assert!(!host("evil.example:4000"));
        assert!(!host("127.0.0.1"));
        assert!(!host_allowed(&HeaderMap::new(), 4000));
    }
}
