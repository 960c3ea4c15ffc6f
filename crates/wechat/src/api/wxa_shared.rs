//! Pieces shared by the code-management calls (`wxa_*` modules): how an
//! authorizer or component call is built, the lenient list reader for the
//! domain and page lists WeChat sends as arrays, `;`-joined strings or
//! `null`, and the small shapes several calls answer with.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::require;
use crate::client::Call;
use crate::error::Result;

/// A GET call made with an access token (authorizer or component) for `account`.
pub(crate) fn get_with(endpoint: &'static str, token: &str, account: &str) -> Result<Call> {
    require("access_token", token)?;
    Ok(Call::get(endpoint)
        .query("access_token", token)
        .account(account))
}

/// A JSON POST made with an access token (authorizer or component) for `account`.
pub(crate) fn post_with<B: Serialize>(
    endpoint: &'static str,
    token: &str,
    account: &str,
    body: &B,
) -> Result<Call> {
    require("access_token", token)?;
    Ok(Call::post(endpoint, body)?
        .query("access_token", token)
        .account(account))
}

/// A POST with an empty JSON body (`{}`), made with an access token for
/// `account`: the shape of every read-only `wxa` call that takes no argument.
pub(crate) fn post_empty(endpoint: &'static str, token: &str, account: &str) -> Result<Call> {
    post_with(endpoint, token, account, &serde_json::json!({}))
}

/// `deserialize_with` helper: a list of strings sent as an array, a
/// `;`-joined string, or `null`/absent (empty). Non-string items are kept as text.
pub fn string_list<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Vec<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| match v {
                Value::String(s) => Some(s),
                Value::Null => None,
                other => Some(other.to_string()),
            })
            .collect(),
        Some(other) => vec![other.to_string()],
    })
}

/// `deserialize_with` helper: a string, or a number/bool rendered as text; `null`/absent is empty.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    Ok(crate::lenient::opt_string_or_number(d)?.unwrap_or_default())
}

/// `deserialize_with` helper: an integer as number or numeric string; `null`/absent/empty is 0.
pub fn int<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<i64, D::Error> {
    Ok(crate::lenient::opt_i64_lenient(d)?.unwrap_or(0))
}

/// What a domain call does with the lists it is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DomainAction {
    /// Adds the given domains.
    Add,
    /// Removes the given domains.
    Delete,
    /// Replaces the lists with the given ones.
    Set,
    /// Reads the lists (nothing is sent but the action).
    Get,
}

/// A domain-verification file to place at the root of a domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConfirmFile {
    /// The file name (e.g. `abc123.txt`).
    #[serde(default, deserialize_with = "text")]
    pub file_name: String,
    /// Its exact content.
    #[serde(default, deserialize_with = "text")]
    pub file_content: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct L {
        #[serde(default, deserialize_with = "string_list")]
        l: Vec<String>,
    }

    #[test]
    fn lists_in_every_form() {
        let a: L = serde_json::from_str(r#"{"l":["a","b"]}"#).unwrap();
        let b: L = serde_json::from_str(r#"{"l":"a;b;"}"#).unwrap();
        let c: L = serde_json::from_str(r#"{"l":null}"#).unwrap();
        let d: L = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(a.l, ["a", "b"]);
        assert_eq!(b.l, ["a", "b"]);
        assert!(c.l.is_empty() && d.l.is_empty());
    }
}
