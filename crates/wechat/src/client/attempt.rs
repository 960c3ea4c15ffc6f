//! What every attempt shares, whatever its body: the JSON request body, the
//! send with its capped read, and the one redacted [`CallRecord`] per attempt.
//!
//! The JSON exchange ([`Client::execute_value`]) and the image and upload
//! exchanges (`raw.rs`) differ only in what they send and how they judge the
//! answer; keeping these steps here means the call log and the error mapping
//! cannot drift apart between them.

use std::time::{Instant, SystemTime};

use reqwest::RequestBuilder;
use serde_json::Value;
use url::Url;

use super::{transport_error, Call, CallRecord, Client};
use crate::error::{split_rid, Error, Result};
use crate::lenient::errmsg_of;
use crate::redact::redact_query;

/// Attaches `body` as UTF-8 JSON (WeChat expects no `\u` escapes for Chinese text).
pub(crate) fn with_json_body(req: RequestBuilder, body: &Value) -> Result<RequestBuilder> {
    let bytes = serde_json::to_vec(body).map_err(|e| Error::invalid("body", e.to_string()))?;
    Ok(req
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/json; charset=utf-8",
        )
        .body(bytes))
}

/// An attempt under way: what its report needs from before the answer.
pub(crate) struct Sent<'a> {
    pub call: &'a Call,
    pub url: Url,
    pub attempt: u32,
    started_at: SystemTime,
    t0: Instant,
}

/// How an attempt ended, as the call log sees it.
pub(crate) struct Outcome<'a> {
    pub method: &'static str,
    pub http_status: Option<u16>,
    /// The JSON answer, when the attempt succeeded with one.
    pub json: Option<&'a Value>,
    pub error: Option<&'a Error>,
    /// The request body, already redacted.
    pub request_body: Option<Value>,
    /// The response, already redacted or summarised.
    pub response: Option<String>,
}

/// An answer's status, `Content-Type` and (capped) bytes.
pub(crate) struct Received {
    pub status: u16,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl Client {
    /// Starts an attempt: its clock and its URL.
    pub(crate) fn begin<'a>(&self, call: &'a Call, attempt: u32) -> Result<Sent<'a>> {
        Ok(Sent {
            started_at: SystemTime::now(),
            t0: Instant::now(),
            url: self.url_for(call)?,
            call,
            attempt,
        })
    }

    /// Sends `req` and reads the answer with the body cap. `status` is set as
    /// soon as the status line arrives, so a failed read still reports it.
    pub(crate) async fn send_capped(
        &self,
        req: RequestBuilder,
        endpoint: &str,
        status: &mut Option<u16>,
    ) -> Result<Received> {
        let resp = req
            .send()
            .await
            .map_err(|e| transport_error(endpoint, e, self.config.timeout))?;
        let code = resp.status().as_u16();
        *status = Some(code);
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let bytes = crate::body_cap::read_capped(
            resp,
            endpoint,
            self.config.max_body_bytes,
            self.config.timeout,
        )
        .await?;
        Ok(Received {
            status: code,
            content_type,
            bytes,
        })
    }

    /// Reports one attempt to the observer, if there is one.
    pub(crate) fn report(&self, sent: &Sent<'_>, outcome: Outcome<'_>) {
        let Some(observer) = &self.observer else {
            return;
        };
        let (errcode, errmsg) = match (outcome.error, outcome.json) {
            (
                Some(Error::Api {
                    errcode, errmsg, ..
                }),
                _,
            ) => (Some(*errcode), Some(errmsg.clone())),
            (Some(_), _) => (None, None),
            (None, Some(v)) => (
                Some(0),
                Some(split_rid(&errmsg_of(v)).0).filter(|m| !m.is_empty()),
            ),
            (None, None) => (Some(0), None),
        };
        observer.record(CallRecord {
            started_at: sent.started_at,
            endpoint: sent.call.endpoint.to_string(),
            method: outcome.method,
            account: sent.call.account.clone(),
            attempt: sent.attempt,
            duration: sent.t0.elapsed(),
            http_status: outcome.http_status,
            errcode,
            errmsg,
            error_kind: outcome.error.map(Error::kind),
            request: serde_json::json!({
                "query": redact_query(sent.url.query().unwrap_or("")),
                "body": outcome.request_body,
            }),
            response: outcome.response,
        });
    }
}
