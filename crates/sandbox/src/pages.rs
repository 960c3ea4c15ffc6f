//! The browser pages WeChat shows to account administrators.
//!
//! A platform sends an admin to WeChat's consent page (PC
//! `cgi-bin/componentloginpage`, H5 `wxaopen/safe/bindcomponent`); WeChat
//! validates the link, lets the admin pick an account, and redirects back to
//! the platform's `redirect_uri` with `auth_code` and `expires_in`. The same
//! shape applies to `cgi-bin/fastregisterauth` (redirects with a `ticket`) and
//! to the personal / trial fast-registration confirmation pages. The sandbox
//! renders real, clickable pages for all of them so the whole flow can be
//! exercised by a person or a browser test, and renders an HTTP 400 page
//! naming the problem for every malformed link — the most common integration
//! bug is a bad link, and real WeChat's error pages are famously vague.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::component::{grant, record_grant_push, valid_appid, AccountKind, Grant};
use crate::html::{error_page, esc, hidden, page, respond};
use crate::pushes::{self, append_query};
use crate::state::{AppState, State as SandboxState, AUTH_CODE_TTL};
use crate::wx::{parse_query, Params};

// The fast-registration pages live in `pages_fastregister`; `pages::X` paths keep working.
pub(crate) use crate::pages_fastregister::*;

/// Permission-set labels shown on the consent page (sandbox labels; unknown ids are shown by number).
fn permission_label(id: u32) -> String {
    let label = match id {
        1 => "消息管理权限 Message management",
        2 => "用户管理权限 User management",
        3 => "帐号服务权限 Account services",
        4 => "网页服务权限 Web services",
        5 => "微信小店权限 WeChat store",
        6 => "微信多客服权限 Multi-agent customer service",
        7 => "群发与通知权限 Mass messages and notifications",
        8 => "微信卡券权限 Cards and offers",
        9 => "微信扫一扫权限 Scan",
        10 => "微信连WIFI权限 Wi-Fi",
        11 => "素材管理权限 Media management",
        12 => "微信摇周边权限 Shake nearby",
        13 => "微信门店权限 Stores",
        15 => "自定义菜单权限 Custom menus",
        17 => "帐号管理权限（小程序） Mini program account management",
        18 => "开发管理与数据分析权限（小程序） Mini program development and analytics",
        19 => "客服消息管理权限（小程序） Mini program customer service messages",
        22 => "城市服务权限 City services",
        23 => "广告管理权限 Ads management",
        24 => "开放平台帐号管理权限 Open platform account management",
        25 => "开放平台帐号管理权限（小程序） Open platform account management (mini program)",
        26 => "微信电子发票权限 E-invoices",
        27 => "快速注册小程序权限 Fast mini program registration",
        30 => "小程序基本信息设置权限 Mini program basic settings",
        31 => "小程序认证权限 Mini program verification",
        _ => return format!("权限集 #{id} Permission set #{id}"),
    };
    format!("{label} (#{id})")
}

/// What an `auth_type` value means.
fn auth_type_label(auth_type: Option<u8>) -> &'static str {
    match auth_type {
        None => "未指定：展示公众号和小程序 Not given: official accounts and mini programs",
        Some(1) => "1：仅展示公众号 Official accounts only",
        Some(2) => "2：仅展示小程序 Mini programs only",
        Some(3) => "3：公众号和小程序 Official accounts and mini programs",
        Some(4) => "4：小程序推客账号 Mini program promoter accounts",
        Some(5) => "5：视频号账号 Channels accounts",
        Some(6) => {
            "6：全部（公众号、小程序、视频号） All (official accounts, mini programs, Channels)"
        }
        Some(8) => "8：带货助手账号 Sales-assistant accounts",
        Some(_) => "无效 invalid",
    }
}

/// The account kinds an `auth_type` lets the admin pick.
fn allowed_kinds(auth_type: Option<u8>) -> Vec<AccountKind> {
    match auth_type {
        Some(1) => vec![AccountKind::OfficialAccount],
        Some(2) | Some(4) | Some(8) => vec![AccountKind::MiniProgram],
        _ => vec![AccountKind::MiniProgram, AccountKind::OfficialAccount],
    }
}

fn kind_value(kind: AccountKind) -> &'static str {
    match kind {
        AccountKind::MiniProgram => "mini_program",
        AccountKind::OfficialAccount => "official_account",
    }
}

/// A validated authorization link.
#[derive(Debug, Clone)]
struct ConsentLink {
    component_appid: String,
    component_name: String,
    pre_auth_code: String,
    redirect_uri: String,
    raw_auth_type: Option<String>,
    auth_type: Option<u8>,
    biz_appid: Option<String>,
    raw_category: Option<String>,
    category_ids: Vec<u32>,
}

pub(crate) fn field<'a>(map: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    map.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// Checks that `uri` is an absolute http(s) URL.
pub(crate) fn check_redirect(uri: Option<&str>, problems: &mut Vec<String>) -> Option<String> {
    match uri {
        None => problems.push(
            "缺少 redirect_uri / redirect_uri is missing: add the URL-encoded callback URL of your platform".into(),
        ),
        Some(uri) => match url::Url::parse(uri) {
            Ok(url) if (url.scheme() == "http" || url.scheme() == "https") && url.has_host() => {
                return Some(uri.to_string())
            }
            _ => problems.push(format!(
                "redirect_uri 不是绝对的 http(s) 地址 / redirect_uri {uri:?} is not an absolute http(s) URL: URL-encode the full callback URL, e.g. https%3A%2F%2Fyour.domain%2Fcallback"
            )),
        },
    }
    None
}

/// Validates the parameters of a consent link (PC or H5).
fn validate_consent(
    state: &SandboxState,
    now: i64,
    map: &HashMap<String, String>,
) -> Result<ConsentLink, Vec<String>> {
    let mut problems = Vec::new();
    let component_appid = field(map, "component_appid");
    let component = match component_appid {
        None => {
            problems.push(
                "缺少 component_appid / component_appid is missing: add your platform's appid"
                    .into(),
            );
            None
        }
        Some(appid) => match state.components.get(appid) {
            Some(c) => Some(c),
            None => {
                problems.push(format!(
                    "第三方平台不存在 / unknown component_appid {appid}: this platform is not registered in the sandbox"
                ));
                None
            }
        },
    };
    let pre_auth_code = field(map, "pre_auth_code");
    match pre_auth_code {
        None => problems.push(
            "缺少 pre_auth_code / pre_auth_code is missing: create one with api_create_preauthcode".into(),
        ),
        Some(code) => match state.pre_auth_codes.get(code) {
            None => problems.push(
                "pre_auth_code 无效 / pre_auth_code is invalid: create a fresh one with api_create_preauthcode".into(),
            ),
            Some(record) => {
                if component_appid.is_some_and(|c| c != record.component_appid) {
                    problems.push("pre_auth_code 不属于该第三方平台 / pre_auth_code was created by another platform: create it with this platform's component_access_token".into());
                } else if record.used {
                    problems.push("pre_auth_code 已被使用 / pre_auth_code has already been used: each authorization link needs a fresh pre_auth_code".into());
                } else if record.expires_at <= now {
                    problems.push("pre_auth_code 已过期 / pre_auth_code has expired: create a fresh one right before redirecting".into());
                }
            }
        },
    }
    let redirect_uri = check_redirect(field(map, "redirect_uri"), &mut problems);
    let raw_auth_type = field(map, "auth_type").map(str::to_string);
    let auth_type = match raw_auth_type.as_deref() {
        None => None,
        Some(raw) => match raw.parse::<u8>() {
            Ok(t) if matches!(t, 1..=6 | 8) => Some(t),
            _ => {
                problems.push(format!(
                    "auth_type 无效 / auth_type {raw:?} is invalid: use 1 (official accounts), 2 (mini programs), 3 (both), 4, 5, 6 or 8"
                ));
                None
            }
        },
    };
    let biz_appid = field(map, "biz_appid").map(str::to_string);
    if let Some(biz) = &biz_appid {
        if !valid_appid(biz) {
            problems.push(format!(
                "biz_appid 无效 / biz_appid {biz:?} is not an appid (wx + 16 hex digits)"
            ));
        }
    }
    let raw_category = field(map, "category_id_list").map(str::to_string);
    let mut category_ids = Vec::new();
    if let Some(raw) = &raw_category {
        for part in raw.split('|') {
            match part.trim().parse::<u32>() {
                Ok(id) if !category_ids.contains(&id) => category_ids.push(id),
                Ok(_) => {}
                Err(_) => {
                    problems.push(format!(
                        "category_id_list 格式错误 / category_id_list {raw:?} is malformed: join permission-set ids with |, e.g. 1|2|3"
                    ));
                    break;
                }
            }
        }
    }
    match (problems.is_empty(), component, pre_auth_code, redirect_uri) {
        (true, Some(c), Some(code), Some(redirect_uri)) => Ok(ConsentLink {
            component_appid: c.appid.clone(),
            component_name: c.name.clone(),
            pre_auth_code: code.to_string(),
            redirect_uri,
            raw_auth_type,
            auth_type,
            biz_appid,
            raw_category,
            category_ids,
        }),
        _ => Err(problems),
    }
}

/// Percent-encodes the bytes a Location header cannot carry as-is
/// (non-ASCII, controls, spaces), as browsers do with typed URLs.
fn ascii_location(location: &str) -> String {
    let mut out = String::with_capacity(location.len());
    for b in location.bytes() {
        if b <= 0x20 || b >= 0x7f {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(char::from(b));
        }
    }
    out
}

pub(crate) fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    match HeaderValue::from_str(&ascii_location(location)) {
        Ok(value) => {
            response.headers_mut().insert(header::LOCATION, value);
            response
        }
        // Unreachable: the location is printable ASCII by now.
        Err(_) => error_page(
            "无法跳转 Cannot redirect",
            &["redirect_uri contains characters that cannot appear in a Location header".into()],
        ),
    }
}

pub(crate) fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Form (POST body) or query (GET) parameters.
pub(crate) fn params_map(p: &Params) -> HashMap<String, String> {
    if p.method == Method::POST {
        let mut map = p.query.clone();
        map.extend(parse_query(std::str::from_utf8(&p.body).ok()));
        map
    } else {
        p.query.clone()
    }
}

/// `GET|POST /cgi-bin/componentloginpage` and `/wxaopen/safe/bindcomponent`.
pub(crate) async fn consent(State(shared): State<AppState>, uri: Uri, p: Params) -> Response {
    let path = uri.path().to_string();
    let map = params_map(&p);
    let h5 = path.starts_with("/wxaopen/");
    if h5 && field(&map, "action") != Some("bindcomponent") {
        return error_page(
            "授权链接无效 Invalid authorization link",
            &["action 必须为 bindcomponent / the H5 link needs action=bindcomponent".into()],
        );
    }
    let now = shared.now();
    if p.method != Method::POST {
        let state = shared.lock();
        return match validate_consent(&state, now, &map) {
            Ok(link) => consent_page(&state, &path, h5, &link),
            Err(problems) => error_page("授权链接无效 Invalid authorization link", &problems),
        };
    }
    let (location, delivery) = {
        let mut state = shared.lock();
        let link = match validate_consent(&state, now, &map) {
            Ok(link) => link,
            Err(problems) => return error_page("授权失败 Authorization failed", &problems),
        };
        let appid = match field(&map, "authorizer_appid") {
            Some(appid) => appid.to_string(),
            None => link.biz_appid.clone().unwrap_or_else(crate::ids::appid),
        };
        let mut problems = Vec::new();
        if !valid_appid(&appid) {
            problems.push(format!(
                "appid 格式错误 / {appid:?} is not an appid: use wx followed by 16 hex digits"
            ));
        }
        if let Some(biz) = &link.biz_appid {
            if *biz != appid {
                problems.push(format!(
                    "该授权链接仅允许 {biz} 授权 / this link (biz_appid) only lets {biz} authorize, not {appid}"
                ));
            }
        }
        let chosen = match field(&map, "kind") {
            Some("official_account") => AccountKind::OfficialAccount,
            _ => AccountKind::MiniProgram,
        };
        let kind = match state.accounts.get(&appid) {
            Some(existing) => existing.kind,
            None => chosen,
        };
        if link.biz_appid.is_none() && !allowed_kinds(link.auth_type).contains(&kind) {
            problems.push(format!(
                "auth_type 不允许该类型的帐号 / auth_type {} does not allow a {}",
                link.raw_auth_type.as_deref().unwrap_or("-"),
                kind.label()
            ));
        }
        if state.components.contains_key(&appid) {
            problems.push(format!(
                "{appid} 是第三方平台 / {appid} is a third-party platform, not an account"
            ));
        }
        if !problems.is_empty() {
            return error_page("授权失败 Authorization failed", &problems);
        }
        if let Some(record) = state.pre_auth_codes.get_mut(&link.pre_auth_code) {
            record.used = true;
        }
        let granted = match grant(
            &mut state,
            now,
            Grant {
                component_appid: link.component_appid.clone(),
                authorizer_appid: Some(appid),
                kind,
                func_ids: link.category_ids.clone(),
                profile: None,
            },
        ) {
            Ok(granted) => granted,
            Err(e) => return error_page("授权失败 Authorization failed", &[e.to_string()]),
        };
        let delivery = record_grant_push(
            &mut state,
            now,
            &link.component_appid,
            &granted,
            Some(&link.pre_auth_code),
        );
        let code: String =
            form_urlencoded::byte_serialize(granted.authorization.auth_code.as_bytes()).collect();
        let location = append_query(
            &link.redirect_uri,
            &format!("auth_code={code}&expires_in={AUTH_CODE_TTL}"),
        );
        (location, delivery)
    };
    pushes::deliver_all(&shared, delivery.into_iter().collect()).await;
    redirect(&location)
}

fn consent_page(state: &SandboxState, path: &str, h5: bool, link: &ConsentLink) -> Response {
    let permissions: String = if link.category_ids.is_empty() {
        "<li>平台已全网发布的全部权限集 / every permission set the platform has published (sandbox default)</li>".to_string()
    } else {
        link.category_ids
            .iter()
            .map(|id| format!("<li>{}</li>", esc(&permission_label(*id))))
            .collect()
    };
    let existing = link.biz_appid.as_ref().and_then(|b| state.accounts.get(b));
    let prefill = link.biz_appid.clone().unwrap_or_else(crate::ids::appid);
    let kinds = match existing {
        Some(account) => vec![account.kind],
        None if link.biz_appid.is_some() => {
            vec![AccountKind::MiniProgram, AccountKind::OfficialAccount]
        }
        None => allowed_kinds(link.auth_type),
    };
    let radios: String = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            format!(
                "<label><input type=\"radio\" name=\"kind\" value=\"{}\"{}> {}</label>",
                kind_value(*kind),
                if i == 0 { " checked" } else { "" },
                kind.label()
            )
        })
        .collect();
    let mut hidden_fields = String::new();
    if h5 {
        hidden_fields.push_str(&hidden("action", "bindcomponent"));
        hidden_fields.push_str(&hidden("no_scan", "1"));
    }
    hidden_fields.push_str(&hidden("component_appid", &link.component_appid));
    hidden_fields.push_str(&hidden("pre_auth_code", &link.pre_auth_code));
    hidden_fields.push_str(&hidden("redirect_uri", &link.redirect_uri));
    if let Some(t) = &link.raw_auth_type {
        hidden_fields.push_str(&hidden("auth_type", t));
    }
    if let Some(b) = &link.biz_appid {
        hidden_fields.push_str(&hidden("biz_appid", b));
    }
    if let Some(c) = &link.raw_category {
        hidden_fields.push_str(&hidden("category_id_list", c));
    }
    let readonly = if link.biz_appid.is_some() {
        " readonly"
    } else {
        ""
    };
    let variant = if h5 {
        "H5 (微信内 in WeChat)"
    } else {
        "PC (扫码 QR scan)"
    };
    let body = format!(
        r#"<div class="card"><h1>授权给第三方平台 Authorize a third-party platform</h1><p class="muted">{variant}</p>
<dl><dt>第三方平台 Platform</dt><dd>{name} <code>{appid}</code></dd>
<dt>授权类型 auth_type</dt><dd>{auth_type}</dd>
<dt>回调地址 Redirect</dt><dd><code>{redirect}</code></dd></dl></div>
<div class="card"><h2>申请的权限 Requested permissions</h2><ul class="perm">{permissions}</ul></div>
<form class="card" method="post" action="{action}"><h2>选择授权帐号 Choose the account</h2>{hidden_fields}
<label for="authorizer_appid">AppID（沙箱中可任意填写 any appid in the sandbox）</label>
<input type="text" id="authorizer_appid" name="authorizer_appid" value="{prefill}"{readonly}>
<label>帐号类型 Account type</label><div class="radio">{radios}</div>
<p class="muted">授权后将跳转回第三方平台，并附带 auth_code。 After authorizing you will be sent back to the platform with an auth_code.</p>
<div class="actions"><button type="submit" id="authorize">授权 Authorize</button></div></form>"#,
        name = esc(&link.component_name),
        appid = esc(&link.component_appid),
        auth_type = esc(auth_type_label(link.auth_type)),
        redirect = esc(&link.redirect_uri),
        action = esc(path),
        prefill = esc(&prefill),
    );
    respond(StatusCode::OK, page("授权 Authorize", &body))
}

/// `/safe/bindcomponent` on the old mp.weixin.qq.com host.
pub(crate) async fn legacy_bindcomponent() -> Response {
    error_page(
        "链接使用了过时的地址 Outdated authorization link",
        &["该链接使用旧的 H5 授权地址 mp.weixin.qq.com/safe/bindcomponent。请改用 https://open.weixin.qq.com/wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1&component_appid=…&pre_auth_code=…&redirect_uri=…&auth_type=…#wechat_redirect / This link uses the outdated H5 host path /safe/bindcomponent; build it on open.weixin.qq.com/wxaopen/safe/bindcomponent instead.".into()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_ascii() {
        assert_eq!(
            ascii_location("https://a.example/cb?state=中 x&auth_code=q%40"),
            "https://a.example/cb?state=%E4%B8%AD%20x&auth_code=q%40"
        );
    }
}
