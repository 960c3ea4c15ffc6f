//! The one API route, `POST /api/op/{name}`: the core's operation table over HTTP.
//!
//! Two rules beyond "call `dispatch`":
//! - an operation runs to its end even when the browser goes away. Closing or
//!   reloading a tab drops the request, and with it the handler's future; the
//!   operation therefore runs in its own task, which the handler only awaits.
//!   A consumed js_code, auth_code or phone code keeps its stored result and
//!   call-log entry, and a force refresh that WeChat counted is recorded.
//!   Stopping the server waits for such operations (at most a minute);
//! - operations that only make sense in the desktop app (writing a file to a
//!   path the caller names) are not reachable over HTTP at all.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use wxdesk_core::ops::dispatch;

use crate::{error_response, AppState};

/// How long [`crate::ServerHandle::shutdown`] waits for running operations.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(60);

/// The operations still running: each holds a read lease; stopping takes the
/// write lease, so it waits until they have all ended.
#[derive(Clone, Default)]
pub(crate) struct InFlight(Arc<tokio::sync::RwLock<()>>);

impl InFlight {
    async fn lease(&self) -> tokio::sync::OwnedRwLockReadGuard<()> {
        self.0.clone().read_owned().await
    }

    /// Waits until no operation runs, at most `grace`.
    pub(crate) async fn drain(&self, grace: Duration) {
        let _ = tokio::time::timeout(grace, self.0.write()).await;
    }
}

/// Operations never served over HTTP. `save_file` writes any path it is
/// given; in a browser the download goes through the browser instead.
pub const DESKTOP_ONLY_OPS: &[&str] = &["save_file"];

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

pub(crate) async fn op(
    State(s): State<Arc<AppState>>,
    UrlPath(name): UrlPath<String>,
    body: axum::body::Bytes,
) -> Response {
    if DESKTOP_ONLY_OPS.contains(&name.as_str()) {
        return error_response(
            StatusCode::FORBIDDEN,
            "desktop_only",
            &format!(
                "the operation {name:?} is not available over HTTP: it writes a file on this machine; \
                 in browser mode the browser downloads the file instead (use the desktop app to save to a path)"
            ),
        );
    }
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
    // Detached from this request: dropping the request (tab closed) does not
    // cancel the operation; only its answer is lost.
    let rt = s.rt.clone();
    let lease = s.inflight.lease().await;
    let task = tokio::spawn(async move {
        let r = dispatch(&rt, &name, args).await;
        drop(lease);
        r
    });
    match task.await {
        Ok(Ok(v)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            v.to_string(),
        )
            .into_response(),
        Ok(Err(e)) => {
            let body = e.body();
            (
                status_for(&body.code),
                [
                    (header::CONTENT_TYPE, "application/json"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                serde_json::to_string(&body).unwrap_or_default(),
            )
                .into_response()
        }
        Err(_) => error_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the operation stopped unexpectedly; see the call log for what reached WeChat",
        ),
    }
}
