//! Writes every outbound WeChat call to the call log.
//!
//! The protocol client reports each HTTP attempt (already redacted: secret
//! query parameters and JSON fields are masked by name) to a
//! [`CallObserver`]; this is the desk's observer. It writes one `call_log`
//! row per attempt, synchronously, so a caller that just made a call can read
//! it back at once. A failing write never fails the call itself.
//!
//! Retention (`log_retention_days`, default 30, 0 = forever) is applied
//! lazily: on the first write of the process, one bounded DELETE of the oldest
//! expired rows. Opening the desk never touches the log, so startup stays fast
//! however large the log has grown; a long backlog shrinks by one batch per
//! process (and whenever the retention setting is changed).
//!
//! An errcode that reports a waiting state (fast registration's 89251 and
//! 89252) is stored without an error kind: it is not a failure.
//!
//! A successful paid phone-number call also bumps the phone meter's counter
//! (`store::phone_meter`) in the same transaction, so the paid-call counts
//! survive the pruning of the log.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use wxdesk_wechat::{CallObserver, CallRecord};

use crate::error::Result;
use crate::store::{call_log, phone_meter, settings, Store};

/// Retention when the setting is absent.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

/// Rows deleted at most by one pruning pass.
pub const PRUNE_BATCH: u32 = 5000;

/// The call-log writer handed to the WeChat client.
pub struct CallRecorder {
    store: Arc<Store>,
    pruned: AtomicBool,
}

impl std::fmt::Debug for CallRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallRecorder")
            .field("store", &self.store)
            .finish()
    }
}

impl CallRecorder {
    /// A recorder writing into `store`.
    pub fn new(store: Arc<Store>) -> Self {
        CallRecorder {
            store,
            pruned: AtomicBool::new(false),
        }
    }

    fn write(&self, record: &CallRecord) -> Result<()> {
        let row = to_row(record);
        let prune = !self.pruned.swap(true, Ordering::SeqCst);
        let paid = phone_meter::is_paid_success(
            &row.endpoint,
            row.errcode,
            row.error_kind.as_deref(),
            row.account.as_deref(),
        );
        self.store.write(|tx| {
            call_log::insert(tx, &row)?;
            // A billed phone-number call is counted with its log row, in one
            // transaction, so the meter never disagrees with the log.
            if let (true, Some(appid)) = (paid, row.account.as_deref()) {
                phone_meter::count_call(tx, appid, row.at_ms)?;
            }
            if prune {
                prune_expired(tx, row.at_ms)?;
            }
            Ok(())
        })
    }
}

/// The retention setting in days (0 = keep forever).
pub fn retention_days(conn: &rusqlite::Connection) -> Result<u32> {
    Ok(settings::get::<u32>(conn, settings::LOG_RETENTION_DAYS)?.unwrap_or(DEFAULT_RETENTION_DAYS))
}

/// Deletes one bounded batch of rows older than the retention allows,
/// relative to `now_ms`. Returns how many were deleted.
pub fn prune_expired(conn: &rusqlite::Connection, now_ms: i64) -> Result<usize> {
    let days = retention_days(conn)?;
    if days == 0 {
        return Ok(0);
    }
    let cutoff = now_ms.saturating_sub(i64::from(days) * 86_400_000);
    call_log::prune_before(conn, cutoff, PRUNE_BATCH)
}

/// The stored error kind: none for a success, and none for an errcode that
/// reports a waiting state (`catalogue::is_waiting`), so that every failure
/// count, "errors only" filter and failure index leaves it out; the view
/// tells it apart from a success by its errcode.
fn error_kind(r: &CallRecord) -> Option<String> {
    match (r.error_kind, r.errcode) {
        (Some("api"), Some(code)) if wxdesk_wechat::catalogue::is_waiting(code) => None,
        (kind, _) => kind.map(str::to_string),
    }
}

fn to_row(r: &CallRecord) -> call_log::NewCallLog {
    let at_ms = r
        .started_at
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    call_log::NewCallLog {
        at_ms,
        endpoint: r.endpoint.clone(),
        method: r.method.to_string(),
        account: r.account.clone(),
        attempt: i64::from(r.attempt),
        duration_ms: i64::try_from(r.duration.as_millis()).unwrap_or(i64::MAX),
        http_status: r.http_status.map(i64::from),
        errcode: r.errcode,
        errmsg: r.errmsg.clone(),
        error_kind: error_kind(r),
        request: r.request.to_string(),
        response: r.response.clone(),
    }
}

impl CallObserver for CallRecorder {
    fn record(&self, record: CallRecord) {
        // The call already happened; losing its log row must not turn it
        // into a failure, but it must not vanish silently either.
        if let Err(e) = self.write(&record) {
            tracing::warn!(
                endpoint = %record.endpoint,
                error = %e,
                "the call log could not record a call"
            );
        }
    }
}
