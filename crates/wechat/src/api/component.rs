//! Third-party platform ("component") calls.
//!
//! The onboarding chain is ticket → `component_access_token` →
//! `pre_auth_code` → merchant consent → `auth_code` → `api_query_auth` →
//! stored refresh token → `authorizer_access_token`. Each step is one method
//! here. The token query parameter is sent as `component_access_token`, the
//! spelling every major SDK has used for years; WeChat also accepts
//! `access_token`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{require, require_appid, FuncInfo};
use crate::client::{Call, Client};
use crate::error::{Error, Result};

/// Largest page `api_get_authorizer_list` accepts.
pub const MAX_AUTHORIZER_PAGE: u32 = 500;

/// Largest `total_count` of `api_get_authorizer_list` believed: paging stops
/// here (at most 200 pages of 500), so an upstream answering an absurd or
/// inconsistent count cannot make a sync page forever.
pub const MAX_AUTHORIZER_TOTAL: i64 = 100_000;

/// A component_access_token and its lifetime.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentToken {
    /// The token. Secret.
    pub component_access_token: String,
    /// Seconds until it expires.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub expires_in: i64,
}

/// A pre-authorization code for building one authorization link.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreAuthCode {
    /// The code. Single use in practice: fetch a fresh one per link.
    pub pre_auth_code: String,
    /// Seconds until it expires (WeChat documents 1800 but returns 600; trust this value).
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub expires_in: i64,
}

/// What `api_query_auth` returns about a new authorization.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationInfo {
    /// The merchant account that authorized.
    pub authorizer_appid: String,
    /// An authorizer token, when the account has API permissions. Secret.
    #[serde(default)]
    pub authorizer_access_token: Option<String>,
    /// Lifetime of that token.
    #[serde(default, deserialize_with = "crate::lenient::opt_i64_lenient")]
    pub expires_in: Option<i64>,
    /// The refresh token: store it; losing it means the merchant must authorize again. Secret.
    #[serde(default)]
    pub authorizer_refresh_token: Option<String>,
    /// The permission sets actually granted.
    #[serde(default)]
    pub func_info: Vec<FuncInfo>,
}

#[derive(Deserialize)]
struct QueryAuthResponse {
    authorization_info: AuthorizationInfo,
}

/// A refreshed authorizer token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizerToken {
    /// The token. Secret.
    pub authorizer_access_token: String,
    /// Seconds until it expires.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub expires_in: i64,
    /// The refresh token WeChat returned (normally the one sent). Always store it. Secret.
    #[serde(default)]
    pub authorizer_refresh_token: Option<String>,
}

/// Profile of an authorizer account, as `api_get_authorizer_info` returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizerInfo {
    /// Display name.
    #[serde(default)]
    pub nick_name: String,
    /// Avatar URL.
    #[serde(default)]
    pub head_img: String,
    /// Original id (`gh_…`).
    #[serde(default)]
    pub user_name: String,
    /// Registered entity.
    #[serde(default)]
    pub principal_name: String,
    /// Official Account WeChat id (may be empty).
    #[serde(default)]
    pub alias: String,
    /// QR code image URL.
    #[serde(default)]
    pub qrcode_url: String,
    /// Account intro.
    #[serde(default)]
    pub signature: String,
    /// Service type (`{"id": n}`).
    #[serde(default)]
    pub service_type_info: Option<Value>,
    /// Verification type (`{"id": n}`; -1 unverified).
    #[serde(default)]
    pub verify_type_info: Option<Value>,
    /// Present only for mini programs.
    #[serde(
        rename = "MiniProgramInfo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub mini_program_info: Option<Value>,
    /// How the account was registered (0 normal, 2 reuse-OA, 16 personal API, …).
    #[serde(default, deserialize_with = "crate::lenient::opt_i64_lenient")]
    pub register_type: Option<i64>,
    /// 1 normal, 14 cancelled, 16 banned, 18 warned, 19 frozen.
    #[serde(default, deserialize_with = "crate::lenient::opt_i64_lenient")]
    pub account_status: Option<i64>,
    /// Every other field, kept as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl AuthorizerInfo {
    /// True for mini programs (WeChat only sends `MiniProgramInfo` for them).
    pub fn is_mini_program(&self) -> bool {
        self.mini_program_info.is_some()
    }

    /// The service type id, when present.
    pub fn service_type(&self) -> Option<i64> {
        self.service_type_info.as_ref()?.get("id")?.as_i64()
    }
}

/// The authorization part of `api_get_authorizer_info`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizationSummary {
    /// The authorizer.
    pub authorizer_appid: String,
    /// Permission sets granted.
    #[serde(default)]
    pub func_info: Vec<FuncInfo>,
    /// Echoed by older API versions. Secret.
    #[serde(default, skip_serializing)]
    pub authorizer_refresh_token: Option<String>,
}

/// Full answer of `api_get_authorizer_info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthorizerDetails {
    /// The account's profile.
    pub authorizer_info: AuthorizerInfo,
    /// What it granted.
    pub authorization_info: AuthorizationSummary,
}

/// One row of `api_get_authorizer_list`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizerListItem {
    /// The authorizer.
    pub authorizer_appid: String,
    /// Its current refresh token. Secret.
    pub refresh_token: String,
    /// When it authorized (Unix seconds).
    #[serde(default, deserialize_with = "crate::lenient::i64_lenient")]
    pub auth_time: i64,
}

/// A page of `api_get_authorizer_list`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizerList {
    /// How many authorizers exist in total.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub total_count: i64,
    /// This page.
    #[serde(default)]
    pub list: Vec<AuthorizerListItem>,
}

impl AuthorizerList {
    /// `total_count` as a row count, refused when negative or over
    /// [`MAX_AUTHORIZER_TOTAL`] (a broken or hostile upstream).
    pub fn checked_total(&self) -> Result<usize> {
        if !(0..=MAX_AUTHORIZER_TOTAL).contains(&self.total_count) {
            return Err(Error::Decode {
                endpoint: "cgi-bin/component/api_get_authorizer_list".into(),
                reason: format!(
                    "total_count {} is outside 0..={MAX_AUTHORIZER_TOTAL}; paging stopped before it began and nothing was changed",
                    self.total_count
                ),
                body: String::new(),
            });
        }
        usize::try_from(self.total_count).map_err(|_| Error::Decode {
            endpoint: "cgi-bin/component/api_get_authorizer_list".into(),
            reason: format!("total_count {} is not a row count", self.total_count),
            body: String::new(),
        })
    }
}

fn component_call(endpoint: &'static str, token: &str, body: Value) -> Result<Call> {
    require("component_access_token", token)?;
    Ok(Call::post(endpoint, &body)?.query("component_access_token", token))
}

impl Client {
    /// `POST cgi-bin/component/api_start_push_ticket`: asks WeChat to (re)start
    /// pushing `component_verify_ticket`. Returns WeChat's errmsg (`ok`, or
    /// `in a normal state` when pushes were already running).
    pub async fn start_push_ticket(
        &self,
        component_appid: &str,
        component_secret: &str,
    ) -> Result<String> {
        require_appid("component_appid", component_appid)?;
        require("component_secret", component_secret)?;
        let call = Call::post(
            "cgi-bin/component/api_start_push_ticket",
            &serde_json::json!({ "component_appid": component_appid, "component_secret": component_secret }),
        )?
        .account(component_appid);
        let v = self.execute_value(&call).await?;
        Ok(crate::lenient::errmsg_of(&v))
    }

    /// `POST cgi-bin/component/api_component_token`: the platform token, from the newest ticket.
    pub async fn component_token(
        &self,
        component_appid: &str,
        component_appsecret: &str,
        ticket: &str,
    ) -> Result<ComponentToken> {
        require_appid("component_appid", component_appid)?;
        require("component_appsecret", component_appsecret)?;
        require("component_verify_ticket", ticket)?;
        let call = Call::post(
            "cgi-bin/component/api_component_token",
            &serde_json::json!({
                "component_appid": component_appid,
                "component_appsecret": component_appsecret,
                "component_verify_ticket": ticket,
            }),
        )?
        .account(component_appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/component/api_create_preauthcode`: a fresh pre_auth_code for one link.
    pub async fn create_pre_auth_code(
        &self,
        component_appid: &str,
        component_access_token: &str,
    ) -> Result<PreAuthCode> {
        require_appid("component_appid", component_appid)?;
        let call = component_call(
            "cgi-bin/component/api_create_preauthcode",
            component_access_token,
            serde_json::json!({ "component_appid": component_appid }),
        )?
        .account(component_appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/component/api_query_auth`: exchanges the single-use
    /// authorization code for the authorizer's tokens and granted permissions.
    pub async fn query_auth(
        &self,
        component_appid: &str,
        component_access_token: &str,
        authorization_code: &str,
    ) -> Result<AuthorizationInfo> {
        require_appid("component_appid", component_appid)?;
        require("auth_code", authorization_code)?;
        let call = component_call(
            "cgi-bin/component/api_query_auth",
            component_access_token,
            serde_json::json!({ "component_appid": component_appid, "authorization_code": authorization_code }),
        )?
        .single_use()
        .account(component_appid);
        let r: QueryAuthResponse = self.execute(call).await?;
        Ok(r.authorization_info)
    }

    /// `POST cgi-bin/component/api_authorizer_token`: a fresh authorizer token from the refresh token.
    pub async fn authorizer_token(
        &self,
        component_appid: &str,
        component_access_token: &str,
        authorizer_appid: &str,
        refresh_token: &str,
    ) -> Result<AuthorizerToken> {
        require_appid("component_appid", component_appid)?;
        require_appid("authorizer_appid", authorizer_appid)?;
        require("authorizer_refresh_token", refresh_token)?;
        let call = component_call(
            "cgi-bin/component/api_authorizer_token",
            component_access_token,
            serde_json::json!({
                "component_appid": component_appid,
                "authorizer_appid": authorizer_appid,
                "authorizer_refresh_token": refresh_token,
            }),
        )?
        .account(authorizer_appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/component/api_get_authorizer_info`: the authorizer's profile and grants.
    pub async fn authorizer_info(
        &self,
        component_appid: &str,
        component_access_token: &str,
        authorizer_appid: &str,
    ) -> Result<AuthorizerDetails> {
        require_appid("component_appid", component_appid)?;
        require_appid("authorizer_appid", authorizer_appid)?;
        let call = component_call(
            "cgi-bin/component/api_get_authorizer_info",
            component_access_token,
            serde_json::json!({ "component_appid": component_appid, "authorizer_appid": authorizer_appid }),
        )?
        .account(authorizer_appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/component/api_get_authorizer_list`: one page (at most 500) of authorizers.
    pub async fn authorizer_list(
        &self,
        component_appid: &str,
        component_access_token: &str,
        offset: u32,
        count: u32,
    ) -> Result<AuthorizerList> {
        require_appid("component_appid", component_appid)?;
        if count == 0 || count > MAX_AUTHORIZER_PAGE {
            return Err(Error::invalid(
                "count",
                format!("count must be between 1 and {MAX_AUTHORIZER_PAGE} (WeChat answers 40170 above that); page with offset instead"),
            ));
        }
        let call = component_call(
            "cgi-bin/component/api_get_authorizer_list",
            component_access_token,
            serde_json::json!({ "component_appid": component_appid, "offset": offset, "count": count }),
        )?
        .account(component_appid);
        let page: AuthorizerList = self.execute(call).await?;
        if page.list.len() > count as usize {
            return Err(Error::Decode {
                endpoint: "cgi-bin/component/api_get_authorizer_list".into(),
                reason: format!("asked for {count} rows, the page holds {}", page.list.len()),
                body: String::new(),
            });
        }
        Ok(page)
    }
}
