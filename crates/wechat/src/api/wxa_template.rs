//! The platform's code-template library: drafts uploaded from WeChat
//! DevTools (`wxa/gettemplatedraftlist`), turned into templates
//! (`wxa/addtotemplate`, normal or standard), listed and deleted.
//!
//! Every call uses the component_access_token. WeChat caps the library at 200
//! templates (85065) and answers 85064 for an unknown draft or template id.
//! Adding a template has a side effect (a new template id and one slot of the
//! 200), so it is never replayed once it may have reached WeChat.

use serde::{Deserialize, Serialize};

use super::wxa_shared::{get_with, int, post_with, text};
use super::{require, require_appid};
use crate::client::Client;
use crate::error::{Error, Result};

/// A code draft uploaded from DevTools.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateDraft {
    /// Draft id, used by `addtotemplate`.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub draft_id: i64,
    /// Version string the developer entered.
    #[serde(default, deserialize_with = "text")]
    pub user_version: String,
    /// Version description.
    #[serde(default, deserialize_with = "text")]
    pub user_desc: String,
    /// Upload time (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub create_time: i64,
    /// The development mini program it was uploaded from.
    #[serde(default, deserialize_with = "text")]
    pub source_miniprogram_appid: String,
    /// That mini program's name.
    #[serde(default, deserialize_with = "text")]
    pub source_miniprogram: String,
    /// Who uploaded it.
    #[serde(default, deserialize_with = "text")]
    pub developer: String,
}

/// Normal (0) or standard (1) template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum TemplateType {
    /// `template_type = 0`: an ordinary template.
    Normal,
    /// `template_type = 1`: a standard template (must pass WeChat's standard-template audit).
    Standard,
}

impl TemplateType {
    /// The wire value.
    pub fn code(self) -> i64 {
        match self {
            TemplateType::Normal => 0,
            TemplateType::Standard => 1,
        }
    }

    /// Parses the wire value, naming the field when it is not 0 or 1.
    pub fn from_code(code: i64) -> Result<Self> {
        match code {
            0 => Ok(TemplateType::Normal),
            1 => Ok(TemplateType::Standard),
            _ => Err(Error::invalid(
                "template_type",
                format!("{code} is not a template type; use 0 (normal) or 1 (standard)"),
            )),
        }
    }
}

/// A template of the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Template {
    /// Template id, used by `wxa/commit`.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub template_id: i64,
    /// The draft it was made from.
    #[serde(default, deserialize_with = "int")]
    pub draft_id: i64,
    /// Version string.
    #[serde(default, deserialize_with = "text")]
    pub user_version: String,
    /// Version description.
    #[serde(default, deserialize_with = "text")]
    pub user_desc: String,
    /// Creation time (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub create_time: i64,
    /// 0 normal, 1 standard.
    #[serde(default, deserialize_with = "int")]
    pub template_type: i64,
    /// The development mini program it came from.
    #[serde(default, deserialize_with = "text")]
    pub source_miniprogram_appid: String,
    /// That mini program's name.
    #[serde(default, deserialize_with = "text")]
    pub source_miniprogram: String,
    /// Who uploaded it.
    #[serde(default, deserialize_with = "text")]
    pub developer: String,
    /// Standard templates: their categories, as WeChat sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_list: Option<serde_json::Value>,
    /// Standard templates: audit scene.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_scene: Option<i64>,
    /// Standard templates: audit state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_status: Option<i64>,
    /// Standard templates: why the audit failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Deserialize)]
struct DraftList {
    #[serde(default)]
    draft_list: Option<Vec<TemplateDraft>>,
}

#[derive(Deserialize)]
struct TemplateList {
    #[serde(default)]
    template_list: Option<Vec<Template>>,
}

fn positive(field: &str, value: i64) -> Result<()> {
    if value < 0 {
        return Err(Error::invalid(
            field,
            format!("{field} must be a non-negative id as listed by WeChat; got {value}"),
        ));
    }
    Ok(())
}

impl Client {
    /// `GET wxa/gettemplatedraftlist`: the drafts uploaded from DevTools.
    pub async fn wxa_template_drafts(
        &self,
        component_appid: &str,
        component_access_token: &str,
    ) -> Result<Vec<TemplateDraft>> {
        require_appid("component_appid", component_appid)?;
        let call = get_with(
            "wxa/gettemplatedraftlist",
            component_access_token,
            component_appid,
        )?;
        let r: DraftList = self.execute(call).await?;
        Ok(r.draft_list.unwrap_or_default())
    }

    /// `POST wxa/addtotemplate`: turns a draft into a template. Never replayed.
    pub async fn wxa_template_add(
        &self,
        component_appid: &str,
        component_access_token: &str,
        draft_id: i64,
        template_type: TemplateType,
    ) -> Result<()> {
        require_appid("component_appid", component_appid)?;
        positive("draft_id", draft_id)?;
        let call = post_with(
            "wxa/addtotemplate",
            component_access_token,
            component_appid,
            &serde_json::json!({"draft_id": draft_id, "template_type": template_type.code()}),
        )?
        .single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/gettemplatelist`: the library, optionally of one type only.
    pub async fn wxa_template_list(
        &self,
        component_appid: &str,
        component_access_token: &str,
        template_type: Option<TemplateType>,
    ) -> Result<Vec<Template>> {
        require_appid("component_appid", component_appid)?;
        let mut call = get_with(
            "wxa/gettemplatelist",
            component_access_token,
            component_appid,
        )?;
        if let Some(t) = template_type {
            call = call.query("template_type", t.code().to_string());
        }
        let r: TemplateList = self.execute(call).await?;
        Ok(r.template_list.unwrap_or_default())
    }

    /// `POST wxa/deletetemplate`: removes a template from the library.
    pub async fn wxa_template_delete(
        &self,
        component_appid: &str,
        component_access_token: &str,
        template_id: i64,
    ) -> Result<()> {
        require_appid("component_appid", component_appid)?;
        require("component_access_token", component_access_token)?;
        positive("template_id", template_id)?;
        let call = post_with(
            "wxa/deletetemplate",
            component_access_token,
            component_appid,
            &serde_json::json!({"template_id": template_id}),
        )?;
        self.execute_value(&call).await.map(|_| ())
    }
}
