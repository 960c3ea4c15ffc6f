//! The per-address rate limit of `receive`.
//!
//! `receive` faces the internet, and every push it stores and every launch
//! page view (which mints a pre_auth_code upstream) costs something, so each
//! client address gets a fixed number of requests per minute; beyond that it
//! gets 429. Behind a reverse proxy on the same machine the client address is
//! the proxy's, so for a loopback peer the proxy's `X-Real-IP` (or the last
//! `X-Forwarded-For` entry, the one the proxy appended) is used instead.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::ReceiveState;

/// Addresses remembered at most (older windows are dropped beyond this).
const MAX_TRACKED: usize = 10_000;

/// Fixed one-minute windows per client address.
pub struct RateLimiter {
    per_minute: u32,
    start: Instant,
    seen: Mutex<HashMap<IpAddr, (u64, u32)>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests per address per minute.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            start: Instant::now(),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `ip`; false when it is over the limit.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let minute = self.start.elapsed().as_secs() / 60;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= MAX_TRACKED {
            seen.retain(|_, (m, _)| *m == minute);
        }
        let entry = seen.entry(ip).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.per_minute
    }
}

/// The client's address: the peer, or for a loopback peer (a local reverse
/// proxy) the address the proxy reports.
pub(crate) fn client_ip(peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
    if !peer.ip().is_loopback() {
        return peer.ip();
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    header("x-real-ip")
        .and_then(|v| v.trim().parse().ok())
        .or_else(|| {
            header("x-forwarded-for")
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse().ok())
        })
        .unwrap_or(peer.ip())
}

/// Middleware: 429 beyond the limit.
pub(crate) async fn guard(
    State(st): State<Arc<ReceiveState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    req: Request,
    next: Next,
) -> Response {
    let ip = client_ip(peer, req.headers());
    if !st.limiter.allow(ip) {
        return super::push::plain(
            StatusCode::TOO_MANY_REQUESTS,
            "too many requests; try again in a minute",
        );
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_each_address_separately() {
        let l = RateLimiter::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.allow(a));
        assert!(l.allow(a));
        assert!(!l.allow(a));
        assert!(l.allow(b));
    }

    #[test]
    fn a_local_proxy_reports_the_client() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 5.6.7.8".parse().unwrap());
        let local: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let remote: SocketAddr = "9.9.9.9:1".parse().unwrap();
        assert_eq!(client_ip(local, &h), "5.6.7.8".parse::<IpAddr>().unwrap());
        // A remote peer cannot claim another address.
        assert_eq!(client_ip(remote, &h), remote.ip());
    }
}
