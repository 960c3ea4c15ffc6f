//! API quotas: reading today's counters and, on confirmation, resetting them.
//!
//! When production hits 45009 the operator wants two answers: how much of
//! which API is used, and whether to spend a reset. `clear_quota` is rationed
//! to 10 resets per account per month (shared with the web console), so the
//! desk refuses to call it without explicit confirmation and sends nothing
//! until it has one. Both calls use the token of the account that owns the
//! quota: the app's own token, the authorizer token for an authorized
//! account, or the component token for a platform's own APIs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::quota::validate_cgi_path;
use wxdesk_wechat::links::validate_appid;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::{apps, components};

/// Risk shown when a quota reset is not confirmed.
pub const CLEAR_QUOTA_RISK: &str = "clear_quota uses one of the 10 resets per month";

/// Today's counters of one API for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QuotaView {
    /// The account.
    pub appid: String,
    /// The API path asked about.
    pub cgi_path: String,
    /// Today's limit.
    pub daily_limit: i64,
    /// Used today.
    pub used: i64,
    /// Left today.
    pub remain: i64,
    /// Per-window limit, when WeChat sends one.
    pub rate_limit: Option<serde_json::Value>,
    /// Per-window limit for platforms, when WeChat sends one.
    pub component_rate_limit: Option<serde_json::Value>,
}

/// The result of a confirmed reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct QuotaClearView {
    /// The account whose counters were reset.
    pub appid: String,
    /// Always true when returned.
    pub cleared: bool,
    /// A reminder of what it cost.
    pub note: String,
}

impl Desk {
    /// Today's limit, usage and remainder of `cgi_path` for `appid`.
    pub async fn quota_get(&self, appid: &str, cgi_path: &str) -> Result<QuotaView> {
        self.quota_get_via(appid, cgi_path, None).await
    }

    /// [`Desk::quota_get`] with the credential chosen: `component` asks with
    /// that platform's authorizer token (see [`Desk::with_token_via`]).
    pub async fn quota_get_via(
        &self,
        appid: &str,
        cgi_path: &str,
        component: Option<&str>,
    ) -> Result<QuotaView> {
        validate_appid("appid", appid)?;
        let cgi_path = cgi_path.trim();
        validate_cgi_path(cgi_path)?;
        let client = self.client();
        let call = |t: String| async move { client.api_quota(appid, &t, cgi_path).await };
        let q = if component.is_none() && self.is_component_only(appid)? {
            self.with_component_token(appid, call).await?
        } else {
            self.with_token_via(appid, component, call).await?
        };
        Ok(QuotaView {
            appid: appid.to_string(),
            cgi_path: cgi_path.to_string(),
            daily_limit: q.daily_limit,
            used: q.used,
            remain: q.remain,
            rate_limit: q.rate_limit,
            component_rate_limit: q.component_rate_limit,
        })
    }

    /// Resets every daily counter of `appid`, spending one of its 10 monthly
    /// resets. Without `confirmed` nothing is sent and `NeedsConfirmation` is returned.
    pub async fn quota_clear(&self, appid: &str, confirmed: bool) -> Result<QuotaClearView> {
        self.quota_clear_via(appid, None, false, confirmed).await
    }

    /// [`Desk::quota_clear`] with the credential chosen. `component` clears
    /// an authorizer's quota with that platform's authorizer token (or, with
    /// `by_secret`, with the platform's AppSecret). `by_secret` uses
    /// `clear_quota/v2` (an app's AppSecret) or `component/clear_quota/v2` (a
    /// platform's), which need no token: the way out when the token endpoint
    /// itself answers 45009.
    pub async fn quota_clear_via(
        &self,
        appid: &str,
        component: Option<&str>,
        by_secret: bool,
        confirmed: bool,
    ) -> Result<QuotaClearView> {
        validate_appid("appid", appid)?;
        if let Some(comp) = component {
            validate_appid("component_appid", comp)?;
        }
        if !confirmed {
            let how = if by_secret {
                "clear_quota/v2"
            } else {
                "clear_quota"
            };
            return Err(Error::NeedsConfirmation {
                action: format!("{how} for {appid}"),
                risk: CLEAR_QUOTA_RISK.to_string(),
            });
        }
        let client = self.client();
        if by_secret {
            self.clear_quota_by_secret(appid, component).await?;
        } else {
            let call = |t: String| async move { client.clear_quota(appid, &t).await };
            if component.is_none() && self.is_component_only(appid)? {
                self.with_component_token(appid, call).await?;
            } else {
                self.with_token_via(appid, component, call).await?;
            }
        }
        Ok(QuotaClearView {
            appid: appid.to_string(),
            cleared: true,
            note: "one of this month's 10 quota resets was used".to_string(),
        })
    }

    /// True when `appid` is a saved platform and not a saved app.
    pub(crate) fn is_component_only(&self, appid: &str) -> Result<bool> {
        self.store()
            .read(|c| Ok(apps::get(c, appid)?.is_none() && components::get(c, appid)?.is_some()))
    }

    async fn clear_quota_by_secret(&self, appid: &str, component: Option<&str>) -> Result<()> {
        let client = self.client();
        if let Some(comp) = component {
            self.require_active_authorizer(comp, appid)?;
            let secret = self.component_secret(comp)?;
            return Ok(client
                .component_clear_quota_by_secret(comp, &secret, Some(appid))
                .await?);
        }
        if self.is_component_only(appid)? {
            let secret = self.component_secret(appid)?;
            return Ok(client
                .component_clear_quota_by_secret(appid, &secret, None)
                .await?);
        }
        let sealed = self
            .store()
            .read(|c| Ok(apps::get(c, appid)?.and_then(|a| a.secret)));
        let Some(sealed) = sealed? else {
            return Err(Error::invalid(
                "by_secret",
                format!("{appid} has no stored AppSecret, so clear_quota/v2 cannot be used; clear with its token instead, or pass component_appid to clear it with the platform's AppSecret"),
            ));
        };
        let secret = self.open_secret(apps::SECRET, &sealed)?;
        Ok(client.clear_quota_by_secret(appid, &secret).await?)
    }

    fn component_secret(&self, comp: &str) -> Result<zeroize::Zeroizing<String>> {
        let row = self.store().read(|c| components::require(c, comp))?;
        let Some(sealed) = row.secret else {
            return Err(Error::invalid(
                "component_appid",
                format!("platform {comp} has no stored AppSecret; set it with `wxdesk component update {comp} --secret`"),
            ));
        };
        self.open_secret(components::SECRET, &sealed)
    }
}
