//! Tickets and pushes of a third-party platform.
//!
//! Everything a platform can do starts with the `component_verify_ticket`
//! WeChat pushes every ten minutes; without a fresh one no
//! component_access_token can be minted. The same push URL also announces
//! authorizations, revocations and fast-registration results. This module
//! takes a raw push exactly as WeChat sent it (query string and XML body),
//! verifies its signature and decrypts it with the platform's stored message
//! token and EncodingAESKey, and applies what it says to the store: a ticket
//! is recorded, an authorization is exchanged and stored, a revocation is
//! marked, a registration task is updated. A push that fails verification
//! changes nothing. It also records tickets pasted by hand, asks WeChat to
//! restart the pushes, and reports how fresh the newest ticket is.

use serde::{Deserialize, Serialize};
use wxdesk_wechat::crypto::push::{PushCrypto, PushQuery};
use wxdesk_wechat::push_message::{parse_message, PushEvent};
use wxdesk_wechat::redact::mask;

use crate::error::{Error, Result};
use crate::services::authorizers::{require_component, AuthorizerView};
use crate::services::fastregister::TaskView;
use crate::store::{authorizers, components, tickets, token_rows as token_store};
use crate::token_types::{authorizer_owner, TokenKind};
use crate::Desk;

/// Tickets kept per platform (a day's worth at one push per ten minutes).
const TICKET_HISTORY: i64 = 200;

/// Where a ticket came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum TicketSource {
    /// Pasted or typed by the operator.
    Manual,
    /// Taken from a verified push.
    Push,
}

impl TicketSource {
    /// Column text.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketSource::Manual => "manual",
            TicketSource::Push => "push",
        }
    }
}

/// How fresh the newest ticket of a platform is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct TicketStatusView {
    /// The platform.
    pub component_appid: String,
    /// When the newest current ticket arrived (Unix seconds); `None` when none ever did.
    pub received_at: Option<i64>,
    /// Its age in seconds.
    pub age_secs: Option<i64>,
    /// When WeChat stops accepting it (issued + 12 h).
    pub expires_at: Option<i64>,
    /// `manual` or `push`.
    pub source: Option<String>,
    /// Whether it can still mint a component_access_token.
    pub valid: bool,
    /// Tickets received (history kept, current or not).
    pub count: i64,
    /// The ticket, masked.
    pub ticket_masked: Option<String>,
    /// When WeChat issued the current ticket (the push's `CreateTime`; for a pasted ticket, when it arrived).
    #[serde(default)]
    pub create_time: Option<i64>,
    /// The most recently received ticket when it did not become current (why not).
    #[serde(default)]
    pub last_rejected: Option<RejectedTicketView>,
}

/// A received ticket that was recorded but did not become current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RejectedTicketView {
    /// When it arrived (Unix seconds).
    pub received_at: i64,
    /// Its `CreateTime`.
    pub create_time: i64,
    /// Why it is not current.
    pub reason: String,
}

/// A ticket push whose `CreateTime` is further ahead of this computer's clock
/// than this is not trusted to be current.
pub const MAX_TICKET_FUTURE_SECS: i64 = 300;

/// Why a ticket WeChat issued at `create_time` must not become current, given
/// the issue time of the current ticket and the time now; `None` when it may.
/// Saturating arithmetic: any `i64` (negative, `i64::MAX`) is judged, never overflows.
pub fn ticket_rejection(create_time: i64, current: Option<i64>, now: i64) -> Option<String> {
    if create_time > now.saturating_add(MAX_TICKET_FUTURE_SECS) {
        return Some(format!(
            "its CreateTime {create_time} is {} s ahead of this computer's clock (more than {MAX_TICKET_FUTURE_SECS} s in the future); \
             check the clock, or that the push is genuine",
            create_time.saturating_sub(now)
        ));
    }
    let age = now.saturating_sub(create_time);
    if age >= tickets::TICKET_TTL_SECS {
        return Some(format!(
            "its CreateTime {create_time} is {} h old; tickets last 12 h, so it can no longer mint a token (a replayed or long-delayed push)",
            age / 3600
        ));
    }
    match current {
        Some(cur) if create_time < cur => Some(format!(
            "it is older than the current ticket (CreateTime {create_time} < {cur}); the newer ticket stays current"
        )),
        _ => None,
    }
}

/// What `api_start_push_ticket` answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct StartPushView {
    /// The platform.
    pub component_appid: String,
    /// WeChat's errmsg: `ok` (pushes restarted) or `in a normal state` (they were running).
    pub message: String,
}

/// What applying a push did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PushAction {
    /// A component_verify_ticket was stored and is now current.
    TicketStored {
        /// The new ticket status.
        ticket: TicketStatusView,
        /// What went wrong beside storing it (e.g. the team store could not be written).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        warnings: Vec<String>,
    },
    /// A component_verify_ticket was recorded but did not become current
    /// (older than the current one, more than 12 h old, or from the future).
    TicketNotCurrent {
        /// Why it is not current.
        reason: String,
        /// The ticket status (the current ticket is unchanged).
        ticket: TicketStatusView,
    },
    /// An authorization (new or changed) was exchanged and stored.
    Authorized {
        /// The stored authorizer.
        authorizer: Box<AuthorizerView>,
    },
    /// An authorizer cancelled; it is marked revoked.
    Unauthorized {
        /// The authorizer.
        authorizer_appid: String,
        /// False when it was unknown or already revoked.
        changed: bool,
    },
    /// A fast-registration task was updated.
    FastRegister {
        /// The task as now stored.
        task: Box<TaskView>,
        /// The new mini program, when the push carried an authorization code.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        authorizer: Option<Box<AuthorizerView>>,
    },
    /// The push was verified but carries nothing the desk acts on.
    Ignored {
        /// Why.
        reason: String,
    },
}

/// One verified, decrypted and applied push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct PushApplied {
    /// The platform.
    pub component_appid: String,
    /// The push's `InfoType`.
    pub info_type: Option<String>,
    /// The push's `CreateTime`.
    pub create_time: Option<i64>,
    /// Repairs made to a pasted body (empty for a real push).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repairs: Vec<String>,
    /// What was done.
    #[serde(flatten)]
    pub action: PushAction,
}

fn check_ticket(ticket: &str) -> Result<&str> {
    let t = ticket.trim();
    if t.is_empty() {
        return Err(Error::invalid(
            "ticket",
            "is empty; paste the ComponentVerifyTicket value of the newest push, or paste the whole push with `wxdesk component ticket push`",
        ));
    }
    if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "ticket",
            "contains spaces or line breaks; paste only the ComponentVerifyTicket value",
        ));
    }
    Ok(t)
}

/// The status of the newest ticket (the caller has checked the component).
pub(crate) fn ticket_status_in(
    desk: &Desk,
    conn: &rusqlite::Connection,
    component: &str,
    now: i64,
) -> Result<TicketStatusView> {
    let latest = tickets::latest(conn, component)?;
    let count = tickets::count(conn, component)?;
    let last_rejected = tickets::last_received(conn, component)?
        .filter(|t| !t.current)
        .map(|t| RejectedTicketView {
            received_at: t.received_at,
            create_time: t.create_time,
            reason: t.rejected.unwrap_or_default(),
        });
    Ok(match latest {
        None => TicketStatusView {
            component_appid: component.to_string(),
            received_at: None,
            age_secs: None,
            expires_at: None,
            source: None,
            valid: false,
            count,
            ticket_masked: None,
            create_time: None,
            last_rejected,
        },
        Some(t) => {
            let expires_at = t.expires_at();
            let masked = match desk.open_secret(tickets::TICKET, &t.ticket) {
                Ok(s) => Some(mask(&s)),
                Err(e) => {
                    tracing::warn!(component, code = %e.code(), error = %e, "the stored ticket cannot be opened");
                    None
                }
            };
            TicketStatusView {
                component_appid: component.to_string(),
                received_at: Some(t.received_at),
                age_secs: Some(now.saturating_sub(t.received_at).max(0)),
                expires_at: Some(expires_at),
                source: Some(t.source),
                valid: now < expires_at,
                count,
                ticket_masked: masked,
                create_time: Some(t.create_time),
                last_rejected,
            }
        }
    })
}

impl Desk {
    /// Records a component_verify_ticket (pasted by hand, or from a push).
    pub fn ticket_set(
        &self,
        component: &str,
        ticket: &str,
        source: TicketSource,
    ) -> Result<TicketStatusView> {
        self.record_ticket(component, ticket, source, None)
            .map(|(status, _)| status)
    }

    /// Records a ticket issued at `create_time` (a push's `CreateTime`;
    /// `None` for a pasted ticket, taken as issued now). It becomes current
    /// unless [`ticket_rejection`] says why not; then it is kept as history
    /// only, and the reason is returned with the status.
    pub(crate) fn record_ticket(
        &self,
        component: &str,
        ticket: &str,
        source: TicketSource,
        create_time: Option<i64>,
    ) -> Result<(TicketStatusView, Option<String>)> {
        let ticket = check_ticket(ticket)?;
        let sealed = self.vault().seal(tickets::TICKET, ticket)?;
        self.store().write(|tx| {
            require_component(tx, component)?;
            let at = self.now();
            let issued = create_time.unwrap_or(at);
            let current = tickets::latest(tx, component)?.map(|t| t.create_time);
            let rejected = create_time.and_then(|ct| ticket_rejection(ct, current, at));
            tickets::insert_judged(
                tx,
                component,
                &sealed,
                source.as_str(),
                issued,
                at,
                rejected.as_deref(),
            )?;
            tickets::prune(tx, component, TICKET_HISTORY)?;
            Ok((ticket_status_in(self, tx, component, at)?, rejected))
        })
    }

    /// How fresh the newest ticket is.
    pub fn ticket_status(&self, component: &str) -> Result<TicketStatusView> {
        self.store().read(|c| {
            require_component(c, component)?;
            ticket_status_in(self, c, component, self.now())
        })
    }

    /// Asks WeChat to (re)start pushing tickets (`api_start_push_ticket`).
    pub async fn ticket_start_push(&self, component: &str) -> Result<StartPushView> {
        let row = self.store().read(|c| require_component(c, component))?;
        let secret = self.require_secret(
            components::SECRET,
            row.secret.as_ref(),
            "component_secret",
            &format!("set it with `wxdesk component update {component} --secret`"),
        )?;
        let message = self.client().start_push_ticket(component, &secret).await?;
        Ok(StartPushView {
            component_appid: component.to_string(),
            message,
        })
    }

    /// Verifies, decrypts and applies one raw push to the platform's
    /// authorization-event URL: `query` is the URL's query string (or the
    /// whole URL), `body` the XML WeChat POSTed. Nothing is written unless the
    /// signature verifies and the message decrypts for this platform, except
    /// the push itself, which is recorded in the inbox (as pasted) either way.
    pub async fn ticket_push(
        &self,
        component: &str,
        query: &str,
        body: &str,
    ) -> Result<PushApplied> {
        self.store().read(|c| require_component(c, component))?;
        let id = self.inbox_record_paste(component, query, body)?;
        self.inbox_apply_entry(id).await
    }

    /// Verifies and decrypts a raw push with the platform's message token and
    /// EncodingAESKey; returns the message and the repairs made to a pasted body.
    pub(crate) fn open_push(
        &self,
        component: &str,
        query: &str,
        body: &str,
    ) -> Result<(wxdesk_wechat::push_message::PushMessage, Vec<String>)> {
        let row = self.store().read(|c| require_component(c, component))?;
        let fix = format!("set it with `wxdesk component update {component}` (message token and EncodingAESKey from the platform's development settings)");
        let token = self.require_secret(components::TOKEN, row.token.as_ref(), "token", &fix)?;
        let aes_key = self.require_secret(
            components::AES_KEY,
            row.aes_key.as_ref(),
            "encoding_aes_key",
            &fix,
        )?;
        let crypto =
            PushCrypto::new(&token, &aes_key, component).map_err(wxdesk_wechat::Error::from)?;
        let q = if query.trim().is_empty() {
            PushQuery::default()
        } else {
            PushQuery::parse(query)?
        };
        let opened = crypto.open(&q, body).map_err(wxdesk_wechat::Error::from)?;
        let msg = parse_message(&opened.message).map_err(wxdesk_wechat::Error::from)?;
        Ok((msg, opened.repairs.iter().map(|r| r.to_string()).collect()))
    }

    /// Applies a verified, decrypted authorization-event message.
    pub(crate) async fn apply_message(
        &self,
        component: &str,
        msg: wxdesk_wechat::push_message::PushMessage,
        repairs: Vec<String>,
    ) -> Result<PushApplied> {
        if let Some(app) = msg.app_id.as_deref() {
            if app != component {
                return Err(Error::invalid(
                    "body",
                    format!("the push is addressed to platform {app}, not {component}; apply it to {app}"),
                ));
            }
        }
        let action = match msg.event {
            PushEvent::ComponentVerifyTicket { ticket } => {
                // A push without CreateTime is judged as issued now.
                let issued = msg.create_time.or(Some(self.now()));
                match self.record_ticket(component, &ticket, TicketSource::Push, issued)? {
                    (status, None) => {
                        // A read-write team binding: the production server reads it there.
                        let warnings = self
                            .team_publish_ticket(component, &ticket)
                            .await
                            .into_iter()
                            .collect();
                        PushAction::TicketStored {
                            ticket: status,
                            warnings,
                        }
                    }
                    (ticket, Some(reason)) => PushAction::TicketNotCurrent { reason, ticket },
                }
            }
            PushEvent::Authorized(n) | PushEvent::UpdateAuthorized(n) => {
                let mut authorizer = self
                    .authorize_code_once(component, &n.authorization_code)
                    .await?;
                if authorizer.appid != n.authorizer_appid {
                    authorizer.warnings.push(format!(
                        "the push announced {} but its authorization code belongs to {}; the latter was stored",
                        n.authorizer_appid, authorizer.appid
                    ));
                }
                PushAction::Authorized {
                    authorizer: Box::new(authorizer),
                }
            }
            PushEvent::Unauthorized { authorizer_appid } => {
                let changed = self.store().write(|tx| {
                    // Its tokens died with the authorization: drop the cached one too.
                    token_store::delete(
                        tx,
                        self.scope(),
                        TokenKind::Authorizer,
                        &authorizer_owner(component, &authorizer_appid),
                    )?;
                    authorizers::mark_revoked(tx, component, &authorizer_appid, self.now())
                })?;
                PushAction::Unauthorized {
                    authorizer_appid,
                    changed,
                }
            }
            PushEvent::FastRegister(n) => {
                let (task, authorizer) = self.fastregister_apply_push(component, &n).await?;
                PushAction::FastRegister {
                    task: Box::new(task),
                    authorizer: authorizer.map(Box::new),
                }
            }
            PushEvent::FastRegisterBeta(n) => {
                let task = self.fastregister_apply_beta_push(component, &n)?;
                PushAction::FastRegister {
                    task: Box::new(task),
                    authorizer: None,
                }
            }
            PushEvent::Other => PushAction::Ignored {
                reason: match &msg.info_type {
                    Some(t) => format!("InfoType {t} is not one the desk acts on"),
                    None => "the message has no InfoType (not an authorization event)".to_string(),
                },
            },
        };
        Ok(PushApplied {
            component_appid: component.to_string(),
            info_type: msg.info_type,
            create_time: msg.create_time,
            repairs,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_judgement_saturates_and_names_the_reason() {
        let now = 1_700_000_000;
        assert_eq!(ticket_rejection(now, None, now), None);
        assert_eq!(ticket_rejection(now + 300, None, now), None);
        assert_eq!(
            ticket_rejection(now - 11 * 3600, Some(now - 12 * 3600 + 1), now),
            None
        );
        assert_eq!(
            ticket_rejection(now, Some(now), now),
            None,
            "same CreateTime is not older"
        );
        assert!(ticket_rejection(now + 301, None, now)
            .unwrap()
            .contains("future"));
        assert!(ticket_rejection(now - 12 * 3600, None, now)
            .unwrap()
            .contains("12 h old"));
        assert!(ticket_rejection(now - 1, Some(now), now)
            .unwrap()
            .contains("older"));
        for ct in [i64::MIN, -1, 0, i64::MAX] {
            for n in [i64::MIN, 0, now, i64::MAX] {
                let _ = ticket_rejection(ct, Some(ct), n);
                let _ = ticket_rejection(ct, None, n);
            }
        }
        assert!(ticket_rejection(i64::MAX, None, now)
            .unwrap()
            .contains("future"));
        assert!(ticket_rejection(i64::MIN, None, now)
            .unwrap()
            .contains("h old"));
    }
}
