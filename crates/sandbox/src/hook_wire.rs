//! How a `/__sandbox/` hook reads its request and answers: a JSON or
//! HTML-form body ([`decode`]), parsed into the hook's input type by the
//! [`Hook`] extractor (400 naming the expected body otherwise), and answered
//! as JSON, or for a console form with a note in the console log and a
//! redirect back to it ([`reply`]). The hooks themselves are in `hooks`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::error::SandboxError;
use crate::state::Shared;

/// How many console results are kept.
const CONSOLE_KEEP: usize = 20;

/// A decoded hook request body.
pub(crate) struct Input {
    pub value: Value,
    /// Submitted by an HTML form (answer with a redirect to the console).
    pub form: bool,
}

/// Form fields whose values are numbers.
const NUMERIC_FIELDS: [&str; 6] = ["count", "advance_secs", "status", "ms", "errcode", "times"];

/// Reads a JSON body, an empty one (`{}`) or an HTML form post (numeric fields as numbers).
fn decode(headers: &HeaderMap, body: &Bytes) -> Result<Input, String> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let mut map = Map::new();
        for (k, v) in form_urlencoded::parse(body) {
            let v = v.trim().to_string();
            if v.is_empty() {
                continue;
            }
            let value = match v.as_str() {
                "true" | "on" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ if NUMERIC_FIELDS.contains(&k.as_ref()) => v
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::String(v)),
                _ => Value::String(v),
            };
            map.insert(k.into_owned(), value);
        }
        return Ok(Input {
            value: Value::Object(map),
            form: true,
        });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Input {
            value: Value::Object(Map::new()),
            form: false,
        });
    }
    serde_json::from_slice(body)
        .map(|value| Input { value, form: false })
        .map_err(|e| format!("the body is not valid JSON: {e}"))
}

fn parse<T: DeserializeOwned>(input: &Input, expected: &str) -> Result<T, String> {
    serde_json::from_value(input.value.clone()).map_err(|e| invalid_body(e, expected))
}

/// The message of a body that is not the `expected` one.
pub(crate) fn invalid_body(e: impl std::fmt::Display, expected: &str) -> String {
    format!("invalid body ({e}); expected {expected}")
}

pub(crate) fn bad_request(message: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": message}))).into_response()
}

/// Answers a hook: JSON for API callers; for console forms, a note in the
/// console log and a redirect back to `/`.
pub(crate) fn reply<T: Serialize>(
    shared: &Shared,
    input: &Input,
    what: &str,
    result: Result<T, SandboxError>,
) -> Response {
    if input.form {
        let text = match &result {
            Ok(value) => format!(
                "{what}: {}",
                serde_json::to_string_pretty(value).unwrap_or_default()
            ),
            Err(e) => format!("{what} failed: {e}"),
        };
        {
            let mut state = shared.lock();
            state.console.push_front(text);
            state.console.truncate(CONSOLE_KEEP);
        }
        let mut response = StatusCode::SEE_OTHER.into_response();
        response.headers_mut().insert(
            header::LOCATION,
            header::HeaderValue::from_static("/#results"),
        );
        return response;
    }
    answer(result)
}

/// A hook's result as JSON: the value, or 400 `{"error"}`.
pub(crate) fn answer<T: Serialize>(result: Result<T, SandboxError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => bad_request(&e.to_string()),
    }
}

/// What a hook's body parses into, and how its error names the expected shape.
pub(crate) trait HookBody: DeserializeOwned {
    /// The expected body, as the 400 answer shows it.
    const EXPECTED: &'static str;
}

/// A hook request: its [`decode`]d body parsed as `T`. A body that is neither
/// is answered with 400 naming [`HookBody::EXPECTED`] before the handler runs.
pub(crate) struct Hook<T> {
    pub input: Input,
    pub value: T,
}

impl<S: Send + Sync, T: HookBody> FromRequest<S> for Hook<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let input = decode(&headers, &body).map_err(|message| bad_request(&message))?;
        let value = parse(&input, T::EXPECTED).map_err(|message| bad_request(&message))?;
        Ok(Hook { input, value })
    }
}
