//! Queries of the `authorizers` table: merchant accounts that authorized a platform.
//!
//! An authorizer is keyed by (component, appid): the same merchant may
//! authorize several platforms. Revoked authorizers are kept and marked, never
//! deleted, so history and support questions can still be answered.
//!
//! Every write of a refresh token bumps the row's `generation`. A token
//! refresh reads the generation with the refresh token it sends and writes a
//! rotated one back only if the row is still at that generation
//! ([`set_refresh_token_if_generation`]); otherwise the rotated token is kept
//! as the row's *spare* ([`set_spare_refresh_token`]) rather than dropped,
//! and a refresh whose stored token WeChat rejects tries the spare.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::vault::Sealed;

/// Vault purpose of a refresh token.
pub const REFRESH_TOKEN: &str = "authorizers.refresh_token";

/// Active or revoked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizerStatus {
    /// Authorized.
    Active,
    /// The merchant cancelled the authorization (or it vanished from the list).
    Revoked,
}

impl AuthorizerStatus {
    /// Column text.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizerStatus::Active => "active",
            AuthorizerStatus::Revoked => "revoked",
        }
    }

    fn parse(s: &str) -> AuthorizerStatus {
        if s == "revoked" {
            AuthorizerStatus::Revoked
        } else {
            AuthorizerStatus::Active
        }
    }
}

/// One authorizer as stored.
#[derive(Debug, Clone)]
pub struct AuthorizerRow {
    /// The platform it authorized.
    pub component_appid: String,
    /// The merchant account.
    pub appid: String,
    /// Sealed authorizer_refresh_token.
    pub refresh_token: Option<Sealed>,
    /// Granted permission-set ids (JSON array text).
    pub func_info: Vec<i64>,
    /// Latest `api_get_authorizer_info` answer.
    pub info: Option<serde_json::Value>,
    /// Display name from the info.
    pub nick_name: String,
    /// `mini_program`, `official_account` or `unknown`.
    pub account_type: String,
    /// Active or revoked.
    pub status: AuthorizerStatus,
    /// When it authorized (Unix seconds).
    pub authorized_at: Option<i64>,
    /// When it was marked revoked.
    pub revoked_at: Option<i64>,
    /// Last change.
    pub updated_at: i64,
}

const COLS: &str =
    "component_appid, appid, refresh_token, func_info, info, nick_name, account_type, status, authorized_at, revoked_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuthorizerRow> {
    let func: String = r.get(3)?;
    let info: Option<String> = r.get(4)?;
    let status: String = r.get(7)?;
    Ok(AuthorizerRow {
        component_appid: r.get(0)?,
        appid: r.get(1)?,
        refresh_token: r.get(2)?,
        func_info: serde_json::from_str(&func).unwrap_or_default(),
        info: info.and_then(|s| serde_json::from_str(&s).ok()),
        nick_name: r.get(5)?,
        account_type: r.get(6)?,
        status: AuthorizerStatus::parse(&status),
        authorized_at: r.get(8)?,
        revoked_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// One authorizer of a component.
pub fn get(conn: &Connection, component_appid: &str, appid: &str) -> Result<Option<AuthorizerRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM authorizers WHERE component_appid = ?1 AND appid = ?2"),
            (component_appid, appid),
            from_row,
        )
        .optional()?)
}

/// One authorizer, or `NotFound`.
pub fn require(conn: &Connection, component_appid: &str, appid: &str) -> Result<AuthorizerRow> {
    get(conn, component_appid, appid)?.ok_or_else(|| {
        Error::not_found(
            "authorizer",
            format!("{appid} (component {component_appid})"),
        )
    })
}

/// Every row for an appid across components (an appid may authorize several platforms).
pub fn find_by_appid(conn: &Connection, appid: &str) -> Result<Vec<AuthorizerRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM authorizers WHERE appid = ?1 ORDER BY updated_at DESC"
    ))?;
    let rows = st
        .query_map([appid], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Filters for [`list`].
#[derive(Debug, Default, Clone)]
pub struct AuthorizerFilter<'a> {
    /// Only this component.
    pub component_appid: Option<&'a str>,
    /// Only this status.
    pub status: Option<AuthorizerStatus>,
    /// Only this account type.
    pub account_type: Option<&'a str>,
    /// Substring of appid, nick_name, or the merchant's notes or tags.
    pub search: Option<&'a str>,
}

/// The WHERE clause of [`list`], [`page`] and [`count`]: ?1 component, ?2
/// status, ?3 account type, ?4 the search as a LIKE pattern, ?5 a tag
/// (case-insensitive for ASCII, as SQLite's `lower`).
const FILTER: &str = "(?1 IS NULL OR component_appid = ?1) AND (?2 IS NULL OR status = ?2) \
     AND (?3 IS NULL OR account_type = ?3) AND (?4 IS NULL OR appid LIKE ?4 ESCAPE '\\' OR nick_name LIKE ?4 ESCAPE '\\' \
     OR EXISTS (SELECT 1 FROM merchant_notes n WHERE n.component_appid = authorizers.component_appid \
     AND n.appid = authorizers.appid AND (n.notes LIKE ?4 ESCAPE '\\' OR n.tags LIKE ?4 ESCAPE '\\'))) \
     AND (?5 IS NULL OR EXISTS (SELECT 1 FROM merchant_notes n, \
     json_each(CASE WHEN json_valid(n.tags) THEN n.tags ELSE '[]' END) t \
     WHERE n.component_appid = authorizers.component_appid AND n.appid = authorizers.appid \
     AND lower(t.value) = lower(?5)))";

/// The search as a LIKE pattern (`\`, `%` and `_` taken literally).
fn like(search: Option<&str>) -> Option<String> {
    search.map(|s| {
        let s = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{s}%")
    })
}

/// Authorizers matching the filter, newest authorization first.
pub fn list(conn: &Connection, f: &AuthorizerFilter<'_>) -> Result<Vec<AuthorizerRow>> {
    page(conn, f, None, None, 0)
}

/// One page of the authorizers matching the filter and (when given) carrying
/// `tag`, newest authorization first: at most `limit` rows (all without one)
/// after skipping `offset`. Filtering and paging happen in SQL, so a page of a
/// 10,000-merchant platform reads only its rows.
pub fn page(
    conn: &Connection,
    f: &AuthorizerFilter<'_>,
    tag: Option<&str>,
    limit: Option<u32>,
    offset: u32,
) -> Result<Vec<AuthorizerRow>> {
    let mut st = conn.prepare_cached(&page_sql())?;
    let rows = st
        .query_map(
            (
                f.component_appid,
                f.status.map(|s| s.as_str()),
                f.account_type,
                like(f.search),
                tag,
                limit.map_or(-1, i64::from),
                i64::from(offset),
            ),
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The statement of [`page`]: ?1–?5 as [`FILTER`], ?6 the limit (-1: all),
/// ?7 the offset. Its order is the `authorizers_newest` index's, so a page
/// reads rows in order and stops, with no sort.
pub fn page_sql() -> String {
    format!(
        "SELECT {COLS} FROM authorizers WHERE {FILTER} ORDER BY authorized_at DESC, appid, component_appid LIMIT ?6 OFFSET ?7"
    )
}

/// How many authorizers match the filter and `tag`, and how many of those
/// are active without a profile (a sync stores only the token).
pub fn count(conn: &Connection, f: &AuthorizerFilter<'_>, tag: Option<&str>) -> Result<(u64, u64)> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT COUNT(*), COALESCE(SUM(status = 'active' AND nick_name = ''), 0) FROM authorizers WHERE {FILTER}"
    ))?;
    let (total, missing): (i64, i64) = st.query_row(
        (
            f.component_appid,
            f.status.map(|s| s.as_str()),
            f.account_type,
            like(f.search),
            tag,
        ),
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((total.max(0) as u64, missing.max(0) as u64))
}

/// Inserts or replaces an authorizer as a whole (authorize, import). A
/// re-authorization reactivates a revoked row.
pub fn upsert(conn: &Connection, row: &AuthorizerRow) -> Result<()> {
    let func = serde_json::to_string(&row.func_info).unwrap_or_else(|_| "[]".into());
    let info = row.info.as_ref().map(|v| v.to_string());
    conn.execute(
        &format!(
            "INSERT INTO authorizers ({COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) \
             ON CONFLICT(component_appid, appid) DO UPDATE SET refresh_token = COALESCE(excluded.refresh_token, authorizers.refresh_token), \
             func_info = excluded.func_info, info = COALESCE(excluded.info, authorizers.info), \
             nick_name = CASE WHEN excluded.nick_name = '' THEN authorizers.nick_name ELSE excluded.nick_name END, \
             account_type = CASE WHEN excluded.account_type = 'unknown' THEN authorizers.account_type ELSE excluded.account_type END, \
             status = excluded.status, authorized_at = COALESCE(excluded.authorized_at, authorizers.authorized_at), \
             revoked_at = excluded.revoked_at, updated_at = excluded.updated_at, generation = authorizers.generation + 1"
        ),
        (
            &row.component_appid,
            &row.appid,
            &row.refresh_token,
            func,
            info,
            &row.nick_name,
            &row.account_type,
            row.status.as_str(),
            row.authorized_at,
            row.revoked_at,
            row.updated_at,
        ),
    )?;
    Ok(())
}

/// Saves a (possibly rotated) refresh token. Uses a cached statement, so
/// bulk updates prepare it once.
pub fn set_refresh_token(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    token: &Sealed,
    now: i64,
) -> Result<()> {
    let n = conn
        .prepare_cached(
            "UPDATE authorizers SET refresh_token = ?3, updated_at = ?4, generation = generation + 1 \
             WHERE component_appid = ?1 AND appid = ?2",
        )?
        .execute((component_appid, appid, token, now))?;
    if n == 0 {
        return Err(Error::not_found("authorizer", appid));
    }
    Ok(())
}

/// Marks an authorizer revoked (kept, not deleted). Returns whether a row
/// changed. Uses a cached statement, so bulk updates prepare it once.
pub fn mark_revoked(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    now: i64,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE authorizers SET status = 'revoked', revoked_at = ?3, updated_at = ?3 \
             WHERE component_appid = ?1 AND appid = ?2 AND status != 'revoked'",
        )?
        .execute((component_appid, appid, now))?
        > 0)
}

/// Stores the latest info snapshot and what it tells (name, type, grants);
/// a `None` snapshot keeps the stored one. `NotFound` when the row is gone.
#[allow(clippy::too_many_arguments)]
pub fn set_info(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    info: Option<&serde_json::Value>,
    nick_name: &str,
    account_type: &str,
    func_info: &[i64],
    now: i64,
) -> Result<()> {
    let func = serde_json::to_string(func_info).unwrap_or_else(|_| "[]".into());
    let n = conn.execute(
        "UPDATE authorizers SET info = COALESCE(?3, info), nick_name = ?4, account_type = ?5, func_info = ?6, updated_at = ?7 \
         WHERE component_appid = ?1 AND appid = ?2",
        (
            component_appid,
            appid,
            info.map(|v| v.to_string()),
            nick_name,
            account_type,
            func,
            now,
        ),
    )?;
    if n == 0 {
        return Err(Error::not_found(
            "authorizer",
            format!("{appid} (component {component_appid})"),
        ));
    }
    Ok(())
}

/// Counts by status for one component (or all): (active, revoked).
pub fn counts(conn: &Connection, component_appid: Option<&str>) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT COALESCE(SUM(status = 'active'), 0), COALESCE(SUM(status = 'revoked'), 0) FROM authorizers \
         WHERE (?1 IS NULL OR component_appid = ?1)",
        [component_appid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// What reconciling against WeChat's list needs of one stored authorizer.
#[derive(Debug, Clone)]
pub struct SyncState {
    /// The merchant account.
    pub appid: String,
    /// Sealed refresh token, if any.
    pub refresh_token: Option<Sealed>,
    /// Active or revoked.
    pub status: AuthorizerStatus,
}

/// The appid, refresh token and status of every authorizer of a component
/// (one query, for reconciling thousands of rows at once).
pub fn sync_states(conn: &Connection, component_appid: &str) -> Result<Vec<SyncState>> {
    let mut st = conn.prepare_cached(
        "SELECT appid, refresh_token, status FROM authorizers WHERE component_appid = ?1",
    )?;
    let rows = st
        .query_map([component_appid], |r| {
            let status: String = r.get(2)?;
            Ok(SyncState {
                appid: r.get(0)?,
                refresh_token: r.get(1)?,
                status: AuthorizerStatus::parse(&status),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Adds an authorizer found in WeChat's list (active, no profile yet), or
/// reactivates a revoked one with its new refresh token. Uses a cached
/// statement so a sync of thousands of rows prepares it once.
pub fn activate_listed(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    refresh_token: &Sealed,
    auth_time: Option<i64>,
    now: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO authorizers (component_appid, appid, refresh_token, status, authorized_at, revoked_at, updated_at) \
         VALUES (?1, ?2, ?3, 'active', ?4, NULL, ?5) ON CONFLICT(component_appid, appid) DO UPDATE SET \
         refresh_token = excluded.refresh_token, status = 'active', generation = authorizers.generation + 1, \
         authorized_at = COALESCE(excluded.authorized_at, authorizers.authorized_at), revoked_at = NULL, \
         updated_at = excluded.updated_at",
    )?
    .execute((component_appid, appid, refresh_token, auth_time, now))?;
    Ok(())
}

/// What a token refresh needs of an authorizer's refresh token: the current
/// one, its generation and the spare (see the module doc).
#[derive(Debug, Clone)]
pub struct RefreshState {
    /// Sealed current refresh token.
    pub refresh_token: Option<Sealed>,
    /// Write counter of the refresh token.
    pub generation: i64,
    /// Sealed rotated refresh token a late refresh could not make current.
    pub spare: Option<Sealed>,
}

/// The refresh state of one authorizer, or `NotFound`.
pub fn refresh_state(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
) -> Result<RefreshState> {
    conn.query_row(
        "SELECT refresh_token, generation, spare_refresh_token FROM authorizers WHERE component_appid = ?1 AND appid = ?2",
        (component_appid, appid),
        |r| {
            Ok(RefreshState {
                refresh_token: r.get(0)?,
                generation: r.get(1)?,
                spare: r.get(2)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("authorizer", format!("{appid} (component {component_appid})")))
}

/// Compare-and-set of a rotated refresh token: written (with a new
/// generation) only if the row is still at generation `expected`. Returns
/// whether it was written.
pub fn set_refresh_token_if_generation(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    token: &Sealed,
    expected: i64,
    now: i64,
) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE authorizers SET refresh_token = ?3, updated_at = ?4, generation = generation + 1, \
         spare_refresh_token = NULL, spare_at = NULL \
         WHERE component_appid = ?1 AND appid = ?2 AND generation = ?5",
        (component_appid, appid, token, now, expected),
    )? > 0)
}

/// Keeps a refresh token WeChat returned that could not become current (a
/// newer one was written meanwhile), so it is never lost.
pub fn set_spare_refresh_token(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    token: &Sealed,
    now: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE authorizers SET spare_refresh_token = ?3, spare_at = ?4 WHERE component_appid = ?1 AND appid = ?2",
        (component_appid, appid, token, now),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn the_search_is_taken_literally() {
        assert_eq!(like(Some(r"a\b%c_d")).as_deref(), Some(r"%a\\b\%c\_d%"));
        assert_eq!(like(None), None);
    }
}
