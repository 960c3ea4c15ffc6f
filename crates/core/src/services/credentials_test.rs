//! "Test these credentials": one harmless call that tells an operator,
//! before saving, whether WeChat accepts an AppID and AppSecret.
//!
//! A typo in a 32-character secret, or an egress IP missing from the
//! whitelist, otherwise shows up only at the first real call. For a mini
//! program the test is one `stable_token` call WITHOUT `force_refresh`: it
//! returns the current token unchanged, so it never invalidates the token a
//! production server is using. For a third-party platform the only call that
//! checks the AppSecret is `api_component_token`, which needs a
//! `component_verify_ticket`; WeChat pushes one only to a platform it knows,
//! so before the first ticket arrives the answer is that the secret can be
//! checked only then. Nothing is stored, and the token never leaves this
//! module: the result says only that it worked and how long the token lives.
//! A rejection is the usual error, with the catalogue's fix (40125 invalid
//! AppSecret, 40164 / 61004 the caller's IP is not whitelisted, …).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::Result;
use crate::services::apps::{check_appid, check_secret, APP_SECRET_SOURCE};
use crate::services::components::COMPONENT_SECRET_SOURCE;
use crate::store::{tickets, token_rows};
use crate::team::bindings::Kind as TeamKind;
use crate::token_types::TokenKind;

/// What a credentials test found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CredentialsOutcome {
    /// WeChat accepted the AppID and AppSecret.
    Ok,
    /// A platform's AppSecret can be checked only with a ticket, and none is
    /// known yet.
    NeedsTicket,
    /// The platform is in use (this desk holds its current token, or it is
    /// bound to a team store): minting a token to test a secret could
    /// replace the one a production server holds, so nothing was called.
    InUse,
}

/// The result of a credentials test (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CredentialsTestView {
    /// The AppID tested.
    pub appid: String,
    /// What the test found.
    pub outcome: CredentialsOutcome,
    /// The endpoint called (none when nothing was called).
    pub endpoint: Option<String>,
    /// Seconds the token WeChat issued still lives (when it worked).
    pub expires_in: Option<i64>,
    /// What this means, in English.
    pub message: String,
    /// What this means, in Chinese.
    pub message_zh: String,
}

impl CredentialsTestView {
    /// A test that called nothing, and why.
    fn not_checked(
        appid: &str,
        outcome: CredentialsOutcome,
        message: &str,
        message_zh: &str,
    ) -> Self {
        CredentialsTestView {
            appid: appid.to_string(),
            outcome,
            endpoint: None,
            expires_in: None,
            message: message.into(),
            message_zh: message_zh.into(),
        }
    }

    /// WeChat accepted the credentials at `endpoint` and issued a token
    /// living `expires_in` seconds.
    fn accepted(
        appid: &str,
        endpoint: &str,
        expires_in: i64,
        message: &str,
        message_zh: &str,
    ) -> Self {
        CredentialsTestView {
            endpoint: Some(endpoint.into()),
            expires_in: Some(expires_in),
            ..Self::not_checked(appid, CredentialsOutcome::Ok, message, message_zh)
        }
    }
}

/// The trimmed AppID and the AppSecret to test, each checked for its shape
/// (`source` says where the operator finds the secret).
fn checked_input<'a>(
    appid: &'a str,
    secret: &str,
    source: &str,
) -> Result<(&'a str, Zeroizing<String>)> {
    let appid = appid.trim();
    check_appid("appid", appid)?;
    Ok((appid, check_secret("secret", secret, source)?))
}

impl Desk {
    /// Tests a mini program's AppID and AppSecret with one `stable_token`
    /// call without `force_refresh`; stores nothing.
    pub async fn app_test_credentials(
        &self,
        appid: &str,
        secret: &str,
    ) -> Result<CredentialsTestView> {
        let (appid, secret) = checked_input(appid, secret, APP_SECRET_SOURCE)?;
        let token = self
            .client()
            .stable_access_token(appid, &secret, false)
            .await?;
        Ok(CredentialsTestView::accepted(
            appid,
            "cgi-bin/stable_token",
            token.expires_in,
            "WeChat accepted this AppID and AppSecret (stable_token without force_refresh: the token in use was not changed). Nothing was saved.",
            "微信接受了这组 AppID 和 AppSecret（调用的是不带 force_refresh 的 stable_token，正在使用的令牌没有变）。没有保存任何东西。",
        ))
    }

    /// Tests a platform's AppID and AppSecret with one `api_component_token`
    /// call when a current ticket is stored for it; otherwise says that the
    /// secret can be checked only once a ticket arrives. Stores nothing.
    pub async fn component_test_credentials(
        &self,
        appid: &str,
        secret: &str,
    ) -> Result<CredentialsTestView> {
        let (appid, secret) = checked_input(appid, secret, COMPONENT_SECRET_SOURCE)?;
        let now = self.now();
        let ticket = self
            .store()
            .read(|c| tickets::latest(c, appid))?
            .filter(|t| now < t.expires_at());
        let Some(ticket) = ticket else {
            return Ok(CredentialsTestView::not_checked(
                appid,
                CredentialsOutcome::NeedsTicket,
                "Not checked yet: a platform's AppSecret can only be checked with a component_verify_ticket, and WeChat pushes one (every 10 minutes) only after the platform is saved and its authorization-event URL receives it. Save the platform, then use \"Get token\" once the ticket has arrived.",
                "还不能检查：第三方平台的 AppSecret 只能配合 component_verify_ticket 检查，而微信要等平台保存好、授权事件接收 URL 能收到推送之后才会推送票据（每 10 分钟一次）。先保存平台，等票据到了再点“获取令牌”。",
            ));
        };
        // A platform already in use gets no mint: `api_component_token`
        // could replace the token its production server holds (a team
        // binding says Redis is the source; a held token says one is live).
        let bound = self.team_binding(TeamKind::Component, appid)?.is_some();
        let held = self
            .store()
            .read(|c| token_rows::get(c, self.scope(), TokenKind::Component, appid))?
            .is_some_and(|row| now < row.expires_at);
        if bound || held {
            return Ok(CredentialsTestView::not_checked(
                appid,
                CredentialsOutcome::InUse,
                "Not checked: this platform is in use (wxdesk holds its current component_access_token, or it is bound to a team store). Minting a token to test a secret could replace the one your production server holds. \"Get token\" shows whether the saved secret works.",
                "没有检查：这个平台正在使用中（wxdesk 持有它当前的 component_access_token，或它绑定了团队存储）。为测试密钥而获取新令牌可能会替换生产服务器正在使用的令牌。“获取令牌”即可看出已保存的密钥是否有效。",
            ));
        }
        let ticket = self.open_secret(tickets::TICKET, &ticket.ticket)?;
        let token = self
            .client()
            .component_token(appid, &secret, &ticket)
            .await?;
        Ok(CredentialsTestView::accepted(
            appid,
            "cgi-bin/component/api_component_token",
            token.expires_in,
            "WeChat accepted this platform AppID and AppSecret with the stored ticket. Nothing was saved.",
            "微信用已保存的票据接受了这组平台 AppID 和 AppSecret。没有保存任何东西。",
        ))
    }
}
