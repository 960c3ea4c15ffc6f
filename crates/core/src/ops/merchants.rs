//! Operations of the merchant page and list: notes and tags, the bulk
//! job fetching every missing profile, and the list one page at a time. Their arguments live here, so this
//! area's additions stay out of the shared files.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::jobs::JobStarted;
use super::Runtime;
use crate::error::{Error, Result};
use crate::services::authorizer_pages::AuthorizerPage;
use crate::services::authorizers::{AuthorizerQuery, AuthorizerView};
use crate::store::authorizers::AuthorizerStatus;

/// Replace the notes and tags of a merchant.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MerchantNotesArgs {
    /// The platform it authorized.
    pub component_appid: String,
    /// The merchant's AppID.
    pub appid: String,
    /// Free text (empty clears it).
    #[serde(default)]
    pub notes: String,
    /// Tags (empty clears them).
    #[serde(default)]
    pub tags: Vec<String>,
}

/// Fetch the profile of every active merchant of a platform that has none.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct FetchMissingArgs {
    /// The platform.
    pub component_appid: String,
    /// Fetches in flight (default 8, at most 32).
    #[serde(default)]
    pub concurrency: Option<usize>,
}

/// One page of the authorizers list, with the total: the filters of
/// `authorizer_list`, done in SQL, plus the page.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct AuthorizerPageArgs {
    /// Component filter.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// `active` or `revoked`.
    #[serde(default)]
    pub status: Option<AuthorizerStatus>,
    /// `mini_program`, `official_account` or `unknown`.
    #[serde(default)]
    pub account_type: Option<super::wire::AccountType>,
    /// Substring of appid, name, notes or a tag.
    #[serde(default)]
    pub search: Option<String>,
    /// Only merchants with this tag.
    #[serde(default)]
    #[ts(optional)]
    pub tag: Option<String>,
    /// Rows per page (default 50, at most 1000).
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip (default 0).
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

pub async fn authorizer_page(rt: &Runtime, a: AuthorizerPageArgs) -> Result<AuthorizerPage> {
    rt.desk().authorizer_page(
        &AuthorizerQuery {
            component: a.component_appid.filter(|s| !s.is_empty()),
            status: a.status,
            account_type: a.account_type.map(|t| t.as_str().to_string()),
            search: a.search.filter(|s| !s.is_empty()),
            tag: a.tag.filter(|s| !s.is_empty()),
        },
        a.limit,
        a.offset.unwrap_or(0),
    )
}

pub async fn merchant_notes_set(rt: &Runtime, a: MerchantNotesArgs) -> Result<AuthorizerView> {
    rt.desk()
        .merchant_notes_set(a.component_appid.trim(), a.appid.trim(), &a.notes, &a.tags)
}

pub async fn authorizer_fetch_missing(rt: &Runtime, a: FetchMissingArgs) -> Result<JobStarted> {
    let desk = rt.desk();
    let component = a.component_appid.trim().to_string();
    // Bad input fails now, not inside the job.
    desk.authorizers_missing_profile(&component)?;
    Ok(rt
        .jobs()
        .start("authorizer_fetch_missing", move |ctl| async move {
            let progress = |d: usize, t: usize| ctl.progress(d, t);
            let report = desk
                .authorizer_fetch_missing(&component, a.concurrency, &progress, ctl.cancel_flag())
                .await?;
            serde_json::to_value(report).map_err(|e| Error::invalid("result", e.to_string()))
        }))
}
