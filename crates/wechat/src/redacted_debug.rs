//! `Debug` for the protocol types that carry secrets.
//!
//! `{:?}` ends up in panics, logs and test output, where nobody thinks of
//! redaction. So every type of this crate that holds a token, a single-use
//! code, a ticket or a request carrying a secret prints `<redacted>` (or its
//! redacted form) for those fields instead of deriving `Debug`. They live
//! together here so an audit reads one file.

use std::fmt;

use crate::api::component::AuthorizationSummary;
use crate::client::Call;
use crate::crypto::push::OpenedPush;
use crate::push_message::{AuthorizationNotice, FastRegisterNotice, PushEvent, PushMessage};
use crate::redact::{is_secret_field, redact_json, redact_text};

/// Prints `<redacted>`.
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// `Some(<redacted>)` or `None`, so the presence of a secret stays visible.
pub fn redacted_opt<T>(v: &Option<T>) -> Option<Redacted> {
    v.as_ref().map(|_| Redacted)
}

impl fmt::Debug for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| {
                let v = if is_secret_field(k) {
                    "<redacted>"
                } else {
                    v.as_str()
                };
                (*k, v)
            })
            .collect();
        f.debug_struct("Call")
            .field("endpoint", &self.endpoint)
            .field("method", &self.method)
            .field("query", &query)
            .field("body", &self.body.as_ref().map(redact_json))
            .field("replay", &self.replay)
            .field("account", &self.account)
            .finish()
    }
}

impl fmt::Debug for AuthorizationSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationSummary")
            .field("authorizer_appid", &self.authorizer_appid)
            .field("func_info", &self.func_info)
            .field(
                "authorizer_refresh_token",
                &redacted_opt(&self.authorizer_refresh_token),
            )
            .finish()
    }
}

impl fmt::Debug for AuthorizationNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationNotice")
            .field("authorizer_appid", &self.authorizer_appid)
            .field("authorization_code", &Redacted)
            .field(
                "authorization_code_expired_time",
                &self.authorization_code_expired_time,
            )
            .field("pre_auth_code", &redacted_opt(&self.pre_auth_code))
            .finish()
    }
}

impl fmt::Debug for FastRegisterNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FastRegisterNotice")
            .field("appid", &self.appid)
            .field("status", &self.status)
            .field("auth_code", &redacted_opt(&self.auth_code))
            .field("msg", &self.msg)
            .field(
                "info",
                &redact_json(&serde_json::Value::Object(self.info.clone())),
            )
            .finish()
    }
}

impl fmt::Debug for PushEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PushEvent::ComponentVerifyTicket { .. } => f
                .debug_struct("ComponentVerifyTicket")
                .field("ticket", &Redacted)
                .finish(),
            PushEvent::Authorized(n) => f.debug_tuple("Authorized").field(n).finish(),
            PushEvent::UpdateAuthorized(n) => f.debug_tuple("UpdateAuthorized").field(n).finish(),
            PushEvent::Unauthorized { authorizer_appid } => f
                .debug_struct("Unauthorized")
                .field("authorizer_appid", authorizer_appid)
                .finish(),
            PushEvent::FastRegister(n) => f.debug_tuple("FastRegister").field(n).finish(),
            PushEvent::FastRegisterBeta(n) => f.debug_tuple("FastRegisterBeta").field(n).finish(),
            PushEvent::Other => f.write_str("Other"),
        }
    }
}

impl fmt::Debug for PushMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PushMessage")
            .field("app_id", &self.app_id)
            .field("create_time", &self.create_time)
            .field("info_type", &self.info_type)
            .field(
                "fields",
                &redact_json(&serde_json::Value::Object(self.fields.clone())),
            )
            .field("event", &self.event)
            .finish()
    }
}

impl fmt::Debug for OpenedPush {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenedPush")
            .field("message", &redact_text(&self.message))
            .field("envelope_appid", &self.envelope_appid)
            .field("repairs", &self.repairs)
            .finish()
    }
}
