//! Reading the call log and setting its retention.
//!
//! The log is where an operator goes after something failed: which endpoint,
//! for which account, what WeChat answered — and, for non-zero errcodes, what
//! the code means and what to do, from the error catalogue, so the answer is
//! on the same screen as the failure. The retention itself is a setting
//! (`Desk::set_log_retention`); the recorder applies it lazily.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::catalogue;

use crate::call_recorder::prune_expired;
use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::call_log::{self, CallLogQuery, CallLogRow};
use crate::store::now_ms;

/// One call-log entry as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CallLogView {
    /// Row id (pass as `before_id` to page on).
    pub id: i64,
    /// When the attempt started (Unix ms).
    pub at_ms: i64,
    /// Endpoint path.
    pub endpoint: String,
    /// `GET` or `POST`.
    pub method: String,
    /// The appid the call acted for.
    pub account: Option<String>,
    /// Attempt number (1 = first).
    pub attempt: i64,
    /// Wall time in ms.
    pub duration_ms: i64,
    /// HTTP status.
    pub http_status: Option<i64>,
    /// WeChat errcode (0 = success).
    pub errcode: Option<i64>,
    /// WeChat errmsg.
    pub errmsg: Option<String>,
    /// Error kind when the attempt failed (`api`, `timeout`, `connect`, …).
    pub error_kind: Option<String>,
    /// True when the attempt failed.
    pub failed: bool,
    /// True when WeChat answered a waiting state (e.g. 89251, waiting for the
    /// legal person): a non-zero errcode that is not a failure.
    pub waiting: bool,
    /// The redacted request (`{"query": "...", "body": {...}}`).
    pub request: serde_json::Value,
    /// The redacted response text.
    pub response: Option<String>,
    /// The catalogue's explanation of a non-zero errcode.
    pub explanation: Option<catalogue::Explanation>,
    /// The rid of WeChat's error answer, for `rid_lookup`.
    pub rid: Option<String>,
}

impl From<CallLogRow> for CallLogView {
    fn from(row: CallLogRow) -> Self {
        let id = row.id;
        let r = row.call;
        let explanation = r
            .errcode
            .filter(|c| *c != 0)
            .map(|c| catalogue::explain(c, r.errmsg.as_deref()));
        let request =
            serde_json::from_str(&r.request).unwrap_or(serde_json::Value::String(r.request));
        let rid = r
            .errcode
            .filter(|c| *c != 0)
            .and(r.response.as_deref())
            .and_then(response_rid);
        CallLogView {
            id,
            at_ms: r.at_ms,
            endpoint: r.endpoint,
            method: r.method,
            account: r.account,
            attempt: r.attempt,
            duration_ms: r.duration_ms,
            http_status: r.http_status,
            errcode: r.errcode,
            errmsg: r.errmsg,
            failed: r.error_kind.is_some(),
            waiting: r.error_kind.is_none()
                && r.errcode
                    .is_some_and(|c| c != 0 && catalogue::is_waiting(c)),
            error_kind: r.error_kind,
            request,
            response: r.response,
            explanation,
            rid,
        }
    }
}

/// The rid at the end of the `errmsg` of a (redacted) error answer.
fn response_rid(response: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(response).ok()?;
    let errmsg = v.get("errmsg")?.as_str()?;
    wxdesk_wechat::error::split_rid(errmsg).1
}

impl Desk {
    /// One page of the call log, newest first (see [`CallLogQuery`]).
    pub fn call_log(&self, q: &CallLogQuery) -> Result<Vec<CallLogView>> {
        let rows = self.store().read(|c| call_log::query(c, q))?;
        Ok(rows.into_iter().map(CallLogView::from).collect())
    }

    /// One call-log entry.
    pub fn call_log_entry(&self, id: i64) -> Result<CallLogView> {
        self.store()
            .read(|c| call_log::get(c, id))?
            .map(CallLogView::from)
            .ok_or_else(|| Error::not_found("call-log entry", id.to_string()))
    }

    /// Failed calls since `since_ms` (for the dashboard badge).
    pub fn call_log_errors_since(&self, since_ms: i64) -> Result<i64> {
        self.store()
            .read(|c| call_log::count_errors_since(c, since_ms))
    }

    /// Applies the retention setting now: deletes one bounded batch of
    /// expired rows (the setting itself is `Desk::set_log_retention`). Returns
    /// how many rows were deleted.
    pub fn prune_call_log(&self) -> Result<usize> {
        self.store().write(|tx| prune_expired(tx, now_ms()))
    }
}
