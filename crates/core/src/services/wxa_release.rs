//! Releasing a merchant's audited version, rolling back, phased ("gray")
//! release, the visit switch, and the version overview.
//!
//! Each changes what every user of the merchant sees and is refused on
//! repetition, so each is sent once and needs the operator's confirmation
//! (`NeedsConfirmation` unless confirmed; nothing is sent before). The
//! overview (`getversioninfo`) refreshes the stored version state.

use std::future::Future;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_release::{
    GrayRelease, GrayReleasePlan, HistoryVersion, VersionInfo, VisitStatus,
};

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::wxa_state::VersionStateView;

/// Risk of a release.
pub const RELEASE_RISK: &str = "every user of the mini program gets the audited version now";
/// Risk of a rollback.
pub const REVERT_RISK: &str =
    "every user goes back to the previous version; a rollback cannot be repeated (87012)";
/// Risk of a phased release change.
pub const GRAY_RISK: &str = "changes the share of users who get the audited version";
/// Risk of closing the mini program.
pub const VISIT_CLOSE_RISK: &str = "users can no longer open the mini program (暂停服务)";

/// The experience and released versions as WeChat and the desk know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReleaseStatusView {
    /// The mini program.
    pub appid: String,
    /// WeChat's overview (`getversioninfo`).
    pub version_info: VersionInfo,
    /// The stored version state, refreshed from it.
    pub state: VersionStateView,
}

/// The result of a release, rollback, phased release or visit change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReleaseActionView {
    /// The mini program.
    pub appid: String,
    /// What was done: `release`, `revert`, `gray`, `revert_gray`, `visit_open`, `visit_close`.
    pub action: String,
    /// The version state afterwards.
    pub state: VersionStateView,
}

/// The phased release, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct GrayPlanView {
    /// The mini program.
    pub appid: String,
    /// The plan (none when there never was one).
    pub plan: Option<GrayReleasePlan>,
}

fn confirm(confirmed: bool, action: String, risk: &str) -> Result<()> {
    if confirmed {
        Ok(())
    } else {
        Err(Error::NeedsConfirmation {
            action,
            risk: risk.into(),
        })
    }
}

impl Desk {
    /// Publishes the audited version of `appid`. Sent once; needs confirmation.
    pub async fn wxa_release(
        &self,
        appid: &str,
        component: Option<&str>,
        confirmed: bool,
    ) -> Result<ReleaseActionView> {
        let client = self.client();
        let ask = (format!("release {appid}"), RELEASE_RISK);
        let comp = self
            .wxa_send_confirmed(appid, component, confirmed, Some(ask), |t| async move {
                client.wxa_release(appid, &t).await
            })
            .await?;
        let now = self.now();
        let state = self.wxa_update_state(appid, &comp, |row| {
            let released = row
                .audited_version
                .clone()
                .or(row.audit_version.clone())
                .or(row.exp_version.clone());
            // WeChat releases only an audited version: a release that
            // succeeded proves the audit passed, even when neither its push
            // nor a status read has reached the desk yet.
            let open = matches!(
                row.audit_status.as_deref(),
                Some("auditing" | "delayed" | "unknown")
            );
            if open && released.is_some() && released == row.audit_version {
                row.audit_status = Some("success".into());
                row.audited_version = released.clone();
                row.audited_at.get_or_insert(now);
                row.audit_updated_at = Some(now);
            }
            row.released_version = released;
            row.released_at = Some(now);
        })?;
        Ok(ReleaseActionView {
            appid: appid.to_string(),
            action: "release".into(),
            state,
        })
    }

    /// Rolls the release back to the previous version (or to `app_version`
    /// of [`Desk::wxa_release_history`]). Sent once; needs confirmation.
    pub async fn wxa_revert_release(
        &self,
        appid: &str,
        component: Option<&str>,
        app_version: Option<i64>,
        confirmed: bool,
    ) -> Result<ReleaseActionView> {
        let client = self.client();
        let ask = (format!("roll back the release of {appid}"), REVERT_RISK);
        let comp = self
            .wxa_send_confirmed(appid, component, confirmed, Some(ask), |t| async move {
                client.wxa_revert_release(appid, &t, app_version).await
            })
            .await?;
        let state = self.wxa_refresh_release(appid, &comp).await?;
        Ok(ReleaseActionView {
            appid: appid.to_string(),
            action: "revert".into(),
            state: state.state,
        })
    }

    /// The versions a rollback may go to.
    pub async fn wxa_release_history(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<Vec<HistoryVersion>> {
        let client = self.client();
        let (_, v) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_release_history(appid, &t).await
            })
            .await?;
        Ok(v)
    }

    /// WeChat's overview of the experience and released versions; refreshes
    /// the stored state.
    pub async fn wxa_release_status(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<ReleaseStatusView> {
        let comp = self.wxa_component(appid, component)?;
        self.wxa_refresh_release(appid, &comp).await
    }

    async fn wxa_refresh_release(&self, appid: &str, comp: &str) -> Result<ReleaseStatusView> {
        let client = self.client();
        let (_, info) = self
            .with_wxa_token(appid, Some(comp), |t| async move {
                client.wxa_version_info(appid, &t).await
            })
            .await?;
        let state = self.wxa_update_state(appid, comp, |row| {
            // WeChat's times are taken only for versions the desk did not see
            // change (made elsewhere); the desk's own records keep theirs.
            if let Some(e) = &info.exp_info {
                if !e.exp_version.is_empty() && row.exp_version.as_deref() != Some(&e.exp_version) {
                    row.exp_version = Some(e.exp_version.clone());
                    row.exp_desc = Some(e.exp_desc.clone());
                    row.committed_at = Some(e.exp_time).filter(|t| *t > 0);
                }
            }
            match &info.release_info {
                Some(r) if !r.release_version.is_empty() => {
                    if row.released_version.as_deref() != Some(&r.release_version) {
                        row.released_version = Some(r.release_version.clone());
                        row.released_at = Some(r.release_time).filter(|t| *t > 0);
                    }
                }
                _ => {
                    row.released_version = None;
                    row.released_at = None;
                }
            }
        })?;
        Ok(ReleaseStatusView {
            appid: appid.to_string(),
            version_info: info,
            state,
        })
    }

    /// Starts or widens a phased release to `gray.gray_percentage` percent.
    /// Sent once; needs confirmation.
    pub async fn wxa_gray_release(
        &self,
        appid: &str,
        component: Option<&str>,
        gray: &GrayRelease,
        confirmed: bool,
    ) -> Result<ReleaseActionView> {
        if !(1..=100).contains(&gray.gray_percentage) {
            return Err(Error::invalid(
                "percent",
                format!("{} is not a percentage; use 1 to 100", gray.gray_percentage),
            ));
        }
        let client = self.client();
        let ask = (
            format!("release {appid} to {}% of users", gray.gray_percentage),
            GRAY_RISK,
        );
        let comp = self
            .wxa_send_confirmed(appid, component, confirmed, Some(ask), |t| async move {
                client.wxa_gray_release(appid, &t, gray).await
            })
            .await?;
        self.wxa_action_view(appid, &comp, "gray")
    }

    /// Cancels the phased release. Sent once; needs confirmation.
    pub async fn wxa_revert_gray_release(
        &self,
        appid: &str,
        component: Option<&str>,
        confirmed: bool,
    ) -> Result<ReleaseActionView> {
        let client = self.client();
        let ask = (format!("cancel the phased release of {appid}"), GRAY_RISK);
        let comp = self
            .wxa_send_confirmed(appid, component, confirmed, Some(ask), |t| async move {
                client.wxa_revert_gray_release(appid, &t).await
            })
            .await?;
        self.wxa_action_view(appid, &comp, "revert_gray")
    }

    /// The phased release plan.
    pub async fn wxa_gray_plan(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<GrayPlanView> {
        let client = self.client();
        let (_, plan) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_gray_release_plan(appid, &t).await
            })
            .await?;
        Ok(GrayPlanView {
            appid: appid.to_string(),
            plan,
        })
    }

    /// Opens or closes the released mini program; closing needs confirmation.
    pub async fn wxa_visit_status(
        &self,
        appid: &str,
        component: Option<&str>,
        status: VisitStatus,
        confirmed: bool,
    ) -> Result<ReleaseActionView> {
        let client = self.client();
        let ask = (status == VisitStatus::Close)
            .then(|| (format!("close {appid} to users"), VISIT_CLOSE_RISK));
        let comp = self
            .wxa_send_confirmed(appid, component, confirmed, ask, |t| async move {
                client.wxa_change_visit_status(appid, &t, status).await
            })
            .await?;
        let action = match status {
            VisitStatus::Open => "visit_open",
            VisitStatus::Close => "visit_close",
        };
        self.wxa_action_view(appid, &comp, action)
    }

    /// What every release action shares: resolve the platform, ask for the
    /// confirmation (`ask`: the action and its risk; none when not needed)
    /// before anything is sent, then send `call` once with the mini
    /// program's token. Returns the platform.
    async fn wxa_send_confirmed<T, F, Fut>(
        &self,
        appid: &str,
        component: Option<&str>,
        confirmed: bool,
        ask: Option<(String, &str)>,
        call: F,
    ) -> Result<String>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        let comp = self.wxa_component(appid, component)?;
        if let Some((action, risk)) = ask {
            confirm(confirmed, action, risk)?;
        }
        self.with_wxa_token(appid, Some(&comp), call).await?;
        Ok(comp)
    }

    /// The result of `action` with the stored version state afterwards.
    fn wxa_action_view(&self, appid: &str, comp: &str, action: &str) -> Result<ReleaseActionView> {
        Ok(ReleaseActionView {
            appid: appid.to_string(),
            action: action.into(),
            state: self.wxa_version_state(appid, Some(comp))?,
        })
    }
}
