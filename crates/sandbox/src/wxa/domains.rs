//! Domains: the platform's own lists (`modify_wxa_server_domain`,
//! `modify_wxa_jump_domain`, `get_domain_confirmfile`, component token) and a
//! mini program's server and business domains (`modify_domain[_directly]`,
//! `setwebviewdomain[_directly]`, `get_webviewdomain_confirmfile`,
//! `get_effective_domain`, authorizer token).
//!
//! WeChat's rule, emulated here: through `modify_domain` a platform may only
//! give a merchant domains on its own server list (61039 when that list is
//! empty, 85301 for a domain not on it), and through `setwebviewdomain` only
//! business domains on its own jump list or their subdomains (89020, 89021).
//! The `_directly` variants skip the platform list. Malformed domains (wrong
//! scheme, an IP, a path, api.weixin.qq.com) answer 85302.

use axum::extract::State;
use serde_json::{json, Value};

use super::{err, err_hint, locked_caller, DomainLists};
use crate::ids;
use crate::state::AppState;
use crate::wx::{self, Body, Params, WxError, WxResult};

/// Reads an array of strings (or a `;`-joined string) from the body.
fn list(body: &Body, field: &str) -> Result<Option<Vec<String>>, WxError> {
    match body.0.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| err_hint(47001, &format!("{field} must hold strings")))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(Value::String(s)) => Ok(Some(
            s.split(';')
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
        )),
        Some(_) => Err(err_hint(47001, &format!("{field} must be an array"))),
    }
}

fn action(body: &Body) -> Result<String, WxError> {
    let a = body
        .str("action")
        .ok_or_else(|| err_hint(47001, "action missing"))?;
    if matches!(a.as_str(), "add" | "delete" | "set" | "get") {
        Ok(a)
    } else {
        Err(err_hint(40097, "action must be add, delete, set or get"))
    }
}

/// The scheme a list requires.
fn scheme_of(field: &str) -> &'static str {
    match field {
        "wsrequestdomain" => "wss://",
        "udpdomain" => "udp://",
        "tcpdomain" => "tcp://",
        _ => "https://",
    }
}

/// The bare host of a `scheme://host[:port]` domain, or 85302.
fn host_of(field: &str, scheme: &str, url: &str) -> Result<String, WxError> {
    let bad = || err_hint(85302, &format!("{field}: {url}"));
    let rest = url.strip_prefix(scheme).ok_or_else(bad)?;
    if rest.is_empty() || rest.contains(['/', '?', '#', ' ']) {
        return Err(bad());
    }
    let host = rest
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if host.parse::<std::net::Ipv4Addr>().is_ok()
        || host == "api.weixin.qq.com"
        || !host.contains('.')
    {
        return Err(bad());
    }
    Ok(host)
}

fn on_list(host: &str, list: &[String], subdomains: bool) -> bool {
    list.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        let d = d.split(':').next().unwrap_or_default();
        host == d || (subdomains && host.ends_with(&format!(".{d}")))
    })
}

fn apply(current: &mut Vec<String>, action: &str, given: Vec<String>) {
    match action {
        "set" => *current = given,
        "add" => {
            for g in given {
                if !current.contains(&g) {
                    current.push(g);
                }
            }
        }
        "delete" => current.retain(|c| !given.contains(c)),
        _ => {}
    }
}

fn lists_json(l: &DomainLists) -> Value {
    json!({
        "requestdomain": l.requestdomain,
        "wsrequestdomain": l.wsrequestdomain,
        "uploaddomain": l.uploaddomain,
        "downloaddomain": l.downloaddomain,
        "udpdomain": l.udpdomain,
        "tcpdomain": l.tcpdomain,
    })
}

fn platform_list(body: &Body, field: &str) -> Result<Vec<String>, WxError> {
    let given = body.str(field).unwrap_or_default();
    let mut out = Vec::new();
    for d in given.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        if d.contains("://") || d.contains(['/', '?', ' ']) || !d.contains('.') {
            return Err(err_hint(85302, &format!("{field}: {d}")));
        }
        out.push(d.to_ascii_lowercase());
    }
    Ok(out)
}

async fn platform_domains(shared: AppState, p: Params, jump: bool) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let component = state.component_for_token(p.component_token(), now)?;
    let body = p.json()?;
    let action = action(&body)?;
    let field = if jump {
        "wxa_jump_h5_domain"
    } else {
        "wxa_server_domain"
    };
    let given = platform_list(&body, field)?;
    let together = body.bool("is_modify_published_together").unwrap_or(false);
    let platform = state.wxa.platform(&component);
    let (testing, published) = if jump {
        (&mut platform.jump_testing, &mut platform.jump_published)
    } else {
        (&mut platform.server_testing, &mut platform.server_published)
    };
    if action != "get" {
        apply(testing, &action, given.clone());
        if together {
            apply(published, &action, given);
        }
    }
    let (t, pb) = (testing.join(";"), published.join(";"));
    Ok(if jump {
        wx::ok(json!({"testing_wxa_jump_h5_domain": t, "published_wxa_jump_h5_domain": pb}))
    } else {
        wx::ok(json!({"testing_wxa_server_domain": t, "published_wxa_server_domain": pb}))
    })
}

/// `POST cgi-bin/component/modify_wxa_server_domain`.
pub(crate) async fn platform_server_domain(State(shared): State<AppState>, p: Params) -> WxResult {
    platform_domains(shared, p, false).await
}

/// `POST cgi-bin/component/modify_wxa_jump_domain`.
pub(crate) async fn platform_jump_domain(State(shared): State<AppState>, p: Params) -> WxResult {
    platform_domains(shared, p, true).await
}

fn confirm_file() -> Value {
    let name = ids::hex(10);
    json!({"file_name": format!("{name}.txt"), "file_content": ids::hex(32)})
}

/// `POST cgi-bin/component/get_domain_confirmfile`.
pub(crate) async fn platform_confirmfile(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let state = shared.lock();
    state.component_for_token(p.component_token(), now)?;
    Ok(wx::ok(confirm_file()))
}

/// Checks a merchant's domain against the platform's testing and published
/// lists (`subdomains`: whether a subdomain of a listed one passes): `codes.0`
/// when the platform has none, `codes.1` naming `url` when `host` is not on them.
fn platform_allows(
    lists: [&Vec<String>; 2],
    (host, url): (&str, &str),
    subdomains: bool,
    codes: (i64, i64),
) -> Result<(), WxError> {
    let allowed: Vec<String> = lists.into_iter().flatten().cloned().collect();
    if allowed.is_empty() {
        return Err(err(codes.0));
    }
    if !on_list(host, &allowed, subdomains) {
        return Err(err_hint(codes.1, url));
    }
    Ok(())
}

async fn server_domain(shared: AppState, p: Params, directly: bool) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let action = action(&body)?;
    let mut given: Vec<(&str, Vec<String>)> = Vec::new();
    for field in DomainLists::fields() {
        let Some(l) = list(&body, field)? else {
            continue;
        };
        for url in &l {
            let host = host_of(field, scheme_of(field), url)?;
            if let (false, Some(component), true) = (directly, &c.component, action != "delete") {
                let platform = state.wxa.platform(component);
                let lists = [&platform.server_testing, &platform.server_published];
                platform_allows(lists, (&host, url), false, (61039, 85301))?;
            }
        }
        given.push((field, l));
    }
    if action != "get" && action != "set" && given.iter().all(|(_, l)| l.is_empty()) {
        return Err(err(85017));
    }
    let app = state.wxa.app(&c.appid);
    let lists = if directly {
        &mut app.direct_domains
    } else {
        &mut app.third_domains
    };
    if action == "set" {
        *lists = DomainLists::default();
    }
    let before = lists.clone();
    for (field, l) in given {
        if let Some(current) = lists.get_mut(field) {
            apply(current, &action, l);
        }
    }
    if action == "add" && *lists == before {
        return Err(err(85017));
    }
    Ok(wx::ok(lists_json(lists)))
}

/// `POST wxa/modify_domain`.
pub(crate) async fn modify_domain(State(shared): State<AppState>, p: Params) -> WxResult {
    server_domain(shared, p, false).await
}

/// `POST wxa/modify_domain_directly`.
pub(crate) async fn modify_domain_directly(State(shared): State<AppState>, p: Params) -> WxResult {
    server_domain(shared, p, true).await
}

async fn webview_domain(shared: AppState, p: Params, directly: bool) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let body = p.json()?;
    let action = action(&body)?;
    let given = list(&body, "webviewdomain")?.unwrap_or_default();
    if action != "get" && action != "delete" {
        for url in &given {
            let host = host_of("webviewdomain", "https://", url)?;
            if let (false, Some(component)) = (directly, &c.component) {
                let platform = state.wxa.platform(component);
                let lists = [&platform.jump_testing, &platform.jump_published];
                platform_allows(lists, (&host, url), true, (89020, 89021))?;
            }
        }
    }
    let app = state.wxa.app(&c.appid);
    if action != "get" {
        let before = app.webview.clone();
        apply(&mut app.webview, &action, given);
        if app.webview.len() > 100 {
            app.webview = before;
            return Err(err(89029));
        }
        if app.webview == before && action == "set" {
            return Err(err(89019));
        }
    }
    Ok(wx::ok(json!({"webviewdomain": app.webview})))
}

/// `POST wxa/setwebviewdomain`.
pub(crate) async fn set_webview_domain(State(shared): State<AppState>, p: Params) -> WxResult {
    webview_domain(shared, p, false).await
}

/// `POST wxa/setwebviewdomain_directly`.
pub(crate) async fn set_webview_domain_directly(
    State(shared): State<AppState>,
    p: Params,
) -> WxResult {
    webview_domain(shared, p, true).await
}

/// `POST wxa/get_webviewdomain_confirmfile`.
pub(crate) async fn webview_confirmfile(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let _token_checked = locked_caller(&shared, &p)?;
    Ok(wx::ok(confirm_file()))
}

/// `POST wxa/get_effective_domain`.
pub(crate) async fn effective_domain(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let (_, mut state, c) = locked_caller(&shared, &p)?;
    let app = state.wxa.app(&c.appid);
    let mut effective = app.third_domains.clone();
    for field in DomainLists::fields() {
        let extra = app
            .direct_domains
            .clone()
            .get_mut(field)
            .map(std::mem::take)
            .unwrap_or_default();
        if let Some(list) = effective.get_mut(field) {
            apply(list, "add", extra);
        }
    }
    Ok(wx::ok(json!({
        "mp_domain": lists_json(&DomainLists::default()),
        "third_domain": lists_json(&app.third_domains),
        "direct_domain": lists_json(&app.direct_domains),
        "effective_domain": lists_json(&effective),
    })))
}
