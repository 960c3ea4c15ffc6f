//! Mini-program login, phone numbers, session checks and open-data decryption.
//!
//! These are the calls a mini program's back end makes for its users, run
//! from the desk when an operator debugs one: exchange a `wx.login` code for
//! a session (with the app's own secret, or — for a mini program that
//! authorized a platform — with the platform's token), exchange a phone code,
//! ask whether a stored session_key is still current, and decrypt
//! `encryptedData` with it. The desk picks the route from what it knows
//! about the appid, stores the session (sealed session_key, one row per
//! user) and shows the key masked unless asked to reveal it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wxdesk_wechat::api::login::{CodeToSessionRequest, ComponentCodeToSessionRequest};
use wxdesk_wechat::crypto::open_data::decrypt_open_data;
use wxdesk_wechat::links::validate_appid;
use wxdesk_wechat::redact::mask;

use crate::error::{Error, Result};
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::store::sessions::{self, SessionRow, SESSION_KEY};
use crate::store::{apps, components};
use crate::Desk;

/// errcode of `wxa/checksession` when the session_key is no longer current.
const INVALID_SIGNATURE: i64 = 87009;

/// A login as shown.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LoginView {
    /// The mini program.
    pub appid: String,
    /// The user's openid.
    pub openid: String,
    /// The user's UnionID, when WeChat sent one.
    pub unionid: Option<String>,
    /// The session_key: masked, unless the login was asked to reveal it.
    pub session_key: String,
    /// Whether `session_key` is the real value.
    pub revealed: bool,
    /// The platform whose token was used, for the component route.
    pub via_component: Option<String>,
    /// When the session was stored.
    pub created_at: i64,
}

/// A stored session as listed (key always masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SessionView {
    /// The mini program.
    pub appid: String,
    /// The user's openid.
    pub openid: String,
    /// The user's UnionID.
    pub unionid: Option<String>,
    /// The session_key, masked.
    pub session_key_masked: String,
    /// The platform whose token was used, if any.
    pub via_component: Option<String>,
    /// When the login happened.
    pub created_at: i64,
}

/// A phone number exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PhoneView {
    /// The mini program.
    pub appid: String,
    /// With country code for non-mainland numbers.
    pub phone_number: String,
    /// Without country code.
    pub pure_phone_number: String,
    /// Country code.
    pub country_code: String,
    /// `watermark.appid`.
    pub watermark_appid: String,
    /// `watermark.timestamp`.
    pub watermark_timestamp: i64,
    /// Whether the watermark names this mini program.
    pub watermark_ok: bool,
}

/// Whether a stored session is still current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct CheckSessionView {
    /// The mini program.
    pub appid: String,
    /// The user.
    pub openid: String,
    /// False when WeChat answered 87009 (a newer login replaced the key).
    pub valid: bool,
    /// When the stored session was created.
    pub session_created_at: i64,
}

/// A repair made to pasted input before decrypting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RepairView {
    /// Which input (`iv`, `encrypted_data`, …).
    pub field: String,
    /// What was done.
    pub what: String,
}

/// Decrypted open data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct DecryptView {
    /// The mini program.
    pub appid: String,
    /// The user whose session key was used.
    pub openid: String,
    /// The decrypted JSON.
    pub json: Value,
    /// Repairs made to the pasted inputs.
    pub repairs: Vec<RepairView>,
    /// `watermark.appid`.
    pub watermark_appid: Option<String>,
    /// `watermark.timestamp`.
    pub watermark_timestamp: Option<i64>,
    /// Whether the watermark names this mini program (if not, the data was made for another app).
    pub watermark_ok: bool,
}

/// How a login is performed.
enum Route {
    Direct { secret: zeroize::Zeroizing<String> },
    Component { component: String },
}

fn require_code(field: &str, code: &str) -> Result<String> {
    let c = code.trim();
    if c.is_empty() {
        return Err(Error::invalid(field, format!("{field} is empty; pass the code the mini program received (valid 5 minutes, single use)")));
    }
    if let Some(bad) = c.chars().find(|ch| !ch.is_ascii_graphic()) {
        return Err(Error::invalid(field, format!("{field} contains {bad:?}, which a WeChat code never has; pass the code exactly as the mini program received it")));
    }
    Ok(c.to_string())
}

impl Desk {
    fn login_route(&self, appid: &str, component: Option<&str>) -> Result<Route> {
        self.store().read(|c| {
            if let Some(comp) = component {
                validate_appid("component", comp)?;
                components::require(c, comp)?;
                return Ok(Route::Component { component: comp.to_string() });
            }
            let app = apps::get(c, appid)?;
            if let Some(app) = &app {
                if let Some(secret) = &app.secret {
                    return Ok(Route::Direct { secret: self.open_secret(apps::SECRET, secret)? });
                }
            }
            let active: Vec<_> = authorizers::find_by_appid(c, appid)?
                .into_iter()
                .filter(|r| r.status == AuthorizerStatus::Active)
                .collect();
            match active.len() {
                1 => Ok(Route::Component { component: active[0].component_appid.clone() }),
                0 if app.is_some() => Err(Error::invalid(
                    "appid",
                    format!("{appid} has no stored AppSecret; set it with `wxdesk app update {appid} --secret`, or pass --component if it authorized a platform"),
                )),
                0 => Err(Error::invalid(
                    "appid",
                    format!("{appid} is neither a stored app nor an active authorizer; add it with `wxdesk app add --appid {appid} --secret SECRET` or authorize it to a platform"),
                )),
                _ => {
                    let comps: Vec<&str> = active.iter().map(|r| r.component_appid.as_str()).collect();
                    Err(Error::invalid(
                        "component",
                        format!("{appid} has authorized {} platforms ({}); pass --component to choose one", comps.len(), comps.join(", ")),
                    ))
                }
            }
        })
    }

    /// Exchanges a `wx.login` code for a session and stores it. A stored app
    /// with its secret logs in directly (`sns/jscode2session`); an authorizer
    /// (or any appid when `component` is given) through the platform
    /// (`sns/component/jscode2session`). The session_key is masked unless `reveal`.
    pub async fn login(
        &self,
        appid: &str,
        code: &str,
        component: Option<&str>,
        reveal: bool,
    ) -> Result<LoginView> {
        validate_appid("appid", appid)?;
        let code = require_code("code", code)?;
        let route = self.login_route(appid, component)?;
        let (session, via) = match route {
            Route::Direct { secret } => {
                let s = self
                    .client()
                    .code_to_session(&CodeToSessionRequest {
                        appid,
                        secret: &secret,
                        js_code: &code,
                    })
                    .await?;
                (s, None)
            }
            Route::Component { component } => {
                let client = self.client();
                let comp = component.as_str();
                let code = code.as_str();
                let s = self
                    .with_component_token(comp, |tok| async move {
                        client
                            .component_code_to_session(&ComponentCodeToSessionRequest {
                                appid,
                                js_code: code,
                                component_appid: comp,
                                component_access_token: &tok,
                            })
                            .await
                    })
                    .await?;
                (s, Some(component))
            }
        };
        let sealed = self.vault().seal(SESSION_KEY, &session.session_key)?;
        let created_at = self.now();
        let row = SessionRow {
            appid: appid.to_string(),
            openid: session.openid.clone(),
            unionid: session.unionid.clone().filter(|u| !u.is_empty()),
            session_key: sealed,
            via_component: via.clone(),
            created_at,
        };
        self.store().write(|tx| sessions::upsert(tx, &row))?;
        Ok(LoginView {
            appid: appid.to_string(),
            openid: session.openid,
            unionid: row.unionid,
            session_key: if reveal {
                session.session_key.clone()
            } else {
                mask(&session.session_key)
            },
            revealed: reveal,
            via_component: via,
            created_at,
        })
    }

    /// Exchanges a getPhoneNumber code (`wxa/business/getuserphonenumber`)
    /// with the app's own token, or the authorizer token for an authorizer.
    pub async fn phone(&self, appid: &str, code: &str) -> Result<PhoneView> {
        self.phone_via(appid, code, None).await
    }

    /// [`Desk::phone`] with the credential chosen: `component` exchanges the
    /// code with that platform's authorizer token (see [`Desk::with_token_via`]).
    pub async fn phone_via(
        &self,
        appid: &str,
        code: &str,
        component: Option<&str>,
    ) -> Result<PhoneView> {
        validate_appid("appid", appid)?;
        let code = require_code("code", code)?;
        let client = self.client();
        let code_ref = code.as_str();
        let info = self
            .with_token_via(appid, component, |tok| async move {
                client.phone_number(appid, &tok, code_ref).await
            })
            .await?;
        Ok(PhoneView {
            appid: appid.to_string(),
            watermark_ok: info.watermark.appid == appid,
            phone_number: info.phone_number,
            pure_phone_number: info.pure_phone_number,
            country_code: info.country_code,
            watermark_appid: info.watermark.appid,
            watermark_timestamp: info.watermark.timestamp,
        })
    }

    fn session_key_of(
        &self,
        appid: &str,
        openid: &str,
    ) -> Result<(SessionRow, zeroize::Zeroizing<String>)> {
        validate_appid("appid", appid)?;
        if openid.trim().is_empty() {
            return Err(Error::invalid(
                "openid",
                "is empty; pass the user's openid (see `wxdesk login sessions`)",
            ));
        }
        let row = self
            .store()
            .read(|c| sessions::require(c, appid, openid.trim()))?;
        let key = self.open_secret(SESSION_KEY, &row.session_key)?;
        Ok((row, key))
    }

    /// Asks WeChat whether the stored session_key of a user is still current
    /// (`wxa/checksession`). A replaced key is `valid: false`, not an error.
    pub async fn checksession(&self, appid: &str, openid: &str) -> Result<CheckSessionView> {
        self.checksession_via(appid, openid, None).await
    }

    /// [`Desk::checksession`] with the credential chosen (see [`Desk::with_token_via`]).
    pub async fn checksession_via(
        &self,
        appid: &str,
        openid: &str,
        component: Option<&str>,
    ) -> Result<CheckSessionView> {
        let (row, key) = self.session_key_of(appid, openid)?;
        let client = self.client();
        let openid = row.openid.as_str();
        let key_ref: &str = &key;
        let outcome = self
            .with_token_via(appid, component, |tok| async move {
                client.check_session(appid, &tok, openid, key_ref).await
            })
            .await;
        let valid = match outcome {
            Ok(()) => true,
            Err(e) if e.errcode() == Some(INVALID_SIGNATURE) => false,
            Err(e) => return Err(e),
        };
        Ok(CheckSessionView {
            appid: appid.to_string(),
            openid: row.openid.clone(),
            valid,
            session_created_at: row.created_at,
        })
    }

    /// Decrypts a user's `encryptedData` with the stored session_key and
    /// reports whether its watermark names this mini program.
    pub fn decrypt_data(
        &self,
        appid: &str,
        openid: &str,
        iv: &str,
        encrypted_data: &str,
    ) -> Result<DecryptView> {
        let (row, key) = self.session_key_of(appid, openid)?;
        let out = decrypt_open_data(&key, iv, encrypted_data, None)
            .map_err(wxdesk_wechat::Error::from)?;
        Ok(DecryptView {
            appid: appid.to_string(),
            openid: row.openid,
            watermark_ok: out.watermark_appid.as_deref() == Some(appid),
            json: out.json,
            repairs: out
                .repairs
                .into_iter()
                .map(|r| RepairView {
                    field: r.field.to_string(),
                    what: r.what,
                })
                .collect(),
            watermark_appid: out.watermark_appid,
            watermark_timestamp: out.watermark_timestamp,
        })
    }

    /// Stored sessions of one app (or all), newest first, keys masked.
    pub fn sessions(&self, appid: Option<&str>) -> Result<Vec<SessionView>> {
        if let Some(a) = appid {
            validate_appid("appid", a)?;
        }
        let rows = self.store().read(|c| sessions::list(c, appid))?;
        rows.into_iter()
            .map(|r| {
                let key = self.open_secret(SESSION_KEY, &r.session_key)?;
                Ok(SessionView {
                    session_key_masked: mask(&key),
                    appid: r.appid,
                    openid: r.openid,
                    unionid: r.unionid,
                    via_component: r.via_component,
                    created_at: r.created_at,
                })
            })
            .collect()
    }
}
