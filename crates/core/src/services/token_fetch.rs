//! The one upstream call of a token fetch, per kind of token.
//!
//! Split from `services::token_obtain` (which decides *whether* and *who* fetches):
//! this module only reads what a fetch needs (secret, newest current ticket,
//! refresh token with its generation and spare) and calls WeChat. An
//! authorizer fetch whose stored refresh token WeChat rejects (61023) tries
//! the spare — a rotated refresh token a late refresh could not make current —
//! so a value WeChat issued is never lost.

use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::token_obtain::{Fetched, RefreshUsed, Spec};
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::store::{apps, components, tickets};
use crate::vault::Sealed;

impl Desk {
    /// A platform's stored AppSecret, opened; the error says how to save one.
    pub(super) fn stored_component_secret(
        &self,
        component: &str,
        sealed: Option<&Sealed>,
    ) -> Result<Zeroizing<String>> {
        self.require_secret(
            components::SECRET,
            sealed,
            "component secret",
            &format!(
                "save the platform's AppSecret with `wxdesk component update {component} --secret`"
            ),
        )
    }

    /// The one upstream call of a token fetch.
    pub(super) async fn fetch_upstream(&self, spec: &Spec, force: bool) -> Result<Fetched> {
        match spec {
            Spec::AppStable { appid } | Spec::AppLegacy { appid } => {
                let app = self.store().read(|c| apps::require(c, appid))?;
                let secret = self.require_secret(
                    apps::SECRET,
                    app.secret.as_ref(),
                    "app secret",
                    &format!("save the AppSecret with `wxdesk app update {appid} --secret`"),
                )?;
                let t = match spec {
                    Spec::AppStable { .. } => {
                        self.client()
                            .stable_access_token(appid, &secret, force)
                            .await?
                    }
                    _ => self.client().legacy_access_token(appid, &secret).await?,
                };
                Ok(Fetched {
                    token: Zeroizing::new(t.access_token),
                    expires_in: t.expires_in,
                    refresh: None,
                })
            }
            Spec::Component { component } => {
                let now = self.now();
                let (row, ticket) = self.store().read(|c| {
                    Ok((
                        components::require(c, component)?,
                        tickets::latest(c, component)?,
                    ))
                })?;
                let Some(ticket) = ticket else {
                    return Err(Error::TicketUnavailable {
                        component: component.clone(),
                        reason: "no component_verify_ticket has been received".into(),
                    });
                };
                if now >= ticket.expires_at() {
                    let age = now.saturating_sub(ticket.create_time.min(ticket.received_at));
                    return Err(Error::TicketUnavailable {
                        component: component.clone(),
                        reason: format!(
                            "the newest component_verify_ticket is {} h old (tickets last 12 h)",
                            age / 3600
                        ),
                    });
                }
                let secret = self.stored_component_secret(component, row.secret.as_ref())?;
                let ticket = self.open_secret(tickets::TICKET, &ticket.ticket)?;
                let t = self
                    .client()
                    .component_token(component, &secret, &ticket)
                    .await?;
                Ok(Fetched {
                    token: Zeroizing::new(t.component_access_token),
                    expires_in: t.expires_in,
                    refresh: None,
                })
            }
            Spec::Authorizer {
                component,
                authorizer,
            } => self.fetch_authorizer_token(component, authorizer).await,
        }
    }

    /// `api_authorizer_token` with the stored refresh token; when WeChat
    /// rejects it (61023) and a spare is kept (a rotated token a late
    /// refresh could not make current), tries the spare once.
    async fn fetch_authorizer_token(&self, component: &str, authorizer: &str) -> Result<Fetched> {
        let (row, state) = self.store().read(|c| {
            Ok((
                authorizers::require(c, component, authorizer)?,
                authorizers::refresh_state(c, component, authorizer)?,
            ))
        })?;
        if row.status == AuthorizerStatus::Revoked {
            return Err(Error::Revoked(authorizer.to_string()));
        }
        let stored = self.require_secret(
            authorizers::REFRESH_TOKEN,
            state.refresh_token.as_ref(),
            "authorizer_refresh_token",
            "have the merchant authorize the platform again, or sync the platform's authorizers",
        )?;
        let spare = match &state.spare {
            Some(s) => self
                .open_secret(authorizers::REFRESH_TOKEN, s)
                .ok()
                .filter(|s| s.as_str() != stored.as_str()),
            None => None,
        };
        let mut result = self
            .call_authorizer_token(component, authorizer, &stored)
            .await;
        let mut sent = stored.clone();
        if let (Err(e), Some(spare)) = (&result, spare) {
            if e.errcode() == Some(61023) {
                result = self
                    .call_authorizer_token(component, authorizer, &spare)
                    .await;
                sent = spare;
            }
        }
        let t = result?;
        Ok(Fetched {
            token: Zeroizing::new(t.authorizer_access_token),
            expires_in: t.expires_in,
            refresh: Some(RefreshUsed {
                stored,
                generation: state.generation,
                keep: Some(
                    t.authorizer_refresh_token
                        .map(Zeroizing::new)
                        .unwrap_or(sent),
                ),
            }),
        })
    }

    pub(super) async fn call_authorizer_token(
        &self,
        component: &str,
        authorizer: &str,
        refresh: &str,
    ) -> Result<wxdesk_wechat::api::component::AuthorizerToken> {
        let client = self.client();
        // Boxed: fetching the component token re-enters the token manager.
        Box::pin(self.with_component_token(component, |ct| async move {
            client
                .authorizer_token(component, &ct, authorizer, refresh)
                .await
        }))
        .await
    }
}
