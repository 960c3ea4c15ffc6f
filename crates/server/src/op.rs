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
use wxdesk_core::ErrorCode;

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

/// The HTTP status of each error code (exhaustive: a new code does not
/// compile until it has a status here).
pub(crate) fn status_for(code: ErrorCode) -> StatusCode {
    use ErrorCode as C;
    match code {
        C::InvalidInput
        | C::Usage
        | C::MissingArgument
        | C::InvalidBase64
        | C::InvalidLength
        | C::InvalidXml => StatusCode::BAD_REQUEST,
        C::Unauthorized => StatusCode::UNAUTHORIZED,
        C::ForbiddenHost | C::ForbiddenOrigin | C::DesktopOnly => StatusCode::FORBIDDEN,
        C::NotFound => StatusCode::NOT_FOUND,
        C::AlreadyExists
        | C::NeedsConfirmation
        | C::ForceRefused
        | C::TicketUnavailable
        | C::Revoked
        | C::Cancelled
        | C::TeamStaleGeneration
        | C::TeamLocked
        | C::TeamReadOnly => StatusCode::CONFLICT,
        C::Api | C::Connect | C::Timeout | C::Transport | C::Http | C::Decode => {
            StatusCode::BAD_GATEWAY
        }
        C::TeamUnreachable | C::TeamCommand => StatusCode::BAD_GATEWAY,
        C::DecryptFailed
        | C::WatermarkMismatch
        | C::SignatureMismatch
        | C::AppidMismatch
        | C::TeamMissingKey
        | C::TeamUnreadable
        | C::TeamNoSuchKey => StatusCode::UNPROCESSABLE_ENTITY,
        C::Store
        | C::Migration
        | C::VaultKeyMissing
        | C::VaultKeyInvalid
        | C::VaultWrongKey
        | C::VaultMalformed
        | C::VaultKeyStore
        | C::Io
        | C::Internal
        | C::Runtime => StatusCode::INTERNAL_SERVER_ERROR,
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
            ErrorCode::DesktopOnly,
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
                    ErrorCode::InvalidInput,
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
                status_for(body.code),
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
            ErrorCode::Internal,
            "the operation stopped unexpectedly; see the call log for what reached WeChat",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_deliberate_status() {
        // Client mistakes are 4xx, WeChat's and the network's failures 502,
        // the desk's own failures 500; no code falls through to a default.
        for &c in ErrorCode::ALL {
            let s = status_for(c);
            assert!(s.is_client_error() || s.is_server_error(), "{c:?} → {s}");
        }
        assert_eq!(status_for(ErrorCode::InvalidInput), StatusCode::BAD_REQUEST);
        assert_eq!(status_for(ErrorCode::NotFound), StatusCode::NOT_FOUND);
        assert_eq!(
            status_for(ErrorCode::NeedsConfirmation),
            StatusCode::CONFLICT
        );
        assert_eq!(status_for(ErrorCode::Api), StatusCode::BAD_GATEWAY);
        assert_eq!(status_for(ErrorCode::DesktopOnly), StatusCode::FORBIDDEN);
        assert_eq!(
            status_for(ErrorCode::Unauthorized),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            status_for(ErrorCode::WatermarkMismatch),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(
            status_for(ErrorCode::VaultWrongKey),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}
