//! Which credential acts for a mini program: its own, or a platform's.
//!
//! A mini program saved with its AppSecret can also be an authorizer of a
//! platform. Its own stable token and the authorizer token are then both
//! valid, but not for the same things (a phone code issued to the platform's
//! build needs the authorizer token), so the operator chooses. The default is
//! the one that works without asking: the app's own token when its AppSecret
//! is stored, otherwise the authorizer token. Passing `component_appid` picks
//! the authorizer token of that platform.

use std::future::Future;

use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, Result};
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::Desk;

impl Desk {
    /// Runs `f` with the token chosen by `component`: that platform's
    /// authorizer token for `appid` when given (the authorization must be
    /// active), otherwise the default of [`Desk::with_account_token`].
    pub async fn with_token_via<T, F, Fut>(
        &self,
        appid: &str,
        component: Option<&str>,
        f: F,
    ) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        match component {
            None => self.with_account_token(appid, f).await,
            Some(comp) => {
                self.require_active_authorizer(comp, appid)?;
                self.with_authorizer_token(comp, appid, f).await
            }
        }
    }

    /// Checks that `appid` has an active authorization of platform `comp`.
    pub(crate) fn require_active_authorizer(&self, comp: &str, appid: &str) -> Result<()> {
        validate_appid("appid", appid)?;
        validate_appid("component_appid", comp)?;
        let row = self.store().read(|c| authorizers::get(c, comp, appid))?;
        match row {
            Some(r) if r.status == AuthorizerStatus::Active => Ok(()),
            Some(_) => Err(Error::Revoked(appid.to_string())),
            None => Err(Error::invalid(
                "component_appid",
                format!("{appid} has not authorized platform {comp}; choose a platform it authorized, or leave component_appid empty to use the app's own token"),
            )),
        }
    }
}
