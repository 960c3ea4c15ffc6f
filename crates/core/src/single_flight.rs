//! In-process single flight: one token fetch at a time per token.
//!
//! Every caller that needs a token takes that token's [`Flight`] lock; a
//! caller that queued behind an attempt sees the attempt counter move and
//! reuses its outcome (the token now cached, or a copy of its error made by
//! [`replicate`]) instead of repeating the call. The cross-process half (the
//! lease row) is in `services::token_obtain`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// How the last attempt of a flight ended, as remembered for the callers that
/// queued behind it.
#[derive(Debug, Default)]
pub struct FlightState {
    /// Whether the last attempt was a force refresh.
    pub(crate) forced: bool,
    /// The last attempt's failure, in a form every waiter can be given.
    pub(crate) failure: Option<Error>,
}

/// One token's in-process flight: a lock taken around every fetch, and a
/// counter of finished attempts so a caller that queued behind an attempt can
/// tell that one happened (and reuse its outcome instead of repeating it).
#[derive(Debug, Default)]
pub struct Flight {
    lock: tokio::sync::Mutex<FlightState>,
    finished: AtomicU64,
}

impl Flight {
    /// Number of attempts finished so far.
    pub(crate) fn finished(&self) -> u64 {
        self.finished.load(Ordering::SeqCst)
    }

    /// Waits for the flight's lock.
    pub(crate) async fn lock(&self) -> tokio::sync::MutexGuard<'_, FlightState> {
        self.lock.lock().await
    }

    /// Records the outcome of an attempt made while holding `guard`.
    pub(crate) fn finish<T>(&self, guard: &mut FlightState, forced: bool, outcome: &Result<T>) {
        guard.forced = forced;
        guard.failure = outcome.as_ref().err().and_then(replicate);
        self.finished.fetch_add(1, Ordering::SeqCst);
    }
}

/// Per-token in-process locks: one refresh at a time per token.
#[derive(Default)]
pub struct SingleFlight {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    flights: Mutex<HashMap<String, Arc<Flight>>>,
}

impl std::fmt::Debug for SingleFlight {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SingleFlight").finish_non_exhaustive()
    }
}

impl SingleFlight {
    /// A plain lock for `key` (for services that only need mutual exclusion).
    pub fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().clone()
    }

    /// The token flight of `key`.
    pub fn flight(&self, key: &str) -> Arc<Flight> {
        let mut map = self.flights.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(key.to_string()).or_default().clone()
    }
}

/// A copy of `e` for callers that waited on the attempt that produced it, or
/// `None` when the error cannot be copied faithfully (those callers then try
/// for themselves).
pub(crate) fn replicate(e: &Error) -> Option<Error> {
    Some(match e {
        Error::Wechat(w) => Error::Wechat(replicate_wechat(w)),
        Error::NotFound { what, id } => Error::NotFound {
            what,
            id: id.clone(),
        },
        Error::TicketUnavailable { component, reason } => Error::TicketUnavailable {
            component: component.clone(),
            reason: reason.clone(),
        },
        Error::ForceRefused(m) => Error::ForceRefused(m.clone()),
        Error::Revoked(a) => Error::Revoked(a.clone()),
        Error::Invalid { field, reason } => Error::Invalid {
            field: field.clone(),
            reason: reason.clone(),
        },
        _ => return None,
    })
}

fn replicate_wechat(e: &wxdesk_wechat::Error) -> wxdesk_wechat::Error {
    use wxdesk_wechat::Error as W;
    match e {
        W::Api {
            errcode,
            errmsg,
            rid,
        } => W::Api {
            errcode: *errcode,
            errmsg: errmsg.clone(),
            rid: rid.clone(),
        },
        W::Connect { endpoint, reason } => W::Connect {
            endpoint: endpoint.clone(),
            reason: reason.clone(),
        },
        W::Timeout {
            endpoint,
            timeout_ms,
        } => W::Timeout {
            endpoint: endpoint.clone(),
            timeout_ms: *timeout_ms,
        },
        W::Transport { endpoint, reason } => W::Transport {
            endpoint: endpoint.clone(),
            reason: reason.clone(),
        },
        W::Http {
            endpoint,
            status,
            body,
        } => W::Http {
            endpoint: endpoint.clone(),
            status: *status,
            body: body.clone(),
        },
        W::Decode {
            endpoint,
            reason,
            body,
        } => W::Decode {
            endpoint: endpoint.clone(),
            reason: reason.clone(),
            body: body.clone(),
        },
        W::InvalidInput { field, reason } => W::InvalidInput {
            field: field.clone(),
            reason: reason.clone(),
        },
        W::Crypto(c) => W::Crypto(c.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicated_api_errors_keep_their_code() {
        let e = Error::Wechat(wxdesk_wechat::Error::Api {
            errcode: 45009,
            errmsg: "reach max api daily quota limit".into(),
            rid: Some("r".into()),
        });
        let r = replicate(&e).unwrap();
        assert_eq!(r.errcode(), Some(45009));
        assert_eq!(r.to_string(), e.to_string());
        assert!(replicate(&Error::Cancelled).is_none());
    }
}
