//! Shared helpers: start a sandbox, call it, assert WeChat-shaped errors.

use std::time::Duration;

use serde_json::{json, Value};
use wxdesk_sandbox::{
    AccountKind, AuthorizeSeed, ComponentSeed, Sandbox, SandboxConfig, SandboxHandle,
};

pub const APPID: &str = "wx1111111111111111";
pub const SECRET: &str = "secret-of-the-test-app";
pub const COMPONENT: &str = "wx2222222222222222";
pub const COMPONENT_SECRET: &str = "secret-of-the-test-component";
pub const MSG_TOKEN: &str = "AAAAA";
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

pub async fn start() -> SandboxHandle {
    start_with(SandboxConfig::default()).await
}

pub async fn start_with(config: SandboxConfig) -> SandboxHandle {
    let sb = Sandbox::start(config).await.expect("sandbox starts");
    sb.add_app(APPID, SECRET);
    sb
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub fn component_seed(push_url: Option<String>) -> ComponentSeed {
    ComponentSeed {
        appid: COMPONENT.into(),
        secret: COMPONENT_SECRET.into(),
        token: MSG_TOKEN.into(),
        encoding_aes_key: AES_KEY.into(),
        push_url,
        name: Some("Test Platform".into()),
    }
}

/// An authorization of the test component by an account of `kind` (a new
/// one, or `appid` again), with no particular permission sets.
pub fn seed(kind: AccountKind, appid: Option<&str>) -> AuthorizeSeed {
    AuthorizeSeed {
        component_appid: COMPONENT.into(),
        authorizer_appid: appid.map(str::to_string),
        kind,
        func_ids: vec![],
    }
}

pub async fn get(sb: &SandboxHandle, path_and_query: &str) -> Value {
    let resp = client()
        .get(format!("{}{}", sb.base_url(), path_and_query))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path_and_query}");
    resp.json().await.unwrap()
}

pub async fn post(sb: &SandboxHandle, path_and_query: &str, body: Value) -> Value {
    let resp = client()
        .post(format!("{}{}", sb.base_url(), path_and_query))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200, "{path_and_query}");
    resp.json().await.unwrap()
}

/// Posts `form` to a sandbox page at `path`, as the browser's form would.
pub async fn submit(sb: &SandboxHandle, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(format!("{}{}", sb.base_url(), path))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// The body of the page at the absolute `url`.
pub async fn html_at(url: &str) -> String {
    client()
        .get(url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Asserts a WeChat error body: the errcode and a ` rid: ` suffix.
#[track_caller]
pub fn assert_err(v: &Value, errcode: i64) {
    assert_eq!(v["errcode"], json!(errcode), "unexpected body: {v}");
    let msg = v["errmsg"].as_str().unwrap_or_default();
    assert!(msg.contains(" rid: "), "errmsg lacks a rid: {v}");
    let rid = msg.rsplit(" rid: ").next().unwrap();
    let parts: Vec<&str> = rid.split('-').collect();
    assert_eq!(parts.len(), 3, "rid shape: {rid}");
    assert!(parts
        .iter()
        .all(|p| p.len() == 8 && p.chars().all(|c| c.is_ascii_hexdigit())));
}

/// Asserts a success body of a token-style endpoint (no errcode).
#[track_caller]
pub fn assert_payload(v: &Value) {
    assert!(v.get("errcode").is_none(), "unexpected errcode: {v}");
}

pub async fn legacy_token(sb: &SandboxHandle) -> String {
    let v = get(
        sb,
        &format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"),
    )
    .await;
    v["access_token"].as_str().expect("token").to_string()
}

pub async fn stable_token(sb: &SandboxHandle, force: bool) -> Value {
    post(
        sb,
        "/cgi-bin/stable_token",
        json!({"grant_type":"client_credential","appid":APPID,"secret":SECRET,"force_refresh":force}),
    )
    .await
}

/// Adds the test component and returns a component_access_token.
pub async fn component_token(sb: &SandboxHandle, push_url: Option<String>) -> String {
    sb.add_component(component_seed(push_url));
    fetch_component_token(sb).await
}

/// A component_access_token of the test component (already added), fetched
/// with a newly issued ticket.
pub async fn fetch_component_token(sb: &SandboxHandle) -> String {
    let ticket = sb.issue_ticket(COMPONENT).unwrap();
    let v = post(
        sb,
        "/cgi-bin/component/api_component_token",
        json!({"component_appid":COMPONENT,"component_appsecret":COMPONENT_SECRET,"component_verify_ticket":ticket}),
    )
    .await;
    v["component_access_token"]
        .as_str()
        .expect("component token")
        .to_string()
}

pub async fn pre_auth_code(sb: &SandboxHandle, token: &str) -> String {
    let v = post(
        sb,
        &format!("/cgi-bin/component/api_create_preauthcode?component_access_token={token}"),
        json!({"component_appid": COMPONENT}),
    )
    .await;
    v["pre_auth_code"]
        .as_str()
        .expect("pre_auth_code")
        .to_string()
}

pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Query parameters of a URL.
pub fn query_of(url: &str) -> std::collections::HashMap<String, String> {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    let q = q.split('#').next().unwrap_or_default();
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}
