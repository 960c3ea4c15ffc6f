//! Queries of the `release_profiles`, `batches` and `batch_items` tables.
//!
//! A batch's state lives here, not in memory, so that a batch survives the
//! process that ran it: each merchant's step is marked `sending` and
//! committed before the consuming call leaves, and its outcome is written
//! after. `services::batch` decides what the states mean.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;

/// A stored profile: its name and its JSON body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileRow {
    /// The platform.
    pub component_appid: String,
    /// Its name, unique per platform.
    pub name: String,
    /// The profile as JSON text.
    pub body: String,
    /// Unix seconds.
    pub updated_at: i64,
}

/// Inserts or replaces a profile.
pub fn put_profile(conn: &Connection, p: &ProfileRow) -> Result<()> {
    conn.execute(
        "INSERT INTO release_profiles (component_appid, name, body, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (component_appid, name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![p.component_appid, p.name, p.body, p.updated_at],
    )?;
    Ok(())
}

fn profile_row(r: &Row<'_>) -> rusqlite::Result<ProfileRow> {
    Ok(ProfileRow {
        component_appid: r.get(0)?,
        name: r.get(1)?,
        body: r.get(2)?,
        updated_at: r.get(3)?,
    })
}

/// One profile.
pub fn get_profile(conn: &Connection, component: &str, name: &str) -> Result<Option<ProfileRow>> {
    Ok(conn
        .query_row(
            "SELECT component_appid, name, body, updated_at FROM release_profiles WHERE component_appid = ?1 AND name = ?2",
            params![component, name],
            profile_row,
        )
        .optional()?)
}

/// The profiles of a platform, by name.
pub fn list_profiles(conn: &Connection, component: &str) -> Result<Vec<ProfileRow>> {
    let mut st = conn.prepare(
        "SELECT component_appid, name, body, updated_at FROM release_profiles WHERE component_appid = ?1 ORDER BY name",
    )?;
    let rows = st
        .query_map(params![component], profile_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Deletes a profile; true when it existed.
pub fn delete_profile(conn: &Connection, component: &str, name: &str) -> Result<bool> {
    Ok(conn.execute(
        "DELETE FROM release_profiles WHERE component_appid = ?1 AND name = ?2",
        params![component, name],
    )? > 0)
}

/// A stored batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRow {
    /// Its id.
    pub id: String,
    /// The platform.
    pub component_appid: String,
    /// The profile it applies.
    pub profile: String,
    /// The steps, comma-separated (`commit,submit,release`).
    pub steps: String,
    /// At most this many merchants at once.
    pub concurrency: i64,
    /// What the steps send (JSON: the resolved profile and version).
    pub plan: String,
    /// `running`, `cancelling`, `cancelled`, `done`.
    pub state: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
    /// The process running it (`pid:token`), while its lease holds.
    pub runner: Option<String>,
    /// Until when the runner's lease holds (Unix seconds).
    pub lease_until: Option<i64>,
}

const BATCH_COLS: &str =
    "id, component_appid, profile, steps, concurrency, plan, state, created_at, updated_at, runner, lease_until";

fn batch_row(r: &Row<'_>) -> rusqlite::Result<BatchRow> {
    Ok(BatchRow {
        id: r.get(0)?,
        component_appid: r.get(1)?,
        profile: r.get(2)?,
        steps: r.get(3)?,
        concurrency: r.get(4)?,
        plan: r.get(5)?,
        state: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
        runner: r.get(9)?,
        lease_until: r.get(10)?,
    })
}

/// Inserts a batch and one pending item per merchant.
pub fn insert_batch(conn: &Connection, b: &BatchRow, appids: &[String]) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO batches ({BATCH_COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, NULL)"),
        params![
            b.id,
            b.component_appid,
            b.profile,
            b.steps,
            b.concurrency,
            b.plan,
            b.state,
            b.created_at,
            b.updated_at
        ],
    )?;
    let mut st = conn.prepare(
        "INSERT INTO batch_items (batch_id, seq, appid, step, phase, updated_at) VALUES (?1, ?2, ?3, 0, 'pending', ?4)",
    )?;
    for (i, a) in appids.iter().enumerate() {
        st.execute(params![b.id, i as i64, a, b.created_at])?;
    }
    Ok(())
}

/// One batch.
pub fn get_batch(conn: &Connection, id: &str) -> Result<Option<BatchRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {BATCH_COLS} FROM batches WHERE id = ?1"),
            params![id],
            batch_row,
        )
        .optional()?)
}

/// Batches, newest first (of one platform when given).
pub fn list_batches(
    conn: &Connection,
    component: Option<&str>,
    limit: i64,
) -> Result<Vec<BatchRow>> {
    let mut st = conn.prepare(&format!(
        "SELECT {BATCH_COLS} FROM batches WHERE (?1 IS NULL OR component_appid = ?1) ORDER BY created_at DESC, id DESC LIMIT ?2"
    ))?;
    let rows = st
        .query_map(params![component, limit], batch_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A batch's state alone (what a runner polls to see a cancel).
pub fn batch_state(conn: &Connection, id: &str) -> Result<Option<String>> {
    let mut st = conn.prepare_cached("SELECT state FROM batches WHERE id = ?1")?;
    Ok(st.query_row(params![id], |r| r.get(0)).optional()?)
}

/// Sets a batch's state.
pub fn set_batch_state(conn: &Connection, id: &str, state: &str, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE batches SET state = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, state, now],
    )?;
    Ok(())
}

/// A merchant's state in a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemRow {
    /// Its position in the batch.
    pub seq: i64,
    /// The merchant.
    pub appid: String,
    /// Index of the current step.
    pub step: i64,
    /// `pending`, `sending`, `auditing`, `done`, `failed`.
    pub phase: String,
    /// When the consuming call of the current step was marked (Unix seconds).
    pub sending_at: Option<i64>,
    /// The audit, once submitted.
    pub auditid: Option<i64>,
    /// What was read before a revert (JSON), to reconcile it.
    pub before: Option<String>,
    /// WeChat's errcode of a failure.
    pub errcode: Option<i64>,
    /// The failure or the audit's rejection reason.
    pub error: Option<String>,
    /// The fix (English).
    pub hint: Option<String>,
    /// The fix (Chinese).
    pub hint_zh: Option<String>,
    /// Unix seconds.
    pub updated_at: i64,
}

fn item_row(r: &Row<'_>) -> rusqlite::Result<ItemRow> {
    Ok(ItemRow {
        seq: r.get(0)?,
        appid: r.get(1)?,
        step: r.get(2)?,
        phase: r.get(3)?,
        sending_at: r.get(4)?,
        auditid: r.get(5)?,
        before: r.get(6)?,
        errcode: r.get(7)?,
        error: r.get(8)?,
        hint: r.get(9)?,
        hint_zh: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// The items of a batch, in batch order.
pub fn items(conn: &Connection, batch_id: &str) -> Result<Vec<ItemRow>> {
    let mut st = conn.prepare_cached(
        "SELECT seq, appid, step, phase, sending_at, auditid, before, errcode, error, hint, hint_zh, updated_at \
         FROM batch_items WHERE batch_id = ?1 ORDER BY seq",
    )?;
    let rows = st
        .query_map(params![batch_id], item_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// One merchant's state in a batch.
pub fn item(conn: &Connection, batch_id: &str, appid: &str) -> Result<Option<ItemRow>> {
    let mut st = conn.prepare_cached(
        "SELECT seq, appid, step, phase, sending_at, auditid, before, errcode, error, hint, hint_zh, updated_at \
         FROM batch_items WHERE batch_id = ?1 AND appid = ?2",
    )?;
    Ok(st
        .query_row(params![batch_id, appid], item_row)
        .optional()?)
}

/// Writes an item's state.
pub fn put_item(conn: &Connection, batch_id: &str, i: &ItemRow) -> Result<()> {
    conn.execute(
        "UPDATE batch_items SET step = ?3, phase = ?4, sending_at = ?5, auditid = ?6, before = ?7, errcode = ?8, \
         error = ?9, hint = ?10, hint_zh = ?11, updated_at = ?12 WHERE batch_id = ?1 AND appid = ?2",
        params![
            batch_id,
            i.appid,
            i.step,
            i.phase,
            i.sending_at,
            i.auditid,
            i.before,
            i.errcode,
            i.error,
            i.hint,
            i.hint_zh,
            i.updated_at
        ],
    )?;
    Ok(())
}

/// Takes (or renews) the runner's lease of a batch; false when another
/// runner holds it.
pub fn take_lease(conn: &Connection, id: &str, runner: &str, until: i64, now: i64) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE batches SET runner = ?2, lease_until = ?3 WHERE id = ?1 \
         AND (runner IS NULL OR runner = ?2 OR lease_until IS NULL OR lease_until < ?4)",
        params![id, runner, until, now],
    )? > 0)
}

/// Gives the lease up.
pub fn drop_lease(conn: &Connection, id: &str, runner: &str) -> Result<()> {
    conn.execute(
        "UPDATE batches SET runner = NULL, lease_until = NULL WHERE id = ?1 AND runner = ?2",
        params![id, runner],
    )?;
    Ok(())
}

/// Clears the lease of a runner that is known dead.
pub fn clear_lease(conn: &Connection, id: &str, runner: &str) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE batches SET runner = NULL, lease_until = NULL WHERE id = ?1 AND runner = ?2",
        params![id, runner],
    )? > 0)
}
