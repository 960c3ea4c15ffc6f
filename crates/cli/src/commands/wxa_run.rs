//! Running code-management commands through the core's operation table:
//! the runtime, the arguments every mini-program command shares, the
//! shell's half of confirmations (the operation decides; `--yes` or a
//! terminal answer confirms), and `template`, `code`, `tester`, `domain`
//! and `privacy`. `--json` prints each operation's own result.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_wechat::api::wxa_domain::ServerDomains;

use super::wxa_args::*;
use super::Ctx;
use crate::output::CliError;

/// The operation runtime on the environment the global options choose.
pub(super) async fn runtime(ctx: &Ctx<'_>) -> Result<Runtime, CliError> {
    Ok(Runtime::open(ctx.desk_options()?).await?)
}

/// `{"appid", "component_appid"}` of a `--authorizer [--component]` pair.
pub(super) fn target(t: &Target) -> Value {
    json!({"appid": t.authorizer.trim(), "component_appid": t.component.as_deref().map(str::trim)})
}

/// Runs operation `name`.
pub(super) async fn call(rt: &Runtime, name: &str, args: Value) -> Result<Value, CliError> {
    Ok(dispatch(rt, name, args).await?)
}

/// Runs an operation that refuses with `NeedsConfirmation` unless its
/// arguments say `confirmed`: `--yes` confirms at once; otherwise the
/// unconfirmed call (which sends nothing) supplies the wording to ask with.
pub(super) async fn call_confirmed(
    ctx: &Ctx<'_>,
    rt: &Runtime,
    name: &str,
    mut args: Value,
) -> Result<Value, CliError> {
    args["confirmed"] = json!(ctx.g.yes);
    match dispatch(rt, name, args.clone()).await {
        Err(wxdesk_core::Error::NeedsConfirmation { action, risk }) => {
            ctx.confirm(&action, &risk)?;
            args["confirmed"] = json!(true);
            call(rt, name, args).await
        }
        other => Ok(other?),
    }
}

fn read(flag: &str, path: &std::path::Path) -> Result<String, CliError> {
    super::read_body(flag, Some(path))
}

fn json_file(flag: &str, path: &std::path::Path) -> Result<Value, CliError> {
    serde_json::from_str(&read(flag, path)?)
        .map_err(|e| CliError::invalid(flag, format!("{} is not valid JSON: {e}", path.display())))
}

fn str_of(v: &Value, k: &str) -> String {
    match &v[k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn lines(items: &Value, f: impl Fn(&Value) -> String) -> String {
    items
        .as_array()
        .map(|a| a.iter().map(f).collect::<Vec<_>>().join("\n"))
        .unwrap_or_default()
}

/// `wxdesk template drafts|list|add|delete`.
pub async fn template(ctx: &Ctx<'_>, cmd: TemplateCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        TemplateCommand::Drafts(p) => {
            let v = call(
                &rt,
                "template_drafts",
                json!({"component_appid": p.component}),
            )
            .await?;
            let t = lines(&v, |d| {
                format!(
                    "draft {}  {}  {}",
                    d["draft_id"],
                    str_of(d, "user_version"),
                    str_of(d, "user_desc")
                )
            });
            (v, if t.is_empty() { "no drafts".into() } else { t })
        }
        TemplateCommand::List(p) => {
            let v = call(
                &rt,
                "template_list",
                json!({"component_appid": p.component}),
            )
            .await?;
            let t = lines(&v, |d| {
                format!(
                    "template {}  draft {}  {}  {}",
                    d["template_id"],
                    d["draft_id"],
                    str_of(d, "user_version"),
                    str_of(d, "user_desc")
                )
            });
            (
                v,
                if t.is_empty() {
                    "no templates".into()
                } else {
                    t
                },
            )
        }
        TemplateCommand::Add(a) => {
            let v = call(
                &rt,
                "template_add",
                json!({"component_appid": a.platform.component, "draft_id": a.draft_id, "template_type": a.template_type}),
            )
            .await?;
            let t = format!(
                "template {} added from draft {}",
                v["template_id"], a.draft_id
            );
            (v, t)
        }
        TemplateCommand::Delete(a) => {
            let v = call(
                &rt,
                "template_delete",
                json!({"component_appid": a.platform.component, "template_id": a.template_id}),
            )
            .await?;
            (v, format!("template {} deleted", a.template_id))
        }
    };
    ctx.out.view(&v, &text)
}

/// `wxdesk code commit|qr|pages|categories`.
pub async fn code(ctx: &Ctx<'_>, cmd: CodeCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        CodeCommand::Commit(a) => {
            let mut args = target(&a.target);
            args["template_id"] = json!(a.template_id);
            args["user_version"] = json!(a.user_version);
            args["user_desc"] = json!(a.desc);
            if let Some(p) = &a.ext_json {
                args["ext_json"] = json!(read("--ext-json", p)?);
            }
            let v = call(&rt, "code_commit", args).await?;
            let t = format!(
                "{}: template {} committed as experience version {}",
                str_of(&v, "appid"),
                v["template_id"],
                str_of(&v, "user_version")
            );
            (v, t)
        }
        CodeCommand::Qr(a) => {
            let mut args = target(&a.target);
            args["path"] = json!(a.path);
            let v = call(&rt, "code_qr", args).await?;
            let bytes = B64.decode(str_of(&v, "image_base64")).map_err(|e| {
                CliError::invalid("--out", format!("the QR image is not base64: {e}"))
            })?;
            std::fs::write(&a.out, &bytes).map_err(|e| {
                CliError::invalid("--out", format!("cannot write {}: {e}", a.out.display()))
            })?;
            let t = format!("experience QR saved to {}", a.out.display());
            (v, t)
        }
        CodeCommand::Pages(t) => {
            let v = call(&rt, "code_pages", target(&t)).await?;
            let text = lines(&v["pages"], |p| p.as_str().unwrap_or_default().to_string());
            (v, text)
        }
        CodeCommand::Categories(t) => {
            let v = call(&rt, "code_categories", target(&t)).await?;
            let text = lines(&v["categories"], |c| {
                format!(
                    "{} ({}) > {} ({})",
                    str_of(c, "first_class"),
                    c["first_id"],
                    str_of(c, "second_class"),
                    c["second_id"]
                )
            });
            (
                v,
                if text.is_empty() {
                    "no categories".into()
                } else {
                    text
                },
            )
        }
    };
    ctx.out.view(&v, &text)
}

/// `wxdesk tester bind|unbind|list`.
pub async fn tester(ctx: &Ctx<'_>, cmd: TesterCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        TesterCommand::Bind(a) => {
            let mut args = target(&a.target);
            args["wechat_id"] = json!(a.wechat_id);
            let v = call(&rt, "tester_bind", args).await?;
            (
                v,
                format!("{} is a tester of {}", a.wechat_id, a.target.authorizer),
            )
        }
        TesterCommand::Unbind(a) => {
            let mut args = target(&a.target);
            args["wechat_id"] = json!(a.wechat_id);
            let v = call(&rt, "tester_unbind", args).await?;
            (
                v,
                format!(
                    "{} is no longer a tester of {}",
                    a.wechat_id, a.target.authorizer
                ),
            )
        }
        TesterCommand::List(t) => {
            let v = call(&rt, "tester_list", target(&t)).await?;
            let text = lines(&v["testers"], |m| str_of(m, "userstr"));
            (
                v,
                if text.is_empty() {
                    "no testers".into()
                } else {
                    text
                },
            )
        }
    };
    ctx.out.view(&v, &text)
}

fn domains_text(v: &Value) -> String {
    let d = &v["domains"];
    ServerDomains::fields()
        .iter()
        .filter_map(|k| {
            let l = d[*k].as_array()?;
            (!l.is_empty()).then(|| {
                format!(
                    "{k}: {}",
                    l.iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(" ")
                )
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `domain platform`'s text: each list, one line.
fn platform_domains_text(v: &Value) -> String {
    let d = &v["domains"];
    let join = |k: &str| {
        let l = lines(&d[k], |x| x.as_str().unwrap_or_default().to_string()).replace('\n', " ");
        if l.is_empty() {
            "none".to_string()
        } else {
            l
        }
    };
    format!(
        "{} {} domains\ntesting: {}\npublished: {}\ninvalid: {}",
        str_of(v, "component_appid"),
        str_of(v, "kind"),
        join("testing"),
        join("published"),
        join("invalid"),
    )
}

/// `wxdesk domain get|set|webview|platform`.
pub async fn domain(ctx: &Ctx<'_>, cmd: DomainCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (v, text) = match cmd {
        DomainCommand::Get(t) => {
            let v = call(&rt, "domain_get", target(&t)).await?;
            let text = domains_text(&v);
            (
                v,
                if text.is_empty() {
                    "no server domains".into()
                } else {
                    text
                },
            )
        }
        DomainCommand::Set(a) => {
            let mut args = target(&a.target);
            args["requestdomain"] = json!(a.request);
            args["wsrequestdomain"] = json!(a.socket);
            args["uploaddomain"] = json!(a.upload);
            args["downloaddomain"] = json!(a.download);
            args["directly"] = json!(a.directly);
            let v = call(&rt, "domain_set", args).await?;
            let text = domains_text(&v);
            (
                v,
                if text.is_empty() {
                    "server domains cleared".into()
                } else {
                    text
                },
            )
        }
        DomainCommand::Webview(a) => {
            let mut args = target(&a.target);
            args["webviewdomain"] = json!(a.url);
            args["directly"] = json!(a.directly);
            let v = call(&rt, "webview_set", args).await?;
            let text = lines(&v["webviewdomain"], |d| {
                d.as_str().unwrap_or_default().to_string()
            });
            (v, text)
        }
        DomainCommand::Platform(a) => {
            let action = match a.action {
                PlatformDomainAction::Get => "get",
                PlatformDomainAction::Add => "add",
                PlatformDomainAction::Delete => "delete",
                PlatformDomainAction::Set => "set",
            };
            let args = json!({
                "component_appid": a.platform.component,
                "kind": if a.jump { "jump" } else { "server" },
                "action": action,
                "domains": a.domain,
                "published_too": a.published_too,
            });
            let v = call_confirmed(ctx, &rt, "platform_domains", args).await?;
            let text = platform_domains_text(&v);
            (v, text)
        }
    };
    ctx.out.view(&v, &text)
}

/// `wxdesk privacy get|set`.
pub async fn privacy(ctx: &Ctx<'_>, cmd: PrivacyCommand) -> Result<(), CliError> {
    let rt = runtime(ctx).await?;
    let (t, args) = match &cmd {
        PrivacyCommand::Get(t) => (t, target(t)),
        PrivacyCommand::Set(a) => {
            let mut args = target(&a.target);
            args["setting"] = json_file("--file", &a.file)?;
            (&a.target, args)
        }
    };
    let name = match cmd {
        PrivacyCommand::Get(_) => "privacy_get",
        PrivacyCommand::Set(_) => "privacy_set",
    };
    let v = call(&rt, name, args).await?;
    let declared = lines(&v["info"]["setting_list"], |i| str_of(i, "privacy_key"));
    let undeclared = lines(&v["undeclared"], |k| {
        k.as_str().unwrap_or_default().to_string()
    });
    let text = format!(
        "{}: declared: {}\nundeclared (used by the code): {}",
        t.authorizer,
        if declared.is_empty() {
            "none".into()
        } else {
            declared.replace('\n', ", ")
        },
        if undeclared.is_empty() {
            "none".into()
        } else {
            undeclared.replace('\n', ", ")
        },
    );
    ctx.out.view(&v, &text)
}
