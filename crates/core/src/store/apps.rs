//! Queries of the `apps` table: mini programs the operator holds AppSecrets for.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::vault::Sealed;

/// Vault purpose of an app secret.
pub const SECRET: &str = "apps.secret";

/// One mini program as stored.
#[derive(Debug, Clone)]
pub struct AppRow {
    /// AppID.
    pub appid: String,
    /// Display name.
    pub name: String,
    /// Sealed AppSecret (absent after a secret-less import).
    pub secret: Option<Sealed>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<AppRow> {
    Ok(AppRow {
        appid: r.get(0)?,
        name: r.get(1)?,
        secret: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
    })
}

const COLS: &str = "appid, name, secret, created_at, updated_at";

/// One app by AppID.
pub fn get(conn: &Connection, appid: &str) -> Result<Option<AppRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM apps WHERE appid = ?1"),
            [appid],
            from_row,
        )
        .optional()?)
}

/// One app, or `NotFound`.
pub fn require(conn: &Connection, appid: &str) -> Result<AppRow> {
    get(conn, appid)?.ok_or_else(|| Error::not_found("app", appid))
}

/// Every app, by name then AppID.
pub fn list(conn: &Connection) -> Result<Vec<AppRow>> {
    let mut st = conn.prepare_cached(&format!("SELECT {COLS} FROM apps ORDER BY name, appid"))?;
    let rows = st
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts a new app; `AlreadyExists` when the AppID is taken.
pub fn insert(conn: &Connection, row: &AppRow) -> Result<()> {
    let n = conn.execute(
        &format!(
            "INSERT INTO apps ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(appid) DO NOTHING"
        ),
        (
            &row.appid,
            &row.name,
            &row.secret,
            row.created_at,
            row.updated_at,
        ),
    )?;
    if n == 0 {
        return Err(Error::AlreadyExists {
            what: "app",
            id: row.appid.clone(),
        });
    }
    Ok(())
}

/// Inserts or replaces an app (used by import).
pub fn upsert(conn: &Connection, row: &AppRow) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO apps ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(appid) DO UPDATE SET \
             name = excluded.name, secret = COALESCE(excluded.secret, apps.secret), updated_at = excluded.updated_at"
        ),
        (&row.appid, &row.name, &row.secret, row.created_at, row.updated_at),
    )?;
    Ok(())
}

/// Changes name and/or secret; `NotFound` when absent.
pub fn update(
    conn: &Connection,
    appid: &str,
    name: Option<&str>,
    secret: Option<&Sealed>,
    now: i64,
) -> Result<()> {
    let n = conn.execute(
        "UPDATE apps SET name = COALESCE(?2, name), secret = COALESCE(?3, secret), updated_at = ?4 WHERE appid = ?1",
        (appid, name, secret, now),
    )?;
    if n == 0 {
        return Err(Error::not_found("app", appid));
    }
    Ok(())
}

/// Deletes an app; `NotFound` when absent.
pub fn delete(conn: &Connection, appid: &str) -> Result<()> {
    if conn.execute("DELETE FROM apps WHERE appid = ?1", [appid])? == 0 {
        return Err(Error::not_found("app", appid));
    }
    Ok(())
}
