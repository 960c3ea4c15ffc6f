//! The arguments of the code-management operations (templates, code,
//! testers, domains, privacy, audit, release), as the UI and scripts send
//! them. Every mini-program operation takes `appid` and, when the mini
//! program authorized several platforms, `component_appid`. Unknown fields
//! are rejected. None of these carries a secret.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::{AuditItem, PreviewInfo};
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_privacy::{PrivacyInterfaceApplication, PrivacySetting};
use wxdesk_wechat::api::wxa_release::VisitStatus;
use wxdesk_wechat::api::wxa_shared::DomainAction;

use crate::services::wxa_templates::PlatformDomainKind;

/// Declares a mini-program operation's arguments: each starts with the mini
/// program's `appid` and, when it authorized several platforms, its
/// `component_appid` (spelled out in every struct, not flattened, so a wrong
/// value's error still names its field).
macro_rules! wxa_args {
    ($(#[$m:meta])* pub struct $name:ident { $( $(#[$fm:meta])* pub $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$m])*
        pub struct $name {
            /// The mini program's AppID.
            pub appid: String,
            /// Its platform, when it authorized several.
            #[serde(default)]
            pub component_appid: Option<String>,
            $( $(#[$fm])* pub $field: $ty, )*
        }
    };
}

/// A platform's template library, optionally of one type.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateListArgs {
    /// Component AppID.
    pub component_appid: String,
    /// 0 normal, 1 standard; all when absent.
    #[serde(default)]
    pub template_type: Option<i64>,
}

/// Turn a draft into a template.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateAddArgs {
    /// Component AppID.
    pub component_appid: String,
    /// The draft (from template_drafts).
    pub draft_id: i64,
    /// 0 normal (default), 1 standard.
    #[serde(default)]
    pub template_type: Option<i64>,
}

/// Delete a template.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TemplateDeleteArgs {
    /// Component AppID.
    pub component_appid: String,
    /// The template.
    pub template_id: i64,
}

/// Read or change the platform's own domain list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PlatformDomainsArgs {
    /// Component AppID.
    pub component_appid: String,
    /// `server` or `jump` (business domains).
    pub kind: PlatformDomainKind,
    /// `get`, `add`, `delete` or `set`.
    pub action: DomainAction,
    /// Bare domains (`api.example.com`).
    #[serde(default)]
    pub domains: Vec<String>,
    /// Also change the released platform's list.
    #[serde(default)]
    pub published_too: bool,
    /// The user confirmed (needed to set or delete with `published_too`).
    #[serde(default)]
    pub confirmed: bool,
}

wxa_args! {
/// One authorized mini program.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WxaTargetArgs {
}
}

wxa_args! {
/// One mini program and the operator's confirmation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WxaConfirmArgs {
    /// The user confirmed.
    #[serde(default)]
    pub confirmed: bool,
}
}

wxa_args! {
/// Commit a template as the experience version.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CodeCommitArgs {
    /// Template id of the platform's library.
    pub template_id: i64,
    /// Version (e.g. `1.0.3`).
    pub user_version: String,
    /// Description.
    #[serde(default)]
    pub user_desc: String,
    /// `ext.json` text with `{{appid}}`, `{{nickname}}`, `{{var}}` (default: extAppid only).
    #[serde(default)]
    pub ext_json: Option<String>,
    /// Values of custom `{{var}}`s.
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
}
}

wxa_args! {
/// The experience QR code.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CodeQrArgs {
    /// Page to open (`pages/index/index?x=1`).
    #[serde(default)]
    pub path: Option<String>,
}
}

wxa_args! {
/// Bind or unbind a tester.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TesterArgs {
    /// The tester's WeChat id.
    #[serde(default)]
    pub wechat_id: Option<String>,
    /// Or (unbind only) the userstr of tester_list.
    #[serde(default)]
    pub userstr: Option<String>,
}
}

wxa_args! {
/// Set (or add/delete/get) server domains.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DomainSetArgs {
    /// `set` (default), `add` or `delete`.
    #[serde(default)]
    pub action: Option<DomainAction>,
    /// `https://` request domains.
    #[serde(default)]
    pub requestdomain: Vec<String>,
    /// `wss://` socket domains.
    #[serde(default)]
    pub wsrequestdomain: Vec<String>,
    /// `https://` upload domains.
    #[serde(default)]
    pub uploaddomain: Vec<String>,
    /// `https://` download domains.
    #[serde(default)]
    pub downloaddomain: Vec<String>,
    /// `udp://` domains.
    #[serde(default)]
    pub udpdomain: Vec<String>,
    /// `tcp://` domains.
    #[serde(default)]
    pub tcpdomain: Vec<String>,
    /// Use `modify_domain_directly` (domains need not be on the platform's list).
    #[serde(default)]
    pub directly: bool,
}
}

impl DomainSetArgs {
    /// The lists as the protocol wants them.
    pub fn domains(&self) -> ServerDomains {
        ServerDomains {
            requestdomain: self.requestdomain.clone(),
            wsrequestdomain: self.wsrequestdomain.clone(),
            uploaddomain: self.uploaddomain.clone(),
            downloaddomain: self.downloaddomain.clone(),
            udpdomain: self.udpdomain.clone(),
            tcpdomain: self.tcpdomain.clone(),
        }
    }
}

wxa_args! {
/// Set web-view (business) domains.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WebviewSetArgs {
    /// `set` (default), `add` or `delete`.
    #[serde(default)]
    pub action: Option<DomainAction>,
    /// `https://` domains.
    #[serde(default)]
    pub webviewdomain: Vec<String>,
    /// Use `setwebviewdomain_directly`.
    #[serde(default)]
    pub directly: bool,
}
}

wxa_args! {
/// Read the privacy guide.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacyGetArgs {
    /// 1 released, 2 development (WeChat's default).
    #[serde(default)]
    pub privacy_ver: Option<i64>,
}
}

wxa_args! {
/// Set the privacy guide.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacySetArgs {
    /// The guide, as `setprivacysetting` takes it.
    pub setting: PrivacySetting,
}
}

wxa_args! {
/// Apply for a privacy interface.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacyApplyArgs {
    /// The application.
    pub application: PrivacyInterfaceApplication,
}
}

wxa_args! {
/// The readiness check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditCheckArgs {
    /// The audit items that will be submitted.
    #[serde(default)]
    pub item_list: Vec<AuditItem>,
    /// Domains to propose as a fix (a profile's).
    #[serde(default)]
    pub domains: Option<ServerDomains>,
    /// Privacy guide to propose as a fix (a profile's).
    #[serde(default)]
    pub privacy: Option<PrivacySetting>,
}
}

wxa_args! {
/// Submit for audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditSubmitArgs {
    /// Pages and categories (0–5).
    #[serde(default)]
    pub item_list: Vec<AuditItem>,
    /// Preview media ids.
    #[serde(default)]
    pub preview_info: Option<PreviewInfo>,
    /// Notes for the reviewer.
    #[serde(default)]
    pub version_desc: Option<String>,
    /// Feedback text (≤ 200 characters).
    #[serde(default)]
    pub feedback_info: Option<String>,
    /// Feedback media ids joined by `|`.
    #[serde(default)]
    pub feedback_stuff: Option<String>,
    /// UGC declaration, as WeChat defines it.
    #[serde(default)]
    pub ugc_declare: Option<serde_json::Value>,
    /// Declares that no privacy interface is used.
    #[serde(default)]
    pub privacy_api_not_use: Option<bool>,
    /// Order-centre page path.
    #[serde(default)]
    pub order_path: Option<String>,
}
}

wxa_args! {
/// A rejected audit's screenshots, by media id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditScreenshotsArgs {
    /// The media ids (`audit_status`'s `screenshots`; a `|`-joined list is split).
    pub media_ids: Vec<String>,
}
}

wxa_args! {
/// One audit (the latest when absent).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditIdArgs {
    /// The audit (default: the latest).
    #[serde(default)]
    pub auditid: Option<i64>,
}
}

wxa_args! {
/// Roll back a release.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRevertArgs {
    /// A version of release_history (default: the previous one).
    #[serde(default)]
    pub app_version: Option<i64>,
    /// The user confirmed.
    #[serde(default)]
    pub confirmed: bool,
}
}

wxa_args! {
/// Start or widen a phased release.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseGrayArgs {
    /// Share of users, 1–100.
    pub percent: i64,
    /// Testers first.
    #[serde(default)]
    pub support_experiencer_first: bool,
    /// Project members first.
    #[serde(default)]
    pub support_debuger_first: bool,
    /// The user confirmed.
    #[serde(default)]
    pub confirmed: bool,
}
}

wxa_args! {
/// Open or close the mini program to users.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseVisitArgs {
    /// `open` or `close`.
    pub status: VisitStatus,
    /// The user confirmed (closing).
    #[serde(default)]
    pub confirmed: bool,
}
}

/// Stored version states, of one platform when given, of these mini
/// programs only when `appids` is given (a page of the merchants list).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VersionStatesArgs {
    /// Component AppID.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// Only these mini programs (at most 1000).
    #[serde(default)]
    #[ts(optional)]
    pub appids: Option<Vec<String>>,
}
