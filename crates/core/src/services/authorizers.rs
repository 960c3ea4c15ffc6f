//! Authorizers: the merchant accounts that authorized a third-party platform.
//!
//! An authorization is worth exactly one thing to the platform: the
//! `authorizer_refresh_token`. Lose it and the merchant must authorize again,
//! so every path that learns one — the consent redirect, the `authorized`
//! push, a fast registration, the list sync, a token refresh that rotates it —
//! stores it sealed, in the same transaction as what else it learned. This
//! module holds those paths: exchanging an authorization code, listing and
//! showing authorizers, fetching an authorizer's profile again, reconciling
//! the local table with WeChat's list, and refreshing authorizer tokens in
//! bulk with bounded concurrency.
//!
//! Sync and bulk refresh live in `services::authorizers_bulk` (their types
//! are re-exported here).
//!
//! The list sync learns refresh tokens only (one `api_get_authorizer_info`
//! per account would make a sync of thousands take minutes), so an
//! authorizer it adds has no profile until [`Desk::authorizer_refresh_info`]
//! fetches one; the profile is stored the same way an authorization stores it.
//!
//! Network calls always happen before the write transaction, never inside it.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wxdesk_wechat::api::component::{AuthorizationInfo, AuthorizerDetails};
use wxdesk_wechat::api::FuncInfo;
use wxdesk_wechat::links::{parse_callback, validate_appid};

use crate::error::{Error, Result};
use crate::store::authorizers::{self, AuthorizerRow, AuthorizerStatus, REFRESH_TOKEN};
use crate::store::components;
use crate::token_types::{authorizer_owner, cache_token_at, IssuedToken, TokenKind};
use crate::Desk;

pub use crate::services::authorizers_bulk::{
    mass_revocation, RefreshFailure, RefreshPlan, RefreshReport, RefreshTarget, SyncReport,
    DEFAULT_REFRESH_CONCURRENCY, MAX_REFRESH_CONCURRENCY,
};

/// Where the authorization code comes from.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizeInput {
    /// The bare `auth_code` (from the redirect or the `authorized` push).
    AuthCode(String),
    /// The whole address the merchant's browser landed on after consent.
    CallbackUrl(String),
}

impl std::fmt::Debug for AuthorizeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthorizeInput::AuthCode(_) => f.write_str("AuthCode(…)"),
            AuthorizeInput::CallbackUrl(_) => f.write_str("CallbackUrl(…)"),
        }
    }
}

/// One authorizer as shown to the operator (never its refresh token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct AuthorizerView {
    /// The platform it authorized.
    pub component_appid: String,
    /// The merchant account.
    pub appid: String,
    /// Display name (empty until its info was fetched).
    pub nick_name: String,
    /// `mini_program`, `official_account` or `unknown`.
    pub account_type: String,
    /// Active or revoked.
    pub status: AuthorizerStatus,
    /// Granted permission-set ids.
    pub func_info: Vec<i64>,
    /// Registered entity, from the info snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal_name: Option<String>,
    /// Original id (`gh_…`), from the info snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    /// Whether a refresh token is stored (without one no token can be minted).
    pub has_refresh_token: bool,
    /// When it (last) authorized, Unix seconds.
    pub authorized_at: Option<i64>,
    /// When it was marked revoked.
    pub revoked_at: Option<i64>,
    /// Last change.
    pub updated_at: i64,
    /// The full `api_get_authorizer_info` snapshot (show, authorize and refresh_info only;
    /// absent until a profile was fetched).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub info: Option<Value>,
    /// Things that did not work but did not stop the operation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// When its cached authorizer_access_token expires (Unix seconds); none cached yet.
    #[serde(default)]
    pub token_expires_at: Option<i64>,
    /// The operator's notes on this merchant.
    #[serde(default)]
    pub notes: String,
    /// The operator's tags on this merchant.
    #[serde(default)]
    pub tags: Vec<String>,
}

impl AuthorizerView {
    /// The view of a stored row; `with_info` includes the snapshot.
    pub fn from_row(row: &AuthorizerRow, with_info: bool) -> AuthorizerView {
        let text = |k: &str| {
            row.info
                .as_ref()
                .and_then(|i| i.get(k))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        AuthorizerView {
            component_appid: row.component_appid.clone(),
            appid: row.appid.clone(),
            nick_name: row.nick_name.clone(),
            account_type: row.account_type.clone(),
            status: row.status,
            func_info: row.func_info.clone(),
            principal_name: text("principal_name"),
            user_name: text("user_name"),
            has_refresh_token: row.refresh_token.is_some(),
            authorized_at: row.authorized_at,
            revoked_at: row.revoked_at,
            updated_at: row.updated_at,
            info: if with_info { row.info.clone() } else { None },
            warnings: Vec::new(),
            token_expires_at: None,
            notes: String::new(),
            tags: Vec::new(),
        }
    }
}

/// Filters of [`Desk::authorizer_list`]; every field optional.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct AuthorizerQuery {
    /// Only this platform.
    #[serde(default)]
    pub component: Option<String>,
    /// Only active or only revoked.
    #[serde(default)]
    pub status: Option<AuthorizerStatus>,
    /// Only `mini_program`, `official_account` or `unknown`.
    #[serde(default)]
    pub account_type: Option<String>,
    /// Substring of the appid, the name, the notes or a tag.
    #[serde(default)]
    pub search: Option<String>,
    /// Only merchants with this tag (case-insensitive).
    #[serde(default)]
    pub tag: Option<String>,
}

/// What `api_query_auth` (and `api_get_authorizer_info`) returned for one
/// authorization code, held between the network calls and the write.
pub(crate) struct FetchedAuthorization {
    pub(crate) info: AuthorizationInfo,
    pub(crate) details: Option<AuthorizerDetails>,
    pub(crate) warning: Option<String>,
}

impl FetchedAuthorization {
    /// The authorizer's appid.
    pub(crate) fn appid(&self) -> &str {
        &self.info.authorizer_appid
    }
}

/// What `api_get_authorizer_info` tells about an account, in the shape the
/// authorizers table stores it. One reading shared by the authorization
/// paths and the profile refresh, so both store the same columns.
struct Profile {
    /// The `authorizer_info` snapshot (`None` only if it cannot be re-serialized).
    info: Option<Value>,
    /// Display name.
    nick_name: String,
    /// `mini_program` (WeChat sends `MiniProgramInfo`) or `official_account`.
    account_type: &'static str,
    /// Granted permission-set ids (may be empty when WeChat omits them).
    func_info: Vec<i64>,
}

impl Profile {
    fn of(d: &AuthorizerDetails) -> Profile {
        Profile {
            info: serde_json::to_value(&d.authorizer_info).ok(),
            nick_name: d.authorizer_info.nick_name.clone(),
            account_type: if d.authorizer_info.is_mini_program() {
                "mini_program"
            } else {
                "official_account"
            },
            func_info: FuncInfo::ids(&d.authorization_info.func_info),
        }
    }
}

/// Checks a component appid and that the component is stored.
pub(crate) fn require_component(
    conn: &Connection,
    component: &str,
) -> Result<components::ComponentRow> {
    validate_appid("component", component)?;
    components::require(conn, component)
}

pub(crate) fn check_account_type(t: &str) -> Result<()> {
    match t {
        "mini_program" | "official_account" | "unknown" => Ok(()),
        other => Err(Error::invalid(
            "account_type",
            format!(
                "{other:?} is not an account type; use mini_program, official_account or unknown"
            ),
        )),
    }
}

impl Desk {
    /// Exchanges an authorization code: `api_query_auth`, then
    /// `api_get_authorizer_info`. A failure of the second call does not lose
    /// the first (its refresh token is the valuable part): it becomes a warning.
    pub(crate) async fn fetch_authorization(
        &self,
        component: &str,
        auth_code: &str,
    ) -> Result<FetchedAuthorization> {
        let client = self.client();
        let info = self
            .with_component_token(component, |tok| async move {
                client.query_auth(component, &tok, auth_code).await
            })
            .await?;
        let appid = info.authorizer_appid.clone();
        let appid_ref = appid.as_str();
        let (details, warning) = match self
            .with_component_token(component, |tok| async move { client.authorizer_info(component, &tok, appid_ref).await })
            .await
        {
            Ok(d) => (Some(d), None),
            Err(e) => (
                None,
                Some(format!(
                    "the authorization was stored, but its profile could not be fetched ({e}); fetch it later with `wxdesk authorizer info {appid} --component {component}`"
                )),
            ),
        };
        Ok(FetchedAuthorization {
            info,
            details,
            warning,
        })
    }

    /// Writes a fetched authorization inside the caller's transaction: the
    /// sealed refresh token, grants, profile snapshot, type and status, and
    /// the authorizer access token into the token cache.
    pub(crate) fn store_authorization(
        &self,
        conn: &Connection,
        component: &str,
        f: &FetchedAuthorization,
        now: i64,
    ) -> Result<AuthorizerView> {
        let appid = f.appid();
        validate_appid("authorizer_appid", appid)?;
        let refresh_token = self
            .vault()
            .seal_opt(REFRESH_TOKEN, f.info.authorizer_refresh_token.as_deref())?;
        let profile = f.details.as_ref().map(Profile::of);
        let func_info = if f.info.func_info.is_empty() {
            profile
                .as_ref()
                .map(|p| p.func_info.clone())
                .unwrap_or_default()
        } else {
            FuncInfo::ids(&f.info.func_info)
        };
        let (info, nick_name, account_type) = match profile {
            Some(p) => (p.info, p.nick_name, p.account_type.to_string()),
            None => (None, String::new(), "unknown".to_string()),
        };
        authorizers::upsert(
            conn,
            &AuthorizerRow {
                component_appid: component.to_string(),
                appid: appid.to_string(),
                refresh_token,
                func_info,
                info,
                nick_name,
                account_type,
                status: AuthorizerStatus::Active,
                authorized_at: Some(now),
                revoked_at: None,
                updated_at: now,
            },
        )?;
        if let Some(token) = f
            .info
            .authorizer_access_token
            .as_deref()
            .filter(|t| !t.is_empty())
        {
            let owner = authorizer_owner(component, appid);
            let issued = IssuedToken {
                kind: TokenKind::Authorizer,
                owner: &owner,
                value: token,
                expires_in: f.info.expires_in.unwrap_or(7200),
                source: "cgi-bin/component/api_query_auth",
            };
            cache_token_at(conn, self.vault(), self.scope(), &issued, now)?;
        }
        let row = authorizers::require(conn, component, appid)?;
        let mut view = AuthorizerView::from_row(&row, true);
        view.warnings.extend(f.warning.clone());
        Ok(view)
    }

    /// Exchanges an authorization code and stores the authorizer, in one transaction.
    pub(crate) async fn authorize_code(
        &self,
        component: &str,
        auth_code: &str,
    ) -> Result<AuthorizerView> {
        let fetched = self.fetch_authorization(component, auth_code).await?;
        let mut view = self
            .store()
            .write(|tx| self.store_authorization(tx, component, &fetched, self.now()))?;
        // Team mode, read-write: the new tokens go to Redis too.
        view.warnings.extend(
            self.team_publish_authorization(component, &fetched.info)
                .await,
        );
        Ok(view)
    }

    /// Completes an authorization from its `auth_code` or from the callback
    /// address the merchant's browser landed on: exchanges the code
    /// (`api_query_auth`), fetches the profile (`api_get_authorizer_info`)
    /// and stores the authorizer with its sealed refresh token.
    pub async fn authorize(
        &self,
        component: &str,
        input: AuthorizeInput,
    ) -> Result<AuthorizerView> {
        self.store().read(|c| require_component(c, component))?;
        let code = match input {
            AuthorizeInput::AuthCode(code) => {
                let code = code.trim().to_string();
                if code.is_empty() {
                    return Err(Error::invalid(
                        "auth_code",
                        "is empty; pass the auth_code from the callback address, or the whole address with --callback-url",
                    ));
                }
                code
            }
            AuthorizeInput::CallbackUrl(url) => {
                let params = parse_callback(&url)?;
                match params.auth_code {
                    Some(code) => code,
                    None => {
                        return Err(Error::invalid(
                            "callback_url",
                            "carries a fast-registration ticket, not an auth_code; finish it with `wxdesk fastregister offiaccount`",
                        ))
                    }
                }
            }
        };
        self.authorize_code(component, &code).await
    }

    /// Authorizers matching the query, newest authorization first (every
    /// match; [`Desk::authorizer_page`] gives one page and the total).
    pub fn authorizer_list(&self, q: &AuthorizerQuery) -> Result<Vec<AuthorizerView>> {
        Ok(self.authorizers_matching(q, None, 0)?.0)
    }

    /// One authorizer with its profile snapshot. Without `component`, the
    /// appid must have authorized exactly one stored platform.
    pub fn authorizer_show(&self, appid: &str, component: Option<&str>) -> Result<AuthorizerView> {
        validate_appid("appid", appid)?;
        let row = self
            .store()
            .read(|c| self.resolve_authorizer(c, appid, component))?;
        let mut views = [AuthorizerView::from_row(&row, true)];
        self.decorate_authorizers(&mut views, Some(&row.component_appid))?;
        let [view] = views;
        Ok(view)
    }

    /// Fetches a stored authorizer's profile from WeChat again
    /// (`api_get_authorizer_info` with the component token, through the
    /// recorded client) and stores what it tells — name, account type,
    /// grants and the full snapshot — in one transaction, the way an
    /// authorization stores it. This is how an authorizer added by
    /// [`Desk::authorizer_sync`] (refresh token only) gets its profile, and
    /// how a renamed account or changed grants reach the desk. Without
    /// `component`, the appid must have authorized exactly one stored
    /// platform. A revoked authorizer is refused (`Revoked`): WeChat no
    /// longer answers for it until the merchant authorizes again.
    pub async fn authorizer_refresh_info(
        &self,
        appid: &str,
        component: Option<&str>,
    ) -> Result<AuthorizerView> {
        validate_appid("appid", appid)?;
        let row = self
            .store()
            .read(|c| self.resolve_authorizer(c, appid, component))?;
        if row.status == AuthorizerStatus::Revoked {
            return Err(Error::Revoked(appid.to_string()));
        }
        let component = row.component_appid.as_str();
        let client = self.client();
        let details = self
            .with_component_token(component, |tok| async move {
                client.authorizer_info(component, &tok, appid).await
            })
            .await?;
        let profile = Profile::of(&details);
        let now = self.now();
        self.store().write(|tx| {
            let current = authorizers::require(tx, component, appid)?;
            // No grants in the answer means WeChat left them out, not that
            // the merchant granted nothing: keep the stored ones.
            let func_info = if profile.func_info.is_empty() {
                current.func_info
            } else {
                profile.func_info
            };
            authorizers::set_info(
                tx,
                component,
                appid,
                profile.info.as_ref(),
                &profile.nick_name,
                profile.account_type,
                &func_info,
                now,
            )?;
            let row = authorizers::require(tx, component, appid)?;
            Ok(AuthorizerView::from_row(&row, true))
        })
    }

    /// The authorizer row of `appid`, under `component` or the only platform it authorized.
    pub(crate) fn resolve_authorizer(
        &self,
        conn: &Connection,
        appid: &str,
        component: Option<&str>,
    ) -> Result<AuthorizerRow> {
        if let Some(comp) = component {
            validate_appid("component", comp)?;
            return authorizers::require(conn, comp, appid);
        }
        let mut rows = authorizers::find_by_appid(conn, appid)?;
        match rows.len() {
            0 => Err(Error::not_found("authorizer", appid)),
            1 => Ok(rows.remove(0)),
            n => {
                let comps: Vec<&str> = rows.iter().map(|r| r.component_appid.as_str()).collect();
                Err(Error::invalid(
                    "component",
                    format!(
                        "{appid} has authorized {n} platforms ({}); pass --component to choose one",
                        comps.join(", ")
                    ),
                ))
            }
        }
    }
}
