//! The HTTP client every WeChat call goes through.
//!
//! One place decides how a request is sent, how long it may take, whether a
//! failure may be retried and what is reported to the call log. Putting this
//! in one function, rather than in each call, is what keeps the retry rules
//! honest: a request that carries a single-use value (a `js_code`, a phone
//! code, an `auth_code`, a registration ticket) is never sent twice once it may
//! have reached WeChat, and nothing retries forever.
//!
//! The three base URLs are the seam for tests: point them at the sandbox on
//! 127.0.0.1 and the same code runs offline.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use url::Url;

use crate::error::{split_rid, Error, Result};
use crate::lenient::{errcode_of, errmsg_of};
use crate::redact::{redact_body, redact_json};

mod attempt;
mod bases;
mod raw;
use attempt::{with_json_body, Outcome};
pub use bases::{parse_base, Bases, DEFAULT_API_BASE, DEFAULT_MP_BASE, DEFAULT_OPEN_BASE};
pub use raw::{multipart_body, BinaryBody, Upload};

/// How failed requests are retried. Retries are bounded and back off
/// exponentially; they happen only when the connection could not be made or
/// WeChat answered `errcode -1` (system busy) to a request that is safe to repeat.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Total attempts, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubled for each further retry.
    pub base_delay: Duration,
    /// Upper bound of a single delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The delay before attempt `attempt` (2 = first retry).
    pub fn delay_before(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(2).min(16);
        self.base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay)
    }
}

/// Settings of a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Where to send requests and what to link to.
    pub bases: Bases,
    /// Limit for a whole request, body included.
    pub timeout: Duration,
    /// Limit for establishing a connection.
    pub connect_timeout: Duration,
    /// Retry rules.
    pub retry: RetryPolicy,
    /// Largest response body read, in bytes ([`DEFAULT_MAX_BODY_BYTES`] by
    /// default). A longer body is not read past this and fails with a clear
    /// [`Error::Decode`]: no WeChat answer is anywhere near it, so a bigger one
    /// is a broken or hostile upstream.
    pub max_body_bytes: usize,
}

/// Default cap of a response body: 8 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            bases: Bases::production(),
            timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

/// One outbound HTTP exchange, already redacted, as reported to a [`CallObserver`].
#[derive(Debug, Clone, Serialize)]
pub struct CallRecord {
    /// When the attempt started.
    pub started_at: SystemTime,
    /// Endpoint path without host or query, e.g. `cgi-bin/component/api_query_auth`.
    pub endpoint: String,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The appid the call acts for (app, component or authorizer), when known.
    pub account: Option<String>,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
    /// Wall time of the attempt.
    pub duration: Duration,
    /// HTTP status, when a response arrived.
    pub http_status: Option<u16>,
    /// WeChat errcode, when the body carried one (0 for success).
    pub errcode: Option<i64>,
    /// WeChat errmsg, without the rid.
    pub errmsg: Option<String>,
    /// The error kind when the attempt failed (see [`Error::kind`]).
    pub error_kind: Option<&'static str>,
    /// The redacted request: `{"query": "...", "body": {...}}`.
    pub request: Value,
    /// The redacted response body (text, possibly cut).
    pub response: Option<String>,
}

/// Receives a record of every outbound attempt. The desk core implements it to
/// write the call log; the default client has none.
pub trait CallObserver: Send + Sync {
    /// Called once per HTTP attempt, after it finished.
    fn record(&self, record: CallRecord);
}

/// Whether a request may be sent again after it may have reached WeChat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Safe to repeat on `errcode -1`.
    Safe,
    /// Carries a single-use value or has a side effect that must not happen
    /// twice: retried only when the connection was never made.
    Never,
}

/// HTTP method of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Query-string only.
    Get,
    /// JSON body.
    Post,
}

impl Method {
    /// The HTTP verb, as the call log shows it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A fully described request, built by the typed call methods.
#[derive(Clone)]
pub struct Call {
    /// Endpoint path relative to the api base, e.g. `sns/jscode2session`.
    pub endpoint: &'static str,
    /// GET or POST.
    pub method: Method,
    /// Query parameters, in order.
    pub query: Vec<(&'static str, String)>,
    /// JSON body for POST.
    pub body: Option<Value>,
    /// Retry rule.
    pub replay: Replay,
    /// The account the call acts for, for the call log.
    pub account: Option<String>,
}

impl Call {
    /// A GET call.
    pub fn get(endpoint: &'static str) -> Self {
        Call {
            endpoint,
            method: Method::Get,
            query: Vec::new(),
            body: None,
            replay: Replay::Safe,
            account: None,
        }
    }

    /// A POST call with a JSON body.
    pub fn post<B: Serialize>(endpoint: &'static str, body: &B) -> Result<Self> {
        let body = serde_json::to_value(body).map_err(|e| Error::invalid("body", e.to_string()))?;
        Ok(Call {
            endpoint,
            method: Method::Post,
            query: Vec::new(),
            body: Some(body),
            replay: Replay::Safe,
            account: None,
        })
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    /// Marks the call as carrying a single-use value.
    pub fn single_use(mut self) -> Self {
        self.replay = Replay::Never;
        self
    }

    /// Names the account the call acts for.
    pub fn account(mut self, appid: impl Into<String>) -> Self {
        self.account = Some(appid.into());
        self
    }
}

/// The WeChat client. Cheap to clone; clones share the connection pool and observer.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    observer: Option<Arc<dyn CallObserver>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

/// Longest body text kept in a [`CallRecord`] or error.
pub const MAX_LOGGED_BODY: usize = 8 * 1024;

impl Client {
    /// A client for the production hosts with default settings.
    pub fn production() -> Result<Self> {
        Client::new(ClientConfig::default())
    }

    /// A client with the given settings.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("wxdesk/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(32)
            .build()
            .map_err(|e| {
                Error::invalid("client", format!("could not build the HTTP client: {e}"))
            })?;
        Ok(Client {
            http,
            config: Arc::new(config),
            observer: None,
        })
    }

    /// A client for a sandbox (or any single host serving all three bases).
    pub fn for_base(base: &str) -> Result<Self> {
        Client::new(ClientConfig {
            bases: Bases::single(base)?,
            ..ClientConfig::default()
        })
    }

    /// Returns a clone that reports every attempt to `observer`.
    pub fn with_observer(&self, observer: Arc<dyn CallObserver>) -> Self {
        Client {
            http: self.http.clone(),
            config: self.config.clone(),
            observer: Some(observer),
        }
    }

    /// The bases in use.
    pub fn bases(&self) -> &Bases {
        &self.config.bases
    }

    /// The settings in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Sends `call` and decodes a successful body as `T`.
    ///
    /// A body with a non-zero `errcode` becomes [`Error::Api`]. Retries follow
    /// [`RetryPolicy`] and [`Replay`].
    pub async fn execute<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let value = self.execute_value(&call).await?;
        serde_json::from_value(value.clone()).map_err(|e| Error::Decode {
            endpoint: call.endpoint.to_string(),
            reason: format!("unexpected shape: {e}"),
            body: redact_body(&value.to_string(), MAX_LOGGED_BODY),
        })
    }

    /// Sends `call` and returns the successful body as JSON.
    pub async fn execute_value(&self, call: &Call) -> Result<Value> {
        self.with_retries(call, |attempt| self.attempt(call, attempt))
            .await
    }

    /// The one retry rule of every exchange: run `attempt` (numbered from 1)
    /// again only when the connection was never made, or on `errcode -1` for
    /// a call that is safe to replay; bounded by the policy, with backoff.
    pub(crate) async fn with_retries<T, F, Fut>(&self, call: &Call, mut attempt_fn: F) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        let policy = self.config.retry;
        let max = policy.max_attempts.max(1);
        let mut attempt = 1;
        loop {
            let outcome = attempt_fn(attempt).await;
            let retry = attempt < max
                && match &outcome {
                    Err(Error::Connect { .. }) => true,
                    Err(Error::Api { errcode: -1, .. }) => call.replay == Replay::Safe,
                    _ => false,
                };
            if !retry {
                return outcome;
            }
            attempt += 1;
            tokio::time::sleep(policy.delay_before(attempt)).await;
        }
    }

    fn url_for(&self, call: &Call) -> Result<Url> {
        let mut url = self
            .config
            .bases
            .api
            .join(call.endpoint)
            .map_err(|e| Error::invalid("endpoint", e.to_string()))?;
        if !call.query.is_empty() {
            let mut q = url.query_pairs_mut();
            for (k, v) in &call.query {
                q.append_pair(k, v);
            }
        }
        Ok(url)
    }

    async fn attempt(&self, call: &Call, attempt: u32) -> Result<Value> {
        let sent = self.begin(call, attempt)?;
        let mut req = match call.method {
            Method::Get => self.http.get(sent.url.clone()),
            Method::Post => self.http.post(sent.url.clone()),
        };
        if let Some(body) = &call.body {
            req = with_json_body(req, body)?;
        }
        let mut status = None;
        let mut raw: Option<String> = None;
        let result: Result<Value> = async {
            let got = self.send_capped(req, call.endpoint, &mut status).await?;
            let text = String::from_utf8_lossy(&got.bytes).into_owned();
            raw = Some(text.clone());
            judge_json(call.endpoint, got.status, &got.bytes, &text)
        }
        .await;
        self.report(
            &sent,
            Outcome {
                method: call.method.as_str(),
                http_status: status,
                json: result.as_ref().ok(),
                error: result.as_ref().err(),
                request_body: call.body.as_ref().map(redact_json),
                response: raw.as_deref().map(|r| redact_body(r, MAX_LOGGED_BODY)),
            },
        );
        result
    }
}

/// Judges a JSON answer as every call does: a non-2xx status is
/// [`Error::Http`], a body that is not JSON or has an unreadable errcode is
/// [`Error::Decode`], a non-zero errcode is [`Error::Api`]. Error bodies are
/// redacted before they are kept.
pub(crate) fn judge_json(endpoint: &str, status: u16, bytes: &[u8], text: &str) -> Result<Value> {
    let decode = |reason: String| Error::Decode {
        endpoint: endpoint.to_string(),
        reason,
        body: redact_body(text, MAX_LOGGED_BODY),
    };
    if !(200..300).contains(&status) {
        return Err(Error::Http {
            endpoint: endpoint.to_string(),
            status,
            body: redact_body(text, MAX_LOGGED_BODY),
        });
    }
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| decode(format!("not JSON: {e}")))?;
    let errcode = errcode_of(&value).map_err(decode)?;
    if errcode != 0 {
        let (errmsg, rid) = split_rid(&errmsg_of(&value));
        return Err(Error::Api {
            errcode,
            errmsg,
            rid,
        });
    }
    Ok(value)
}

pub(crate) fn transport_error(endpoint: &str, e: reqwest::Error, timeout: Duration) -> Error {
    // reqwest's Display includes the URL, which carries secrets in the query
    // string: strip it before the text goes anywhere.
    let e = e.without_url();
    if e.is_connect() {
        Error::Connect {
            endpoint: endpoint.to_string(),
            reason: source_chain(&e),
        }
    } else if e.is_timeout() {
        Error::Timeout {
            endpoint: endpoint.to_string(),
            timeout_ms: timeout.as_millis() as u64,
        }
    } else {
        Error::Transport {
            endpoint: endpoint.to_string(),
            reason: source_chain(&e),
        }
    }
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        let t = inner.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = inner.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases_keep_path_prefix_and_validate() {
        let b = Bases::parse("http://127.0.0.1:9/wx", DEFAULT_MP_BASE, DEFAULT_OPEN_BASE).unwrap();
        assert_eq!(
            b.api.join("cgi-bin/token").unwrap().as_str(),
            "http://127.0.0.1:9/wx/cgi-bin/token"
        );
        assert!(!b.is_production());
        assert!(Bases::production().is_production());
        match Bases::parse("ftp://x", "https://a", "https://b") {
            Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "api_base"),
            other => panic!("unexpected {other:?}"),
        }
        assert!(Bases::single("not a url").is_err());
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_before(2), Duration::from_millis(200));
        assert_eq!(p.delay_before(3), Duration::from_millis(400));
        assert_eq!(p.delay_before(40), Duration::from_secs(2));
    }
}
