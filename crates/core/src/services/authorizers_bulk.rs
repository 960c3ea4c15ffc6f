//! Authorizers in bulk: reconciling a platform's authorizers with WeChat's
//! list, and refreshing their tokens.
//!
//! Both touch every merchant of a platform at once, so both are guarded
//! against doing harm in bulk:
//!
//! - **Sync.** Paging is bounded (`total_count` at most
//!   [`MAX_AUTHORIZER_TOTAL`], so at most 200 pages), and a sync that would
//!   mark more than 20 % of the platform's active authorizers revoked, or all
//!   of them, revokes nothing until confirmed ([`mass_revocation`]); the
//!   report says what it saw.
//! - **Refresh.** Refreshing "all" refreshes only tokens that are missing or
//!   due (less than the early-refresh window left): a valid token a
//!   merchant's servers hold is never rotated by a bulk refresh. Forcing
//!   every token is a separate target ([`RefreshTarget::AllForced`]) that
//!   callers confirm, showing the number of calls ([`RefreshPlan`]).
//!
//! Network calls always happen before the write transaction, never inside it.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
#[cfg(doc)]
use wxdesk_wechat::api::component::MAX_AUTHORIZER_TOTAL;
use wxdesk_wechat::api::component::{AuthorizerListItem, MAX_AUTHORIZER_PAGE};
use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, Result};
use crate::services::authorizers::require_component;
use crate::services::merchant_pass::each_merchant;
use crate::store::authorizers::{self, AuthorizerFilter, AuthorizerStatus, REFRESH_TOKEN};
use crate::store::token_rows as token_store;
use crate::token_types::{authorizer_owner, fresh_enough, TokenKind};
use crate::Desk;

/// How many list pages are fetched at once during a sync.
const SYNC_PAGE_CONCURRENCY: usize = 4;

/// Upper bound of the refresh concurrency (WeChat's per-IP limits make more pointless).
pub const MAX_REFRESH_CONCURRENCY: usize = 64;

/// Default refresh concurrency.
pub const DEFAULT_REFRESH_CONCURRENCY: usize = 16;

/// What a sync changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SyncReport {
    /// The platform.
    pub component_appid: String,
    /// Authorizers WeChat lists that were not active locally (new, or re-authorized after a revocation).
    pub added: usize,
    /// Active authorizers whose refresh token changed.
    pub updated_refresh_tokens: usize,
    /// Locally active authorizers WeChat no longer lists (marked revoked, kept).
    pub revoked: usize,
    /// Authorizers already up to date.
    pub unchanged: usize,
    /// How many WeChat lists.
    pub total: usize,
    /// Locally active authorizers before the sync.
    #[serde(default)]
    pub active_before: usize,
    /// Active authorizers WeChat no longer lists (revoked, or held below).
    #[serde(default)]
    pub would_revoke: usize,
    /// True when the revocations were held: more than 20 % (or all) of the
    /// platform's active authorizers would be revoked and the sync was not
    /// confirmed. Nothing was revoked; run it again confirmed to revoke them.
    #[serde(default)]
    pub revocations_held: bool,
    /// What was held, in words ("would revoke N of M; confirm").
    #[serde(default)]
    pub message: Option<String>,
}

impl SyncReport {
    /// When the revocations were held: the confirmation every shell asks
    /// before running the sync again confirmed (one wording, here).
    pub fn held_confirmation(&self) -> Option<crate::Error> {
        self.revocations_held.then(|| crate::Error::NeedsConfirmation {
            action: format!(
                "revoke {} of {} active authorizers of {} (WeChat no longer lists them)",
                self.would_revoke, self.active_before, self.component_appid
            ),
            risk: format!(
                "the sync would revoke {} of {} and revoked nothing yet; they are marked revoked and their cached tokens dropped. \
                 A wrong environment or a truncated list looks the same: check before confirming",
                self.would_revoke, self.active_before
            ),
        })
    }
}

/// Whether revoking `n` of `active` authorizers in one sync needs
/// confirmation: more than 20 % of them, or all of them (when there is at
/// least one). A mass disappearance is far more often a wrong environment, a
/// truncated list or an upstream fault than a mass cancellation.
pub fn mass_revocation(n: usize, active: usize) -> bool {
    n > 0 && (n.saturating_mul(5) > active || n >= active)
}

/// Which authorizers to refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum RefreshTarget {
    /// One authorizer, forced (a new token even if the cached one is valid).
    One(String),
    /// Every active authorizer of the platform whose token is missing or
    /// expires within the early-refresh window; valid tokens are left alone.
    All,
    /// Every active authorizer of the platform, forced: each gets a new token
    /// (one `api_authorizer_token` call each). Callers confirm it first.
    AllForced,
}

/// One authorizer whose refresh failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RefreshFailure {
    /// The authorizer.
    pub appid: String,
    /// Stable error code (`api`, `revoked`, `timeout`, …).
    pub code: crate::ErrorCode,
    /// WeChat's errcode, when WeChat answered with one (61023: the refresh token is no longer valid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<i64>,
    /// What went wrong.
    pub message: String,
}

/// What a bulk refresh did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RefreshReport {
    /// The platform.
    pub component_appid: String,
    /// Authorizers attempted or skipped.
    pub total: usize,
    /// Fresh tokens obtained.
    pub refreshed: usize,
    /// Failures, one per authorizer.
    pub failed: Vec<RefreshFailure>,
    /// Revoked authorizers left alone.
    pub skipped_revoked: usize,
    /// Active authorizers whose cached token was still valid (not refreshed; `All` only).
    #[serde(default)]
    pub skipped_fresh: usize,
    /// Whether every token was force-refreshed.
    #[serde(default)]
    pub forced: bool,
    /// True when the run was cancelled; `not_started` authorizers were not attempted.
    pub cancelled: bool,
    /// Authorizers not attempted because of the cancellation.
    pub not_started: usize,
}

/// What a bulk refresh would do, for its confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RefreshPlan {
    /// The platform.
    pub component_appid: String,
    /// Active authorizers.
    pub active: usize,
    /// Of those, whose token is missing or expires within the early-refresh window.
    pub due: usize,
    /// `api_authorizer_token` calls the refresh will make (forced: `active`; else `due`).
    pub calls: usize,
    /// Whether the plan is for a forced refresh.
    pub forced: bool,
}

/// One merchant's failure as a report lists it.
pub(crate) fn failure(appid: &str, e: &Error) -> RefreshFailure {
    RefreshFailure {
        appid: appid.to_string(),
        code: e.code(),
        errcode: e.errcode(),
        message: e.to_string(),
    }
}

impl Desk {
    /// Reconciles the stored authorizers of a platform with WeChat's list
    /// (`api_get_authorizer_list`, 500 per page, pages fetched concurrently),
    /// then writes every change in one transaction: new authorizers are added
    /// active with their refresh token, changed refresh tokens are saved, and
    /// active authorizers WeChat no longer lists are marked revoked (kept).
    ///
    /// `progress(done, total)` is called as listed authorizers arrive.
    /// Cancelling before the write leaves the database untouched.
    ///
    /// A sync that would revoke more than 20 % of the platform's active
    /// authorizers, or all of them, revokes nothing (additions and refresh
    /// tokens are still saved) and says so in the report
    /// (`revocations_held`); [`Desk::authorizer_sync_confirmed`] with
    /// `confirmed` revokes them.
    pub async fn authorizer_sync(
        &self,
        component: &str,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.authorizer_sync_confirmed(component, false, progress, cancel)
            .await
    }

    /// [`Desk::authorizer_sync`]; with `confirmed`, a mass revocation is applied.
    pub async fn authorizer_sync_confirmed(
        &self,
        component: &str,
        confirmed: bool,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
        cancel: &AtomicBool,
    ) -> Result<SyncReport> {
        self.store().read(|c| require_component(c, component))?;
        // The list can shift while it is paged (an authorization arrives
        // between two pages); read it again once before giving up, because a
        // missed row would otherwise be marked revoked.
        let mut listed = self
            .fetch_authorizer_list(component, progress, cancel)
            .await?;
        if listed.is_none() {
            listed = self
                .fetch_authorizer_list(component, progress, cancel)
                .await?;
        }
        let listed = listed.ok_or_else(|| {
            Error::invalid(
                "component",
                format!("the authorizer list of {component} changed while it was being read; run the sync again"),
            )
        })?;
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let vault = self.vault();
        let now = self.now();
        self.store().write(|tx| {
            let existing = authorizers::sync_states(tx, component)?;
            let by_appid: HashMap<&str, &authorizers::SyncState> =
                existing.iter().map(|s| (s.appid.as_str(), s)).collect();
            let mut report = SyncReport {
                component_appid: component.to_string(),
                total: listed.len(),
                ..SyncReport::default()
            };
            let mut seen: HashSet<&str> = HashSet::with_capacity(listed.len());
            for item in &listed {
                let appid = item.authorizer_appid.as_str();
                seen.insert(appid);
                let auth_time = Some(item.auth_time).filter(|t| *t > 0);
                match by_appid.get(appid) {
                    Some(s) if s.status == AuthorizerStatus::Active => {
                        let same = s
                            .refresh_token
                            .as_ref()
                            .and_then(|t| vault.open(REFRESH_TOKEN, t).ok())
                            .is_some_and(|t| *t == item.refresh_token);
                        if same {
                            report.unchanged += 1;
                        } else {
                            let sealed = vault.seal(REFRESH_TOKEN, &item.refresh_token)?;
                            authorizers::set_refresh_token(
                                tx, component, appid, &sealed, now,
                            )?;
                            report.updated_refresh_tokens += 1;
                        }
                    }
                    _ => {
                        let sealed = vault.seal(REFRESH_TOKEN, &item.refresh_token)?;
                        authorizers::activate_listed(
                            tx, component, appid, &sealed, auth_time, now,
                        )?;
                        report.added += 1;
                    }
                }
            }
            let gone: Vec<&str> = existing
                .iter()
                .filter(|s| s.status == AuthorizerStatus::Active && !seen.contains(s.appid.as_str()))
                .map(|s| s.appid.as_str())
                .collect();
            report.active_before = existing
                .iter()
                .filter(|s| s.status == AuthorizerStatus::Active)
                .count();
            report.would_revoke = gone.len();
            if !confirmed && mass_revocation(gone.len(), report.active_before) {
                report.revocations_held = true;
                report.message = Some(format!(
                    "would revoke {} of {} active authorizers of {component} (WeChat no longer lists them); nothing was revoked. \
                     Such a mass revocation is more often a wrong environment or a truncated list than real cancellations: \
                     check, then confirm (`wxdesk authorizer sync --component {component} --yes`, or Confirm in the app)",
                    gone.len(),
                    report.active_before
                ));
                return Ok(report);
            }
            for appid in gone {
                if authorizers::mark_revoked(tx, component, appid, now)? {
                    token_store::delete(
                        tx,
                        self.scope(),
                        TokenKind::Authorizer,
                        &authorizer_owner(component, appid),
                    )?;
                    report.revoked += 1;
                }
            }
            Ok(report)
        })
    }

    /// Reads the whole authorizer list. `Ok(None)` when the pages disagree
    /// (the list changed while being read).
    async fn fetch_authorizer_list(
        &self,
        component: &str,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
        cancel: &AtomicBool,
    ) -> Result<Option<Vec<AuthorizerListItem>>> {
        let client = self.client();
        let page = |offset: u32| async move {
            self.with_component_token(component, |tok| async move {
                client
                    .authorizer_list(component, &tok, offset, MAX_AUTHORIZER_PAGE)
                    .await
            })
            .await
        };
        if cancel.load(Ordering::SeqCst) {
            return Err(Error::Cancelled);
        }
        let first = page(0).await?;
        // Bounded: an absurd total_count stops the sync before any paging.
        let total = first.checked_total()?;
        let page_size = MAX_AUTHORIZER_PAGE as usize;
        let pages = total.div_ceil(page_size).max(1);
        let mut done = first.list.len();
        progress(done.min(total), total);
        let mut consistent = first.list.len() == total.min(page_size);
        let mut items: Vec<AuthorizerListItem> = first.list;

        let offsets: Vec<u32> = (1..pages)
            .filter_map(|p| u32::try_from(p * page_size).ok())
            .collect();
        let mut rest = stream::iter(offsets.into_iter().map(|off| {
            let fut = page(off);
            async move { (off, fut.await) }
        }))
        .buffer_unordered(SYNC_PAGE_CONCURRENCY);
        while let Some((offset, result)) = rest.next().await {
            if cancel.load(Ordering::SeqCst) {
                return Err(Error::Cancelled);
            }
            let got = result?;
            let expected = total.saturating_sub(offset as usize).min(page_size);
            if usize::try_from(got.total_count).unwrap_or(0) != total || got.list.len() != expected
            {
                consistent = false;
            }
            done += got.list.len();
            progress(done.min(total), total);
            items.extend(got.list);
        }
        let mut unique = HashSet::with_capacity(items.len());
        items.retain(|i| unique.insert(i.authorizer_appid.clone()));
        if !consistent || items.len() != total {
            return Ok(None);
        }
        Ok(Some(items))
    }

    /// How many `api_authorizer_token` calls a bulk refresh of the platform
    /// would make: every active authorizer when `forced`, else those whose
    /// cached token is missing or expires within the early-refresh window.
    pub fn authorizer_refresh_plan(&self, component: &str, forced: bool) -> Result<RefreshPlan> {
        let now = self.now();
        let scope = self.scope();
        self.store().read(|c| {
            require_component(c, component)?;
            let active = authorizers::list(
                c,
                &AuthorizerFilter {
                    component_appid: Some(component),
                    status: Some(AuthorizerStatus::Active),
                    ..AuthorizerFilter::default()
                },
            )?;
            let mut due = 0;
            for r in &active {
                let owner = authorizer_owner(component, &r.appid);
                let cached = token_store::get(c, scope, TokenKind::Authorizer, &owner)?;
                if !cached.is_some_and(|t| fresh_enough(t.expires_at, now)) {
                    due += 1;
                }
            }
            Ok(RefreshPlan {
                component_appid: component.to_string(),
                active: active.len(),
                due,
                calls: if forced { active.len() } else { due },
                forced,
            })
        })
    }

    /// Refreshes authorizer access tokens (`api_authorizer_token`), at most
    /// `concurrency` at a time, saving any rotated refresh token: one
    /// authorizer (forced), every active one whose token is missing or due
    /// (`All`: a valid token is left alone, so a bulk refresh never rotates
    /// tokens merchants' servers hold), or every active one forced
    /// (`AllForced`, confirmed by the caller). Failures are collected per
    /// authorizer, not fatal. Cancelling stops starting new refreshes; those
    /// already done stay done and the report says so.
    pub async fn authorizer_refresh(
        &self,
        component: &str,
        target: RefreshTarget,
        concurrency: usize,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
        cancel: &AtomicBool,
    ) -> Result<RefreshReport> {
        if concurrency == 0 || concurrency > MAX_REFRESH_CONCURRENCY {
            return Err(Error::invalid(
                "concurrency",
                format!("must be between 1 and {MAX_REFRESH_CONCURRENCY} (default {DEFAULT_REFRESH_CONCURRENCY})"),
            ));
        }
        let rows = self.store().read(|c| {
            require_component(c, component)?;
            match &target {
                RefreshTarget::One(appid) => {
                    validate_appid("appid", appid)?;
                    Ok(vec![authorizers::require(c, component, appid)?])
                }
                RefreshTarget::All | RefreshTarget::AllForced => authorizers::list(
                    c,
                    &AuthorizerFilter {
                        component_appid: Some(component),
                        ..AuthorizerFilter::default()
                    },
                ),
            }
        })?;
        let force = !matches!(target, RefreshTarget::All);
        if force {
            // A read-only team binding: the production server refreshes.
            self.refuse_team_refresh(component)?;
        }
        let mut report = RefreshReport {
            component_appid: component.to_string(),
            total: rows.len(),
            forced: force,
            ..RefreshReport::default()
        };
        let mut active: Vec<String> = rows
            .iter()
            .filter(|r| r.status == AuthorizerStatus::Active)
            .map(|r| r.appid.clone())
            .collect();
        report.skipped_revoked = rows.len() - active.len();
        if !force {
            let now = self.now();
            let scope = self.scope();
            let before = active.len();
            active = self.store().read(|c| {
                let mut due = Vec::with_capacity(active.len());
                for appid in active {
                    let owner = authorizer_owner(component, &appid);
                    let cached = token_store::get(c, scope, TokenKind::Authorizer, &owner)?;
                    if !cached.is_some_and(|t| fresh_enough(t.expires_at, now)) {
                        due.push(appid);
                    }
                }
                Ok(due)
            })?;
            report.skipped_fresh = before - active.len();
        }
        let pass = each_merchant(active, concurrency, progress, cancel, |appid| async move {
            self.authorizer_token(component, &appid, force).await
        })
        .await;
        report.refreshed = pass.ok;
        report.failed = pass.failed;
        report.not_started = pass.not_started;
        report.cancelled = pass.not_started > 0;
        Ok(report)
    }
}
