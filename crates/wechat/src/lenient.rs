//! Lenient readers for the loosely typed fields WeChat sends.
//!
//! WeChat is not consistent about JSON types: `errcode` arrives as a number on
//! most endpoints and as a string on some (component `jscode2session`'s doc
//! example), `phone_info.countryCode` is documented as a string and shown as a
//! number, and `is_wx_verify_succ` is `"true"` in one doc and `true` in another.
//! Peer SDKs that picked one type break on the other. These helpers accept
//! every form seen.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Reads `errcode` from a response body: missing or null means 0; a number or
/// a numeric string is accepted. Anything else is reported as text.
pub fn errcode_of(body: &Value) -> Result<i64, String> {
    match body.get("errcode") {
        None | Some(Value::Null) => Ok(0),
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .ok_or_else(|| format!("errcode {n} is not an integer")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(0),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("errcode {s:?} is not a number")),
        Some(other) => Err(format!("errcode has unexpected type: {other}")),
    }
}

/// Reads `errmsg` as text whatever its JSON type (absent means empty).
pub fn errmsg_of(body: &Value) -> String {
    match body.get("errmsg") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum StrOrNum {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// `deserialize_with` helper: a string, a number or a bool, kept as its text.
/// Used for `countryCode` (`"86"` or `86`).
pub fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match StrOrNum::deserialize(d)? {
        StrOrNum::Str(s) => s,
        StrOrNum::Int(i) => i.to_string(),
        StrOrNum::Float(f) => f.to_string(),
        StrOrNum::Bool(b) => b.to_string(),
    })
}

/// `deserialize_with` helper for optional values of [`string_or_number`].
pub fn opt_string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<StrOrNum>::deserialize(d)? {
        None => None,
        Some(StrOrNum::Str(s)) => Some(s),
        Some(StrOrNum::Int(i)) => Some(i.to_string()),
        Some(StrOrNum::Float(f)) => Some(f.to_string()),
        Some(StrOrNum::Bool(b)) => Some(b.to_string()),
    })
}

/// `deserialize_with` helper: `true`/`false`, `"true"`/`"false"`, `1`/`0` or
/// `"1"`/`"0"` as a bool; absent or null as `false`.
pub fn bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Option::<StrOrNum>::deserialize(d)? {
        None => false,
        Some(StrOrNum::Bool(b)) => b,
        Some(StrOrNum::Int(i)) => i != 0,
        Some(StrOrNum::Float(f)) => f != 0.0,
        Some(StrOrNum::Str(s)) => {
            matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
        }
    })
}

/// `deserialize_with` helper: an integer sent as a number or a numeric string.
pub fn i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match StrOrNum::deserialize(d)? {
        StrOrNum::Int(i) => Ok(i),
        StrOrNum::Float(f) => Ok(f as i64),
        StrOrNum::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an integer"))),
        StrOrNum::Bool(b) => Ok(b as i64),
    }
}

/// `deserialize_with` helper for optional integers sent as numbers or numeric strings.
/// Absent, null, or an empty string means `None`.
pub fn opt_i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<StrOrNum>::deserialize(d)? {
        None => Ok(None),
        Some(StrOrNum::Int(i)) => Ok(Some(i)),
        Some(StrOrNum::Float(f)) => Ok(Some(f as i64)),
        Some(StrOrNum::Bool(b)) => Ok(Some(b as i64)),
        Some(StrOrNum::Str(s)) if s.trim().is_empty() => Ok(None),
        Some(StrOrNum::Str(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an integer"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errcode_forms() {
        assert_eq!(errcode_of(&json!({})), Ok(0));
        assert_eq!(errcode_of(&json!({"errcode": null})), Ok(0));
        assert_eq!(errcode_of(&json!({"errcode": 40029})), Ok(40029));
        assert_eq!(errcode_of(&json!({"errcode": "40029"})), Ok(40029));
        assert_eq!(errcode_of(&json!({"errcode": -1})), Ok(-1));
        assert_eq!(errcode_of(&json!({"errcode": "-1"})), Ok(-1));
        assert!(errcode_of(&json!({"errcode": "abc"})).is_err());
        assert!(errcode_of(&json!({"errcode": [1]})).is_err());
    }

    #[derive(Deserialize)]
    struct Phone {
        #[serde(deserialize_with = "string_or_number")]
        cc: String,
        #[serde(default, deserialize_with = "bool_lenient")]
        ok: bool,
    }

    #[test]
    fn country_code_string_or_number() {
        let a: Phone = serde_json::from_value(json!({"cc": 86, "ok": "true"})).unwrap();
        let b: Phone = serde_json::from_value(json!({"cc": "86", "ok": true})).unwrap();
        let c: Phone = serde_json::from_value(json!({"cc": "1"})).unwrap();
        assert_eq!(a.cc, "86");
        assert_eq!(b.cc, "86");
        assert!(a.ok && b.ok && !c.ok);
    }
}
