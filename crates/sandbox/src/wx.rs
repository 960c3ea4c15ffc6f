//! WeChat's wire conventions, shared by every emulated endpoint.
//!
//! Real WeChat signals almost every failure as HTTP 200 with
//! `{"errcode":N,"errmsg":"… rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"}`, answers with
//! `Content-Type: application/json; encoding=utf-8`, and accepts loosely typed
//! JSON (numbers as strings and vice versa). Clients must cope with all of it,
//! so the sandbox reproduces it faithfully here, in one place: [`WxError`] for
//! error bodies, [`json`] for success bodies and [`Params`] for reading a
//! request the way WeChat does.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use crate::ids;

/// The documented English `errmsg` for an errcode.
pub(crate) fn errmsg_for(errcode: i64) -> &'static str {
    match errcode {
        -1 => "system error",
        0 => "ok",
        40001 => "invalid credential, access_token is invalid or not latest",
        40002 => "invalid grant_type",
        40013 => "invalid appid",
        40029 => "invalid code",
        40097 => "invalid args",
        40125 => "invalid appsecret",
        40163 => "code been used",
        40170 => "args count exceed count limit",
        41001 => "access_token missing",
        41002 => "appid missing",
        41004 => "appsecret missing",
        41008 => "missing code",
        42001 => "access_token expired",
        43002 => "require POST method",
        45009 => "reach max api daily quota limit",
        47001 => "data format error",
        48001 => "api unauthorized",
        48006 => "forbid to clear quota because of reaching the limit",
        61003 => "component is not authorized by this account",
        61005 => "component ticket is expired",
        61006 => "component ticket is invalid",
        61009 => "code is invalid",
        61010 => "code is expired",
        61011 => "invalid component",
        61023 => "refresh_token is invalid",
        61024 => "must use api(api_component_token) to get token for component acct",
        61058 => "invalid ticket",
        76001 => "rid not found",
        76003 => "invalid cgi_path",
        76021 => "cgi_path not found, please check",
        76022 => "could not use this token for this cgi_path",
        86004 => "invalid wechat",
        87009 => "invalid signature",
        89248 => "invalid code type",
        89249 => "task running",
        89250 => "task not found",
        89251 => "legal person checking",
        89252 => "front checking",
        89253 => "lack of some params",
        89255 => "enterprise code invalid",
        _ => "system error",
    }
}

/// A WeChat error answer: HTTP 200 with `errcode`/`errmsg` (+ ` rid: …`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WxError {
    /// The numeric code.
    pub errcode: i64,
    /// The message, without the rid suffix.
    pub errmsg: String,
}

impl WxError {
    /// The documented error for `errcode`.
    pub(crate) fn new(errcode: i64) -> Self {
        WxError {
            errcode,
            errmsg: errmsg_for(errcode).to_string(),
        }
    }

    /// The documented error with a `hint: [...]` naming what was wrong, as WeChat
    /// sometimes adds.
    pub(crate) fn hint(errcode: i64, hint: &str) -> Self {
        WxError {
            errcode,
            errmsg: format!("{} hint: [{hint}]", errmsg_for(errcode)),
        }
    }

    /// An error with a caller-chosen message (used by the `Errcode` fault).
    pub(crate) fn custom(errcode: i64, errmsg: &str) -> Self {
        WxError {
            errcode,
            errmsg: errmsg.to_string(),
        }
    }
}

impl IntoResponse for WxError {
    fn into_response(self) -> Response {
        json(serde_json::json!({
            "errcode": self.errcode,
            "errmsg": format!("{} rid: {}", self.errmsg, ids::rid()),
        }))
    }
}

/// What every emulated handler returns.
pub(crate) type WxResult = Result<Response, WxError>;

/// HTTP 200 with a JSON body and WeChat's content type.
pub(crate) fn json(value: Value) -> Response {
    let body = value.to_string();
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; encoding=utf-8"),
    );
    response
}

/// `{"errcode":0,"errmsg":"ok", ...extra}`.
pub(crate) fn ok(extra: Value) -> Response {
    let mut map = Map::new();
    map.insert("errcode".into(), Value::from(0));
    map.insert("errmsg".into(), Value::from("ok"));
    if let Value::Object(extra) = extra {
        map.extend(extra);
    }
    json(Value::Object(map))
}

/// A request as WeChat reads it: method, query parameters and raw body.
#[derive(Debug, Clone)]
pub(crate) struct Params {
    /// The HTTP method.
    pub method: Method,
    /// Query parameters (last value wins).
    pub query: HashMap<String, String>,
    /// The raw body.
    pub body: Bytes,
}

impl Params {
    /// A non-empty query parameter.
    pub(crate) fn q(&self, name: &str) -> Option<&str> {
        self.query
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The access token of a component endpoint: `component_access_token` or `access_token`.
    pub(crate) fn component_token(&self) -> Option<&str> {
        self.q("component_access_token")
            .or_else(|| self.q("access_token"))
    }

    /// Fails with 43002 unless the request is a POST.
    pub(crate) fn require_post(&self) -> Result<(), WxError> {
        if self.method == Method::POST {
            Ok(())
        } else {
            Err(WxError::new(43002))
        }
    }

    /// The body as a JSON object (47001 when it is not one).
    pub(crate) fn json(&self) -> Result<Body, WxError> {
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(map)) => Ok(Body(map)),
            _ => Err(WxError::new(47001)),
        }
    }
}

impl<S: Send + Sync> FromRequest<S> for Params {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let method = req.method().clone();
        let query = parse_query(req.uri().query());
        let body = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        Ok(Params {
            method,
            query,
            body,
        })
    }
}

/// Parses a query string (or form body) into a map; the last value of a repeated key wins.
pub(crate) fn parse_query(query: Option<&str>) -> HashMap<String, String> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

/// A JSON request body read leniently, as WeChat does (numbers and numeric
/// strings are interchangeable).
#[derive(Debug, Clone, Default)]
pub(crate) struct Body(pub Map<String, Value>);

impl Body {
    /// A non-empty string field (numbers are accepted and rendered).
    pub(crate) fn str(&self, name: &str) -> Option<String> {
        match self.0.get(name)? {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// An integer field (a JSON number or a numeric string).
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        match self.0.get(name)? {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A boolean field (`true`/`false`, `1`/`0`, `"true"`/`"false"`).
    pub(crate) fn bool(&self, name: &str) -> Option<bool> {
        match self.0.get(name)? {
            Value::Bool(b) => Some(*b),
            Value::Number(n) => n.as_i64().map(|n| n != 0),
            Value::String(s) => match s.as_str() {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_body() {
        let body = Body(
            serde_json::from_str::<Value>(r#"{"a":"1","b":2,"c":true,"d":"","e":"x"}"#)
                .unwrap()
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(body.int("a"), Some(1));
        assert_eq!(body.int("b"), Some(2));
        assert_eq!(body.str("b").as_deref(), Some("2"));
        assert_eq!(body.bool("c"), Some(true));
        assert_eq!(body.str("d"), None);
        assert_eq!(body.int("e"), None);
        assert_eq!(body.str("missing"), None);
    }
}
