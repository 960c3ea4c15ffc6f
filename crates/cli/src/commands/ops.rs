//! `quota`, `log`, `export`, `import` and `env`: operating the desk itself.
//!
//! `quota clear` spends one of ten monthly resets, so it is confirmed before
//! anything is sent. Export files carry secrets only when asked, and then
//! only encrypted with a passphrase read from a file (never from the command
//! line, where it would land in shell history).

use std::path::Path;

use serde_json::json;
use wxdesk_core::services::transfer::file::write_private;
use wxdesk_core::services::transfer::ExportOptions;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::store::now_ms;
use wxdesk_core::Environment;
use zeroize::Zeroizing;

use super::Ctx;
use crate::cli::{EnvCommand, EnvSetCommand, ExportArgs, ImportArgs, LogArgs, QuotaCommand};
use crate::output::CliError;
use crate::text::{self, Table};

/// `quota get|clear`.
pub async fn quota(ctx: &Ctx<'_>, cmd: QuotaCommand) -> Result<(), CliError> {
    match cmd {
        QuotaCommand::Get(a) => {
            let v = ctx
                .desk()?
                .quota_get_via(&a.appid, &a.cgi_path, a.component.as_deref())
                .await?;
            let text = format!(
                "{} {}: {} of {} used today, {} left",
                v.appid, v.cgi_path, v.used, v.daily_limit, v.remain
            );
            ctx.out.view(&v, &text)
        }
        QuotaCommand::Clear(a) => {
            let desk = ctx.desk()?;
            let confirmed = if ctx.g.yes {
                true
            } else {
                // The unconfirmed call sends nothing; it supplies the risk to ask about.
                match desk
                    .quota_clear_via(&a.appid, a.component.as_deref(), a.by_secret, false)
                    .await
                {
                    Err(wxdesk_core::Error::NeedsConfirmation { action, risk }) => {
                        ctx.confirm(
                            &action,
                            &format!("{risk} (environment: {})", desk.env().label()),
                        )?;
                        true
                    }
                    Err(e) => return Err(e.into()),
                    Ok(_) => false,
                }
            };
            let v = desk
                .quota_clear_via(&a.appid, a.component.as_deref(), a.by_secret, confirmed)
                .await?;
            ctx.out.view(
                &v,
                &format!("{}: daily quotas cleared ({})", v.appid, v.note),
            )
        }
    }
}

/// `log [filters]` or `log --id N`.
pub fn log(ctx: &Ctx<'_>, a: LogArgs) -> Result<(), CliError> {
    let desk = ctx.desk()?;
    if let Some(id) = a.id {
        let e = desk.call_log_entry(id)?;
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
    let q = CallLogQuery {
        account: a.account,
        endpoint: a.endpoint,
        errors_only: a.errors,
        since_ms,
        until_ms,
        limit: Some(a.limit),
        before_id: a.before_id,
    };
    let entries = desk.call_log(&q)?;
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
    ctx.out
        .view(&json!({ "entries": entries, "next_before_id": next }), &s)
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
pub fn export(ctx: &Ctx<'_>, a: ExportArgs) -> Result<(), CliError> {
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
    let bytes = ctx.desk()?.export(ExportOptions {
        with_secrets: a.with_secrets,
        passphrase,
    })?;
    write_private(&a.out, &bytes).map_err(|e| match e {
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
    ctx.out.view(
        &json!({ "path": path, "bytes": bytes.len(), "with_secrets": a.with_secrets }),
        &text,
    )
}

/// `import FILE [--passphrase-file F] [--preview]`: the core previews the
/// import and refuses to write unconfirmed; `--yes` confirms, a terminal is
/// asked (showing the preview), anything else writes nothing.
pub fn import(ctx: &Ctx<'_>, a: ImportArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&a.file)
        .map_err(|e| CliError::invalid("FILE", format!("cannot read {}: {e}", a.file.display())))?;
    let passphrase = a
        .passphrase_file
        .as_deref()
        .map(|p| read_passphrase("--passphrase-file", p))
        .transpose()?;
    let desk = ctx.desk()?;
    if a.preview {
        let r = desk.import_preview(&bytes, passphrase)?;
        let text = format!("preview (nothing written):\n{}", r.summary());
        return ctx.out.view(&r, &text);
    }
    let r = ctx.confirmed(|confirmed| desk.import(&bytes, passphrase.clone(), confirmed))?;
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
pub fn env(ctx: &Ctx<'_>, cmd: EnvCommand) -> Result<(), CliError> {
    let desk = ctx.desk()?;
    match cmd {
        EnvCommand::Show => {
            let v = desk.settings()?;
            ctx.out.view(&v, &env_text(&v))
        }
        EnvCommand::Set(target) => {
            let env = match target {
                EnvSetCommand::Production => Environment::Production,
                EnvSetCommand::Sandbox(s) => Environment::Sandbox { base: s.base },
                EnvSetCommand::Custom(c) => {
                    Environment::custom(c.api.as_deref(), c.mp.as_deref(), c.open.as_deref())?
                }
            };
            let file = wxdesk_core::files::env_db_path(desk.home_db_path(), &env)?;
            let v = desk.set_environment(env)?;
            let text = format!(
                "saved: later runs use {} and its database {} (override one run with --env or --api-base)",
                v.saved_environment.label(),
                file.display()
            );
            ctx.out.view(&v, &text)
        }
    }
}
