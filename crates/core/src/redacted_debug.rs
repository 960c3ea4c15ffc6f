//! `Debug` for the desk's types that carry a secret in plaintext.
//!
//! A token grant holds the live token; views hold a secret when the caller
//! asked to reveal it. `{:?}` of any of them (in a panic, a log line, a test
//! failure) must still print no secret, so these types do not derive `Debug`:
//! their impls are here, in one file an audit can read. Values that are
//! already masked print as they are; anything that may be revealed prints
//! `<redacted>`.

use std::fmt;

use wxdesk_wechat::redacted_debug::{redacted_opt, Redacted};

use crate::services::apps::AppView;
use crate::services::components::ComponentView;
use crate::services::login::LoginView;
use crate::token_types::{TokenGrant, TokenView};

impl fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenGrant")
            .field("kind", &self.kind)
            .field("owner", &self.owner)
            .field("token", &Redacted)
            .field("expires_at", &self.expires_at)
            .field("source", &self.source)
            .field("endpoint", &self.endpoint)
            .field("granted_at", &self.granted_at)
            .field("warning", &self.warning)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for TokenView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenView")
            .field("token", &Redacted)
            .field("revealed", &self.revealed)
            .field("expires_at", &self.expires_at)
            .field("source", &self.source)
            .field("kind", &self.kind)
            .field("owner", &self.owner)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for LoginView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginView")
            .field("appid", &self.appid)
            .field("openid", &self.openid)
            .field("session_key", &Redacted)
            .field("revealed", &self.revealed)
            .field("via_component", &self.via_component)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for AppView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppView")
            .field("appid", &self.appid)
            .field("name", &self.name)
            .field("secret", &redacted_opt(&self.secret))
            .field("sessions", &self.sessions)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for ComponentView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ComponentView")
            .field("appid", &self.appid)
            .field("name", &self.name)
            .field("secret", &redacted_opt(&self.secret))
            .field("token", &redacted_opt(&self.token))
            .field("aes_key", &redacted_opt(&self.aes_key))
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}
