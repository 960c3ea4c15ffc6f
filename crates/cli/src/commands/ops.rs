//! `quota`, `log`, `export`, `import` and `env`: operating the desk itself,
//! through the `quota_*`, `call_log*`, `export`, `import*` and `settings_*`
//! operations.
//!
//! `quota clear` spends one of ten monthly resets, so the operation refuses it
//! until confirmed, before anything is sent. Export files carry secrets only when asked, and then
//! only encrypted with a passphrase read from a file (never from the command
//! line, where it would land in shell history).

use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::json;
use wxdesk_core::ops::args::{
    CallLogArgs, CallLogEntryArgs, EnvironmentArgs, ExportArgs as ExportOpArgs,
    ImportArgs as ImportOpArgs, NoArgs, QuotaClearArgs, QuotaGetArgs,
};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::services::transfer::file::write_private;
use wxdesk_core::store::now_ms;
use wxdesk_core::Environment;
use zeroize::Zeroizing;

use super::Ctx;
use crate::cli::{EnvCommand, EnvSetCommand, ExportArgs, ImportArgs, LogArgs, QuotaCommand};
use crate::output::CliError;
use crate::text::{self, Table};

/// `quota get|clear`.
pub async fn quota(ctx: &Ctx<'_>, cmd: QuotaCommand) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    match cmd {
        QuotaCommand::Get(a) => {
            let v = op::quota_get(
                rt,
                QuotaGetArgs {
                    appid: a.appid,
                    cgi_path: a.cgi_path,
                    component_appid: a.component,
                },
            )
            .await?;
            let text = format!(
                "{} {}: {} of {} used today, {} left",
                v.appid, v.cgi_path, v.used, v.daily_limit, v.remain
            );
            ctx.out.view(&v, &text)
        }
        QuotaCommand::Clear(a) => {
            let v = ctx
                .confirmed(|confirmed| {
                    op::quota_clear(
                        rt,
                        QuotaClearArgs {
                            appid: a.appid.clone(),
                            confirmed,
                            component_appid: a.component.clone(),
                            by_secret: a.by_secret,
                        },
                    )
                })
                .await?;
            ctx.out.view(
                &v,
                &format!("{}: daily quotas cleared ({})", v.appid, v.note),
            )
        }
    }
}

/// `log [filters]` or `log --id N`.
pub async fn log(ctx: &Ctx<'_>, a: LogArgs) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    if let Some(id) = a.id {
        let e = op::call_log_entry(rt, CallLogEntryArgs { id }).await?;
        let mut s = format!(
            "#{} {} {} {} (attempt {}, {} ms)\naccount: {}\nhttp:    {}\nresult:  {}",
            e.id,
            text::time_ms(e.at_ms),
            e.method,
            e.endpoint,
            e.attempt,
            e.duration_ms,
            text::opt(e.account.as_deref()),
            text::opt(e.http_status),
            match (e.errcode, &e.error_kind) {
                (Some(0), None) | (None, None) => "ok".to_string(),
                (c, k) => format!(
                    "{} {}",
                    k.as_deref().unwrap_or("api"),
                    c.map(|c| format!("errcode {c}: {}", e.errmsg.as_deref().unwrap_or("")))
                        .unwrap_or_default()
                ),
            }
        );
        if let Some(x) = &e.explanation {
            s.push_str(&format!(
                "\nmeaning: {} / {}\nfix:     {}",
                x.zh, x.en, x.hint
            ));
        }
        s.push_str(&format!(
            "\nrequest: {}\nresponse: {}",
            serde_json::to_string_pretty(&e.request).unwrap_or_default(),
            e.response.as_deref().unwrap_or("-")
        ));
        return ctx.out.view(&e, &s);
    }
    let now = now_ms();
    let since_ms = a
        .since
        .as_deref()
        .map(|s| text::parse_when("--since", s, now))
        .transpose()?;
    let until_ms = a
        .until
        .as_deref()
        .map(|s| text::parse_when("--until", s, now))
        .transpose()?;
    let entries = op::call_log(
        rt,
        CallLogArgs {
            account: a.account,
            endpoint: a.endpoint,
            errors_only: a.errors,
            since_ms,
            until_ms,
            limit: Some(a.limit),
            before_id: a.before_id,
        },
    )
    .await?;
    let mut t = Table::new(&["ID", "TIME", "ENDPOINT", "ACCOUNT", "MS", "RESULT"]);
    for e in &entries {
        let result = match (&e.error_kind, e.errcode) {
            (None, _) => "ok".to_string(),
            (Some(_), Some(c)) => format!(
                "{c} {}",
                e.explanation
                    .as_ref()
                    .map(|x| x.en.clone())
                    .unwrap_or_else(|| e.errmsg.clone().unwrap_or_default())
            ),
            (Some(k), None) => k.clone(),
        };
        t.row(vec![
            e.id.to_string(),
            text::time_ms(e.at_ms),
            e.endpoint.clone(),
            text::opt(e.account.as_deref()),
            e.duration_ms.to_string(),
            result,
        ]);
    }
    let next = if entries.len() == a.limit as usize {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let mut s = t.render("no calls match");
    if let Some(n) = next {
        s.push_str(&format!("more: add --before-id {n}"));
    }
    // JSON: the operation's list; the next page starts before the last id.
    ctx.out.view(&entries, &s)
}

/// Reads a passphrase: the file's first line, without its line ending.
fn read_passphrase(flag: &str, path: &Path) -> Result<Zeroizing<String>, CliError> {
    let raw =
        Zeroizing::new(std::fs::read_to_string(path).map_err(|e| {
            CliError::invalid(flag, format!("cannot read {}: {e}", path.display()))
        })?);
    let first = raw.lines().next().unwrap_or("");
    if first.is_empty() {
        return Err(CliError::invalid(
            flag,
            format!(
                "{} is empty; put the passphrase (at least 8 characters) on its first line",
                path.display()
            ),
        ));
    }
    Ok(Zeroizing::new(first.to_string()))
}

/// `export --out FILE [--with-secrets --passphrase-file F]`.
pub async fn export(ctx: &Ctx<'_>, a: ExportArgs) -> Result<(), CliError> {
    let passphrase = match (&a.passphrase_file, a.with_secrets) {
        (Some(p), true) => Some(read_passphrase("--passphrase-file", p)?),
        (None, true) => {
            return Err(CliError::missing(
                "--with-secrets needs --passphrase-file F",
                "Usage: wxdesk export --out FILE --with-secrets --passphrase-file F",
            ))
        }
        (Some(_), false) => {
            ctx.out.note(
                "--passphrase-file is ignored without --with-secrets (the file holds no secret)",
            );
            None
        }
        (None, false) => None,
    };
    let v = op::export(
        ctx.rt()?,
        ExportOpArgs {
            with_secrets: a.with_secrets,
            passphrase: passphrase.map(|p| p.to_string()),
        },
    )
    .await?;
    let bytes = Zeroizing::new(
        B64.decode(&v.content_base64)
            .map_err(|e| CliError::new(wxdesk_core::ErrorCode::Internal, e.to_string()))?,
    );
    write_private(&a.out, bytes.as_slice()).map_err(|e| match e {
        wxdesk_core::Error::Io { reason, .. } => CliError::invalid(
            "--out",
            format!("cannot write {}: {reason}", a.out.display()),
        ),
        other => other.into(),
    })?;
    let path = a.out.display().to_string();
    let text = format!(
        "wrote {path} ({} bytes, {})",
        bytes.len(),
        if a.with_secrets {
            "with secrets, encrypted with the passphrase"
        } else {
            "without secrets"
        }
    );
    // The file went to --out: the JSON says where (the op's base64 would
    // only repeat the file).
    ctx.out.view(
        &json!({ "path": path, "file_name": v.file_name, "bytes": bytes.len(), "with_secrets": v.with_secrets }),
        &text,
    )
}

/// `import FILE [--passphrase-file F] [--preview]`: the core previews the
/// import and refuses to write unconfirmed; `--yes` confirms, a terminal is
/// asked (showing the preview), anything else writes nothing.
pub async fn import(ctx: &Ctx<'_>, a: ImportArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&a.file)
        .map_err(|e| CliError::invalid("FILE", format!("cannot read {}: {e}", a.file.display())))?;
    let passphrase = a
        .passphrase_file
        .as_deref()
        .map(|p| read_passphrase("--passphrase-file", p))
        .transpose()?;
    let args = |confirmed: bool| ImportOpArgs {
        content_base64: B64.encode(&bytes),
        passphrase: passphrase.as_ref().map(|p| p.to_string()),
        confirmed,
    };
    let rt = ctx.rt()?;
    if a.preview {
        let r = op::import_preview(rt, args(false)).await?;
        let text = format!("preview (nothing written):\n{}", r.summary());
        return ctx.out.view(&r, &text);
    }
    let r = ctx
        .confirmed(|confirmed| op::import(rt, args(confirmed)))
        .await?;
    let text = format!(
        "imported{}:\n{}",
        if r.with_secrets {
            " with secrets"
        } else {
            " (no secrets in the file)"
        },
        r.summary()
    );
    ctx.out.view(&r, &text)
}

fn env_text(v: &wxdesk_core::services::settings::SettingsView) -> String {
    let saved = if v.saved_environment == v.environment {
        "same".to_string()
    } else {
        v.saved_environment.label()
    };
    let bases = v
        .environment
        .bases()
        .map(|b| format!("api {}  mp {}  open {}", b.api, b.mp, b.open))
        .unwrap_or_default();
    let vault = match &v.vault {
        wxdesk_core::services::settings::VaultView::Keyring { account } => {
            format!("OS keyring ({account})")
        }
        wxdesk_core::services::settings::VaultView::File { path } => format!("key file {path}"),
    };
    let home = if v.home_db_path == v.db_path {
        String::new()
    } else {
        format!(
            "\nsettings in:   {} (production's database)",
            v.home_db_path
        )
    };
    format!(
        "environment:   {}{}\nbases:         {}\nsaved choice:  {}\ndatabase:      {}{}\nvault key:     {}\nlog retention: {} days",
        v.environment_label,
        if v.is_production { "  (the real WeChat)" } else { "" },
        bases,
        saved,
        v.db_path,
        home,
        vault,
        v.log_retention_days,
    )
}

/// `env show` and `env set …`.
pub async fn env(ctx: &Ctx<'_>, cmd: EnvCommand) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    match cmd {
        EnvCommand::Show => {
            let v = op::settings_get(rt, NoArgs {}).await?;
            ctx.out.view(&v, &env_text(&v))
        }
        EnvCommand::Set(target) => {
            let environment = match target {
                EnvSetCommand::Production => Environment::Production,
                EnvSetCommand::Sandbox(s) => Environment::Sandbox { base: s.base },
                EnvSetCommand::Custom(c) => {
                    Environment::custom(c.api.as_deref(), c.mp.as_deref(), c.open.as_deref())?
                }
            };
            let v = op::settings_set_environment(rt, EnvironmentArgs { environment }).await?;
            let text = format!(
                "saved: later runs use {} and its database {} (override one run with --env or --api-base)",
                v.saved_environment.label(),
                v.db_path
            );
            ctx.out.view(&v, &text)
        }
    }
}
