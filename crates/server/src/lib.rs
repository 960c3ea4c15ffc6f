//! Browser mode: the same UI and the same operations as the desktop app, over HTTP.
//!
//! `wxdesk serve` exists so wxdesk works where no window can open (a server
//! over SSH, a headless CI box) and so the UI can be tested in a real browser.
//! It holds the operator's secrets, so it is locked down by default:
//! - it listens on 127.0.0.1 unless told otherwise;
//! - the URL it prints carries a random access token; the first load trades it
//!   for an HttpOnly, SameSite=Strict cookie and redirects to a clean URL;
//! - every request without the token gets 401;
//! - a Host or Origin header that is not this server's gets 403 (DNS
//!   rebinding and cross-site requests); no CORS headers are ever sent.
//!
//! There is exactly one API route, `POST /api/op/{name}`, which calls the
//! core's operation table; everything else is the static UI.

use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::Router;
use rand::RngCore;
use subtle::ConstantTimeEq;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::ErrorBody;

/// Name of the cookie carrying the access token.
pub const COOKIE: &str = "wxdesk_token";

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Address to listen on (default 127.0.0.1, any free port).
    pub listen: SocketAddr,
    /// Directory of the built UI (`ui/dist`).
    pub ui_dir: PathBuf,
    /// The access token; random when `None`.
    pub token: Option<String>,
}

/// A running server.
pub struct ServerHandle {
    addr: SocketAddr,
    token: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
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

    /// The URL to open: the base URL carrying the access token.
    pub fn url(&self) -> String {
        format!("{}/?token={}", self.base_url(), self.token)
    }

    /// The access token (for scripts: send it as `Authorization: Bearer …`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Stops serving and waits for the server task.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }

    /// Waits until the server stops.
    pub async fn wait(self) {
        let _ = self.task.await;
    }
}

struct AppState {
    rt: Arc<Runtime>,
    ui_dir: PathBuf,
    token: String,
    allowed_hosts: Vec<String>,
}

fn display_host(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        format!("127.0.0.1:{}", addr.port())
    } else {
        addr.to_string()
    }
}

/// The default UI directory: `ui/dist` of the source tree this binary was
/// built from when it is there (a build from a clone), otherwise the copy an
/// installed package ships beside the binary (`<prefix>/share/wxdesk/ui` for
/// `<prefix>/bin/wxdesk`, as the .deb lays it out).
pub fn default_ui_dir() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    if source.join("index.html").is_file() {
        return source;
    }
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let prefix = exe.parent()?.parent()?;
        Some(prefix.join("share/wxdesk/ui"))
    });
    match installed {
        Some(dir) if dir.join("index.html").is_file() => dir,
        _ => source,
    }
}

/// Binds and starts serving in the background.
pub async fn serve(rt: Arc<Runtime>, config: ServerConfig) -> std::io::Result<ServerHandle> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let token = config.token.unwrap_or_else(|| {
        let mut b = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut b);
        hex::encode(b)
    });
    let port = addr.port();
    let mut allowed_hosts = vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if !addr.ip().is_unspecified() && !addr.ip().is_loopback() {
        allowed_hosts.push(addr.to_string());
    }
    let state = Arc::new(AppState {
        rt,
        ui_dir: config.ui_dir,
        token: token.clone(),
        allowed_hosts,
    });
    let app = Router::new()
        .route("/api/op/{name}", post(op))
        .route(
            "/api/{*rest}",
            any(|| async {
                error_response(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    "no such API route; use POST /api/op/{name}",
                )
            }),
        )
        .fallback(static_file)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service())
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(ServerHandle {
        addr,
        token,
        shutdown: Some(tx),
        task,
    })
}

fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        code: code.into(),
        message: message.into(),
        hint: None,
        hint_zh: None,
        errcode: None,
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&body).unwrap_or_default(),
    )
        .into_response()
}

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == COOKIE).then(|| v.to_string())
        })
}

fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(|t| t.trim().to_string())
}

fn query_token(uri: &Uri) -> Option<String> {
    uri.query()?
        .split('&')
        .find_map(|kv| kv.strip_prefix("token=").map(str::to_string))
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Host/Origin checks, then the token: query (first load), cookie, or bearer.
async fn guard(State(s): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if !s.allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return error_response(
            StatusCode::FORBIDDEN,
            "forbidden_host",
            "this server only answers to its own address (Host header rejected)",
        );
    }
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        let ok = s
            .allowed_hosts
            .iter()
            .any(|h| origin.eq_ignore_ascii_case(&format!("http://{h}")));
        if !ok {
            return error_response(
                StatusCode::FORBIDDEN,
                "forbidden_origin",
                "cross-origin requests are refused",
            );
        }
    }
    if req.method() == Method::GET {
        if let Some(t) = query_token(req.uri()) {
            if same(&t, &s.token) {
                // Trade the token in the URL for a cookie, and drop it from the address bar.
                let clean = req.uri().path().to_string();
                let cookie = format!("{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/", s.token);
                let mut resp = StatusCode::SEE_OTHER.into_response();
                if let (Ok(loc), Ok(c)) = (
                    HeaderValue::from_str(&clean),
                    HeaderValue::from_str(&cookie),
                ) {
                    resp.headers_mut().insert(header::LOCATION, loc);
                    resp.headers_mut().insert(header::SET_COOKIE, c);
                }
                return resp;
            }
            return error_response(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the access token in the URL is wrong; use the URL `wxdesk serve` printed",
            );
        }
    }
    let presented = cookie_token(headers).or_else(|| bearer_token(headers));
    match presented {
        Some(t) if same(&t, &s.token) => {
            let mut resp = next.run(req).await;
            let h = resp.headers_mut();
            h.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"),
            );
            resp
        }
        _ => error_response(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "open the URL `wxdesk serve` printed (it carries the access token)",
        ),
    }
}

fn status_for(code: &str) -> StatusCode {
    match code {
        "invalid_input" | "usage" | "invalid_base64" | "invalid_length" | "invalid_xml" => {
            StatusCode::BAD_REQUEST
        }
        "not_found" => StatusCode::NOT_FOUND,
        "already_exists" | "needs_confirmation" | "force_refused" | "ticket_unavailable"
        | "revoked" => StatusCode::CONFLICT,
        "api" | "connect" | "timeout" | "transport" | "http" | "decode" => StatusCode::BAD_GATEWAY,
        "decrypt_failed" | "watermark_mismatch" | "signature_mismatch" | "appid_mismatch" => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

async fn op(
    State(s): State<Arc<AppState>>,
    UrlPath(name): UrlPath<String>,
    body: axum::body::Bytes,
) -> Response {
    let args: serde_json::Value = if body.is_empty() {
        serde_json::Value::Null
    } else {
        match serde_json::from_slice(&body) {
            Ok(v) => v,
            Err(e) => {
                return error_response(
                    StatusCode::BAD_REQUEST,
                    "invalid_input",
                    &format!("the request body is not JSON: {e}"),
                )
            }
        }
    };
    match dispatch(&s.rt, &name, args).await {
        Ok(v) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            v.to_string(),
        )
            .into_response(),
        Err(e) => {
            let body = e.body();
            (
                status_for(&body.code),
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_string(&body).unwrap_or_default(),
            )
                .into_response()
        }
    }
}

fn mime_for(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves a file of the built UI; unknown paths get `index.html` (client-side routes).
async fn static_file(State(s): State<Arc<AppState>>, uri: Uri) -> Response {
    let rel = uri.path().trim_start_matches('/');
    let safe = Path::new(rel)
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    let mut path = if rel.is_empty() || !safe {
        s.ui_dir.join("index.html")
    } else {
        s.ui_dir.join(rel)
    };
    if !path.is_file() {
        path = s.ui_dir.join("index.html");
    }
    match tokio::fs::read(&path).await {
        Ok(bytes) => {
            let cache = if path.ends_with("index.html") { "no-cache" } else { "public, max-age=31536000, immutable" };
            (StatusCode::OK, [(header::CONTENT_TYPE, mime_for(&path)), (header::CACHE_CONTROL, cache)], Body::from(bytes)).into_response()
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "The wxdesk UI is not built at {}.\nBuild it with: (cd ui && npm ci && npm run build), or pass --ui-dir.\nThe API at /api/op/{{name}} works regardless.",
                s.ui_dir.display()
            ),
        )
            .into_response(),
    }
}
