//! Redaction of secrets from anything that may be shown or stored.
//!
//! Requests and responses to WeChat carry app secrets, tokens, single-use codes
//! and session keys, often in the query string. The call log, error messages
//! and exports must never hold them in plaintext, so everything that leaves the
//! protocol layer for display passes through here first. The rule is by field
//! name, because WeChat's names are stable and the values have no recognisable
//! shape.
//!
//! A body is not always JSON: gateways answer HTML, a connection cut mid-body
//! leaves half a JSON object, pushes are XML. So when a body does not parse,
//! [`redact_text`] scans the raw text for secret-bearing names in every shape
//! they take (`"key":"value"`, `key=value`, `key: value`, `<Key>value</Key>`,
//! escaped JSON inside JSON), and masks the values, even when the text ends
//! before the value does. Mainland mobile numbers are masked too (`138****8000`):
//! the call log is not the place for a user's phone number.

use serde_json::Value;

/// Field names whose values are secrets, tokens or single-use codes.
///
/// Matching is case-insensitive and ignores `_` and `-`, so `access_token`,
/// `AccessToken` and `ACCESS-TOKEN` are the same name.
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
    "js_code",
    "code",
    "auth_code",
    "authorization_code",
    "pre_auth_code",
    "component_verify_ticket",
    "ticket",
    "encoding_aes_key",
    "aes_key",
    "signature",
    "msg_signature",
    "encrypt",
    "create_token",
    "passphrase",
    "password",
];

/// Field names whose values are phone numbers, masked as `138****8000`.
pub const PHONE_FIELDS: &[&str] = &["phone_number", "pure_phone_number", "mobile"];

/// `a` and `b` are equal ignoring ASCII case, `_` and `-`.
fn same_name(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.bytes()
            .filter(|c| *c != b'_' && *c != b'-')
            .map(|c| c.to_ascii_lowercase())
            .collect::<Vec<u8>>()
    };
    a.len() <= 64 && strip(a) == strip(b)
}

fn listed(list: &[&str], name: &str) -> bool {
    list.iter().any(|f| same_name(name, f))
}

/// True when `name` is a field whose value must be redacted.
pub fn is_secret_field(name: &str) -> bool {
    listed(SECRET_FIELDS, name)
}

/// True when `name` is a field holding a phone number.
pub fn is_phone_field(name: &str) -> bool {
    listed(PHONE_FIELDS, name)
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

/// Masks a phone number as `138****8000`: the first three and last four
/// characters stay, the rest becomes `****`. Short values become `****`.
pub fn mask_phone(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        String::new()
    } else if chars.len() < 8 {
        "****".to_string()
    } else {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    }
}

/// Masks every mainland mobile number standing alone in `text`: eleven digits
/// `1[3-9]xxxxxxxxx`, optionally after `86`, not part of a longer word or number.
pub fn mask_mobiles(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i < b.len() && b[i].is_ascii_alphanumeric() {
            continue;
        }
        let run = &text[start..i];
        let number = match run.len() {
            11 => run,
            13 if run.starts_with("86") => &run[2..],
            _ => continue,
        };
        let nb = number.as_bytes();
        if nb[0] == b'1' && (b'3'..=b'9').contains(&nb[1]) {
            out.push_str(&text[copied..i - 11]);
            out.push_str(&mask_phone(number));
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Returns a copy of `value` with every secret field's value masked, at any
/// depth; phone fields are masked as phone numbers, and other strings are
/// scanned as text (an errmsg may quote a secret).
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
                    } else if is_phone_field(k) {
                        match v {
                            Value::String(s) => Value::String(mask_phone(s)),
                            Value::Number(n) => Value::String(mask_phone(&n.to_string())),
                            other => redact_json(other),
                        }
                    } else {
                        redact_json(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        Value::String(s) => Value::String(redact_text(s)),
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

/// Redacts a raw response or request body for display and storage. The body
/// is first cut to `max_chars` characters (so the work is bounded and a huge
/// body never reaches the log); what is left is redacted by field when it is
/// JSON, and otherwise scanned as text by [`redact_text`], which also handles
/// XML, forms and bodies cut mid-value. Mobile numbers are masked either way.
pub fn redact_body(body: &str, max_chars: usize) -> String {
    let cut = truncate(body, max_chars);
    let out = match serde_json::from_str::<Value>(cut.trim_start()) {
        Ok(v) => serde_json::to_string(&redact_json(&v)).unwrap_or_default(),
        Err(_) => redact_text(&cut),
    };
    mask_mobiles(&out)
}

/// Masks the text of XML elements whose tag is a secret field name (the
/// document may be cut short; see [`redact_text`]).
pub fn redact_xml(xml: &str) -> String {
    redact_text(xml)
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Where the value of the secret-bearing name at `start..end` lies, in any of
/// the shapes a name and its value take in text. `None` when the name is not
/// followed by a value (it is prose, or an XML closing tag).
fn value_span(b: &[u8], start: usize, end: usize) -> Option<(usize, usize)> {
    let prev = start.checked_sub(1).map(|p| b[p]);
    let at = |i: usize| b.get(i).copied();
    let until = |from: usize, stop: &dyn Fn(u8) -> bool| {
        let mut j = from;
        while j < b.len() && !stop(b[j]) {
            j += 1;
        }
        j
    };
    let span = |vs: usize, ve: usize| (ve > vs).then_some((vs, ve));
    // JSON: "name": "value" / "name": 123, also escaped inside a JSON string (\"name\":\"value\").
    let quoted_close = match (at(end), at(end + 1)) {
        (Some(b'"'), _) => Some(end),
        (Some(b'\\'), Some(b'"')) => Some(end + 1),
        _ => None,
    };
    if let (Some(b'"'), Some(q)) = (prev, quoted_close) {
        let mut j = skip_spaces(b, q + 1);
        if at(j) != Some(b':') {
            return None;
        }
        j = skip_spaces(b, j + 1);
        let escaped = at(j) == Some(b'\\') && at(j + 1) == Some(b'"');
        if escaped || at(j) == Some(b'"') {
            let vs = j + if escaped { 2 } else { 1 };
            let mut k = vs;
            while k < b.len() {
                match b[k] {
                    b'\\' if !escaped => k += 2,
                    b'\\' if at(k + 1) == Some(b'"') => break,
                    b'"' => break,
                    _ => k += 1,
                }
            }
            return span(vs, k.min(b.len()));
        }
        let ve = until(j, &|c| {
            matches!(c, b',' | b'}' | b']' | b'"' | b'\\') || c.is_ascii_whitespace()
        });
        return span(j, ve);
    }
    // XML: <Name>value</Name>, <Name attr="x"><![CDATA[value]]></Name>, possibly cut short.
    if prev == Some(b'<') {
        let gt = until(end, &|c| c == b'>' || c == b'<');
        if at(gt) != Some(b'>') || gt == 0 || b[gt - 1] == b'/' {
            return None;
        }
        let vs = gt + 1;
        if b[vs..].starts_with(b"<![CDATA[") {
            let vs = vs + 9;
            let ve = b[vs..]
                .windows(3)
                .position(|w| w == b"]]>")
                .map_or(b.len(), |p| vs + p);
            return span(vs, ve);
        }
        return span(vs, until(vs, &|c| c == b'<'));
    }
    // Form or query: name=value.
    if at(end) == Some(b'=') {
        let vs = end + 1;
        let ve = until(vs, &|c| {
            matches!(c, b'&' | b'"' | b'\'' | b'<' | b'>' | b';' | b',') || c.is_ascii_whitespace()
        });
        return span(vs, ve);
    }
    // Prose or headers: name: value.
    if at(end) == Some(b':') && at(end + 1) != Some(b':') {
        let vs = skip_spaces(b, end + 1);
        let ve = until(vs, &|c| {
            matches!(c, b',' | b';' | b'&' | b'"' | b'<') || c.is_ascii_whitespace()
        });
        return span(vs, ve);
    }
    None
}

/// Masks the value of every secret-bearing name found anywhere in `text`,
/// whatever the shape: `"key":"value"` (also escaped, also cut short),
/// `key=value`, `key: value` and `<Key>value</Key>` (with or without CDATA).
/// Names match as in [`is_secret_field`]; phone fields are masked as phones.
/// Everything else is copied unchanged.
pub fn redact_text(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if !is_name_byte(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_name_byte(b[i]) {
            i += 1;
        }
        // All delimiters are ASCII, so these byte offsets are char boundaries.
        let name = &text[start..i];
        let phone = is_phone_field(name);
        if !phone && !is_secret_field(name) {
            continue;
        }
        let Some((vs, ve)) = value_span(b, start, i) else {
            continue;
        };
        out.push_str(&text[copied..vs]);
        let value = &text[vs..ve];
        out.push_str(&if phone {
            mask_phone(value)
        } else {
            mask(value)
        });
        copied = ve;
        i = ve;
    }
    out.push_str(&text[copied..]);
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
