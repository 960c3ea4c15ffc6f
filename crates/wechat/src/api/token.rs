//! Mini-program access tokens and the login-state check.
//!
//! WeChat has two token endpoints with very different blast radii.
//! `cgi-bin/token` mints a new token on every call and retires the previous one
//! after about five minutes, so calling it from a desktop tool kicks the
//! token the operator's production server holds. `cgi-bin/stable_token` in
//! normal mode returns the current token unchanged, which is why the desk
//! uses it by default; its force mode rotates immediately and is rationed
//! (20 a day, 30 s apart). Both live here, named for what they do.

use serde::{Deserialize, Serialize};

use super::{require, require_appid};
use crate::client::{Call, Client};
use crate::crypto::signature::checksession_signature;
use crate::error::Result;

/// An access token and its lifetime.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessToken {
    /// The token. Secret.
    pub access_token: String,
    /// Seconds until it expires, counted from the response.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub expires_in: i64,
}

#[derive(Serialize)]
struct StableTokenBody<'a> {
    grant_type: &'static str,
    appid: &'a str,
    secret: &'a str,
    force_refresh: bool,
}

impl Client {
    /// `GET cgi-bin/token` (legacy): mints a NEW token and retires the previous
    /// one after a grace period. Only for operators who explicitly choose it.
    pub async fn legacy_access_token(&self, appid: &str, secret: &str) -> Result<AccessToken> {
        require_appid("appid", appid)?;
        require("secret", secret)?;
        let call = Call::get("cgi-bin/token")
            .query("grant_type", "client_credential")
            .query("appid", appid)
            .query("secret", secret)
            .account(appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/stable_token`. With `force_refresh = false` the current
    /// token is returned unchanged; with `true` it is rotated at once (rationed
    /// by WeChat to 20 a day, 30 s apart), so a forced request is never repeated.
    pub async fn stable_access_token(
        &self,
        appid: &str,
        secret: &str,
        force_refresh: bool,
    ) -> Result<AccessToken> {
        require_appid("appid", appid)?;
        require("secret", secret)?;
        let body = StableTokenBody {
            grant_type: "client_credential",
            appid,
            secret,
            force_refresh,
        };
        let mut call = Call::post("cgi-bin/stable_token", &body)?.account(appid);
        if force_refresh {
            call = call.single_use();
        }
        self.execute(call).await
    }

    /// `GET wxa/checksession`: asks whether `session_key` is still the user's
    /// current key. `Ok(())` means valid; errcode 87009 means it was rotated.
    pub async fn check_session(
        &self,
        appid: &str,
        access_token: &str,
        openid: &str,
        session_key: &str,
    ) -> Result<()> {
        require("access_token", access_token)?;
        require("openid", openid)?;
        require("session_key", session_key)?;
        let call = Call::get("wxa/checksession")
            .query("access_token", access_token)
            .query("signature", checksession_signature(session_key))
            .query("openid", openid)
            .query("sig_method", "hmac_sha256")
            .account(appid);
        self.execute_value(&call).await.map(|_| ())
    }
}
