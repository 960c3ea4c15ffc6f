//! The dashboard: the operator's morning glance.
//!
//! One read gathers what needs attention: each platform's ticket age against
//! the 12-hour limit, tokens about to expire, and the latest failed calls.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::Result;
use crate::services::call_log::CallLogView;
use crate::services::components::ComponentView;
use crate::store::call_log::CallLogQuery;
use crate::token_types::TokenStatusView;

/// Tokens with less than this many seconds left are listed as expiring.
pub const EXPIRING_WITHIN_SECS: i64 = 15 * 60;

/// Everything the dashboard shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DashboardView {
    /// The environment label (`production`, `sandbox (…)`).
    pub environment: String,
    /// True for the real WeChat.
    pub is_production: bool,
    /// Number of mini programs.
    pub apps: usize,
    /// Platforms with their ticket and authorizer counts.
    pub components: Vec<ComponentView>,
    /// Active authorizers over all platforms.
    pub authorizers_active: i64,
    /// Revoked authorizers over all platforms.
    pub authorizers_revoked: i64,
    /// Cached tokens expiring within 15 minutes (or already expired).
    pub expiring_tokens: Vec<TokenStatusView>,
    /// The latest failed calls.
    pub recent_failures: Vec<CallLogView>,
}

impl Desk {
    /// Gathers the dashboard.
    pub fn dashboard(&self) -> Result<DashboardView> {
        let apps = self.app_list()?.len();
        let components = self.component_list()?;
        let (active, revoked) = self
            .store()
            .read(|c| crate::store::authorizers::counts(c, None))?;
        let expiring_tokens = self
            .cached_tokens()?
            .into_iter()
            .filter(|t| t.expires_in < EXPIRING_WITHIN_SECS)
            .collect();
        let recent_failures = self.call_log(&CallLogQuery {
            errors_only: true,
            limit: Some(10),
            ..CallLogQuery::default()
        })?;
        Ok(DashboardView {
            environment: self.env().label(),
            is_production: self.env().is_production(),
            apps,
            components,
            authorizers_active: active,
            authorizers_revoked: revoked,
            expiring_tokens,
            recent_failures,
        })
    }
}
