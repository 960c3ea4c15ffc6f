//! The sandbox's control surface: what tests, benchmarks and the console use
//! to play the parts of WeChat that are not APIs.
//!
//! A real WeChat has users who log in (js_codes), press the phone button,
//! admins who authorize platforms, a scheduler that pushes tickets every ten
//! minutes, legal persons who pass face checks, a clock, and bad days. The
//! sandbox replaces all of them with these operations, exposed twice with the
//! same semantics: as Rust methods on [`crate::SandboxHandle`] and as JSON
//! endpoints under `/__sandbox/` (which also accept HTML form posts from the
//! console and then redirect back to it).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::codes::{self, JsCode};
use crate::component::{self, Authorization, AuthorizeSeed, ComponentSeed};
use crate::error::SandboxError;
use crate::fastregister::{self, AdvanceOutcome, FastRegisterKind};
use crate::faults::{normalize, Fault};
use crate::hook_wire::{bad_request, reply, Hook, HookBody};
use crate::pushes::{self, PushRecord};
use crate::state::{AppState, Shared};

/// Most authorizers one bulk call may create.
const BULK_LIMIT: usize = 1_000_000;

pub(crate) fn add_app(shared: &Shared, appid: &str, secret: &str) -> Result<(), SandboxError> {
    if appid.trim().is_empty() {
        return Err(SandboxError::invalid("appid", "must not be empty"));
    }
    if secret.is_empty() {
        return Err(SandboxError::invalid("secret", "must not be empty"));
    }
    let mut state = shared.lock();
    if state.components.contains_key(appid) {
        return Err(SandboxError::invalid(
            "appid",
            format!("{appid} is already a third-party platform"),
        ));
    }
    component::add_app(&mut state, appid.trim(), secret);
    Ok(())
}

pub(crate) fn add_component(shared: &Shared, seed: ComponentSeed) -> Result<(), SandboxError> {
    if seed.appid.trim().is_empty() {
        return Err(SandboxError::invalid("appid", "must not be empty"));
    }
    if seed.secret.is_empty() {
        return Err(SandboxError::invalid("secret", "must not be empty"));
    }
    if let Some(url) = &seed.push_url {
        let ok = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !url.trim().is_empty() && !ok {
            return Err(SandboxError::invalid(
                "push_url",
                "must be an absolute http(s) URL, or omitted to only record pushes",
            ));
        }
    }
    let mut state = shared.lock();
    if state.accounts.contains_key(&seed.appid) {
        return Err(SandboxError::invalid(
            "appid",
            format!(
                "{} is already a mini program / official account",
                seed.appid
            ),
        ));
    }
    component::add_component(&mut state, seed);
    Ok(())
}

pub(crate) fn issue_js_code(
    shared: &Shared,
    appid: &str,
    openid: Option<&str>,
    unionid: Option<&str>,
) -> JsCode {
    let now = shared.now();
    let mut state = shared.lock();
    codes::issue_js_code(&mut state, now, appid, openid, unionid)
}

pub(crate) fn issue_phone_code(shared: &Shared, appid: &str, phone: &str) -> String {
    let now = shared.now();
    let mut state = shared.lock();
    codes::issue_phone_code(&mut state, now, appid, phone)
}

pub(crate) fn issue_ticket(shared: &Shared, component_appid: &str) -> Result<String, SandboxError> {
    let now = shared.now();
    let mut state = shared.lock();
    component::issue_ticket(&mut state, now, component_appid)
}

/// Issues a ticket, pushes it and waits for the delivery; returns the ticket and the push.
pub(crate) async fn push_ticket(
    shared: &Arc<Shared>,
    component_appid: &str,
) -> Result<(String, PushRecord), SandboxError> {
    let now = shared.now();
    let (ticket, id, delivery) = {
        let mut state = shared.lock();
        component::issue_ticket_push(&mut state, now, component_appid)?
    };
    pushes::deliver_all(shared, delivery.into_iter().collect()).await;
    let record = pushes::get(shared, id)
        .ok_or_else(|| SandboxError::UnknownComponent(component_appid.to_string()))?;
    Ok((ticket, record))
}

pub(crate) fn authorize(
    shared: &Arc<Shared>,
    seed: AuthorizeSeed,
) -> Result<Authorization, SandboxError> {
    let now = shared.now();
    let (authorization, delivery) = {
        let mut state = shared.lock();
        component::authorize(&mut state, now, seed)?
    };
    pushes::deliver_in_background(shared, delivery.into_iter().collect());
    Ok(authorization)
}

pub(crate) fn seed_authorizers(
    shared: &Shared,
    component_appid: &str,
    count: usize,
) -> Result<Vec<String>, SandboxError> {
    if count > BULK_LIMIT {
        return Err(SandboxError::invalid(
            "count",
            format!("at most {BULK_LIMIT} per call"),
        ));
    }
    let now = shared.now();
    let mut state = shared.lock();
    component::seed_authorizers(&mut state, now, component_appid, count)
}

pub(crate) fn unauthorize(
    shared: &Arc<Shared>,
    component_appid: &str,
    authorizer_appid: &str,
) -> Result<(), SandboxError> {
    let now = shared.now();
    let delivery = {
        let mut state = shared.lock();
        component::unauthorize(&mut state, now, component_appid, authorizer_appid)?
    };
    pushes::deliver_in_background(shared, delivery.into_iter().collect());
    Ok(())
}

pub(crate) fn set_fault(shared: &Shared, mut fault: Fault) {
    fault.endpoint = normalize(&fault.endpoint);
    shared.lock().faults.push(fault);
}

pub(crate) fn clear_faults(shared: &Shared) {
    shared.lock().faults.clear();
}

pub(crate) fn advance_clock(shared: &Shared, by: Duration) {
    shared.clock.advance(by);
}

pub(crate) fn counter(shared: &Shared, endpoint: &str) -> u64 {
    shared
        .lock()
        .counters
        .get(&normalize(endpoint))
        .copied()
        .unwrap_or(0)
}

pub(crate) fn counters(shared: &Shared) -> BTreeMap<String, u64> {
    shared.lock().counters.clone()
}

pub(crate) fn reset_counters(shared: &Shared) {
    shared.lock().counters.clear();
}

pub(crate) fn all_pushes(shared: &Shared) -> Vec<PushRecord> {
    shared.lock().pushes.clone()
}

// ---- HTTP ----

/// The `/__sandbox` routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/apps", post(http_apps))
        .route("/components", post(http_components))
        .route("/codes/js", post(http_js_code))
        .route("/codes/phone", post(http_phone_code))
        .route("/tickets", post(http_tickets))
        .route("/authorize", post(http_authorize))
        .route("/authorizers/bulk", post(http_bulk))
        .route("/unauthorize", post(http_unauthorize))
        .route(
            "/faults",
            post(http_add_fault)
                .delete(http_clear_faults)
                .get(http_faults),
        )
        .route("/clock", post(http_clock).get(http_get_clock))
        .route("/counters", get(http_counters))
        .route("/counters/reset", post(http_reset_counters))
        .route("/pushes", get(http_pushes))
        .route("/fastregister/advance", post(http_advance))
        .route("/state", get(http_state))
        .route("/demo", get(http_demo))
        .route("/open_data", post(crate::open_data::http_sample))
        .nest("/wxa", crate::wxa::hooks::router())
        .route("/team/write", post(crate::team::http_write))
        .fallback(http_unknown)
}

#[derive(Deserialize)]
struct AppInput {
    appid: String,
    secret: String,
}

impl HookBody for AppInput {
    const EXPECTED: &'static str = r#"{"appid":"wx…","secret":"…"}"#;
}

async fn http_apps(
    State(shared): State<AppState>,
    Hook { input, value: a }: Hook<AppInput>,
) -> Response {
    let result = add_app(&shared, &a.appid, &a.secret).map(|()| json!({"appid": a.appid}));
    reply(&shared, &input, "add app", result)
}

impl HookBody for ComponentSeed {
    const EXPECTED: &'static str =
        r#"{"appid","secret","token","encoding_aes_key","push_url"?,"name"?}"#;
}

async fn http_components(
    State(shared): State<AppState>,
    Hook { input, value: seed }: Hook<ComponentSeed>,
) -> Response {
    let appid = seed.appid.clone();
    let result = add_component(&shared, seed).map(|()| json!({"appid": appid}));
    reply(&shared, &input, "add component", result)
}

#[derive(Deserialize)]
struct JsCodeInput {
    appid: String,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    unionid: Option<String>,
}

impl HookBody for JsCodeInput {
    const EXPECTED: &'static str = r#"{"appid","openid"?,"unionid"?}"#;
}

async fn http_js_code(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<JsCodeInput>,
) -> Response {
    let code = issue_js_code(&shared, &i.appid, i.openid.as_deref(), i.unionid.as_deref());
    reply(&shared, &input, "js_code", Ok::<_, SandboxError>(code))
}

#[derive(Deserialize)]
struct PhoneInput {
    appid: String,
    phone: String,
}

impl HookBody for PhoneInput {
    const EXPECTED: &'static str = r#"{"appid","phone"}"#;
}

async fn http_phone_code(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<PhoneInput>,
) -> Response {
    let code = issue_phone_code(&shared, &i.appid, &i.phone);
    reply(
        &shared,
        &input,
        "phone code",
        Ok::<_, SandboxError>(json!({"code": code})),
    )
}

#[derive(Deserialize)]
struct TicketInput {
    component_appid: String,
    #[serde(default)]
    push: bool,
}

impl HookBody for TicketInput {
    const EXPECTED: &'static str = r#"{"component_appid","push":bool}"#;
}

async fn http_tickets(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<TicketInput>,
) -> Response {
    if i.push {
        let result = push_ticket(&shared, &i.component_appid)
            .await
            .map(|(ticket, record)| json!({"ticket": ticket, "push": record}));
        reply(&shared, &input, "ticket push", result)
    } else {
        let result = issue_ticket(&shared, &i.component_appid).map(|t| json!({"ticket": t}));
        reply(&shared, &input, "ticket", result)
    }
}

impl HookBody for AuthorizeSeed {
    const EXPECTED: &'static str = r#"{"component_appid","authorizer_appid"?,"kind":"mini_program"|"official_account","func_ids":[…]}"#;
}

async fn http_authorize(
    State(shared): State<AppState>,
    Hook { input, value: seed }: Hook<AuthorizeSeed>,
) -> Response {
    let result = authorize(&shared, seed);
    reply(&shared, &input, "authorize", result)
}

#[derive(Deserialize)]
struct BulkInput {
    component_appid: String,
    count: usize,
}

impl HookBody for BulkInput {
    const EXPECTED: &'static str = r#"{"component_appid","count"}"#;
}

async fn http_bulk(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<BulkInput>,
) -> Response {
    let result = seed_authorizers(&shared, &i.component_appid, i.count)
        .map(|appids| json!({"appids": appids}));
    reply(&shared, &input, "bulk authorizers", result)
}

#[derive(Deserialize)]
struct UnauthorizeInput {
    component_appid: String,
    authorizer_appid: String,
}

impl HookBody for UnauthorizeInput {
    const EXPECTED: &'static str = r#"{"component_appid","authorizer_appid"}"#;
}

async fn http_unauthorize(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<UnauthorizeInput>,
) -> Response {
    let result = unauthorize(&shared, &i.component_appid, &i.authorizer_appid).map(|()| json!({}));
    reply(&shared, &input, "unauthorize", result)
}

impl HookBody for Fault {
    const EXPECTED: &'static str = r#"{"endpoint":"cgi-bin/token"|"*","kind":"latency"|"status"|"malformed_json"|"connection_reset"|"slow_body"|"errcode", …,"times":null}"#;
}

async fn http_add_fault(
    State(shared): State<AppState>,
    Hook {
        input,
        value: fault,
    }: Hook<Fault>,
) -> Response {
    if let crate::faults::FaultKind::Status { code } = fault.kind {
        if !(100..=999).contains(&code) {
            return bad_request("code: an HTTP status must be between 100 and 999");
        }
    }
    set_fault(&shared, fault.clone());
    reply(&shared, &input, "fault", Ok::<_, SandboxError>(fault))
}

async fn http_clear_faults(State(shared): State<AppState>) -> Response {
    clear_faults(&shared);
    Json(json!({})).into_response()
}

async fn http_faults(State(shared): State<AppState>) -> Response {
    Json(shared.lock().faults.clone()).into_response()
}

#[derive(Deserialize)]
struct ClockInput {
    advance_secs: u64,
}

fn clock_json(shared: &Shared) -> Value {
    json!({"now": shared.now(), "offset_secs": shared.clock.offset_secs()})
}

impl HookBody for ClockInput {
    const EXPECTED: &'static str = r#"{"advance_secs"}"#;
}

async fn http_clock(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<ClockInput>,
) -> Response {
    advance_clock(&shared, Duration::from_secs(i.advance_secs));
    reply(
        &shared,
        &input,
        "clock",
        Ok::<_, SandboxError>(clock_json(&shared)),
    )
}

async fn http_get_clock(State(shared): State<AppState>) -> Response {
    Json(clock_json(&shared)).into_response()
}

async fn http_counters(State(shared): State<AppState>) -> Response {
    Json(counters(&shared)).into_response()
}

async fn http_reset_counters(State(shared): State<AppState>) -> Response {
    reset_counters(&shared);
    Json(json!({})).into_response()
}

async fn http_pushes(State(shared): State<AppState>) -> Response {
    Json(all_pushes(&shared)).into_response()
}

#[derive(Deserialize)]
struct AdvanceInput {
    kind: FastRegisterKind,
    key: String,
    #[serde(default)]
    status: Option<i64>,
}

impl HookBody for AdvanceInput {
    const EXPECTED: &'static str = r#"{"kind":"enterprise"|"personal"|"beta","key","status"?}"#;
}

async fn http_advance(
    State(shared): State<AppState>,
    Hook { input, value: i }: Hook<AdvanceInput>,
) -> Response {
    let result: Result<AdvanceOutcome, SandboxError> =
        fastregister::advance(&shared, i.kind, &i.key, i.status).await;
    reply(&shared, &input, "fast registration", result)
}

async fn http_state(State(shared): State<AppState>) -> Response {
    let state = shared.lock();
    let body = json!({
        "base_url": shared.base_url,
        "clock": {"now": shared.now(), "offset_secs": shared.clock.offset_secs()},
        "state": &*state,
    });
    Json(body).into_response()
}

async fn http_demo(State(shared): State<AppState>) -> Response {
    Json(crate::demo::ensure(&shared)).into_response()
}

async fn http_unknown() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(
            json!({"error": "unknown sandbox hook; see the crate docs for the /__sandbox/ routes"}),
        ),
    )
        .into_response()
}
