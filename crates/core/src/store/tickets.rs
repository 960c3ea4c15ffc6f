//! Queries of the `tickets` table: every component_verify_ticket received.
//!
//! History is kept (a ticket lives 12 hours and pushes arrive every 10
//! minutes), so the dashboard can show when the last one came and from where.

use rusqlite::{Connection, OptionalExtension};

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
}

/// Records a received ticket.
pub fn insert(
    conn: &Connection,
    component_appid: &str,
    ticket: &Sealed,
    source: &str,
    received_at: i64,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO tickets (component_appid, ticket, source, received_at) VALUES (?1, ?2, ?3, ?4)",
        (component_appid, ticket, source, received_at),
    )?;
    Ok(conn.last_insert_rowid())
}

/// The newest ticket of a component.
pub fn latest(conn: &Connection, component_appid: &str) -> Result<Option<TicketRow>> {
    Ok(conn
        .query_row(
            "SELECT id, component_appid, ticket, source, received_at FROM tickets WHERE component_appid = ?1 \
             ORDER BY received_at DESC, id DESC LIMIT 1",
            [component_appid],
            |r| {
                Ok(TicketRow {
                    id: r.get(0)?,
                    component_appid: r.get(1)?,
                    ticket: r.get(2)?,
                    source: r.get(3)?,
                    received_at: r.get(4)?,
                })
            },
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

/// Drops tickets older than the newest `keep` of a component (history is bounded).
pub fn prune(conn: &Connection, component_appid: &str, keep: i64) -> Result<()> {
    conn.execute(
        "DELETE FROM tickets WHERE component_appid = ?1 AND id NOT IN \
         (SELECT id FROM tickets WHERE component_appid = ?1 ORDER BY received_at DESC, id DESC LIMIT ?2)",
        (component_appid, keep),
    )?;
    Ok(())
}
