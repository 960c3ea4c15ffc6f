//! The operation table: every user-visible operation, once.
//!
//! The Tauri shell and `wxdesk serve` expose exactly this table — one generic
//! IPC command and one HTTP route both call [`dispatch`] — so the two
//! transports cannot drift apart, and a test checks that every operation the
//! UI calls exists here. Each entry names the operation, its argument type
//! ([`args`]) and its result type; the TypeScript bindings of all of them are
//! generated from the same entries (`typescript_bindings`, compiled only with
//! the dev-only feature `bindings`, so no binary carries the generator).
//!
//! [`Runtime`] is what the table runs against: the open [`Desk`], reopened
//! when the environment changes, the job registry, and the embedded sandbox.

pub mod args;
pub mod batch;
pub mod batch_args;
#[cfg(feature = "bindings")]
mod bindings;
pub mod handlers;
pub mod jobs;
pub mod merchants;
pub mod meter;
pub mod sandbox;
pub mod sandbox_wxa;
pub mod token_handlers;
pub mod tools;
pub mod wire;
pub mod wxa;
pub mod wxa_args;

use std::sync::{Arc, RwLock};

use serde_json::Value;

use crate::desk::{Desk, DeskOptions};
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::services::settings::SettingsView;
use jobs::Jobs;

/// What the operation table runs against.
pub struct Runtime {
    base: DeskOptions,
    desk: RwLock<Arc<Desk>>,
    jobs: Arc<Jobs>,
    pub(crate) sandbox: tokio::sync::Mutex<Option<wxdesk_sandbox::SandboxHandle>>,
    /// Whether a saved local sandbox that is down is started again (not for
    /// a one-shot shell: see [`Runtime::open_once`]).
    revive: bool,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("desk", &self.desk())
            .finish()
    }
}

impl Runtime {
    /// Opens the desk; if the saved environment is a local sandbox that is not
    /// running, starts one there.
    pub async fn open(base: DeskOptions) -> Result<Runtime> {
        let desk = Desk::open(base.clone())?;
        let rt = Runtime {
            base,
            desk: RwLock::new(Arc::new(desk)),
            jobs: Arc::new(Jobs::default()),
            sandbox: tokio::sync::Mutex::new(None),
            revive: true,
        };
        rt.revive_local_sandbox().await?;
        Ok(rt)
    }

    /// Opens the desk without reviving a stopped local sandbox, now or when
    /// the environment changes: for a one-shot shell (the CLI), where a
    /// sandbox started for one command would vanish with it and hide that the
    /// saved one is down.
    pub fn open_once(base: DeskOptions) -> Result<Runtime> {
        let desk = Desk::open(base.clone())?;
        Ok(Runtime {
            base,
            desk: RwLock::new(Arc::new(desk)),
            jobs: Arc::new(Jobs::default()),
            sandbox: tokio::sync::Mutex::new(None),
            revive: false,
        })
    }

    /// The environment the desk runs against.
    pub fn environment(&self) -> Environment {
        self.desk().env().clone()
    }

    /// Problems fixed while opening, for the shell to show once.
    pub fn warnings(&self) -> Vec<String> {
        self.desk().warnings().to_vec()
    }

    /// The desk in use (a snapshot: it stays valid while an operation runs).
    pub fn desk(&self) -> Arc<Desk> {
        self.desk.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The job registry.
    pub fn jobs(&self) -> &Arc<Jobs> {
        &self.jobs
    }

    /// Saves the environment (in the home database) and reopens the desk on
    /// it, which opens that environment's own database file.
    pub async fn set_environment(&self, env: Environment) -> Result<SettingsView> {
        env.bases()?;
        self.desk().set_environment(env.clone())?;
        let desk = Desk::open(DeskOptions {
            environment: Some(env),
            ..self.base.clone()
        })?;
        *self.desk.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(desk);
        if self.revive {
            self.revive_local_sandbox().await?;
        }
        self.desk().settings()
    }
}

fn parse_args<T: serde::de::DeserializeOwned>(op: &str, args: Value) -> Result<T> {
    let args = if args.is_null() {
        Value::Object(Default::default())
    } else {
        args
    };
    // The path names the argument at fault (`kind`, `settings.theme`), so a
    // wrong enum value reads "kind: unknown variant `x`, expected `pc` or `h5`".
    serde_path_to_error::deserialize(args).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path.is_empty() || path == "." {
            Error::invalid(op, format!("bad arguments: {inner}"))
        } else {
            Error::invalid(path, format!("{inner} (in the arguments of {op})"))
        }
    })
}

fn to_value<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| Error::invalid("result", e.to_string()))
}

macro_rules! operations {
    ($( $name:ident ( $args:ty ) -> $res:ty ; )*) => {
        /// Every operation name, in table order.
        pub const OP_NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs operation `name` with JSON `args`; the result is JSON.
        ///
        /// Traced as a `dispatch` span with the operation's name and duration
        /// (never its arguments: they hold secrets).
        pub async fn dispatch(rt: &Runtime, name: &str, args: Value) -> Result<Value> {
            use tracing::Instrument;
            let span = tracing::info_span!("dispatch", op = name);
            let started = std::time::Instant::now();
            let r = dispatch_untraced(rt, name, args).instrument(span.clone()).await;
            let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            match &r {
                Ok(_) => tracing::debug!(parent: &span, ms, "done"),
                Err(e) => tracing::info!(parent: &span, ms, code = %e.code(), "failed"),
            }
            r
        }

        async fn dispatch_untraced(rt: &Runtime, name: &str, args: Value) -> Result<Value> {
            match name {
                $( stringify!($name) => {
                    let a: $args = parse_args(name, args)?;
                    let r: $res = handlers::$name(rt, a).await?;
                    to_value(r)
                } )*
                _ => Err(Error::invalid("op", format!("unknown operation {name:?}"))),
            }
        }

        /// The TypeScript of every argument and result type, by file name,
        /// plus `ops.ts` mapping each operation to its types.
        #[cfg(feature = "bindings")]
        pub fn typescript_bindings() -> std::result::Result<Vec<(String, String)>, ts_rs::ExportError> {
            use ts_rs::TS;
            use bindings::{collect, ts_config};
            let mut files = std::collections::BTreeMap::new();
            $(
                collect::<$args>(&mut files)?;
                collect::<$res>(&mut files)?;
            )*
            // What jobs return inside `JobView.result` (typed here, not by the table).
            collect::<crate::services::authorizers::SyncReport>(&mut files)?;
            collect::<crate::services::authorizers::RefreshReport>(&mut files)?;
            collect::<crate::services::merchants::ProfilesReport>(&mut files)?;
            // Import exactly the types the table names (e.g. `AppView` in `Array<AppView>`).
            let mut entries = String::new();
            $(
                entries.push_str(&format!(
                    "  {}: {{ args: {}; result: {} }};\n",
                    stringify!($name),
                    <$args as TS>::name(&ts_config()),
                    <$res as TS>::name(&ts_config())
                ));
            )*
            let declared: std::collections::BTreeSet<String> =
                files.keys().filter(|f| !f.contains('/')).filter_map(|f| f.strip_suffix(".ts")).map(str::to_string).collect();
            let used: std::collections::BTreeSet<String> = entries
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| declared.contains(*w))
                .map(str::to_string)
                .collect();
            let mut ops = String::from("// Generated by wxdesk-core (ops::typescript_bindings). Do not edit.\n");
            for n in &used {
                ops.push_str(&format!("import type {{ {n} }} from \"./{n}\";\n"));
            }
            ops.push_str("\n/** Every operation of the core's table: its argument and result types. */\nexport type Ops = {\n");
            ops.push_str(&entries);
            ops.push_str("};\n\n/** Every operation name, in table order. */\nexport const OP_NAMES = [\n");
            $( ops.push_str(&format!("  \"{}\",\n", stringify!($name))); )*
            ops.push_str("] as const;\n\nexport type OpName = keyof Ops;\nexport type OpArgs<K extends OpName> = Ops[K][\"args\"];\nexport type OpResult<K extends OpName> = Ops[K][\"result\"];\n");
            let mut out: Vec<(String, String)> = files.into_iter().collect();
            out.push(("ops.ts".to_string(), ops));
            Ok(out)
        }
    };
}

use crate::ops::args::*;
use crate::ops::batch_args::*;
use crate::ops::handlers::{Done, ExportView};
use crate::ops::jobs::{JobStarted, JobView};
use crate::ops::sandbox::{
    SandboxCodeView, SandboxMirrorArgs, SandboxMirrorView, SandboxPushView, SandboxSampleDataArgs,
    SandboxSampleDataView, SandboxStatusView, SandboxView,
};
use crate::ops::tools::{
    DecryptedDataView, DecryptedPushView, EncryptedPushView, ErrcodeView, QrView, SignatureView,
};
use crate::ops::wxa_args::*;
use crate::services::apps::{AppRemoved, AppView};
use crate::services::authorizers::{AuthorizerView, RefreshPlan};
use crate::services::call_log::CallLogView;
use crate::services::components::{ComponentRemoved, ComponentView};
use crate::services::components_push::{PushApplied, StartPushView, TicketStatusView};
use crate::services::dashboard::DashboardView;
use crate::services::fastregister::TaskView;
use crate::services::inbox::InboxEntryView;
use crate::services::links::LinkView;
use crate::services::login::{CheckSessionView, DecryptView, LoginView, PhoneView, SessionView};
use crate::services::quota::{QuotaClearView, QuotaView};
use crate::services::token_status::ForceBudgetView;
use crate::services::transfer::ImportReport;
use crate::team::service::{
    TeamAccountArgs, TeamBindArgs, TeamBindingView, TeamShowView, TeamUnbound,
};
use crate::token_types::TokenView;

/// The result types of the code-management operations, by short name.
mod wxa_types {
    pub use crate::services::wxa_audit::{
        AuditActionView, AuditQuotaView, AuditStatusView, SubmitView,
    };
    pub use crate::services::wxa_check::AuditCheckView;
    pub use crate::services::wxa_code::{CommitView, ExperienceQrView, TesterBound};
    pub use crate::services::wxa_domains::{
        DomainsView, PrivacyApplyView, PrivacyView, WebviewView,
    };
    pub use crate::services::wxa_release::{GrayPlanView, ReleaseActionView, ReleaseStatusView};
    pub use crate::services::wxa_screenshots::ScreenshotView;
    pub use crate::services::wxa_state::VersionStateView;
    pub use crate::services::wxa_templates::PlatformDomainsView;
    pub use wxdesk_wechat::api::wxa_domain::EffectiveDomains;
    pub use wxdesk_wechat::api::wxa_member::AccountBasicInfo;
    pub use wxdesk_wechat::api::wxa_privacy::PrivacyInterface;
    pub use wxdesk_wechat::api::wxa_release::HistoryVersion;
    pub use wxdesk_wechat::api::wxa_shared::ConfirmFile;
    pub use wxdesk_wechat::api::wxa_template::{Template, TemplateDraft};
}

operations! {
    settings_get(NoArgs) -> SettingsView;
    settings_set_environment(EnvironmentArgs) -> SettingsView;
    settings_set_language(LanguageArgs) -> SettingsView;
    settings_set_theme(ThemeArgs) -> SettingsView;
    settings_set_log_retention(RetentionArgs) -> SettingsView;
    dashboard(NoArgs) -> DashboardView;
    sandbox_start(NoArgs) -> SandboxView;
    sandbox_status(NoArgs) -> SandboxStatusView;
    sandbox_issue_js_code(SandboxJsCodeArgs) -> SandboxCodeView;
    sandbox_issue_phone_code(SandboxPhoneCodeArgs) -> SandboxCodeView;
    sandbox_push_ticket(ComponentIdArgs) -> SandboxPushView;
    sandbox_mirror(SandboxMirrorArgs) -> SandboxMirrorView;
    sandbox_sample_data(SandboxSampleDataArgs) -> SandboxSampleDataView;
    app_list(NoArgs) -> Vec<AppView>;
    app_show(AppIdArgs) -> AppView;
    app_add(AppAddArgs) -> AppView;
    app_test_credentials(CredentialsTestArgs) -> crate::services::credentials_test::CredentialsTestView;
    app_update(AppUpdateArgs) -> AppView;
    app_remove(RemoveArgs) -> AppRemoved;
    app_token(AppTokenArgs) -> TokenView;
    component_token(ComponentTokenArgs) -> TokenView;
    authorizer_token(AuthorizerTokenArgs) -> TokenView;
    login(LoginArgs) -> LoginView;
    phone(PhoneArgs) -> PhoneView;
    checksession(CheckSessionArgs) -> CheckSessionView;
    sessions(SessionsArgs) -> Vec<SessionView>;
    decrypt_data(DecryptDataArgs) -> DecryptView;
    component_list(NoArgs) -> Vec<ComponentView>;
    component_show(ComponentIdArgs) -> ComponentView;
    component_add(ComponentAddArgs) -> ComponentView;
    component_test_credentials(CredentialsTestArgs) -> crate::services::credentials_test::CredentialsTestView;
    component_update(ComponentUpdateArgs) -> ComponentView;
    component_remove(RemoveArgs) -> ComponentRemoved;
    ticket_set(TicketSetArgs) -> TicketStatusView;
    ticket_push(TicketPushArgs) -> PushApplied;
    ticket_start_push(ComponentIdArgs) -> StartPushView;
    ticket_status(ComponentIdArgs) -> TicketStatusView;
    inbox_list(InboxListArgs) -> Vec<InboxEntryView>;
    inbox_apply(InboxApplyArgs) -> InboxEntryView;
    auth_link(AuthLinkArgs) -> LinkView;
    fastregister_link(FastRegisterLinkArgs) -> LinkView;
    receive_link(ReceiveLinkArgs) -> crate::services::receive_url::PermanentLinkView;
    push_secrets_reveal(ComponentIdArgs) -> crate::services::receive_url::PushSecretsView;
    authorize(AuthorizeArgs) -> AuthorizerView;
    authorizer_list(AuthorizerListArgs) -> Vec<AuthorizerView>;
    authorizer_show(AuthorizerShowArgs) -> AuthorizerView;
    authorizer_refresh_info(AuthorizerShowArgs) -> AuthorizerView;
    authorizer_sync(AuthorizerSyncArgs) -> JobStarted;
    authorizer_refresh(AuthorizerRefreshArgs) -> JobStarted;
    authorizer_refresh_plan(AuthorizerRefreshArgs) -> RefreshPlan;
    token_force_budget(AppIdArgs) -> ForceBudgetView;
    job_status(JobArgs) -> JobView;
    job_cancel(JobArgs) -> JobView;
    fastregister_enterprise_create(EnterpriseCreateArgs) -> TaskView;
    fastregister_enterprise_search(EnterpriseSearchArgs) -> TaskView;
    fastregister_personal_create(PersonalCreateArgs) -> TaskView;
    fastregister_personal_query(PersonalQueryArgs) -> TaskView;
    fastregister_beta_create(BetaCreateArgs) -> TaskView;
    fastregister_offiaccount(OffiaccountArgs) -> TaskView;
    fastregister_tasks(TasksArgs) -> Vec<TaskView>;
    tool_decrypt_push(ToolDecryptPushArgs) -> DecryptedPushView;
    tool_encrypt_push(ToolEncryptPushArgs) -> EncryptedPushView;
    tool_decrypt_data(ToolDecryptDataArgs) -> DecryptedDataView;
    tool_sign_raw_data(ToolSignRawDataArgs) -> SignatureView;
    tool_sign_session(ToolSignSessionArgs) -> SignatureView;
    qr(QrArgs) -> QrView;
    errcode_explain(ErrcodeArgs) -> ErrcodeView;
    quota_get(QuotaGetArgs) -> QuotaView;
    quota_clear(QuotaClearArgs) -> QuotaClearView;
    call_log(CallLogArgs) -> Vec<CallLogView>;
    call_log_entry(CallLogEntryArgs) -> CallLogView;
    export(ExportArgs) -> ExportView;
    import_preview(ImportArgs) -> ImportReport;
    import(ImportArgs) -> ImportReport;
    save_file(SaveFileArgs) -> Done;
    team_bind(TeamBindArgs) -> TeamBindingView;
    team_show(TeamAccountArgs) -> Vec<TeamShowView>;
    team_unbind(TeamAccountArgs) -> TeamUnbound;
    rid_lookup(RidLookupArgs) -> crate::services::rid::RidView;
    template_drafts(TemplateListArgs) -> Vec<wxa_types::TemplateDraft>;
    template_list(TemplateListArgs) -> Vec<wxa_types::Template>;
    template_add(TemplateAddArgs) -> wxa_types::Template;
    template_delete(TemplateDeleteArgs) -> Done;
    platform_domains(PlatformDomainsArgs) -> wxa_types::PlatformDomainsView;
    platform_confirmfile(TemplateListArgs) -> wxa_types::ConfirmFile;
    code_commit(CodeCommitArgs) -> wxa_types::CommitView;
    code_pages(WxaTargetArgs) -> wxa::PagesView;
    code_categories(WxaTargetArgs) -> wxa::CategoriesView;
    code_qr(CodeQrArgs) -> wxa_types::ExperienceQrView;
    tester_bind(TesterArgs) -> wxa_types::TesterBound;
    tester_unbind(TesterArgs) -> Done;
    tester_list(WxaTargetArgs) -> wxa::TestersView;
    account_info(WxaTargetArgs) -> wxa_types::AccountBasicInfo;
    domain_get(WxaTargetArgs) -> wxa_types::DomainsView;
    domain_set(DomainSetArgs) -> wxa_types::DomainsView;
    webview_get(WxaTargetArgs) -> wxa_types::WebviewView;
    webview_set(WebviewSetArgs) -> wxa_types::WebviewView;
    webview_confirmfile(WxaTargetArgs) -> wxa_types::ConfirmFile;
    domain_effective(WxaTargetArgs) -> wxa_types::EffectiveDomains;
    privacy_get(PrivacyGetArgs) -> wxa_types::PrivacyView;
    privacy_set(PrivacySetArgs) -> wxa_types::PrivacyView;
    privacy_interfaces(WxaTargetArgs) -> Vec<wxa_types::PrivacyInterface>;
    privacy_apply(PrivacyApplyArgs) -> wxa_types::PrivacyApplyView;
    audit_check(AuditCheckArgs) -> wxa_types::AuditCheckView;
    audit_submit(AuditSubmitArgs) -> wxa_types::SubmitView;
    audit_status(AuditIdArgs) -> wxa_types::AuditStatusView;
    audit_screenshots(AuditScreenshotsArgs) -> Vec<wxa_types::ScreenshotView>;
    audit_undo(WxaConfirmArgs) -> wxa_types::AuditActionView;
    audit_speedup(AuditIdArgs) -> wxa_types::AuditActionView;
    audit_quota(WxaTargetArgs) -> wxa_types::AuditQuotaView;
    release_publish(WxaConfirmArgs) -> wxa_types::ReleaseActionView;
    release_revert(ReleaseRevertArgs) -> wxa_types::ReleaseActionView;
    release_history(WxaTargetArgs) -> Vec<wxa_types::HistoryVersion>;
    release_status(WxaTargetArgs) -> wxa_types::ReleaseStatusView;
    release_gray(ReleaseGrayArgs) -> wxa_types::ReleaseActionView;
    release_gray_revert(WxaConfirmArgs) -> wxa_types::ReleaseActionView;
    release_gray_plan(WxaTargetArgs) -> wxa_types::GrayPlanView;
    release_visit(ReleaseVisitArgs) -> wxa_types::ReleaseActionView;
    version_state(WxaTargetArgs) -> wxa_types::VersionStateView;
    version_states(VersionStatesArgs) -> Vec<wxa_types::VersionStateView>;
    sandbox_add_draft(sandbox_wxa::SandboxDraftArgs) -> sandbox_wxa::SandboxDraftView;
    sandbox_next_audit(sandbox_wxa::SandboxNextAuditArgs) -> sandbox_wxa::AuditPlanView;
    sandbox_scan(sandbox_wxa::SandboxScanArgs) -> sandbox_wxa::SandboxScanView;
    sandbox_deliver_pushes(sandbox_wxa::SandboxDeliverArgs) -> sandbox_wxa::SandboxDeliverView;
    sandbox_seed_merchants(sandbox_wxa::SandboxSeedMerchantsArgs) -> sandbox_wxa::SandboxSeedMerchantsView;
    meter(meter::MeterArgs) -> crate::services::phone_meter::MeterView;
    meter_set_prices(meter::MeterPricesArgs) -> crate::services::phone_meter::MeterPrices;
    meter_component(meter::MeterAppArgs) -> crate::services::phone_meter::MeterComponentSetting;
    meter_set_component(meter::MeterComponentArgs) -> crate::services::phone_meter::MeterComponentSetting;
    merchant_notes_set(merchants::MerchantNotesArgs) -> AuthorizerView;
    authorizer_fetch_missing(merchants::FetchMissingArgs) -> JobStarted;
    authorizer_page(merchants::AuthorizerPageArgs) -> crate::services::authorizer_pages::AuthorizerPage;
    profile_set(ProfileSetArgs) -> crate::services::profiles::ProfileView;
    profile_list(ProfileListArgs) -> Vec<crate::services::profiles::ProfileView>;
    profile_show(ProfileNameArgs) -> crate::services::profiles::ProfileView;
    profile_delete(ProfileNameArgs) -> crate::services::profiles::ProfileRemoved;
    profile_apply(ProfileApplyArgs) -> Vec<crate::services::profiles::ProfileApplied>;
    batch_run(BatchRunArgs) -> batch::BatchStarted;
    batch_status(BatchIdArgs) -> crate::services::batch::BatchView;
    batch_resume(BatchIdArgs) -> batch::BatchStarted;
    batch_cancel(BatchIdArgs) -> crate::services::batch::BatchView;
    batch_list(BatchListArgs) -> Vec<crate::services::batch::BatchView>;
    batch_settings(NoArgs) -> batch::BatchSettingsView;
    batch_set_concurrency(BatchConcurrencyArgs) -> batch::BatchSettingsView;
}
