//! Queries of the token tables: `tokens` (the cache), `token_leases` (who is
//! refreshing a token right now, across processes) and `force_refreshes`
//! (the local count of WeChat's 20-a-day `stable_token` force budget).
//!
//! Every row is keyed by the token scope (the environment's API base, column
//! `env`), so a sandbox token is never offered to production. Token values are
//! sealed envelopes; this module never sees plaintext.
//!
//! Every write of a cached token gives it a new `generation`, greater than
//! any generation in the table, so a writer that read generation `g` before
//! a slow network call can write back only if the row is still at `g`
//! ([`put_if_generation`]): a refresh whose lease expired mid-call never
//! overwrites a token written after it started.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::token_types::TokenKind;
use crate::vault::Sealed;

/// One cached token.
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// What kind.
    pub kind: TokenKind,
    /// Whose (appid, or `component/authorizer`).
    pub owner: String,
    /// Sealed value (purpose `tokens.value`).
    pub value: Sealed,
    /// Unix seconds when WeChat stops accepting it.
    pub expires_at: i64,
    /// The endpoint that issued it.
    pub source: String,
    /// Unix seconds when it was fetched.
    pub fetched_at: i64,
    /// Write counter (compare-and-set); ignored by [`put`], which assigns a new one.
    pub generation: i64,
}

const COLS: &str = "kind, owner, value, expires_at, source, fetched_at, generation";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TokenRow> {
    let kind: String = r.get(0)?;
    let kind = TokenKind::parse(&kind).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown token kind {kind:?}").into(),
        )
    })?;
    Ok(TokenRow {
        kind,
        owner: r.get(1)?,
        value: r.get(2)?,
        expires_at: r.get(3)?,
        source: r.get(4)?,
        fetched_at: r.get(5)?,
        generation: r.get(6)?,
    })
}

/// The cached token of (scope, kind, owner).
pub fn get(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
) -> Result<Option<TokenRow>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLS} FROM tokens WHERE env = ?1 AND kind = ?2 AND owner = ?3"
        ))?
        .query_row((scope, kind.as_str(), owner), from_row)
        .optional()?)
}

/// Stores (replacing) a cached token with a new generation from the
/// database-wide counter (so a deleted and re-created row can never come
/// back at a generation someone observed before).
pub fn put(conn: &Connection, scope: &str, row: &TokenRow) -> Result<()> {
    let generation: i64 = conn
        .prepare_cached("UPDATE token_generation SET n = n + 1 WHERE id = 1 RETURNING n")?
        .query_row([], |r| r.get(0))?;
    conn.prepare_cached(
        "INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at, generation) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
         ON CONFLICT(env, kind, owner) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at, \
         source = excluded.source, fetched_at = excluded.fetched_at, generation = excluded.generation",
    )?
    .execute((
        scope,
        row.kind.as_str(),
        &row.owner,
        &row.value,
        row.expires_at,
        &row.source,
        row.fetched_at,
        generation,
    ))?;
    Ok(())
}

/// The generation of the cached token of (scope, kind, owner); `None` when there is none.
pub fn generation(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT generation FROM tokens WHERE env = ?1 AND kind = ?2 AND owner = ?3",
        )?
        .query_row((scope, kind.as_str(), owner), |r| r.get(0))
        .optional()?)
}

/// Compare-and-set: stores `row` (as [`put`]) only if the cached token is
/// still at generation `expected` (`None`: still absent). Run it inside a
/// write transaction. Returns whether it was written; `false` means someone
/// wrote (or deleted) the token since `expected` was read.
pub fn put_if_generation(
    conn: &Connection,
    scope: &str,
    row: &TokenRow,
    expected: Option<i64>,
) -> Result<bool> {
    if generation(conn, scope, row.kind, &row.owner)? != expected {
        return Ok(false);
    }
    put(conn, scope, row)?;
    Ok(true)
}

/// Deletes the cached token only if its stored envelope is still `value`
/// (compare-and-delete). Returns whether a row was deleted.
pub fn delete_if_value(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
    value: &Sealed,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM tokens WHERE env = ?1 AND kind = ?2 AND owner = ?3 AND value = ?4",
        )?
        .execute((scope, kind.as_str(), owner, value))?
        > 0)
}

/// Deletes a cached token unconditionally. Returns whether a row was deleted.
pub fn delete(conn: &Connection, scope: &str, kind: TokenKind, owner: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("DELETE FROM tokens WHERE env = ?1 AND kind = ?2 AND owner = ?3")?
        .execute((scope, kind.as_str(), owner))?
        > 0)
}

/// Every cached token of a scope, by kind then owner.
pub fn list(conn: &Connection, scope: &str) -> Result<Vec<TokenRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM tokens WHERE env = ?1 ORDER BY kind, owner"
    ))?;
    let rows = st
        .query_map([scope], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A refresh lease as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// Who holds it (a random id per attempt).
    pub holder: String,
    /// Unix seconds after which others may take over.
    pub expires_at: i64,
}

/// The lease of (scope, kind, owner), if any row exists (possibly expired).
pub fn lease(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
) -> Result<Option<Lease>> {
    Ok(conn
        .prepare_cached("SELECT holder, expires_at FROM token_leases WHERE env = ?1 AND kind = ?2 AND owner = ?3")?
        .query_row((scope, kind.as_str(), owner), |r| {
            Ok(Lease {
                holder: r.get(0)?,
                expires_at: r.get(1)?,
            })
        })
        .optional()?)
}

/// Takes the lease for `holder` when it is free, expired or already held by
/// `holder` (or unconditionally with `take_over`). Run it inside a write
/// transaction. Returns `None` when taken, or the live lease of someone else.
#[allow(clippy::too_many_arguments)]
pub fn try_lease(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
    holder: &str,
    now: i64,
    expires_at: i64,
    take_over: bool,
) -> Result<Option<Lease>> {
    if !take_over {
        if let Some(l) = lease(conn, scope, kind, owner)? {
            if l.holder != holder && l.expires_at > now {
                return Ok(Some(l));
            }
        }
    }
    conn.prepare_cached(
        "INSERT INTO token_leases (env, kind, owner, holder, expires_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(env, kind, owner) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at",
    )?
    .execute((scope, kind.as_str(), owner, holder, expires_at))?;
    Ok(None)
}

/// Releases the lease if `holder` still holds it. Returns whether it did.
pub fn release_lease(
    conn: &Connection,
    scope: &str,
    kind: TokenKind,
    owner: &str,
    holder: &str,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM token_leases WHERE env = ?1 AND kind = ?2 AND owner = ?3 AND holder = ?4",
        )?
        .execute((scope, kind.as_str(), owner, holder))?
        > 0)
}

/// Force refreshes of `appid` at or after `since` (Unix seconds), and the newest one.
pub fn forces_since(
    conn: &Connection,
    scope: &str,
    appid: &str,
    since: i64,
) -> Result<(i64, Option<i64>)> {
    let count: i64 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM force_refreshes WHERE env = ?1 AND appid = ?2 AND at >= ?3",
        )?
        .query_row((scope, appid, since), |r| r.get(0))?;
    let last: Option<i64> = conn
        .prepare_cached("SELECT MAX(at) FROM force_refreshes WHERE env = ?1 AND appid = ?2")?
        .query_row((scope, appid), |r| r.get(0))?;
    Ok((count, last))
}

/// Records one force refresh of `appid` at `at`, dropping records older than two days.
pub fn record_force(conn: &Connection, scope: &str, appid: &str, at: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO force_refreshes (env, appid, at) VALUES (?1, ?2, ?3)")?
        .execute((scope, appid, at))?;
    conn.prepare_cached("DELETE FROM force_refreshes WHERE env = ?1 AND appid = ?2 AND at < ?3")?
        .execute((scope, appid, at.saturating_sub(2 * 86_400)))?;
    Ok(())
}
