//! Who may talk to browser mode, and how a browser logs in.
//!
//! The server holds the operator's secrets, so every request passes this
//! guard first:
//! - a Host or Origin header that is not this server's gets 403 (DNS
//!   rebinding, cross-site requests);
//! - the URL `wxdesk serve` prints carries the access token once: the first
//!   `GET` with `?token=` trades it for a session cookie holding a separate
//!   random session value, and redirects to a clean same-origin path. Any
//!   later `?token=` login answers 401, so a URL left in a browser history,
//!   a screenshot or a shell log cannot open a second browser session;
//! - scripts send the same token as `Authorization: Bearer …` (never in a
//!   URL); this keeps working for the life of the server;
//! - the cookie is named `wxdesk_session_<port>`: browsers do not separate
//!   cookies by port, so two servers on one host must not share a name.
//!
//! A request without a session gets 401: JSON under `/api/`, and an HTML
//! page explaining how to get in everywhere else.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::{error_response, AppState};
use wxdesk_core::ErrorCode;

/// The prefix of the session cookie's name; the server's port follows it.
pub const COOKIE_PREFIX: &str = "wxdesk_session_";

/// The session cookie's name for a server on `port` (`wxdesk_session_<port>`).
pub fn cookie_name(port: u16) -> String {
    format!("{COOKIE_PREFIX}{port}")
}

/// Shortest accepted access token.
pub const MIN_TOKEN_LEN: usize = 32;

/// Checks a chosen access token (`--token` / `WXDESK_SERVE_TOKEN`): at least
/// 32 characters of `A-Z a-z 0-9 _ -`. The error is the reason and the fix,
/// to follow the flag's name (`--token: …`).
pub fn check_token(token: &str) -> Result<(), String> {
    if token.len() < MIN_TOKEN_LEN {
        return Err(format!(
            "too short ({} characters): use at least {MIN_TOKEN_LEN} characters of A-Z a-z 0-9 _ - \
             (e.g. `openssl rand -hex 24`), or omit --token for a random one",
            token.chars().count()
        ));
    }
    if let Some(bad) = token
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
    {
        return Err(format!(
            "contains {bad:?}: use at least {MIN_TOKEN_LEN} characters of only A-Z a-z 0-9 _ - (it goes into a URL and a header), \
             or omit --token for a random one"
        ));
    }
    Ok(())
}

/// A new random value of 32 bytes, hex-encoded (64 characters).
pub(crate) fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// The access token, the login state and the live browser sessions.
pub(crate) struct Auth {
    token: String,
    cookie: String,
    /// The URL token has been traded for a session already.
    url_token_used: AtomicBool,
    sessions: Mutex<Vec<String>>,
    allowed_hosts: Vec<String>,
}

impl Auth {
    pub(crate) fn new(token: String, port: u16, allowed_hosts: Vec<String>) -> Auth {
        Auth {
            token,
            cookie: cookie_name(port),
            url_token_used: AtomicBool::new(false),
            sessions: Mutex::new(Vec::new()),
            allowed_hosts,
        }
    }

    fn has_session(&self, presented: &str) -> bool {
        let sessions = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        // Check every one (no early exit), each in constant time.
        sessions
            .iter()
            .fold(false, |found, s| found | same(s, presented))
    }

    fn new_session(&self) -> String {
        let s = random_hex();
        self.sessions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(s.clone());
        s
    }

    fn cookie_session(&self, headers: &HeaderMap) -> bool {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .any(|(k, v)| k == self.cookie && self.has_session(v))
    }

    fn bearer(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|t| same(t.trim(), &self.token))
    }
}

/// The query's parameters, percent-decoded (empty when it does not parse).
fn query_params(uri: &Uri) -> Vec<(String, String)> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

/// `path` when it is a path of this origin (`/…`), never a scheme, a host
/// (`//evil`, `/\evil`), a control character or a space.
pub(crate) fn same_origin_path(path: &str) -> Option<&str> {
    let ok = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.bytes().all(|b| b.is_ascii_graphic());
    ok.then_some(path)
}

/// Where to send the browser after login: `?next=` or the requested path,
/// when it stays on this origin; `/` otherwise. The query (with its token)
/// never goes along.
pub(crate) fn redirect_target(uri: &Uri, params: &[(String, String)]) -> String {
    let next = params.iter().find(|(k, _)| k == "next").map(|(_, v)| v);
    match next {
        Some(n) => same_origin_path(n).unwrap_or("/").to_string(),
        None => same_origin_path(uri.path()).unwrap_or("/").to_string(),
    }
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut resp = StatusCode::SEE_OTHER.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::LOCATION,
        HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(c) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        h.insert(header::SET_COOKIE, c);
    }
    resp
}

/// The answer to a request without a session: JSON for the API and scripts,
/// a page saying how to get in for a browser.
fn unauthorized(req: &Request, message: &str) -> Response {
    let api = req.uri().path().starts_with("/api/") || req.method() != Method::GET;
    if api {
        return error_response(StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized, message);
    }
    (
        StatusCode::UNAUTHORIZED,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LOGIN_PAGE,
    )
        .into_response()
}

const LOGIN_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wxdesk — sign in</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}code{background:#f2f2f2;padding:0 .3em}</style>
</head><body data-testid="login-needed">
<h1>wxdesk needs you to sign in</h1>
<p>This browser has no session with this <code>wxdesk serve</code>.</p>
<ul>
<li>Open the URL <code>wxdesk serve</code> printed when it started (it carries a one-time access token).</li>
<li>That URL works once, in one browser. If it was already used, or you are in another browser, stop <code>wxdesk serve</code> (Ctrl-C) and run it again: it prints a fresh URL.</li>
</ul>
<h1 lang="zh-CN">请先登录 wxdesk</h1>
<ul lang="zh-CN">
<li>打开 <code>wxdesk serve</code> 启动时打印的网址（其中带有一次性访问令牌）。</li>
<li>该网址只能在一个浏览器中使用一次。如果已经用过，或换了浏览器，请停止 <code>wxdesk serve</code>（Ctrl-C）后重新运行，它会打印新的网址。</li>
</ul>
</body></html>
"#;

fn security_headers(resp: &mut Response) {
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"),
    );
}

/// Host/Origin checks, then the login exchange, then a session or the bearer token.
pub(crate) async fn guard(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let auth = &s.auth;
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !auth
        .allowed_hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host))
    {
        return error_response(
            StatusCode::FORBIDDEN,
            ErrorCode::ForbiddenHost,
            "this server only answers to its own address (Host header rejected)",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let ok = auth
            .allowed_hosts
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
        if !ok {
            return error_response(
                StatusCode::FORBIDDEN,
                ErrorCode::ForbiddenOrigin,
                "cross-origin requests are refused",
            );
        }
    }
    let has_session = auth.cookie_session(headers);
    if req.method() == Method::GET {
        let params = query_params(req.uri());
        if let Some((_, t)) = params.iter().find(|(k, _)| k == "token") {
            let to = redirect_target(req.uri(), &params);
            if has_session {
                // Already signed in (the printed URL opened again): just clean the address bar.
                return redirect(&to, None);
            }
            if !same(t, &auth.token) {
                return unauthorized(
                    &req,
                    "the access token in the URL is wrong; use the URL `wxdesk serve` printed",
                );
            }
            if auth
                .url_token_used
                .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
                .is_err()
            {
                return unauthorized(
                    &req,
                    "this login URL was already used; run `wxdesk serve` again for a fresh one",
                );
            }
            let session = auth.new_session();
            let cookie = format!(
                "{}={session}; HttpOnly; SameSite=Strict; Path=/",
                auth.cookie
            );
            return redirect(&to, Some(cookie));
        }
    }
    if has_session || auth.bearer(req.headers()) {
        let mut resp = next.run(req).await;
        security_headers(&mut resp);
        return resp;
    }
    unauthorized(
        &req,
        "no session: open the URL `wxdesk serve` printed (it carries the access token), or send it as `Authorization: Bearer …`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked() {
        assert!(check_token(&"a".repeat(31))
            .unwrap_err()
            .contains("too short"));
        assert!(check_token(&format!("{}é", "a".repeat(40)))
            .unwrap_err()
            .contains("'é'"));
        assert!(check_token(&format!("{} ", "a".repeat(40))).is_err());
        assert!(check_token(&format!("{}&x=1", "a".repeat(40))).is_err());
        assert!(check_token("Ab0_-Ab0_-Ab0_-Ab0_-Ab0_-Ab0_-Ab").is_ok());
        assert!(check_token(&random_hex()).is_ok());
    }

    #[test]
    fn only_same_origin_paths_are_redirect_targets() {
        for bad in [
            "//evil.example",
            "//evil.example/x",
            "/\\evil.example",
            "http://evil.example",
            "https:evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/ok\r\nSet-Cookie: x=1",
            "/a b",
            "",
        ] {
            assert_eq!(same_origin_path(bad), None, "{bad:?}");
        }
        for good in ["/", "/apps", "/assets/app.js", "/%2F%2Fevil"] {
            assert_eq!(same_origin_path(good), Some(good));
        }
    }

    #[test]
    fn redirect_target_falls_back_to_root() {
        let uri: Uri = "/x?token=t&next=//evil".parse().unwrap();
        let p = query_params(&uri);
        assert_eq!(redirect_target(&uri, &p), "/");
        let uri: Uri = "/x?token=t&next=%2Fapps".parse().unwrap();
        let p = query_params(&uri);
        assert_eq!(redirect_target(&uri, &p), "/apps");
        let uri: Uri = "/calls?token=t".parse().unwrap();
        assert_eq!(redirect_target(&uri, &query_params(&uri)), "/calls");
    }
}
