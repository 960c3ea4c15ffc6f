//! Checking an import file before anything is written.
//!
//! Every record is checked on its own — AppID formats, secrets,
//! EncodingAESKeys, the JSON shape, duplicate keys, times — and the first
//! problem is reported by record and field (`authorizers[3].component`). Two
//! rules guard where secrets go:
//!
//! * a plain (unencrypted) file never carries a secret, refresh token or
//!   ticket; one that does was altered or made by another tool and is refused;
//! * an import never changes the environment or its base URLs: a file asking
//!   for another environment than the one in use is refused, and one naming
//!   the environment in use has that entry ignored (with a note).
//!
//! The result is a [`Plan`] holding the checked values (secrets still in
//! clear, zeroized on drop); [`super::apply`] compares it with the desk and
//! writes it.

use std::collections::HashMap;

use serde_json::Value;
use zeroize::Zeroizing;

use crate::env::Environment;
use crate::error::{Error, Result};
use crate::services::apps::{check_appid, check_name, check_secret, APP_SECRET_SOURCE};
use crate::services::components::{
    check_aes_key, check_message_token, check_redirect_uri, component_appid,
    COMPONENT_SECRET_SOURCE,
};
use crate::services::settings::{
    check_environment, check_language, check_log_retention, check_theme,
};
use crate::store::apps::AppRow;
use crate::store::authorizers::{AuthorizerRow, AuthorizerStatus};
use crate::store::components::ComponentRow;
use crate::store::settings as keys;

use super::format::{
    scrub, ExportApp, ExportAuthorizer, ExportComponent, ExportSettings, ReadFile,
};

const ACCOUNT_TYPES: [&str; 3] = ["mini_program", "official_account", "unknown"];
const TICKET_SOURCES: [&str; 2] = ["manual", "push"];
/// How far in the future a time in the file may lie (clock skew between machines).
const FUTURE_SLACK_SECS: i64 = 300;

/// A mini program to write; `row.secret` is sealed only when written.
pub(super) struct PlannedApp {
    pub row: AppRow,
    pub secret: Option<Zeroizing<String>>,
}

/// A component ticket to write.
pub(super) struct PlannedTicket {
    pub ticket: Zeroizing<String>,
    pub source: String,
    pub received_at: i64,
}

/// A platform to write, with its secrets in clear.
pub(super) struct PlannedComponent {
    pub row: ComponentRow,
    pub secret: Option<Zeroizing<String>>,
    pub token: Option<Zeroizing<String>>,
    pub aes_key: Option<Zeroizing<String>>,
    pub ticket: Option<PlannedTicket>,
}

/// An authorizer to write.
pub(super) struct PlannedAuthorizer {
    /// Its index in the file, for error messages.
    pub index: usize,
    pub row: AuthorizerRow,
    pub refresh_token: Option<Zeroizing<String>>,
    /// When the refresh token was current on the exporting desk (the record's
    /// `updated_at`, else the file's `exported_at`).
    pub refresh_token_at: Option<i64>,
}

/// A fully checked import.
pub(super) struct Plan {
    pub apps: Vec<PlannedApp>,
    pub components: Vec<PlannedComponent>,
    pub authorizers: Vec<PlannedAuthorizer>,
    pub settings: Vec<(&'static str, Value)>,
    pub with_secrets: bool,
    /// What was read but deliberately not applied.
    pub notes: Vec<String>,
}

/// Re-labels an input error as `kind[i].field`, naming the record's key.
fn at(kind: &str, i: usize, id: &str, e: Error) -> Error {
    match e {
        Error::Invalid { field, reason } => {
            let label = if id.is_empty() {
                String::new()
            } else {
                format!("record {id}: ")
            };
            Error::invalid(format!("{kind}[{i}].{field}"), format!("{label}{reason}"))
        }
        other => other,
    }
}

fn record<T: serde::de::DeserializeOwned>(kind: &str, i: usize, v: Value) -> Result<T> {
    let id = v
        .get("appid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    serde_json::from_value(v).map_err(|e| {
        let label = if id.is_empty() {
            String::new()
        } else {
            format!("record {id}: ")
        };
        Error::invalid(
            format!("{kind}[{i}]"),
            format!("{label}{}", scrub(&e.to_string())),
        )
    })
}

/// Times are Unix seconds, not negative and not in the future.
fn check_time(field: &str, t: Option<i64>, now: i64) -> Result<()> {
    match t {
        Some(t) if t < 0 => Err(Error::invalid(field, "is negative; times are Unix seconds")),
        Some(t) if t > now.saturating_add(FUTURE_SLACK_SECS) => Err(Error::invalid(
            field,
            format!("is {t}, in the future (now is {now}); the file was altered or the exporting machine's clock is wrong"),
        )),
        _ => Ok(()),
    }
}

/// Refuses a secret field in a plain file, naming it (never its value).
fn no_secret_in_plain(field: &str, present: bool, encrypted: bool) -> Result<()> {
    if present && !encrypted {
        return Err(Error::invalid(
            field,
            "a plain (unencrypted) export never holds secrets, refresh tokens or tickets; this file was altered or made by another tool. \
             Move secrets with an encrypted export (`wxdesk export --with-secrets`, or Export with secrets in Settings)",
        ));
    }
    Ok(())
}

/// Checks every record of `file` against the rules above; `env` is the
/// environment this desk uses.
pub(super) fn plan(file: ReadFile, env: &Environment, now: i64) -> Result<Plan> {
    let ReadFile { doc, encrypted } = file;
    check_time("exported_at", doc.exported_at, now)?;
    let mut with_secrets = false;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut apps_out = Vec::with_capacity(doc.apps.len());
    for (i, v) in doc.apps.into_iter().enumerate() {
        let a: ExportApp = record("apps", i, v)?;
        let id = a.appid.clone();
        let fail = |e| at("apps", i, &id, e);
        check_appid("appid", &a.appid).map_err(fail)?;
        if let Some(j) = seen.insert(a.appid.clone(), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!("appears twice (also apps[{j}]); keep one"),
            )));
        }
        no_secret_in_plain("secret", a.secret.is_some(), encrypted).map_err(fail)?;
        let name = check_name("name", &a.name).map_err(fail)?;
        check_time("created_at", a.created_at, now).map_err(fail)?;
        check_time("updated_at", a.updated_at, now).map_err(fail)?;
        let secret = a
            .secret
            .as_ref()
            .map(|s| check_secret("secret", s.expose(), APP_SECRET_SOURCE))
            .transpose()
            .map_err(fail)?;
        with_secrets |= secret.is_some();
        apps_out.push(PlannedApp {
            row: AppRow {
                secret: None,
                appid: a.appid,
                name,
                created_at: a.created_at.unwrap_or(now),
                updated_at: a.updated_at.unwrap_or(now),
            },
            secret,
        });
    }

    seen.clear();
    let mut comps_out = Vec::with_capacity(doc.components.len());
    for (i, v) in doc.components.into_iter().enumerate() {
        let c: ExportComponent = record("components", i, v)?;
        let id = c.appid.clone();
        let fail = |e| at("components", i, &id, e);
        component_appid(&c.appid).map_err(fail)?;
        if let Some(j) = seen.insert(c.appid.clone(), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!("appears twice (also components[{j}]); keep one"),
            )));
        }
        no_secret_in_plain("secret", c.secret.is_some(), encrypted).map_err(fail)?;
        no_secret_in_plain("token", c.token.is_some(), encrypted).map_err(fail)?;
        no_secret_in_plain("aes_key", c.aes_key.is_some(), encrypted).map_err(fail)?;
        no_secret_in_plain("ticket", c.ticket.is_some(), encrypted).map_err(fail)?;
        let name = check_name("name", &c.name).map_err(fail)?;
        check_time("created_at", c.created_at, now).map_err(fail)?;
        check_time("updated_at", c.updated_at, now).map_err(fail)?;
        let redirect_uri = c
            .redirect_uri
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| check_redirect_uri("redirect_uri", u))
            .transpose()
            .map_err(fail)?;
        let secret = c
            .secret
            .as_ref()
            .map(|s| check_secret("secret", s.expose(), COMPONENT_SECRET_SOURCE))
            .transpose()
            .map_err(fail)?;
        let token = c
            .token
            .as_ref()
            .map(|t| check_message_token("token", t.expose()))
            .transpose()
            .map_err(fail)?;
        let aes_key = c
            .aes_key
            .as_ref()
            .map(|k| check_aes_key("aes_key", k.expose()))
            .transpose()
            .map_err(fail)?;
        let ticket = match &c.ticket {
            None => None,
            Some(t) => {
                if t.ticket.expose().trim().is_empty() {
                    return Err(fail(Error::invalid("ticket.ticket", "is empty")));
                }
                if !TICKET_SOURCES.contains(&t.source.as_str()) {
                    return Err(fail(Error::invalid(
                        "ticket.source",
                        format!("{:?} is not a ticket source; use push or manual", t.source),
                    )));
                }
                if t.received_at <= 0 {
                    return Err(fail(Error::invalid(
                        "ticket.received_at",
                        "must be a positive Unix time in seconds",
                    )));
                }
                check_time("ticket.received_at", Some(t.received_at), now).map_err(fail)?;
                Some(PlannedTicket {
                    ticket: Zeroizing::new(t.ticket.expose().trim().to_string()),
                    source: t.source.clone(),
                    received_at: t.received_at,
                })
            }
        };
        with_secrets |=
            secret.is_some() || token.is_some() || aes_key.is_some() || ticket.is_some();
        comps_out.push(PlannedComponent {
            row: ComponentRow {
                secret: None,
                token: None,
                aes_key: None,
                appid: c.appid,
                name,
                redirect_uri,
                created_at: c.created_at.unwrap_or(now),
                updated_at: c.updated_at.unwrap_or(now),
            },
            secret,
            token,
            aes_key,
            ticket,
        });
    }

    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    let mut auths_out = Vec::with_capacity(doc.authorizers.len());
    for (i, v) in doc.authorizers.into_iter().enumerate() {
        let a: ExportAuthorizer = record("authorizers", i, v)?;
        let id = a.appid.clone();
        let fail = |e| at("authorizers", i, &id, e);
        check_appid("appid", &a.appid).map_err(fail)?;
        check_appid("component appid", &a.component)
            .map_err(|e| match e {
                Error::Invalid { reason, .. } => Error::invalid("component", reason),
                other => other,
            })
            .map_err(fail)?;
        if let Some(j) = pairs.insert((a.component.clone(), a.appid.clone()), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!(
                    "appears twice for platform {} (also authorizers[{j}]); keep one",
                    a.component
                ),
            )));
        }
        no_secret_in_plain("refresh_token", a.refresh_token.is_some(), encrypted).map_err(fail)?;
        if !ACCOUNT_TYPES.contains(&a.account_type.as_str()) {
            return Err(fail(Error::invalid(
                "account_type",
                format!(
                    "{:?} is not an account type; use mini_program, official_account or unknown",
                    a.account_type
                ),
            )));
        }
        if a.nick_name.chars().count() > 256 || a.nick_name.chars().any(char::is_control) {
            return Err(fail(Error::invalid(
                "nick_name",
                "must be one line of at most 256 characters",
            )));
        }
        check_time("authorized_at", a.authorized_at, now).map_err(fail)?;
        check_time("revoked_at", a.revoked_at, now).map_err(fail)?;
        check_time("updated_at", a.updated_at, now).map_err(fail)?;
        let refresh_token = match &a.refresh_token {
            Some(t) if t.expose().trim().is_empty() => {
                return Err(fail(Error::invalid("refresh_token", "is empty")))
            }
            Some(t) => Some(Zeroizing::new(t.expose().trim().to_string())),
            None => None,
        };
        with_secrets |= refresh_token.is_some();
        auths_out.push(PlannedAuthorizer {
            index: i,
            row: AuthorizerRow {
                component_appid: a.component,
                appid: a.appid,
                refresh_token: None,
                func_info: a.func_info,
                info: None,
                nick_name: a.nick_name,
                account_type: a.account_type,
                status: a.status,
                authorized_at: a.authorized_at,
                revoked_at: match a.status {
                    AuthorizerStatus::Revoked => Some(a.revoked_at.unwrap_or(now)),
                    AuthorizerStatus::Active => None,
                },
                updated_at: now,
            },
            refresh_token,
            refresh_token_at: a.updated_at.or(doc.exported_at),
        });
    }

    let mut settings_out = Vec::new();
    let mut notes = Vec::new();
    if let Some(v) = doc.settings {
        let s: ExportSettings = serde_json::from_value(v)
            .map_err(|e| Error::invalid("settings", scrub(&e.to_string())))?;
        let fail = |e| match e {
            Error::Invalid { field, reason } => Error::invalid(format!("settings.{field}"), reason),
            other => other,
        };
        if let Some(file_env) = s.environment {
            check_environment("environment", &file_env).map_err(fail)?;
            if file_env != *env {
                return Err(Error::invalid(
                    "settings.environment",
                    format!(
                        "the file asks for the {} environment, and this desk uses {}: an import never changes the environment or its base URLs \
                         (that would change where secrets are sent). Remove \"environment\" from the file's settings, or choose the environment yourself in Settings or with `wxdesk env set`",
                        file_env.label(),
                        env.label()
                    ),
                ));
            }
            notes.push(format!(
                "settings.environment ({}) is ignored: an import never changes the environment",
                file_env.label()
            ));
        }
        if let Some(d) = s.log_retention_days {
            let d = check_log_retention("log_retention_days", d).map_err(fail)?;
            settings_out.push((keys::LOG_RETENTION_DAYS, Value::from(d)));
        }
        if let Some(l) = s.language {
            check_language("language", &l).map_err(fail)?;
            settings_out.push((keys::LANGUAGE, Value::from(l)));
        }
        if let Some(t) = s.theme {
            check_theme("theme", &t).map_err(fail)?;
            settings_out.push((keys::THEME, Value::from(t)));
        }
    }

    Ok(Plan {
        apps: apps_out,
        components: comps_out,
        authorizers: auths_out,
        settings: settings_out,
        with_secrets,
        notes,
    })
}
