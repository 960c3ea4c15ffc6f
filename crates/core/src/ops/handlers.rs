//! One function per operation, each a thin translation from the wire
//! arguments to one `Desk` method. No logic lives here beyond that
//! translation and the confirmation rules shared by every transport.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use super::args::*;
use super::jobs::{JobStarted, JobView};
pub use super::merchants::{authorizer_fetch_missing, authorizer_page, merchant_notes_set};
pub use super::meter::{meter, meter_component, meter_set_component, meter_set_prices};
use super::tools::{
    self, DecryptedDataView, DecryptedPushView, EncryptedPushView, ErrcodeView, QrView,
    SignatureView,
};
use super::Runtime;
use crate::error::{Error, Result};
use crate::services::apps::{AppChanges, AppInput, AppRemoved, AppView, Secret};
use crate::services::authorizers::{
    AuthorizeInput, AuthorizerQuery, AuthorizerView, RefreshPlan, RefreshTarget,
};
use crate::services::call_log::CallLogView;
use crate::services::components::{
    ComponentChanges, ComponentInput, ComponentRemoved, ComponentView,
};
use crate::services::components_push::{
    PushApplied, StartPushView, TicketSource, TicketStatusView,
};
use crate::services::credentials_test::CredentialsTestView;
use crate::services::dashboard::DashboardView;
use crate::services::fastregister::TaskView;
use crate::services::inbox::{InboxEntryView, InboxFilter};
use crate::services::links::{AuthLinkOptions, LinkView};
use crate::services::login::{CheckSessionView, DecryptView, LoginView, PhoneView, SessionView};
use crate::services::quota::{QuotaClearView, QuotaView};
use crate::services::receive_url::{PermanentLinkView, PushSecretsView};
use crate::services::settings::SettingsView;
use crate::services::token_status::ForceBudgetView;
use crate::services::transfer::{ExportOptions, ImportReport};
use crate::store::call_log::CallLogQuery;

// The code-management operations live in their own module.
pub use super::batch::*;
pub use super::sandbox_wxa::handlers::*;
pub use super::wxa::*;

/// What `export` returns: a file to save.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExportView {
    /// Suggested file name.
    pub file_name: String,
    /// The file, base64.
    pub content_base64: String,
    /// Whether the file holds (encrypted) secrets.
    pub with_secrets: bool,
}

/// Acknowledges a write with nothing else to say.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Done {
    /// Always true.
    pub ok: bool,
}

fn need_confirmation(action: &str, risk: &str) -> Error {
    Error::NeedsConfirmation {
        action: action.into(),
        risk: risk.into(),
    }
}

fn secret(s: Option<String>) -> Option<Secret> {
    s.map(Secret::new)
}

pub async fn settings_get(rt: &Runtime, _: NoArgs) -> Result<SettingsView> {
    rt.desk().settings()
}
pub async fn settings_set_environment(rt: &Runtime, a: EnvironmentArgs) -> Result<SettingsView> {
    rt.set_environment(a.environment).await
}
pub async fn settings_set_language(rt: &Runtime, a: LanguageArgs) -> Result<SettingsView> {
    rt.desk().set_language(a.language.as_str())
}
pub async fn settings_set_theme(rt: &Runtime, a: ThemeArgs) -> Result<SettingsView> {
    rt.desk().set_theme(a.theme.as_str())
}
pub async fn settings_set_log_retention(rt: &Runtime, a: RetentionArgs) -> Result<SettingsView> {
    rt.desk().set_log_retention(a.days)
}
pub async fn dashboard(rt: &Runtime, _: NoArgs) -> Result<DashboardView> {
    rt.desk().dashboard()
}

pub async fn app_list(rt: &Runtime, _: NoArgs) -> Result<Vec<AppView>> {
    rt.desk().app_list()
}
pub async fn app_show(rt: &Runtime, a: AppIdArgs) -> Result<AppView> {
    rt.desk().app_show(&a.appid)
}
pub async fn app_add(rt: &Runtime, a: AppAddArgs) -> Result<AppView> {
    rt.desk().app_add(AppInput {
        appid: a.appid,
        secret: Secret::new(a.secret),
        name: a.name.unwrap_or_default(),
    })
}
pub async fn app_test_credentials(
    rt: &Runtime,
    a: CredentialsTestArgs,
) -> Result<CredentialsTestView> {
    rt.desk().app_test_credentials(&a.appid, &a.secret).await
}
pub async fn component_test_credentials(
    rt: &Runtime,
    a: CredentialsTestArgs,
) -> Result<CredentialsTestView> {
    rt.desk()
        .component_test_credentials(&a.appid, &a.secret)
        .await
}
pub async fn app_update(rt: &Runtime, a: AppUpdateArgs) -> Result<AppView> {
    rt.desk().app_update(
        &a.appid,
        AppChanges {
            secret: secret(a.secret),
            name: a.name,
        },
    )
}
pub async fn app_remove(rt: &Runtime, a: RemoveArgs) -> Result<AppRemoved> {
    rt.desk().app_remove(&a.appid, a.confirmed)
}

pub use super::token_handlers::{app_token, authorizer_token, component_token};

pub async fn login(rt: &Runtime, a: LoginArgs) -> Result<LoginView> {
    rt.desk()
        .login(&a.appid, &a.code, a.component_appid.as_deref(), a.reveal)
        .await
}
pub async fn phone(rt: &Runtime, a: PhoneArgs) -> Result<PhoneView> {
    rt.desk()
        .phone_via(&a.appid, &a.code, a.component_appid.as_deref())
        .await
}
pub async fn checksession(rt: &Runtime, a: CheckSessionArgs) -> Result<CheckSessionView> {
    rt.desk()
        .checksession_via(&a.appid, &a.openid, a.component_appid.as_deref())
        .await
}
pub async fn sessions(rt: &Runtime, a: SessionsArgs) -> Result<Vec<SessionView>> {
    rt.desk().sessions(a.appid.as_deref())
}
pub async fn decrypt_data(rt: &Runtime, a: DecryptDataArgs) -> Result<DecryptView> {
    rt.desk().decrypt_data(&a.appid, &a.openid, &a.iv, &a.data)
}

pub async fn component_list(rt: &Runtime, _: NoArgs) -> Result<Vec<ComponentView>> {
    rt.desk().component_list()
}
pub async fn component_show(rt: &Runtime, a: ComponentIdArgs) -> Result<ComponentView> {
    rt.desk().component_show(&a.component_appid)
}
pub async fn component_add(rt: &Runtime, a: ComponentAddArgs) -> Result<ComponentView> {
    rt.desk().component_add_receiving(
        ComponentInput {
            appid: a.appid,
            secret: Secret::new(a.secret),
            token: secret(a.token),
            aes_key: secret(a.aes_key),
            name: a.name.unwrap_or_default(),
            redirect_uri: a.redirect_uri,
        },
        a.receive_url.as_deref(),
    )
}
pub async fn component_update(rt: &Runtime, a: ComponentUpdateArgs) -> Result<ComponentView> {
    rt.desk().component_update(
        &a.appid,
        ComponentChanges {
            secret: secret(a.secret),
            token: secret(a.token),
            aes_key: secret(a.aes_key),
            name: a.name,
            redirect_uri: a.redirect_uri,
            receive_url: a.receive_url,
        },
    )
}
pub async fn component_remove(rt: &Runtime, a: RemoveArgs) -> Result<ComponentRemoved> {
    rt.desk().component_remove(&a.appid, a.confirmed)
}
pub async fn ticket_set(rt: &Runtime, a: TicketSetArgs) -> Result<TicketStatusView> {
    rt.desk()
        .ticket_set(&a.component_appid, &a.ticket, TicketSource::Manual)
}
pub async fn ticket_push(rt: &Runtime, a: TicketPushArgs) -> Result<PushApplied> {
    rt.desk()
        .ticket_push(&a.component_appid, &a.query, &a.body)
        .await
}
pub async fn inbox_list(rt: &Runtime, a: InboxListArgs) -> Result<Vec<InboxEntryView>> {
    rt.desk().inbox_list(&InboxFilter {
        component_appid: a.component_appid,
        authorizer_appid: a.authorizer_appid,
        info_type: a.info_type,
        errors_only: a.errors,
        limit: a.limit,
    })
}
pub async fn inbox_apply(rt: &Runtime, a: InboxApplyArgs) -> Result<InboxEntryView> {
    rt.desk().inbox_apply(a.id).await
}
pub async fn ticket_start_push(rt: &Runtime, a: ComponentIdArgs) -> Result<StartPushView> {
    rt.desk().ticket_start_push(&a.component_appid).await
}
pub async fn ticket_status(rt: &Runtime, a: ComponentIdArgs) -> Result<TicketStatusView> {
    rt.desk().ticket_status(&a.component_appid)
}

pub async fn auth_link(rt: &Runtime, a: AuthLinkArgs) -> Result<LinkView> {
    let kind = a.kind.into();
    let opts = AuthLinkOptions {
        kind,
        redirect_uri: a.redirect_uri,
        auth_type: a.auth_type,
        biz_appid: a.biz_appid,
        category_ids: a.category_ids,
        pre_auth_code: a.pre_auth_code.filter(|c| !c.trim().is_empty()),
    };
    rt.desk().auth_link(&a.component_appid, &opts).await
}
pub async fn push_secrets_reveal(rt: &Runtime, a: ComponentIdArgs) -> Result<PushSecretsView> {
    rt.desk().push_secrets_reveal(&a.component_appid)
}
pub async fn receive_link(rt: &Runtime, a: ReceiveLinkArgs) -> Result<PermanentLinkView> {
    rt.desk().receive_link(
        &a.component_appid,
        a.kind.into(),
        a.auth_type,
        a.biz_appid.as_deref(),
    )
}
pub async fn fastregister_link(rt: &Runtime, a: FastRegisterLinkArgs) -> Result<LinkView> {
    rt.desk().fastregister_link(
        &a.component_appid,
        &a.appid,
        a.redirect_uri.as_deref(),
        a.copy_wx_verify,
    )
}

pub async fn authorize(rt: &Runtime, a: AuthorizeArgs) -> Result<AuthorizerView> {
    let input =
        match (a.auth_code, a.callback_url) {
            (Some(code), None) if !code.trim().is_empty() => AuthorizeInput::AuthCode(code),
            (None, Some(url)) if !url.trim().is_empty() => AuthorizeInput::CallbackUrl(url),
            _ => return Err(Error::invalid(
                "auth_code",
                "give either the auth_code or the callback URL the merchant's browser landed on",
            )),
        };
    rt.desk().authorize(&a.component_appid, input).await
}
pub async fn authorizer_list(rt: &Runtime, a: AuthorizerListArgs) -> Result<Vec<AuthorizerView>> {
    rt.desk().authorizer_list(&AuthorizerQuery {
        component: a.component_appid,
        status: a.status,
        account_type: a.account_type.map(|t| t.as_str().to_string()),
        search: a.search.filter(|s| !s.is_empty()),
        tag: a.tag.filter(|s| !s.is_empty()),
    })
}
pub async fn authorizer_show(rt: &Runtime, a: AuthorizerShowArgs) -> Result<AuthorizerView> {
    rt.desk()
        .authorizer_show(&a.appid, a.component_appid.as_deref())
}
pub async fn authorizer_refresh_info(
    rt: &Runtime,
    a: AuthorizerShowArgs,
) -> Result<AuthorizerView> {
    rt.desk()
        .authorizer_refresh_info(&a.appid, a.component_appid.as_deref())
        .await
}
pub async fn authorizer_sync(rt: &Runtime, a: AuthorizerSyncArgs) -> Result<JobStarted> {
    let desk = rt.desk();
    desk.component_show(&a.component_appid)?;
    Ok(rt.jobs().start("authorizer_sync", move |ctl| async move {
        let progress = |d: usize, t: usize| ctl.progress(d, t);
        let report = desk
            .authorizer_sync_confirmed(
                &a.component_appid,
                a.confirmed,
                &progress,
                ctl.cancel_flag(),
            )
            .await?;
        serde_json::to_value(report).map_err(|e| Error::invalid("result", e.to_string()))
    }))
}
fn refresh_target(a: &AuthorizerRefreshArgs) -> Result<RefreshTarget> {
    match (&a.appid, a.all, a.force) {
        (Some(appid), false, _) => Ok(RefreshTarget::One(appid.clone())),
        (None, true, false) => Ok(RefreshTarget::All),
        (None, true, true) => Ok(RefreshTarget::AllForced),
        _ => Err(Error::invalid(
            "appid",
            "give one authorizer appid, or all: true",
        )),
    }
}
pub async fn authorizer_refresh_plan(
    rt: &Runtime,
    a: AuthorizerRefreshArgs,
) -> Result<RefreshPlan> {
    let forced = !matches!(refresh_target(&a)?, RefreshTarget::All);
    rt.desk()
        .authorizer_refresh_plan(&a.component_appid, forced)
}
pub async fn authorizer_refresh(rt: &Runtime, a: AuthorizerRefreshArgs) -> Result<JobStarted> {
    let target = refresh_target(&a)?;
    let desk = rt.desk();
    desk.component_show(&a.component_appid)?;
    if target == RefreshTarget::AllForced && !a.confirmed {
        let plan = desk.authorizer_refresh_plan(&a.component_appid, true)?;
        return Err(need_confirmation(
            &format!(
                "force-refresh the tokens of ALL {} active authorizers of {}: {} api_authorizer_token calls ({} of them not due)",
                plan.active,
                a.component_appid,
                plan.calls,
                plan.active.saturating_sub(plan.due)
            ),
            &format!(
                "every merchant's current authorizer_access_token is replaced, including tokens your platform servers hold ({}); \
                 each call counts against that merchant's daily limit. A refresh of all without force renews only the {} missing or expiring",
                desk.env().label(),
                plan.due
            ),
        ));
    }
    use crate::services::authorizers_bulk::{DEFAULT_REFRESH_CONCURRENCY, MAX_REFRESH_CONCURRENCY};
    // Checked before the job starts, so a bad value fails the call itself.
    let concurrency = a.concurrency.unwrap_or(DEFAULT_REFRESH_CONCURRENCY);
    if concurrency == 0 || concurrency > MAX_REFRESH_CONCURRENCY {
        return Err(Error::invalid(
            "concurrency",
            format!("must be 1 to {MAX_REFRESH_CONCURRENCY} parallel requests (default {DEFAULT_REFRESH_CONCURRENCY}); got {concurrency}"),
        ));
    }
    Ok(rt
        .jobs()
        .start("authorizer_refresh", move |ctl| async move {
            let progress = |d: usize, t: usize| ctl.progress(d, t);
            let report = desk
                .authorizer_refresh(
                    &a.component_appid,
                    target,
                    concurrency,
                    &progress,
                    ctl.cancel_flag(),
                )
                .await?;
            serde_json::to_value(report).map_err(|e| Error::invalid("result", e.to_string()))
        }))
}
pub async fn token_force_budget(rt: &Runtime, a: AppIdArgs) -> Result<ForceBudgetView> {
    rt.desk().force_budget(&a.appid)
}
pub async fn job_status(rt: &Runtime, a: JobArgs) -> Result<JobView> {
    rt.jobs().status(&a.job_id)
}
pub async fn job_cancel(rt: &Runtime, a: JobArgs) -> Result<JobView> {
    rt.jobs().cancel(&a.job_id)
}

pub async fn fastregister_enterprise_create(
    rt: &Runtime,
    a: EnterpriseCreateArgs,
) -> Result<TaskView> {
    let reg = wxdesk_wechat::api::fastregister::EnterpriseRegistration {
        name: a.name,
        code: a.code,
        code_type: a.code_type,
        legal_persona_wechat: a.legal_persona_wechat,
        legal_persona_name: a.legal_persona_name,
        component_phone: a.component_phone.filter(|p| !p.is_empty()),
    };
    rt.desk()
        .fastregister_enterprise_create(&a.component_appid, &reg)
        .await
}
pub async fn fastregister_enterprise_search(
    rt: &Runtime,
    a: EnterpriseSearchArgs,
) -> Result<TaskView> {
    let s = wxdesk_wechat::api::fastregister::EnterpriseSearch {
        name: a.name,
        legal_persona_wechat: a.legal_persona_wechat,
        legal_persona_name: a.legal_persona_name,
    };
    rt.desk()
        .fastregister_enterprise_search(&a.component_appid, &s)
        .await
}
pub async fn fastregister_personal_create(rt: &Runtime, a: PersonalCreateArgs) -> Result<TaskView> {
    let reg = wxdesk_wechat::api::fastregister::PersonalRegistration {
        idname: a.idname,
        wxuser: a.wxuser,
        component_phone: a.component_phone.filter(|p| !p.is_empty()),
    };
    rt.desk()
        .fastregister_personal_create(&a.component_appid, &reg)
        .await
}
pub async fn fastregister_personal_query(rt: &Runtime, a: PersonalQueryArgs) -> Result<TaskView> {
    rt.desk()
        .fastregister_personal_query(&a.component_appid, &a.taskid)
        .await
}
pub async fn fastregister_beta_create(rt: &Runtime, a: BetaCreateArgs) -> Result<TaskView> {
    let reg = wxdesk_wechat::api::fastregister::BetaRegistration {
        name: a.name,
        openid: a.openid,
    };
    rt.desk()
        .fastregister_beta_create(&a.component_appid, &reg)
        .await
}
pub async fn fastregister_offiaccount(rt: &Runtime, a: OffiaccountArgs) -> Result<TaskView> {
    rt.desk()
        .fastregister_offiaccount(&a.component_appid, &a.authorizer_appid, &a.ticket)
        .await
}
pub async fn fastregister_tasks(rt: &Runtime, a: TasksArgs) -> Result<Vec<TaskView>> {
    rt.desk().fastregister_tasks(a.component_appid.as_deref())
}

pub async fn tool_decrypt_push(_: &Runtime, a: ToolDecryptPushArgs) -> Result<DecryptedPushView> {
    tools::decrypt_push(a)
}
pub async fn tool_encrypt_push(_: &Runtime, a: ToolEncryptPushArgs) -> Result<EncryptedPushView> {
    tools::encrypt_push(a)
}
pub async fn tool_decrypt_data(_: &Runtime, a: ToolDecryptDataArgs) -> Result<DecryptedDataView> {
    tools::decrypt_data(a)
}
pub async fn tool_sign_raw_data(_: &Runtime, a: ToolSignRawDataArgs) -> Result<SignatureView> {
    tools::sign_raw_data(a)
}
pub async fn tool_sign_session(_: &Runtime, a: ToolSignSessionArgs) -> Result<SignatureView> {
    tools::sign_session(a)
}
pub async fn qr(_: &Runtime, a: QrArgs) -> Result<QrView> {
    tools::qr(a)
}
pub async fn errcode_explain(_: &Runtime, a: ErrcodeArgs) -> Result<ErrcodeView> {
    Ok(tools::errcode(a))
}

pub async fn quota_get(rt: &Runtime, a: QuotaGetArgs) -> Result<QuotaView> {
    rt.desk()
        .quota_get_via(&a.appid, &a.cgi_path, a.component_appid.as_deref())
        .await
}
pub async fn quota_clear(rt: &Runtime, a: QuotaClearArgs) -> Result<QuotaClearView> {
    rt.desk()
        .quota_clear_via(
            &a.appid,
            a.component_appid.as_deref(),
            a.by_secret,
            a.confirmed,
        )
        .await
}

pub async fn call_log(rt: &Runtime, a: CallLogArgs) -> Result<Vec<CallLogView>> {
    rt.desk().call_log(&CallLogQuery {
        account: a.account.filter(|s| !s.is_empty()),
        endpoint: a.endpoint.filter(|s| !s.is_empty()),
        errors_only: a.errors_only,
        since_ms: a.since_ms,
        until_ms: a.until_ms,
        limit: a.limit,
        before_id: a.before_id,
    })
}
pub async fn call_log_entry(rt: &Runtime, a: CallLogEntryArgs) -> Result<CallLogView> {
    rt.desk().call_log_entry(a.id)
}

pub async fn export(rt: &Runtime, a: ExportArgs) -> Result<ExportView> {
    let with_secrets = a.with_secrets;
    let bytes = rt.desk().export(ExportOptions {
        with_secrets,
        passphrase: a.passphrase.map(Zeroizing::new),
    })?;
    let stamp = crate::store::now();
    Ok(ExportView {
        file_name: format!(
            "wxdesk-export-{stamp}{}.json",
            if with_secrets { "-encrypted" } else { "" }
        ),
        content_base64: B64.encode(bytes),
        with_secrets,
    })
}
fn import_bytes(a: &ImportArgs) -> Result<Vec<u8>> {
    B64.decode(a.content_base64.trim())
        .map_err(|e| Error::invalid("content_base64", format!("not base64: {e}")))
}
pub async fn import_preview(rt: &Runtime, a: ImportArgs) -> Result<ImportReport> {
    let bytes = import_bytes(&a)?;
    rt.desk()
        .import_preview(&bytes, a.passphrase.map(Zeroizing::new))
}
pub async fn import(rt: &Runtime, a: ImportArgs) -> Result<ImportReport> {
    let bytes = import_bytes(&a)?;
    rt.desk()
        .import(&bytes, a.passphrase.map(Zeroizing::new), a.confirmed)
}
/// Writes a file owner-only. In the desktop app the shell lets this op
/// through only for the path the operator just chose in its save dialog
/// (`services::transfer::file::SaveGrant`).
pub async fn save_file(_: &Runtime, a: SaveFileArgs) -> Result<Done> {
    let path = std::path::Path::new(&a.path);
    if !path.is_absolute() {
        return Err(Error::invalid(
            "path",
            "choose the file in the save dialog (an absolute path is required)",
        ));
    }
    let bytes = B64
        .decode(a.content_base64.trim())
        .map_err(|e| Error::invalid("content_base64", format!("not base64: {e}")))?;
    crate::services::transfer::file::write_private(path, &bytes)?;
    Ok(Done { ok: true })
}

pub async fn sandbox_start(rt: &Runtime, _: NoArgs) -> Result<super::sandbox::SandboxView> {
    rt.sandbox_start().await
}
pub async fn sandbox_status(rt: &Runtime, _: NoArgs) -> Result<super::sandbox::SandboxStatusView> {
    Ok(rt.sandbox_status().await)
}
pub async fn sandbox_issue_js_code(
    rt: &Runtime,
    a: SandboxJsCodeArgs,
) -> Result<super::sandbox::SandboxCodeView> {
    rt.sandbox_js_code(&a.appid, a.openid.as_deref()).await
}
pub async fn sandbox_issue_phone_code(
    rt: &Runtime,
    a: SandboxPhoneCodeArgs,
) -> Result<super::sandbox::SandboxCodeView> {
    rt.sandbox_phone_code(&a.appid, a.phone.as_deref().unwrap_or("13800138000"))
        .await
}
pub async fn sandbox_push_ticket(
    rt: &Runtime,
    a: ComponentIdArgs,
) -> Result<super::sandbox::SandboxPushView> {
    rt.sandbox_push_ticket(&a.component_appid).await
}
pub async fn sandbox_mirror(
    rt: &Runtime,
    a: super::sandbox::SandboxMirrorArgs,
) -> Result<super::sandbox::SandboxMirrorView> {
    let kind = super::sandbox::SandboxMirrorKind::parse(&a.kind)?;
    rt.sandbox_mirror(&a.appid, kind).await
}
pub async fn sandbox_sample_data(
    rt: &Runtime,
    a: super::sandbox::SandboxSampleDataArgs,
) -> Result<super::sandbox::SandboxSampleDataView> {
    rt.sandbox_sample_data(&a.appid, &a.openid).await
}

pub use crate::team::service::ops::{team_bind, team_show, team_unbind};

pub async fn rid_lookup(rt: &Runtime, a: RidLookupArgs) -> Result<crate::services::rid::RidView> {
    rt.desk()
        .rid_lookup(&a.rid, &a.appid, a.component_appid.as_deref())
        .await
}
