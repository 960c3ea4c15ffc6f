//! Queries of the `wxa_versions` table: the latest known version state of
//! each managed mini program (experience, audit, audited, released).
//!
//! Services read a row, change what they learned and write it back inside
//! one write transaction, so a push and a status poll landing together
//! cannot interleave half-updates.

use rusqlite::{params, Connection, OptionalExtension, Row};

use crate::error::Result;

/// One mini program's version state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WxaVersionRow {
    /// The mini program.
    pub appid: String,
    /// The platform that last acted on it.
    pub component_appid: String,
    /// Template of the experience version.
    pub template_id: Option<i64>,
    /// Experience version string.
    pub exp_version: Option<String>,
    /// Experience version description.
    pub exp_desc: Option<String>,
    /// When it was committed (Unix seconds).
    pub committed_at: Option<i64>,
    /// The latest audit's id.
    pub auditid: Option<i64>,
    /// `success|rejected|auditing|withdrawn|delayed|unknown`.
    pub audit_status: Option<String>,
    /// The version under (or after) that audit.
    pub audit_version: Option<String>,
    /// When it was submitted.
    pub submitted_at: Option<i64>,
    /// When its status last changed.
    pub audit_updated_at: Option<i64>,
    /// Rejection or delay reason.
    pub audit_reason: Option<String>,
    /// Rejection screenshots (JSON array of media ids).
    pub audit_screenshots: Option<String>,
    /// The last version that passed an audit.
    pub audited_version: Option<String>,
    /// When it passed.
    pub audited_at: Option<i64>,
    /// The released version.
    pub released_version: Option<String>,
    /// When it was released.
    pub released_at: Option<i64>,
    /// Last write (Unix seconds).
    pub updated_at: i64,
}

const COLS: &str = "appid, component_appid, template_id, exp_version, exp_desc, committed_at, \
     auditid, audit_status, audit_version, submitted_at, audit_updated_at, audit_reason, \
     audit_screenshots, audited_version, audited_at, released_version, released_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<WxaVersionRow> {
    Ok(WxaVersionRow {
        appid: r.get(0)?,
        component_appid: r.get(1)?,
        template_id: r.get(2)?,
        exp_version: r.get(3)?,
        exp_desc: r.get(4)?,
        committed_at: r.get(5)?,
        auditid: r.get(6)?,
        audit_status: r.get(7)?,
        audit_version: r.get(8)?,
        submitted_at: r.get(9)?,
        audit_updated_at: r.get(10)?,
        audit_reason: r.get(11)?,
        audit_screenshots: r.get(12)?,
        audited_version: r.get(13)?,
        audited_at: r.get(14)?,
        released_version: r.get(15)?,
        released_at: r.get(16)?,
        updated_at: r.get(17)?,
    })
}

/// The state of `appid`, if anything is known.
pub fn get(c: &Connection, appid: &str) -> Result<Option<WxaVersionRow>> {
    Ok(c.query_row(
        &format!("SELECT {COLS} FROM wxa_versions WHERE appid = ?1"),
        [appid],
        from_row,
    )
    .optional()?)
}

/// Every known state, of one platform's mini programs when given, by appid.
pub fn list(c: &Connection, component: Option<&str>) -> Result<Vec<WxaVersionRow>> {
    let mut st = c.prepare(&format!(
        "SELECT {COLS} FROM wxa_versions WHERE ?1 IS NULL OR component_appid = ?1 ORDER BY appid"
    ))?;
    let rows = st
        .query_map([component], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The known states of `appids` (of one platform's when given), by appid:
/// one primary-key look-up each.
pub fn list_of(
    c: &Connection,
    component: Option<&str>,
    appids: &[String],
) -> Result<Vec<WxaVersionRow>> {
    let mut rows = Vec::with_capacity(appids.len());
    for appid in appids {
        if let Some(r) = get(c, appid)? {
            if component.is_none_or(|comp| r.component_appid == comp) {
                rows.push(r);
            }
        }
    }
    rows.sort_by(|a, b| a.appid.cmp(&b.appid));
    rows.dedup_by(|a, b| a.appid == b.appid);
    Ok(rows)
}

/// Writes the whole row (insert or replace).
pub fn put(c: &Connection, r: &WxaVersionRow) -> Result<()> {
    c.execute(
        &format!(
            "INSERT OR REPLACE INTO wxa_versions ({COLS}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
        ),
        params![
            r.appid,
            r.component_appid,
            r.template_id,
            r.exp_version,
            r.exp_desc,
            r.committed_at,
            r.auditid,
            r.audit_status,
            r.audit_version,
            r.submitted_at,
            r.audit_updated_at,
            r.audit_reason,
            r.audit_screenshots,
            r.audited_version,
            r.audited_at,
            r.released_version,
            r.released_at,
            r.updated_at
        ],
    )?;
    Ok(())
}
