//! Everything the sandbox remembers, behind one lock.
//!
//! WeChat's behaviour is stateful across endpoints (a token minted by one
//! call is checked by another, a code issued by a hook is consumed by an API,
//! a consent page creates an authorizer that the list API then pages through),
//! so all of it lives in one [`State`] behind one `std::sync::Mutex` inside
//! [`Shared`]. The lock is only ever held for short synchronous sections and
//! never across an `.await`: latency faults and push deliveries happen after
//! it is released. This module also holds the token book-keeping and the
//! per-account daily quotas, which every other module uses.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use serde::Serialize;

use crate::clock::{self, Clock};
use crate::component::AccountKind;
use crate::demo::DemoAccounts;
use crate::faults::Fault;
use crate::ids;
use crate::pushes::PushRecord;
use crate::wx::WxError;
use crate::SandboxConfig;

/// Lifetime of every access token the sandbox mints, in seconds.
pub(crate) const TOKEN_TTL: i64 = 7200;
/// Tokens that rotate "5 minutes before expiry" do so in this last window.
pub(crate) const ROTATE_WINDOW: i64 = 300;
/// Lifetime of js_codes and phone codes.
pub(crate) const CODE_TTL: i64 = 300;
/// Lifetime of a component_verify_ticket.
pub(crate) const TICKET_TTL: i64 = 12 * 3600;
/// Lifetime of an authorization code.
pub(crate) const AUTH_CODE_TTL: i64 = 600;
/// Lifetime of a fastregisterauth ticket.
pub(crate) const REGISTER_TICKET_TTL: i64 = 600;
/// Quota resets allowed per account per month.
pub(crate) const CLEAR_QUOTA_PER_MONTH: u32 = 10;

/// What every handler shares: the state, the clock, the configuration and the
/// outbound HTTP client used for pushes.
pub(crate) struct Shared {
    /// All mutable state.
    pub state: Mutex<State>,
    /// The virtual clock.
    pub clock: Clock,
    /// The configuration the sandbox was started with.
    pub config: SandboxConfig,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The port it listens on (for the `Host` check and the console cookie).
    pub port: u16,
    /// Client for push deliveries.
    pub http: reqwest::Client,
    /// The runtime the server runs on (for background push deliveries from sync hooks).
    pub runtime: tokio::runtime::Handle,
}

impl Shared {
    /// Locks the state, recovering from a poisoned lock (a panicking test thread
    /// must not take the whole sandbox down with it).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Virtual Unix seconds.
    pub(crate) fn now(&self) -> i64 {
        self.clock.now()
    }
}

/// The shared handle type used as axum state.
pub(crate) type AppState = Arc<Shared>;

/// Everything the sandbox remembers. Serialized as-is by `GET /__sandbox/state`.
#[derive(Debug, Default, Serialize)]
pub(crate) struct State {
    /// Mini programs and official accounts (plain apps and authorizers), by appid.
    pub accounts: BTreeMap<String, Account>,
    /// Third-party platforms, by appid.
    pub components: BTreeMap<String, Component>,
    /// Users, by appid then openid.
    pub users: BTreeMap<String, BTreeMap<String, User>>,
    /// Every token ever minted.
    pub tokens: HashMap<String, TokenInfo>,
    /// Issued js_codes.
    pub js_codes: HashMap<String, JsCodeRecord>,
    /// Issued phone codes.
    pub phone_codes: HashMap<String, PhoneCodeRecord>,
    /// Issued component_verify_tickets.
    pub tickets: HashMap<String, TicketRecord>,
    /// Issued pre_auth_codes.
    pub pre_auth_codes: HashMap<String, PreAuthRecord>,
    /// Issued authorization codes.
    pub auth_codes: HashMap<String, AuthCodeRecord>,
    /// Tickets issued by the fastregisterauth page.
    pub register_tickets: HashMap<String, RegisterTicketRecord>,
    /// Enterprise fast-registration tasks.
    pub enterprise_tasks: Vec<crate::fastregister::EnterpriseTask>,
    /// Personal fast-registration tasks, by taskid.
    pub personal_tasks: BTreeMap<String, crate::fastregister::PersonalTask>,
    /// Trial (beta) registrations, by unique_id.
    pub beta_tasks: BTreeMap<String, crate::fastregister::BetaTask>,
    /// Daily API usage per account.
    pub usage: HashMap<String, DailyUsage>,
    /// Requests per endpoint (path without leading slash).
    pub counters: BTreeMap<String, u64>,
    /// Active faults, in insertion order.
    pub faults: Vec<Fault>,
    /// Every push generated.
    pub pushes: Vec<PushRecord>,
    /// Recent results of console form submissions (newest first).
    pub console: VecDeque<String>,
    /// The demo accounts, once seeded.
    pub demo: Option<DemoAccounts>,
    /// Code management: templates, code, testers, domains, privacy, audits, releases.
    pub wxa: crate::wxa::WxaState,
    /// Errors answered, by rid, for `rid/get` (never served: requests hold secrets).
    #[serde(skip)]
    pub rids: crate::rid::RidLog,
}

/// A mini program or official account.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Account {
    /// The appid.
    pub appid: String,
    /// The AppSecret, when the account can call `cgi-bin/token` itself.
    pub secret: Option<String>,
    /// Mini program or official account.
    pub kind: AccountKind,
    /// What `api_get_authorizer_info` reports.
    pub profile: Profile,
    /// The newest `cgi-bin/token` token.
    pub legacy_current: Option<String>,
    /// The `stable_token` pool.
    pub stable: StablePool,
    /// `clear_quota` uses this month.
    pub quota_clears: MonthlyCount,
}

impl Account {
    /// A fresh account with a generated profile.
    pub(crate) fn new(appid: &str, secret: Option<String>, kind: AccountKind) -> Self {
        Account {
            appid: appid.to_string(),
            secret,
            kind,
            profile: Profile::generated(appid, kind),
            legacy_current: None,
            stable: StablePool::default(),
            quota_clears: MonthlyCount::default(),
        }
    }
}

/// The descriptive fields of an account.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Profile {
    pub nick_name: String,
    pub head_img: String,
    pub user_name: String,
    pub principal_name: String,
    pub signature: String,
    pub register_type: i64,
    pub service_type: i64,
    pub verify_type: i64,
    pub account_status: i64,
    /// Mini program categories (first, second).
    pub categories: Vec<(String, String)>,
}

impl Profile {
    /// A plausible profile for a new account.
    pub(crate) fn generated(appid: &str, kind: AccountKind) -> Self {
        let tail = appid.get(appid.len().saturating_sub(4)..).unwrap_or(appid);
        let (nick_name, service_type, categories) = match kind {
            AccountKind::MiniProgram => (
                format!("沙箱小程序 Sandbox MP {tail}"),
                0,
                vec![("工具".to_string(), "效率".to_string())],
            ),
            AccountKind::OfficialAccount => (format!("沙箱公众号 Sandbox OA {tail}"), 2, vec![]),
        };
        Profile {
            nick_name,
            head_img: format!("http://wx.qlogo.cn/mmopen/sandbox-{tail}/0"),
            user_name: ids::gh_id(),
            principal_name: "沙箱科技有限公司 Sandbox Tech Co., Ltd.".to_string(),
            signature: "An account living in the wxdesk offline sandbox.".to_string(),
            register_type: 0,
            service_type,
            verify_type: 0,
            account_status: 1,
            categories,
        }
    }
}

/// The stable_token state of one account.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct StablePool {
    /// The token normal-mode calls return.
    pub current: Option<String>,
    /// The token rotated out in the last normal-mode rotation (still valid until its own expiry).
    pub previous: Option<String>,
    /// When the last effective force refresh happened.
    pub last_force_at: Option<i64>,
    /// Effective force refreshes today.
    pub force_today: DayCount,
}

/// The count of a period counter in period `current` (0 once it moved on).
fn count_in(period: i64, count: u32, current: i64) -> u32 {
    if period == current {
        count
    } else {
        0
    }
}

/// Adds one to a period counter, starting over when the period moved on.
fn bump_in(period: &mut i64, count: &mut u32, current: i64) {
    if *period != current {
        *period = current;
        *count = 0;
    }
    *count += 1;
}

/// A counter that resets at Beijing midnight.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct DayCount {
    pub day: i64,
    pub count: u32,
}

impl DayCount {
    /// Today's count.
    pub(crate) fn get(&self, now: i64) -> u32 {
        count_in(self.day, self.count, clock::day_of(now))
    }

    /// Adds one to today's count.
    pub(crate) fn bump(&mut self, now: i64) {
        bump_in(&mut self.day, &mut self.count, clock::day_of(now));
    }
}

/// A counter that resets at the start of each (Beijing) month.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct MonthlyCount {
    pub month: i64,
    pub count: u32,
}

impl MonthlyCount {
    /// This month's count.
    pub(crate) fn get(&self, now: i64) -> u32 {
        count_in(self.month, self.count, clock::month_of(now))
    }

    /// Adds one to this month's count.
    pub(crate) fn bump(&mut self, now: i64) {
        bump_in(&mut self.month, &mut self.count, clock::month_of(now));
    }
}

/// A third-party platform.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Component {
    pub appid: String,
    pub secret: String,
    /// The message-verification token.
    pub token: String,
    pub encoding_aes_key: String,
    pub push_url: Option<String>,
    pub name: String,
    /// The current component_access_token.
    pub access_token: Option<String>,
    /// Authorizations, by authorizer appid (revoked ones are kept, flagged).
    pub authorizations: BTreeMap<String, AuthorizationRecord>,
    /// `clear_quota` uses this month.
    pub quota_clears: MonthlyCount,
}

/// One account's authorization of one component.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuthorizationRecord {
    pub authorizer_appid: String,
    pub refresh_token: String,
    pub func_ids: Vec<u32>,
    pub auth_time: i64,
    pub revoked: bool,
    /// The current authorizer_access_token.
    pub access_token: Option<String>,
}

/// A user of an app.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct User {
    pub openid: String,
    pub unionid: Option<String>,
    /// The current session_key (rotated by every login).
    pub session_key: Option<String>,
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum TokenOwner {
    /// A mini program / official account acting for itself.
    App { appid: String },
    /// A third-party platform.
    Component { appid: String },
    /// A platform acting for an authorizer.
    Authorizer {
        component_appid: String,
        appid: String,
    },
}

/// Which issuing endpoint a token came from (pools are isolated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TokenPool {
    Legacy,
    Stable,
    Component,
    Authorizer,
}

/// A minted token.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TokenInfo {
    pub owner: TokenOwner,
    pub pool: TokenPool,
    pub issued_at: i64,
    pub expires_at: i64,
    /// From this instant the token answers 40001 (superseded / revoked).
    pub retired_at: Option<i64>,
}

impl TokenInfo {
    /// 40001 when retired, 42001 when expired, else fine.
    pub(crate) fn check(&self, now: i64) -> Result<(), WxError> {
        if self.retired_at.is_some_and(|at| at <= now) {
            Err(WxError::new(40001))
        } else if self.expires_at <= now {
            Err(WxError::new(42001))
        } else {
            Ok(())
        }
    }

    /// Still usable and more than [`ROTATE_WINDOW`] seconds from expiry.
    fn reusable(&self, now: i64) -> bool {
        self.check(now).is_ok()
            && self.expires_at - now > ROTATE_WINDOW
            && self.retired_at.is_none()
    }
}

/// An issued js_code.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct JsCodeRecord {
    pub appid: String,
    pub openid: String,
    pub session_key: String,
    pub issued_at: i64,
    pub used: bool,
}

/// An issued phone code.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhoneCodeRecord {
    pub appid: String,
    pub phone: String,
    pub issued_at: i64,
    pub used: bool,
}

/// An issued component_verify_ticket.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TicketRecord {
    pub component_appid: String,
    pub issued_at: i64,
}

/// An issued pre_auth_code.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PreAuthRecord {
    pub component_appid: String,
    pub issued_at: i64,
    pub expires_at: i64,
    pub used: bool,
}

/// An issued authorization code.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AuthCodeRecord {
    pub component_appid: String,
    pub authorizer_appid: String,
    pub issued_at: i64,
    pub used: bool,
}

/// A ticket from the fastregisterauth page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RegisterTicketRecord {
    pub component_appid: String,
    pub oa_appid: String,
    pub copy_wx_verify: bool,
    pub issued_at: i64,
    pub used: bool,
}

/// One account's API usage for one day, by cgi path (with leading slash).
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct DailyUsage {
    pub day: i64,
    pub per_path: HashMap<String, u32>,
}

impl State {
    /// Checks a token (41001 missing, 40001 unknown/retired, 42001 expired).
    pub(crate) fn check_token(&self, token: Option<&str>, now: i64) -> Result<&TokenInfo, WxError> {
        let token = token.ok_or_else(|| WxError::new(41001))?;
        let info = self.tokens.get(token).ok_or_else(|| WxError::new(40001))?;
        info.check(now)?;
        Ok(info)
    }

    /// Mints a token of `pool` for `owner`.
    pub(crate) fn mint_token(&mut self, owner: TokenOwner, pool: TokenPool, now: i64) -> String {
        let token = match pool {
            TokenPool::Component => ids::component_token(),
            _ => ids::access_token(),
        };
        self.tokens.insert(
            token.clone(),
            TokenInfo {
                owner,
                pool,
                issued_at: now,
                expires_at: now + TOKEN_TTL,
                retired_at: None,
            },
        );
        token
    }

    /// Returns `current` when it is still comfortably valid, else mints a new
    /// one (leaving the old one valid until its own expiry). Returns the token
    /// and its remaining lifetime.
    pub(crate) fn reuse_or_mint(
        &mut self,
        current: Option<&str>,
        owner: TokenOwner,
        pool: TokenPool,
        now: i64,
    ) -> (String, i64) {
        if let Some(current) = current {
            if let Some(info) = self.tokens.get(current) {
                if info.reusable(now) {
                    return (current.to_string(), info.expires_at - now);
                }
            }
        }
        (self.mint_token(owner, pool, now), TOKEN_TTL)
    }

    /// Makes a token answer 40001 from `at` on (keeps an earlier retirement).
    pub(crate) fn retire_token(&mut self, token: &str, at: i64) {
        if let Some(info) = self.tokens.get_mut(token) {
            info.retired_at = Some(info.retired_at.map_or(at, |old| old.min(at)));
        }
    }

    /// Resolves a token usable on mini-program APIs to the appid it acts for:
    /// an app's own token, or an authorizer token of an active authorization.
    pub(crate) fn mp_appid_for_token(
        &self,
        token: Option<&str>,
        now: i64,
    ) -> Result<String, WxError> {
        let info = self.check_token(token, now)?;
        match &info.owner {
            TokenOwner::App { appid } => Ok(appid.clone()),
            TokenOwner::Authorizer {
                component_appid,
                appid,
            } => {
                let active = self
                    .components
                    .get(component_appid)
                    .and_then(|c| c.authorizations.get(appid))
                    .is_some_and(|a| !a.revoked);
                if active {
                    Ok(appid.clone())
                } else {
                    Err(WxError::new(40001))
                }
            }
            TokenOwner::Component { .. } => Err(WxError::new(40001)),
        }
    }

    /// Resolves a component_access_token to its component appid.
    pub(crate) fn component_for_token(
        &self,
        token: Option<&str>,
        now: i64,
    ) -> Result<String, WxError> {
        let info = self.check_token(token, now)?;
        match &info.owner {
            TokenOwner::Component { appid } => Ok(appid.clone()),
            _ => Err(WxError::new(40001)),
        }
    }

    /// Counts one call of `path` for `appid` against its daily `limit` (45009 when exhausted).
    pub(crate) fn use_quota(
        &mut self,
        appid: &str,
        path: &str,
        limit: u32,
        now: i64,
    ) -> Result<(), WxError> {
        let today = clock::day_of(now);
        let usage = self.usage.entry(appid.to_string()).or_default();
        if usage.day != today {
            usage.day = today;
            usage.per_path.clear();
        }
        let used = usage.per_path.entry(path.to_string()).or_default();
        if *used >= limit {
            return Err(WxError::new(45009));
        }
        *used += 1;
        Ok(())
    }

    /// Today's use of `path` by `appid`.
    pub(crate) fn quota_used(&self, appid: &str, path: &str, now: i64) -> u32 {
        self.usage
            .get(appid)
            .filter(|u| u.day == clock::day_of(now))
            .and_then(|u| u.per_path.get(path).copied())
            .unwrap_or(0)
    }

    /// Drops long-dead single-use records so benchmarks do not grow memory without bound.
    pub(crate) fn prune(&mut self, now: i64) {
        const LIMIT: usize = 100_000;
        let horizon = now - 86_400;
        if self.js_codes.len() > LIMIT {
            self.js_codes.retain(|_, c| c.issued_at > horizon);
        }
        if self.phone_codes.len() > LIMIT {
            self.phone_codes.retain(|_, c| c.issued_at > horizon);
        }
        if self.pre_auth_codes.len() > LIMIT {
            self.pre_auth_codes.retain(|_, c| c.issued_at > horizon);
        }
        if self.auth_codes.len() > LIMIT {
            self.auth_codes.retain(|_, c| c.issued_at > horizon);
        }
        if self.tokens.len() > LIMIT {
            self.tokens.retain(|_, t| t.expires_at > horizon);
        }
    }
}
