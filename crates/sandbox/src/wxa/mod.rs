//! Code management of authorized mini programs: the template library, code
//! commits, testers, domains, the privacy guide, audits and releases.
//!
//! A third-party platform takes a merchant live through these calls, and
//! every one of them has a rule a client gets wrong: the library holds 200
//! templates, one audit runs at a time (85009), withdrawing is limited to 1
//! a day and 10 a month (87013), only an audited version can be released,
//! only the previous version can be restored, and a domain must be on the
//! platform's own list before a merchant may use it. The state of all of it
//! is [`WxaState`], one field of the sandbox's [`State`]; audits advance with
//! the virtual clock (a ticker settles them and pushes `weapp_audit_*`
//! events to the platform's message URL). Submodules, one per concept:
//! `templates`, `code`, `testers`, `domains`, `privacy`, `audit`, `release`,
//! `push` (event pushes), `multipart` (uploads), `media` (rejection screenshots
//! read back), `hooks` (`/__sandbox/wxa/`).

pub(crate) mod audit;
pub(crate) mod code;
pub(crate) mod domains;
pub(crate) mod hooks;
pub(crate) mod media;
pub(crate) mod multipart;
pub(crate) mod privacy;
pub(crate) mod push;
pub(crate) mod release;
pub(crate) mod templates;
pub(crate) mod testers;

use std::collections::BTreeMap;
use std::sync::MutexGuard;

use axum::routing::any;
use axum::Router;
use serde::{Deserialize, Serialize};

use crate::component::AccountKind;
use crate::state::{AppState, DayCount, MonthlyCount, Shared, State, TokenOwner};
use crate::wx::{errmsg_for, Params, WxError};

pub use hooks::{AuditOutcome, AuditPlan, DraftSeed, ScanResult};

/// Most templates a platform's library holds (85065 beyond).
pub(crate) const TEMPLATE_CAP: usize = 200;
/// Testers of an unverified mini program (85002 beyond).
pub(crate) const TESTER_CAP_UNVERIFIED: usize = 15;
/// Testers of a verified mini program.
pub(crate) const TESTER_CAP_VERIFIED: usize = 40;
/// Audit submissions per month per mini program (`queryquota.limit`).
pub(crate) const SUBMIT_QUOTA: i64 = 20;
/// Speed-ups per month per mini program (`queryquota.speedup_limit`).
pub(crate) const SPEEDUP_QUOTA: i64 = 1;
/// Withdrawals per day and per month (87013 beyond).
pub(crate) const UNDO_PER_DAY: u32 = 1;
/// See [`UNDO_PER_DAY`].
pub(crate) const UNDO_PER_MONTH: u32 = 10;
/// Virtual seconds an audit takes unless a hook says otherwise.
pub(crate) const DEFAULT_AUDIT_SECS: i64 = 3600;
/// Virtual seconds a privacy-interface application takes.
pub(crate) const INTERFACE_REVIEW_SECS: i64 = 60;

/// The errmsg of a code-management errcode (falls back to the shared table).
pub(crate) fn errmsg(code: i64) -> &'static str {
    match code {
        44002 => "empty post data",
        61039 => "no server domain configured on the component",
        85001 => "wechatid not exist or not searchable",
        85002 => "reached the limit of testers",
        85003 => "this wechatid has reached its limit of testers",
        85004 => "wechatid already bound",
        85006 => "invalid tag",
        85007 => "invalid page path",
        85008 => "invalid category",
        85009 => "already has an auditing version",
        85012 => "invalid auditid",
        85013 => "invalid ext_json",
        85014 => "invalid template id",
        85015 => "not a mini program",
        85017 => "no domain to modify after filtered",
        85019 => "no audit version",
        85020 => "status not allowed to release",
        85021 => "status not allowed to change",
        85023 => "item_list count should be 1 to 5",
        85043 => "invalid template",
        85045 => "ext_json has a path that does not exist",
        85052 => "app is already released",
        85064 => "template not found",
        85065 => "template list is full",
        85079 => "no released version, cannot gray release",
        85080 => "the submitted version has not passed the audit",
        85081 => "invalid gray percentage",
        85082 => "gray percentage must be higher than before",
        85085 => "submit audit reach limit",
        85086 => "must commit code before submit audit",
        85301 => "domain is not in the component's list",
        85302 => "invalid domain",
        86000 => "should be called by a third-party platform for the mini program",
        86001 => "no code committed by the third-party platform",
        86002 => "nickname, avatar or description not set",
        87011 => "gray release in progress, cannot revert",
        87012 => "no version to revert to",
        87013 => "no quota to undo code",
        89402 => "the audit is not in the queue",
        89404 => "already sped up",
        89405 => "no speed-up quota left this month",
        89019 => "webview domain not changed",
        89020 => "no webview domain configured on the component",
        89021 => "domain is not in the component's webview domain list",
        89029 => "too many webview domains",
        89231 => "individual mini programs cannot set webview domains",
        _ => errmsg_for(code),
    }
}

/// A WeChat error with its documented message.
pub(crate) fn err(code: i64) -> WxError {
    WxError::custom(code, errmsg(code))
}

/// A WeChat error with its documented message and a `hint: [...]`.
pub(crate) fn err_hint(code: i64, hint: &str) -> WxError {
    WxError::custom(code, &format!("{} hint: [{hint}]", errmsg(code)))
}

/// The six server-domain lists of a mini program.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DomainLists {
    pub requestdomain: Vec<String>,
    pub wsrequestdomain: Vec<String>,
    pub uploaddomain: Vec<String>,
    pub downloaddomain: Vec<String>,
    pub udpdomain: Vec<String>,
    pub tcpdomain: Vec<String>,
}

impl DomainLists {
    /// The six lists' field names, as the protocol crate spells them.
    pub(crate) fn fields() -> [&'static str; 6] {
        wxdesk_wechat::api::wxa_domain::ServerDomains::fields()
    }

    pub(crate) fn get_mut(&mut self, field: &str) -> Option<&mut Vec<String>> {
        Some(match field {
            "requestdomain" => &mut self.requestdomain,
            "wsrequestdomain" => &mut self.wsrequestdomain,
            "uploaddomain" => &mut self.uploaddomain,
            "downloaddomain" => &mut self.downloaddomain,
            "udpdomain" => &mut self.udpdomain,
            "tcpdomain" => &mut self.tcpdomain,
            _ => return None,
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.requestdomain.is_empty()
            && self.wsrequestdomain.is_empty()
            && self.uploaddomain.is_empty()
            && self.downloaddomain.is_empty()
            && self.udpdomain.is_empty()
            && self.tcpdomain.is_empty()
    }
}

/// A code version: what a commit uploaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CodeVersion {
    pub template_id: i64,
    pub user_version: String,
    pub user_desc: String,
    pub ext_json: String,
    pub pages: Vec<String>,
    pub privacy_keys: Vec<String>,
    pub commit_time: i64,
}

/// A draft uploaded from DevTools.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Draft {
    pub draft_id: i64,
    pub user_version: String,
    pub user_desc: String,
    pub create_time: i64,
    pub pages: Vec<String>,
    pub privacy_keys: Vec<String>,
}

/// A template of the library.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TemplateRec {
    pub template_id: i64,
    pub draft: Draft,
    pub template_type: i64,
    pub create_time: i64,
}

/// A platform's library and its own domain lists.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct PlatformWxa {
    /// Where `weapp_audit_*` events are pushed (`$APPID$` is replaced).
    pub message_url: Option<String>,
    pub drafts: Vec<Draft>,
    pub templates: Vec<TemplateRec>,
    pub server_testing: Vec<String>,
    pub server_published: Vec<String>,
    pub jump_testing: Vec<String>,
    pub jump_published: Vec<String>,
}

/// An audit.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuditRec {
    pub auditid: i64,
    pub version: CodeVersion,
    pub submit_time: i64,
    /// 0 success, 1 rejected, 2 auditing, 3 withdrawn, 4 delayed.
    pub status: i64,
    pub reason: String,
    pub screenshot: String,
    /// When the audit next changes state.
    pub due_at: i64,
    pub plan: AuditPlan,
    /// A delayed audit has pushed its delay already.
    pub delay_pushed: bool,
    pub released: bool,
    /// Sped up once already (89404).
    pub sped_up: bool,
    /// The platform that submitted it (where its events are pushed).
    pub component: Option<String>,
}

/// A released version.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Released {
    pub app_version: i64,
    pub version: CodeVersion,
    pub release_time: i64,
    /// Restored by a revert: cannot be reverted again.
    pub reverted: bool,
}

/// A phased release.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GrayPlan {
    pub auditid: i64,
    /// 1 running, 3 finished, 4 cancelled.
    pub status: i64,
    pub percentage: i64,
    pub create_timestamp: i64,
    pub experiencer_first: bool,
    pub debuger_first: bool,
}

/// A privacy-interface application.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct InterfaceApplication {
    pub audit_id: i64,
    pub applied_at: i64,
}

/// Everything code management knows of one mini program.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct AppWxa {
    pub exp: Option<CodeVersion>,
    /// WeChat ID → userstr.
    pub testers: BTreeMap<String, String>,
    pub third_domains: DomainLists,
    pub direct_domains: DomainLists,
    pub webview: Vec<String>,
    pub audits: Vec<AuditRec>,
    pub undo_day: DayCount,
    pub undo_month: MonthlyCount,
    pub submits_month: MonthlyCount,
    pub speedups_month: MonthlyCount,
    /// Set by the quota hook: submissions left this month regardless of use.
    pub submit_rest_override: Option<i64>,
    pub release: Option<Released>,
    pub previous: Option<Released>,
    pub gray: Option<GrayPlan>,
    pub visit_closed: bool,
    pub privacy: Option<serde_json::Value>,
    pub privacy_update_time: i64,
    pub interfaces: BTreeMap<String, InterfaceApplication>,
    /// Accepted consuming calls, for tests that prove nothing was sent twice.
    pub counts: ConsumedCounts,
}

/// How many consuming calls of one mini program WeChat accepted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsumedCounts {
    /// Accepted `wxa/commit`s.
    pub commits: u64,
    /// Accepted `wxa/submit_audit`s.
    pub submits: u64,
    /// Accepted `wxa/release`s.
    pub releases: u64,
    /// Accepted `wxa/revertcoderelease`s.
    pub reverts: u64,
}

/// Media uploaded with `wxa/uploadmedia` / `uploadprivacyextfile`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MediaRec {
    pub appid: String,
    pub kind: String,
    pub filename: String,
    pub bytes: usize,
}

/// Code management's state (a field of [`State`]).
#[derive(Debug, Default, Serialize)]
pub(crate) struct WxaState {
    /// By component appid.
    pub platforms: BTreeMap<String, PlatformWxa>,
    /// By mini program appid.
    pub apps: BTreeMap<String, AppWxa>,
    /// By media id.
    pub media: BTreeMap<String, MediaRec>,
    /// The next id handed out (drafts, templates, audits, versions).
    pub next_id: i64,
    /// One-shot plans for the next audit of an appid.
    pub next_audit: BTreeMap<String, AuditPlan>,
    /// The plan of every audit without a one-shot plan.
    pub default_audit: Option<AuditPlan>,
    /// The settling ticker runs.
    pub ticker: bool,
}

impl WxaState {
    /// A fresh id (ids start at 1000 so they never look like 0 or a status).
    pub(crate) fn id(&mut self) -> i64 {
        if self.next_id < 1000 {
            self.next_id = 1000;
        }
        self.next_id += 1;
        self.next_id
    }

    pub(crate) fn app(&mut self, appid: &str) -> &mut AppWxa {
        self.apps.entry(appid.to_string()).or_default()
    }

    pub(crate) fn platform(&mut self, component_appid: &str) -> &mut PlatformWxa {
        self.platforms
            .entry(component_appid.to_string())
            .or_default()
    }
}

/// Who called a mini-program endpoint.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    pub appid: String,
    /// The platform, when an authorizer token was used.
    pub component: Option<String>,
}

/// Resolves an authorizer (or the app's own) token of a mini program.
pub(crate) fn caller(state: &State, token: Option<&str>, now: i64) -> Result<Caller, WxError> {
    let appid = state.mp_appid_for_token(token, now)?;
    let component = match &state.check_token(token, now)?.owner {
        TokenOwner::Authorizer {
            component_appid, ..
        } => Some(component_appid.clone()),
        _ => None,
    };
    if state
        .accounts
        .get(&appid)
        .is_some_and(|a| a.kind != AccountKind::MiniProgram)
    {
        return Err(err(85015));
    }
    Ok(Caller { appid, component })
}

/// The prologue of a mini-program endpoint: reads the clock, locks the state
/// and resolves the `access_token` query parameter to its [`Caller`].
pub(crate) fn locked_caller<'a>(
    shared: &'a Shared,
    p: &Params,
) -> Result<(i64, MutexGuard<'a, State>, Caller), WxError> {
    let now = shared.now();
    let state = shared.lock();
    let c = caller(&state, p.q("access_token"), now)?;
    Ok((now, state, c))
}

/// Like [`caller`], but only an authorizer token of a platform (86000 otherwise).
pub(crate) fn platform_caller(
    state: &State,
    token: Option<&str>,
    now: i64,
) -> Result<(String, String), WxError> {
    let c = caller(state, token, now)?;
    match c.component {
        Some(component) => Ok((c.appid, component)),
        None => Err(err(86000)),
    }
}

/// The routes of every emulated code-management endpoint.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/wxa/gettemplatedraftlist", any(templates::draft_list))
        .route("/wxa/addtotemplate", any(templates::add_to_template))
        .route("/wxa/gettemplatelist", any(templates::template_list))
        .route("/wxa/deletetemplate", any(templates::delete_template))
        .route(
            "/cgi-bin/component/modify_wxa_server_domain",
            any(domains::platform_server_domain),
        )
        .route(
            "/cgi-bin/component/get_domain_confirmfile",
            any(domains::platform_confirmfile),
        )
        .route(
            "/cgi-bin/component/modify_wxa_jump_domain",
            any(domains::platform_jump_domain),
        )
        .route("/wxa/modify_domain", any(domains::modify_domain))
        .route(
            "/wxa/modify_domain_directly",
            any(domains::modify_domain_directly),
        )
        .route("/wxa/setwebviewdomain", any(domains::set_webview_domain))
        .route(
            "/wxa/setwebviewdomain_directly",
            any(domains::set_webview_domain_directly),
        )
        .route(
            "/wxa/get_webviewdomain_confirmfile",
            any(domains::webview_confirmfile),
        )
        .route("/wxa/get_effective_domain", any(domains::effective_domain))
        .route("/wxa/commit", any(code::commit))
        .route("/wxa/get_page", any(code::get_page))
        .route("/wxa/get_category", any(code::get_category))
        .route("/wxa/get_qrcode", any(code::get_qrcode))
        .route(
            "/cgi-bin/account/getaccountbasicinfo",
            any(code::account_basic_info),
        )
        .route("/cgi-bin/media/get", any(media::get))
        .route("/wxa/bind_tester", any(testers::bind))
        .route("/wxa/unbind_tester", any(testers::unbind))
        .route("/wxa/memberauth", any(testers::memberauth))
        .route(
            "/cgi-bin/component/setprivacysetting",
            any(privacy::set_setting),
        )
        .route(
            "/cgi-bin/component/getprivacysetting",
            any(privacy::get_setting),
        )
        .route(
            "/cgi-bin/component/uploadprivacyextfile",
            any(privacy::upload_ext_file),
        )
        .route(
            "/wxa/security/get_privacy_interface",
            any(privacy::interfaces),
        )
        .route(
            "/wxa/security/apply_privacy_interface",
            any(privacy::apply_interface),
        )
        .route("/wxa/uploadmedia", any(audit::upload_media))
        .route("/wxa/submit_audit", any(audit::submit))
        .route("/wxa/get_auditstatus", any(audit::status))
        .route("/wxa/get_latest_auditstatus", any(audit::latest_status))
        .route("/wxa/undocodeaudit", any(audit::undo))
        .route("/wxa/speedupaudit", any(audit::speedup))
        .route("/wxa/queryquota", any(audit::quota))
        .route("/wxa/release", any(release::release))
        .route("/wxa/revertcoderelease", any(release::revert))
        .route("/wxa/grayrelease", any(release::gray_release))
        .route("/wxa/revertgrayrelease", any(release::revert_gray))
        .route("/wxa/getgrayreleaseplan", any(release::gray_plan))
        .route("/wxa/change_visitstatus", any(release::change_visit_status))
        .route("/wxa/getversioninfo", any(release::version_info))
}
