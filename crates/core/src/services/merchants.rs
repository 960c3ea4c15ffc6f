//! The merchant as a home: what the operator keeps on each authorizer
//! (notes and tags, searchable in the list), its token's expiry shown in the
//! list, and the bulk job that fetches every missing profile after a sync so
//! no row stays "profile not fetched yet".
//!
//! A sync (`api_get_authorizer_list`) tells only appids and refresh tokens;
//! names come from `api_get_authorizer_info`, one call per merchant.
//! [`Desk::authorizer_fetch_missing`] makes those calls for every active
//! merchant without a profile, a bounded number at a time, with progress and
//! cancellation, through the same [`Desk::authorizer_refresh_info`] a single
//! fetch uses.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::authorizers::AuthorizerView;
use crate::services::authorizers_bulk::RefreshFailure;
use crate::services::merchant_pass::each_merchant;
use crate::store::authorizers::{self, AuthorizerFilter, AuthorizerStatus};
use crate::store::merchant_notes::{self, MerchantNotes};
use crate::store::{components, token_rows as token_store};
use crate::token_types::{authorizer_owner, TokenKind};

/// Longest note, in characters.
pub const MAX_NOTES_CHARS: usize = 4000;
/// Most tags on one merchant.
pub const MAX_TAGS: usize = 20;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 32;
/// Profile fetches in flight when the caller does not say.
pub const DEFAULT_PROFILE_CONCURRENCY: usize = 8;
/// Most profile fetches in flight.
pub const MAX_PROFILE_CONCURRENCY: usize = 32;

/// What fetching the missing profiles did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ProfilesReport {
    /// The platform.
    pub component_appid: String,
    /// Active merchants without a profile when the job started.
    pub total: usize,
    /// Profiles fetched and stored.
    pub fetched: usize,
    /// Failures, one per merchant.
    pub failed: Vec<RefreshFailure>,
    /// True when the run was cancelled; `not_started` merchants were not attempted.
    pub cancelled: bool,
    /// Merchants not attempted because of the cancellation.
    pub not_started: usize,
}

/// Checks and tidies notes and tags: tags are trimmed, de-duplicated (ignoring
/// case) and bounded; the field at fault is named.
pub fn clean_notes(notes: &str, tags: &[String]) -> Result<MerchantNotes> {
    let notes = notes.trim();
    if notes.chars().count() > MAX_NOTES_CHARS {
        return Err(Error::invalid(
            "notes",
            format!("notes are limited to {MAX_NOTES_CHARS} characters; shorten them"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(Error::invalid(
                "tags",
                format!("tag {t:?} is longer than {MAX_TAG_CHARS} characters; shorten it"),
            ));
        }
        if t.contains(',') || t.chars().any(char::is_control) {
            return Err(Error::invalid(
                "tags",
                format!("tag {t:?} holds a comma or a control character; give each tag separately, e.g. [\"vip\", \"retail\"]"),
            ));
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(Error::invalid(
            "tags",
            format!("at most {MAX_TAGS} tags per merchant; remove some"),
        ));
    }
    Ok(MerchantNotes {
        notes: notes.to_string(),
        tags: out,
    })
}

impl Desk {
    /// Adds each merchant's notes, tags and cached token expiry to `views`.
    pub(crate) fn decorate_authorizers(
        &self,
        views: &mut [AuthorizerView],
        component: Option<&str>,
    ) -> Result<()> {
        let scope = self.scope().to_string();
        let (notes, expiries) = self.store().read(|c| {
            let notes = merchant_notes::all(c, component)?;
            let expiries: HashMap<String, i64> = token_store::list(c, &scope)?
                .into_iter()
                .filter(|t| t.kind == TokenKind::Authorizer)
                .map(|t| (t.owner, t.expires_at))
                .collect();
            Ok((notes, expiries))
        })?;
        for v in views.iter_mut() {
            if let Some(n) = notes.get(&(v.component_appid.clone(), v.appid.clone())) {
                v.notes = n.notes.clone();
                v.tags = n.tags.clone();
            }
            v.token_expires_at = expiries
                .get(&authorizer_owner(&v.component_appid, &v.appid))
                .copied();
        }
        Ok(())
    }

    /// Replaces the notes and tags of a merchant; returns it as shown.
    pub fn merchant_notes_set(
        &self,
        component: &str,
        appid: &str,
        notes: &str,
        tags: &[String],
    ) -> Result<AuthorizerView> {
        crate::services::apps::check_appid("component_appid", component)?;
        crate::services::apps::check_appid("appid", appid)?;
        let cleaned = clean_notes(notes, tags)?;
        let now = self.now();
        self.store().write(|tx| {
            authorizers::require(tx, component, appid)?;
            merchant_notes::set(tx, component, appid, &cleaned, now)
        })?;
        self.authorizer_show(appid, Some(component))
    }

    /// Active merchants of `component` whose profile was never fetched.
    pub fn authorizers_missing_profile(&self, component: &str) -> Result<Vec<String>> {
        crate::services::apps::check_appid("component_appid", component)?;
        self.store().read(|c| {
            components::require(c, component)?;
            Ok(authorizers::list(
                c,
                &AuthorizerFilter {
                    component_appid: Some(component),
                    status: Some(AuthorizerStatus::Active),
                    ..AuthorizerFilter::default()
                },
            )?
            .into_iter()
            .filter(|r| r.info.is_none())
            .map(|r| r.appid)
            .collect())
        })
    }

    /// Fetches the profile of every active merchant of `component` that has
    /// none, `concurrency` at a time (default 8, at most 32). Stops starting
    /// new fetches once `cancel` is set; one merchant's failure does not stop
    /// the others.
    pub async fn authorizer_fetch_missing(
        &self,
        component: &str,
        concurrency: Option<usize>,
        progress: &(dyn Fn(usize, usize) + Sync),
        cancel: &AtomicBool,
    ) -> Result<ProfilesReport> {
        let concurrency = concurrency
            .unwrap_or(DEFAULT_PROFILE_CONCURRENCY)
            .clamp(1, MAX_PROFILE_CONCURRENCY);
        let missing = self.authorizers_missing_profile(component)?;
        let total = missing.len();
        let pass = each_merchant(missing, concurrency, progress, cancel, |appid| async move {
            self.authorizer_refresh_info(&appid, Some(component)).await
        })
        .await;
        Ok(ProfilesReport {
            component_appid: component.to_string(),
            total,
            fetched: pass.ok,
            failed: pass.failed,
            cancelled: pass.not_started > 0,
            not_started: pass.not_started,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_deduplicated_and_checked() {
        let n = clean_notes(
            "  pays late ",
            &[" vip ".into(), "VIP".into(), "".into(), "retail".into()],
        )
        .unwrap();
        assert_eq!(n.notes, "pays late");
        assert_eq!(n.tags, vec!["vip".to_string(), "retail".to_string()]);
        let e = clean_notes("", &["a,b".into()]).unwrap_err().to_string();
        assert!(e.contains("tags"), "{e}");
        let long = "x".repeat(MAX_NOTES_CHARS + 1);
        let e = clean_notes(&long, &[]).unwrap_err().to_string();
        assert!(e.contains("notes"), "{e}");
    }
}
