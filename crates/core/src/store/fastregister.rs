//! Queries of the `fastregister_tasks` table: mini-program registrations a platform started.
//!
//! Fast registration is asynchronous: WeChat accepts a task, a person then
//! verifies their identity in WeChat (hours later, or never), and the result
//! arrives by push. Without a record the operator could not tell which tasks
//! are pending, what was requested, or which new mini program came out of
//! which request. A task is keyed by (component, kind, task_key) where the key
//! is what WeChat identifies it by: the enterprise name, the personal
//! `taskid`, the trial `unique_id`, or the new appid of an Official-Account
//! reuse. The stored request never contains secrets or single-use tickets.

use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ops::wire::TaskStatus;

/// The four registration routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Enterprise, verified by the legal person's face check; keyed by enterprise name.
    Enterprise,
    /// Personal; keyed by WeChat's `taskid`.
    Personal,
    /// Trial ("beta") mini program; keyed by `unique_id`.
    Beta,
    /// Reuse of an Official Account's qualification; keyed by the new appid.
    Offiaccount,
}

impl TaskKind {
    /// Column text.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Enterprise => "enterprise",
            TaskKind::Personal => "personal",
            TaskKind::Beta => "beta",
            TaskKind::Offiaccount => "offiaccount",
        }
    }

    /// Parses the column text (or user input), naming the field on failure.
    pub fn parse(s: &str) -> Result<TaskKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "enterprise" => Ok(TaskKind::Enterprise),
            "personal" => Ok(TaskKind::Personal),
            "beta" => Ok(TaskKind::Beta),
            "offiaccount" => Ok(TaskKind::Offiaccount),
            other => Err(Error::invalid(
                "kind",
                format!("{other:?} is not a registration kind; use enterprise, personal, beta or offiaccount"),
            )),
        }
    }
}

/// One registration task as stored.
#[derive(Debug, Clone)]
pub struct TaskRow {
    /// Row id.
    pub id: i64,
    /// The platform that started it.
    pub component_appid: String,
    /// The route.
    pub kind: TaskKind,
    /// What WeChat identifies the task by.
    pub task_key: String,
    /// The request as sent (no secrets).
    pub request: serde_json::Value,
    /// Where the task stands.
    pub status: TaskStatus,
    /// WeChat's numeric status or errcode behind the word.
    pub status_code: Option<i64>,
    /// The link the registering person must open, when WeChat gave one.
    pub authorize_url: Option<String>,
    /// The new mini program, once created.
    pub new_appid: Option<String>,
    /// Latest result details (push contents, authorization outcome).
    pub result: Option<serde_json::Value>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

const COLS: &str = "id, component_appid, kind, task_key, request, status, status_code, authorize_url, new_appid, result, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TaskRow> {
    let kind: String = r.get(2)?;
    let request: String = r.get(4)?;
    let result: Option<String> = r.get(9)?;
    let status: String = r.get(5)?;
    let status = TaskStatus::parse(&status).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("unknown fastregister task status {status:?}").into(),
        )
    })?;
    Ok(TaskRow {
        id: r.get(0)?,
        component_appid: r.get(1)?,
        // The CHECK constraint admits only the four kinds.
        kind: TaskKind::parse(&kind).unwrap_or(TaskKind::Enterprise),
        task_key: r.get(3)?,
        request: serde_json::from_str(&request).unwrap_or(serde_json::Value::Null),
        status,
        status_code: r.get(6)?,
        authorize_url: r.get(7)?,
        new_appid: r.get(8)?,
        result: result.and_then(|s| serde_json::from_str(&s).ok()),
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

/// A task to create (or restart: a new request with the same key replaces the old one).
#[derive(Debug, Clone)]
pub struct NewTask<'a> {
    /// The platform.
    pub component_appid: &'a str,
    /// The route.
    pub kind: TaskKind,
    /// The key.
    pub task_key: &'a str,
    /// The request (no secrets).
    pub request: &'a serde_json::Value,
    /// Initial status.
    pub status: TaskStatus,
    /// Initial status code.
    pub status_code: Option<i64>,
    /// Link for the registering person.
    pub authorize_url: Option<&'a str>,
    /// New appid, when already known.
    pub new_appid: Option<&'a str>,
    /// Result details.
    pub result: Option<&'a serde_json::Value>,
}

impl<'a> NewTask<'a> {
    /// A task with no status code, link, new appid or result yet; callers
    /// fill those in with struct update syntax.
    pub fn new(
        component_appid: &'a str,
        kind: TaskKind,
        task_key: &'a str,
        request: &'a serde_json::Value,
        status: TaskStatus,
    ) -> Self {
        NewTask {
            component_appid,
            kind,
            task_key,
            request,
            status,
            status_code: None,
            authorize_url: None,
            new_appid: None,
            result: None,
        }
    }
}

/// Inserts a task; a task with the same key is restarted (its status,
/// request and result replaced, its creation time reset). Returns the row id.
pub fn start(conn: &Connection, t: &NewTask<'_>, now: i64) -> Result<i64> {
    let id = conn
        .prepare_cached(
            "INSERT INTO fastregister_tasks (component_appid, kind, task_key, request, status, status_code, authorize_url, \
             new_appid, result, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) \
             ON CONFLICT(component_appid, kind, task_key) DO UPDATE SET request = excluded.request, status = excluded.status, \
             status_code = excluded.status_code, authorize_url = excluded.authorize_url, new_appid = excluded.new_appid, \
             result = excluded.result, created_at = excluded.created_at, updated_at = excluded.updated_at RETURNING id",
        )?
        .query_row(
            (
                t.component_appid,
                t.kind.as_str(),
                t.task_key,
                t.request.to_string(),
                t.status.as_str(),
                t.status_code,
                t.authorize_url,
                t.new_appid,
                t.result.map(|v| v.to_string()),
                now,
            ),
            |r| r.get(0),
        )?;
    Ok(id)
}

/// A change to a task; `None` keeps the stored value.
#[derive(Debug, Default, Clone)]
pub struct TaskUpdate<'a> {
    /// New status.
    pub status: Option<TaskStatus>,
    /// New status code.
    pub status_code: Option<i64>,
    /// New link.
    pub authorize_url: Option<&'a str>,
    /// New appid.
    pub new_appid: Option<&'a str>,
    /// New result details (replaces the stored object).
    pub result: Option<&'a serde_json::Value>,
}

/// Applies an update to task `id`; `NotFound` when it does not exist.
pub fn update(conn: &Connection, id: i64, u: &TaskUpdate<'_>, now: i64) -> Result<()> {
    let n = conn
        .prepare_cached(
            "UPDATE fastregister_tasks SET status = COALESCE(?2, status), status_code = COALESCE(?3, status_code), \
             authorize_url = COALESCE(?4, authorize_url), new_appid = COALESCE(?5, new_appid), \
             result = COALESCE(?6, result), updated_at = ?7 WHERE id = ?1",
        )?
        .execute((id, u.status.map(TaskStatus::as_str), u.status_code, u.authorize_url, u.new_appid, u.result.map(|v| v.to_string()), now))?;
    if n == 0 {
        return Err(Error::not_found("fastregister task", id.to_string()));
    }
    Ok(())
}

/// Moves task `existing` to what `t` says (its status, code, link, new appid
/// and result; `None` fields keep the stored values), or starts `t` when
/// there is no such task. Returns the row id.
pub fn advance_or_start(
    conn: &Connection,
    existing: Option<i64>,
    t: &NewTask<'_>,
    now: i64,
) -> Result<i64> {
    let Some(id) = existing else {
        return start(conn, t, now);
    };
    update(
        conn,
        id,
        &TaskUpdate {
            status: Some(t.status),
            status_code: t.status_code,
            authorize_url: t.authorize_url,
            new_appid: t.new_appid,
            result: t.result,
        },
        now,
    )?;
    Ok(id)
}

/// One task by its key.
pub fn get(
    conn: &Connection,
    component_appid: &str,
    kind: TaskKind,
    task_key: &str,
) -> Result<Option<TaskRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM fastregister_tasks WHERE component_appid = ?1 AND kind = ?2 AND task_key = ?3"),
            (component_appid, kind.as_str(), task_key),
            from_row,
        )
        .optional()?)
}

/// One task by row id.
pub fn get_by_id(conn: &Connection, id: i64) -> Result<Option<TaskRow>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLS} FROM fastregister_tasks WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// Tasks of one kind of a component, newest first.
pub fn list_kind(conn: &Connection, component_appid: &str, kind: TaskKind) -> Result<Vec<TaskRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM fastregister_tasks WHERE component_appid = ?1 AND kind = ?2 ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = st
        .query_map((component_appid, kind.as_str()), from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Tasks of one component (or all), newest first.
pub fn list(conn: &Connection, component_appid: Option<&str>) -> Result<Vec<TaskRow>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM fastregister_tasks WHERE (?1 IS NULL OR component_appid = ?1) ORDER BY created_at DESC, id DESC"
    ))?;
    let rows = st
        .query_map([component_appid], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
