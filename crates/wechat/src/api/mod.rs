//! Typed WeChat server calls, one module per family.
//!
//! Each call has one request shape and one response shape, validated before
//! anything is sent, and is a method on [`crate::Client`] so that retries,
//! timeouts and the call log are handled in one place. Request structs that
//! hold secrets deliberately do not implement `Debug`.

pub mod component;
pub mod fastregister;
pub mod login;
pub mod media;
pub mod phone;
pub mod quota;
pub mod rid;
pub mod token;
pub mod wxa_audit;
pub mod wxa_code;
pub mod wxa_domain;
pub mod wxa_member;
pub mod wxa_privacy;
pub mod wxa_release;
pub mod wxa_shared;
pub mod wxa_template;

use crate::error::{Error, Result};

/// Rejects an empty or whitespace-only value, naming the field.
pub(crate) fn require(field: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            field,
            format!("{field} is required and must not be empty"),
        ));
    }
    if value.trim() != value {
        return Err(Error::invalid(
            field,
            format!("{field} has leading or trailing whitespace; paste the value without spaces or newlines"),
        ));
    }
    Ok(())
}

/// Validates an AppID (mini program, Official Account or component), naming the field.
pub(crate) fn require_appid(field: &str, value: &str) -> Result<()> {
    require(field, value)?;
    crate::links::validate_appid(field, value)
}

/// A permission set granted to the platform, as listed in `func_info`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FuncInfo {
    /// The permission-set category.
    pub funcscope_category: FuncScope,
    /// Confirmation state for some permission sets (older material only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_info: Option<serde_json::Value>,
}

/// The id (and, in newer docs, the name) of a permission set.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FuncScope {
    /// Permission-set id (e.g. 18 = mini program development).
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub id: i64,
    /// Type, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#type: Option<i64>,
    /// Name, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Description, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
}

impl FuncInfo {
    /// The permission-set ids of a `func_info` list.
    pub fn ids(list: &[FuncInfo]) -> Vec<i64> {
        list.iter().map(|f| f.funcscope_category.id).collect()
    }
}
