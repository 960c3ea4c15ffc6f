//! Browser-facing links: the authorization pages and the fast-registration page.
//!
//! Onboarding a merchant ends with a URL the merchant opens (or a QR code of
//! it), not with an API call, so nothing on WeChat's side validates it until a
//! human is staring at a blank error page. The mistakes are always the same: a
//! `redirect_uri` that is not encoded (its own `?`/`&` then leak into WeChat's
//! query and the callback loses its parameters), the legacy H5 host, a missing
//! `#wechat_redirect`, an `auth_type` WeChat does not know. This module builds
//! the links in one place, checks every input before anything is shown, and
//! parses the address the browser lands on afterwards, so the operator can
//! paste it instead of fishing the `auth_code` out by hand.
//!
//! Encoding: every query value is percent-encoded exactly like JavaScript's
//! `encodeURIComponent` (everything except `A-Z a-z 0-9 - _ . ! ~ * ' ( )`),
//! which is what WxJava, wechatpy (`quote(safe="")`) and silenceper do for
//! `redirect_uri`. The `|` separating `category_id_list` entries is therefore
//! emitted as `%7C`: WeChat decodes it like any other query value and accepts
//! both forms, and the encoded form keeps the link a strictly valid URL that
//! survives chat apps, link detectors and Markdown tables (where a literal `|`
//! cuts the link or the table cell).

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use url::Url;

use crate::client::Bases;
use crate::error::Error;

/// The characters `encodeURIComponent` leaves alone are exactly the
/// alphanumerics plus these nine; everything else is percent-encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Percent-encodes `s` like JavaScript's `encodeURIComponent`.
fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Shows at most 40 characters of a user-supplied value in an error message,
/// so a pasted paragraph does not flood the terminal.
fn shown(value: &str) -> String {
    let mut out: String = value.chars().take(40).collect();
    if value.chars().count() > 40 {
        out.push('…');
    }
    format!("{out:?}")
}

/// Where an operator finds the AppID for the field being checked.
fn appid_source(field: &str) -> &'static str {
    if field.contains("component") {
        "copy the platform's AppID from open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) → 详情"
    } else {
        "copy it from mp.weixin.qq.com → 开发管理 → 开发设置 → 开发者ID (or 设置 → 账号信息), \
         or from the authorizer list of your platform"
    }
}

/// Checks that `appid` looks like a WeChat AppID: `wx` followed by 16 hex
/// digits (WeChat issues lowercase hex; uppercase hex is accepted because it
/// only differs in case). `field` names the input in the error.
pub fn validate_appid(field: &str, appid: &str) -> Result<(), Error> {
    let source = appid_source(field);
    if appid.is_empty() {
        return Err(Error::invalid(
            field,
            format!("is empty; an AppID looks like wx1234567890abcdef — {source}"),
        ));
    }
    if appid.trim() != appid {
        return Err(Error::invalid(
            field,
            format!(
                "{} has spaces or line breaks around it; remove them (an AppID looks like wx1234567890abcdef)",
                shown(appid)
            ),
        ));
    }
    let ok = appid.len() == 18
        && appid.starts_with("wx")
        && appid[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        let what = if appid.starts_with("gh_") {
            " (that is the original ID 原始ID, not the AppID)"
        } else if appid.len() == 32 && appid.bytes().all(|b| b.is_ascii_hexdigit()) {
            " (that looks like an AppSecret, not an AppID)"
        } else {
            ""
        };
        return Err(Error::invalid(
            field,
            format!(
                "{}{what} is not an AppID; an AppID is \"wx\" followed by 16 hex digits, \
                 like wx1234567890abcdef — {source}",
                shown(appid)
            ),
        ));
    }
    Ok(())
}

/// Which authorization page to link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthLinkKind {
    /// The PC page (`mp.weixin.qq.com/cgi-bin/componentloginpage`): shows a
    /// QR code the admin scans. Must be opened from a page on the platform's
    /// authorization-initiation domain.
    Pc,
    /// The H5 page (`open.weixin.qq.com/wxaopen/safe/bindcomponent`): opened
    /// inside the WeChat client, goes straight to the admin's account list.
    H5,
}

/// The `auth_type` values WeChat documents, with what the admin gets to pick.
pub const AUTH_TYPES: &[(u8, &str)] = &[
    (1, "Official Accounts only"),
    (2, "mini programs only"),
    (3, "Official Accounts and mini programs"),
    (4, "mini-program promoter (小程序推客) accounts"),
    (5, "Channels (视频号) accounts"),
    (6, "Official Accounts, mini programs and Channels"),
    (8, "带货助手 accounts"),
];

/// The `auth_type` used when none is given: Official Accounts and mini programs.
pub const DEFAULT_AUTH_TYPE: u8 = 3;

/// Inputs of an authorization link.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthLinkParams {
    /// The platform's AppID.
    pub component_appid: String,
    /// A fresh code from `api_create_preauthcode` (request one per link).
    pub pre_auth_code: String,
    /// Where the browser goes after consent; absolute http(s) URL whose host is
    /// the platform's 登录授权的发起页域名. Given unencoded; the builder encodes it.
    pub redirect_uri: String,
    /// Which accounts the admin may pick (see [`AUTH_TYPES`]); `None` means 3.
    pub auth_type: Option<u8>,
    /// Restrict the authorization to exactly this account.
    pub biz_appid: Option<String>,
    /// Restrict the permission sets offered; empty means all published sets.
    pub category_ids: Vec<u32>,
}

impl fmt::Debug for AuthLinkParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthLinkParams")
            .field("component_appid", &self.component_appid)
            .field("pre_auth_code", &"***")
            .field("redirect_uri", &self.redirect_uri)
            .field("auth_type", &self.auth_type)
            .field("biz_appid", &self.biz_appid)
            .field("category_ids", &self.category_ids)
            .finish()
    }
}

/// Inputs of the reuse-Official-Account fast-registration link (`fastregisterauth`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastRegisterLinkParams {
    /// The platform's AppID.
    pub component_appid: String,
    /// The Official Account whose qualification is reused.
    pub appid: String,
    /// Where the browser goes after the OA admin confirms; WeChat appends `ticket=`.
    pub redirect_uri: String,
    /// Also reuse the OA's WeChat verification (`copy_wx_verify=1`).
    pub copy_wx_verify: bool,
}

/// Joins an endpoint path onto a base, keeping any path prefix of the base
/// (`http://127.0.0.1:9/wx` + `cgi-bin/x` = `http://127.0.0.1:9/wx/cgi-bin/x`).
fn endpoint(base: &Url, field: &str, path: &str) -> Result<String, Error> {
    let mut b = base.clone();
    if !b.path().ends_with('/') {
        let p = format!("{}/", b.path());
        b.set_path(&p);
    }
    b.set_query(None);
    b.set_fragment(None);
    let joined = b.join(path).map_err(|e| {
        Error::invalid(
            field,
            format!("cannot join {path} onto {b} ({e}); use a base like https://mp.weixin.qq.com"),
        )
    })?;
    Ok(joined.to_string())
}

/// Checks a redirect URI: absolute http(s) with a host, no whitespace.
/// Returns the value to encode (the input, unnormalised, so the host the
/// merchant sees is exactly the one configured).
fn check_redirect_uri(uri: &str) -> Result<&str, Error> {
    const FIELD: &str = "redirect_uri";
    if uri.trim().is_empty() {
        return Err(Error::invalid(
            FIELD,
            "is empty; give the callback page on your 登录授权的发起页域名, e.g. https://your.domain/wechat/callback",
        ));
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            FIELD,
            format!(
                "{} contains spaces or control characters; give the plain, unencoded URL on one line",
                shown(uri)
            ),
        ));
    }
    let parsed = Url::parse(uri).map_err(|e| {
        Error::invalid(
            FIELD,
            format!(
                "{} is not an absolute URL ({e}); give the full address including https://, \
                 e.g. https://your.domain/wechat/callback",
                shown(uri)
            ),
        )
    })?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(Error::invalid(
            FIELD,
            format!(
                "{} must start with https:// (or http://); WeChat only redirects browsers to web pages",
                shown(uri)
            ),
        ));
    }
    if parsed.host_str().unwrap_or("").is_empty() {
        return Err(Error::invalid(
            FIELD,
            format!(
                "{} has no host; its host must be the platform's 登录授权的发起页域名",
                shown(uri)
            ),
        ));
    }
    Ok(uri)
}

fn check_pre_auth_code(code: &str) -> Result<(), Error> {
    if code.is_empty() {
        return Err(Error::invalid(
            "pre_auth_code",
            "is empty; create one with api_create_preauthcode (it expires after its expires_in, usually 600 s) \
             and build the link right away",
        ));
    }
    if code.chars().any(|c| c.is_whitespace() || c.is_control()) {
        // The value is a single-use code: never echo it.
        return Err(Error::invalid(
            "pre_auth_code",
            "contains spaces, line breaks or control characters; copy the pre_auth_code value exactly \
             as api_create_preauthcode returned it",
        ));
    }
    Ok(())
}

fn check_auth_type(auth_type: Option<u8>) -> Result<u8, Error> {
    let t = auth_type.unwrap_or(DEFAULT_AUTH_TYPE);
    if AUTH_TYPES.iter().any(|(v, _)| *v == t) {
        return Ok(t);
    }
    let allowed: Vec<String> = AUTH_TYPES
        .iter()
        .map(|(v, meaning)| format!("{v} = {meaning}"))
        .collect();
    Err(Error::invalid(
        "auth_type",
        format!(
            "{t} is not an auth_type WeChat knows; use one of: {} (default {DEFAULT_AUTH_TYPE})",
            allowed.join("; ")
        ),
    ))
}

/// Validates the category ids and returns them without duplicates, in order.
fn check_category_ids(ids: &[u32]) -> Result<Vec<u32>, Error> {
    let mut out: Vec<u32> = Vec::with_capacity(ids.len());
    for &id in ids {
        if id == 0 {
            return Err(Error::invalid(
                "category_ids",
                "0 is not a permission-set id; use the ids listed under 第三方平台 → 权限集 \
                 (e.g. 17 for mini-program development), or leave the list empty to offer all published sets",
            ));
        }
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Builds the PC or H5 authorization link.
///
/// PC: `{mp}cgi-bin/componentloginpage?component_appid=…&pre_auth_code=…&redirect_uri=…&auth_type=N[&biz_appid=…][&category_id_list=1%7C2]`.
/// H5: `{open}wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1&component_appid=…&pre_auth_code=…&redirect_uri=…&auth_type=N[&biz_appid=…][&category_id_list=…]#wechat_redirect`.
///
/// `auth_type` is always emitted (3 when not given). The legacy H5 host
/// (`mp.weixin.qq.com/safe/bindcomponent`) is never produced.
pub fn auth_link(bases: &Bases, kind: AuthLinkKind, p: &AuthLinkParams) -> Result<String, Error> {
    validate_appid("component_appid", &p.component_appid)?;
    check_pre_auth_code(&p.pre_auth_code)?;
    let redirect = check_redirect_uri(&p.redirect_uri)?;
    let auth_type = check_auth_type(p.auth_type)?;
    if let Some(biz) = &p.biz_appid {
        validate_appid("biz_appid", biz)?;
    }
    let categories = check_category_ids(&p.category_ids)?;

    let mut q: Vec<(&str, String)> = Vec::with_capacity(9);
    let (base, path, fragment) = match kind {
        AuthLinkKind::Pc => (&bases.mp, "cgi-bin/componentloginpage", ""),
        AuthLinkKind::H5 => {
            q.push(("action", "bindcomponent".into()));
            q.push(("no_scan", "1".into()));
            (
                &bases.open,
                "wxaopen/safe/bindcomponent",
                "#wechat_redirect",
            )
        }
    };
    q.push(("component_appid", p.component_appid.clone()));
    q.push(("pre_auth_code", p.pre_auth_code.clone()));
    q.push(("redirect_uri", redirect.to_string()));
    q.push(("auth_type", auth_type.to_string()));
    if let Some(biz) = &p.biz_appid {
        q.push(("biz_appid", biz.clone()));
    }
    if !categories.is_empty() {
        let joined: Vec<String> = categories.iter().map(u32::to_string).collect();
        q.push(("category_id_list", joined.join("|")));
    }
    let field = match kind {
        AuthLinkKind::Pc => "mp_base",
        AuthLinkKind::H5 => "open_base",
    };
    Ok(format!(
        "{}?{}{fragment}",
        endpoint(base, field, path)?,
        query(&q)
    ))
}

/// Builds the reuse-Official-Account fast-registration link:
/// `{mp}cgi-bin/fastregisterauth?appid=…&component_appid=…&copy_wx_verify=1|0&redirect_uri=…`.
///
/// After the OA admin confirms, the browser lands on `redirect_uri` with
/// `ticket=…` appended; read it with [`parse_callback`] and pass it to
/// `cgi-bin/account/fastregister`.
pub fn fastregister_link(bases: &Bases, p: &FastRegisterLinkParams) -> Result<String, Error> {
    validate_appid("component_appid", &p.component_appid)?;
    validate_appid("appid", &p.appid)?;
    let redirect = check_redirect_uri(&p.redirect_uri)?;
    let q: Vec<(&str, String)> = vec![
        ("appid", p.appid.clone()),
        ("component_appid", p.component_appid.clone()),
        (
            "copy_wx_verify",
            if p.copy_wx_verify { "1" } else { "0" }.into(),
        ),
        ("redirect_uri", redirect.to_string()),
    ];
    Ok(format!(
        "{}?{}",
        endpoint(&bases.mp, "mp_base", "cgi-bin/fastregisterauth")?,
        query(&q)
    ))
}

fn query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What WeChat appended to the redirect URI.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct CallbackParams {
    /// The authorization code (after an authorization); exchange it with `api_query_auth`.
    pub auth_code: Option<String>,
    /// Seconds the authorization code stays valid (WeChat sends 600).
    pub expires_in: Option<i64>,
    /// The fast-registration ticket (after `fastregisterauth`); pass it to `cgi-bin/account/fastregister`.
    pub ticket: Option<String>,
}

impl fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mask = |v: &Option<String>| v.as_ref().map(|_| "***");
        f.debug_struct("CallbackParams")
            .field("auth_code", &mask(&self.auth_code))
            .field("expires_in", &self.expires_in)
            .field("ticket", &mask(&self.ticket))
            .finish()
    }
}

/// Reads `auth_code`, `expires_in` and `ticket` from the address the
/// merchant's browser landed on after consent.
///
/// Accepts a full URL (`https://your.domain/cb?auth_code=…&expires_in=600`),
/// a URL whose parameters sit behind a hash route (`https://x/#/cb?auth_code=…`),
/// or just the query string (`auth_code=…&expires_in=600`, with or without the
/// leading `?`). A bare code is rejected: without its parameter name it cannot
/// be told apart from a ticket or a typo. When a parameter appears more than
/// once the last one wins, because WeChat appends its own after any the
/// redirect URI already had.
pub fn parse_callback(url_or_query: &str) -> Result<CallbackParams, Error> {
    const FIELD: &str = "callback_url";
    let input = url_or_query.trim();
    if input.is_empty() {
        return Err(Error::invalid(
            FIELD,
            "is empty; paste the whole address from the browser's address bar after the merchant confirmed \
             (it contains auth_code=… or ticket=…)",
        ));
    }
    let looks_like_url = input.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
    });
    let queries: Vec<String> = if looks_like_url {
        let url = Url::parse(input).map_err(|e| {
            Error::invalid(
                FIELD,
                format!("is not a valid URL ({e}); paste the whole address from the browser's address bar"),
            )
        })?;
        let mut qs = Vec::new();
        if let Some(q) = url.query() {
            qs.push(q.to_string());
        }
        // Single-page apps with hash routing receive the parameters after the '#'.
        if let Some(frag) = url.fragment() {
            if let Some((_, q)) = frag.split_once('?') {
                qs.push(q.to_string());
            }
        }
        qs
    } else {
        let q = input.strip_prefix('?').unwrap_or(input);
        if !q.contains('=') {
            return Err(Error::invalid(
                FIELD,
                "looks like a bare value, not a callback address; paste the whole address from the browser's \
                 address bar (it contains auth_code=… or ticket=…), or pass the code with its own option",
            ));
        }
        vec![q.to_string()]
    };

    let mut out = CallbackParams::default();
    let mut saw_pre_auth_code = false;
    for q in &queries {
        for (k, v) in form_urlencoded::parse(q.as_bytes()) {
            let v = v.trim();
            if matches!(k.as_ref(), "auth_code" | "ticket")
                && !v.bytes().all(|b| b.is_ascii_graphic())
            {
                // A broken escape decodes to U+FFFD: sending that to WeChat only burns a call.
                return Err(Error::invalid(
                    FIELD,
                    format!(
                        "{k}={} holds characters a WeChat code never has (spaces, non-ASCII or a broken %-escape); paste the address unchanged",
                        crate::redact::mask(v)
                    ),
                ));
            }
            match k.as_ref() {
                "auth_code" if !v.is_empty() => out.auth_code = Some(v.to_string()),
                "ticket" if !v.is_empty() => out.ticket = Some(v.to_string()),
                "expires_in" if !v.is_empty() => {
                    let n = v.parse::<i64>().map_err(|_| {
                        Error::invalid(
                            FIELD,
                            format!(
                                "expires_in={} is not a whole number of seconds; paste the address unchanged",
                                shown(v)
                            ),
                        )
                    })?;
                    out.expires_in = Some(n);
                }
                "pre_auth_code" => saw_pre_auth_code = true,
                _ => {}
            }
        }
    }
    if out.auth_code.is_none() && out.ticket.is_none() {
        let why = if saw_pre_auth_code {
            "this is the authorization link itself, not the address the browser landed on afterwards; \
             open it, let the admin confirm, then paste the address of the page WeChat redirected to"
        } else {
            "has neither auth_code nor ticket; paste the address the browser landed on after the admin confirmed. \
             If the page never loaded, check that redirect_uri's host is the platform's 登录授权的发起页域名 \
             (the authorized push also carries the code as AuthorizationCode)"
        };
        return Err(Error::invalid(FIELD, why));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_matches_encode_uri_component() {
        assert_eq!(encode("AZaz09-_.!~*'()"), "AZaz09-_.!~*'()");
        assert_eq!(
            encode("a b/c?d=e&f#g|h+"),
            "a%20b%2Fc%3Fd%3De%26f%23g%7Ch%2B"
        );
        assert_eq!(encode("回调"), "%E5%9B%9E%E8%B0%83");
    }

    #[test]
    fn endpoint_keeps_prefix() {
        let b = Url::parse("http://127.0.0.1:9/wx").unwrap();
        assert_eq!(
            endpoint(&b, "mp_base", "cgi-bin/x").unwrap(),
            "http://127.0.0.1:9/wx/cgi-bin/x"
        );
        let b = Url::parse("http://127.0.0.1:9/wx/?a=1#f").unwrap();
        assert_eq!(
            endpoint(&b, "mp_base", "cgi-bin/x").unwrap(),
            "http://127.0.0.1:9/wx/cgi-bin/x"
        );
    }

    #[test]
    fn category_ids_dedup_and_reject_zero() {
        assert_eq!(check_category_ids(&[2, 1, 2]).unwrap(), vec![2, 1]);
        assert!(check_category_ids(&[1, 0]).is_err());
    }
}
