//! Audits of a merchant's experience version: submitting (the auditid is
//! stored), following (status words `success|rejected|auditing|withdrawn|
//! delayed`, with the reason and screenshots), withdrawing, speeding up, and
//! the month's submit quota.
//!
//! A submission spends quota and blocks every other (85009); a withdrawal
//! spends one of 1 a day / 10 a month (87013). Both are sent once — nothing
//! here retries them — and a withdrawal needs the operator's confirmation.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::{AuditQuota, AuditState, AuditStatus, SubmitAuditRequest};

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::wxa_state::VersionStateView;

/// Risk shown when a withdrawal is not confirmed.
pub const UNDO_RISK: &str =
    "withdrawing an audit uses one of 1 withdrawal a day and 10 a month (87013)";

/// A submitted audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SubmitView {
    /// The mini program.
    pub appid: String,
    /// The audit's id.
    pub auditid: i64,
    /// The version state after the submission.
    pub state: VersionStateView,
}

/// An audit's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditStatusView {
    /// The mini program.
    pub appid: String,
    /// The audit.
    pub auditid: i64,
    /// `success`, `rejected`, `auditing`, `withdrawn` or `delayed`.
    pub status: AuditState,
    /// Why it was rejected or delayed (empty otherwise).
    pub reason: String,
    /// Rejection screenshots (media ids).
    pub screenshots: Vec<String>,
    /// The version audited.
    pub user_version: String,
    /// Its description.
    pub user_desc: String,
    /// When it was submitted (Unix seconds, 0 when WeChat did not say).
    pub submit_audit_time: i64,
    /// The version state after this answer.
    pub state: VersionStateView,
}

/// A confirmed withdrawal or speed-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditActionView {
    /// The mini program.
    pub appid: String,
    /// The audit acted on, when known.
    pub auditid: Option<i64>,
    /// The version state afterwards.
    pub state: VersionStateView,
}

/// Submissions and speed-ups left this month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditQuotaView {
    /// The mini program.
    pub appid: String,
    /// WeChat's answer.
    pub quota: AuditQuota,
}

fn status_view(appid: &str, s: AuditStatus, state: VersionStateView) -> AuditStatusView {
    AuditStatusView {
        appid: appid.to_string(),
        auditid: s.auditid,
        status: s.state(),
        screenshots: s.screenshots(),
        reason: s.reason,
        user_version: s.user_version,
        user_desc: s.user_desc,
        submit_audit_time: s.submit_audit_time,
        state,
    }
}

impl Desk {
    /// Submits the experience version of `appid` for audit; stores and
    /// returns the auditid. Sent once.
    pub async fn wxa_submit_audit(
        &self,
        appid: &str,
        component: Option<&str>,
        request: &SubmitAuditRequest,
    ) -> Result<SubmitView> {
        request.validate()?;
        let client = self.client();
        let (comp, auditid) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_submit_audit(appid, &t, request).await
            })
            .await?;
        let now = self.now();
        let state = self.wxa_update_state(appid, &comp, |row| {
            row.auditid = Some(auditid);
            row.audit_status = Some("auditing".into());
            row.audit_version = row.exp_version.clone();
            row.submitted_at = Some(now);
            row.audit_updated_at = Some(now);
            row.audit_reason = None;
            row.audit_screenshots = None;
        })?;
        Ok(SubmitView {
            appid: appid.to_string(),
            auditid,
            state,
        })
    }

    /// The status of audit `auditid`, or of the latest audit when `None`;
    /// the answer updates the stored version state.
    pub async fn wxa_audit_status(
        &self,
        appid: &str,
        component: Option<&str>,
        auditid: Option<i64>,
    ) -> Result<AuditStatusView> {
        let client = self.client();
        let (comp, s) = self
            .with_wxa_token(appid, component, |t| async move {
                match auditid {
                    Some(id) => client.wxa_audit_status(appid, &t, id).await,
                    None => client.wxa_latest_audit_status(appid, &t).await,
                }
            })
            .await?;
        let state = self.wxa_note_status(appid, &comp, &s)?;
        Ok(status_view(appid, s, state))
    }

    /// Withdraws the audit in progress. Without `confirmed` nothing is sent
    /// and `NeedsConfirmation` is returned.
    pub async fn wxa_undo_audit(
        &self,
        appid: &str,
        component: Option<&str>,
        confirmed: bool,
    ) -> Result<AuditActionView> {
        let comp = self.wxa_component(appid, component)?;
        if !confirmed {
            return Err(Error::NeedsConfirmation {
                action: format!("withdraw the audit of {appid}"),
                risk: UNDO_RISK.into(),
            });
        }
        let client = self.client();
        self.with_wxa_token(appid, Some(&comp), |t| async move {
            client.wxa_undo_audit(appid, &t).await
        })
        .await?;
        let now = self.now();
        let mut auditid = None;
        let state = self.wxa_update_state(appid, &comp, |row| {
            auditid = row.auditid;
            row.audit_status = Some("withdrawn".into());
            row.audit_updated_at = Some(now);
        })?;
        Ok(AuditActionView {
            appid: appid.to_string(),
            auditid,
            state,
        })
    }

    /// Asks WeChat to speed up the audit `auditid` (the stored one when
    /// `None`). Spends one of the month's speed-ups; sent once.
    pub async fn wxa_speedup_audit(
        &self,
        appid: &str,
        component: Option<&str>,
        auditid: Option<i64>,
    ) -> Result<AuditActionView> {
        let state = self.wxa_version_state(appid, component)?;
        let Some(id) = auditid.or(state.auditid) else {
            return Err(Error::invalid(
                "auditid",
                format!("no audit of {appid} is known; pass the auditid submit_audit returned"),
            ));
        };
        let client = self.client();
        self.with_wxa_token(appid, component, |t| async move {
            client.wxa_speedup_audit(appid, &t, id).await
        })
        .await?;
        Ok(AuditActionView {
            appid: appid.to_string(),
            auditid: Some(id),
            state,
        })
    }

    /// Submissions and speed-ups left this month.
    pub async fn wxa_audit_quota(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<AuditQuotaView> {
        let client = self.client();
        let (_, quota) = self
            .with_wxa_token(appid, component, |t| async move {
                client.wxa_audit_quota(appid, &t).await
            })
            .await?;
        Ok(AuditQuotaView {
            appid: appid.to_string(),
            quota,
        })
    }
}
