//! `/__sandbox/wxa/` hooks and the matching [`crate::SandboxHandle`] methods:
//! what plays DevTools (uploading drafts), WeChat's reviewers (the outcome
//! and duration of the next audit), a tester's phone (scanning the
//! experience QR) and the platform's console (its message URL).
//!
//! | Route under `/__sandbox/wxa/` | Body / answer |
//! |---|---|
//! | `POST drafts` | [`DraftSeed`] → `{"drafts":[{"draft_id",…}]}` |
//! | `POST audit/next` | `{"appid"?}` + [`AuditPlan`] (without appid: every later audit) |
//! | `POST message_url` | `{"component_appid","url"}` (`$APPID$` is replaced) |
//! | `GET scan?appid=&wechat_id=` | [`ScanResult`] |
//! | `POST quota` | `{"appid","rest"}`: submissions left this month |
//! | `GET counts[?appid=]` | `{appid: {commits, submits, releases, reverts}}`: accepted consuming calls |
//! | `POST profile` | `{"appid","nick_name"?,"head_img"?,"signature"?,"categories"?:[["一级","二级"]],"verify_type"?}` |

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::code::experience_url;
use super::{ConsumedCounts, Draft, DEFAULT_AUDIT_SECS};
use crate::error::SandboxError;
use crate::hook_wire::{answer, bad_request, invalid_body};
use crate::state::{AppState, Shared};
use crate::SandboxHandle;
use std::collections::BTreeMap;

/// How an audit ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// Passes (`weapp_audit_success`).
    Success,
    /// Is rejected with a reason and screenshots (`weapp_audit_fail`).
    Fail,
    /// Is delayed (`weapp_audit_delay`), then passes `then_secs` later.
    Delay,
}

fn default_secs() -> i64 {
    DEFAULT_AUDIT_SECS
}

fn one() -> u32 {
    1
}

/// The outcome and timing of an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPlan {
    /// How it ends.
    pub outcome: AuditOutcome,
    /// Virtual seconds from submission to the outcome (default 3600).
    #[serde(default = "default_secs")]
    pub duration_secs: i64,
    /// The rejection or delay reason.
    #[serde(default)]
    pub reason: Option<String>,
    /// Number of screenshots of a rejection (default 1).
    #[serde(default = "one")]
    pub screenshots: u32,
    /// A delayed audit passes this many virtual seconds after the delay (default 3600).
    #[serde(default = "default_secs")]
    pub then_secs: i64,
}

impl Default for AuditPlan {
    fn default() -> Self {
        AuditPlan {
            outcome: AuditOutcome::Success,
            duration_secs: DEFAULT_AUDIT_SECS,
            reason: None,
            screenshots: 1,
            then_secs: DEFAULT_AUDIT_SECS,
        }
    }
}

/// Drafts to "upload from DevTools".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSeed {
    /// The platform whose draft box receives them.
    pub component_appid: String,
    /// Version string (default `1.0.<n>`).
    #[serde(default)]
    pub user_version: Option<String>,
    /// Description.
    #[serde(default)]
    pub user_desc: Option<String>,
    /// The code's pages (default `pages/index/index`, `pages/detail/detail`).
    #[serde(default)]
    pub pages: Vec<String>,
    /// Privacy keys the code uses (default `UserInfo`).
    #[serde(default)]
    pub privacy_keys: Option<Vec<String>>,
    /// How many identical drafts (default 1, at most 1000).
    #[serde(default)]
    pub count: Option<usize>,
}

/// What scanning the experience QR gives a WeChat user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanResult {
    /// `ok` (the experience version opens) or `refused`.
    pub result: String,
    /// The experience URL, when it opens.
    #[serde(default)]
    pub url: Option<String>,
    /// The experience version, when it opens.
    #[serde(default)]
    pub user_version: Option<String>,
    /// Why it was refused.
    #[serde(default)]
    pub reason: Option<String>,
}

fn unknown_app(appid: &str) -> SandboxError {
    SandboxError::invalid(
        "appid",
        format!("{appid} is not a mini program of the sandbox; authorize one first"),
    )
}

pub(crate) fn add_drafts(shared: &Shared, seed: DraftSeed) -> Result<Vec<i64>, SandboxError> {
    let count = seed.count.unwrap_or(1);
    if !(1..=1000).contains(&count) {
        return Err(SandboxError::invalid("count", "must be 1 to 1000"));
    }
    let now = shared.now();
    let mut state = shared.lock();
    if !state.components.contains_key(&seed.component_appid) {
        return Err(SandboxError::UnknownComponent(seed.component_appid));
    }
    let pages = if seed.pages.is_empty() {
        vec![
            "pages/index/index".to_string(),
            "pages/detail/detail".to_string(),
        ]
    } else {
        seed.pages.clone()
    };
    let mut ids = Vec::with_capacity(count);
    for _ in 0..count {
        let draft_id = state.wxa.id();
        let platform = state.wxa.platform(&seed.component_appid);
        let n = platform.drafts.len();
        platform.drafts.push(Draft {
            draft_id,
            user_version: seed.user_version.clone().unwrap_or(format!("1.0.{n}")),
            user_desc: seed
                .user_desc
                .clone()
                .unwrap_or_else(|| "sandbox draft".into()),
            create_time: now,
            pages: pages.clone(),
            privacy_keys: seed
                .privacy_keys
                .clone()
                .unwrap_or_else(|| vec!["UserInfo".to_string()]),
        });
        ids.push(draft_id);
    }
    Ok(ids)
}

pub(crate) fn set_next_audit(
    shared: &Shared,
    appid: Option<&str>,
    plan: AuditPlan,
) -> Result<(), SandboxError> {
    if plan.duration_secs < 0 || plan.then_secs < 0 {
        return Err(SandboxError::invalid(
            "duration_secs",
            "must not be negative",
        ));
    }
    let mut state = shared.lock();
    match appid {
        Some(a) => {
            if !state.accounts.contains_key(a) {
                return Err(unknown_app(a));
            }
            state.wxa.next_audit.insert(a.to_string(), plan);
        }
        None => state.wxa.default_audit = Some(plan),
    }
    Ok(())
}

pub(crate) fn set_message_url(
    shared: &Shared,
    component_appid: &str,
    url: &str,
) -> Result<(), SandboxError> {
    let ok = url::Url::parse(&url.replace("$APPID$", "wx0000000000000000"))
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if !ok {
        return Err(SandboxError::invalid(
            "url",
            "must be an absolute http(s) URL",
        ));
    }
    let mut state = shared.lock();
    if !state.components.contains_key(component_appid) {
        return Err(SandboxError::UnknownComponent(component_appid.to_string()));
    }
    state.wxa.platform(component_appid).message_url = Some(url.to_string());
    Ok(())
}

pub(crate) fn scan(
    shared: &Shared,
    appid: &str,
    wechat_id: &str,
) -> Result<ScanResult, SandboxError> {
    let mut state = shared.lock();
    if !state.accounts.contains_key(appid) {
        return Err(unknown_app(appid));
    }
    let app = state.wxa.app(appid);
    let refused = |reason: &str| ScanResult {
        result: "refused".into(),
        url: None,
        user_version: None,
        reason: Some(reason.into()),
    };
    let Some(exp) = app.exp.clone() else {
        return Ok(refused("no experience version: commit code first"));
    };
    if !app.testers.contains_key(wechat_id) {
        return Ok(refused(
            "not a tester of this mini program: bind_tester first",
        ));
    }
    Ok(ScanResult {
        result: "ok".into(),
        url: Some(experience_url(&shared.base_url, appid, None)),
        user_version: Some(exp.user_version),
        reason: None,
    })
}

pub(crate) fn set_quota(shared: &Shared, appid: &str, rest: i64) -> Result<(), SandboxError> {
    let mut state = shared.lock();
    if !state.accounts.contains_key(appid) {
        return Err(unknown_app(appid));
    }
    state.wxa.app(appid).submit_rest_override = Some(rest.max(0));
    Ok(())
}

/// Profile fields an audit checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfilePatch {
    /// The mini program.
    pub appid: String,
    /// New nickname (empty clears it).
    #[serde(default)]
    pub nick_name: Option<String>,
    /// New avatar URL (empty clears it).
    #[serde(default)]
    pub head_img: Option<String>,
    /// New description.
    #[serde(default)]
    pub signature: Option<String>,
    /// New categories, `[first, second]` pairs.
    #[serde(default)]
    pub categories: Option<Vec<(String, String)>>,
    /// New verification type (-1 unverified, 0 WeChat-verified); sets the tester cap.
    #[serde(default)]
    pub verify_type: Option<i64>,
}

pub(crate) fn patch_profile(shared: &Shared, patch: ProfilePatch) -> Result<(), SandboxError> {
    let mut state = shared.lock();
    let account = state
        .accounts
        .get_mut(&patch.appid)
        .ok_or_else(|| unknown_app(&patch.appid))?;
    let p = &mut account.profile;
    if let Some(n) = patch.nick_name {
        p.nick_name = n;
    }
    if let Some(h) = patch.head_img {
        p.head_img = h;
    }
    if let Some(s) = patch.signature {
        p.signature = s;
    }
    if let Some(c) = patch.categories {
        p.categories = c;
    }
    if let Some(v) = patch.verify_type {
        p.verify_type = v;
    }
    Ok(())
}

pub(crate) fn counts(shared: &Shared, appid: Option<&str>) -> BTreeMap<String, ConsumedCounts> {
    let state = shared.lock();
    state
        .wxa
        .apps
        .iter()
        .filter(|(a, _)| appid.is_none_or(|x| x == a.as_str()))
        .map(|(a, w)| (a.clone(), w.counts))
        .collect()
}

impl SandboxHandle {
    /// Accepted commits, submits, releases and reverts per mini program
    /// (of one when `appid` is given).
    pub fn wxa_counts(&self, appid: Option<&str>) -> BTreeMap<String, ConsumedCounts> {
        counts(&self.shared, appid)
    }

    /// Plays DevTools uploading drafts; returns their draft ids.
    pub fn add_template_drafts(&self, seed: DraftSeed) -> Result<Vec<i64>, SandboxError> {
        add_drafts(&self.shared, seed)
    }

    /// Sets the plan of the next audit of `appid` (one-shot), or with `None`
    /// of every audit without a one-shot plan.
    pub fn set_next_audit(&self, appid: Option<&str>, plan: AuditPlan) -> Result<(), SandboxError> {
        set_next_audit(&self.shared, appid, plan)
    }

    /// Sets the platform's message URL, where `weapp_audit_*` events go.
    pub fn set_message_url(&self, component_appid: &str, url: &str) -> Result<(), SandboxError> {
        set_message_url(&self.shared, component_appid, url)
    }

    /// Plays `wechat_id` scanning the experience QR of `appid`.
    pub fn scan_experience(
        &self,
        appid: &str,
        wechat_id: &str,
    ) -> Result<ScanResult, SandboxError> {
        scan(&self.shared, appid, wechat_id)
    }

    /// Sets the submissions `appid` has left this month.
    pub fn set_submit_quota(&self, appid: &str, rest: i64) -> Result<(), SandboxError> {
        set_quota(&self.shared, appid, rest)
    }

    /// Changes the profile fields an audit checks.
    pub fn patch_profile(&self, patch: ProfilePatch) -> Result<(), SandboxError> {
        patch_profile(&self.shared, patch)
    }
}

// ---- HTTP ----

macro_rules! body {
    ($bytes:expr, $ty:ty, $expected:expr) => {
        match serde_json::from_slice::<$ty>(&$bytes) {
            Ok(v) => v,
            Err(e) => return bad_request(&invalid_body(e, $expected)),
        }
    };
}

async fn http_drafts(State(shared): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let seed = body!(
        bytes,
        DraftSeed,
        r#"{"component_appid","user_version"?,"pages"?,"privacy_keys"?,"count"?}"#
    );
    answer(add_drafts(&shared, seed).map(
        |ids| json!({"drafts": ids.iter().map(|id| json!({"draft_id": id})).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize)]
struct NextAudit {
    #[serde(default)]
    appid: Option<String>,
    #[serde(flatten)]
    plan: AuditPlan,
}

async fn http_next_audit(State(shared): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let n = body!(
        bytes,
        NextAudit,
        r#"{"appid"?,"outcome":"success"|"fail"|"delay","duration_secs"?,"reason"?,"screenshots"?,"then_secs"?}"#
    );
    answer(set_next_audit(&shared, n.appid.as_deref(), n.plan).map(|()| json!({})))
}

#[derive(Deserialize)]
struct MessageUrl {
    component_appid: String,
    url: String,
}

async fn http_message_url(State(shared): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let m = body!(bytes, MessageUrl, r#"{"component_appid","url"}"#);
    answer(set_message_url(&shared, &m.component_appid, &m.url).map(|()| json!({})))
}

async fn http_counts(State(shared): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = crate::wx::parse_query(q.as_deref());
    Json(counts(&shared, q.get("appid").map(String::as_str))).into_response()
}

async fn http_scan(State(shared): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = crate::wx::parse_query(q.as_deref());
    match (q.get("appid"), q.get("wechat_id")) {
        (Some(appid), Some(wechat_id)) => answer(scan(&shared, appid, wechat_id)),
        _ => bad_request(&invalid_body(
            "missing appid or wechat_id",
            "?appid=wx…&wechat_id=…",
        )),
    }
}

#[derive(Deserialize)]
struct QuotaInput {
    appid: String,
    rest: i64,
}

async fn http_quota(State(shared): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let q = body!(bytes, QuotaInput, r#"{"appid","rest"}"#);
    answer(set_quota(&shared, &q.appid, q.rest).map(|()| json!({})))
}

async fn http_profile(State(shared): State<AppState>, bytes: axum::body::Bytes) -> Response {
    let p = body!(
        bytes,
        ProfilePatch,
        r#"{"appid","nick_name"?,"head_img"?,"signature"?,"categories"?}"#
    );
    answer(patch_profile(&shared, p).map(|()| json!({})))
}

/// The `/__sandbox/wxa` routes.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/drafts", post(http_drafts))
        .route("/audit/next", post(http_next_audit))
        .route("/message_url", post(http_message_url))
        .route("/scan", get(http_scan))
        .route("/quota", post(http_quota))
        .route("/profile", post(http_profile))
        .route("/counts", get(http_counts))
}
