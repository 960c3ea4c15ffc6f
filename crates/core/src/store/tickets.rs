//! Queries of the `tickets` table: every component_verify_ticket received.
//!
//! History is kept (a ticket lives 12 hours and pushes arrive every 10
//! minutes), so the dashboard can show when the last one came and from where.
//! A ticket is *current* when it may mint a component_access_token; a push
//! that is older than the current ticket, stale or from the future is still
//! recorded (so the operator can see it arrived) but with `current = 0` and
//! the reason in `rejected`. Only current tickets are ever used.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::vault::Sealed;

/// Vault purpose of a ticket.
pub const TICKET: &str = "tickets.ticket";

/// How long WeChat accepts a ticket.
pub const TICKET_TTL_SECS: i64 = 12 * 3600;

/// A stored ticket.
#[derive(Debug, Clone)]
pub struct TicketRow {
    /// Row id.
    pub id: i64,
    /// The component.
    pub component_appid: String,
    /// Sealed ticket.
    pub ticket: Sealed,
    /// `manual` or `push`.
    pub source: String,
    /// Unix seconds.
    pub received_at: i64,
    /// The push's `CreateTime` (for a pasted ticket or an old row: when it arrived).
    pub create_time: i64,
    /// Whether it may be used (false: recorded only, see `rejected`).
    pub current: bool,
    /// Why it is not current.
    pub rejected: Option<String>,
}

impl TicketRow {
    /// When WeChat stops accepting it: 12 h after it was issued (its
    /// `CreateTime`, or its arrival when that is earlier), saturating.
    pub fn expires_at(&self) -> i64 {
        self.create_time
            .min(self.received_at)
            .saturating_add(TICKET_TTL_SECS)
    }
}

const COLS: &str = "id, component_appid, ticket, source, received_at, COALESCE(create_time, received_at), current, rejected";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TicketRow> {
    let current: i64 = r.get(6)?;
    Ok(TicketRow {
        id: r.get(0)?,
        component_appid: r.get(1)?,
        ticket: r.get(2)?,
        source: r.get(3)?,
        received_at: r.get(4)?,
        create_time: r.get(5)?,
        current: current != 0,
        rejected: r.get(7)?,
    })
}

/// Records a received ticket as current (its issue time is its arrival).
pub fn insert(
    conn: &Connection,
    component_appid: &str,
    ticket: &Sealed,
    source: &str,
    received_at: i64,
) -> Result<i64> {
    insert_judged(
        conn,
        component_appid,
        ticket,
        source,
        received_at,
        received_at,
        None,
    )
}

/// Records a received ticket issued at `create_time`; with `rejected` it is
/// kept as history only (not current) with that reason.
pub fn insert_judged(
    conn: &Connection,
    component_appid: &str,
    ticket: &Sealed,
    source: &str,
    create_time: i64,
    received_at: i64,
    rejected: Option<&str>,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO tickets (component_appid, ticket, source, received_at, create_time, current, rejected) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        (
            component_appid,
            ticket,
            source,
            received_at,
            create_time,
            i64::from(rejected.is_none()),
            rejected,
        ),
    )?;
    Ok(conn.last_insert_rowid())
}

/// The newest current ticket of a component (by issue time, then arrival).
pub fn latest(conn: &Connection, component_appid: &str) -> Result<Option<TicketRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLS} FROM tickets WHERE component_appid = ?1 AND current = 1 \
                 ORDER BY COALESCE(create_time, received_at) DESC, received_at DESC, id DESC LIMIT 1"
            ),
            [component_appid],
            from_row,
        )
        .optional()?)
}

/// The most recently received ticket of a component, current or not.
pub fn last_received(conn: &Connection, component_appid: &str) -> Result<Option<TicketRow>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {COLS} FROM tickets WHERE component_appid = ?1 ORDER BY received_at DESC, id DESC LIMIT 1"
            ),
            [component_appid],
            from_row,
        )
        .optional()?)
}

/// Number of tickets received for a component.
pub fn count(conn: &Connection, component_appid: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM tickets WHERE component_appid = ?1",
        [component_appid],
        |r| r.get(0),
    )?)
}

/// Drops tickets older than the newest `keep` of a component (history is
/// bounded), never the current one.
pub fn prune(conn: &Connection, component_appid: &str, keep: i64) -> Result<()> {
    let current = latest(conn, component_appid)?.map(|t| t.id);
    conn.execute(
        "DELETE FROM tickets WHERE component_appid = ?1 AND id IS NOT ?3 AND id NOT IN \
         (SELECT id FROM tickets WHERE component_appid = ?1 ORDER BY received_at DESC, id DESC LIMIT ?2)",
        (component_appid, keep, current),
    )?;
    Ok(())
}
