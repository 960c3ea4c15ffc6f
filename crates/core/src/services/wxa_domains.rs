//! A merchant's domains and privacy guide: server domains (`modify_domain`,
//! or `_directly` with a verification file), web-view (business) domains,
//! the effective lists, the privacy guide and the privacy interfaces.
//!
//! A domain change spends one of the month's 50 changes, so it is sent once;
//! reads may be replayed by the protocol layer.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_domain::{EffectiveDomains, ServerDomains, WebviewDomains};
use wxdesk_wechat::api::wxa_privacy::{
    PrivacyInterface, PrivacyInterfaceApplication, PrivacySetting, PrivacySettingInfo,
};
use wxdesk_wechat::api::wxa_shared::{ConfirmFile, DomainAction};

use crate::desk::Desk;
use crate::error::Result;

/// A mini program's server domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DomainsView {
    /// The mini program.
    pub appid: String,
    /// The lists, per kind (as `modify_domain` answers: those the platform set).
    pub domains: ServerDomains,
    /// Every source and what is in effect (`get_effective_domain`), when read.
    pub effective: Option<EffectiveDomains>,
}

/// A mini program's web-view (business) domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WebviewView {
    /// The mini program.
    pub appid: String,
    /// The `https://` domains.
    pub webviewdomain: Vec<String>,
}

/// A mini program's privacy guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrivacyView {
    /// The mini program.
    pub appid: String,
    /// WeChat's answer (what the code uses, what is declared).
    pub info: PrivacySettingInfo,
    /// Privacy keys the code uses that the guide does not declare.
    pub undeclared: Vec<String>,
}

/// A submitted privacy interface application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PrivacyApplyView {
    /// The mini program.
    pub appid: String,
    /// The interface applied for.
    pub api_name: String,
    /// The application's audit id.
    pub audit_id: i64,
}

impl Desk {
    /// Reads (`action = get`) or changes the server domains; `directly`
    /// uses `modify_domain_directly`.
    pub async fn wxa_server_domains(
        &self,
        appid: &str,
        component: Option<&str>,
        action: DomainAction,
        domains: &ServerDomains,
        directly: bool,
    ) -> Result<DomainsView> {
        if action != DomainAction::Get {
            domains.validate()?;
        }
        let client = self.client();
        let (_, d) = self
            .with_wxa_token(appid, component, |t| async move {
                client
                    .wxa_server_domain(appid, &t, action, domains, directly)
                    .await
            })
            .await?;
        Ok(DomainsView {
            appid: appid.to_string(),
            domains: d,
            effective: None,
        })
    }

    /// Reads or changes the web-view (business) domains.
    pub async fn wxa_webview_domains(
        &self,
        appid: &str,
        component: Option<&str>,
        action: DomainAction,
        urls: &[String],
        directly: bool,
    ) -> Result<WebviewView> {
        let client = self.client();
        let (_, d): (_, WebviewDomains) = self
            .with_wxa_token(appid, component, |t| async move {
                client
                    .wxa_webview_domain(appid, &t, action, urls, directly)
                    .await
            })
            .await?;
        Ok(WebviewView {
            appid: appid.to_string(),
            webviewdomain: d.webviewdomain,
        })
    }

    /// The file to place on a business domain before a direct web-view set.
    pub async fn wxa_webview_confirmfile(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<ConfirmFile> {
        let client = self.client();
        let (_, f) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_webview_confirmfile(appid, &t).await
            })
            .await?;
        Ok(f)
    }

    /// Every source of server domains and what is in effect.
    pub async fn wxa_effective_domains(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<EffectiveDomains> {
        let client = self.client();
        let (_, d) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_effective_domain(appid, &t).await
            })
            .await?;
        Ok(d)
    }

    /// The privacy guide (`privacy_ver` 2 = the development version, the default of WeChat).
    pub async fn wxa_privacy_get(
        &self,
        appid: &str,
        component: Option<&str>,
        privacy_ver: Option<i64>,
    ) -> Result<PrivacyView> {
        let client = self.client();
        let (_, info) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_get_privacy(appid, &t, privacy_ver).await
            })
            .await?;
        Ok(PrivacyView {
            appid: appid.to_string(),
            undeclared: info.undeclared(),
            info,
        })
    }

    /// Sets the privacy guide; returns it as WeChat then reads it.
    pub async fn wxa_privacy_set(
        &self,
        appid: &str,
        component: Option<&str>,
        setting: &PrivacySetting,
    ) -> Result<PrivacyView> {
        setting.validate()?;
        let client = self.client();
        let (comp, ()) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_set_privacy(appid, &t, setting).await
            })
            .await?;
        self.wxa_privacy_get(appid, Some(&comp), setting.privacy_ver)
            .await
    }

    /// The privacy interfaces (`wx.getLocation`…) and whether each is granted.
    pub async fn wxa_privacy_interfaces(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<Vec<PrivacyInterface>> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_privacy_interfaces(appid, &t).await
            })
            .await?;
        Ok(v)
    }

    /// Applies for a privacy interface; returns the application's audit id.
    pub async fn wxa_privacy_apply(
        &self,
        appid: &str,
        component: Option<&str>,
        application: &PrivacyInterfaceApplication,
    ) -> Result<PrivacyApplyView> {
        let client = self.client();
        let (_, audit_id) = self
            .with_wxa_token(appid, component, |t| async move {
                client
                    .wxa_apply_privacy_interface(appid, &t, application)
                    .await
            })
            .await?;
        Ok(PrivacyApplyView {
            appid: appid.to_string(),
            api_name: application.api_name.clone(),
            audit_id,
        })
    }
}
