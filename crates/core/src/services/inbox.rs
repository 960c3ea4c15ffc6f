//! The push inbox: every push wxdesk sees, kept before it is acted on.
//!
//! WeChat pushes tickets, authorizations, registration results and message
//! events to URLs it is configured with; `wxdesk receive` takes them, and an
//! operator can paste one by hand. Either way the raw push (query string and
//! encrypted body, which hold no plaintext secret) is written here first, so a
//! crash or a failed exchange never loses it and it can be applied again. The
//! decoded fields are kept with every secret (ticket, authorization code)
//! masked. A push received twice (WeChat retries three times) is stored and
//! applied once: its dedupe key is the hash of where it came and its body.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wxdesk_wechat::crypto::push::PushQuery;
use wxdesk_wechat::push_message::{PushEvent, PushMessage};
use wxdesk_wechat::redact::{redact_json, redact_query, redact_xml};

use crate::error::{Error, Result};
use crate::services::authorizers::require_component;
use crate::services::components_push::{PushAction, PushApplied};
use crate::store::pushes::{self, Filter, PushRow};
use crate::Desk;

/// A received push whose `timestamp` is further than this from this
/// computer's clock is refused (a replay, or a clock that is wrong).
pub const PUSH_MAX_SKEW_SECS: i64 = 300;

/// Default and largest number of entries [`Desk::inbox_list`] returns.
pub const INBOX_DEFAULT_LIMIT: i64 = 100;
/// See [`INBOX_DEFAULT_LIMIT`].
pub const INBOX_MAX_LIMIT: i64 = 1000;

/// Which of a platform's two push URLs a push came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// 授权事件接收URL: tickets, authorizations, registration results.
    Component,
    /// 消息与事件接收URL: an authorizer's messages and events (audit results…).
    Message,
}

impl UrlKind {
    /// Column text.
    pub fn as_str(self) -> &'static str {
        match self {
            UrlKind::Component => "component",
            UrlKind::Message => "message",
        }
    }
}

/// One inbox entry as shown to the operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct InboxEntryView {
    /// Entry id (for `inbox apply`).
    pub id: i64,
    /// When it arrived (Unix seconds).
    pub received_at: i64,
    /// `receive` (the receiver) or `paste` (pasted, or from the sandbox).
    pub source: String,
    /// `component` (授权事件接收URL) or `message` (消息与事件接收URL).
    pub url_kind: String,
    /// The platform.
    pub component_appid: String,
    /// The authorizer it concerns, when known.
    pub authorizer_appid: Option<String>,
    /// `InfoType`, or the `Event` (else `MsgType`) of a message.
    pub info_type: Option<String>,
    /// The query string, signatures masked.
    pub query: String,
    /// Size of the raw (encrypted) body.
    pub body_bytes: i64,
    /// The decrypted fields, secrets masked; `None` when it did not decrypt.
    pub decoded: Option<Value>,
    /// `received` (stored, not applied yet), `applied`, `stored` (a message kept for later work),
    /// `ignored`, `not_current` (an old ticket), `failed`, `bad_signature`, `stale`.
    pub outcome: String,
    /// Why it failed.
    pub error: Option<String>,
    /// When it was last applied.
    pub applied_at: Option<i64>,
    /// Forwarding result, when the platform has a forward URL.
    pub forwarded: Option<String>,
}

impl From<PushRow> for InboxEntryView {
    fn from(r: PushRow) -> Self {
        InboxEntryView {
            id: r.id,
            received_at: r.received_at,
            source: r.source,
            url_kind: r.url_kind,
            component_appid: r.component_appid,
            authorizer_appid: r.authorizer_appid,
            info_type: r.info_type,
            query: redact_query(&r.query),
            body_bytes: i64::try_from(r.body.len()).unwrap_or(i64::MAX),
            decoded: r.decoded.and_then(|d| serde_json::from_str(&d).ok()),
            outcome: r.outcome,
            error: r.error,
            applied_at: r.applied_at,
            forwarded: r.forwarded,
        }
    }
}

/// Filters of [`Desk::inbox_list`].
#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    /// Only this platform.
    pub component_appid: Option<String>,
    /// Only this authorizer.
    pub authorizer_appid: Option<String>,
    /// Only this InfoType / Event.
    pub info_type: Option<String>,
    /// Only pushes that failed, were refused or did not verify.
    pub errors_only: bool,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<i64>,
}

/// What [`Desk::push_receive`] did with a push.
#[derive(Debug)]
pub enum Received {
    /// Verified and stored; apply it next ([`Desk::inbox_apply`]).
    Stored {
        /// The new entry.
        id: i64,
    },
    /// The same push was stored before (a retry): nothing to do.
    Duplicate {
        /// The earlier entry.
        id: i64,
    },
    /// It did not verify (or is stale): recorded, nothing else.
    Rejected {
        /// The entry recording it.
        id: i64,
        /// Why.
        error: Error,
    },
}

/// Outcome text of an applied authorization-event push.
fn outcome_of(action: &PushAction) -> &'static str {
    match action {
        PushAction::TicketNotCurrent { .. } => "not_current",
        PushAction::Ignored { .. } => "ignored",
        _ => "applied",
    }
}

/// The authorizer a decrypted message concerns, and its type.
fn describe(msg: &PushMessage) -> (Option<String>, Option<String>) {
    let leaf = |k: &str| match msg.fields.get(k) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let authorizer = match &msg.event {
        PushEvent::Authorized(n) | PushEvent::UpdateAuthorized(n) => {
            Some(n.authorizer_appid.clone())
        }
        PushEvent::Unauthorized { authorizer_appid } => Some(authorizer_appid.clone()),
        PushEvent::FastRegister(n) => n.appid.clone(),
        PushEvent::FastRegisterBeta(n) => n.appid.clone(),
        _ => leaf("AuthorizerAppid"),
    };
    let kind = msg
        .info_type
        .clone()
        .or_else(|| leaf("Event"))
        .or_else(|| leaf("MsgType"));
    (authorizer, kind)
}

/// The body to keep of a push that did not open: as received when it is an
/// encrypted envelope (ciphertext, so it can be applied again once the right
/// keys are stored), else masked — a plaintext-mode push or a pasted
/// decrypted message carries the ticket or an authorization code in clear.
fn body_to_keep(body: &str) -> String {
    if body.contains("<Encrypt>") && !body.contains("<InfoType>") && !body.contains("<Event>") {
        body.to_string()
    } else {
        redact_xml(body)
    }
}

fn dedupe_key(kind: UrlKind, component: &str, authorizer: Option<&str>, body: &str) -> String {
    let mut h = Sha256::new();
    for part in [kind.as_str(), component, authorizer.unwrap_or(""), body] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex::encode(h.finalize())
}

/// Authorization codes exchanged by this process, by database and code hash:
/// the launch page's redirect and the `authorized` push carry the same
/// single-use code, and whichever comes second must find the merchant stored
/// instead of failing. Entries live as long as a code does.
type CodeSlot = std::sync::Arc<tokio::sync::Mutex<Option<(String, i64)>>>;
static EXCHANGED: std::sync::OnceLock<
    std::sync::Mutex<std::collections::HashMap<String, CodeSlot>>,
> = std::sync::OnceLock::new();

/// How long an authorization code is accepted by WeChat.
const AUTH_CODE_TTL_SECS: i64 = 600;

impl Desk {
    /// Exchanges an authorization code and stores the merchant, once: a
    /// second call with the same code (the push after the redirect, or the
    /// other way round) returns the merchant already stored without asking
    /// WeChat again.
    pub async fn authorize_code_once(
        &self,
        component: &str,
        auth_code: &str,
    ) -> Result<crate::services::authorizers::AuthorizerView> {
        let key = {
            let mut h = Sha256::new();
            h.update(self.store().path().to_string_lossy().as_bytes());
            h.update([0u8]);
            h.update(component.as_bytes());
            h.update([0u8]);
            h.update(auth_code.trim().as_bytes());
            hex::encode(h.finalize())
        };
        let now = self.now();
        let slot = {
            let mut map = EXCHANGED
                .get_or_init(Default::default)
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            map.retain(|_, v| {
                v.try_lock()
                    .map(|g| {
                        g.as_ref()
                            .is_none_or(|(_, at)| now.saturating_sub(*at) < AUTH_CODE_TTL_SECS)
                    })
                    .unwrap_or(true)
            });
            map.entry(key).or_default().clone()
        };
        let mut done = slot.lock().await;
        if let Some((appid, _)) = done.as_ref() {
            return self.authorizer_show(appid, Some(component));
        }
        let view = self.authorize_code(component, auth_code).await?;
        *done = Some((view.appid.clone(), now));
        Ok(view)
    }

    /// Stores one push that arrived at a push URL, after checking its
    /// timestamp and signature. A push that does not verify is recorded as
    /// `bad_signature` (or `stale`) and nothing else happens; a retry of a
    /// stored push is a [`Received::Duplicate`]. An unknown platform is an
    /// error and nothing is stored.
    pub fn push_receive(
        &self,
        kind: UrlKind,
        component: &str,
        authorizer: Option<&str>,
        query: &str,
        body: &str,
    ) -> Result<Received> {
        self.store().read(|c| require_component(c, component))?;
        let now = self.now();
        let key = dedupe_key(kind, component, authorizer, body);
        let mut row = PushRow {
            id: 0,
            received_at: now,
            source: "receive".into(),
            url_kind: kind.as_str().into(),
            component_appid: component.into(),
            authorizer_appid: authorizer.map(str::to_string),
            info_type: None,
            query: query.into(),
            body: body.into(),
            decoded: None,
            outcome: "received".into(),
            error: None,
            dedupe_key: key.clone(),
            applied_at: None,
            forwarded: None,
        };
        let checked = check_timestamp(query, now).and_then(|()| {
            self.open_push(component, query, body)
                .map_err(|e| ("bad_signature", e))
        });
        match checked {
            Err((outcome, error)) => {
                row.outcome = outcome.into();
                row.error = Some(error.to_string());
                row.body = body_to_keep(body);
                // Refused pushes never count as the push they imitate.
                row.dedupe_key = format!("{outcome}:{key}:{:016x}", rand::random::<u64>());
                let id = self.store().write(|tx| pushes::insert(tx, &row))?;
                Ok(Received::Rejected {
                    id: id.unwrap_or_else(|e| e),
                    error,
                })
            }
            Ok((msg, _)) => {
                let (about, info_type) = describe(&msg);
                if row.authorizer_appid.is_none() {
                    row.authorizer_appid = about;
                }
                row.info_type = info_type;
                row.decoded = Some(redact_json(&Value::Object(msg.fields)).to_string());
                match self.store().write(|tx| pushes::insert(tx, &row))? {
                    Ok(id) => Ok(Received::Stored { id }),
                    Err(id) => Ok(Received::Duplicate { id }),
                }
            }
        }
    }

    /// Records a pasted push (verified or not) in the inbox; returns its id.
    pub(crate) fn inbox_record_paste(
        &self,
        component: &str,
        query: &str,
        body: &str,
    ) -> Result<i64> {
        let opened = self.open_push(component, query, body);
        let (authorizer_appid, info_type, decoded, outcome, error) = match &opened {
            Ok((msg, _)) => {
                let (a, t) = describe(msg);
                let d = redact_json(&Value::Object(msg.fields.clone())).to_string();
                (a, t, Some(d), "received", None)
            }
            Err(e) => (None, None, None, "bad_signature", Some(e.to_string())),
        };
        let body = if opened.is_ok() {
            body.to_string()
        } else {
            body_to_keep(body)
        };
        let key = dedupe_key(UrlKind::Component, component, None, &body);
        let row = PushRow {
            id: 0,
            received_at: self.now(),
            source: "paste".into(),
            url_kind: UrlKind::Component.as_str().into(),
            component_appid: component.into(),
            authorizer_appid,
            info_type,
            query: query.into(),
            body,
            decoded,
            outcome: outcome.into(),
            error,
            dedupe_key: key,
            applied_at: None,
            forwarded: None,
        };
        let id = self.store().write(|tx| pushes::insert(tx, &row))?;
        Ok(id.unwrap_or_else(|e| e))
    }

    /// Applies a stored authorization-event push and records the outcome.
    pub(crate) async fn inbox_apply_entry(&self, id: i64) -> Result<PushApplied> {
        let row = self.inbox_row(id)?;
        let settle = |outcome: &str, error: Option<String>| {
            self.store()
                .write(|tx| pushes::set_outcome(tx, id, outcome, error.as_deref(), self.now()))
        };
        let (msg, repairs) = match self.open_push(&row.component_appid, &row.query, &row.body) {
            Ok(m) => m,
            Err(e) => {
                settle("bad_signature", Some(e.to_string()))?;
                return Err(e);
            }
        };
        match self.apply_message(&row.component_appid, msg, repairs).await {
            Ok(applied) => {
                let error = match &applied.action {
                    PushAction::TicketNotCurrent { reason, .. } => Some(reason.clone()),
                    _ => None,
                };
                settle(outcome_of(&applied.action), error)?;
                Ok(applied)
            }
            Err(e) => {
                settle("failed", Some(e.to_string()))?;
                Err(e)
            }
        }
    }

    fn inbox_row(&self, id: i64) -> Result<PushRow> {
        self.store()
            .read(|c| pushes::get(c, id))?
            .ok_or_else(|| Error::not_found("inbox entry", id.to_string()))
    }

    /// Applies a stored push (again): an authorization event is verified and
    /// applied; a message push is verified and kept (`stored`) for the work
    /// that reads it. Failing is recorded on the entry, which is returned.
    pub async fn inbox_apply(&self, id: i64) -> Result<InboxEntryView> {
        let row = self.inbox_row(id)?;
        if row.url_kind == UrlKind::Message.as_str() {
            let (outcome, error) = match self.open_push(&row.component_appid, &row.query, &row.body)
            {
                // An audit result (weapp_audit_*) updates the version state.
                Ok((msg, _)) => match (
                    row.authorizer_appid.as_deref(),
                    wxdesk_wechat::api::wxa_audit::AuditEvent::from_push(&msg),
                ) {
                    (Some(appid), Some(ev)) => {
                        match self.wxa_note_push(&row.component_appid, appid, &ev) {
                            Ok(_) => ("applied", None),
                            Err(e) => ("failed", Some(e.to_string())),
                        }
                    }
                    _ => ("stored", None),
                },
                Err(e) => ("bad_signature", Some(e.to_string())),
            };
            self.store()
                .write(|tx| pushes::set_outcome(tx, id, outcome, error.as_deref(), self.now()))?;
        } else {
            // The outcome (and any error) is recorded on the entry.
            let _ = self.inbox_apply_entry(id).await;
        }
        Ok(self.inbox_row(id)?.into())
    }

    /// One inbox entry.
    pub fn inbox_entry(&self, id: i64) -> Result<InboxEntryView> {
        Ok(self.inbox_row(id)?.into())
    }

    /// Inbox entries, newest first.
    pub fn inbox_list(&self, f: &InboxFilter) -> Result<Vec<InboxEntryView>> {
        let limit = f.limit.unwrap_or(INBOX_DEFAULT_LIMIT);
        if !(1..=INBOX_MAX_LIMIT).contains(&limit) {
            return Err(Error::invalid(
                "limit",
                format!("must be 1 to {INBOX_MAX_LIMIT}; got {limit}"),
            ));
        }
        let clean = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let filter = Filter {
            component_appid: clean(&f.component_appid),
            authorizer_appid: clean(&f.authorizer_appid),
            info_type: clean(&f.info_type),
            errors_only: f.errors_only,
            limit,
        };
        let rows = self.store().read(|c| pushes::list(c, &filter))?;
        Ok(rows.into_iter().map(InboxEntryView::from).collect())
    }

    /// Received pushes that were stored but never applied (the receiver
    /// stopped in between), oldest first, at most 1000.
    pub fn inbox_pending(&self) -> Result<Vec<i64>> {
        self.store().read(|c| pushes::pending(c, INBOX_MAX_LIMIT))
    }

    /// Records where a stored push was forwarded (`ok 200`, or why not).
    pub fn inbox_set_forwarded(&self, id: i64, result: &str) -> Result<()> {
        self.store()
            .write(|tx| pushes::set_forwarded(tx, id, result))
    }
}

/// Refuses a push whose `timestamp` is missing or more than
/// [`PUSH_MAX_SKEW_SECS`] from `now`.
fn check_timestamp(query: &str, now: i64) -> std::result::Result<(), (&'static str, Error)> {
    let q = PushQuery::parse(query).map_err(|e| ("bad_signature", Error::from(e)))?;
    let ts: i64 = q.timestamp.trim().parse().map_err(|_| {
        (
            "bad_signature",
            Error::invalid(
                "timestamp",
                "missing or not a number in the push's query string",
            ),
        )
    })?;
    if now.saturating_sub(ts).abs() > PUSH_MAX_SKEW_SECS {
        return Err((
            "stale",
            Error::invalid(
                "timestamp",
                format!(
                    "{ts} is {} s from this computer's clock (more than {PUSH_MAX_SKEW_SECS} s): a replayed push, or a wrong clock",
                    now.saturating_sub(ts)
                ),
            ),
        ));
    }
    Ok(())
}
