//! Comparing a checked import with the desk, and writing it.
//!
//! [`apply`] is the one place that decides what an import does to each
//! record. It runs twice with the same code: as a dry run inside a read
//! snapshot (the preview the operator confirms) and for real inside the
//! write transaction (all records or none). Its rules:
//!
//! * a record absent from the desk is added; one whose fields differ is
//!   changed; an identical one is left alone;
//! * a secret absent from the file keeps the stored one; a different one is
//!   overwritten and counted, so the preview can say so;
//! * an imported refresh token never replaces the desk's when the desk's
//!   record changed at or after the time the file's token was current; an
//!   imported ticket never replaces one received at or after it;
//! * every authorizer must end up with its platform on the desk.

use std::collections::HashSet;

use rusqlite::Connection;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::store::authorizers::{self, AuthorizerRow};
use crate::store::{apps, components, settings as keys, tickets};
use crate::vault::{Sealed, Vault};

use super::validate::{Plan, PlannedAuthorizer};
use super::{ImportReport, RecordCounts};

/// Whether a stored secret differs from `new` (`None` when nothing is stored).
fn differs(vault: &Vault, purpose: &str, stored: Option<&Sealed>, new: &str) -> Option<bool> {
    let stored = stored?;
    Some(match vault.open(purpose, stored) {
        Ok(old) => old.as_str() != new,
        Err(_) => true,
    })
}

fn seal(vault: &Vault, purpose: &str, v: Option<&Zeroizing<String>>) -> Result<Option<Sealed>> {
    Ok(v.map(|s| vault.seal(purpose, s)).transpose()?)
}

fn count(c: &mut RecordCounts, existed: bool, changed: bool) {
    match (existed, changed) {
        (false, _) => c.added += 1,
        (true, true) => c.changed += 1,
        (true, false) => c.unchanged += 1,
    }
}

/// Compares `plan` with the desk behind `tx` and, unless `dry_run`, writes it.
pub(super) fn apply(
    tx: &Connection,
    vault: &Vault,
    plan: &Plan,
    dry_run: bool,
) -> Result<ImportReport> {
    check_references(tx, plan)?;
    let mut r = ImportReport {
        written: !dry_run,
        with_secrets: plan.with_secrets,
        notes: plan.notes.clone(),
        ..ImportReport::default()
    };

    for p in &plan.apps {
        let old = apps::get(tx, &p.row.appid)?;
        let mut changed = old.as_ref().is_some_and(|o| o.name != p.row.name);
        if let Some(new) = &p.secret {
            match differs(
                vault,
                apps::SECRET,
                old.as_ref().and_then(|o| o.secret.as_ref()),
                new,
            ) {
                Some(true) => {
                    r.secrets_overwritten += 1;
                    changed = true;
                }
                Some(false) => {}
                None => changed = true,
            }
        }
        count(&mut r.apps, old.is_some(), changed);
        if !dry_run && (old.is_none() || changed) {
            let mut row = p.row.clone();
            row.secret = seal(vault, apps::SECRET, p.secret.as_ref())?;
            apps::upsert(tx, &row)?;
        }
    }

    for p in &plan.components {
        let old = components::get(tx, &p.row.appid)?;
        let mut changed = old.as_ref().is_some_and(|o| {
            o.name != p.row.name
                || (p.row.redirect_uri.is_some() && o.redirect_uri != p.row.redirect_uri)
        });
        for (purpose, new, stored) in [
            (
                components::SECRET,
                &p.secret,
                old.as_ref().and_then(|o| o.secret.as_ref()),
            ),
            (
                components::TOKEN,
                &p.token,
                old.as_ref().and_then(|o| o.token.as_ref()),
            ),
            (
                components::AES_KEY,
                &p.aes_key,
                old.as_ref().and_then(|o| o.aes_key.as_ref()),
            ),
        ] {
            if let Some(new) = new {
                match differs(vault, purpose, stored, new) {
                    Some(true) => {
                        r.secrets_overwritten += 1;
                        changed = true;
                    }
                    Some(false) => {}
                    None => changed = true,
                }
            }
        }
        count(&mut r.components, old.is_some(), changed);
        if !dry_run && (old.is_none() || changed) {
            let mut row = p.row.clone();
            row.secret = seal(vault, components::SECRET, p.secret.as_ref())?;
            row.token = seal(vault, components::TOKEN, p.token.as_ref())?;
            row.aes_key = seal(vault, components::AES_KEY, p.aes_key.as_ref())?;
            components::upsert(tx, &row)?;
        }
        if let Some(t) = &p.ticket {
            // Never let an imported ticket replace one received at the same time or later.
            let newer: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM tickets WHERE component_appid = ?1 AND received_at >= ?2)",
                (&p.row.appid, t.received_at),
                |row| row.get(0),
            )?;
            if newer {
                r.tickets_kept_newer += 1;
            } else {
                r.tickets_added += 1;
                if !dry_run {
                    let sealed = vault.seal(tickets::TICKET, &t.ticket)?;
                    tickets::insert(tx, &p.row.appid, &sealed, &t.source, t.received_at)?;
                }
            }
        }
    }

    for p in &plan.authorizers {
        let old = authorizers::get(tx, &p.row.component_appid, &p.row.appid)?;
        let (changed, write_token) = authorizer_change(vault, old.as_ref(), p, &mut r);
        if let Some(o) = &old {
            if o.status != p.row.status {
                r.status_changes += 1;
            }
        }
        count(&mut r.authorizers, old.is_some(), changed);
        if !dry_run && (old.is_none() || changed) {
            let mut row = p.row.clone();
            if write_token {
                row.refresh_token =
                    seal(vault, authorizers::REFRESH_TOKEN, p.refresh_token.as_ref())?;
            }
            authorizers::upsert(tx, &row)?;
        }
    }

    apply_settings(tx, &plan.settings, dry_run, &mut r.settings)?;
    Ok(r)
}

/// Writes (or, in a dry run, only counts) settings into `conn`'s settings
/// table: the environment's own, or the home database's global ones.
pub(super) fn apply_settings(
    conn: &Connection,
    settings: &[(&'static str, Value)],
    dry_run: bool,
    counts: &mut RecordCounts,
) -> Result<()> {
    for (key, value) in settings {
        let old: Option<Value> = keys::get(conn, key)?;
        let changed = old.as_ref().is_some_and(|o| o != value);
        count(counts, old.is_some(), changed);
        if !dry_run && (old.is_none() || changed) {
            keys::set(conn, key, value)?;
        }
    }
    Ok(())
}

/// Whether an authorizer changes, and whether its refresh token is written.
fn authorizer_change(
    vault: &Vault,
    old: Option<&AuthorizerRow>,
    p: &PlannedAuthorizer,
    r: &mut ImportReport,
) -> (bool, bool) {
    let Some(o) = old else {
        return (false, true);
    };
    let n = &p.row;
    // Mirrors `authorizers::upsert`: empty name, unknown type and absent times keep the stored ones.
    let mut changed = o.func_info != n.func_info
        || (!n.nick_name.is_empty() && o.nick_name != n.nick_name)
        || (n.account_type != "unknown" && o.account_type != n.account_type)
        || o.status != n.status
        || (n.authorized_at.is_some() && o.authorized_at != n.authorized_at)
        || o.revoked_at != n.revoked_at;
    let mut write_token = false;
    if let Some(new) = &p.refresh_token {
        match differs(
            vault,
            authorizers::REFRESH_TOKEN,
            o.refresh_token.as_ref(),
            new,
        ) {
            None => {
                changed = true;
                write_token = true;
            }
            Some(false) => {}
            Some(true) => {
                let file_is_newer = p.refresh_token_at.is_some_and(|at| at > o.updated_at);
                if file_is_newer {
                    r.refresh_tokens_overwritten += 1;
                    changed = true;
                    write_token = true;
                } else {
                    r.refresh_tokens_kept_newer += 1;
                }
            }
        }
    }
    (changed, write_token)
}

/// Every authorizer's platform must be in the file or already on the desk.
fn check_references(tx: &Connection, plan: &Plan) -> Result<()> {
    let in_file: HashSet<&str> = plan
        .components
        .iter()
        .map(|c| c.row.appid.as_str())
        .collect();
    for a in &plan.authorizers {
        let comp = a.row.component_appid.as_str();
        if !in_file.contains(comp) && components::get(tx, comp)?.is_none() {
            return Err(Error::invalid(
                format!("authorizers[{}].component", a.index),
                format!(
                    "record {}: platform {comp} is neither in the file nor on this desk; export it together with its authorizers, or add it first",
                    a.row.appid
                ),
            ));
        }
    }
    Ok(())
}
