//! The fast-registration pages WeChat shows to people: the official
//! account's `fastregisterauth` consent (redirects with a single-use
//! `ticket`) and the personal / trial confirmation pages, whose buttons move
//! a task along. The consent pages of authorization are in `pages`.

use axum::extract::State;
use axum::http::{Method, StatusCode};
use axum::response::Response;

use crate::component::AccountKind;
use crate::fastregister::{self, FastRegisterKind, PERSONAL_CREATED};
use crate::html::{error_page, esc, hidden, page, respond};
use crate::pages::*;
use crate::pushes::append_query;
use crate::state::AppState;
use crate::wx::Params;

/// `GET|POST /cgi-bin/fastregisterauth?appid=&component_appid=&copy_wx_verify=&redirect_uri=`.
pub(crate) async fn fastregisterauth(State(shared): State<AppState>, p: Params) -> Response {
    let map = params_map(&p);
    let now = shared.now();
    let mut state = shared.lock();
    let mut problems = Vec::new();
    let component = field(&map, "component_appid");
    let component_name = match component {
        None => {
            problems.push("缺少 component_appid / component_appid is missing".to_string());
            None
        }
        Some(c) => match state.components.get(c) {
            None => {
                problems.push(format!("第三方平台不存在 / unknown component_appid {c}"));
                None
            }
            Some(c) => Some(c.name.clone()),
        },
    };
    let oa = field(&map, "appid");
    let oa_name = match (oa, component) {
        (None, _) => {
            problems.push("缺少 appid / appid (the official account) is missing".to_string());
            None
        }
        (Some(oa), Some(c)) => {
            let account = state.accounts.get(oa);
            let authorized = state
                .components
                .get(c)
                .and_then(|comp| comp.authorizations.get(oa))
                .is_some_and(|a| !a.revoked);
            match account {
                Some(a) if a.kind == AccountKind::OfficialAccount && authorized => {
                    Some(a.profile.nick_name.clone())
                }
                Some(a) if a.kind != AccountKind::OfficialAccount => {
                    problems.push(format!("{oa} 不是公众号 / {oa} is not an official account: only an official account's qualification can be reused"));
                    None
                }
                _ => {
                    problems.push(format!("公众号 {oa} 未授权给该第三方平台 / official account {oa} has not authorized this platform: authorize it first"));
                    None
                }
            }
        }
        (Some(_), None) => None,
    };
    let copy = match field(&map, "copy_wx_verify") {
        None | Some("1") => true,
        Some("0") => false,
        Some(other) => {
            problems.push(format!(
                "copy_wx_verify 只能是 0 或 1 / copy_wx_verify {other:?} must be 0 or 1"
            ));
            true
        }
    };
    let redirect_uri = check_redirect(field(&map, "redirect_uri"), &mut problems);
    let (Some(component), Some(oa), Some(component_name), Some(oa_name), Some(redirect_uri), true) = (
        component,
        oa,
        component_name,
        oa_name,
        redirect_uri,
        problems.is_empty(),
    ) else {
        return error_page(
            "复用公众号资质注册小程序 Reuse official account — invalid link",
            &problems,
        );
    };
    if p.method == Method::POST {
        let ticket = fastregister::issue_register_ticket(&mut state, now, component, oa, copy);
        return redirect(&append_query(&redirect_uri, &format!("ticket={ticket}")));
    }
    let body = format!(
        r#"<div class="card"><h1>复用公众号资质快速注册小程序 Register a mini program with this official account</h1>
<dl><dt>公众号 Official account</dt><dd>{oa_name} <code>{oa}</code></dd>
<dt>第三方平台 Platform</dt><dd>{component_name} <code>{component}</code></dd>
<dt>复用认证 Reuse verification</dt><dd>{copy_text}</dd>
<dt>回调地址 Redirect</dt><dd><code>{redirect}</code></dd></dl>
<form method="post" action="/cgi-bin/fastregisterauth">{h1}{h2}{h3}{h4}
<div class="actions"><button type="submit" id="authorize">确认 Confirm</button></div></form></div>"#,
        oa_name = esc(&oa_name),
        oa = esc(oa),
        component_name = esc(&component_name),
        component = esc(component),
        copy_text = if copy {
            "是 yes (copy_wx_verify=1)"
        } else {
            "否 no (copy_wx_verify=0)"
        },
        redirect = esc(&redirect_uri),
        h1 = hidden("appid", oa),
        h2 = hidden("component_appid", component),
        h3 = hidden("copy_wx_verify", if copy { "1" } else { "0" }),
        h4 = hidden("redirect_uri", &redirect_uri),
    );
    respond(
        StatusCode::OK,
        page("复用公众号资质 Reuse official account", &body),
    )
}

/// Text of a personal task status.
fn personal_status_label(status: i64) -> &'static str {
    match status {
        0 => "任务创建成功，等待用户确认 Created, waiting for the user",
        1 => "任务超时 Timed out",
        2 => "用户拒绝 Rejected by the user",
        3 => "用户同意 Agreed by the user",
        4 => "发起人脸流程 Face verification started",
        5 => "人脸认证失败 Face verification failed",
        6 => "人脸认证成功 Face verification passed",
        7 => "已提交手机号 Phone number submitted",
        8 => "手机号验证失败 Phone verification failed",
        9 => "手机号验证成功 Phone verified",
        11 => "创建失败 Creation failed",
        PERSONAL_CREATED => "创建成功 Mini program created",
        _ => "未知 Unknown",
    }
}

/// `GET|POST /wxaopen/fastregisterpersonal?taskid=`.
pub(crate) async fn personal_page(State(shared): State<AppState>, p: Params) -> Response {
    let map = params_map(&p);
    let Some(taskid) = field(&map, "taskid").map(str::to_string) else {
        return error_page(
            "链接无效 Invalid link",
            &["缺少 taskid / taskid is missing".into()],
        );
    };
    if p.method == Method::POST {
        let status = match field(&map, "op") {
            Some("complete") => Some(PERSONAL_CREATED),
            Some("reject") => Some(2),
            _ => None,
        };
        return match fastregister::advance(&shared, FastRegisterKind::Personal, &taskid, status)
            .await
        {
            Ok(_) => see_other(&fastregister::personal_url("", &taskid)),
            Err(e) => error_page("操作失败 Action failed", &[e.to_string()]),
        };
    }
    let task = {
        let state = shared.lock();
        state.personal_tasks.get(&taskid).cloned()
    };
    let Some(task) = task else {
        return error_page(
            "任务不存在 Unknown task",
            &[format!(
                "没有 taskid 为 {taskid} 的任务 / no personal registration task {taskid}"
            )],
        );
    };
    let finished = task.status == PERSONAL_CREATED || [1, 2, 5, 8, 11].contains(&task.status);
    let actions = if finished {
        format!(
            "<p>任务已结束 The task has ended.{}</p>",
            task.appid
                .as_deref()
                .map(|a| format!(" 新小程序 New mini program: <code>{}</code>", esc(a)))
                .unwrap_or_default()
        )
    } else {
        let button = if task.status == 0 {
            "<button type=\"submit\" name=\"op\" value=\"next\" id=\"agree\">同意 Agree</button>"
        } else {
            "<button type=\"submit\" name=\"op\" value=\"next\" id=\"next\">下一步 Next step</button>"
        };
        format!(
            "<form method=\"post\" action=\"/wxaopen/fastregisterpersonal\">{}<div class=\"actions\">{button}<button type=\"submit\" class=\"secondary\" name=\"op\" value=\"complete\" id=\"complete\">完成全部步骤 Complete all steps</button><button type=\"submit\" class=\"danger\" name=\"op\" value=\"reject\" id=\"reject\">拒绝 Reject</button></div></form>",
            hidden("taskid", &task.taskid)
        )
    };
    let body = format!(
        r#"<div class="card"><h1>快速注册个人小程序 Register a personal mini program</h1>
<dl><dt>姓名 Name</dt><dd>{idname}</dd><dt>微信号 WeChat ID</dt><dd>{wxuser}</dd>
<dt>状态 Status</dt><dd>{status} — {label}</dd></dl>{actions}</div>"#,
        idname = esc(&task.idname),
        wxuser = esc(&task.wxuser),
        status = task.status,
        label = personal_status_label(task.status),
    );
    respond(
        StatusCode::OK,
        page("个人小程序 Personal mini program", &body),
    )
}

/// `GET|POST /wxaopen/fastregisterbeta?unique_id=`.
pub(crate) async fn beta_page(State(shared): State<AppState>, p: Params) -> Response {
    let map = params_map(&p);
    let Some(unique_id) = field(&map, "unique_id").map(str::to_string) else {
        return error_page(
            "链接无效 Invalid link",
            &["缺少 unique_id / unique_id is missing".into()],
        );
    };
    if p.method == Method::POST {
        let status = match field(&map, "op") {
            Some("reject") => 2,
            _ => 0,
        };
        return match fastregister::advance(
            &shared,
            FastRegisterKind::Beta,
            &unique_id,
            Some(status),
        )
        .await
        {
            Ok(_) => see_other(&fastregister::beta_url("", &unique_id)),
            Err(e) => error_page("操作失败 Action failed", &[e.to_string()]),
        };
    }
    let task = {
        let state = shared.lock();
        state.beta_tasks.get(&unique_id).cloned()
    };
    let Some(task) = task else {
        return error_page(
            "申请不存在 Unknown request",
            &[format!(
                "没有 unique_id 为 {unique_id} 的申请 / no trial mini program request {unique_id}"
            )],
        );
    };
    let state_text = match (task.status, &task.appid) {
        (None, _) => "等待确认 Waiting for confirmation".to_string(),
        (Some(0), Some(appid)) => format!("已创建 Created: <code>{}</code>", esc(appid)),
        (Some(status), _) => format!("已结束 Ended (status {status})"),
    };
    let actions = if task.status.is_none() {
        format!(
            "<form method=\"post\" action=\"/wxaopen/fastregisterbeta\">{}<div class=\"actions\"><button type=\"submit\" name=\"op\" value=\"confirm\" id=\"confirm\">确认创建 Confirm</button><button type=\"submit\" class=\"danger\" name=\"op\" value=\"reject\" id=\"reject\">拒绝 Reject</button></div></form>",
            hidden("unique_id", &task.unique_id)
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<div class="card"><h1>创建试用小程序 Create a trial mini program</h1>
<dl><dt>名称 Name</dt><dd>{name}</dd><dt>管理员 openid Admin</dt><dd><code>{openid}</code></dd>
<dt>状态 Status</dt><dd>{state_text}</dd></dl>{actions}</div>"#,
        name = esc(&task.name),
        openid = esc(&task.openid),
    );
    respond(StatusCode::OK, page("试用小程序 Trial mini program", &body))
}
