//! The size cap of upstream response bodies.
//!
//! No WeChat answer comes near megabytes, so a body past
//! `ClientConfig::max_body_bytes` (8 MiB by default) is a broken or hostile
//! upstream: it is refused from its declared length before reading, or cut
//! off as soon as the streamed bytes pass the cap — never buffered whole.

use std::time::Duration;

use crate::client::transport_error;
use crate::error::{Error, Result};

/// Reads a response body, never more than `cap` bytes: a declared length
/// over the cap is refused before reading, and a streamed body is dropped as
/// soon as it passes the cap.
pub(crate) async fn read_capped(
    mut resp: reqwest::Response,
    endpoint: &str,
    cap: usize,
    timeout: Duration,
) -> Result<Vec<u8>> {
    let too_large = |what: String| {
        Error::Decode {
        endpoint: endpoint.to_string(),
        reason: format!(
            "the answer is too large: {what}, over the {} cap (ClientConfig::max_body_bytes); \
             nothing past the cap was read. A WeChat answer is never this big: check the API base URL",
            human_bytes(cap)
        ),
        body: String::new(),
    }
    };
    if let Some(len) = resp.content_length() {
        if usize::try_from(len).map_or(true, |l| l > cap) {
            return Err(too_large(format!("{} declared", human_bytes_u64(len))));
        }
    }
    let mut buf: Vec<u8> = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| transport_error(endpoint, e, timeout))?
    {
        if buf.len().saturating_add(chunk.len()) > cap {
            return Err(too_large(format!(
                "more than {} received",
                human_bytes(cap)
            )));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

fn human_bytes(n: usize) -> String {
    human_bytes_u64(u64::try_from(n).unwrap_or(u64::MAX))
}

fn human_bytes_u64(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= MIB && n.is_multiple_of(MIB) {
        format!("{} MiB", n / MIB)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}
