//! Batches: one profile's steps (commit, submit, release, or revert) across
//! many merchants, resumable.
//!
//! A batch is a table row and one row per merchant, written before anything
//! is sent; the runner (`services::batch_run`) moves each merchant through
//! its steps and writes `sending` before every consuming call. This module
//! creates, shows, lists and cancels batches; a cancel is a state in the
//! database, so `wxdesk batch cancel` in one process stops a batch another
//! process runs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, ErrorBody, ErrorCode, Result};
use crate::services::profiles::{Profile, ProfileVars};
use crate::store::authorizers::{self, AuthorizerFilter, AuthorizerStatus};
use crate::store::batches::{self, BatchRow, ItemRow};
use crate::store::settings as kv;
use crate::Desk;

pub use crate::services::batch_steps::{check_steps, BatchState, BatchStep, ItemPhase};

/// Merchants at once when neither the batch nor the setting says.
///
/// WeChat's limits on these calls are per mini program (daily call quotas,
/// the monthly submit quota, one audit at a time), and a batch makes one
/// commit and one submit per merchant. For the platform as a whole WeChat
/// publishes no per-second limit; it answers 45009/45011 ("api freq out of
/// limit") when called too fast. Twenty calls in flight per platform is a
/// conservative bound that keeps a 200-merchant batch to seconds.
pub const DEFAULT_CONCURRENCY: u32 = 20;
/// The most a batch may run at once.
pub const MAX_CONCURRENCY: u32 = 50;
/// The settings key of the default concurrency.
pub const CONCURRENCY_KEY: &str = "batch_concurrency";

/// How to select the merchants of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Selection {
    /// Every active mini-program authorizer of the platform.
    All,
    /// These appids (each must be an active authorizer of the platform).
    List {
        /// The appids.
        appids: Vec<String>,
    },
}

/// What a batch sends, fixed when it is created (a resume sends the same).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchPlan {
    /// The profile as it was when the batch started.
    pub profile: Profile,
    /// The version committed and expected in WeChat's answers.
    pub user_version: String,
    /// Its description.
    pub user_desc: String,
    /// Run the readiness check before each submit; a merchant with a
    /// blocker fails without spending a submission.
    #[serde(default)]
    pub check: bool,
}

/// One merchant's row of the result table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchItemView {
    /// The merchant.
    pub appid: String,
    /// Its nickname, as stored.
    pub nickname: String,
    /// The step it is at (`None` once done).
    pub step: Option<BatchStep>,
    /// Where it is.
    pub phase: ItemPhase,
    /// The audit, once submitted.
    pub auditid: Option<i64>,
    /// WeChat's errcode, when a step failed.
    pub errcode: Option<i64>,
    /// What failed, or the audit's rejection reason.
    pub error: Option<String>,
    /// The fix, from the errcode catalogue (English).
    pub hint: Option<String>,
    /// The fix (Chinese).
    pub hint_zh: Option<String>,
    /// Unix seconds.
    pub updated_at: i64,
}

/// Counts of a batch's merchants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchCounts {
    /// Merchants in the batch.
    pub total: u32,
    /// Not started.
    pub pending: u32,
    /// Sent or waiting for an audit.
    pub in_progress: u32,
    /// Every step succeeded.
    pub done: u32,
    /// A step failed.
    pub failed: u32,
}

/// A batch with its result table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct BatchView {
    /// Its id (`wxdesk batch status ID`).
    pub batch_id: String,
    /// The platform.
    pub component_appid: String,
    /// The profile applied.
    pub profile: String,
    /// The steps.
    pub steps: Vec<BatchStep>,
    /// Merchants at once.
    pub concurrency: u32,
    /// The version committed.
    pub user_version: String,
    /// Where it is.
    pub state: BatchState,
    /// A process is running it now (its lease is held).
    pub active: bool,
    /// Counts.
    pub counts: BatchCounts,
    /// One row per merchant, in batch order (empty in `batch_list`).
    pub items: Vec<BatchItemView>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

/// What creating a batch needs.
#[derive(Debug, Clone)]
pub struct BatchInput {
    /// The platform.
    pub component: String,
    /// The profile's name.
    pub profile: String,
    /// The merchants.
    pub selection: Selection,
    /// The steps.
    pub steps: Vec<BatchStep>,
    /// Merchants at once (default: the setting, else [`DEFAULT_CONCURRENCY`]).
    pub concurrency: Option<u32>,
    /// Run the readiness check before each submit.
    pub check: bool,
    /// A release or revert across merchants was confirmed.
    pub confirmed: bool,
}

pub(crate) fn parse_steps(s: &str) -> Vec<BatchStep> {
    s.split(',').filter_map(BatchStep::parse).collect()
}

fn steps_text(steps: &[BatchStep]) -> String {
    steps.iter().map(|s| s.word()).collect::<Vec<_>>().join(",")
}

pub(crate) fn item_error(item: &mut ItemRow, e: &ErrorBody) {
    item.errcode = e.errcode;
    item.error = Some(e.message.clone());
    item.hint = e.hint.clone();
    item.hint_zh = e.hint_zh.clone();
}

impl Desk {
    /// The default concurrency of batches (a setting).
    pub fn batch_concurrency(&self) -> Result<u32> {
        Ok(self
            .store()
            .read(|c| kv::get::<u32>(c, CONCURRENCY_KEY))?
            .unwrap_or(DEFAULT_CONCURRENCY))
    }

    /// Sets the default concurrency of batches (1 to [`MAX_CONCURRENCY`]).
    pub fn set_batch_concurrency(&self, n: u32) -> Result<u32> {
        let n = check_concurrency(n)?;
        self.store().write(|c| kv::set(c, CONCURRENCY_KEY, &n))?;
        Ok(n)
    }

    /// Creates a batch (nothing is sent yet): checks the profile, the steps
    /// and every merchant, fixes the version to commit, and stores one
    /// pending row per merchant. Release and revert need `confirmed`.
    pub async fn batch_create(&self, input: BatchInput) -> Result<BatchView> {
        validate_appid("component_appid", &input.component)?;
        check_steps(&input.steps)?;
        let concurrency = match input.concurrency {
            Some(n) => check_concurrency(n)?,
            None => self.batch_concurrency()?,
        };
        let profile = self.profile_show(&input.component, &input.profile)?.profile;
        let appids = self.batch_merchants(&input.component, &input.selection)?;
        if input.steps.contains(&BatchStep::Commit) {
            if let Some(t) = &profile.ext_json {
                // Every merchant's ext_json must render before anything is sent.
                for a in &appids {
                    crate::services::profiles::render_ext_json(
                        t,
                        a,
                        "",
                        &probe_vars(&profile.vars, a),
                    )?;
                }
            }
        }
        let risky = input
            .steps
            .iter()
            .find(|s| matches!(s, BatchStep::Release | BatchStep::Revert));
        if let (Some(step), false) = (risky, input.confirmed) {
            return Err(Error::NeedsConfirmation {
                action: format!(
                    "{} {} mini programs of {}",
                    step.word(),
                    appids.len(),
                    input.component
                ),
                risk: "users of every listed mini program will get the changed version".into(),
            });
        }
        let (user_version, user_desc) = self.batch_version(&input.component, &profile).await?;
        let plan = BatchPlan {
            profile,
            user_version,
            user_desc,
            check: input.check,
        };
        let t = self.now();
        let row = BatchRow {
            id: format!("b{}-{:04x}", t, rand::random::<u16>()),
            component_appid: input.component.clone(),
            profile: input.profile.clone(),
            steps: steps_text(&input.steps),
            concurrency: i64::from(concurrency),
            plan: serde_json::to_string(&plan)
                .map_err(|e| Error::invalid("plan", e.to_string()))?,
            state: "running".into(),
            created_at: t,
            updated_at: t,
            runner: None,
            lease_until: None,
        };
        self.store()
            .write(|c| batches::insert_batch(c, &row, &appids))?;
        self.batch_status(&row.id)
    }

    /// The version to commit: the profile's, else the template's in the library.
    async fn batch_version(&self, component: &str, profile: &Profile) -> Result<(String, String)> {
        if let Some(v) = &profile.user_version {
            return Ok((v.clone(), profile.user_desc.clone().unwrap_or_default()));
        }
        let list = self.wxa_template_list(component, None).await?;
        let t = list
            .into_iter()
            .find(|t| t.template_id == profile.template_id)
            .ok_or_else(|| {
                Error::invalid(
                    "template_id",
                    format!(
                        "template {} is not in the library of {component} (85014); see wxdesk template list",
                        profile.template_id
                    ),
                )
            })?;
        Ok((
            t.user_version,
            profile.user_desc.clone().unwrap_or(t.user_desc),
        ))
    }

    pub(crate) fn batch_merchants(&self, component: &str, sel: &Selection) -> Result<Vec<String>> {
        let rows = self.store().read(|c| {
            authorizers::list(
                c,
                &AuthorizerFilter {
                    component_appid: Some(component),
                    status: Some(AuthorizerStatus::Active),
                    account_type: None,
                    search: None,
                },
            )
        })?;
        let active: std::collections::BTreeSet<&str> = rows
            .iter()
            .filter(|r| r.account_type != "official_account")
            .map(|r| r.appid.as_str())
            .collect();
        let appids: Vec<String> = match sel {
            Selection::All => active.iter().map(|s| s.to_string()).collect(),
            Selection::List { appids } => {
                let mut seen = std::collections::BTreeSet::new();
                let mut out = Vec::new();
                for a in appids {
                    let a = a.trim();
                    if a.is_empty() || !seen.insert(a.to_string()) {
                        continue;
                    }
                    validate_appid("merchants", a)?;
                    if !active.contains(a) {
                        return Err(Error::invalid(
                            "merchants",
                            format!("{a} is not an active mini-program authorizer of {component}; sync the authorizers or remove it from the list"),
                        ));
                    }
                    out.push(a.to_string());
                }
                out
            }
        };
        if appids.is_empty() {
            return Err(Error::invalid(
                "merchants",
                format!("no merchant selected: {component} has no active mini-program authorizer in the selection"),
            ));
        }
        Ok(appids)
    }

    /// A batch with its result table.
    pub fn batch_status(&self, id: &str) -> Result<BatchView> {
        let (row, items) = self.store().read(|c| {
            let row = batches::get_batch(c, id)?;
            let items = batches::items(c, id)?;
            Ok((row, items))
        })?;
        let row =
            row.ok_or_else(|| Error::not_found("batch", format!("{id} (see wxdesk batch list)")))?;
        let nicks = self.store().read(|c| {
            authorizers::list(
                c,
                &AuthorizerFilter {
                    component_appid: Some(&row.component_appid),
                    status: None,
                    account_type: None,
                    search: None,
                },
            )
        })?;
        let nick = |a: &str| {
            nicks
                .iter()
                .find(|r| r.appid == a)
                .map(|r| r.nick_name.clone())
                .unwrap_or_default()
        };
        let steps = parse_steps(&row.steps);
        let items = items
            .into_iter()
            .map(|i| {
                let phase = ItemPhase::parse(&i.phase);
                BatchItemView {
                    nickname: nick(&i.appid),
                    step: if phase == ItemPhase::Done {
                        None
                    } else {
                        usize::try_from(i.step)
                            .ok()
                            .and_then(|s| steps.get(s).copied())
                    },
                    appid: i.appid,
                    phase,
                    auditid: i.auditid,
                    errcode: i.errcode,
                    error: i.error,
                    hint: i.hint,
                    hint_zh: i.hint_zh,
                    updated_at: i.updated_at,
                }
            })
            .collect::<Vec<_>>();
        let mut v = view(&row, steps, self.now());
        v.counts = counts(&items);
        v.items = items;
        Ok(v)
    }

    /// Batches, newest first.
    pub fn batch_list(&self, component: Option<&str>) -> Result<Vec<BatchView>> {
        if let Some(c) = component {
            validate_appid("component_appid", c)?;
        }
        let rows = self
            .store()
            .read(|c| batches::list_batches(c, component, 200))?;
        rows.iter()
            .map(|r| {
                let items = self.store().read(|c| batches::items(c, &r.id))?;
                let mut v = view(r, parse_steps(&r.steps), self.now());
                v.counts = counts_rows(&items);
                Ok(v)
            })
            .collect()
    }

    /// Asks a batch to stop. A running batch stops at its next safe point
    /// (no call is cut in half); `batch resume` continues it.
    pub fn batch_cancel(&self, id: &str) -> Result<BatchView> {
        let t = self.now();
        self.store().write(|c| {
            let row = batches::get_batch(c, id)?.ok_or_else(|| Error::not_found("batch", id))?;
            let next = match BatchState::parse(&row.state) {
                BatchState::Done => {
                    return Err(Error::invalid(
                        "batch_id",
                        format!("batch {id} is finished; nothing to cancel"),
                    ))
                }
                _ if lease_held(&row, t) => "cancelling",
                _ => "cancelled",
            };
            batches::set_batch_state(c, id, next, t)
        })?;
        self.batch_status(id)
    }
}

pub(crate) fn probe_vars(vars: &ProfileVars, appid: &str) -> ProfileVars {
    // The nickname is not known yet; CSV values are checked as they are.
    let mut v = vars.clone();
    v.rows.entry(appid.to_string()).or_default();
    v
}

fn check_concurrency(n: u32) -> Result<u32> {
    if (1..=MAX_CONCURRENCY).contains(&n) {
        Ok(n)
    } else {
        Err(Error::invalid(
            "concurrency",
            format!(
                "{n} is out of range: use 1 to {MAX_CONCURRENCY} (default {DEFAULT_CONCURRENCY})"
            ),
        ))
    }
}

/// True while a live runner holds the batch's lease.
pub(crate) fn lease_held(row: &BatchRow, t: i64) -> bool {
    row.lease_until.is_some_and(|u| u >= t)
        && !row
            .runner
            .as_deref()
            .and_then(pid_of)
            .is_some_and(process_gone)
}

pub(crate) fn pid_of(runner: &str) -> Option<u32> {
    runner.split(':').next()?.parse().ok()
}

/// True when the process is known to be gone (Linux: no `/proc/PID`).
pub(crate) fn process_gone(pid: u32) -> bool {
    cfg!(target_os = "linux")
        && pid != std::process::id()
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn view(row: &BatchRow, steps: Vec<BatchStep>, t: i64) -> BatchView {
    let plan: BatchPlan = serde_json::from_str(&row.plan).unwrap_or_default();
    BatchView {
        batch_id: row.id.clone(),
        component_appid: row.component_appid.clone(),
        profile: row.profile.clone(),
        steps,
        concurrency: u32::try_from(row.concurrency).unwrap_or(DEFAULT_CONCURRENCY),
        user_version: plan.user_version,
        state: BatchState::parse(&row.state),
        active: lease_held(row, t),
        counts: BatchCounts::default(),
        items: Vec::new(),
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

fn counts(items: &[BatchItemView]) -> BatchCounts {
    tally(items.iter().map(|i| i.phase))
}

fn counts_rows(items: &[ItemRow]) -> BatchCounts {
    tally(items.iter().map(|i| ItemPhase::parse(&i.phase)))
}

fn tally(phases: impl Iterator<Item = ItemPhase>) -> BatchCounts {
    let mut c = BatchCounts::default();
    for p in phases {
        c.total += 1;
        match p {
            ItemPhase::Pending => c.pending += 1,
            ItemPhase::Sending | ItemPhase::Auditing => c.in_progress += 1,
            ItemPhase::Done => c.done += 1,
            ItemPhase::Failed => c.failed += 1,
        }
    }
    c
}

/// An error body for a failure the desk itself detected.
pub(crate) fn local_error(message: String) -> ErrorBody {
    ErrorBody::new(ErrorCode::InvalidInput, message)
}
