//! An offline WeChat emulator for tests, benchmarks and demos.
//!
//! wxdesk must never need the real WeChat to be tested, and WeChat's rules
//! (token rotation and grace periods, single-use codes, ticket lifetimes,
//! refresh-token rotation, pushes with their own crypto) are exactly what a
//! client gets wrong. This crate serves WeChat's api, mp and open paths from
//! one `http://127.0.0.1:PORT` base with WeChat's real behaviour: HTTP 200 with
//! `{"errcode":N,"errmsg":"… rid: …"}` on errors, bare payloads from token
//! endpoints, loose JSON typing. It adds what a real WeChat cannot offer: a
//! virtual clock, fault injection, request counters, and hooks that play the
//! users and admins (see [`SandboxHandle`], also exposed over HTTP under
//! `/__sandbox/`).
//!
//! HTTP hooks (JSON in and out; errors are HTTP 400 `{"error": "..."}`; HTML
//! form posts from the console are accepted too and redirect back to `/`):
//!
//! | Route under `/__sandbox/` | Body / answer |
//! |---|---|
//! | `POST apps` | `{"appid","secret"}` |
//! | `POST components` | [`ComponentSeed`] |
//! | `POST codes/js` | `{"appid","openid"?,"unionid"?}` → [`JsCode`] |
//! | `POST codes/phone` | `{"appid","phone"}` → `{"code"}` |
//! | `POST tickets` | `{"component_appid","push":bool}` → `{"ticket","push"?:`[`PushRecord`]`}` |
//! | `POST authorize` | [`AuthorizeSeed`] → [`Authorization`] |
//! | `POST authorizers/bulk` | `{"component_appid","count"}` → `{"appids":[…]}` |
//! | `POST unauthorize` | `{"component_appid","authorizer_appid"}` |
//! | `POST faults` / `DELETE faults` / `GET faults` | [`Fault`] (add) / clear / list |
//! | `POST clock` / `GET clock` | `{"advance_secs"}` → `{"now","offset_secs"}` |
//! | `GET counters` / `POST counters/reset` | `{"cgi-bin/token": 3, …}` |
//! | `GET pushes` | `[`[`PushRecord`]`]` |
//! | `POST fastregister/advance` | `{"kind":"enterprise"\|"personal"\|"beta","key","status"?}` → [`AdvanceOutcome`] |
//! | `GET state` | everything, unredacted |
//! | `POST open_data` | `{"appid","openid"}` → [`SampleOpenData`] (user info encrypted with that user's session_key) |
//! | `GET demo` | [`DemoAccounts`] (seeding them if needed) |
//! | `POST team/write` | [`TeamWriteRequest`] → [`TeamWritten`] (plays the production server of team mode) |
//! | `POST wxa/drafts`, `wxa/audit/next`, `wxa/message_url`, `wxa/quota`, `wxa/profile`; `GET wxa/scan` | code management: [`DraftSeed`], [`AuditPlan`], [`ScanResult`], [`ProfilePatch`] (see `SandboxHandle::add_template_drafts` and its neighbours) |
//!
//! When started with [`SandboxConfig::access_token`] (as wxdesk does for the
//! sandbox it embeds), these hooks and the console need that token and a
//! loopback `Host` (see [`SandboxHandle::console_url`] and the `guard`
//! module); WeChat's own paths stay open. A standalone sandbox has no token.
//!
//! Modules, one per concept: `state` (the one locked state), `clock`,
//! `faults`, `tokens`, `codes`, `component`, `fastregister`, `pages`,
//! `pushes`, `hooks`, `demo`, `guard`, `mirror`, `wxa` (templates, code, testers, domains,
//! privacy, audits, releases); `wx`, `html` and `ids` hold the wire, page and
//! identifier conventions they share.

#![warn(missing_docs)]

mod clock;
mod codes;
mod component;
mod component_api;
mod demo;
mod error;
mod fastregister;
mod fastregister_progress;
mod faults;
mod guard;
mod hook_wire;
mod hooks;
mod html;
mod ids;
mod mirror;
mod open_data;
mod pages;
mod pages_fastregister;
mod pushes;
mod quota_v2;
mod rid;
mod state;
mod team;
mod tokens;
mod wx;
mod wxa;

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::{any, get};
use axum::Router;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use codes::JsCode;
pub use component::{AccountKind, Authorization, AuthorizeSeed, ComponentSeed, DEFAULT_FUNC_IDS};
pub use demo::DemoAccounts;
pub use error::SandboxError;
pub use fastregister::{AdvanceOutcome, FastRegisterKind};
pub use faults::{Fault, FaultKind};
pub use guard::TOKEN_HEADER;
pub use open_data::SampleOpenData;
pub use pushes::PushRecord;
pub use team::{TeamWriteRequest, TeamWritten, TeamWrittenKey};
pub use wxa::hooks::ProfilePatch;
pub use wxa::media::screenshot_text as audit_screenshot_text;
pub use wxa::{AuditOutcome, AuditPlan, ConsumedCounts, DraftSeed, ScanResult};

use state::{Shared, State};

/// How the sandbox behaves.
#[derive(Clone, PartialEq, Eq)]
pub struct SandboxConfig {
    /// How long a `cgi-bin/token` token keeps working after a newer one is minted (WeChat: 5 minutes).
    pub token_grace: Duration,
    /// Daily `cgi-bin/token` calls per app before 45009 (WeChat: 2000).
    pub legacy_daily_limit: u32,
    /// Daily `stable_token` calls per app before 45009 (WeChat: 500,000).
    pub stable_daily_limit: u32,
    /// Daily `api_component_token` calls per platform before 45009 (unpublished by WeChat; default 2000).
    pub component_token_daily_limit: u32,
    /// Daily `api_authorizer_token` calls per authorizer before 45009 (unpublished by WeChat; default 2000).
    pub authorizer_token_daily_limit: u32,
    /// `expires_in` of pre-auth codes, seconds (WeChat's example: 600).
    pub pre_auth_code_ttl: u64,
    /// Seed demo accounts at start (used by `wxdesk sandbox`).
    pub demo: bool,
    /// When set, the console and the `/__sandbox/` hooks need this token and a
    /// loopback `Host` (wxdesk sets a random one for the sandbox it embeds; the
    /// standalone `wxdesk sandbox` leaves it `None`). Use URL- and cookie-safe
    /// characters (e.g. hex).
    pub access_token: Option<String>,
    /// When set, the credentials the sandbox makes up (demo accounts, secrets
    /// of mirrored AppIDs) are derived from this seed instead of drawn at
    /// random, so a sandbox started again with it hands out the same ones.
    /// They are sandbox credentials: the seed unlocks nothing real.
    pub credential_seed: Option<[u8; 32]>,
}

impl std::fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxConfig")
            .field("token_grace", &self.token_grace)
            .field("legacy_daily_limit", &self.legacy_daily_limit)
            .field("stable_daily_limit", &self.stable_daily_limit)
            .field(
                "component_token_daily_limit",
                &self.component_token_daily_limit,
            )
            .field(
                "authorizer_token_daily_limit",
                &self.authorizer_token_daily_limit,
            )
            .field("pre_auth_code_ttl", &self.pre_auth_code_ttl)
            .field("demo", &self.demo)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<redacted>"),
            )
            .field(
                "credential_seed",
                &self.credential_seed.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            token_grace: Duration::from_secs(300),
            legacy_daily_limit: 2000,
            stable_daily_limit: 500_000,
            component_token_daily_limit: 2000,
            authorizer_token_daily_limit: 2000,
            pre_auth_code_ttl: 600,
            demo: false,
            access_token: None,
            credential_seed: None,
        }
    }
}

/// Starts sandboxes.
pub struct Sandbox;

impl Sandbox {
    /// Starts a sandbox on `127.0.0.1` with an ephemeral port.
    pub async fn start(config: SandboxConfig) -> io::Result<SandboxHandle> {
        Self::start_on(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
    }

    /// Starts a sandbox on `addr`.
    pub async fn start_on(addr: SocketAddr, config: SandboxConfig) -> io::Result<SandboxHandle> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let host = if local.ip().is_unspecified() {
            SocketAddr::from((Ipv4Addr::LOCALHOST, local.port()))
        } else {
            local
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .no_proxy()
            .build()
            .map_err(io::Error::other)?;
        let demo = config.demo;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            clock: clock::Clock::default(),
            config,
            base_url: format!("http://{host}"),
            port: local.port(),
            http,
            runtime: tokio::runtime::Handle::current(),
        });
        if demo {
            demo::ensure(&shared);
        }
        let app = router(shared.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(SandboxHandle {
            shared,
            server: Arc::new(ServerControl {
                shutdown: Mutex::new(Some(tx)),
                task: Mutex::new(Some(task)),
            }),
        })
    }
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(open_data::root))
        .route("/sns/jscode2session", any(codes::jscode2session))
        .route(
            "/sns/component/jscode2session",
            any(codes::component_jscode2session),
        )
        .route(
            "/wxa/business/getuserphonenumber",
            any(codes::getuserphonenumber),
        )
        .route("/wxa/checksession", any(codes::checksession))
        .route("/cgi-bin/token", any(tokens::token))
        .route("/cgi-bin/stable_token", any(tokens::stable_token))
        .route("/cgi-bin/openapi/quota/get", any(tokens::quota_get))
        .route("/cgi-bin/clear_quota", any(tokens::clear_quota))
        .route("/cgi-bin/clear_quota/v2", any(quota_v2::clear_quota_v2))
        .route(
            "/cgi-bin/component/clear_quota/v2",
            any(quota_v2::component_clear_quota_v2),
        )
        .route("/cgi-bin/openapi/rid/get", any(rid::rid_get))
        .route(
            "/cgi-bin/component/api_start_push_ticket",
            any(component::start_push_ticket),
        )
        .route(
            "/cgi-bin/component/api_component_token",
            any(component::component_token),
        )
        .route(
            "/cgi-bin/component/api_create_preauthcode",
            any(component::create_preauthcode),
        )
        .route(
            "/cgi-bin/component/api_query_auth",
            any(component::query_auth),
        )
        .route(
            "/cgi-bin/component/api_authorizer_token",
            any(component::authorizer_token),
        )
        .route(
            "/cgi-bin/component/api_get_authorizer_info",
            any(component::get_authorizer_info),
        )
        .route(
            "/cgi-bin/component/api_get_authorizer_list",
            any(component::get_authorizer_list),
        )
        .route(
            "/cgi-bin/component/fastregisterweapp",
            any(fastregister::enterprise),
        )
        .route(
            "/wxa/component/fastregisterpersonalweapp",
            any(fastregister::personal),
        )
        .route(
            "/wxa/component/fastregisterbetaweapp",
            any(fastregister::beta),
        )
        .route("/cgi-bin/account/fastregister", any(fastregister::reuse_oa))
        .route("/cgi-bin/componentloginpage", any(pages::consent))
        .route("/wxaopen/safe/bindcomponent", any(pages::consent))
        .route("/safe/bindcomponent", any(pages::legacy_bindcomponent))
        .route("/cgi-bin/fastregisterauth", any(pages::fastregisterauth))
        .route("/wxaopen/fastregisterpersonal", any(pages::personal_page))
        .route("/wxaopen/fastregisterbeta", any(pages::beta_page))
        .merge(wxa::routes())
        .nest("/__sandbox", hooks::router())
        .fallback(tokens::not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            faults::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            rid::middleware,
        ))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            guard::middleware,
        ))
        .with_state(shared)
}

struct ServerControl {
    shutdown: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<JoinHandle<()>>>,
}

/// A running sandbox. Cheap to clone; every clone controls the same server.
#[derive(Clone)]
pub struct SandboxHandle {
    shared: Arc<Shared>,
    server: Arc<ServerControl>,
}

impl std::fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("base_url", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

impl SandboxHandle {
    /// `http://127.0.0.1:PORT`: the api, mp and open base URL at once.
    pub fn base_url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The configuration the sandbox runs with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// The console's address; with an access token, a one-time link carrying
    /// it (`/?token=…`), which the console trades for a cookie.
    pub fn console_url(&self) -> String {
        match &self.shared.config.access_token {
            Some(token) => format!("{}/?token={token}", self.shared.base_url),
            None => format!("{}/", self.shared.base_url),
        }
    }

    /// Registers `appid` as a mini program with a secret the sandbox makes up
    /// (random, or derived from [`SandboxConfig::credential_seed`]), and returns that secret: how a real appid is
    /// walked through in the sandbox without its real secret ever leaving
    /// production.
    pub fn mirror_app(&self, appid: &str) -> Result<String, SandboxError> {
        mirror::mirror_app(&self.shared, appid)
    }

    /// Registers `appid` as a third-party platform with a secret, message token
    /// and EncodingAESKey the sandbox makes up (as [`SandboxHandle::mirror_app`];
    /// an existing platform keeps its authorizations), and returns them.
    pub fn mirror_component(
        &self,
        appid: &str,
        name: Option<&str>,
    ) -> Result<ComponentSeed, SandboxError> {
        mirror::mirror_component(&self.shared, appid, name)
    }

    /// Registers a mini program with its AppSecret (or replaces the secret).
    /// Empty values and component appids are ignored; use
    /// [`SandboxHandle::try_add_app`] to see why.
    pub fn add_app(&self, appid: &str, secret: &str) {
        let _ = self.try_add_app(appid, secret);
    }

    /// [`SandboxHandle::add_app`], reporting invalid input.
    pub fn try_add_app(&self, appid: &str, secret: &str) -> Result<(), SandboxError> {
        hooks::add_app(&self.shared, appid, secret)
    }

    /// Registers a third-party platform (or updates it, keeping its authorizations).
    /// Invalid seeds are ignored; use [`SandboxHandle::try_add_component`] to see why.
    pub fn add_component(&self, seed: ComponentSeed) {
        let _ = self.try_add_component(seed);
    }

    /// [`SandboxHandle::add_component`], reporting invalid input.
    pub fn try_add_component(&self, seed: ComponentSeed) -> Result<(), SandboxError> {
        hooks::add_component(&self.shared, seed)
    }

    /// Plays `wx.login`: a js_code for `openid` (a new user when `None`) of
    /// `appid` (a plain app or an authorizer mini program). Rotates the user's
    /// session_key. Users of apps authorized to a platform get a unionid.
    pub fn issue_js_code(&self, appid: &str, openid: Option<&str>) -> JsCode {
        hooks::issue_js_code(&self.shared, appid, openid, None)
    }

    /// [`SandboxHandle::issue_js_code`] for a user with this unionid.
    pub fn issue_js_code_with_unionid(
        &self,
        appid: &str,
        openid: Option<&str>,
        unionid: &str,
    ) -> JsCode {
        hooks::issue_js_code(&self.shared, appid, openid, Some(unionid))
    }

    /// Plays `wx.getUserInfo` after the last login of `openid` in `appid`:
    /// user info with `watermark.appid`, encrypted with that login's session_key.
    pub fn sample_open_data(
        &self,
        appid: &str,
        openid: &str,
    ) -> Result<SampleOpenData, SandboxError> {
        open_data::sample_open_data(&self.shared, appid, openid)
    }

    /// Plays the getPhoneNumber button: a code (5 min, single use) revealing `phone`
    /// (`13800138000`, or `+1 2025550123` for a non-mainland number).
    pub fn issue_phone_code(&self, appid: &str, phone: &str) -> String {
        hooks::issue_phone_code(&self.shared, appid, phone)
    }

    /// A new component_verify_ticket (valid 12 h); older tickets stay valid until their own expiry.
    pub fn issue_ticket(&self, component_appid: &str) -> Result<String, SandboxError> {
        hooks::issue_ticket(&self.shared, component_appid)
    }

    /// Plays the production server of team mode: writes the current ticket and
    /// tokens into a Redis in a peer's layout (same as `POST /__sandbox/team/write`).
    pub async fn team_write(&self, r: &TeamWriteRequest) -> Result<TeamWritten, SandboxError> {
        team::write(&self.shared, r).await
    }

    /// Issues a ticket and pushes it to the platform's push URL, waiting for the delivery.
    pub async fn push_ticket(&self, component_appid: &str) -> Result<PushRecord, SandboxError> {
        hooks::push_ticket(&self.shared, component_appid)
            .await
            .map(|(_, record)| record)
    }

    /// Plays an admin authorizing a platform. Re-authorizing an existing
    /// authorizer rotates its refresh token. Pushes `authorized` /
    /// `updateauthorized` in the background.
    pub fn authorize(&self, seed: AuthorizeSeed) -> Result<Authorization, SandboxError> {
        hooks::authorize(&self.shared, seed)
    }

    /// Creates `count` authorized mini programs at once (no codes, no pushes); returns their appids.
    pub fn seed_authorizers(&self, component_appid: &str, count: usize) -> Vec<String> {
        hooks::seed_authorizers(&self.shared, component_appid, count).unwrap_or_default()
    }

    /// [`SandboxHandle::seed_authorizers`], reporting an unknown component.
    pub fn try_seed_authorizers(
        &self,
        component_appid: &str,
        count: usize,
    ) -> Result<Vec<String>, SandboxError> {
        hooks::seed_authorizers(&self.shared, component_appid, count)
    }

    /// Plays an admin cancelling an authorization: its tokens stop working,
    /// and `unauthorized` is pushed in the background.
    pub fn unauthorize(
        &self,
        component_appid: &str,
        authorizer_appid: &str,
    ) -> Result<(), SandboxError> {
        hooks::unauthorize(&self.shared, component_appid, authorizer_appid)
    }

    /// Moves a fast-registration task forward (or to `status`); see [`FastRegisterKind`].
    pub async fn advance_fastregister(
        &self,
        kind: FastRegisterKind,
        key: &str,
        status: Option<i64>,
    ) -> Result<AdvanceOutcome, SandboxError> {
        fastregister::advance(&self.shared, kind, key, status).await
    }

    /// Requests to `endpoint` (path with or without leading slash) since the last reset.
    pub fn counter(&self, endpoint: &str) -> u64 {
        hooks::counter(&self.shared, endpoint)
    }

    /// All endpoint counters.
    pub fn counters(&self) -> BTreeMap<String, u64> {
        hooks::counters(&self.shared)
    }

    /// Zeroes all endpoint counters.
    pub fn reset_counters(&self) {
        hooks::reset_counters(&self.shared)
    }

    /// Registers a fault.
    pub fn set_fault(&self, fault: Fault) {
        hooks::set_fault(&self.shared, fault)
    }

    /// Removes all faults.
    pub fn clear_faults(&self) {
        hooks::clear_faults(&self.shared)
    }

    /// Moves the virtual clock forward.
    pub fn advance_clock(&self, by: Duration) {
        hooks::advance_clock(&self.shared, by)
    }

    /// The virtual Unix time, in seconds.
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Every push generated so far, delivered or not.
    pub fn pushes(&self) -> Vec<PushRecord> {
        hooks::all_pushes(&self.shared)
    }

    /// The demo accounts (seeded now if the sandbox was started without `demo`).
    pub fn demo_accounts(&self) -> DemoAccounts {
        demo::ensure(&self.shared)
    }

    /// Stops the server (waiting up to 5 s for open requests to finish).
    pub async fn shutdown(self) {
        let tx = self
            .server
            .shutdown
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(tx) = tx {
            let _ = tx.send(());
        }
        let task = self
            .server
            .task
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(mut task) = task {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}
