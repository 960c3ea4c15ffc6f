//! The release-profile and batch operations: thin translations from
//! [`super::batch_args`] to the `Desk` methods of `services::profiles`,
//! `services::batch` and `services::batch_run`. A batch runs as a job of the
//! runtime (progress in `job_status`), and its durable state is the batch
//! itself (`batch_status`), so a batch outlives the process that started it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::batch_args::*;
use super::Runtime;
use crate::error::{Error, Result};
use crate::services::batch::{
    BatchInput, BatchView, Selection, DEFAULT_CONCURRENCY, MAX_CONCURRENCY,
};
use crate::services::profiles::{ProfileApplied, ProfileInput, ProfileRemoved, ProfileView};

/// A batch that started (or resumed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchStarted {
    /// The batch (`batch_status`, `batch_cancel`, `batch_resume`).
    pub batch_id: String,
    /// The job running it in this process (`job_status` for progress).
    pub job_id: String,
    /// The batch as it starts.
    pub batch: BatchView,
}

/// The batch settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchSettingsView {
    /// Merchants a batch runs at once unless it says.
    pub concurrency: u32,
    /// The built-in default.
    pub default_concurrency: u32,
    /// The most allowed.
    pub max_concurrency: u32,
}

fn selection(appids: Vec<String>, all: bool) -> Result<Selection> {
    match (all, appids.is_empty()) {
        (true, true) => Ok(Selection::All),
        (false, false) => Ok(Selection::List { appids }),
        (true, false) => Err(Error::invalid(
            "appids",
            "give either appids or all, not both",
        )),
        (false, true) => Err(Error::invalid(
            "appids",
            "no merchant selected: give appids (e.g. a file of appids) or all: true",
        )),
    }
}

pub async fn profile_set(rt: &Runtime, a: ProfileSetArgs) -> Result<ProfileView> {
    rt.desk().profile_set(
        &a.component_appid,
        &a.name,
        ProfileInput {
            template_id: a.template_id,
            user_version: a.user_version,
            user_desc: a.user_desc,
            ext_json: a.ext_json,
            vars_csv: a.vars_csv,
            domains: a.domains,
            privacy: a.privacy,
            audit: a.audit,
        },
    )
}
pub async fn profile_list(rt: &Runtime, a: ProfileListArgs) -> Result<Vec<ProfileView>> {
    rt.desk().profile_list(&a.component_appid)
}
pub async fn profile_show(rt: &Runtime, a: ProfileNameArgs) -> Result<ProfileView> {
    rt.desk().profile_show(&a.component_appid, &a.name)
}
pub async fn profile_delete(rt: &Runtime, a: ProfileNameArgs) -> Result<ProfileRemoved> {
    rt.desk().profile_delete(&a.component_appid, &a.name)
}
pub async fn profile_apply(rt: &Runtime, a: ProfileApplyArgs) -> Result<Vec<ProfileApplied>> {
    let desk = rt.desk();
    let sel = selection(a.appids, a.all)?;
    let concurrency = match a.concurrency {
        Some(n) => n,
        None => desk.batch_concurrency()?,
    };
    desk.profile_apply(&a.component_appid, &a.name, &sel, concurrency)
        .await
}
pub async fn batch_run(rt: &Runtime, a: BatchRunArgs) -> Result<BatchStarted> {
    let desk = rt.desk();
    let batch = desk
        .batch_create(BatchInput {
            component: a.component_appid,
            profile: a.profile,
            selection: selection(a.appids, a.all)?,
            steps: a.steps,
            concurrency: a.concurrency,
            check: a.check,
            confirmed: a.confirmed,
        })
        .await?;
    Ok(start(rt, batch))
}
pub async fn batch_resume(rt: &Runtime, a: BatchIdArgs) -> Result<BatchStarted> {
    let batch = rt.desk().batch_status(&a.batch_id)?;
    if batch.active {
        return Err(Error::invalid(
            "batch_id",
            format!(
                "batch {} is running in a process now; wait for it, or cancel it first",
                a.batch_id
            ),
        ));
    }
    Ok(start(rt, batch))
}
fn start(rt: &Runtime, batch: BatchView) -> BatchStarted {
    let desk = rt.desk();
    let id = batch.batch_id.clone();
    let started = rt.jobs().start("batch_run", move |ctl| async move {
        let progress = |d: usize, t: usize| ctl.progress(d, t);
        let v = desk
            .batch_execute(&id, ctl.cancel_flag(), &progress)
            .await?;
        serde_json::to_value(v).map_err(|e| Error::invalid("result", e.to_string()))
    });
    BatchStarted {
        batch_id: batch.batch_id.clone(),
        job_id: started.job_id,
        batch,
    }
}
pub async fn batch_status(rt: &Runtime, a: BatchIdArgs) -> Result<BatchView> {
    rt.desk().batch_status(&a.batch_id)
}
pub async fn batch_cancel(rt: &Runtime, a: BatchIdArgs) -> Result<BatchView> {
    rt.desk().batch_cancel(&a.batch_id)
}
pub async fn batch_list(rt: &Runtime, a: BatchListArgs) -> Result<Vec<BatchView>> {
    rt.desk().batch_list(a.component_appid.as_deref())
}
fn settings_view(n: u32) -> BatchSettingsView {
    BatchSettingsView {
        concurrency: n,
        default_concurrency: DEFAULT_CONCURRENCY,
        max_concurrency: MAX_CONCURRENCY,
    }
}
pub async fn batch_settings(rt: &Runtime, _a: super::args::NoArgs) -> Result<BatchSettingsView> {
    Ok(settings_view(rt.desk().batch_concurrency()?))
}
pub async fn batch_set_concurrency(
    rt: &Runtime,
    a: BatchConcurrencyArgs,
) -> Result<BatchSettingsView> {
    Ok(settings_view(
        rt.desk().set_batch_concurrency(a.concurrency)?,
    ))
}
