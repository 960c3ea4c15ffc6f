//! Queries of the `call_log` table: every HTTP attempt made to WeChat.
//!
//! The log answers "what did we send, what came back, and why did it fail",
//! so it grows without bound on a busy desk: a million rows is normal. Every
//! query here therefore walks an index — `(account, at_ms)`, `(endpoint,
//! at_ms)`, `(at_ms)`, or one of the partial indexes of failed calls
//! `(at_ms)`, `(account, at_ms)`, `(endpoint, at_ms) WHERE error_kind IS NOT
//! NULL` — newest first, with keyset paging (`before_id`) instead of OFFSET, and
//! pruning deletes in bounded batches. Rows hold what the protocol client
//! reported, which it has already redacted.
//!
//! The account and endpoint filters match substrings (see [`query`]): the
//! needle is first resolved against the distinct values of the column (a
//! skip-scan of its index, one seek per value), and the page is then read
//! through the same named indexes as an exact filter.

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Largest page [`query`] returns.
pub const MAX_PAGE: u32 = 1000;
/// Page size when the query does not say.
pub const DEFAULT_PAGE: u32 = 100;

/// A row to insert (and, with its id, a stored row: [`CallLogRow`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCallLog {
    /// When the attempt started (Unix ms).
    pub at_ms: i64,
    /// Endpoint path, e.g. `cgi-bin/stable_token`.
    pub endpoint: String,
    /// `GET` or `POST`.
    pub method: String,
    /// The appid the call acted for.
    pub account: Option<String>,
    /// 1 for the first attempt.
    pub attempt: i64,
    /// Wall time of the attempt.
    pub duration_ms: i64,
    /// HTTP status, when a response arrived.
    pub http_status: Option<i64>,
    /// WeChat errcode (0 for success).
    pub errcode: Option<i64>,
    /// WeChat errmsg without the rid.
    pub errmsg: Option<String>,
    /// Error kind when the attempt failed.
    pub error_kind: Option<String>,
    /// Redacted request as JSON text.
    pub request: String,
    /// Redacted response text.
    pub response: Option<String>,
}

/// One stored row: the row as inserted, with its id. It reads as the
/// inserted row (`row.endpoint`) through `Deref`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallLogRow {
    /// Row id (grows with insertion).
    pub id: i64,
    /// What was inserted.
    #[serde(flatten)]
    pub call: NewCallLog,
}

impl std::ops::Deref for CallLogRow {
    type Target = NewCallLog;

    fn deref(&self) -> &NewCallLog {
        &self.call
    }
}

/// Filters and paging of [`query`]. Results are newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct CallLogQuery {
    /// Only calls acting for an appid containing this (case-insensitive).
    pub account: Option<String>,
    /// Only endpoints containing this (case-insensitive; a leading `/` is ignored).
    pub endpoint: Option<String>,
    /// Only failed attempts (transport failures and non-zero errcodes other
    /// than waiting states, which are stored without an error kind).
    pub errors_only: bool,
    /// At or after this time (Unix ms).
    pub since_ms: Option<i64>,
    /// At or before this time (Unix ms).
    pub until_ms: Option<i64>,
    /// Page size (default 100, at most 1000).
    pub limit: Option<u32>,
    /// Keyset paging: only rows older than the row with this id (pass the last id of the previous page).
    pub before_id: Option<i64>,
}

const COLS: &str =
    "id, at_ms, endpoint, method, account, attempt, duration_ms, http_status, errcode, errmsg, error_kind, request, response";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CallLogRow> {
    Ok(CallLogRow {
        id: r.get(0)?,
        call: NewCallLog {
            at_ms: r.get(1)?,
            endpoint: r.get(2)?,
            method: r.get(3)?,
            account: r.get(4)?,
            attempt: r.get(5)?,
            duration_ms: r.get(6)?,
            http_status: r.get(7)?,
            errcode: r.get(8)?,
            errmsg: r.get(9)?,
            error_kind: r.get(10)?,
            request: r.get(11)?,
            response: r.get(12)?,
        },
    })
}

/// Inserts one row; returns its id.
pub fn insert(conn: &Connection, row: &NewCallLog) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO call_log (at_ms, endpoint, method, account, attempt, duration_ms, http_status, errcode, errmsg, error_kind, request, response) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(rusqlite::params![
        row.at_ms,
        row.endpoint,
        row.method,
        row.account,
        row.attempt,
        row.duration_ms,
        row.http_status,
        row.errcode,
        row.errmsg,
        row.error_kind,
        row.request,
        row.response,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// One row by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<CallLogRow>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {COLS} FROM call_log WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Failed attempts at or after `since_ms` (uses the partial errors index).
pub fn count_errors_since(conn: &Connection, since_ms: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT COUNT(*) FROM call_log INDEXED BY call_log_failed_at WHERE error_kind IS NOT NULL AND at_ms >= ?1")?
        .query_row([since_ms], |r| r.get(0))?)
}

/// A column the substring filters resolve against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `account` (walks `call_log_account_at`).
    Account,
    /// `endpoint` (walks `call_log_endpoint_at`).
    Endpoint,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Account => "account",
            Column::Endpoint => "endpoint",
        }
    }
    fn index(self) -> &'static str {
        match self {
            Column::Account => "call_log_account_at",
            Column::Endpoint => "call_log_endpoint_at",
        }
    }
}

/// How one column is filtered in a page query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// No filter.
    Any,
    /// One of these values (one value walks the column's index).
    OneOf(Vec<String>),
    /// Contains this lowercase needle; checked row by row while walking the
    /// time index, used when a needle matches so many values that their rows
    /// are common.
    Contains(String),
}

/// The length of an AppID (`wx` + 16 hex digits).
const APPID_LEN: usize = 18;

/// More matching values than this are filtered row by row on the time index
/// instead of walking each value's index range.
pub const FANOUT: usize = 128;

/// Every distinct non-null value of `column`, ascending: a skip-scan of the
/// column's index (one seek per distinct value), never a walk of every row.
pub fn distinct_values(conn: &Connection, column: Column) -> Result<Vec<String>> {
    let (c, index) = (column.name(), column.index());
    let sql = format!(
        "WITH RECURSIVE v(x) AS ( \
           SELECT (SELECT MIN({c}) FROM call_log INDEXED BY {index}) \
           UNION ALL \
           SELECT (SELECT MIN({c}) FROM call_log INDEXED BY {index} WHERE {c} > v.x) FROM v WHERE v.x IS NOT NULL \
         ) SELECT x FROM v WHERE x IS NOT NULL"
    );
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Resolves a filter's needle (already trimmed, non-empty) against the
/// values in the log: a case-insensitive substring match, with `%` and `_`
/// taken literally.
pub fn resolve(conn: &Connection, column: Column, needle: &str) -> Result<Match> {
    // Every account is an AppID of the same length (`wx` + 16 hex digits,
    // lowercase), so a needle that long can only match itself: the link from
    // an account's page never walks the distinct accounts (10,000 and more).
    if column == Column::Account
        && needle.len() >= APPID_LEN
        && !needle.bytes().any(|b| b.is_ascii_uppercase())
    {
        return Ok(Match::OneOf(vec![needle.to_string()]));
    }
    let needle = needle.to_ascii_lowercase();
    let values: Vec<String> = distinct_values(conn, column)?
        .into_iter()
        .filter(|v| v.to_ascii_lowercase().contains(&needle))
        .collect();
    Ok(if values.len() > FANOUT {
        Match::Contains(needle)
    } else {
        Match::OneOf(values)
    })
}

fn validate(q: &CallLogQuery) -> Result<u32> {
    let limit = q.limit.unwrap_or(DEFAULT_PAGE);
    if limit == 0 || limit > MAX_PAGE {
        return Err(Error::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_PAGE}; page with before_id"),
        ));
    }
    if let (Some(since), Some(until)) = (q.since_ms, q.until_ms) {
        if since > until {
            return Err(Error::invalid("since", "since is after until; swap them"));
        }
    }
    Ok(limit)
}

fn needle(v: Option<&str>) -> Option<&str> {
    v.map(|s| s.trim().trim_start_matches('/'))
        .filter(|s| !s.is_empty())
}

/// The SQL and parameters of a query whose account and endpoint filters
/// each name one full value; public so tests can check its plan.
pub fn build_query(q: &CallLogQuery) -> Result<(String, Vec<SqlValue>)> {
    let one = |v: Option<&str>| match needle(v) {
        Some(v) => Match::OneOf(vec![v.to_string()]),
        None => Match::Any,
    };
    build_page(
        q,
        &one(q.account.as_deref()),
        &one(q.endpoint.as_deref()),
        COLS,
    )
}

/// The SQL and parameters of one page with resolved filters, selecting
/// `cols`; public so tests can check its plan.
pub fn build_page(
    q: &CallLogQuery,
    account: &Match,
    endpoint: &Match,
    cols: &str,
) -> Result<(String, Vec<SqlValue>)> {
    let limit = validate(q)?;
    let single = |m: &Match| matches!(m, Match::OneOf(v) if v.len() == 1);
    // Name the index: the planner cannot see that a keyset page is small, and
    // must never fall back to scanning a million rows.
    // "Errors only" within an account or endpoint walks a partial index of
    // failures (V3), never every row of an account that rarely fails.
    let index = match (single(account), single(endpoint), q.errors_only) {
        (true, _, true) => "call_log_account_failed_at",
        (true, _, false) => "call_log_account_at",
        (false, true, true) => "call_log_endpoint_failed_at",
        (false, true, false) => "call_log_endpoint_at",
        (false, false, true) => "call_log_failed_at",
        (false, false, false) => "call_log_at",
    };
    let mut clauses: Vec<String> = Vec::new();
    let mut params: Vec<SqlValue> = Vec::new();
    let mut bind = |clause: &str, v: SqlValue, clauses: &mut Vec<String>| {
        params.push(v);
        clauses.push(clause.replace('?', &format!("?{}", params.len())));
    };
    for (column, m) in [(Column::Account, account), (Column::Endpoint, endpoint)] {
        let c = column.name();
        match m {
            Match::Any => {}
            Match::OneOf(values) => {
                let mut marks = Vec::new();
                for v in values {
                    bind("?", SqlValue::Text(v.clone()), &mut marks);
                }
                if marks.len() == 1 {
                    clauses.push(format!("{c} = {}", marks[0]));
                } else {
                    clauses.push(format!("{c} IN ({})", marks.join(", ")));
                }
            }
            Match::Contains(n) => bind(
                &format!("instr(lower({c}), ?) > 0"),
                SqlValue::Text(n.clone()),
                &mut clauses,
            ),
        }
    }
    if q.errors_only {
        clauses.push("error_kind IS NOT NULL".into());
    }
    if let Some(s) = q.since_ms {
        bind("at_ms >= ?", SqlValue::Integer(s), &mut clauses);
    }
    if let Some(u) = q.until_ms {
        bind("at_ms <= ?", SqlValue::Integer(u), &mut clauses);
    }
    if let Some(b) = q.before_id {
        // Rows are ordered by (at_ms, id); the cursor row's at_ms is looked up by primary key.
        bind(
            "(at_ms, id) < (SELECT c.at_ms, c.id FROM call_log AS c WHERE c.id = ?)",
            SqlValue::Integer(b),
            &mut clauses,
        );
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    params.push(SqlValue::Integer(i64::from(limit)));
    let sql = format!(
        "SELECT {cols} FROM call_log INDEXED BY {index} {filter} ORDER BY at_ms DESC, id DESC LIMIT ?{}",
        params.len()
    );
    Ok((sql, params))
}

fn run<T>(
    conn: &Connection,
    (sql, params): (String, Vec<SqlValue>),
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn.prepare_cached(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(params.iter()), f)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One page of the log, newest first.
///
/// The account and endpoint filters match substrings: each resolves to the
/// values containing it ([`resolve`]). One value (a full AppID or path, or a
/// needle only one value contains) walks that value's index range as an exact
/// filter always did. A few values walk each range for its newest `(at_ms,
/// id)` keys (index-only), merge them, and read the page's rows by id. More
/// than [`FANOUT`] values are common enough to filter row by row on the time
/// index.
pub fn query(conn: &Connection, q: &CallLogQuery) -> Result<Vec<CallLogRow>> {
    let limit = validate(q)? as usize;
    let resolve_opt = |column, v: Option<&str>| match needle(v) {
        Some(n) => resolve(conn, column, n),
        None => Ok(Match::Any),
    };
    let account = resolve_opt(Column::Account, q.account.as_deref())?;
    let endpoint = resolve_opt(Column::Endpoint, q.endpoint.as_deref())?;
    if [&account, &endpoint]
        .iter()
        .any(|m| matches!(m, Match::OneOf(v) if v.is_empty()))
    {
        return Ok(Vec::new());
    }
    // The column whose index drives the walk: the account when it is filtered.
    let (driver, values) = match (&account, &endpoint) {
        (Match::OneOf(v), _) if v.len() > 1 => (Column::Account, v),
        (Match::OneOf(_), _) => {
            return run(conn, build_page(q, &account, &endpoint, COLS)?, from_row)
        }
        (_, Match::OneOf(v)) if v.len() > 1 => (Column::Endpoint, v),
        _ => return run(conn, build_page(q, &account, &endpoint, COLS)?, from_row),
    };
    let mut keys: Vec<(i64, i64)> = Vec::new();
    for v in values {
        let one = Match::OneOf(vec![v.clone()]);
        let (a, e) = match driver {
            Column::Account => (&one, &endpoint),
            Column::Endpoint => (&account, &one),
        };
        keys.extend(run(conn, build_page(q, a, e, "at_ms, id")?, |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?);
    }
    keys.sort_unstable_by(|x, y| y.cmp(x));
    keys.truncate(limit);
    let mut rows = Vec::with_capacity(keys.len());
    for (_, id) in keys {
        if let Some(row) = get(conn, id)? {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// Deletes up to `max_rows` of the oldest rows started before `cutoff_ms`.
/// Returns how many were deleted.
pub fn prune_before(conn: &Connection, cutoff_ms: i64, max_rows: u32) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM call_log WHERE id IN \
             (SELECT id FROM call_log INDEXED BY call_log_at WHERE at_ms < ?1 ORDER BY at_ms LIMIT ?2)",
        )?
        .execute((cutoff_ms, max_rows))?)
}

/// Number of rows (for tests and diagnostics; a full count walks the smallest index).
pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM call_log", [], |r| r.get(0))?)
}
