//! A merchant's code: committing a template as its experience version (with
//! the per-merchant `ext.json`), its pages and categories, the experience QR
//! code, its testers and its account basic info.
//!
//! A commit replaces the experience version a tester or a batch may be
//! looking at, so it is sent once: the protocol layer decides whether a
//! failed exchange may be replayed (it never replays a commit that may have
//! reached WeChat) and nothing here retries it. What a commit changed is
//! recorded in the version state (`services::wxa_state`).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_code::{CodeCategory, CommitRequest};
use wxdesk_wechat::api::wxa_member::{AccountBasicInfo, Tester, TesterRef};

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::wxa_state::VersionStateView;
use crate::store::authorizers;

/// The `ext.json` used when none is given: the merchant's own appid.
pub const DEFAULT_EXT_JSON: &str = r#"{"extEnable":true,"extAppid":"{{appid}}","ext":{}}"#;

/// What to commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInput {
    /// A template id of the platform's library.
    pub template_id: i64,
    /// Version shown to the admin (e.g. `1.0.3`).
    pub user_version: String,
    /// Version description.
    pub user_desc: String,
    /// `ext.json` as JSON text, with `{{appid}}`, `{{nickname}}` and any
    /// `{{name}}` of `vars` replaced per merchant; [`DEFAULT_EXT_JSON`] when `None`.
    pub ext_json: Option<String>,
    /// Custom variables (e.g. a CSV row's columns).
    pub vars: BTreeMap<String, String>,
}

/// The result of a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CommitView {
    /// The mini program.
    pub appid: String,
    /// The template committed.
    pub template_id: i64,
    /// The version string.
    pub user_version: String,
    /// The `ext.json` sent, after substitution.
    pub ext_json: String,
    /// The version state after the commit.
    pub state: VersionStateView,
}

/// The experience QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ExperienceQrView {
    /// The mini program.
    pub appid: String,
    /// The page it opens, when given.
    pub path: Option<String>,
    /// `image/png` (or what WeChat sent).
    pub content_type: String,
    /// The image, base64.
    pub image_base64: String,
}

/// A bound tester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TesterBound {
    /// The mini program.
    pub appid: String,
    /// The WeChat id bound.
    pub wechat_id: String,
    /// WeChat's opaque id of the tester (for unbinding without the WeChat id).
    pub userstr: String,
}

/// Replaces `{{appid}}`, `{{nickname}}` and every `{{name}}` of `vars` in
/// `template` (values are JSON-escaped, as they land inside JSON strings),
/// then checks the result is a JSON object. A `{{name}}` with no value is an
/// error naming it.
pub fn render_ext_json(template: &str, vars: &BTreeMap<String, String>) -> Result<String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(Error::invalid(
                "ext_json",
                "an unclosed {{ in ext_json; variables are written {{appid}}, {{nickname}} or {{column}}",
            ));
        };
        let name = after[..end].trim();
        let Some(value) = vars.get(name) else {
            let known: Vec<&str> = vars.keys().map(String::as_str).collect();
            return Err(Error::invalid(
                "ext_json",
                format!(
                    "ext_json uses {{{{{name}}}}} but no value is given for it (known: {})",
                    known.join(", ")
                ),
            ));
        };
        let quoted =
            serde_json::to_string(value).map_err(|e| Error::invalid("ext_json", e.to_string()))?;
        out.push_str(&quoted[1..quoted.len() - 1]);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    match serde_json::from_str::<serde_json::Value>(&out) {
        Ok(serde_json::Value::Object(_)) => Ok(out),
        Ok(_) => Err(Error::invalid(
            "ext_json",
            "ext_json must be a JSON object such as {\"extAppid\":\"{{appid}}\",\"ext\":{}}",
        )),
        Err(e) => Err(Error::invalid(
            "ext_json",
            format!("ext_json is not valid JSON after substitution ({e})"),
        )),
    }
}

impl Desk {
    /// Commits a template as the experience version of `appid`. Sent once.
    pub async fn wxa_commit(
        &self,
        appid: &str,
        component: Option<&str>,
        input: &CommitInput,
    ) -> Result<CommitView> {
        let comp = self.wxa_component(appid, component)?;
        let template = input.ext_json.as_deref().unwrap_or(DEFAULT_EXT_JSON);
        let mut vars = input.vars.clone();
        vars.insert("appid".into(), appid.to_string());
        if template.contains("nickname") && !vars.contains_key("nickname") {
            vars.insert("nickname".into(), self.wxa_nickname(appid, &comp).await?);
        }
        let ext_json = render_ext_json(template, &vars)?;
        let req = CommitRequest {
            template_id: input.template_id,
            ext_json: ext_json.clone(),
            user_version: input.user_version.trim().to_string(),
            user_desc: input.user_desc.clone(),
        };
        req.validate()?;
        let client = self.client();
        let req_ref = &req;
        self.with_wxa_token(appid, Some(&comp), |t| async move {
            client.wxa_commit(appid, &t, req_ref).await
        })
        .await?;
        let now = self.now();
        let state = self.wxa_update_state(appid, &comp, |row| {
            row.template_id = Some(req.template_id);
            row.exp_version = Some(req.user_version.clone());
            row.exp_desc = Some(req.user_desc.clone());
            row.committed_at = Some(now);
        })?;
        Ok(CommitView {
            appid: appid.to_string(),
            template_id: req.template_id,
            user_version: req.user_version,
            ext_json,
            state,
        })
    }

    /// The nickname of `appid`: as stored with its authorization, else as
    /// WeChat's account basic info says.
    async fn wxa_nickname(&self, appid: &str, comp: &str) -> Result<String> {
        let stored = self
            .store()
            .read(|c| authorizers::get(c, comp, appid))?
            .map(|r| r.nick_name)
            .unwrap_or_default();
        if !stored.trim().is_empty() {
            return Ok(stored);
        }
        let info = self.wxa_account_info(appid, Some(comp)).await?;
        Ok(info.display_nickname().to_string())
    }

    /// The pages of the committed code.
    pub async fn wxa_pages(&self, appid: &str, component: Option<&str>) -> Result<Vec<String>> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_pages(appid, &t).await
            })
            .await?;
        Ok(v)
    }

    /// The categories an audit item may use.
    pub async fn wxa_categories(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<Vec<CodeCategory>> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_categories(appid, &t).await
            })
            .await?;
        Ok(v)
    }

    /// The experience QR code (PNG), opening `path` when given.
    pub async fn wxa_experience_qr(
        &self,
        appid: &str,
        component: Option<&str>,
        path: Option<&str>,
    ) -> Result<ExperienceQrView> {
        let client = self.client();
        let (_, img) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_experience_qr(appid, &t, path).await
            })
            .await?;
        Ok(ExperienceQrView {
            appid: appid.to_string(),
            path: path.map(str::to_string),
            content_type: img.content_type,
            image_base64: B64.encode(&img.bytes),
        })
    }

    /// Binds `wechat_id` as a tester (it may then scan the experience QR).
    pub async fn wxa_tester_bind(
        &self,
        appid: &str,
        component: Option<&str>,
        wechat_id: &str,
    ) -> Result<TesterBound> {
        let wechat_id = wechat_id.trim();
        let client = self.client();
        let (_, userstr) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_bind_tester(appid, &t, wechat_id).await
            })
            .await?;
        Ok(TesterBound {
            appid: appid.to_string(),
            wechat_id: wechat_id.to_string(),
            userstr,
        })
    }

    /// Unbinds a tester by WeChat id or userstr.
    pub async fn wxa_tester_unbind(
        &self,
        appid: &str,
        component: Option<&str>,
        who: &TesterRef,
    ) -> Result<()> {
        let client = self.client();
        self.with_wxa_token(appid, component, |t| async move {
            client.wxa_unbind_tester(appid, &t, who).await
        })
        .await?;
        Ok(())
    }

    /// The bound testers.
    pub async fn wxa_testers(&self, appid: &str, component: Option<&str>) -> Result<Vec<Tester>> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_testers(appid, &t).await
            })
            .await?;
        Ok(v)
    }

    /// The account's basic info (nickname, avatar, description, principal).
    pub async fn wxa_account_info(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<AccountBasicInfo> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.account_basic_info(appid, &t).await
            })
            .await?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ext_json_substitutes_escaped_values_and_names_missing_ones() {
        let mut vars = BTreeMap::new();
        vars.insert("appid".to_string(), "wx0123456789abcdef".to_string());
        vars.insert("nickname".to_string(), "Shop \"A\"".to_string());
        let out = render_ext_json(
            r#"{"extAppid":"{{appid}}","ext":{"name":"{{ nickname }}"}}"#,
            &vars,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["ext"]["name"], "Shop \"A\"");
        assert_eq!(v["extAppid"], "wx0123456789abcdef");
        match render_ext_json(r#"{"a":"{{city}}"}"#, &vars) {
            Err(Error::Invalid { field, reason }) => {
                assert_eq!(field, "ext_json");
                assert!(reason.contains("{{city}}"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert!(render_ext_json("[1]", &vars).is_err());
        assert!(render_ext_json(r#"{"a":"{{appid"}"#, &vars).is_err());
    }
}
