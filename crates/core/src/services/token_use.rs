//! Using a token: run a WeChat call with the right token and recover once
//! from a stale one.
//!
//! `with_*_token` gets a token (cached or single-flighted, see
//! `services::token_obtain`), runs the call, and on 40001/40014/42001 deletes the
//! cached token only if it is still the value that failed (compare-and-delete,
//! also in team mode), gets a token again and retries exactly once — never a
//! loop. `with_account_token` picks the token that acts for an appid: the
//! app's own when it is saved with its secret, else its authorizer token.

use std::future::Future;

use wxdesk_wechat::links::validate_appid;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::apps;
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::token_types::{AppTokenMode, TokenGrant};

impl Desk {
    /// Runs `f` with the app's stable token; on a stale-token answer
    /// (40001/40014/42001) invalidates that token (if still cached), gets
    /// another and retries once.
    pub async fn with_app_token<T, F, Fut>(&self, appid: &str, f: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        self.with_grant(|| self.app_token(appid, AppTokenMode::Stable, false), f)
            .await
    }

    /// Runs `f` with the platform's component_access_token, retrying once on a stale token.
    pub async fn with_component_token<T, F, Fut>(&self, component_appid: &str, f: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        self.with_grant(|| self.component_token(component_appid, false), f)
            .await
    }

    /// Runs `f` with an authorizer_access_token, retrying once on a stale token.
    pub async fn with_authorizer_token<T, F, Fut>(
        &self,
        component_appid: &str,
        authorizer_appid: &str,
        f: F,
    ) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        self.with_grant(
            || self.authorizer_token(component_appid, authorizer_appid, false),
            f,
        )
        .await
    }

    /// Runs `f` with the token that acts for `appid` on mini-program APIs: the
    /// app's own stable token when the app is saved with its AppSecret,
    /// otherwise the authorizer token of its active authorization (the most
    /// recently updated one, if it authorized several platforms). An app saved
    /// without its secret and not authorized gets an error naming the secret;
    /// an appid whose authorizations are all revoked gets `Revoked`.
    pub async fn with_account_token<T, F, Fut>(&self, appid: &str, f: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        match self.account_kind(appid)? {
            AccountToken::App => self.with_app_token(appid, f).await,
            AccountToken::Authorizer { component } => {
                self.with_authorizer_token(&component, appid, f).await
            }
        }
    }

    async fn with_grant<T, G, GFut, F, Fut>(&self, get: G, f: F) -> Result<T>
    where
        G: Fn() -> GFut,
        GFut: Future<Output = Result<TokenGrant>>,
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        let grant = get().await?;
        match f(grant.token.to_string()).await {
            Ok(v) => Ok(v),
            Err(e) if e.is_token_rejected() => {
                self.invalidate_token_if_current(grant.kind, &grant.owner, &grant.token)?;
                self.team_invalidate_if_current(&grant).await?;
                let again = get().await?;
                Ok(f(again.token.to_string()).await?)
            }
            Err(e) => Err(e.into()),
        }
    }

    fn account_kind(&self, appid: &str) -> Result<AccountToken> {
        validate_appid("appid", appid)?;
        self.store().read(|c| {
            let app = apps::get(c, appid)?;
            if app.as_ref().is_some_and(|a| a.secret.is_some()) {
                return Ok(AccountToken::App);
            }
            let rows = authorizers::find_by_appid(c, appid)?;
            if let Some(r) = rows.iter().find(|r| r.status == AuthorizerStatus::Active) {
                return Ok(AccountToken::Authorizer {
                    component: r.component_appid.clone(),
                });
            }
            if app.is_some() {
                // Saved without its secret and not authorized: the fetch names the missing secret.
                return Ok(AccountToken::App);
            }
            if !rows.is_empty() {
                return Err(Error::Revoked(appid.to_string()));
            }
            Err(Error::not_found(
                "app",
                format!(
                    "{appid} (neither a saved app nor an authorizer of a saved platform: add it with `wxdesk app add --appid {appid} --secret SECRET`, \
                     or have it authorize one of your platforms and sync the authorizers)"
                ),
            ))
        })
    }
}

/// Which token acts for an appid on mini-program APIs.
enum AccountToken {
    App,
    Authorizer { component: String },
}
