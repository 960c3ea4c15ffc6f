//! Queries of the `settings` table: small JSON values by key.

use rusqlite::{Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};

/// Setting key of the active environment.
pub const ENVIRONMENT: &str = "environment";
/// Setting key of the call-log retention in days.
pub const LOG_RETENTION_DAYS: &str = "log_retention_days";
/// Setting key of the UI language (`zh-CN` or `en`).
pub const LANGUAGE: &str = "language";
/// Setting key of the UI theme (`light`, `dark` or `system`).
pub const THEME: &str = "theme";
/// Setting key (home database) recording that this home's vault key was
/// made, so a lost key is reported instead of silently replaced.
pub const VAULT_KEY_MADE: &str = "vault_key_made";

/// Reads a setting, `None` when unset.
pub fn get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    raw.map(|s| {
        serde_json::from_str(&s)
            .map_err(|e| Error::invalid(key, format!("stored setting is unreadable: {e}")))
    })
    .transpose()
}

/// Writes a setting.
pub fn set<T: Serialize>(conn: &Connection, key: &str, value: &T) -> Result<()> {
    let s = serde_json::to_string(value).map_err(|e| Error::invalid(key, e.to_string()))?;
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, s),
    )?;
    Ok(())
}
