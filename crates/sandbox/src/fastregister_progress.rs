//! How a fast-registration task moves: `advance` (the hook and the page
//! buttons) steps an enterprise, personal or trial task to its next state or
//! to a given one; completion creates the mini program, authorizes it to the
//! platform and pushes `notify_third_fasteregister` (sic) or
//! `notify_third_fastregisterbetaapp`. The endpoints are in `fastregister`.

use std::sync::Arc;

use crate::component::{grant, AccountKind, Grant};
use crate::error::SandboxError;
use crate::fastregister::*;
use crate::ids;
use crate::pushes::{self, Delivery};
use crate::state::{Profile, Shared, State as SandboxState};

/// WeChat's text for an enterprise/personal result status.
fn status_msg(status: i64) -> &'static str {
    match status {
        0 => "OK",
        -1 => "企业与法人姓名不一致 enterprise and legal person name inconsistent",
        1 => "任务超时 task timed out",
        2 => "用户拒绝 rejected by the user",
        5 => "人脸识别失败 face verification failed",
        8 => "手机号验证失败 phone verification failed",
        11 => "创建失败 creation failed",
        100_001 => "已下发的模板消息法人并未确认且已超时（24h），未进行身份证校验",
        100_002 => "已下发的模板消息法人并未确认且已超时（24h），未进行人脸识别校验",
        100_003 => "已下发的模板消息法人并未确认且已超时（24h）",
        101 => "工商数据返回：企业已注销",
        102 => "工商数据返回：企业不存在或企业信息未更新",
        103 => "工商数据返回：企业法定代表人姓名不一致",
        104 => "工商数据返回：企业法定代表人身份证号码不一致",
        105 => "法定代表人身份证号码，工商数据未更新，请5-15个工作日之后尝试",
        1000 => "工商数据返回：企业信息或法定代表人信息不一致",
        _ => "注册失败 registration failed",
    }
}

/// Creates and authorizes the new mini program of a successful registration.
pub(crate) fn create_mp(
    state: &mut SandboxState,
    now: i64,
    component: &str,
    nick_name: &str,
    principal: &str,
    register_type: i64,
    service_type: i64,
) -> Result<(String, String), SandboxError> {
    let appid = loop {
        let candidate = ids::appid();
        if !state.accounts.contains_key(&candidate) {
            break candidate;
        }
    };
    let mut profile = Profile::generated(&appid, AccountKind::MiniProgram);
    profile.nick_name = nick_name.to_string();
    profile.principal_name = principal.to_string();
    profile.register_type = register_type;
    profile.service_type = service_type;
    profile.verify_type = -1;
    let granted = grant(
        state,
        now,
        Grant {
            component_appid: component.to_string(),
            authorizer_appid: Some(appid),
            kind: AccountKind::MiniProgram,
            func_ids: Vec::new(),
            profile: Some(profile),
        },
    )?;
    Ok((
        granted.authorization.authorizer_appid,
        granted.authorization.auth_code,
    ))
}

/// Moves a task forward (or to `status`), creating the mini program and
/// recording the result push when it ends. Returns the outcome and the
/// delivery to perform.
pub(crate) fn advance_locked(
    state: &mut SandboxState,
    now: i64,
    kind: FastRegisterKind,
    key: &str,
    status: Option<i64>,
) -> Result<(AdvanceOutcome, Option<Delivery>), SandboxError> {
    let unknown = || SandboxError::UnknownTask {
        kind: kind.as_str().to_string(),
        key: key.to_string(),
    };
    let finished_err = |status: i64| {
        SandboxError::invalid(
            "key",
            format!(
                "the {} task {key} has already ended with status {status}; create a new one",
                kind.as_str()
            ),
        )
    };
    let mut outcome = AdvanceOutcome {
        kind,
        key: key.to_string(),
        status: 0,
        finished: false,
        appid: None,
        push_id: None,
    };
    let mut delivery = None;
    match kind {
        FastRegisterKind::Enterprise => {
            let idx = state
                .enterprise_tasks
                .iter()
                .rposition(|t| t.name == key)
                .ok_or_else(unknown)?;
            let task = state.enterprise_tasks[idx].clone();
            if !task.running() {
                return Err(finished_err(task.stage));
            }
            let next = status.unwrap_or(if task.stage == ENTERPRISE_FACE_CHECK {
                ENTERPRISE_FRONT_CHECK
            } else {
                0
            });
            outcome.status = next;
            if next != ENTERPRISE_FACE_CHECK && next != ENTERPRISE_FRONT_CHECK {
                outcome.finished = true;
                let created = if next == 0 {
                    Some(create_mp(
                        state,
                        now,
                        &task.component_appid,
                        &task.name,
                        &task.name,
                        6,
                        0,
                    )?)
                } else {
                    None
                };
                let code_type = task.code_type.to_string();
                delivery = notify_registered(
                    state,
                    now,
                    &mut outcome,
                    (&task.component_appid, next),
                    created.as_ref(),
                    &[
                        ("info.name", &task.name),
                        ("info.code", &task.code),
                        ("info.code_type", &code_type),
                        ("info.legal_persona_wechat", &task.legal_persona_wechat),
                        ("info.legal_persona_name", &task.legal_persona_name),
                        ("info.component_phone", &task.component_phone),
                    ],
                );
                let appid = created.map(|(appid, _)| appid);
                outcome.appid = appid.clone();
                state.enterprise_tasks[idx].appid = appid;
            }
            state.enterprise_tasks[idx].stage = next;
        }
        FastRegisterKind::Personal => {
            let task = state.personal_tasks.get(key).cloned().ok_or_else(unknown)?;
            if task.finished() {
                return Err(finished_err(task.status));
            }
            let next = match status {
                Some(s) => s,
                None => PERSONAL_SEQUENCE
                    .iter()
                    .position(|s| *s == task.status)
                    .and_then(|i| PERSONAL_SEQUENCE.get(i + 1))
                    .copied()
                    .unwrap_or(PERSONAL_CREATED),
            };
            outcome.status = next;
            let mut appid = None;
            if next == PERSONAL_CREATED || PERSONAL_FAILURES.contains(&next) {
                outcome.finished = true;
                let push_status = if next == PERSONAL_CREATED { 0 } else { next };
                let created = if next == PERSONAL_CREATED {
                    let nick = format!("{}的小程序", task.idname);
                    Some(create_mp(
                        state,
                        now,
                        &task.component_appid,
                        &nick,
                        &task.idname,
                        16,
                        0,
                    )?)
                } else {
                    None
                };
                delivery = notify_registered(
                    state,
                    now,
                    &mut outcome,
                    (&task.component_appid, push_status),
                    created.as_ref(),
                    &[
                        ("info.wxuser", &task.wxuser),
                        ("info.idname", &task.idname),
                        ("info.component_phone", &task.component_phone),
                    ],
                );
                appid = created.map(|(appid, _)| appid);
            }
            outcome.appid = appid.clone();
            if let Some(t) = state.personal_tasks.get_mut(key) {
                t.status = next;
                t.appid = appid;
            }
        }
        FastRegisterKind::Beta => {
            let task = state.beta_tasks.get(key).cloned().ok_or_else(unknown)?;
            if let Some(done) = task.status {
                return Err(finished_err(done));
            }
            let next = status.unwrap_or(0);
            outcome.status = next;
            outcome.finished = true;
            let appid = if next == 0 {
                Some(
                    create_mp(
                        state,
                        now,
                        &task.component_appid,
                        &task.name,
                        "个人 Personal",
                        13,
                        12,
                    )?
                    .0,
                )
            } else {
                None
            };
            let status_text = next.to_string();
            let msg = if next == 0 {
                "ok"
            } else {
                "用户拒绝 rejected by the user"
            };
            let head = [
                ("appid", appid.as_deref().unwrap_or_default()),
                ("status", &status_text),
                ("msg", msg),
            ];
            delivery = notify(
                state,
                now,
                &mut outcome,
                (&task.component_appid, "notify_third_fastregisterbetaapp"),
                &head,
                &[
                    ("info.unique_id", &task.unique_id),
                    ("info.name", &task.name),
                ],
            );
            outcome.appid = appid.clone();
            if let Some(t) = state.beta_tasks.get_mut(key) {
                t.status = Some(next);
                t.appid = appid;
            }
        }
    }
    Ok((outcome, delivery))
}

/// Records a finished task's push (`to`: the platform and the InfoType):
/// the outcome fields of `head`, then the task's `info.*` fields; the
/// outcome names the push.
fn notify(
    state: &mut SandboxState,
    now: i64,
    outcome: &mut AdvanceOutcome,
    (component, info_type): (&str, &str),
    head: &[(&str, &str)],
    info: &[(&str, &str)],
) -> Option<Delivery> {
    outcome.push_id = Some(state.pushes.len() as u64);
    let fields: Vec<(&str, &str)> = head.iter().chain(info).copied().collect();
    pushes::record(state, now, component, info_type, &fields)
}

/// Records `notify_third_fasteregister` for an enterprise or personal task
/// that ended with `status` (0 = success) on `component`; `created` is the
/// new mini program's appid and authorization code.
fn notify_registered(
    state: &mut SandboxState,
    now: i64,
    outcome: &mut AdvanceOutcome,
    (component, status): (&str, i64),
    created: Option<&(String, String)>,
    info: &[(&str, &str)],
) -> Option<Delivery> {
    let (appid, auth_code) = created.map_or(("", ""), |(a, c)| (a.as_str(), c.as_str()));
    let status_text = status.to_string();
    let head = [
        ("appid", appid),
        ("status", &status_text),
        ("auth_code", auth_code),
        ("msg", status_msg(status)),
    ];
    let to = (component, "notify_third_fasteregister");
    notify(state, now, outcome, to, &head, info)
}

/// [`advance_locked`], then delivers the push and waits for the delivery.
pub(crate) async fn advance(
    shared: &Arc<Shared>,
    kind: FastRegisterKind,
    key: &str,
    status: Option<i64>,
) -> Result<AdvanceOutcome, SandboxError> {
    let now = shared.now();
    let (outcome, delivery) = {
        let mut state = shared.lock();
        advance_locked(&mut state, now, kind, key, status)?
    };
    pushes::deliver_all(shared, delivery.into_iter().collect()).await;
    Ok(outcome)
}
