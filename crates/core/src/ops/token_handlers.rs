//! The token operations (`app_token`, `component_token`,
//! `authorizer_token`) and their confirmation rules.
//!
//! Minting a legacy token or forcing a refresh disturbs the token production
//! servers hold, so these refuse with `NeedsConfirmation` until the caller
//! confirms. The wording lives here, once: the CLI prompts with it and the UI
//! shows it, naming the environment (and, for a forced stable token, the
//! day's force budget).

use super::args::{AppTokenArgs, AuthorizerTokenArgs, ComponentTokenArgs};
use super::Runtime;
use crate::error::{Error, Result};
use crate::token_types::{AppTokenMode, TokenView, FORCE_PER_DAY, FORCE_SPACING_SECS};

fn need_confirmation(action: &str, risk: &str) -> Error {
    Error::NeedsConfirmation {
        action: action.into(),
        risk: risk.into(),
    }
}

/// A mini program's token; a legacy mint or a force needs confirmation.
pub async fn app_token(rt: &Runtime, a: AppTokenArgs) -> Result<TokenView> {
    let mode = a.mode.unwrap_or(AppTokenMode::Stable);
    let desk = rt.desk();
    if (mode == AppTokenMode::Legacy || a.force) && !a.confirmed {
        // An unknown app fails as such before anything is asked.
        desk.app_show(&a.appid)?;
        let env = desk.env().label();
        return Err(match mode {
            AppTokenMode::Legacy => need_confirmation(
                &format!("mint a new access token for {} with cgi-bin/token", a.appid),
                &format!(
                    "it REPLACES the access token your servers hold ({env}): theirs stops working in about 5 minutes, \
                     and cgi-bin/token calls are limited to 2000 a day. The default stable mode does not disturb them"
                ),
            ),
            AppTokenMode::Stable => need_confirmation(
                &format!(
                    "force-refresh the access token of {} (stable_token force_refresh)",
                    a.appid
                ),
                &format!(
                    "the access token your servers hold ({env}) stops working AT ONCE (they see 40001 until they fetch again); \
                     WeChat allows {FORCE_PER_DAY} force refreshes a day, {FORCE_SPACING_SECS} s apart: {}",
                    desk.force_budget(&a.appid)?.summary()
                ),
            ),
        });
    }
    let g = desk.app_token(&a.appid, mode, a.force).await?;
    Ok(crate::desk::Desk::token_view(&g, a.reveal))
}
/// A platform's component_access_token; a force needs confirmation.
pub async fn component_token(rt: &Runtime, a: ComponentTokenArgs) -> Result<TokenView> {
    let desk = rt.desk();
    if a.force && !a.confirmed {
        desk.component_show(&a.component_appid)?;
        return Err(need_confirmation(
            &format!(
                "force a new component_access_token for {}",
                a.component_appid
            ),
            &format!(
                "a new token is fetched although the cached one may still be valid; other servers of this platform ({}) \
                 may hold the old one, and api_component_token calls are rate-limited by WeChat",
                desk.env().label()
            ),
        ));
    }
    let g = desk.component_token(&a.component_appid, a.force).await?;
    Ok(crate::desk::Desk::token_view(&g, a.reveal))
}
/// A merchant's authorizer_access_token; a force needs confirmation.
pub async fn authorizer_token(rt: &Runtime, a: AuthorizerTokenArgs) -> Result<TokenView> {
    let desk = rt.desk();
    if a.force && !a.confirmed {
        desk.authorizer_show(&a.authorizer_appid, Some(&a.component_appid))?;
        return Err(need_confirmation(
            &format!(
                "force a new authorizer_access_token for {} (platform {})",
                a.authorizer_appid, a.component_appid
            ),
            &format!(
                "servers acting for this merchant ({}) may hold the current token, and api_authorizer_token calls count \
                 against a daily limit; a rotated refresh token is saved",
                desk.env().label()
            ),
        ));
    }
    let g = desk
        .authorizer_token(&a.component_appid, &a.authorizer_appid, a.force)
        .await?;
    Ok(crate::desk::Desk::token_view(&g, a.reveal))
}
