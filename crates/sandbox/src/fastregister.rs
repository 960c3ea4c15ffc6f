//! Fast registration of mini programs by a platform (§6).
//!
//! Four flows, all ending in a new mini program authorized to the platform:
//!
//! * enterprise (`cgi-bin/component/fastregisterweapp?action=create|search`):
//!   field validation (89253/89248/89255), one running task per name (89249),
//!   search answers the task state as an errcode (89251/89252/89250);
//! * personal (`wxa/component/fastregisterpersonalweapp?action=create|query`):
//!   a task with a status and an `authorize_url` pointing at the sandbox's own
//!   page;
//! * trial (`wxa/component/fastregisterbetaweapp`): a `unique_id` and a
//!   confirmation page;
//! * reuse of an official account (`cgi-bin/account/fastregister`) with a
//!   single-use ticket from the `fastregisterauth` page.
//!
//! Tasks progress only when told to (the `fastregister/advance` hook or the
//! buttons on the sandbox pages): the real flows wait for a person's face
//! check, which a test must control. Completion creates the mini program,
//! authorizes it and pushes `notify_third_fasteregister` (sic) or
//! `notify_third_fastregisterbetaapp`.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::component::{component_call, AccountKind};
use crate::ids;
use crate::state::{AppState, State as SandboxState, TokenOwner, REGISTER_TICKET_TTL};
use crate::tokens::use_quota;
use crate::wx::{self, Params, WxError, WxResult};

// Task progress lives in `fastregister_progress`; `fastregister::X` paths keep working.
pub(crate) use crate::fastregister_progress::*;

/// Enterprise task stage: waiting for the legal person's face check.
pub const ENTERPRISE_FACE_CHECK: i64 = 89251;
/// Enterprise task stage: consistency check in progress.
pub const ENTERPRISE_FRONT_CHECK: i64 = 89252;
/// Personal task status of a successfully created mini program.
pub const PERSONAL_CREATED: i64 = 12;
/// The order personal tasks go through when advanced without an explicit status.
pub(crate) const PERSONAL_SEQUENCE: [i64; 7] = [0, 3, 4, 6, 7, 9, PERSONAL_CREATED];
/// Personal statuses that end a task unsuccessfully.
pub(crate) const PERSONAL_FAILURES: [i64; 5] = [1, 2, 5, 8, 11];

/// Which fast-registration flow a task belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FastRegisterKind {
    /// Enterprise (legal-person face check); keyed by enterprise name.
    Enterprise,
    /// Personal; keyed by taskid.
    Personal,
    /// Trial (beta); keyed by unique_id.
    Beta,
}

impl FastRegisterKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FastRegisterKind::Enterprise => "enterprise",
            FastRegisterKind::Personal => "personal",
            FastRegisterKind::Beta => "beta",
        }
    }
}

/// An enterprise registration task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct EnterpriseTask {
    pub component_appid: String,
    pub name: String,
    pub code: String,
    pub code_type: i64,
    pub legal_persona_wechat: String,
    pub legal_persona_name: String,
    pub component_phone: String,
    /// 89251 / 89252 while running; the final push status (0 = success) after.
    pub stage: i64,
    pub created_at: i64,
    pub appid: Option<String>,
}

impl EnterpriseTask {
    pub(crate) fn running(&self) -> bool {
        self.stage == ENTERPRISE_FACE_CHECK || self.stage == ENTERPRISE_FRONT_CHECK
    }
}

/// A personal registration task.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PersonalTask {
    pub taskid: String,
    pub component_appid: String,
    pub idname: String,
    pub wxuser: String,
    pub component_phone: String,
    pub status: i64,
    pub created_at: i64,
    pub appid: Option<String>,
}

impl PersonalTask {
    pub(crate) fn finished(&self) -> bool {
        self.status == PERSONAL_CREATED || PERSONAL_FAILURES.contains(&self.status)
    }
}

/// A trial mini program request.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BetaTask {
    pub unique_id: String,
    pub component_appid: String,
    pub name: String,
    pub openid: String,
    /// `None` while waiting for the user's confirmation; then the push status (0 = success).
    pub status: Option<i64>,
    pub created_at: i64,
    pub appid: Option<String>,
}

/// What advancing a task did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvanceOutcome {
    /// The flow.
    pub kind: FastRegisterKind,
    /// The task key.
    pub key: String,
    /// The task's new status (enterprise: 89251/89252 or the final status).
    pub status: i64,
    /// Whether the task has ended.
    pub finished: bool,
    /// The new mini program, when the task succeeded.
    pub appid: Option<String>,
    /// The id of the result push, when one was generated.
    pub push_id: Option<u64>,
}

fn page_url(base: &str, path: &str, key: &str, value: &str) -> String {
    let value: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
    format!("{base}{path}?{key}={value}")
}

/// The sandbox page a personal task's admin opens.
pub(crate) fn personal_url(base: &str, taskid: &str) -> String {
    page_url(base, "/wxaopen/fastregisterpersonal", "taskid", taskid)
}

/// The sandbox page a trial request's admin opens.
pub(crate) fn beta_url(base: &str, unique_id: &str) -> String {
    page_url(base, "/wxaopen/fastregisterbeta", "unique_id", unique_id)
}

/// Expected `code` length for a `code_type`.
fn code_valid(code_type: i64, code: &str) -> bool {
    let alnum = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric());
    match code_type {
        1 => code.len() == 18 && alnum(code),
        2 => {
            (code.len() == 9 && alnum(code))
                || (code.len() == 10
                    && code.as_bytes().get(8) == Some(&b'-')
                    && alnum(&code[..8])
                    && alnum(&code[9..]))
        }
        3 => code.len() == 15 && alnum(code),
        _ => false,
    }
}

/// `POST /cgi-bin/component/fastregisterweapp?action=create|search`.
pub(crate) async fn enterprise(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, body) = component_call(
        &shared,
        &p,
        Some("/cgi-bin/component/fastregisterweapp"),
        false,
    )?;
    match p.q("action") {
        Some("create") => {
            let (Some(name), Some(code), Some(code_type), Some(wechat), Some(legal_name)) = (
                body.str("name"),
                body.str("code"),
                body.int("code_type"),
                body.str("legal_persona_wechat"),
                body.str("legal_persona_name"),
            ) else {
                return Err(WxError::new(89253));
            };
            if !(1..=3).contains(&code_type) {
                return Err(WxError::new(89248));
            }
            if !code_valid(code_type, &code) {
                return Err(WxError::new(89255));
            }
            if state
                .enterprise_tasks
                .iter()
                .any(|t| t.name == name && t.running())
            {
                return Err(WxError::new(89249));
            }
            state.enterprise_tasks.push(EnterpriseTask {
                component_appid: component,
                name,
                code,
                code_type,
                legal_persona_wechat: wechat,
                legal_persona_name: legal_name,
                component_phone: body.str("component_phone").unwrap_or_default(),
                stage: ENTERPRISE_FACE_CHECK,
                created_at: now,
                appid: None,
            });
            Ok(wx::json(json!({"errcode": 0, "errmsg": "OK"})))
        }
        Some("search") => {
            let (Some(name), Some(wechat), Some(legal_name)) = (
                body.str("name"),
                body.str("legal_persona_wechat"),
                body.str("legal_persona_name"),
            ) else {
                return Err(WxError::new(89253));
            };
            let task = state
                .enterprise_tasks
                .iter()
                .rev()
                .find(|t| {
                    t.component_appid == component
                        && t.name == name
                        && t.legal_persona_wechat == wechat
                        && t.legal_persona_name == legal_name
                })
                .ok_or_else(|| WxError::new(89250))?;
            match task.stage {
                0 => Ok(wx::ok(json!({}))),
                stage if task.running() => Err(WxError::new(stage)),
                _ => Err(WxError::hint(
                    89250,
                    "the task ended without success; see the notify_third_fasteregister push",
                )),
            }
        }
        _ => Err(WxError::hint(40097, "action must be create or search")),
    }
}

fn personal_json(task: &PersonalTask, base: &str) -> serde_json::Value {
    json!({
        "errcode": 0,
        "errmsg": "OK",
        "taskid": task.taskid,
        "authorize_url": personal_url(base, &task.taskid),
        "status": task.status,
    })
}

/// `POST /wxa/component/fastregisterpersonalweapp?action=create|query`.
pub(crate) async fn personal(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, body) = component_call(
        &shared,
        &p,
        Some("/wxa/component/fastregisterpersonalweapp"),
        false,
    )?;
    match p.q("action") {
        Some("create") => {
            let (Some(idname), Some(wxuser)) = (body.str("idname"), body.str("wxuser")) else {
                return Err(WxError::new(89253));
            };
            if state
                .personal_tasks
                .values()
                .any(|t| t.wxuser == wxuser && !t.finished())
            {
                return Err(WxError::new(89249));
            }
            let taskid = ids::hex(32);
            let task = PersonalTask {
                taskid: taskid.clone(),
                component_appid: component,
                idname,
                wxuser,
                component_phone: body.str("component_phone").unwrap_or_default(),
                status: 0,
                created_at: now,
                appid: None,
            };
            let out = personal_json(&task, &shared.base_url);
            state.personal_tasks.insert(taskid, task);
            Ok(wx::json(out))
        }
        Some("query") => {
            let taskid = body.str("taskid").ok_or_else(|| WxError::new(89253))?;
            let task = state
                .personal_tasks
                .get(&taskid)
                .filter(|t| t.component_appid == component)
                .ok_or_else(|| WxError::new(89250))?;
            Ok(wx::json(personal_json(task, &shared.base_url)))
        }
        _ => Err(WxError::hint(40097, "action must be create or query")),
    }
}

/// `POST /wxa/component/fastregisterbetaweapp?access_token=<component token>`.
pub(crate) async fn beta(State(shared): State<AppState>, p: Params) -> WxResult {
    let (now, mut state, component, body) = component_call(
        &shared,
        &p,
        Some("/wxa/component/fastregisterbetaweapp"),
        false,
    )?;
    let (Some(name), Some(openid)) = (body.str("name"), body.str("openid")) else {
        return Err(WxError::new(89253));
    };
    let chars = name.chars().count();
    if !(4..=30).contains(&chars) {
        return Err(WxError::hint(40097, "name must be 4 to 30 characters"));
    }
    let unique_id = ids::url_safe(64);
    state.beta_tasks.insert(
        unique_id.clone(),
        BetaTask {
            unique_id: unique_id.clone(),
            component_appid: component,
            name,
            openid,
            status: None,
            created_at: now,
            appid: None,
        },
    );
    Ok(wx::ok(json!({
        "unique_id": unique_id,
        "authorize_url": beta_url(&shared.base_url, &unique_id),
    })))
}

/// Issues a fastregisterauth ticket (the consent page's POST).
pub(crate) fn issue_register_ticket(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
    oa_appid: &str,
    copy_wx_verify: bool,
) -> String {
    let ticket = ids::hex(32);
    state.register_tickets.insert(
        ticket.clone(),
        crate::state::RegisterTicketRecord {
            component_appid: component_appid.to_string(),
            oa_appid: oa_appid.to_string(),
            copy_wx_verify,
            issued_at: now,
            used: false,
        },
    );
    ticket
}

/// `POST /cgi-bin/account/fastregister?access_token=<authorizer token of an OA>` `{"ticket"}`.
pub(crate) async fn reuse_oa(State(shared): State<AppState>, p: Params) -> WxResult {
    p.require_post()?;
    let now = shared.now();
    let mut state = shared.lock();
    let token = p.q("access_token");
    let appid = state.mp_appid_for_token(token, now)?;
    let component = match state.check_token(token, now).map(|t| t.owner.clone())? {
        TokenOwner::Authorizer {
            component_appid, ..
        } => component_appid,
        _ => {
            return Err(WxError::hint(
                48001,
                "call this with the official account's authorizer_access_token",
            ))
        }
    };
    let oa = state
        .accounts
        .get(&appid)
        .filter(|a| a.kind == AccountKind::OfficialAccount)
        .cloned()
        .ok_or_else(|| {
            WxError::hint(
                48001,
                "only an official account can reuse its qualification",
            )
        })?;
    use_quota(
        &mut state,
        &shared.config,
        &appid,
        "/cgi-bin/account/fastregister",
        now,
    )?;
    let body = p.json()?;
    let ticket = body.str("ticket").ok_or_else(|| WxError::new(61058))?;
    let record = state
        .register_tickets
        .get_mut(&ticket)
        .filter(|t| {
            !t.used
                && t.oa_appid == appid
                && t.component_appid == component
                && now - t.issued_at < REGISTER_TICKET_TTL
        })
        .ok_or_else(|| WxError::new(61058))?;
    record.used = true;
    let copy = record.copy_wx_verify;
    let nick = format!("{}的小程序", oa.profile.nick_name);
    let (new_appid, auth_code) = create_mp(
        &mut state,
        now,
        &component,
        &nick,
        &oa.profile.principal_name,
        2,
        0,
    )
    .map_err(|_| WxError::new(-1))?;
    if copy {
        if let Some(account) = state.accounts.get_mut(&new_appid) {
            account.profile.verify_type = 0;
        }
    }
    Ok(wx::json(json!({
        "errcode": 0,
        "errmsg": "",
        "appid": new_appid,
        "authorization_code": auth_code,
        "is_wx_verify_succ": if copy { "true" } else { "false" },
        "is_link_succ": "true",
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enterprise_codes() {
        assert!(code_valid(1, "91440300MA5DC1234X"));
        assert!(!code_valid(1, "91440300MA5DC1234"));
        assert!(code_valid(2, "12345678-9"));
        assert!(code_valid(2, "123456789"));
        assert!(!code_valid(2, "1234567-89"));
        assert!(code_valid(3, "440301123456789"));
        assert!(!code_valid(4, "x"));
    }
}
