//! Request-id lookup: `cgi-bin/openapi/rid/get`.
//!
//! Every WeChat error message ends in ` rid: …`. With the same account's
//! access token, WeChat tells what it saw for that request: when it arrived,
//! how long it took, the URL and body it received and what it answered. That
//! answers "what did WeChat actually get" without guessing from our side.
//! The bodies may hold secrets the caller sent, so callers redact them before
//! showing them.

use serde::{Deserialize, Serialize};

use super::require;
use crate::client::{Call, Client};
use crate::error::{Error, Result};

/// What WeChat recorded about one request.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RidRequest {
    /// When the request arrived (Unix seconds).
    #[serde(default, deserialize_with = "crate::lenient::i64_lenient")]
    pub invoke_time: i64,
    /// How long WeChat took, in ms.
    #[serde(default, deserialize_with = "crate::lenient::i64_lenient")]
    pub cost_in_ms: i64,
    /// The URL WeChat received (may hold the access token).
    #[serde(default)]
    pub request_url: String,
    /// The body WeChat received.
    #[serde(default)]
    pub request_body: String,
    /// What WeChat answered.
    #[serde(default)]
    pub response_body: String,
    /// The caller's IP as WeChat saw it.
    #[serde(default)]
    pub client_ip: String,
}

impl std::fmt::Debug for RidRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RidRequest")
            .field("invoke_time", &self.invoke_time)
            .field("cost_in_ms", &self.cost_in_ms)
            .field("client_ip", &self.client_ip)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct RidResponse {
    request: RidRequest,
}

/// Validates a rid as WeChat prints it: hex groups joined by `-`.
pub fn validate_rid(rid: &str) -> Result<()> {
    require("rid", rid)?;
    if let Some(bad) = rid.chars().find(|c| !(c.is_ascii_hexdigit() || *c == '-')) {
        return Err(Error::invalid(
            "rid",
            format!("rid contains {bad:?}; pass the id after `rid:` in the errmsg, e.g. 617682e0-09059ac5-34a8e2ea"),
        ));
    }
    Ok(())
}

impl Client {
    /// `POST cgi-bin/openapi/rid/get`: what WeChat recorded for request `rid`,
    /// asked with a token of the account that made it.
    pub async fn rid_get(&self, appid: &str, access_token: &str, rid: &str) -> Result<RidRequest> {
        require("access_token", access_token)?;
        validate_rid(rid)?;
        let call = Call::post(
            "cgi-bin/openapi/rid/get",
            &serde_json::json!({ "rid": rid }),
        )?
        .query("access_token", access_token)
        .account(appid);
        let r: RidResponse = self.execute(call).await?;
        Ok(r.request)
    }
}
