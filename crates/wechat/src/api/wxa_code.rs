//! A merchant's code: committing a template as the experience version
//! (`wxa/commit`), reading its pages and the account's categories, and the
//! experience QR code (`wxa/get_qrcode`, image bytes).
//!
//! A commit replaces the experience version, which an ongoing test or a batch
//! may be looking at, so it is never replayed once it may have reached WeChat.

use serde::{Deserialize, Serialize};

use super::require_appid;
use super::wxa_shared::{get_with, int, post_with, string_list, text};
use crate::client::{BinaryBody, Client};
use crate::error::{Error, Result};

/// What `wxa/commit` uploads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommitRequest {
    /// A template id of the platform's library.
    pub template_id: i64,
    /// The `ext.json` content as JSON text (an object), e.g. `{"extAppid":"wx…","ext":{…}}`.
    pub ext_json: String,
    /// Version shown to the admin (e.g. `1.0.3`).
    pub user_version: String,
    /// Version description.
    pub user_desc: String,
}

impl CommitRequest {
    /// Checks every field, naming the first that is wrong.
    pub fn validate(&self) -> Result<()> {
        if self.template_id < 0 {
            return Err(Error::invalid(
                "template_id",
                "template_id must be an id from the platform's template library (wxdesk template list)",
            ));
        }
        super::require("user_version", &self.user_version)?;
        if self.user_version.chars().count() > 64 {
            return Err(Error::invalid(
                "user_version",
                "user_version is longer than 64 characters",
            ));
        }
        if self.user_desc.chars().count() > 1024 {
            return Err(Error::invalid(
                "user_desc",
                "user_desc is longer than 1024 characters",
            ));
        }
        match serde_json::from_str::<serde_json::Value>(&self.ext_json) {
            Ok(serde_json::Value::Object(_)) => Ok(()),
            Ok(_) => Err(Error::invalid(
                "ext_json",
                "ext_json must be a JSON object such as {\"extAppid\":\"wx…\",\"ext\":{}}",
            )),
            Err(e) => Err(Error::invalid(
                "ext_json",
                format!("ext_json is not valid JSON ({e}); WeChat would answer 85013"),
            )),
        }
    }
}

/// A category of the mini program, as `wxa/get_category` lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CodeCategory {
    /// First-level name.
    #[serde(default, deserialize_with = "text")]
    pub first_class: String,
    /// Second-level name.
    #[serde(default, deserialize_with = "text")]
    pub second_class: String,
    /// Third-level name, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_class: Option<String>,
    /// First-level id.
    #[serde(default, deserialize_with = "int")]
    pub first_id: i64,
    /// Second-level id.
    #[serde(default, deserialize_with = "int")]
    pub second_id: i64,
    /// Third-level id, when there is one.
    #[serde(
        default,
        deserialize_with = "crate::lenient::opt_i64_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub third_id: Option<i64>,
}

#[derive(Deserialize)]
struct PageList {
    #[serde(default, deserialize_with = "string_list")]
    page_list: Vec<String>,
}

#[derive(Deserialize)]
struct CategoryList {
    #[serde(default)]
    category_list: Option<Vec<CodeCategory>>,
}

/// Validates a page path as WeChat wants it: relative, no leading slash.
pub fn validate_page_path(field: &str, path: &str) -> Result<()> {
    if path.is_empty() || path.starts_with('/') || path.contains("://") || path.trim() != path {
        return Err(Error::invalid(
            field,
            format!(
                "{path:?} must be a page path such as pages/index/index?x=1 (no leading slash)"
            ),
        ));
    }
    Ok(())
}

impl Client {
    /// `POST wxa/commit`: uploads a template as the experience version. Never replayed.
    pub async fn wxa_commit(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        commit: &CommitRequest,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        commit.validate()?;
        let call = post_with("wxa/commit", authorizer_access_token, appid, commit)?.single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/get_page`: the pages of the committed code.
    pub async fn wxa_pages(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Vec<String>> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/get_page", authorizer_access_token, appid)?;
        let r: PageList = self.execute(call).await?;
        Ok(r.page_list)
    }

    /// `GET wxa/get_category`: the categories an audit item may use.
    pub async fn wxa_categories(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Vec<CodeCategory>> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/get_category", authorizer_access_token, appid)?;
        let r: CategoryList = self.execute(call).await?;
        Ok(r.category_list.unwrap_or_default())
    }

    /// `GET wxa/get_qrcode`: the experience version's QR code as an image,
    /// opening `path` when given. WeChat's JSON error body becomes [`Error::Api`].
    pub async fn wxa_experience_qr(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        path: Option<&str>,
    ) -> Result<BinaryBody> {
        require_appid("appid", appid)?;
        let mut call = get_with("wxa/get_qrcode", authorizer_access_token, appid)?;
        if let Some(p) = path {
            validate_page_path("path", p)?;
            call = call.query("path", p);
        }
        self.execute_binary(&call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_validation_names_the_field() {
        let ok = CommitRequest {
            template_id: 1,
            ext_json: r#"{"extAppid":"wx0123456789abcdef"}"#.into(),
            user_version: "1.0.0".into(),
            user_desc: "first".into(),
        };
        assert!(ok.validate().is_ok());
        for (c, field) in [
            (
                CommitRequest {
                    ext_json: "{nope".into(),
                    ..ok.clone()
                },
                "ext_json",
            ),
            (
                CommitRequest {
                    ext_json: "[1]".into(),
                    ..ok.clone()
                },
                "ext_json",
            ),
            (
                CommitRequest {
                    user_version: "".into(),
                    ..ok.clone()
                },
                "user_version",
            ),
            (
                CommitRequest {
                    template_id: -1,
                    ..ok.clone()
                },
                "template_id",
            ),
        ] {
            match c.validate() {
                Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{other:?}"),
            }
        }
    }
}
