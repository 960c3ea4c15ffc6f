//! Third-party platforms ("components"), their tickets and authorizations.
//!
//! Emulates the platform half of WeChat: `api_start_push_ticket`,
//! `api_component_token` (which only accepts a component_verify_ticket the
//! sandbox issued to that platform in the last 12 h), pre-auth codes,
//! single-use authorization codes (`api_query_auth`, 61009/61010), authorizer
//! tokens tied to the *current* refresh token (61023 after a
//! re-authorization), authorizer info and the paged authorizer list. The
//! authorization core ([`grant`]) is shared by the hooks, the consent pages
//! and fast registration, so every path creates authorizers the same way.

use serde::{Deserialize, Serialize};

use crate::error::SandboxError;
use crate::ids;
use crate::pushes::{self, Delivery};
use crate::state::{
    Account, AuthCodeRecord, AuthorizationRecord, Component, Profile, State as SandboxState,
    TicketRecord, AUTH_CODE_TTL,
};

// The HTTP endpoints live in `component_api`; `component::X` paths keep working.
pub(crate) use crate::component_api::*;

/// Permission sets granted when none are requested.
pub const DEFAULT_FUNC_IDS: [u32; 10] = [1, 2, 3, 17, 18, 25, 30, 31, 37, 40];

/// Mini program or official account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A mini program (小程序).
    #[default]
    MiniProgram,
    /// An official account (公众号).
    OfficialAccount,
}

impl AccountKind {
    /// Chinese and English label.
    pub(crate) fn label(self) -> &'static str {
        match self {
            AccountKind::MiniProgram => "小程序 Mini Program",
            AccountKind::OfficialAccount => "公众号 Official Account",
        }
    }
}

/// A third-party platform to register with the sandbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentSeed {
    /// The component appid.
    pub appid: String,
    /// The component appsecret.
    pub secret: String,
    /// The message-verification token used to sign pushes.
    pub token: String,
    /// The 43-character EncodingAESKey used to encrypt pushes.
    pub encoding_aes_key: String,
    /// Where pushes are POSTed; `None` records them without delivering.
    #[serde(default)]
    pub push_url: Option<String>,
    /// Display name on consent pages.
    #[serde(default)]
    pub name: Option<String>,
}

/// An authorization to create (what an admin would do on the consent page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeSeed {
    /// The platform being authorized.
    pub component_appid: String,
    /// The authorizing account; `None` creates a new one.
    #[serde(default)]
    pub authorizer_appid: Option<String>,
    /// Its kind (ignored when the account already exists).
    #[serde(default)]
    pub kind: AccountKind,
    /// Granted permission sets; empty = [`DEFAULT_FUNC_IDS`].
    #[serde(default)]
    pub func_ids: Vec<u32>,
}

/// The result of an authorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorization {
    /// The authorizer.
    pub authorizer_appid: String,
    /// A fresh authorization code (600 s, single use) for `api_query_auth`.
    pub auth_code: String,
    /// The authorizer's new current refresh token (older ones now answer 61023).
    pub refresh_token: String,
}

/// Registers (or updates) a plain app with its secret.
pub(crate) fn add_app(state: &mut SandboxState, appid: &str, secret: &str) {
    state
        .accounts
        .entry(appid.to_string())
        .and_modify(|a| a.secret = Some(secret.to_string()))
        .or_insert_with(|| Account::new(appid, Some(secret.to_string()), AccountKind::MiniProgram));
}

/// Registers (or updates, keeping authorizations) a platform.
pub(crate) fn add_component(state: &mut SandboxState, seed: ComponentSeed) {
    let name = seed
        .name
        .clone()
        .unwrap_or_else(|| format!("沙箱第三方平台 Sandbox Platform {}", tail(&seed.appid)));
    let push_url = seed.push_url.filter(|u| !u.trim().is_empty());
    match state.components.get_mut(&seed.appid) {
        Some(c) => {
            c.secret = seed.secret;
            c.token = seed.token;
            c.encoding_aes_key = seed.encoding_aes_key;
            c.push_url = push_url;
            c.name = name;
        }
        None => {
            state.components.insert(
                seed.appid.clone(),
                Component {
                    appid: seed.appid,
                    secret: seed.secret,
                    token: seed.token,
                    encoding_aes_key: seed.encoding_aes_key,
                    push_url,
                    name,
                    access_token: None,
                    authorizations: Default::default(),
                    quota_clears: Default::default(),
                },
            );
        }
    }
}

fn tail(s: &str) -> &str {
    s.get(s.len().saturating_sub(4)..).unwrap_or(s)
}

/// Issues a component_verify_ticket (valid 12 h; older ones stay valid).
pub(crate) fn issue_ticket(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
) -> Result<String, SandboxError> {
    if !state.components.contains_key(component_appid) {
        return Err(SandboxError::UnknownComponent(component_appid.to_string()));
    }
    let ticket = ids::verify_ticket();
    state.tickets.insert(
        ticket.clone(),
        TicketRecord {
            component_appid: component_appid.to_string(),
            issued_at: now,
        },
    );
    Ok(ticket)
}

/// Issues a ticket and records its push; returns the ticket, the push id and the delivery.
pub(crate) fn issue_ticket_push(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
) -> Result<(String, u64, Option<Delivery>), SandboxError> {
    let ticket = issue_ticket(state, now, component_appid)?;
    let id = state.pushes.len() as u64;
    let delivery = pushes::record(
        state,
        now,
        component_appid,
        "component_verify_ticket",
        &[("ComponentVerifyTicket", &ticket)],
    );
    Ok((ticket, id, delivery))
}

/// What [`grant`] needs.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub component_appid: String,
    pub authorizer_appid: Option<String>,
    pub kind: AccountKind,
    pub func_ids: Vec<u32>,
    /// Profile for a newly created account (defaults to a generated one).
    pub profile: Option<Profile>,
}

/// The outcome of [`grant`].
#[derive(Debug, Clone)]
pub(crate) struct Granted {
    pub authorization: Authorization,
    /// `authorized` or `updateauthorized`.
    pub info_type: &'static str,
    pub auth_code_expires_at: i64,
}

/// Checks that `appid` looks like an appid (`wx` + 16 hex digits).
pub(crate) fn valid_appid(appid: &str) -> bool {
    appid.len() == 18
        && appid.starts_with("wx")
        && appid[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Creates or renews an authorization: creates the account if needed,
/// rotates the refresh token, records the permission sets and issues an
/// authorization code. Does not push (callers decide).
pub(crate) fn grant(state: &mut SandboxState, now: i64, g: Grant) -> Result<Granted, SandboxError> {
    if !state.components.contains_key(&g.component_appid) {
        return Err(SandboxError::UnknownComponent(g.component_appid));
    }
    let appid = match g.authorizer_appid {
        Some(appid) => {
            let appid = appid.trim().to_string();
            if appid.is_empty() {
                return Err(SandboxError::invalid(
                    "authorizer_appid",
                    "must not be empty; omit it to create a new account",
                ));
            }
            if state.components.contains_key(&appid) {
                return Err(SandboxError::invalid(
                    "authorizer_appid",
                    format!(
                        "{appid} is a third-party platform, not a mini program or official account"
                    ),
                ));
            }
            appid
        }
        None => loop {
            let candidate = ids::appid();
            if !state.accounts.contains_key(&candidate) {
                break candidate;
            }
        },
    };
    if !state.accounts.contains_key(&appid) {
        let mut account = Account::new(&appid, None, g.kind);
        if let Some(profile) = g.profile {
            account.profile = profile;
        }
        state.accounts.insert(appid.clone(), account);
    }
    let func_ids = if g.func_ids.is_empty() {
        DEFAULT_FUNC_IDS.to_vec()
    } else {
        g.func_ids
    };
    let refresh_token = ids::refresh_token();
    let component = state
        .components
        .get_mut(&g.component_appid)
        .ok_or_else(|| SandboxError::UnknownComponent(g.component_appid.clone()))?;
    let info_type = match component.authorizations.get_mut(&appid) {
        Some(existing) if !existing.revoked => {
            existing.refresh_token = refresh_token.clone();
            existing.func_ids = func_ids;
            "updateauthorized"
        }
        Some(revoked) => {
            revoked.revoked = false;
            revoked.refresh_token = refresh_token.clone();
            revoked.func_ids = func_ids;
            revoked.auth_time = now;
            revoked.access_token = None;
            "authorized"
        }
        None => {
            component.authorizations.insert(
                appid.clone(),
                AuthorizationRecord {
                    authorizer_appid: appid.clone(),
                    refresh_token: refresh_token.clone(),
                    func_ids,
                    auth_time: now,
                    revoked: false,
                    access_token: None,
                },
            );
            "authorized"
        }
    };
    let auth_code = ids::auth_code();
    state.auth_codes.insert(
        auth_code.clone(),
        AuthCodeRecord {
            component_appid: g.component_appid.clone(),
            authorizer_appid: appid.clone(),
            issued_at: now,
            used: false,
        },
    );
    state.prune(now);
    Ok(Granted {
        authorization: Authorization {
            authorizer_appid: appid,
            auth_code,
            refresh_token,
        },
        info_type,
        auth_code_expires_at: now + AUTH_CODE_TTL,
    })
}

/// Records the `authorized` / `updateauthorized` push of a grant.
pub(crate) fn record_grant_push(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
    granted: &Granted,
    pre_auth_code: Option<&str>,
) -> Option<Delivery> {
    let expires = granted.auth_code_expires_at.to_string();
    let a = &granted.authorization;
    let mut fields: Vec<(&str, &str)> = vec![
        ("AuthorizerAppid", &a.authorizer_appid),
        ("AuthorizationCode", &a.auth_code),
        ("AuthorizationCodeExpiredTime", &expires),
    ];
    if let Some(pre) = pre_auth_code {
        fields.push(("PreAuthCode", pre));
    }
    pushes::record(state, now, component_appid, granted.info_type, &fields)
}

/// Authorizes and records the push (the hook path).
pub(crate) fn authorize(
    state: &mut SandboxState,
    now: i64,
    seed: AuthorizeSeed,
) -> Result<(Authorization, Option<Delivery>), SandboxError> {
    let component_appid = seed.component_appid.clone();
    let granted = grant(
        state,
        now,
        Grant {
            component_appid: seed.component_appid,
            authorizer_appid: seed.authorizer_appid,
            kind: seed.kind,
            func_ids: seed.func_ids,
            profile: None,
        },
    )?;
    let delivery = record_grant_push(state, now, &component_appid, &granted, None);
    Ok((granted.authorization, delivery))
}

/// Creates `count` authorized mini programs at once, without codes or pushes.
pub(crate) fn seed_authorizers(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
    count: usize,
) -> Result<Vec<String>, SandboxError> {
    if !state.components.contains_key(component_appid) {
        return Err(SandboxError::UnknownComponent(component_appid.to_string()));
    }
    let mut created = Vec::with_capacity(count);
    let mut records = Vec::with_capacity(count);
    while created.len() < count {
        let appid = ids::appid();
        if state.accounts.contains_key(&appid) {
            continue;
        }
        state.accounts.insert(
            appid.clone(),
            Account::new(&appid, None, AccountKind::MiniProgram),
        );
        records.push(AuthorizationRecord {
            authorizer_appid: appid.clone(),
            refresh_token: ids::refresh_token(),
            func_ids: DEFAULT_FUNC_IDS.to_vec(),
            auth_time: now,
            revoked: false,
            access_token: None,
        });
        created.push(appid);
    }
    if let Some(component) = state.components.get_mut(component_appid) {
        for record in records {
            component
                .authorizations
                .insert(record.authorizer_appid.clone(), record);
        }
    }
    Ok(created)
}

/// Revokes an authorization (its tokens die) and records the `unauthorized` push.
pub(crate) fn unauthorize(
    state: &mut SandboxState,
    now: i64,
    component_appid: &str,
    authorizer_appid: &str,
) -> Result<Option<Delivery>, SandboxError> {
    let component = state
        .components
        .get_mut(component_appid)
        .ok_or_else(|| SandboxError::UnknownComponent(component_appid.to_string()))?;
    let record = component
        .authorizations
        .get_mut(authorizer_appid)
        .filter(|a| !a.revoked)
        .ok_or_else(|| SandboxError::NotAuthorized {
            component_appid: component_appid.to_string(),
            authorizer_appid: authorizer_appid.to_string(),
        })?;
    record.revoked = true;
    let token = record.access_token.take();
    if let Some(token) = token {
        state.retire_token(&token, now);
    }
    Ok(pushes::record(
        state,
        now,
        component_appid,
        "unauthorized",
        &[("AuthorizerAppid", authorizer_appid)],
    ))
}
