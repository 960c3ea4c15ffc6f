//! The platform's own side of code management, with its
//! component_access_token: the template library (drafts uploaded from
//! DevTools, turned into templates, listed, deleted) and the platform's own
//! server and business (jump) domain lists, which every domain set on a
//! merchant must be on first.
//!
//! Adding a template takes one of the library's 200 slots and is sent once.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_domain::PlatformDomains;
use wxdesk_wechat::api::wxa_shared::{ConfirmFile, DomainAction};
use wxdesk_wechat::api::wxa_template::{Template, TemplateDraft, TemplateType};
use wxdesk_wechat::links::validate_appid;

use crate::desk::Desk;
use crate::error::{Error, Result};

/// Which of the platform's domain lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PlatformDomainKind {
    /// Server domains (`modify_wxa_server_domain`).
    Server,
    /// Business / web-view domains (`modify_wxa_jump_domain`).
    Jump,
}

/// The platform's domain list after a change (or a read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlatformDomainsView {
    /// The platform.
    pub component_appid: String,
    /// Which list.
    pub kind: PlatformDomainKind,
    /// The lists WeChat answered.
    pub domains: PlatformDomains,
}

impl Desk {
    fn comp(&self, component: &str) -> Result<()> {
        validate_appid("component_appid", component)?;
        Ok(())
    }

    /// The drafts uploaded from DevTools.
    pub async fn wxa_template_drafts(&self, component: &str) -> Result<Vec<TemplateDraft>> {
        self.comp(component)?;
        let client = self.client();
        self.with_component_token(component, |t| async move {
            client.wxa_template_drafts(component, &t).await
        })
        .await
    }

    /// The template library, optionally of one type.
    pub async fn wxa_template_list(
        &self,
        component: &str,
        template_type: Option<TemplateType>,
    ) -> Result<Vec<Template>> {
        self.comp(component)?;
        let client = self.client();
        self.with_component_token(component, |t| async move {
            client.wxa_template_list(component, &t, template_type).await
        })
        .await
    }

    /// Turns draft `draft_id` into a template (sent once); returns the new
    /// template as the library lists it.
    pub async fn wxa_template_add(
        &self,
        component: &str,
        draft_id: i64,
        template_type: TemplateType,
    ) -> Result<Template> {
        self.comp(component)?;
        let client = self.client();
        self.with_component_token(component, |t| async move {
            client
                .wxa_template_add(component, &t, draft_id, template_type)
                .await
        })
        .await?;
        let list = self.wxa_template_list(component, None).await?;
        list.into_iter()
            .filter(|t| t.draft_id == draft_id)
            .max_by_key(|t| (t.create_time, t.template_id))
            .ok_or_else(|| {
                Error::invalid(
                    "draft_id",
                    format!("draft {draft_id} was added but the library does not list it yet; run `wxdesk template list`"),
                )
            })
    }

    /// Removes a template from the library.
    pub async fn wxa_template_delete(&self, component: &str, template_id: i64) -> Result<()> {
        self.comp(component)?;
        let client = self.client();
        self.with_component_token(component, |t| async move {
            client.wxa_template_delete(component, &t, template_id).await
        })
        .await
    }

    /// Reads or changes the platform's own server or business domain list
    /// (`published_too` also changes the released platform's list).
    pub async fn wxa_platform_domains(
        &self,
        component: &str,
        kind: PlatformDomainKind,
        action: DomainAction,
        domains: &[String],
        published_too: bool,
    ) -> Result<PlatformDomainsView> {
        self.comp(component)?;
        let client = self.client();
        let list = self
            .with_component_token(component, |t| async move {
                match kind {
                    PlatformDomainKind::Server => {
                        client
                            .component_server_domain(component, &t, action, domains, published_too)
                            .await
                    }
                    PlatformDomainKind::Jump => {
                        client
                            .component_jump_domain(component, &t, action, domains, published_too)
                            .await
                    }
                }
            })
            .await?;
        Ok(PlatformDomainsView {
            component_appid: component.to_string(),
            kind,
            domains: list,
        })
    }

    /// The file proving the platform owns its business domains.
    pub async fn wxa_platform_confirmfile(&self, component: &str) -> Result<ConfirmFile> {
        self.comp(component)?;
        let client = self.client();
        self.with_component_token(component, |t| async move {
            client.component_domain_confirmfile(component, &t).await
        })
        .await
    }
}
