//! Fault injection and request counting.
//!
//! A client is only as good as its behaviour when WeChat misbehaves: slow
//! answers, gateway 5xx pages, truncated JSON, reset connections, bodies that
//! stall half-way, `-1 system error`, endless bodies (`huge_body`, streamed
//! without a length, so a client that buffers everything is caught) and
//! arbitrary answers (`body`, e.g. an inconsistent `total_count`). Tests and benchmarks register
//! [`Fault`]s; this middleware applies them in front of every emulated
//! endpoint (never in front of `/__sandbox/` hooks or the console page) and
//! counts every request, faulted or not.
//!
//! Latency faults stack (their delays add up) and combine with at most one
//! other fault (the first registered non-latency fault that matches). The
//! delay is slept *after* the state lock is released, so a global latency
//! fault slows every request down without serializing them.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::wx::WxError;

/// A registered fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// The endpoint path without leading slash (`cgi-bin/token`), or `*` for every endpoint.
    pub endpoint: String,
    /// What to do.
    #[serde(flatten)]
    pub kind: FaultKind,
    /// How many requests to affect; `None` = until cleared.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Fault {
    /// A fault on `endpoint` (leading `/` optional) until cleared.
    pub fn new(endpoint: &str, kind: FaultKind) -> Self {
        Fault {
            endpoint: normalize(endpoint),
            kind,
            times: None,
        }
    }

    /// The same fault, limited to the next `times` matching requests.
    pub fn times(mut self, times: u32) -> Self {
        self.times = Some(times);
        self
    }

    fn matches(&self, key: &str) -> bool {
        self.endpoint == "*" || self.endpoint == key
    }
}

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultKind {
    /// Wait `ms` milliseconds, then answer normally (stacks with other faults).
    Latency {
        /// Delay in milliseconds.
        ms: u64,
    },
    /// Answer with this HTTP status and a short HTML body instead.
    Status {
        /// The HTTP status code (100–999).
        code: u16,
    },
    /// Answer 200 with a truncated JSON body.
    MalformedJson,
    /// Kill the connection without a complete response.
    ConnectionReset,
    /// Answer normally, but stall `ms` milliseconds after the first bytes of the body.
    SlowBody {
        /// Stall in milliseconds.
        ms: u64,
    },
    /// Answer `{"errcode":..,"errmsg":..}` instead of the real behaviour (no side effects).
    Errcode {
        /// The errcode to return.
        errcode: i64,
        /// The errmsg to return (a ` rid: …` suffix is appended).
        errmsg: String,
    },
    /// Answer 200 with a JSON body of `bytes` bytes, streamed in 64 KiB
    /// chunks without a Content-Length (generated as it is sent, never held).
    HugeBody {
        /// Total body size in bytes.
        bytes: u64,
    },
    /// Answer 200 with exactly this body (`application/json`), no side effects.
    Body {
        /// The body text.
        body: String,
    },
}

/// Strips a leading `/` from an endpoint path.
pub(crate) fn normalize(endpoint: &str) -> String {
    endpoint.trim().trim_start_matches('/').to_string()
}

/// Paths that are never counted nor faulted: the hooks and the console.
pub(crate) fn is_control_path(path: &str) -> bool {
    path == "/" || path == "/favicon.ico" || path == "/__sandbox" || path.starts_with("/__sandbox/")
}

/// Counts the request, then applies matching faults.
pub(crate) async fn middleware(
    State(shared): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_string();
    if is_control_path(&path) {
        return next.run(req).await;
    }
    let key = normalize(&path);
    let (latency_ms, action) = {
        let mut state = shared.lock();
        *state.counters.entry(key.clone()).or_default() += 1;
        select(&mut state.faults, &key)
    };
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    match action {
        None => next.run(req).await,
        Some(FaultKind::Latency { .. }) => next.run(req).await,
        Some(FaultKind::Status { code }) => status_page(code),
        Some(FaultKind::MalformedJson) => malformed_json(),
        Some(FaultKind::ConnectionReset) => connection_reset(),
        Some(FaultKind::Errcode { errcode, errmsg }) => {
            WxError::custom(errcode, &errmsg).into_response()
        }
        Some(FaultKind::SlowBody { ms }) => slow_body(next.run(req).await, ms).await,
        Some(FaultKind::HugeBody { bytes }) => huge_body(bytes),
        Some(FaultKind::Body { body }) => json_body(body),
    }
}

/// Picks the faults that apply to `key`, consuming one use of each: the sum of
/// matching latencies and the first matching non-latency fault.
fn select(faults: &mut Vec<Fault>, key: &str) -> (u64, Option<FaultKind>) {
    let mut latency = 0u64;
    let mut action = None;
    for fault in faults.iter_mut() {
        if !fault.matches(key) || fault.times == Some(0) {
            continue;
        }
        match &fault.kind {
            FaultKind::Latency { ms } => latency = latency.saturating_add(*ms),
            other if action.is_none() => action = Some(other.clone()),
            _ => continue,
        }
        if let Some(times) = fault.times.as_mut() {
            *times -= 1;
        }
    }
    faults.retain(|f| f.times != Some(0));
    (latency, action)
}

fn status_page(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    let reason = status.canonical_reason().unwrap_or("Error");
    let body = format!(
        "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

fn malformed_json() -> Response {
    let mut response = (
        StatusCode::OK,
        r#"{"errcode":0,"errmsg":"ok","access_token":"86_tr"#,
    )
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    response
}

fn json_body(body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    response
}

/// `{"errcode":0,"errmsg":"ok","pad":"xxxx…` for `bytes` bytes in total,
/// produced chunk by chunk (the receiver decides when to stop reading).
fn huge_body(bytes: u64) -> Response {
    const CHUNK: u64 = 64 * 1024;
    let head = Bytes::from_static(br#"{"errcode":0,"errmsg":"ok","pad":""#);
    let filler = Bytes::from(vec![b'x'; CHUNK as usize]);
    let chunks = stream::unfold(0u64, move |sent| {
        let head = head.clone();
        let filler = filler.clone();
        async move {
            if sent >= bytes {
                return None;
            }
            let chunk = if sent == 0 {
                head.slice(..head.len().min(usize::try_from(bytes).unwrap_or(usize::MAX)))
            } else {
                let n = (bytes - sent).min(CHUNK);
                filler.slice(..usize::try_from(n).unwrap_or(0))
            };
            let next = sent + chunk.len() as u64;
            Some((Ok::<Bytes, std::io::Error>(chunk), next))
        }
    });
    let mut response = (StatusCode::OK, Body::from_stream(chunks)).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    response
}

fn connection_reset() -> Response {
    // A body whose first frame is an error: hyper aborts the connection
    // instead of completing the response.
    let body = Body::from_stream(stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "sandbox fault: connection reset",
        ))
    }));
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    response
}

async fn slow_body(response: Response, ms: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(_) => return connection_reset(),
    };
    let split = (bytes.len() / 2).clamp(usize::from(!bytes.is_empty()), 16);
    let head = bytes.slice(..split);
    let tail = bytes.slice(split..);
    let chunks = stream::unfold(0u8, move |step| {
        let head = head.clone();
        let tail = tail.clone();
        async move {
            match step {
                0 => Some((Ok::<Bytes, std::io::Error>(head), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                    Some((Ok(tail), 2))
                }
                _ => None,
            }
        }
    });
    parts.headers.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(bytes.len() as u64),
    );
    Response::from_parts(parts, Body::from_stream(chunks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_shape() {
        let fault = Fault::new("/cgi-bin/token", FaultKind::Latency { ms: 20 });
        let json = serde_json::to_value(&fault).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"endpoint":"cgi-bin/token","kind":"latency","ms":20,"times":null})
        );
        let back: Fault = serde_json::from_value(json).unwrap();
        assert_eq!(back, fault);
        let unit: Fault =
            serde_json::from_str(r#"{"endpoint":"*","kind":"connection_reset"}"#).unwrap();
        assert_eq!(unit.kind, FaultKind::ConnectionReset);
        assert_eq!(unit.times, None);
        let huge: Fault =
            serde_json::from_str(r#"{"endpoint":"*","kind":"huge_body","bytes":1073741824}"#)
                .unwrap();
        assert_eq!(huge.kind, FaultKind::HugeBody { bytes: 1 << 30 });
        let body: Fault =
            serde_json::from_str(r#"{"endpoint":"a","kind":"body","body":"{}"}"#).unwrap();
        assert_eq!(body.kind, FaultKind::Body { body: "{}".into() });
    }

    #[test]
    fn select_consumes_and_stacks() {
        let mut faults = vec![
            Fault::new("*", FaultKind::Latency { ms: 5 }),
            Fault::new("a", FaultKind::Latency { ms: 7 }).times(1),
            Fault::new("a", FaultKind::MalformedJson).times(1),
            Fault::new("a", FaultKind::Status { code: 502 }),
        ];
        let (ms, action) = select(&mut faults, "a");
        assert_eq!(ms, 12);
        assert_eq!(action, Some(FaultKind::MalformedJson));
        assert_eq!(faults.len(), 2);
        let (ms, action) = select(&mut faults, "a");
        assert_eq!(ms, 5);
        assert_eq!(action, Some(FaultKind::Status { code: 502 }));
        let (ms, action) = select(&mut faults, "b");
        assert_eq!(ms, 5);
        assert_eq!(action, None);
    }
}
