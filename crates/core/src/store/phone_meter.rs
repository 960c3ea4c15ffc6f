//! Queries of the phone-number meter's tables.
//!
//! `getuserphonenumber` is billed per successful call, so the desk counts
//! them: `phone_meter_counts` holds one row per mini program, China day
//! (UTC+8, WeChat's billing day) and component, bumped in the same
//! transaction that writes the call's log row, so the counts stay in step
//! with the log and outlive its pruning. `phone_meter_apps` holds which
//! component each mini program uses; absent means fast verification.

use rusqlite::{Connection, OptionalExtension};

use crate::error::Result;

/// The endpoint that is billed.
pub const PAID_ENDPOINT: &str = "wxa/business/getuserphonenumber";

/// Setting key (environment database) of the prices.
pub const PRICES: &str = "phone_meter_prices";

/// One counter row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountRow {
    /// The mini program.
    pub appid: String,
    /// China day, `YYYY-MM-DD`.
    pub day: String,
    /// `fast` or `realtime`.
    pub component: String,
    /// Successful calls.
    pub calls: i64,
}

/// The component setting of `appid` (`fast` or `realtime`), `None` when unset.
pub fn component(conn: &Connection, appid: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT component FROM phone_meter_apps WHERE appid = ?1")?
        .query_row([appid], |r| r.get(0))
        .optional()?)
}

/// Sets the component of `appid`.
pub fn set_component(conn: &Connection, appid: &str, component: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO phone_meter_apps (appid, component) VALUES (?1, ?2) \
         ON CONFLICT(appid) DO UPDATE SET component = excluded.component",
    )?
    .execute((appid, component))?;
    Ok(())
}

/// Counts one successful paid call of `appid` made at `at_ms`, under the
/// component the app is set to now.
pub fn count_call(conn: &Connection, appid: &str, at_ms: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO phone_meter_counts (appid, day, component, calls) \
         VALUES (?1, strftime('%Y-%m-%d', ?2 / 1000, 'unixepoch', '+8 hours'), \
                 COALESCE((SELECT component FROM phone_meter_apps WHERE appid = ?1), 'fast'), 1) \
         ON CONFLICT(appid, day, component) DO UPDATE SET calls = calls + 1",
    )?
    .execute((appid, at_ms))?;
    Ok(())
}

/// Whether a logged attempt is a billed call: a successful phone exchange for an account.
pub fn is_paid_success(
    endpoint: &str,
    errcode: Option<i64>,
    error_kind: Option<&str>,
    account: Option<&str>,
) -> bool {
    endpoint.trim_start_matches('/') == PAID_ENDPOINT
        && errcode == Some(0)
        && error_kind.is_none()
        && account.is_some_and(|a| !a.is_empty())
}

/// Counter rows on days before `until_day` (exclusive, `YYYY-MM-DD`), summed
/// per app and component: `(appid, component, calls)`.
pub fn totals_before(
    conn: &Connection,
    until_day: &str,
    appid: Option<&str>,
) -> Result<Vec<(String, String, i64)>> {
    let mut st = conn.prepare_cached(
        "SELECT appid, component, SUM(calls) FROM phone_meter_counts \
         WHERE day < ?1 AND (?2 IS NULL OR appid = ?2) GROUP BY appid, component",
    )?;
    let rows = st
        .query_map((until_day, appid), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Counter rows with `from_day <= day < until_day`, by app, day and component.
pub fn days_between(
    conn: &Connection,
    from_day: &str,
    until_day: &str,
    appid: Option<&str>,
) -> Result<Vec<CountRow>> {
    let mut st = conn.prepare_cached(
        "SELECT appid, day, component, calls FROM phone_meter_counts \
         WHERE day >= ?1 AND day < ?2 AND (?3 IS NULL OR appid = ?3) ORDER BY appid, day, component",
    )?;
    let rows = st
        .query_map((from_day, until_day, appid), |r| {
            Ok(CountRow {
                appid: r.get(0)?,
                day: r.get(1)?,
                component: r.get(2)?,
                calls: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}
