//! `wxdesk receive`: the headless push receiver for a server.
//!
//! WeChat pushes a platform's tickets, authorizations and registration results
//! to its 授权事件接收URL, and an authorizer's messages and events to its
//! 消息与事件接收URL; both are servers, never a desktop. This module is that
//! server, kept apart from `serve` (which holds an operator's UI behind a
//! token and never leaves loopback): it serves exactly four routes, is meant
//! to sit behind the operator's HTTPS reverse proxy, and holds no UI.
//!
//! - `POST /wechat/component/{component_appid}` and
//!   `POST /wechat/message/{component_appid}/{authorizer_appid}` ([`push`]):
//!   verify, store in the inbox, answer `success`, then apply and forward in
//!   the background;
//! - `GET /wechat/authorize/{component_appid}` and
//!   `GET /wechat/authorized/{component_appid}` ([`launch`]): the permanent
//!   authorization launch page and its redirect target.
//!
//! Every route is behind a per-IP rate limit ([`limit`]) and a body cap. On
//! start, pushes an earlier run stored but did not apply are applied.

pub mod launch;
pub mod limit;
pub mod push;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use wxdesk_core::Desk;

/// Largest push body accepted (a real push is well under 4 KiB).
pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;
/// Requests per minute one client address may make.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 120;
/// How long a forward may take.
pub const FORWARD_TIMEOUT: Duration = Duration::from_secs(10);

/// How to receive.
#[derive(Debug, Clone)]
pub struct ReceiveConfig {
    /// Address to listen on (`127.0.0.1:0` picks a free port; `0.0.0.0:8080` is allowed).
    pub listen: SocketAddr,
    /// Per platform, a URL each push is passed on to, verbatim, after it is stored.
    pub forwards: HashMap<String, String>,
    /// Largest body accepted.
    pub body_limit: usize,
    /// Requests per minute per client address.
    pub rate_per_minute: u32,
}

impl ReceiveConfig {
    /// Defaults for `listen`.
    pub fn new(listen: SocketAddr) -> ReceiveConfig {
        ReceiveConfig {
            listen,
            forwards: HashMap::new(),
            body_limit: DEFAULT_BODY_LIMIT,
            rate_per_minute: DEFAULT_RATE_PER_MINUTE,
        }
    }
}

pub(crate) struct ReceiveState {
    pub(crate) desk: Arc<Desk>,
    pub(crate) forwards: HashMap<String, String>,
    pub(crate) limiter: limit::RateLimiter,
    pub(crate) http: reqwest::Client,
}

/// A running receiver.
pub struct ReceiveHandle {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for ReceiveHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiveHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ReceiveHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL it listens on (`0.0.0.0` shown as `127.0.0.1`).
    pub fn base_url(&self) -> String {
        format!("http://{}", crate::display_host(self.addr))
    }

    /// Stops listening and waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Binds and starts receiving in the background.
pub async fn receive(desk: Arc<Desk>, config: ReceiveConfig) -> std::io::Result<ReceiveHandle> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let http = reqwest::Client::builder()
        .timeout(FORWARD_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(std::io::Error::other)?;
    let desk_for_pending = desk.clone();
    let state = Arc::new(ReceiveState {
        desk,
        forwards: config.forwards,
        limiter: limit::RateLimiter::new(config.rate_per_minute),
        http,
    });
    let app = Router::new()
        .route("/wechat/component/{component}", post(push::component))
        .route(
            "/wechat/message/{component}/{authorizer}",
            post(push::message),
        )
        .route("/wechat/authorize/{component}", get(launch::authorize))
        .route("/wechat/authorized/{component}", get(launch::authorized))
        .fallback(|| async { push::plain(axum::http::StatusCode::NOT_FOUND, "not found") })
        .layer(DefaultBodyLimit::max(config.body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), limit::guard))
        .with_state(state);
    // Pushes stored by an earlier run that stopped before applying them.
    let pending_desk = desk_for_pending;
    tokio::spawn(async move {
        match pending_desk.inbox_pending() {
            Ok(ids) => {
                for id in ids {
                    if let Err(e) = pending_desk.inbox_apply(id).await {
                        eprintln!("receive: pending push {id} could not be applied: {e}");
                    }
                }
            }
            Err(e) => eprintln!("receive: pending pushes could not be read: {e}"),
        }
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(ReceiveHandle {
        addr,
        shutdown: Some(tx),
        task,
    })
}

/// Whether `s` looks like an AppID (`wx` + 16 letters or digits); path
/// segments that do not are refused before anything is looked up.
pub(crate) fn is_appid(s: &str) -> bool {
    s.len() == 18 && s.starts_with("wx") && s.bytes().all(|b| b.is_ascii_alphanumeric())
}
