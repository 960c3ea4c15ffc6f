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
}

/// One authorized mini program.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WxaTargetArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
}

/// One mini program and the operator's confirmation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WxaConfirmArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The user confirmed.
    #[serde(default)]
    pub confirmed: bool,
}

/// Commit a template as the experience version.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CodeCommitArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// The experience QR code.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CodeQrArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// Page to open (`pages/index/index?x=1`).
    #[serde(default)]
    pub path: Option<String>,
}

/// Bind or unbind a tester.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TesterArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The tester's WeChat id.
    #[serde(default)]
    pub wechat_id: Option<String>,
    /// Or (unbind only) the userstr of tester_list.
    #[serde(default)]
    pub userstr: Option<String>,
}

/// Set (or add/delete/get) server domains.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct DomainSetArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// Set web-view (business) domains.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct WebviewSetArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// Read the privacy guide.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacyGetArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// 1 released, 2 development (WeChat's default).
    #[serde(default)]
    pub privacy_ver: Option<i64>,
}

/// Set the privacy guide.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacySetArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The guide, as `setprivacysetting` takes it.
    pub setting: PrivacySetting,
}

/// Apply for a privacy interface.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct PrivacyApplyArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The application.
    pub application: PrivacyInterfaceApplication,
}

/// The readiness check.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditCheckArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// Submit for audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditSubmitArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// A rejected audit's screenshots, by media id.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditScreenshotsArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The media ids (`audit_status`'s `screenshots`; a `|`-joined list is split).
    pub media_ids: Vec<String>,
}

/// One audit (the latest when absent).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuditIdArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The audit (default: the latest).
    #[serde(default)]
    pub auditid: Option<i64>,
}

/// Roll back a release.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRevertArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// A version of release_history (default: the previous one).
    #[serde(default)]
    pub app_version: Option<i64>,
    /// The user confirmed.
    #[serde(default)]
    pub confirmed: bool,
}

/// Start or widen a phased release.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseGrayArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
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

/// Open or close the mini program to users.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ReleaseVisitArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// Its platform, when it authorized several.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// `open` or `close`.
    pub status: VisitStatus,
    /// The user confirmed (closing).
    #[serde(default)]
    pub confirmed: bool,
}

/// Stored version states, of one platform when given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct VersionStatesArgs {
    /// Component AppID.
    #[serde(default)]
    pub component_appid: Option<String>,
}
