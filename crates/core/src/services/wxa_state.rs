//! The mini program the code-management operations act on, and what the
//! desk remembers of its versions.
//!
//! Every `wxa_*` operation acts on an authorized mini program with its
//! platform's authorizer token ([`Desk::with_wxa_token`]); the platform is
//! the one given, or the only one the mini program authorized. What the
//! operations learn (a commit, a submission, an audit's end, a release) is
//! kept per mini program in `wxa_versions`, so the Releases screens and the
//! batches show "experience 1.0.3, audit 42 rejected: …, released 1.0.2"
//! without a call. Audit pushes (`weapp_audit_*`) from the inbox update it too.

use std::future::Future;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::{AuditEvent, AuditState, AuditStatus};
use wxdesk_wechat::links::validate_appid;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::authorizers::AuthorizerStatus;
use crate::store::wxa_versions::{self, WxaVersionRow};

/// Most mini programs whose states one call asks for (a page of merchants).
pub const MAX_STATES_ASKED: usize = 1000;

/// Where a mini program is in its lifecycle, from the desk's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum WxaStage {
    /// Nothing committed through wxdesk yet.
    None,
    /// An experience version is committed, not submitted.
    Experience,
    /// Under audit (or delayed).
    Auditing,
    /// The audit passed; not released yet.
    Audited,
    /// The last audit was rejected.
    Rejected,
    /// The audit was withdrawn.
    Withdrawn,
    /// The audited version is released.
    Released,
}

/// The latest known version state of a mini program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct VersionStateView {
    /// The mini program.
    pub appid: String,
    /// The platform that acts on it.
    pub component_appid: String,
    /// Summary of where it is.
    pub stage: WxaStage,
    /// Template of the experience version.
    pub template_id: Option<i64>,
    /// Experience version.
    pub experience_version: Option<String>,
    /// Its description.
    pub experience_desc: Option<String>,
    /// When it was committed (Unix seconds).
    pub committed_at: Option<i64>,
    /// The latest audit.
    pub auditid: Option<i64>,
    /// Its status.
    pub audit_status: Option<AuditState>,
    /// The version audited.
    pub audit_version: Option<String>,
    /// When it was submitted.
    pub submitted_at: Option<i64>,
    /// When its status last changed.
    pub audit_updated_at: Option<i64>,
    /// Why it was rejected or delayed.
    pub audit_reason: Option<String>,
    /// Rejection screenshots (media ids).
    pub audit_screenshots: Vec<String>,
    /// The last version that passed an audit.
    pub audited_version: Option<String>,
    /// When it passed.
    pub audited_at: Option<i64>,
    /// The released version.
    pub released_version: Option<String>,
    /// When it was released.
    pub released_at: Option<i64>,
    /// Last change of this record.
    pub updated_at: i64,
}

/// The wire word of an audit state.
pub fn audit_word(s: AuditState) -> &'static str {
    match s {
        AuditState::Success => "success",
        AuditState::Rejected => "rejected",
        AuditState::Auditing => "auditing",
        AuditState::Withdrawn => "withdrawn",
        AuditState::Delayed => "delayed",
        AuditState::Unknown => "unknown",
    }
}

fn state_of(word: &str) -> AuditState {
    match word {
        "success" => AuditState::Success,
        "rejected" => AuditState::Rejected,
        "auditing" => AuditState::Auditing,
        "withdrawn" => AuditState::Withdrawn,
        "delayed" => AuditState::Delayed,
        _ => AuditState::Unknown,
    }
}

impl VersionStateView {
    /// The view of a stored row.
    pub fn from_row(r: &WxaVersionRow) -> VersionStateView {
        let audit = r.audit_status.as_deref().map(state_of);
        // Versions are compared, not times: WeChat's clock and the desk's may differ.
        let released_is_audited =
            r.released_version.is_some() && r.released_version == r.audit_version;
        let stage = match audit {
            Some(AuditState::Auditing | AuditState::Delayed | AuditState::Unknown) => {
                WxaStage::Auditing
            }
            Some(AuditState::Success) if released_is_audited => WxaStage::Released,
            Some(AuditState::Success) => WxaStage::Audited,
            Some(AuditState::Rejected) => WxaStage::Rejected,
            Some(AuditState::Withdrawn) => WxaStage::Withdrawn,
            None if r.released_version.is_some() => WxaStage::Released,
            None if r.exp_version.is_some() => WxaStage::Experience,
            None => WxaStage::None,
        };
        let stage = match stage {
            // A commit after the last audit or release is the next experience version.
            WxaStage::Released | WxaStage::Rejected | WxaStage::Withdrawn | WxaStage::Audited
                if r.committed_at > r.submitted_at.max(r.released_at) =>
            {
                WxaStage::Experience
            }
            s => s,
        };
        VersionStateView {
            appid: r.appid.clone(),
            component_appid: r.component_appid.clone(),
            stage,
            template_id: r.template_id,
            experience_version: r.exp_version.clone(),
            experience_desc: r.exp_desc.clone(),
            committed_at: r.committed_at,
            auditid: r.auditid,
            audit_status: audit,
            audit_version: r.audit_version.clone(),
            submitted_at: r.submitted_at,
            audit_updated_at: r.audit_updated_at,
            audit_reason: r.audit_reason.clone(),
            audit_screenshots: r
                .audit_screenshots
                .as_deref()
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default(),
            audited_version: r.audited_version.clone(),
            audited_at: r.audited_at,
            released_version: r.released_version.clone(),
            released_at: r.released_at,
            updated_at: r.updated_at,
        }
    }

    /// The view of a mini program nothing is known about.
    fn empty(appid: &str, component: &str, now: i64) -> VersionStateView {
        VersionStateView::from_row(&WxaVersionRow {
            appid: appid.to_string(),
            component_appid: component.to_string(),
            updated_at: now,
            ..WxaVersionRow::default()
        })
    }
}

/// Applies an audit result to a row: the status, reason and screenshots,
/// and the audited version when it passed.
pub(crate) fn note_audit(
    row: &mut WxaVersionRow,
    auditid: Option<i64>,
    state: AuditState,
    reason: &str,
    screenshots: &[String],
    at: i64,
) {
    if let (Some(id), Some(known)) = (auditid, row.auditid) {
        if id < known {
            return; // An older audit's news never overwrites a newer audit.
        }
    }
    if auditid.is_some() && auditid != row.auditid {
        row.auditid = auditid;
        row.audit_version = None;
    }
    row.audit_status = Some(audit_word(state).to_string());
    row.audit_reason = (!reason.is_empty()).then(|| reason.to_string());
    row.audit_screenshots = if screenshots.is_empty() {
        None
    } else {
        serde_json::to_string(screenshots).ok()
    };
    row.audit_updated_at = Some(at);
    if state == AuditState::Success {
        row.audited_version = row.audit_version.clone().or(row.exp_version.clone());
        row.audited_at = Some(at);
    }
}

impl Desk {
    /// The platform whose authorizer token acts for `appid`: `component`
    /// when given (the authorization must be active), else the only platform
    /// `appid` authorized.
    pub fn wxa_component(&self, appid: &str, component: Option<&str>) -> Result<String> {
        validate_appid("authorizer_appid", appid)?;
        if let Some(c) = component {
            validate_appid("component_appid", c)?;
        }
        let row = self
            .store()
            .read(|c| self.resolve_authorizer(c, appid, component))?;
        if row.status != AuthorizerStatus::Active {
            return Err(Error::Revoked(appid.to_string()));
        }
        Ok(row.component_appid)
    }

    /// Runs `f` with the authorizer token of `appid` under its platform (see
    /// [`Desk::wxa_component`]); returns the platform and the result. A
    /// stale token is replaced and `f` run again once — the only repetition:
    /// WeChat refused the token, so nothing was consumed.
    pub async fn with_wxa_token<T, F, Fut>(
        &self,
        appid: &str,
        component: Option<&str>,
        f: F,
    ) -> Result<(String, T)>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        let comp = self.wxa_component(appid, component)?;
        let v = self.with_authorizer_token(&comp, appid, f).await?;
        Ok((comp, v))
    }

    /// Changes the stored version state of `appid` in one transaction.
    pub(crate) fn wxa_update_state(
        &self,
        appid: &str,
        component: &str,
        change: impl FnOnce(&mut WxaVersionRow),
    ) -> Result<VersionStateView> {
        let now = self.now();
        self.store().write(|tx| {
            let mut row = wxa_versions::get(tx, appid)?.unwrap_or_else(|| WxaVersionRow {
                appid: appid.to_string(),
                ..WxaVersionRow::default()
            });
            row.component_appid = component.to_string();
            change(&mut row);
            row.updated_at = now;
            wxa_versions::put(tx, &row)?;
            Ok(VersionStateView::from_row(&row))
        })
    }

    /// Records an audit status answered by WeChat.
    pub(crate) fn wxa_note_status(
        &self,
        appid: &str,
        component: &str,
        s: &AuditStatus,
    ) -> Result<VersionStateView> {
        let now = self.now();
        self.wxa_update_state(appid, component, |row| {
            let id = (s.auditid > 0).then_some(s.auditid);
            let fresh = id.is_some() && id != row.auditid;
            note_audit(row, id, s.state(), &s.reason, &s.screenshots(), now);
            if fresh || row.audit_version.is_none() {
                if !s.user_version.is_empty() {
                    row.audit_version = Some(s.user_version.clone());
                }
                if s.submit_audit_time > 0 {
                    row.submitted_at = Some(s.submit_audit_time);
                }
            }
            if s.state() == AuditState::Success && !s.user_version.is_empty() {
                row.audited_version = Some(s.user_version.clone());
            }
        })
    }

    /// The stored version state of `appid` (empty when nothing is known).
    pub fn wxa_version_state(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<VersionStateView> {
        let comp = self.wxa_component(appid, component)?;
        let row = self.store().read(|c| wxa_versions::get(c, appid))?;
        Ok(match row {
            Some(r) => VersionStateView::from_row(&r),
            None => VersionStateView::empty(appid, &comp, self.now()),
        })
    }

    /// Every stored version state, of one platform's mini programs when given.
    ///
    /// With `appids` (a page of the merchants list, at most
    /// [`MAX_STATES_ASKED`]), only theirs: a platform with 10,000 merchants
    /// is not read whole for the twenty on screen.
    pub fn wxa_version_states(
        &self,
        component: Option<&str>,
        appids: Option<&[String]>,
    ) -> Result<Vec<VersionStateView>> {
        if let Some(c) = component {
            validate_appid("component_appid", c)?;
        }
        if let Some(list) = appids {
            if list.len() > MAX_STATES_ASKED {
                return Err(Error::invalid(
                    "appids",
                    format!("at most {MAX_STATES_ASKED} mini programs at once; ask page by page"),
                ));
            }
            for a in list {
                validate_appid("appids", a)?;
            }
        }
        let rows = self.store().read(|c| match appids {
            None => wxa_versions::list(c, component),
            Some(list) => wxa_versions::list_of(c, component, list),
        })?;
        Ok(rows.iter().map(VersionStateView::from_row).collect())
    }

    /// Applies an audit push (`weapp_audit_*`) of `appid` under `component`
    /// to the stored state. A push for an audit the desk does not know
    /// (submitted elsewhere) still records the outcome. Returns the new state.
    pub(crate) fn wxa_note_push(
        &self,
        component: &str,
        appid: &str,
        event: &AuditEvent,
    ) -> Result<VersionStateView> {
        validate_appid("authorizer_appid", appid)?;
        self.wxa_update_state(appid, component, |row| {
            note_audit(
                row,
                None,
                event.state,
                &event.reason,
                &event.screenshots,
                event.at,
            );
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> WxaVersionRow {
        WxaVersionRow {
            appid: "wx0123456789abcdef".into(),
            component_appid: "wx1123456789abcdef".into(),
            exp_version: Some("1.0.1".into()),
            committed_at: Some(10),
            auditid: Some(5),
            audit_status: Some("auditing".into()),
            audit_version: Some("1.0.1".into()),
            submitted_at: Some(20),
            updated_at: 20,
            ..Default::default()
        }
    }

    #[test]
    fn an_older_audit_never_overwrites_a_newer_one() {
        let mut r = row();
        note_audit(&mut r, Some(4), AuditState::Rejected, "old", &[], 30);
        assert_eq!(r.audit_status.as_deref(), Some("auditing"));
        note_audit(&mut r, Some(5), AuditState::Success, "", &[], 30);
        assert_eq!(r.audited_version.as_deref(), Some("1.0.1"));
        assert_eq!(VersionStateView::from_row(&r).stage, WxaStage::Audited);
    }

    #[test]
    fn stages_follow_the_records() {
        let mut r = row();
        assert_eq!(VersionStateView::from_row(&r).stage, WxaStage::Auditing);
        note_audit(
            &mut r,
            None,
            AuditState::Rejected,
            "bad",
            &["m1".into()],
            30,
        );
        let v = VersionStateView::from_row(&r);
        assert_eq!(
            (v.stage, v.audit_screenshots.len()),
            (WxaStage::Rejected, 1)
        );
        r.committed_at = Some(40);
        assert_eq!(VersionStateView::from_row(&r).stage, WxaStage::Experience);
        note_audit(&mut r, None, AuditState::Success, "", &[], 50);
        r.released_version = r.audited_version.clone();
        r.released_at = Some(60);
        assert_eq!(VersionStateView::from_row(&r).stage, WxaStage::Released);
        // The same version submitted again is under audit, whatever the clocks say.
        r.audit_status = Some("auditing".into());
        r.submitted_at = Some(5);
        assert_eq!(VersionStateView::from_row(&r).stage, WxaStage::Auditing);
    }
}
