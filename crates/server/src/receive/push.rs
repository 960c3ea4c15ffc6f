//! The two push URLs of `receive`.
//!
//! WeChat waits at most 5 s for `success` and retries three times, so each
//! push is verified and stored in the inbox first (durable, deduplicated),
//! answered at once, and only then applied (which may call WeChat, e.g.
//! `api_query_auth`) and forwarded, in the background. A push that does not
//! verify gets a 4xx and an inbox entry, and nothing else happens. Answers
//! never carry more than a short fixed text: this is the public internet.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use wxdesk_core::services::inbox::{Received, UrlKind};

use super::{is_appid, ReceiveState};

/// A short plain-text answer.
pub(crate) fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// `POST /wechat/component/{component_appid}`: the 授权事件接收URL.
pub(crate) async fn component(
    State(st): State<Arc<ReceiveState>>,
    Path(component): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    handle(st, UrlKind::Component, component, None, query, body).await
}

/// `POST /wechat/message/{component_appid}/{authorizer_appid}`: the 消息与事件接收URL.
pub(crate) async fn message(
    State(st): State<Arc<ReceiveState>>,
    Path((component, authorizer)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    handle(
        st,
        UrlKind::Message,
        component,
        Some(authorizer),
        query,
        body,
    )
    .await
}

async fn handle(
    st: Arc<ReceiveState>,
    kind: UrlKind,
    component: String,
    authorizer: Option<String>,
    query: Option<String>,
    body: Bytes,
) -> Response {
    if !is_appid(&component) || authorizer.as_deref().is_some_and(|a| !is_appid(a)) {
        return plain(StatusCode::NOT_FOUND, "not found");
    }
    let Ok(body) = String::from_utf8(body.to_vec()) else {
        return plain(StatusCode::BAD_REQUEST, "the body is not UTF-8 XML");
    };
    let query = query.unwrap_or_default();
    let received = st
        .desk
        .push_receive(kind, &component, authorizer.as_deref(), &query, &body);
    match received {
        Err(e) if e.code() == "not_found" => plain(StatusCode::NOT_FOUND, "unknown platform"),
        Err(e) => {
            eprintln!("receive: a push to {component} could not be stored: {e}");
            // No `success`: WeChat retries, and the push is not lost.
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the push could not be stored; retry",
            )
        }
        Ok(Received::Rejected { id, error }) => {
            eprintln!("receive: push {id} to {component} refused: {error}");
            plain(
                StatusCode::BAD_REQUEST,
                "the signature or timestamp does not verify",
            )
        }
        Ok(Received::Duplicate { id }) => {
            eprintln!("receive: push to {component} is a retry of {id}; already stored");
            plain(StatusCode::OK, "success")
        }
        Ok(Received::Stored { id }) => {
            let apply_st = st.clone();
            tokio::spawn(async move {
                match apply_st.desk.inbox_apply(id).await {
                    Ok(e) => eprintln!(
                        "receive: push {id} ({}) to {}: {}{}",
                        e.info_type.as_deref().unwrap_or("?"),
                        e.component_appid,
                        e.outcome,
                        e.error.map(|m| format!(": {m}")).unwrap_or_default()
                    ),
                    Err(e) => eprintln!("receive: push {id} could not be applied: {e}"),
                }
            });
            if let Some(url) = st.forwards.get(&component).cloned() {
                tokio::spawn(forward(st.clone(), id, url, query, body));
            }
            plain(StatusCode::OK, "success")
        }
    }
}

/// `url` with `query` appended (`?` or `&`).
pub(crate) fn with_query(url: &str, query: &str) -> String {
    if query.is_empty() {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&{query}")
    } else {
        format!("{url}?{query}")
    }
}

/// Passes a stored push on verbatim (same query, same body) and records the result.
async fn forward(st: Arc<ReceiveState>, id: i64, url: String, query: String, body: String) {
    let result = st
        .http
        .post(with_query(&url, &query))
        .header(header::CONTENT_TYPE, "text/xml; charset=utf-8")
        .body(body)
        .send()
        .await;
    let text = match result {
        Ok(r) if r.status().is_success() => format!("ok {}", r.status().as_u16()),
        Ok(r) => format!("failed: HTTP {}", r.status().as_u16()),
        Err(e) => format!("failed: {}", e.without_url()),
    };
    if let Err(e) = st.desk.inbox_set_forwarded(id, &text) {
        eprintln!("receive: push {id}: forward result not recorded: {e}");
    }
}
