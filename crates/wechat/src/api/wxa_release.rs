//! Releasing: publishing the audited version (`wxa/release`), rolling back
//! to the previous one (`wxa/revertcoderelease`, and its history list),
//! phased ("gray") release, the visit switch and the version overview
//! (`wxa/getversioninfo`).
//!
//! Releases and rollbacks change what every user of the merchant sees and
//! are refused on repetition (85052, 87012), so none of them is replayed once
//! it may have reached WeChat.

use serde::{Deserialize, Serialize};

use super::require_appid;
use super::wxa_shared::{get_with, int, post_empty, post_with, text};
use crate::client::Client;
use crate::error::{Error, Result};

/// A version the release may be rolled back to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HistoryVersion {
    /// WeChat's version number (pass to `revertcoderelease?app_version=`).
    #[serde(default, deserialize_with = "int")]
    pub app_version: i64,
    /// The version string.
    #[serde(default, deserialize_with = "text")]
    pub user_version: String,
    /// Its description.
    #[serde(default, deserialize_with = "text")]
    pub user_desc: String,
    /// When it was committed (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub commit_time: i64,
}

#[derive(Deserialize)]
struct History {
    #[serde(default)]
    version_list: Option<Vec<HistoryVersion>>,
}

/// A phased-release plan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GrayReleasePlan {
    /// 0 initial, 1 running, 2 paused, 3 finished, 4 cancelled.
    #[serde(default, deserialize_with = "int")]
    pub status: i64,
    /// When it was created (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub create_timestamp: i64,
    /// Share of users, 1–100.
    #[serde(default, deserialize_with = "int")]
    pub gray_percentage: i64,
    /// Testers get it first.
    #[serde(default, deserialize_with = "crate::lenient::bool_lenient")]
    pub support_experiencer_first: bool,
    /// Project members get it first.
    #[serde(default, deserialize_with = "crate::lenient::bool_lenient")]
    pub support_debuger_first: bool,
}

#[derive(Deserialize)]
struct Plan {
    #[serde(default)]
    gray_release_plan: Option<GrayReleasePlan>,
}

/// A phased release to start or widen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GrayRelease {
    /// Share of users, 1–100 (must grow on each call).
    pub gray_percentage: i64,
    /// Testers get it first.
    #[serde(default)]
    pub support_experiencer_first: bool,
    /// Project members get it first.
    #[serde(default)]
    pub support_debuger_first: bool,
}

/// The experience version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ExpInfo {
    /// Commit time (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub exp_time: i64,
    /// Version string.
    #[serde(default, deserialize_with = "text")]
    pub exp_version: String,
    /// Description.
    #[serde(default, deserialize_with = "text")]
    pub exp_desc: String,
}

/// The released version.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReleaseInfo {
    /// Release time (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub release_time: i64,
    /// Version string.
    #[serde(default, deserialize_with = "text")]
    pub release_version: String,
    /// Description.
    #[serde(default, deserialize_with = "text")]
    pub release_desc: String,
}

/// `wxa/getversioninfo`: the experience and released versions, when they exist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct VersionInfo {
    /// The experience version.
    #[serde(default)]
    pub exp_info: Option<ExpInfo>,
    /// The released version.
    #[serde(default)]
    pub release_info: Option<ReleaseInfo>,
}

/// Whether users can open the released mini program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum VisitStatus {
    /// Reachable.
    Open,
    /// Hidden ("暂停服务").
    Close,
}

impl Client {
    /// `POST wxa/release`: publishes the audited version. Never replayed.
    pub async fn wxa_release(&self, appid: &str, authorizer_access_token: &str) -> Result<()> {
        require_appid("appid", appid)?;
        let call = post_empty("wxa/release", authorizer_access_token, appid)?.single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/revertcoderelease`: back to the previous version (or to
    /// `app_version` from [`Client::wxa_release_history`]). Never replayed.
    pub async fn wxa_revert_release(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        app_version: Option<i64>,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        let mut call =
            get_with("wxa/revertcoderelease", authorizer_access_token, appid)?.single_use();
        if let Some(v) = app_version {
            if v <= 0 {
                return Err(Error::invalid(
                    "app_version",
                    "app_version must come from the history list (wxa_release_history)",
                ));
            }
            call = call.query("app_version", v.to_string());
        }
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/revertcoderelease?action=get_history_version`: the versions a rollback may go to.
    pub async fn wxa_release_history(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Vec<HistoryVersion>> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/revertcoderelease", authorizer_access_token, appid)?
            .query("action", "get_history_version");
        let r: History = self.execute(call).await?;
        Ok(r.version_list.unwrap_or_default())
    }

    /// `POST wxa/grayrelease`: starts or widens a phased release. Never replayed.
    pub async fn wxa_gray_release(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        gray: &GrayRelease,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        if !(1..=100).contains(&gray.gray_percentage) {
            return Err(Error::invalid(
                "gray_percentage",
                format!("{} is not a percentage; use 1 to 100", gray.gray_percentage),
            ));
        }
        let call = post_with("wxa/grayrelease", authorizer_access_token, appid, gray)?.single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/revertgrayrelease`: cancels the phased release. Never replayed.
    pub async fn wxa_revert_gray_release(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/revertgrayrelease", authorizer_access_token, appid)?.single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/getgrayreleaseplan`: the phased release, if any.
    pub async fn wxa_gray_release_plan(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Option<GrayReleasePlan>> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/getgrayreleaseplan", authorizer_access_token, appid)?;
        let r: Plan = self.execute(call).await?;
        Ok(r.gray_release_plan)
    }

    /// `POST wxa/change_visitstatus`: opens or closes the released mini program.
    pub async fn wxa_change_visit_status(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        status: VisitStatus,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        let call = post_with(
            "wxa/change_visitstatus",
            authorizer_access_token,
            appid,
            &serde_json::json!({"action": status}),
        )?;
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST wxa/getversioninfo`: the experience and released versions.
    pub async fn wxa_version_info(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<VersionInfo> {
        require_appid("appid", appid)?;
        let call = post_empty("wxa/getversioninfo", authorizer_access_token, appid)?;
        self.execute(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_info_and_plan_are_lenient() {
        let v: VersionInfo = serde_json::from_value(serde_json::json!({
            "exp_info": {"exp_time": "1700000000", "exp_version": "1.0", "exp_desc": null}
        }))
        .unwrap();
        assert_eq!(v.exp_info.unwrap().exp_time, 1_700_000_000);
        assert!(v.release_info.is_none());
        let p: GrayReleasePlan = serde_json::from_value(serde_json::json!({
            "status": 1, "gray_percentage": "10", "support_debuger_first": "true"
        }))
        .unwrap();
        assert_eq!(p.gray_percentage, 10);
        assert!(p.support_debuger_first);
    }
}
