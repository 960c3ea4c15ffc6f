//! Browser mode: the same UI and the same operations as the desktop app, over HTTP.
//!
//! `wxdesk serve` exists so wxdesk works where no window can open (a server
//! over SSH, a headless CI box) and so the UI can be tested in a real browser.
//! It holds the operator's secrets, so it is locked down by default:
//! - it listens on 127.0.0.1 unless told otherwise;
//! - the URL it prints carries the access token, traded once for a session
//!   cookie (`wxdesk_session_<port>`); scripts send the token as a bearer
//!   header ([`auth`]);
//! - a Host or Origin header that is not this server's gets 403 (DNS
//!   rebinding and cross-site requests); no CORS headers are ever sent.
//!
//! There is exactly one API route, `POST /api/op/{name}` ([`op`]), which calls
//! the core's operation table; everything else is the static UI ([`ui`]).

pub mod auth;
pub mod op;
pub mod receive;
pub mod ui;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::Router;
use wxdesk_core::ops::Runtime;
use wxdesk_core::{ErrorBody, ErrorCode};

pub use auth::{check_token, cookie_name};
pub use ui::{resolve_ui, UiSource};

/// How to serve.
#[derive(Clone)]
pub struct ServerConfig {
    /// Address to listen on (default 127.0.0.1, any free port).
    pub listen: SocketAddr,
    /// Where the UI comes from (see [`resolve_ui`]).
    pub ui: UiSource,
    /// The access token; random when `None`. Must pass [`check_token`].
    pub token: Option<String>,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("ui", &self.ui)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// A running server.
pub struct ServerHandle {
    addr: SocketAddr,
    token: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
    inflight: op::InFlight,
}

impl std::fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, without the token.
    pub fn base_url(&self) -> String {
        format!("http://{}", display_host(self.addr))
    }

    /// The URL to open: the base URL carrying the access token. It logs one
    /// browser in, once.
    pub fn url(&self) -> String {
        format!("{}/?token={}", self.base_url(), self.token)
    }

    /// The access token (for scripts: send it as `Authorization: Bearer …`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The name of this server's session cookie (`wxdesk_session_<port>`).
    pub fn cookie_name(&self) -> String {
        cookie_name(self.addr.port())
    }

    /// Stops serving, then waits for operations still running (also those
    /// whose browser went away), at most [`op::SHUTDOWN_GRACE`].
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
        self.inflight.drain(op::SHUTDOWN_GRACE).await;
    }

    /// Waits until the server stops.
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

pub(crate) struct AppState {
    pub(crate) rt: Arc<Runtime>,
    pub(crate) ui: UiSource,
    pub(crate) auth: auth::Auth,
    pub(crate) inflight: op::InFlight,
}

fn display_host(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

/// Binds and starts serving in the background. A token that fails
/// [`check_token`] is refused (`InvalidInput`) before anything listens.
pub async fn serve(rt: Arc<Runtime>, config: ServerConfig) -> std::io::Result<ServerHandle> {
    if let Some(t) = &config.token {
        check_token(t).map_err(|m| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, format!("--token: {m}"))
        })?;
    }
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let token = config.token.unwrap_or_else(auth::random_hex);
    let port = addr.port();
    let mut allowed_hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        allowed_hosts.push(addr.to_string());
    }
    let inflight = op::InFlight::default();
    let state = Arc::new(AppState {
        rt,
        ui: config.ui,
        auth: auth::Auth::new(token.clone(), port, allowed_hosts),
        inflight: inflight.clone(),
    });
    let app = Router::new()
        .route("/api/op/{name}", post(op::op))
        .route(
            "/api/{*rest}",
            any(|| async {
                error_response(
                    StatusCode::NOT_FOUND,
                    ErrorCode::NotFound,
                    "no such API route; use POST /api/op/{name}",
                )
            }),
        )
        .fallback(ui::static_file)
        .layer(middleware::from_fn_with_state(state.clone(), auth::guard))
        .with_state(state);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app.into_make_service())
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the HTTP server stopped");
        }
    });
    Ok(ServerHandle {
        addr,
        token,
        shutdown: Some(tx),
        task,
        inflight,
    })
}

pub(crate) fn error_response(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    let body = ErrorBody::new(code, message);
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}
