//! Redaction of secrets from anything that may be shown or stored.
//!
//! Requests and responses to WeChat carry app secrets, tokens, single-use codes
//! and session keys, often in the query string. The call log, error messages
//! and exports must never hold them in plaintext, so everything that leaves the
//! protocol layer for display passes through here first. The rule is by field
//! name, because WeChat's names are stable and the values have no recognisable
//! shape.

use serde_json::Value;

/// Field names whose values are secrets, tokens or single-use codes.
///
/// Matching is case-insensitive and exact on the name.
pub const SECRET_FIELDS: &[&str] = &[
    "secret",
    "appsecret",
    "app_secret",
    "component_appsecret",
    "component_secret",
    "access_token",
    "component_access_token",
    "authorizer_access_token",
    "authorizer_refresh_token",
    "refresh_token",
    "stable_token",
    "token",
    "session_key",
    "sessionkey",
    "js_code",
    "code",
    "auth_code",
    "authorization_code",
    "authorizationcode",
    "pre_auth_code",
    "preauthcode",
    "component_verify_ticket",
    "componentverifyticket",
    "ticket",
    "encoding_aes_key",
    "encodingaeskey",
    "aes_key",
    "signature",
    "msg_signature",
    "encrypt",
    "create_token",
];

/// True when `name` is a field whose value must be redacted.
pub fn is_secret_field(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_FIELDS.contains(&lower.as_str())
}

/// Masks a secret for display: the first four characters and `…`, or just `…`
/// when the value is too short for a prefix to be harmless.
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n == 0 {
        String::new()
    } else if n <= 12 {
        "…".to_string()
    } else {
        let head: String = value.chars().take(4).collect();
        format!("{head}…")
    }
}

/// Returns a copy of `value` with every secret field's value masked, at any depth.
pub fn redact_json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if is_secret_field(k) {
                        match v {
                            Value::String(s) => Value::String(mask(s)),
                            Value::Null => Value::Null,
                            _ => Value::String("…".into()),
                        }
                    } else {
                        redact_json(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        other => other.clone(),
    }
}

/// Redacts `key=value` pairs of a query string (with or without a leading `?`).
pub fn redact_query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) if is_secret_field(k) => {
                let decoded = percent_encoding::percent_decode_str(v).decode_utf8_lossy();
                format!("{k}={}", mask(&decoded))
            }
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Redacts a raw response or request body for display: JSON is redacted by
/// field, XML by element (`<Encrypt>`, `<ComponentVerifyTicket>`, …), anything
/// else by `key=value` pairs. The result is cut to `max_chars` characters.
pub fn redact_body(body: &str, max_chars: usize) -> String {
    let trimmed = body.trim_start();
    let out = if let Ok(v) = serde_json::from_str::<Value>(trimmed) {
        serde_json::to_string(&redact_json(&v)).unwrap_or_default()
    } else if trimmed.starts_with('<') {
        redact_xml(body)
    } else {
        redact_query(body)
    };
    truncate(&out, max_chars)
}

/// Masks the text of XML elements whose tag is a secret field name.
pub fn redact_xml(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let tag = &after[..close];
        out.push('<');
        out.push_str(tag);
        out.push('>');
        rest = &after[close + 1..];
        let name = tag.trim().trim_end_matches('/');
        if !name.starts_with(['/', '!', '?']) && !tag.ends_with('/') && is_secret_field(name) {
            let end_tag = format!("</{name}>");
            if let Some(end) = rest.find(&end_tag) {
                let inner = &rest[..end];
                let text = inner
                    .strip_prefix("<![CDATA[")
                    .and_then(|s| s.strip_suffix("]]>"))
                    .unwrap_or(inner);
                out.push_str(&mask(text));
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max_chars).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_secrets_are_masked_at_any_depth() {
        let v = json!({
            "appid": "wx1234567890abcdef",
            "secret": "0123456789abcdef0123456789abcdef",
            "authorization_info": {"authorizer_refresh_token": "refreshtoken-very-secret-1", "func_info": [1]},
            "list": [{"refresh_token": "another-refresh-token-2", "authorizer_appid": "wxaaa"}],
            "code": "short"
        });
        let r = redact_json(&v).to_string();
        assert!(!r.contains("0123456789abcdef0123456789abcdef"));
        assert!(!r.contains("refreshtoken-very-secret-1"));
        assert!(!r.contains("another-refresh-token-2"));
        assert!(!r.contains("short"));
        assert!(r.contains("wx1234567890abcdef"));
        assert!(r.contains("0123…"));
    }

    #[test]
    fn query_and_xml_are_masked() {
        let q = redact_query(
            "appid=wx1&secret=SECRETSECRETSECRET&js_code=abc&grant_type=authorization_code",
        );
        assert!(!q.contains("SECRETSECRETSECRET"));
        assert!(!q.contains("js_code=abc"));
        assert!(q.contains("grant_type=authorization_code"));
        let x = redact_xml("<xml><AppId><![CDATA[wx1]]></AppId><Encrypt><![CDATA[VERYLONGCIPHERTEXTVALUE==]]></Encrypt><ComponentVerifyTicket>ticket@@@abcdefghijkl</ComponentVerifyTicket></xml>");
        assert!(!x.contains("VERYLONGCIPHERTEXTVALUE"));
        assert!(!x.contains("ticket@@@abcdefghijkl"));
        assert!(x.contains("wx1"));
    }

    #[test]
    fn body_redaction_picks_the_format() {
        let b = redact_body(
            r#"{"access_token":"ACCESS_TOKEN_VALUE_123","expires_in":7200}"#,
            1000,
        );
        assert!(!b.contains("ACCESS_TOKEN_VALUE_123"));
        assert!(b.contains("7200"));
        let t = redact_body(&"x".repeat(50), 10);
        assert_eq!(t.chars().count(), 11);
    }
}
