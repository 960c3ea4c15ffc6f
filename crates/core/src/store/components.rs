//! Queries of the `components` table: third-party platform accounts.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::{Error, Result};
use crate::vault::Sealed;

/// Vault purpose of a component AppSecret.
pub const SECRET: &str = "components.secret";
/// Vault purpose of the message token.
pub const TOKEN: &str = "components.token";
/// Vault purpose of the EncodingAESKey.
pub const AES_KEY: &str = "components.aes_key";

/// One third-party platform as stored.
#[derive(Debug, Clone)]
pub struct ComponentRow {
    /// Component AppID.
    pub appid: String,
    /// Display name.
    pub name: String,
    /// Sealed AppSecret.
    pub secret: Option<Sealed>,
    /// Sealed message token.
    pub token: Option<Sealed>,
    /// Sealed EncodingAESKey.
    pub aes_key: Option<Sealed>,
    /// Default redirect URI for authorization links.
    pub redirect_uri: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

const COLS: &str = "appid, name, secret, token, aes_key, redirect_uri, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ComponentRow> {
    Ok(ComponentRow {
        appid: r.get(0)?,
        name: r.get(1)?,
        secret: r.get(2)?,
        token: r.get(3)?,
        aes_key: r.get(4)?,
        redirect_uri: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

/// One component by AppID.
pub fn get(conn: &Connection, appid: &str) -> Result<Option<ComponentRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM components WHERE appid = ?1"),
            [appid],
            from_row,
        )
        .optional()?)
}

/// One component, or `NotFound`.
pub fn require(conn: &Connection, appid: &str) -> Result<ComponentRow> {
    get(conn, appid)?.ok_or_else(|| Error::not_found("component", appid))
}

/// Every component.
pub fn list(conn: &Connection) -> Result<Vec<ComponentRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM components ORDER BY name, appid"
    ))?;
    let rows = st
        .query_map([], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Inserts a new component; `AlreadyExists` when taken.
pub fn insert(conn: &Connection, row: &ComponentRow) -> Result<()> {
    let n = conn.execute(
        &format!("INSERT INTO components ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(appid) DO NOTHING"),
        (&row.appid, &row.name, &row.secret, &row.token, &row.aes_key, &row.redirect_uri, row.created_at, row.updated_at),
    )?;
    if n == 0 {
        return Err(Error::AlreadyExists {
            what: "component",
            id: row.appid.clone(),
        });
    }
    Ok(())
}

/// Inserts or replaces (import); absent secrets keep the stored ones.
pub fn upsert(conn: &Connection, row: &ComponentRow) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO components ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(appid) DO UPDATE SET \
             name = excluded.name, secret = COALESCE(excluded.secret, components.secret), \
             token = COALESCE(excluded.token, components.token), aes_key = COALESCE(excluded.aes_key, components.aes_key), \
             redirect_uri = COALESCE(excluded.redirect_uri, components.redirect_uri), updated_at = excluded.updated_at"
        ),
        (&row.appid, &row.name, &row.secret, &row.token, &row.aes_key, &row.redirect_uri, row.created_at, row.updated_at),
    )?;
    Ok(())
}

/// What `update` may change; `None` keeps the stored value.
#[derive(Debug, Default)]
pub struct ComponentChanges<'a> {
    /// New name.
    pub name: Option<&'a str>,
    /// New sealed secret.
    pub secret: Option<&'a Sealed>,
    /// New sealed message token.
    pub token: Option<&'a Sealed>,
    /// New sealed EncodingAESKey.
    pub aes_key: Option<&'a Sealed>,
    /// New redirect URI.
    pub redirect_uri: Option<&'a str>,
}

/// Applies changes; `NotFound` when absent.
pub fn update(conn: &Connection, appid: &str, c: &ComponentChanges<'_>, now: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE components SET name = COALESCE(?2, name), secret = COALESCE(?3, secret), token = COALESCE(?4, token), \
         aes_key = COALESCE(?5, aes_key), redirect_uri = COALESCE(?6, redirect_uri), updated_at = ?7 WHERE appid = ?1",
        (appid, c.name, c.secret, c.token, c.aes_key, c.redirect_uri, now),
    )?;
    if n == 0 {
        return Err(Error::not_found("component", appid));
    }
    Ok(())
}

/// The `receive` base URL of a component (`None`: not set, or no such component).
pub fn receive_url(conn: &Connection, appid: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT receive_url FROM components WHERE appid = ?1",
            [appid],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

/// Sets (or with `None` clears) the `receive` base URL; `NotFound` when absent.
pub fn set_receive_url(conn: &Connection, appid: &str, url: Option<&str>, now: i64) -> Result<()> {
    let n = conn.execute(
        "UPDATE components SET receive_url = ?2, updated_at = ?3 WHERE appid = ?1",
        (appid, url, now),
    )?;
    if n == 0 {
        return Err(Error::not_found("component", appid));
    }
    Ok(())
}

/// Deletes a component and (by cascade) its tickets, authorizers and tasks.
pub fn delete(conn: &Connection, appid: &str) -> Result<()> {
    if conn.execute("DELETE FROM components WHERE appid = ?1", [appid])? == 0 {
        return Err(Error::not_found("component", appid));
    }
    Ok(())
}
