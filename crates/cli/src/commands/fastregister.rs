//! `fastregister …`: registering mini programs for merchants.
//!
//! Every request becomes a stored task whose status later searches, queries
//! and pushes move along; each command prints the task as now stored, with
//! the link the registering person opens (and its QR with `--qr`). Each
//! command is one `fastregister_*` operation; `--json` prints its `TaskView`
//! (plus `qr`, the file written, when `--qr` is given).

use serde_json::json;
use wxdesk_core::ops::args::{
    BetaCreateArgs, EnterpriseCreateArgs, EnterpriseSearchArgs, OffiaccountArgs,
    PersonalCreateArgs, PersonalQueryArgs, TasksArgs,
};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::services::fastregister::TaskView;

use super::{check_qr_path, write_qr, Ctx};
use crate::cli::{BetaCommand, EnterpriseCommand, FastregisterCommand, PersonalCommand};
use crate::output::CliError;
use crate::text::{self, Table};

fn kind_word(t: &TaskView) -> String {
    serde_json::to_value(t.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn task_text(t: &TaskView) -> String {
    let mut s = format!(
        "task:      {} ({} {})\ncomponent: {}\nstatus:    {}{} — {}\nfinished:  {}",
        t.id,
        kind_word(t),
        t.task_key,
        t.component_appid,
        t.status,
        t.status_code.map(|c| format!(" ({c})")).unwrap_or_default(),
        t.status_text,
        if t.finished { "yes" } else { "no" },
    );
    if let Some(u) = &t.authorize_url {
        s.push_str(&format!("\nopen in WeChat: {u}"));
    }
    if let Some(a) = &t.new_appid {
        s.push_str(&format!("\nnew appid: {a}"));
    }
    s.push_str(&format!(
        "\ncreated:   {}\nupdated:   {}",
        text::time(t.created_at),
        text::time(t.updated_at)
    ));
    s
}

fn print_task(ctx: &Ctx<'_>, t: &TaskView, qr: Option<&std::path::Path>) -> Result<(), CliError> {
    let mut v = serde_json::to_value(t).unwrap_or_else(|_| json!({}));
    let mut s = task_text(t);
    if let Some(path) = qr {
        match &t.authorize_url {
            Some(url) => {
                let shown = write_qr("--qr", url, path)?;
                s.push_str(&format!("\nQR written to {shown}"));
                v["qr"] = json!(shown);
            }
            None => ctx
                .out
                .warn("WeChat gave no authorize URL for this task; no QR was written"),
        }
    }
    ctx.out.success(&v, &s);
    Ok(())
}

/// `fastregister enterprise|personal|beta|offiaccount|tasks`.
pub async fn run(ctx: &Ctx<'_>, cmd: FastregisterCommand) -> Result<(), CliError> {
    match cmd {
        FastregisterCommand::Enterprise(EnterpriseCommand::Create(a)) => {
            let t = op::fastregister_enterprise_create(
                ctx.rt()?,
                EnterpriseCreateArgs {
                    component_appid: a.component,
                    name: a.name,
                    code: a.code,
                    code_type: a.code_type,
                    legal_persona_wechat: a.legal_persona_wechat,
                    legal_persona_name: a.legal_persona_name,
                    component_phone: a.component_phone,
                },
            )
            .await?;
            print_task(ctx, &t, None)
        }
        FastregisterCommand::Enterprise(EnterpriseCommand::Search(a)) => {
            let t = op::fastregister_enterprise_search(
                ctx.rt()?,
                EnterpriseSearchArgs {
                    component_appid: a.component,
                    name: a.name,
                    legal_persona_wechat: a.legal_persona_wechat,
                    legal_persona_name: a.legal_persona_name,
                },
            )
            .await?;
            print_task(ctx, &t, None)
        }
        FastregisterCommand::Personal(PersonalCommand::Create(a)) => {
            check_qr_path("--qr", a.qr.as_deref())?;
            let t = op::fastregister_personal_create(
                ctx.rt()?,
                PersonalCreateArgs {
                    component_appid: a.component,
                    idname: a.idname,
                    wxuser: a.wxuser,
                    component_phone: a.component_phone,
                },
            )
            .await?;
            print_task(ctx, &t, a.qr.as_deref())
        }
        FastregisterCommand::Personal(PersonalCommand::Query(a)) => {
            check_qr_path("--qr", a.qr.as_deref())?;
            let t = op::fastregister_personal_query(
                ctx.rt()?,
                PersonalQueryArgs {
                    component_appid: a.component,
                    taskid: a.taskid,
                },
            )
            .await?;
            print_task(ctx, &t, a.qr.as_deref())
        }
        FastregisterCommand::Beta(BetaCommand::Create(a)) => {
            check_qr_path("--qr", a.qr.as_deref())?;
            let t = op::fastregister_beta_create(
                ctx.rt()?,
                BetaCreateArgs {
                    component_appid: a.component,
                    name: a.name,
                    openid: a.openid,
                },
            )
            .await?;
            print_task(ctx, &t, a.qr.as_deref())
        }
        FastregisterCommand::Offiaccount(a) => {
            let t = op::fastregister_offiaccount(
                ctx.rt()?,
                OffiaccountArgs {
                    component_appid: a.component,
                    authorizer_appid: a.authorizer,
                    ticket: a.ticket,
                },
            )
            .await?;
            print_task(ctx, &t, None)
        }
        FastregisterCommand::Tasks(a) => {
            let list = op::fastregister_tasks(
                ctx.rt()?,
                TasksArgs {
                    component_appid: a.component,
                },
            )
            .await?;
            let mut t = Table::new(&[
                "ID",
                "COMPONENT",
                "KIND",
                "KEY",
                "STATUS",
                "NEW APPID",
                "UPDATED",
            ]);
            for r in &list {
                t.row(vec![
                    r.id.to_string(),
                    r.component_appid.clone(),
                    kind_word(r),
                    r.task_key.clone(),
                    r.status.to_string(),
                    text::opt(r.new_appid.as_deref()),
                    text::time(r.updated_at),
                ]);
            }
            ctx.out.view(&list, &t.render("no registration tasks"))
        }
    }
}
