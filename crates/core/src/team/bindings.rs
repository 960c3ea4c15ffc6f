//! The `team_bindings` table: which platform or mini program reads its
//! tokens from which Redis, in which layout and mode.
//!
//! A Redis URL with a password is a secret: it is sealed in the vault under
//! [`URL`] and only `url_display` (`redis://host:port/db`) is kept in clear.
//! A URL without a password is stored as is.

use rusqlite::{Connection, OptionalExtension, Row};
use wxdesk_wechat::team_layout::{Codec, Layout};

use crate::error::{Error, Result};

/// Vault purpose of a sealed Redis URL.
pub const URL: &str = "team_bindings.url";

/// What kind of account a binding is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A third-party platform (its ticket, component token and authorizers).
    Component,
    /// A mini program with its own AppSecret.
    App,
}

impl Kind {
    /// `component` / `app`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Kind::Component => "component",
            Kind::App => "app",
        }
    }
}

/// One binding as stored. (`url` holds a password only inside its vault envelope.)
#[derive(Debug, Clone)]
pub struct BindingRow {
    /// Component or app.
    pub kind: Kind,
    /// The account's appid.
    pub appid: String,
    /// The URL, sealed when `url_sealed`.
    pub url: String,
    /// Whether `url` is a vault envelope.
    pub url_sealed: bool,
    /// `redis://host:port/db`.
    pub url_display: String,
    /// Layout.
    pub layout: Layout,
    /// Prefix (None: the layout's default).
    pub prefix: Option<String>,
    /// Value codec.
    pub codec: Codec,
    /// `read-only` / `read-write`.
    pub mode: super::Mode,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// The operator's own CA for `rediss://` (PEM; not a secret).
    pub ca_pem: Option<String>,
}

const COLS: &str =
    "kind, appid, url, url_sealed, url_display, layout, prefix, codec, mode, created_at, updated_at, ca_pem";

fn bad(col: usize, what: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        col,
        rusqlite::types::Type::Text,
        format!("unknown {what}").into(),
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<BindingRow> {
    let kind: String = r.get(0)?;
    let layout: String = r.get(5)?;
    let codec: String = r.get(7)?;
    let mode: String = r.get(8)?;
    Ok(BindingRow {
        kind: match kind.as_str() {
            "component" => Kind::Component,
            "app" => Kind::App,
            _ => return Err(bad(0, "kind")),
        },
        appid: r.get(1)?,
        url: r.get(2)?,
        url_sealed: r.get(3)?,
        url_display: r.get(4)?,
        layout: layout.parse().map_err(|_| bad(5, "layout"))?,
        prefix: r.get(6)?,
        codec: Codec::parse(&codec).ok_or_else(|| bad(7, "codec"))?,
        mode: super::Mode::parse(&mode).ok_or_else(|| bad(8, "mode"))?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
        ca_pem: r.get(11)?,
    })
}

/// The binding of one account.
pub fn get(conn: &Connection, kind: Kind, appid: &str) -> Result<Option<BindingRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM team_bindings WHERE kind = ?1 AND appid = ?2"),
            (kind.as_str(), appid),
            from_row,
        )
        .optional()?)
}

/// Every binding, components first.
pub fn list(conn: &Connection) -> Result<Vec<BindingRow>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLS} FROM team_bindings ORDER BY kind DESC, appid"
    ))?;
    let rows = st
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Inserts or replaces the binding of `row.kind`/`row.appid` (keeps `created_at`).
pub fn upsert(conn: &Connection, row: &BindingRow) -> Result<()> {
    conn.execute(
        &format!(
            "INSERT INTO team_bindings ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(kind, appid) DO UPDATE SET url = excluded.url, url_sealed = excluded.url_sealed,
               url_display = excluded.url_display, layout = excluded.layout, prefix = excluded.prefix,
               codec = excluded.codec, mode = excluded.mode, updated_at = excluded.updated_at,
               ca_pem = excluded.ca_pem"
        ),
        rusqlite::params![
            row.kind.as_str(),
            row.appid,
            row.url,
            row.url_sealed,
            row.url_display,
            row.layout.as_str(),
            row.prefix,
            row.codec.as_str(),
            row.mode.as_str(),
            row.created_at,
            row.updated_at,
            row.ca_pem,
        ],
    )?;
    Ok(())
}

/// Removes a binding; `NotFound` when there is none.
pub fn delete(conn: &Connection, kind: Kind, appid: &str) -> Result<()> {
    let n = conn.execute(
        "DELETE FROM team_bindings WHERE kind = ?1 AND appid = ?2",
        (kind.as_str(), appid),
    )?;
    if n == 0 {
        return Err(Error::not_found("team binding", appid));
    }
    Ok(())
}
