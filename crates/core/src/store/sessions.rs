//! Queries of the `sessions` table: mini-program login sessions the desk obtained.
//!
//! A `wx.login` code is exchanged once; what comes back (openid, unionid and
//! the session_key) is what an operator later needs to check a session or
//! decrypt open data for that user. One row per (appid, openid): a new login
//! of the same user replaces the row, because WeChat keeps only one valid
//! session_key per user and the newest one is the only one worth keeping.
//! The session_key is stored sealed.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::vault::Sealed;

/// Vault purpose of a session key.
pub const SESSION_KEY: &str = "sessions.session_key";

/// One login session as stored.
#[derive(Debug, Clone)]
pub struct SessionRow {
    /// The mini program.
    pub appid: String,
    /// The user within it.
    pub openid: String,
    /// The user's UnionID, when WeChat sent one.
    pub unionid: Option<String>,
    /// Sealed session_key.
    pub session_key: Sealed,
    /// The platform whose token signed the login (component route), if any.
    pub via_component: Option<String>,
    /// When the login happened (Unix seconds).
    pub created_at: i64,
}

const COLS: &str = "appid, openid, unionid, session_key, via_component, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SessionRow> {
    Ok(SessionRow {
        appid: r.get(0)?,
        openid: r.get(1)?,
        unionid: r.get(2)?,
        session_key: r.get(3)?,
        via_component: r.get(4)?,
        created_at: r.get(5)?,
    })
}

/// Inserts a session or replaces the one of the same (appid, openid).
pub fn upsert(conn: &Connection, row: &SessionRow) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO sessions ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(appid, openid) DO UPDATE SET \
         unionid = COALESCE(excluded.unionid, sessions.unionid), session_key = excluded.session_key, \
         via_component = excluded.via_component, created_at = excluded.created_at"
    ))?
    .execute((&row.appid, &row.openid, &row.unionid, &row.session_key, &row.via_component, row.created_at))?;
    Ok(())
}

/// The session of one user.
pub fn get(conn: &Connection, appid: &str, openid: &str) -> Result<Option<SessionRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM sessions WHERE appid = ?1 AND openid = ?2"),
            (appid, openid),
            from_row,
        )
        .optional()?)
}

/// The session of one user, or `NotFound`.
pub fn require(conn: &Connection, appid: &str, openid: &str) -> Result<SessionRow> {
    get(conn, appid, openid)?
        .ok_or_else(|| Error::not_found("session", format!("{openid} of {appid}")))
}

/// Sessions of one app (or all), newest first.
pub fn list(conn: &Connection, appid: Option<&str>) -> Result<Vec<SessionRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM sessions WHERE (?1 IS NULL OR appid = ?1) ORDER BY created_at DESC, appid, openid"
    ))?;
    let rows = st
        .query_map([appid], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Deletes one session. Returns whether a row was removed.
pub fn delete(conn: &Connection, appid: &str, openid: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE appid = ?1 AND openid = ?2",
        (appid, openid),
    )? > 0)
}
