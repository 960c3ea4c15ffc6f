//! rid lookup: what WeChat saw for a failed request.
//!
//! Every WeChat error ends in ` rid: …`, and the errcode catalogue tells
//! operators to look it up. `cgi-bin/openapi/rid/get` answers, for the
//! account that made the request, when it arrived, how long it took, and
//! the URL and bodies WeChat received and sent. Those hold whatever the
//! request carried (tokens in the URL, codes in the body), so the desk
//! redacts all three before returning them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::rid::validate_rid;
use wxdesk_wechat::links::validate_appid;
use wxdesk_wechat::redact::{redact_body, redact_text};

use crate::error::Result;
use crate::Desk;

/// Longest body returned (characters), after redaction.
const MAX_BODY_CHARS: usize = 16 * 1024;

/// The request WeChat saw, redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RidView {
    /// The rid looked up.
    pub rid: String,
    /// The account whose token asked.
    pub appid: String,
    /// When WeChat received the request (Unix seconds).
    pub invoke_time: i64,
    /// How long WeChat took (ms).
    pub cost_in_ms: i64,
    /// The URL WeChat received, secrets masked.
    pub request_url: String,
    /// The body WeChat received, secrets masked.
    pub request_body: String,
    /// What WeChat answered, secrets masked.
    pub response_body: String,
    /// The caller's IP as WeChat saw it.
    pub client_ip: String,
}

impl Desk {
    /// Looks up `rid` with a token of `appid`: a platform's component token,
    /// an app's own token, or (by default when it has no AppSecret, or when
    /// `component` is given) its authorizer token.
    pub async fn rid_lookup(
        &self,
        rid: &str,
        appid: &str,
        component: Option<&str>,
    ) -> Result<RidView> {
        validate_appid("appid", appid)?;
        let rid = rid.trim();
        validate_rid(rid)?;
        let client = self.client();
        let call = |t: String| async move { client.rid_get(appid, &t, rid).await };
        let r = if component.is_none() && self.is_component_only(appid)? {
            self.with_component_token(appid, call).await?
        } else {
            self.with_token_via(appid, component, call).await?
        };
        Ok(RidView {
            rid: rid.to_string(),
            appid: appid.to_string(),
            invoke_time: r.invoke_time,
            cost_in_ms: r.cost_in_ms,
            request_url: redact_text(&r.request_url),
            request_body: redact_body(&r.request_body, MAX_BODY_CHARS),
            response_body: redact_body(&r.response_body, MAX_BODY_CHARS),
            client_ip: r.client_ip,
        })
    }
}
