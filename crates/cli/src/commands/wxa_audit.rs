//! `wxdesk audit` and `wxdesk release`: the readiness check, submitting and
//! following an audit, and releasing, each through the core's operation
//! table. Withdrawals, releases, rollbacks, phased releases and closing the
//! mini program are confirmed by the operation (`--yes` or a terminal
//! answer); nothing is sent before.

use serde_json::{json, Value};

use super::wxa_args::*;
use super::wxa_run::{call, call_confirmed, runtime, target};
use super::Ctx;
use crate::output::CliError;

fn s(v: &Value, k: &str) -> String {
    match &v[k] {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn check_text(v: &Value) -> String {
    let mut out = vec![if v["ready"] == true {
        format!("{}: ready for audit", s(v, "appid"))
    } else {
        format!("{}: NOT ready for audit", s(v, "appid"))
    }];
    for f in v["findings"].as_array().into_iter().flatten() {
        out.push(format!(
            "  [{}] {}: {}\n    fix: {}{}",
            s(f, "severity"),
            s(f, "code"),
            s(f, "message"),
            s(f, "fix"),
            if f["apply"].is_object() {
                format!(" (wxdesk can apply it: op {})", s(&f["apply"], "op"))
            } else {
                String::new()
            }
        ));
    }
    out.join("\n")
}

fn state_text(v: &Value) -> String {
    let st = &v["state"];
    format!(
        "{}: {} (experience {}, released {})",
        s(v, "appid"),
        s(st, "stage"),
        or_none(&s(st, "experience_version")),
        or_none(&s(st, "released_version"))
    )
}

fn or_none(x: &str) -> &str {
    if x.is_empty() {
        "none"
    } else {
        x
    }
}

/// `wxdesk audit check|submit|status|undo|speedup|quota`.
pub async fn audit(ctx: &Ctx<'_>, cmd: AuditCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        AuditCommand::Check(t) => {
            let v = call(&rt, "audit_check", target(&t)).await?;
            let text = check_text(&v);
            (v, text)
        }
        AuditCommand::Submit(a) => {
            let mut args = target(&a.target);
            if let Some(p) = &a.items {
                let text = super::read_body("--items", Some(p))?;
                args["item_list"] = serde_json::from_str(&text).map_err(|e| {
                    CliError::invalid(
                        "--items",
                        format!("{} is not a JSON array of audit items: {e}", p.display()),
                    )
                })?;
            }
            args["feedback_info"] = json!(a.feedback);
            if a.privacy_api_not_use {
                args["privacy_api_not_use"] = json!(true);
            }
            args["order_path"] = json!(a.order_path);
            if let Some(name) = &a.profile {
                super::batch::profile_audit_defaults(&rt, &a.target, name, &mut args).await?;
            }
            let v = call(&rt, "audit_submit", args).await?;
            let text = s(&v, "auditid");
            (v, text)
        }
        AuditCommand::Status(t) => {
            let v = call(&rt, "audit_status", target(&t)).await?;
            let text = format!(
                "{} {} {}",
                s(&v, "auditid"),
                s(&v, "status"),
                s(&v, "reason")
            );
            (v, text.trim_end().to_string())
        }
        AuditCommand::Undo(t) => {
            let v = call_confirmed(ctx, &rt, "audit_undo", target(&t)).await?;
            let text = format!("audit {} withdrawn", s(&v, "auditid"));
            (v, text)
        }
        AuditCommand::Speedup(t) => {
            let v = call(&rt, "audit_speedup", target(&t)).await?;
            let text = format!("speed-up asked for audit {}", s(&v, "auditid"));
            (v, text)
        }
        AuditCommand::Quota(t) => {
            let v = call(&rt, "audit_quota", target(&t)).await?;
            let q = &v["quota"];
            let text = format!(
                "{} of {} submissions left this month; {} of {} speed-ups",
                q["rest"], q["limit"], q["speedup_rest"], q["speedup_limit"]
            );
            (v, text)
        }
    };
    ctx.out.view(&v, &text)
}

/// `release gray-plan`'s line.
fn gray_plan_text(appid: &str, v: &Value) -> String {
    let p = &v["plan"];
    if p.is_null() {
        return format!("{appid}: no phased release");
    }
    let status = match p["status"].as_i64() {
        Some(0) => "initial",
        Some(1) => "running",
        Some(2) => "paused",
        Some(3) => "finished",
        Some(4) => "cancelled",
        _ => "unknown",
    };
    format!(
        "{appid}: phased release {status} at {}%",
        p["gray_percentage"]
    )
}

/// `wxdesk release publish|revert|status|gray|gray-plan|gray-revert|visit`.
pub async fn release(ctx: &Ctx<'_>, cmd: ReleaseCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        ReleaseCommand::Publish(t) => {
            let v = call_confirmed(ctx, &rt, "release_publish", target(&t)).await?;
            let text = state_text(&v);
            (v, text)
        }
        ReleaseCommand::Revert(t) => {
            let v = call_confirmed(ctx, &rt, "release_revert", target(&t)).await?;
            let text = state_text(&v);
            (v, text)
        }
        ReleaseCommand::Status(t) => {
            let v = call(&rt, "release_status", target(&t)).await?;
            let text = state_text(&v);
            (v, text)
        }
        ReleaseCommand::Gray(a) => {
            let mut args = target(&a.target);
            args["percent"] = json!(a.percent);
            let v = call_confirmed(ctx, &rt, "release_gray", args).await?;
            (
                v,
                format!("{}: phased release at {}%", a.target.authorizer, a.percent),
            )
        }
        ReleaseCommand::GrayPlan(t) => {
            let v = call(&rt, "release_gray_plan", target(&t)).await?;
            let text = gray_plan_text(&t.authorizer, &v);
            (v, text)
        }
        ReleaseCommand::GrayRevert(t) => {
            let v = call_confirmed(ctx, &rt, "release_gray_revert", target(&t)).await?;
            let text = state_text(&v);
            (v, text)
        }
        ReleaseCommand::Visit(a) => {
            let mut args = target(&a.target);
            let word = match a.status {
                Visit::Open => "open",
                Visit::Close => "close",
            };
            args["status"] = json!(word);
            let v = call_confirmed(ctx, &rt, "release_visit", args).await?;
            (v, format!("{}: visit status {word}", a.target.authorizer))
        }
    };
    ctx.out.view(&v, &text)
}
