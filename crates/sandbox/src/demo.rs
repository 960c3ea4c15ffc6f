//! Demo mode and the sandbox console.
//!
//! `wxdesk sandbox` starts the emulator for people, not tests: it seeds a
//! ready-to-use mini program, a third-party platform with a valid
//! EncodingAESKey, an authorized mini program and a fresh ticket, and serves a
//! small console at `/` listing those credentials, with buttons (plain HTML
//! forms posting to the `/__sandbox/` hooks) to mint a js_code or phone code,
//! push a new ticket, advance the clock, and copy the raw recent pushes.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::component::{self, AccountKind, AuthorizeSeed, ComponentSeed};
use crate::html::{esc, page, respond};
use crate::ids;
use crate::state::{AppState, Shared};

/// The accounts seeded in demo mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAccounts {
    /// A mini program with its own secret (for `cgi-bin/token`, `jscode2session`…).
    pub mini_program_appid: String,
    /// Its AppSecret.
    pub mini_program_secret: String,
    /// The demo third-party platform's appid.
    pub component_appid: String,
    /// Its appsecret.
    pub component_secret: String,
    /// Its message-verification token.
    pub component_token: String,
    /// Its 43-character EncodingAESKey.
    pub component_encoding_aes_key: String,
    /// A component_verify_ticket issued at start (valid 12 h).
    pub ticket: String,
    /// A mini program already authorized to the demo platform.
    pub authorizer_appid: String,
}

/// Returns the demo accounts, seeding them first if needed.
pub(crate) fn ensure(shared: &std::sync::Arc<Shared>) -> DemoAccounts {
    let now = shared.now();
    let mut state = shared.lock();
    if let Some(demo) = &state.demo {
        return demo.clone();
    }
    // With a credential seed (the sandbox wxdesk embeds), the same accounts
    // come back after a restart, so what the operator stored keeps working.
    let made = ids::Made(shared.config.credential_seed.as_ref());
    let mini_program_appid = made.appid("demo/app");
    let mini_program_secret = made.secret(&format!("app-secret/{mini_program_appid}"));
    component::add_app(&mut state, &mini_program_appid, &mini_program_secret);
    let component_appid = made.appid("demo/component");
    let seed = ComponentSeed {
        secret: made.secret(&format!("component-secret/{component_appid}")),
        token: made.message_token(&format!("component-token/{component_appid}")),
        encoding_aes_key: made.encoding_aes_key(&format!("component-aes/{component_appid}")),
        appid: component_appid,
        push_url: None,
        name: Some("沙箱演示平台 Sandbox Demo Platform".to_string()),
    };
    component::add_component(&mut state, seed.clone());
    // The component exists: these cannot fail, but stay total anyway.
    let ticket = component::issue_ticket_push(&mut state, now, &seed.appid)
        .map(|(ticket, _, _)| ticket)
        .unwrap_or_default();
    let authorizer_appid = component::authorize(
        &mut state,
        now,
        AuthorizeSeed {
            component_appid: seed.appid.clone(),
            authorizer_appid: Some(made.appid("demo/authorizer")),
            kind: AccountKind::MiniProgram,
            func_ids: Vec::new(),
        },
    )
    .map(|(a, _)| a.authorizer_appid)
    .unwrap_or_default();
    let demo = DemoAccounts {
        mini_program_appid,
        mini_program_secret,
        component_appid: seed.appid,
        component_secret: seed.secret,
        component_token: seed.token,
        component_encoding_aes_key: seed.encoding_aes_key,
        ticket,
        authorizer_appid,
    };
    state.demo = Some(demo.clone());
    demo
}

fn input(name: &str, label: &str, value: &str) -> String {
    format!(
        "<label>{label}</label><input type=\"text\" name=\"{}\" value=\"{}\">",
        esc(name),
        esc(value)
    )
}

fn textarea(value: &str) -> String {
    format!(
        "<textarea readonly onclick=\"this.select()\">{}</textarea>",
        esc(value)
    )
}

/// `GET /`: the console.
pub(crate) async fn console(State(shared): State<AppState>) -> Response {
    let state = shared.lock();
    let demo = state.demo.clone();
    let mp = demo
        .as_ref()
        .map(|d| d.mini_program_appid.clone())
        .or_else(|| state.accounts.keys().next().cloned())
        .unwrap_or_default();
    let comp = demo
        .as_ref()
        .map(|d| d.component_appid.clone())
        .or_else(|| state.components.keys().next().cloned())
        .unwrap_or_default();
    let mut body = String::new();
    let _ = write!(
        body,
        "<div class=\"card\"><h1>沙箱控制台 Sandbox console</h1><p>把客户端的 api / mp / open 基础地址都指向 Point the api, mp and open base URLs of your client at <code>{}</code>. 虚拟时钟 Virtual clock: <code>{}</code> (offset {} s).</p></div>",
        esc(&shared.base_url),
        shared.now(),
        shared.clock.offset_secs()
    );
    if let Some(d) = &demo {
        let _ = write!(
            body,
            "<div class=\"card ok\"><h2>演示帐号 Demo accounts</h2><dl><dt>小程序 Mini program AppID</dt><dd><code>{}</code></dd><dt>AppSecret</dt><dd><code>{}</code></dd><dt>第三方平台 Platform AppID</dt><dd><code>{}</code></dd><dt>Platform AppSecret</dt><dd><code>{}</code></dd><dt>消息校验 Token</dt><dd><code>{}</code></dd><dt>EncodingAESKey</dt><dd><code>{}</code></dd><dt>component_verify_ticket</dt><dd><code>{}</code></dd><dt>已授权小程序 Authorized mini program</dt><dd><code>{}</code></dd></dl></div>",
            esc(&d.mini_program_appid),
            esc(&d.mini_program_secret),
            esc(&d.component_appid),
            esc(&d.component_secret),
            esc(&d.component_token),
            esc(&d.component_encoding_aes_key),
            esc(&d.ticket),
            esc(&d.authorizer_appid),
        );
    }
    let _ = write!(
        body,
        "<div class=\"card\"><h2>操作 Actions</h2><div class=\"grid\">\
<form method=\"post\" action=\"/__sandbox/codes/js\"><h2>wx.login</h2>{}{}<div class=\"actions\"><button type=\"submit\" id=\"mint-js-code\">生成 js_code</button></div></form>\
<form method=\"post\" action=\"/__sandbox/codes/phone\"><h2>getPhoneNumber</h2>{}{}<div class=\"actions\"><button type=\"submit\" id=\"mint-phone-code\">生成手机号 code</button></div></form>\
<form method=\"post\" action=\"/__sandbox/tickets\"><h2>component_verify_ticket</h2>{}<input type=\"hidden\" name=\"push\" value=\"true\"><div class=\"actions\"><button type=\"submit\" id=\"push-ticket\">推送新 ticket Push</button></div></form>\
<form method=\"post\" action=\"/__sandbox/clock\"><h2>时钟 Clock</h2>{}<div class=\"actions\"><button type=\"submit\" class=\"secondary\" id=\"advance-clock\">前进 Advance</button></div></form>\
</div></div>",
        input("appid", "AppID", &mp),
        input("openid", "openid（可选 optional）", ""),
        input("appid", "AppID", &mp),
        input("phone", "手机号 Phone", "13800138000"),
        input("component_appid", "Platform AppID", &comp),
        input("advance_secs", "秒 Seconds", "300"),
    );
    let _ = write!(
        body,
        "<div class=\"card\" id=\"results\"><h2>最近结果 Recent results</h2>"
    );
    if state.console.is_empty() {
        body.push_str("<p class=\"muted\">暂无 Nothing yet.</p>");
    }
    for entry in &state.console {
        body.push_str(&textarea(entry));
    }
    body.push_str("</div><div class=\"card\"><h2>最近推送 Recent pushes</h2>");
    if state.pushes.is_empty() {
        body.push_str("<p class=\"muted\">暂无 Nothing yet.</p>");
    }
    for push in state.pushes.iter().rev().take(10) {
        let status = match (push.delivered, &push.error) {
            (Some(code), None) => format!("已送达 delivered (HTTP {code})"),
            (_, Some(error)) => format!("未送达 not delivered: {error}"),
            (None, None) => "投递中 delivering…".to_string(),
        };
        let _ = write!(
            body,
            "<h2>#{} {} <span class=\"muted\">{} · {}</span></h2><label>Query</label>{}<label>Body</label>{}",
            push.id,
            esc(&push.info_type),
            esc(&push.component_appid),
            esc(&status),
            textarea(&push.query),
            textarea(&push.body),
        );
    }
    body.push_str("</div>");
    drop(state);
    respond(StatusCode::OK, page("沙箱控制台 Sandbox console", &body))
}
