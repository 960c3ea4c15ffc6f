//! The authorization launch page of `receive` and its redirect target.
//!
//! WeChat opens its PC consent page only from a page on the platform's
//! 授权发起页域名, which a desktop cannot host. `receive` runs on that domain,
//! so it serves a permanent link: each view of
//! `GET /wechat/authorize/{component_appid}` mints a fresh pre_auth_code and
//! shows the merchant one button to WeChat's consent page, whose redirect_uri
//! is `receive`'s own `GET /wechat/authorized/{component_appid}`. That page
//! exchanges the auth_code, stores the merchant and thanks them. The code is
//! exchanged once even though the `authorized` push carries it too.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use wxdesk_core::services::links::AuthLinkOptions;
use wxdesk_wechat::links::AuthLinkKind;

use super::{is_appid, ReceiveState};
use wxdesk_wechat::html::escape;

/// Query of the launch page.
#[derive(Debug, Deserialize)]
pub(crate) struct LaunchQuery {
    /// `pc` (default) or `h5`.
    #[serde(rename = "type", default)]
    kind: Option<String>,
    /// WeChat's auth_type (1–6, 8).
    #[serde(default)]
    auth_type: Option<u8>,
    /// Restrict the consent to this account.
    #[serde(default)]
    biz_appid: Option<String>,
}

/// Query WeChat appends to the redirect.
#[derive(Deserialize)]
pub(crate) struct RedirectQuery {
    #[serde(default)]
    auth_code: Option<String>,
}

fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{t}</title><style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;text-align:center}}\
         a.button{{display:inline-block;padding:.8em 2em;background:#07c160;color:#fff;border-radius:6px;text-decoration:none;font-size:1.1em}}</style>\
         </head><body><h1>{t}</h1>{body_html}</body></html>",
        t = escape(title)
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The page carries a single-use pre_auth_code.
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn unavailable(status: StatusCode) -> Response {
    page(
        status,
        "授权暂不可用 · Authorization unavailable",
        "<p>此授权链接暂时不可用，请联系平台运营方。</p><p>This authorization link is not available right now; please contact the platform's operator.</p>",
    )
}

/// This server's public base URL as the client reached it (behind a
/// reverse proxy: its `X-Forwarded-Proto` and `X-Forwarded-Host`).
fn public_base(headers: &HeaderMap) -> Option<String> {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let host = h("x-forwarded-host").or_else(|| h("host"))?;
    if !host
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
    {
        return None;
    }
    let proto = match h("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    Some(format!("{proto}://{host}"))
}

/// `GET /wechat/authorize/{component_appid}`: mints a pre_auth_code and shows the consent button.
pub(crate) async fn authorize(
    State(st): State<Arc<ReceiveState>>,
    Path(component): Path<String>,
    Query(q): Query<LaunchQuery>,
    headers: HeaderMap,
) -> Response {
    if !is_appid(&component) {
        return plain_not_found();
    }
    let kind = match q.kind.as_deref().map(str::trim) {
        None | Some("") | Some("pc") => AuthLinkKind::Pc,
        Some("h5") => AuthLinkKind::H5,
        Some(_) => {
            return page(
                StatusCode::BAD_REQUEST,
                "参数错误 · Bad link",
                "<p>type 只能是 pc 或 h5。</p><p>type must be pc or h5.</p>",
            )
        }
    };
    let Some(base) = public_base(&headers) else {
        return unavailable(StatusCode::BAD_REQUEST);
    };
    let opts = AuthLinkOptions {
        kind,
        redirect_uri: Some(format!("{base}/wechat/authorized/{component}")),
        auth_type: q.auth_type,
        biz_appid: q.biz_appid,
        category_ids: Vec::new(),
        pre_auth_code: None,
    };
    match st.desk.auth_link(&component, &opts).await {
        Ok(link) => page(
            StatusCode::OK,
            "授权给第三方平台 · Authorize the platform",
            &format!(
                "<p>点击下方按钮，使用公众号或小程序管理员微信扫码授权。</p>\
                 <p>Click the button and let the account's administrator confirm in WeChat.</p>\
                 <p><a class=\"button\" id=\"authorize\" href=\"{}\">前往授权 · Authorize</a></p>",
                escape(&link.url)
            ),
        ),
        Err(e) => {
            eprintln!("receive: launch page of {component}: {e}");
            if e.code() == "not_found" {
                plain_not_found()
            } else {
                unavailable(StatusCode::BAD_GATEWAY)
            }
        }
    }
}

fn plain_not_found() -> Response {
    super::push::plain(StatusCode::NOT_FOUND, "not found")
}

/// `GET /wechat/authorized/{component_appid}?auth_code=…`: stores the merchant and thanks them.
pub(crate) async fn authorized(
    State(st): State<Arc<ReceiveState>>,
    Path(component): Path<String>,
    Query(q): Query<RedirectQuery>,
) -> Response {
    if !is_appid(&component) {
        return plain_not_found();
    }
    let Some(code) = q.auth_code.filter(|c| !c.trim().is_empty()) else {
        return page(
            StatusCode::BAD_REQUEST,
            "未完成授权 · Not authorized",
            "<p>没有收到授权码，请重新发起授权。</p><p>No authorization code arrived; please start the authorization again.</p>",
        );
    };
    match st.desk.authorize_code_once(&component, &code).await {
        Ok(view) => {
            eprintln!("receive: {} authorized {component}", view.appid);
            let name = if view.nick_name.trim().is_empty() {
                view.appid.clone()
            } else {
                view.nick_name.clone()
            };
            page(
                StatusCode::OK,
                "授权成功 · Thank you",
                &format!(
                    "<p>{} 已授权成功，可以关闭此页面。</p><p>{} is now authorized. You can close this page.</p>",
                    escape(&name),
                    escape(&name)
                ),
            )
        }
        Err(e) => {
            eprintln!("receive: authorization of {component} from the redirect failed: {e}");
            unavailable(StatusCode::BAD_GATEWAY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_picks_the_public_base() {
        assert_eq!(escape("a&b<\"'>"), "a&amp;b&lt;&quot;&#39;&gt;");
        let mut h = HeaderMap::new();
        h.insert("host", "127.0.0.1:8080".parse().unwrap());
        assert_eq!(public_base(&h).as_deref(), Some("http://127.0.0.1:8080"));
        h.insert("x-forwarded-host", "auth.example.com".parse().unwrap());
        h.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(public_base(&h).as_deref(), Some("https://auth.example.com"));
        h.insert("x-forwarded-host", "evil.com/\"><script>".parse().unwrap());
        assert_eq!(public_base(&h), None);
    }
}
