//! What the token manager shows without fetching anything: a grant as the
//! operator may see it, the cached tokens of the dashboard, and the
//! remaining `stable_token` force budget of an account.
//!
//! The force budget is WeChat's (20 force refreshes a day per account,
//! counted in Beijing days, ignored when less than 30 s apart); the desk
//! counts the forces it made so it can refuse one WeChat would refuse, and
//! show what is left *before* the operator asks for one.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::links::validate_appid;
use wxdesk_wechat::redact::mask;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::{apps, token_rows as token_store};
use crate::token_types::{
    beijing_day_start, fresh_enough, TokenGrant, TokenKind, TokenStatusView, TokenView,
    FORCE_PER_DAY, FORCE_SPACING_SECS, TOKEN_VALUE,
};

/// What is left of an account's `stable_token` force budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ForceBudgetView {
    /// The mini program.
    pub appid: String,
    /// Force refreshes made today (Beijing day), as counted by this desk.
    pub used: i64,
    /// Force refreshes left today.
    pub left: i64,
    /// WeChat's daily budget.
    pub per_day: i64,
    /// Seconds until the next force is allowed (0: now; spacing or a spent budget).
    pub wait_secs: i64,
    /// When the budget resets (Unix seconds, midnight Beijing time).
    pub resets_at: i64,
}

impl ForceBudgetView {
    /// One line for prompts: "N of 20 force refreshes left today".
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} of {} force refreshes left today (Beijing day)",
            self.left, self.per_day
        );
        if self.wait_secs > 0 {
            s.push_str(&format!("; the next is allowed in {} s", self.wait_secs));
        }
        s
    }
}

/// The force budget of `appid` at `now`, read inside the caller's transaction.
pub(crate) fn force_budget_in(
    conn: &rusqlite::Connection,
    scope: &str,
    appid: &str,
    now: i64,
) -> Result<ForceBudgetView> {
    let day_start = beijing_day_start(now);
    let resets_at = day_start.saturating_add(86_400);
    let (used, last) = token_store::forces_since(conn, scope, appid, day_start)?;
    let left = FORCE_PER_DAY.saturating_sub(used).max(0);
    let spacing = last
        .map(|l| FORCE_SPACING_SECS.saturating_sub(now.saturating_sub(l)))
        .unwrap_or(0)
        .max(0);
    let wait_secs = if left == 0 {
        resets_at.saturating_sub(now).max(0)
    } else {
        spacing
    };
    Ok(ForceBudgetView {
        appid: appid.to_string(),
        used,
        left,
        per_day: FORCE_PER_DAY,
        wait_secs,
        resets_at,
    })
}

/// Refuses a `stable_token` force refresh that WeChat would reject or ignore:
/// the 20-a-day budget (Beijing days) spent, or less than 30 s since the last.
pub(crate) fn check_force_budget(
    conn: &rusqlite::Connection,
    scope: &str,
    appid: &str,
    now: i64,
) -> Result<()> {
    let day_start = beijing_day_start(now);
    let (used, last) = token_store::forces_since(conn, scope, appid, day_start)?;
    let left = FORCE_PER_DAY.saturating_sub(used).max(0);
    if let Some(last) = last {
        let ago = now.saturating_sub(last);
        if ago < FORCE_SPACING_SECS {
            return Err(Error::ForceRefused(format!(
                "force refresh of {appid} refused: the previous one was {} s ago; wait {} s (WeChat ignores force refreshes less than {FORCE_SPACING_SECS} s apart). {left} of {FORCE_PER_DAY} left today",
                ago.max(0),
                FORCE_SPACING_SECS.saturating_sub(ago)
            )));
        }
    }
    if used >= FORCE_PER_DAY {
        let resets_in = day_start.saturating_add(86_400).saturating_sub(now);
        return Err(Error::ForceRefused(format!(
            "force refresh of {appid} refused: all {FORCE_PER_DAY} of today's force refreshes are used (days count in Beijing time); wait {} s ({} h {} min) for the budget to reset. 0 of {FORCE_PER_DAY} left today",
            resets_in,
            resets_in / 3600,
            (resets_in % 3600) / 60
        )));
    }
    Ok(())
}

impl Desk {
    /// The remaining `stable_token` force budget of a saved mini program.
    pub fn force_budget(&self, appid: &str) -> Result<ForceBudgetView> {
        validate_appid("appid", appid)?;
        let now = self.now();
        self.store().read(|c| {
            apps::require(c, appid)?;
            force_budget_in(c, self.scope(), appid, now)
        })
    }

    /// Shows a grant: the token masked unless `reveal`.
    pub fn token_view(grant: &TokenGrant, reveal: bool) -> TokenView {
        TokenView {
            token: if reveal {
                grant.token.to_string()
            } else {
                mask(&grant.token)
            },
            revealed: reveal,
            expires_at: grant.expires_at,
            expires_in: grant.expires_in(),
            source: grant.source,
            kind: grant.kind,
            owner: grant.owner.clone(),
            endpoint: grant.endpoint.clone(),
            warning: grant.warning.clone(),
            force_budget_left: grant.force_budget_left,
            layout: grant.team.as_ref().map(|t| t.layout.to_string()),
            key: grant.team.as_ref().map(|t| t.key.clone()),
            ttl: grant.team.as_ref().and_then(|t| t.ttl),
        }
    }

    /// Every token cached for this environment, for the dashboard. Never the values.
    pub fn cached_tokens(&self) -> Result<Vec<TokenStatusView>> {
        let now = self.now();
        let scope = self.scope();
        self.store().read(|c| {
            token_store::list(c, scope)?
                .into_iter()
                .map(|r| {
                    let force_budget_left = match r.kind {
                        TokenKind::AppStable => {
                            Some(force_budget_in(c, scope, &r.owner, now)?.left)
                        }
                        _ => None,
                    };
                    Ok(TokenStatusView {
                        kind: r.kind,
                        owner: r.owner,
                        expires_at: r.expires_at,
                        expires_in: r.expires_at.saturating_sub(now).max(0),
                        source: r.source,
                        fetched_at: r.fetched_at,
                        usable: fresh_enough(r.expires_at, now),
                        force_budget_left,
                    })
                })
                .collect()
        })
    }

    /// Deletes the cached token of (kind, owner) only if it is still `used`
    /// (compare-and-delete). Returns whether it was deleted.
    pub fn invalidate_token_if_current(
        &self,
        kind: TokenKind,
        owner: &str,
        used: &str,
    ) -> Result<bool> {
        let vault = self.vault();
        self.store().write(|tx| {
            let Some(row) = token_store::get(tx, self.scope(), kind, owner)? else {
                return Ok(false);
            };
            // A value that no longer decrypts is useless: replace it too.
            let same = vault
                .open(TOKEN_VALUE, &row.value)
                .map(|v| v.as_str() == used)
                .unwrap_or(true);
            if !same {
                return Ok(false);
            }
            token_store::delete_if_value(tx, self.scope(), kind, owner, &row.value)
        })
    }
}
