//! Operations of the merchant page and list: notes and tags, and the bulk
//! job fetching every missing profile. Their arguments live here, so this
//! area's additions stay out of the shared files.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::jobs::JobStarted;
use super::Runtime;
use crate::error::{Error, Result};
use crate::services::authorizers::AuthorizerView;

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
