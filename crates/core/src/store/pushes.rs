//! Queries of the `pushes` table: the push inbox.
//!
//! Every push wxdesk sees is written here before anything acts on it, so a
//! failure while applying never loses it and it can be applied again. The raw
//! body stays encrypted as WeChat sent it; `decoded` holds the decrypted
//! fields with every secret masked (see `services::inbox`).

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;

/// One stored push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRow {
    /// Row id.
    pub id: i64,
    /// Unix seconds.
    pub received_at: i64,
    /// `receive` or `paste`.
    pub source: String,
    /// `component` (授权事件接收URL) or `message` (消息与事件接收URL).
    pub url_kind: String,
    /// The platform.
    pub component_appid: String,
    /// The authorizer it concerns, when known.
    pub authorizer_appid: Option<String>,
    /// `InfoType`, or `Event`/`MsgType` of a message push.
    pub info_type: Option<String>,
    /// The raw query string.
    pub query: String,
    /// The raw (encrypted) body.
    pub body: String,
    /// Decoded fields, secrets masked (JSON object text).
    pub decoded: Option<String>,
    /// What was done.
    pub outcome: String,
    /// Why it failed.
    pub error: Option<String>,
    /// Unique among received pushes.
    pub dedupe_key: String,
    /// When it was last applied.
    pub applied_at: Option<i64>,
    /// Forwarding result (`ok 200`, or the error).
    pub forwarded: Option<String>,
}

const COLS: &str =
    "id, received_at, source, url_kind, component_appid, authorizer_appid, info_type, \
                    query, body, decoded, outcome, error, dedupe_key, applied_at, forwarded";

fn from_row(r: &Row<'_>) -> rusqlite::Result<PushRow> {
    Ok(PushRow {
        id: r.get(0)?,
        received_at: r.get(1)?,
        source: r.get(2)?,
        url_kind: r.get(3)?,
        component_appid: r.get(4)?,
        authorizer_appid: r.get(5)?,
        info_type: r.get(6)?,
        query: r.get(7)?,
        body: r.get(8)?,
        decoded: r.get(9)?,
        outcome: r.get(10)?,
        error: r.get(11)?,
        dedupe_key: r.get(12)?,
        applied_at: r.get(13)?,
        forwarded: r.get(14)?,
    })
}

/// Inserts a push (its `id` is ignored). A received push whose dedupe key is
/// already stored is not inserted: `Err(existing id)` is returned instead.
pub fn insert(conn: &Connection, p: &PushRow) -> Result<std::result::Result<i64, i64>> {
    if p.source == "receive" {
        let existing: Option<i64> = conn
            .query_row(
                "SELECT id FROM pushes WHERE source = 'receive' AND dedupe_key = ?1",
                [&p.dedupe_key],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(Err(id));
        }
    }
    conn.execute(
        "INSERT INTO pushes (received_at, source, url_kind, component_appid, authorizer_appid, info_type, \
         query, body, decoded, outcome, error, dedupe_key, applied_at, forwarded) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            p.received_at,
            p.source,
            p.url_kind,
            p.component_appid,
            p.authorizer_appid,
            p.info_type,
            p.query,
            p.body,
            p.decoded,
            p.outcome,
            p.error,
            p.dedupe_key,
            p.applied_at,
            p.forwarded,
        ],
    )?;
    Ok(Ok(conn.last_insert_rowid()))
}

/// One push by id.
pub fn get(conn: &Connection, id: i64) -> Result<Option<PushRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM pushes WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// Records what applying a push did.
pub fn set_outcome(
    conn: &Connection,
    id: i64,
    outcome: &str,
    error: Option<&str>,
    applied_at: i64,
) -> Result<()> {
    conn.execute(
        "UPDATE pushes SET outcome = ?2, error = ?3, applied_at = ?4 WHERE id = ?1",
        params![id, outcome, error, applied_at],
    )?;
    Ok(())
}

/// Records the forwarding result.
pub fn set_forwarded(conn: &Connection, id: i64, forwarded: &str) -> Result<()> {
    conn.execute(
        "UPDATE pushes SET forwarded = ?2 WHERE id = ?1",
        params![id, forwarded],
    )?;
    Ok(())
}

/// Ids of received pushes stored but never applied (the receiver stopped
/// between storing and applying), oldest first.
pub fn pending(conn: &Connection, limit: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare(
        "SELECT id FROM pushes WHERE source = 'receive' AND outcome = 'received' ORDER BY id LIMIT ?1",
    )?;
    let ids = st
        .query_map([limit], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// Filters of [`list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this platform.
    pub component_appid: Option<String>,
    /// Only this authorizer.
    pub authorizer_appid: Option<String>,
    /// Only this InfoType / Event.
    pub info_type: Option<String>,
    /// Only pushes that failed (failed, bad_signature).
    pub errors_only: bool,
    /// At most this many, newest first.
    pub limit: i64,
}

/// Outcomes that count as errors.
pub const ERROR_OUTCOMES: &[&str] = &["failed", "bad_signature", "stale"];

/// Pushes matching `f`, newest first.
pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<PushRow>> {
    let sql = format!(
        "SELECT {COLS} FROM pushes \
         WHERE (?1 IS NULL OR component_appid = ?1) AND (?2 IS NULL OR authorizer_appid = ?2) \
           AND (?3 IS NULL OR info_type = ?3) AND (?4 = 0 OR outcome IN ('failed', 'bad_signature', 'stale')) \
         ORDER BY id DESC LIMIT ?5"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st
        .query_map(
            params![
                f.component_appid,
                f.authorizer_appid,
                f.info_type,
                i64::from(f.errors_only),
                f.limit
            ],
            from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
