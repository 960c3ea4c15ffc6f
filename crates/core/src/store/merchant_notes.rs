//! Queries of `merchant_notes`: the operator's own notes and tags on each
//! merchant (authorizer), kept apart from the synced WeChat data so a sync or
//! a re-authorization never overwrites them.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// Notes and tags of one merchant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MerchantNotes {
    /// Free text.
    pub notes: String,
    /// Short labels.
    pub tags: Vec<String>,
}

fn parse_tags(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// The notes of one merchant (empty when none were written).
pub fn get(conn: &Connection, component_appid: &str, appid: &str) -> Result<MerchantNotes> {
    let row: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT notes, tags FROM merchant_notes WHERE component_appid = ?1 AND appid = ?2",
        )?
        .query_row((component_appid, appid), |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row
        .map(|(notes, tags)| MerchantNotes {
            notes,
            tags: parse_tags(&tags),
        })
        .unwrap_or_default())
}

/// Replaces the notes of one merchant.
pub fn set(
    conn: &Connection,
    component_appid: &str,
    appid: &str,
    notes: &MerchantNotes,
    now: i64,
) -> Result<()> {
    let tags = serde_json::to_string(&notes.tags).unwrap_or_else(|_| "[]".into());
    conn.prepare_cached(
        "INSERT INTO merchant_notes (component_appid, appid, notes, tags, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) \
         ON CONFLICT(component_appid, appid) DO UPDATE SET notes = excluded.notes, tags = excluded.tags, updated_at = excluded.updated_at",
    )?
    .execute((component_appid, appid, &notes.notes, tags, now))?;
    Ok(())
}

/// Every merchant's notes, by `(component_appid, appid)` (optionally of one platform).
pub fn all(
    conn: &Connection,
    component_appid: Option<&str>,
) -> Result<HashMap<(String, String), MerchantNotes>> {
    let mut st = conn.prepare_cached(
        "SELECT component_appid, appid, notes, tags FROM merchant_notes WHERE (?1 IS NULL OR component_appid = ?1)",
    )?;
    let rows = st
        .query_map([component_appid], |r| {
            let tags: String = r.get(3)?;
            Ok((
                (r.get(0)?, r.get(1)?),
                MerchantNotes {
                    notes: r.get(2)?,
                    tags: parse_tags(&tags),
                },
            ))
        })?
        .collect::<rusqlite::Result<HashMap<_, _>>>()?;
    Ok(rows)
}
