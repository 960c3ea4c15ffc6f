//! Mini-program login: exchanging a `wx.login` code for a session.
//!
//! Two endpoints do this: `sns/jscode2session` for a mini program using its
//! own AppSecret, and `sns/component/jscode2session` for a mini program that
//! has authorized a third-party platform, which signs in with the platform's
//! token instead. The `js_code` is single-use, so neither is ever retried once
//! the request may have reached WeChat.

use serde::{Deserialize, Serialize};

use super::{require, require_appid};
use crate::client::{Call, Client};
use crate::error::Result;

/// Input of `sns/jscode2session`.
pub struct CodeToSessionRequest<'a> {
    /// The mini program's AppID.
    pub appid: &'a str,
    /// Its AppSecret.
    pub secret: &'a str,
    /// The code from `wx.login()` (valid 5 minutes, single use).
    pub js_code: &'a str,
}

/// Input of `sns/component/jscode2session`.
pub struct ComponentCodeToSessionRequest<'a> {
    /// The authorizer mini program's AppID.
    pub appid: &'a str,
    /// The code from `wx.login()`.
    pub js_code: &'a str,
    /// The third-party platform's AppID.
    pub component_appid: &'a str,
    /// A valid component_access_token.
    pub component_access_token: &'a str,
}

/// A login session as WeChat returns it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The user's id within this mini program.
    pub openid: String,
    /// The session key (base64 of 16 bytes); needed to decrypt open data. Secret.
    pub session_key: String,
    /// The user's UnionID, when the app is bound to an Open Platform account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
}

impl Client {
    /// `GET sns/jscode2session`: exchanges a `wx.login` code for openid and session_key.
    pub async fn code_to_session(&self, req: &CodeToSessionRequest<'_>) -> Result<Session> {
        require_appid("appid", req.appid)?;
        require("secret", req.secret)?;
        require("js_code", req.js_code)?;
        let call = Call::get("sns/jscode2session")
            .query("appid", req.appid)
            .query("secret", req.secret)
            .query("js_code", req.js_code)
            .query("grant_type", "authorization_code")
            .single_use()
            .account(req.appid);
        self.execute(call).await
    }

    /// `GET sns/component/jscode2session`: the same exchange for an authorizer
    /// mini program, signed by the third-party platform.
    pub async fn component_code_to_session(
        &self,
        req: &ComponentCodeToSessionRequest<'_>,
    ) -> Result<Session> {
        require_appid("appid", req.appid)?;
        require("js_code", req.js_code)?;
        require_appid("component_appid", req.component_appid)?;
        require("component_access_token", req.component_access_token)?;
        let call = Call::get("sns/component/jscode2session")
            .query("appid", req.appid)
            .query("js_code", req.js_code)
            .query("grant_type", "authorization_code")
            .query("component_appid", req.component_appid)
            .query("component_access_token", req.component_access_token)
            .single_use()
            .account(req.appid);
        self.execute(call).await
    }
}
