//! The code-management operations (templates, code, testers, domains,
//! privacy, readiness check, audit, release, version state): one thin
//! translation each from the wire arguments of [`super::wxa_args`] to one
//! `Desk` method. Confirmations are decided by those methods.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::SubmitAuditRequest;
use wxdesk_wechat::api::wxa_code::CodeCategory;
use wxdesk_wechat::api::wxa_domain::{EffectiveDomains, ServerDomains};
use wxdesk_wechat::api::wxa_member::{AccountBasicInfo, Tester, TesterRef};
use wxdesk_wechat::api::wxa_privacy::PrivacyInterface;
use wxdesk_wechat::api::wxa_release::{GrayRelease, HistoryVersion};
use wxdesk_wechat::api::wxa_shared::{ConfirmFile, DomainAction};
use wxdesk_wechat::api::wxa_template::{Template, TemplateDraft, TemplateType};

use super::handlers::Done;
use super::wxa_args::*;
use super::Runtime;
use crate::error::{Error, Result};
use crate::services::wxa_audit::{AuditActionView, AuditQuotaView, AuditStatusView, SubmitView};
use crate::services::wxa_check::{AuditCheckView, CheckInput};
use crate::services::wxa_code::{CommitInput, CommitView, ExperienceQrView, TesterBound};
use crate::services::wxa_domains::{DomainsView, PrivacyApplyView, PrivacyView, WebviewView};
use crate::services::wxa_release::{GrayPlanView, ReleaseActionView, ReleaseStatusView};
use crate::services::wxa_screenshots::{media_ids, ScreenshotView};
use crate::services::wxa_state::VersionStateView;
use crate::services::wxa_templates::PlatformDomainsView;

/// The pages of the committed code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PagesView {
    /// The mini program.
    pub appid: String,
    /// Page paths (`pages/index/index`).
    pub pages: Vec<String>,
}

/// The categories an audit item may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CategoriesView {
    /// The mini program.
    pub appid: String,
    /// Its categories.
    pub categories: Vec<CodeCategory>,
}

/// The bound testers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TestersView {
    /// The mini program.
    pub appid: String,
    /// Testers (WeChat gives only an opaque userstr for each).
    pub testers: Vec<Tester>,
}

fn comp(a: &Option<String>) -> Option<&str> {
    a.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn template_type(code: Option<i64>) -> Result<Option<TemplateType>> {
    Ok(code.map(TemplateType::from_code).transpose()?)
}

pub async fn template_drafts(rt: &Runtime, a: TemplateListArgs) -> Result<Vec<TemplateDraft>> {
    rt.desk().wxa_template_drafts(&a.component_appid).await
}
pub async fn template_list(rt: &Runtime, a: TemplateListArgs) -> Result<Vec<Template>> {
    let t = template_type(a.template_type)?;
    rt.desk().wxa_template_list(&a.component_appid, t).await
}
pub async fn template_add(rt: &Runtime, a: TemplateAddArgs) -> Result<Template> {
    let t = template_type(a.template_type)?.unwrap_or(TemplateType::Normal);
    rt.desk()
        .wxa_template_add(&a.component_appid, a.draft_id, t)
        .await
}
pub async fn template_delete(rt: &Runtime, a: TemplateDeleteArgs) -> Result<Done> {
    rt.desk()
        .wxa_template_delete(&a.component_appid, a.template_id)
        .await?;
    Ok(Done { ok: true })
}
pub async fn platform_domains(rt: &Runtime, a: PlatformDomainsArgs) -> Result<PlatformDomainsView> {
    // Every merchant's domains must be on the released list: replacing or
    // shrinking it can break live mini programs, so it is confirmed first.
    let shrinks = matches!(a.action, DomainAction::Set | DomainAction::Delete);
    if a.published_too && shrinks && !a.confirmed {
        return Err(Error::NeedsConfirmation {
            action: format!(
                "change the released domain list of platform {} ({} {})",
                a.component_appid,
                if a.action == DomainAction::Set { "set to" } else { "delete" },
                a.domains.join(", ")
            ),
            risk: "every merchant's server and jump domains must be on this list: a domain removed from the released list breaks the released mini programs that use it".into(),
        });
    }
    rt.desk()
        .wxa_platform_domains(
            &a.component_appid,
            a.kind,
            a.action,
            &a.domains,
            a.published_too,
        )
        .await
}
pub async fn platform_confirmfile(rt: &Runtime, a: TemplateListArgs) -> Result<ConfirmFile> {
    rt.desk().wxa_platform_confirmfile(&a.component_appid).await
}

pub async fn code_commit(rt: &Runtime, a: CodeCommitArgs) -> Result<CommitView> {
    let input = CommitInput {
        template_id: a.template_id,
        user_version: a.user_version,
        user_desc: a.user_desc,
        ext_json: a.ext_json,
        vars: a.vars,
    };
    rt.desk()
        .wxa_commit(&a.appid, comp(&a.component_appid), &input)
        .await
}
pub async fn code_pages(rt: &Runtime, a: WxaTargetArgs) -> Result<PagesView> {
    let pages = rt
        .desk()
        .wxa_pages(&a.appid, comp(&a.component_appid))
        .await?;
    Ok(PagesView {
        appid: a.appid,
        pages,
    })
}
pub async fn code_categories(rt: &Runtime, a: WxaTargetArgs) -> Result<CategoriesView> {
    let categories = rt
        .desk()
        .wxa_categories(&a.appid, comp(&a.component_appid))
        .await?;
    Ok(CategoriesView {
        appid: a.appid,
        categories,
    })
}
pub async fn code_qr(rt: &Runtime, a: CodeQrArgs) -> Result<ExperienceQrView> {
    let path = a.path.as_deref().map(str::trim).filter(|p| !p.is_empty());
    rt.desk()
        .wxa_experience_qr(&a.appid, comp(&a.component_appid), path)
        .await
}
pub async fn tester_bind(rt: &Runtime, a: TesterArgs) -> Result<TesterBound> {
    let Some(w) = a.wechat_id.as_deref() else {
        return Err(Error::invalid(
            "wechat_id",
            "give the tester's WeChat id (微信号)",
        ));
    };
    rt.desk()
        .wxa_tester_bind(&a.appid, comp(&a.component_appid), w)
        .await
}
pub async fn tester_unbind(rt: &Runtime, a: TesterArgs) -> Result<Done> {
    let who = match (a.wechat_id, a.userstr) {
        (Some(w), None) => TesterRef::WechatId(w.trim().to_string()),
        (None, Some(u)) => TesterRef::Userstr(u.trim().to_string()),
        _ => {
            return Err(Error::invalid(
                "wechat_id",
                "give exactly one of wechat_id or userstr (from tester_list)",
            ))
        }
    };
    rt.desk()
        .wxa_tester_unbind(&a.appid, comp(&a.component_appid), &who)
        .await?;
    Ok(Done { ok: true })
}
pub async fn tester_list(rt: &Runtime, a: WxaTargetArgs) -> Result<TestersView> {
    let testers = rt
        .desk()
        .wxa_testers(&a.appid, comp(&a.component_appid))
        .await?;
    Ok(TestersView {
        appid: a.appid,
        testers,
    })
}
pub async fn account_info(rt: &Runtime, a: WxaTargetArgs) -> Result<AccountBasicInfo> {
    rt.desk()
        .wxa_account_info(&a.appid, comp(&a.component_appid))
        .await
}

pub async fn domain_get(rt: &Runtime, a: WxaTargetArgs) -> Result<DomainsView> {
    let desk = rt.desk();
    let c = comp(&a.component_appid);
    let mut v = desk
        .wxa_server_domains(
            &a.appid,
            c,
            DomainAction::Get,
            &ServerDomains::default(),
            false,
        )
        .await?;
    v.effective = Some(desk.wxa_effective_domains(&a.appid, c).await?);
    Ok(v)
}
pub async fn domain_set(rt: &Runtime, a: DomainSetArgs) -> Result<DomainsView> {
    let action = a.action.unwrap_or(DomainAction::Set);
    if action == DomainAction::Get {
        return Err(Error::invalid(
            "action",
            "use domain_get to read the domains",
        ));
    }
    rt.desk()
        .wxa_server_domains(
            &a.appid,
            comp(&a.component_appid),
            action,
            &a.domains(),
            a.directly,
        )
        .await
}
pub async fn webview_get(rt: &Runtime, a: WxaTargetArgs) -> Result<WebviewView> {
    rt.desk()
        .wxa_webview_domains(
            &a.appid,
            comp(&a.component_appid),
            DomainAction::Get,
            &[],
            false,
        )
        .await
}
pub async fn webview_set(rt: &Runtime, a: WebviewSetArgs) -> Result<WebviewView> {
    let action = a.action.unwrap_or(DomainAction::Set);
    if action == DomainAction::Get {
        return Err(Error::invalid(
            "action",
            "use webview_get to read the domains",
        ));
    }
    rt.desk()
        .wxa_webview_domains(
            &a.appid,
            comp(&a.component_appid),
            action,
            &a.webviewdomain,
            a.directly,
        )
        .await
}
pub async fn webview_confirmfile(rt: &Runtime, a: WxaTargetArgs) -> Result<ConfirmFile> {
    rt.desk()
        .wxa_webview_confirmfile(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn domain_effective(rt: &Runtime, a: WxaTargetArgs) -> Result<EffectiveDomains> {
    rt.desk()
        .wxa_effective_domains(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn privacy_get(rt: &Runtime, a: PrivacyGetArgs) -> Result<PrivacyView> {
    rt.desk()
        .wxa_privacy_get(&a.appid, comp(&a.component_appid), a.privacy_ver)
        .await
}
pub async fn privacy_set(rt: &Runtime, a: PrivacySetArgs) -> Result<PrivacyView> {
    rt.desk()
        .wxa_privacy_set(&a.appid, comp(&a.component_appid), &a.setting)
        .await
}
pub async fn privacy_interfaces(rt: &Runtime, a: WxaTargetArgs) -> Result<Vec<PrivacyInterface>> {
    rt.desk()
        .wxa_privacy_interfaces(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn privacy_apply(rt: &Runtime, a: PrivacyApplyArgs) -> Result<PrivacyApplyView> {
    rt.desk()
        .wxa_privacy_apply(&a.appid, comp(&a.component_appid), &a.application)
        .await
}

pub async fn audit_check(rt: &Runtime, a: AuditCheckArgs) -> Result<AuditCheckView> {
    let input = CheckInput {
        item_list: a.item_list,
        domains: a.domains,
        privacy: a.privacy,
    };
    rt.desk()
        .wxa_audit_check(&a.appid, comp(&a.component_appid), &input)
        .await
}
pub async fn audit_submit(rt: &Runtime, a: AuditSubmitArgs) -> Result<SubmitView> {
    let req = SubmitAuditRequest {
        item_list: a.item_list,
        preview_info: a.preview_info,
        version_desc: a.version_desc,
        feedback_info: a.feedback_info,
        feedback_stuff: a.feedback_stuff,
        ugc_declare: a.ugc_declare,
        privacy_api_not_use: a.privacy_api_not_use,
        order_path: a.order_path,
    };
    rt.desk()
        .wxa_submit_audit(&a.appid, comp(&a.component_appid), &req)
        .await
}
pub async fn audit_status(rt: &Runtime, a: AuditIdArgs) -> Result<AuditStatusView> {
    rt.desk()
        .wxa_audit_status(&a.appid, comp(&a.component_appid), a.auditid)
        .await
}
pub async fn audit_screenshots(
    rt: &Runtime,
    a: AuditScreenshotsArgs,
) -> Result<Vec<ScreenshotView>> {
    let ids = media_ids(&a.media_ids)?;
    rt.desk()
        .wxa_audit_screenshots(&a.appid, comp(&a.component_appid), &ids)
        .await
}
pub async fn audit_undo(rt: &Runtime, a: WxaConfirmArgs) -> Result<AuditActionView> {
    rt.desk()
        .wxa_undo_audit(&a.appid, comp(&a.component_appid), a.confirmed)
        .await
}
pub async fn audit_speedup(rt: &Runtime, a: AuditIdArgs) -> Result<AuditActionView> {
    rt.desk()
        .wxa_speedup_audit(&a.appid, comp(&a.component_appid), a.auditid)
        .await
}
pub async fn audit_quota(rt: &Runtime, a: WxaTargetArgs) -> Result<AuditQuotaView> {
    rt.desk()
        .wxa_audit_quota(&a.appid, comp(&a.component_appid))
        .await
}

pub async fn release_publish(rt: &Runtime, a: WxaConfirmArgs) -> Result<ReleaseActionView> {
    rt.desk()
        .wxa_release(&a.appid, comp(&a.component_appid), a.confirmed)
        .await
}
pub async fn release_revert(rt: &Runtime, a: ReleaseRevertArgs) -> Result<ReleaseActionView> {
    rt.desk()
        .wxa_revert_release(
            &a.appid,
            comp(&a.component_appid),
            a.app_version,
            a.confirmed,
        )
        .await
}
pub async fn release_history(rt: &Runtime, a: WxaTargetArgs) -> Result<Vec<HistoryVersion>> {
    rt.desk()
        .wxa_release_history(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn release_status(rt: &Runtime, a: WxaTargetArgs) -> Result<ReleaseStatusView> {
    rt.desk()
        .wxa_release_status(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn release_gray(rt: &Runtime, a: ReleaseGrayArgs) -> Result<ReleaseActionView> {
    let gray = GrayRelease {
        gray_percentage: a.percent,
        support_experiencer_first: a.support_experiencer_first,
        support_debuger_first: a.support_debuger_first,
    };
    rt.desk()
        .wxa_gray_release(&a.appid, comp(&a.component_appid), &gray, a.confirmed)
        .await
}
pub async fn release_gray_revert(rt: &Runtime, a: WxaConfirmArgs) -> Result<ReleaseActionView> {
    rt.desk()
        .wxa_revert_gray_release(&a.appid, comp(&a.component_appid), a.confirmed)
        .await
}
pub async fn release_gray_plan(rt: &Runtime, a: WxaTargetArgs) -> Result<GrayPlanView> {
    rt.desk()
        .wxa_gray_plan(&a.appid, comp(&a.component_appid))
        .await
}
pub async fn release_visit(rt: &Runtime, a: ReleaseVisitArgs) -> Result<ReleaseActionView> {
    rt.desk()
        .wxa_visit_status(&a.appid, comp(&a.component_appid), a.status, a.confirmed)
        .await
}
pub async fn version_state(rt: &Runtime, a: WxaTargetArgs) -> Result<VersionStateView> {
    rt.desk()
        .wxa_version_state(&a.appid, comp(&a.component_appid))
}
pub async fn version_states(rt: &Runtime, a: VersionStatesArgs) -> Result<Vec<VersionStateView>> {
    rt.desk()
        .wxa_version_states(comp(&a.component_appid), a.appids.as_deref())
}
