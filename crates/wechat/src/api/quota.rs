//! API quota: reading and resetting the daily call counters.
//!
//! Operators reach for `clear_quota` when a 45009 stops production, but it is
//! rationed to 10 resets a month per account, so the desk reads the quota
//! first and clears only on explicit confirmation.

use serde::{Deserialize, Serialize};

use super::{require, require_appid};
use crate::client::{Call, Client};
use crate::error::{Error, Result};

/// Today's counters of one API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    /// Today's limit.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub daily_limit: i64,
    /// Calls used today.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub used: i64,
    /// Calls left today.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub remain: i64,
    /// Per-window limit, when WeChat sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<serde_json::Value>,
    /// Per-window limit for third-party platforms, when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component_rate_limit: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct QuotaResponse {
    quota: Quota,
}

/// Validates a `cgi_path` as WeChat wants it: starting with `/`, without host or query.
pub fn validate_cgi_path(cgi_path: &str) -> Result<()> {
    require("cgi_path", cgi_path)?;
    if !cgi_path.starts_with('/') || cgi_path.contains("://") || cgi_path.contains('?') {
        return Err(Error::invalid(
            "cgi_path",
            format!("{cgi_path:?} must be the API path only, starting with '/', e.g. /cgi-bin/message/custom/send"),
        ));
    }
    if cgi_path.starts_with("/sns/") {
        return Err(Error::invalid(
            "cgi_path",
            "sns/* APIs such as jscode2session have no queryable quota (WeChat answers 76022)",
        ));
    }
    Ok(())
}

impl Client {
    /// `POST cgi-bin/openapi/quota/get`: today's limit, usage and remainder of one API.
    pub async fn api_quota(
        &self,
        appid: &str,
        access_token: &str,
        cgi_path: &str,
    ) -> Result<Quota> {
        require("access_token", access_token)?;
        validate_cgi_path(cgi_path)?;
        let call = Call::post(
            "cgi-bin/openapi/quota/get",
            &serde_json::json!({ "cgi_path": cgi_path }),
        )?
        .query("access_token", access_token)
        .account(appid);
        let r: QuotaResponse = self.execute(call).await?;
        Ok(r.quota)
    }

    /// `POST cgi-bin/clear_quota`: resets every daily counter of `appid`.
    /// Consumes one of the 10 monthly resets, so it is never retried.
    pub async fn clear_quota(&self, appid: &str, access_token: &str) -> Result<()> {
        require_appid("appid", appid)?;
        require("access_token", access_token)?;
        let call = Call::post(
            "cgi-bin/clear_quota",
            &serde_json::json!({ "appid": appid }),
        )?
        .query("access_token", access_token)
        .single_use()
        .account(appid);
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST cgi-bin/clear_quota/v2`: the same reset authenticated by AppSecret,
    /// for when the quota of the token endpoint itself is exhausted.
    pub async fn clear_quota_by_secret(&self, appid: &str, secret: &str) -> Result<()> {
        require_appid("appid", appid)?;
        require("secret", secret)?;
        let call = Call::post("cgi-bin/clear_quota/v2", &serde_json::json!({}))?
            .query("appid", appid)
            .query("appsecret", secret)
            .single_use()
            .account(appid);
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST cgi-bin/component/clear_quota/v2`: resets a platform's own
    /// counters (or, with `authorizer_appid`, an authorizer's) with the
    /// platform's AppSecret. The only way out when `api_component_token`
    /// itself answers 45009. Shares the 10-per-month budget; never retried.
    pub async fn component_clear_quota_by_secret(
        &self,
        component_appid: &str,
        secret: &str,
        authorizer_appid: Option<&str>,
    ) -> Result<()> {
        require_appid("component_appid", component_appid)?;
        require("appsecret", secret)?;
        let mut body = serde_json::json!({
            "component_appid": component_appid,
            "appsecret": secret,
        });
        if let Some(a) = authorizer_appid {
            require_appid("appid", a)?;
            body["appid"] = serde_json::Value::from(a);
        }
        let call = Call::post("cgi-bin/component/clear_quota/v2", &body)?
            .single_use()
            .account(authorizer_appid.unwrap_or(component_appid));
        self.execute_value(&call).await.map(|_| ())
    }
}
