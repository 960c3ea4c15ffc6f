//! Running a batch: each merchant through its steps, a bounded number at a
//! time, never sending a consuming call twice.
//!
//! Before a commit, submit, release or revert leaves, the merchant's row is
//! committed as `sending` with the time. After the call, the outcome is
//! written. A row found in `sending` (the process died, or the answer was
//! lost) is reconciled by reading WeChat — the experience version and its
//! commit time, the latest audit and its submit time, the released version —
//! and only a step WeChat shows as not consumed is sent again. A lease on the
//! batch row keeps two processes from running one batch at once.
//!
//! After a submit, a batch that goes on to release waits for the audit's
//! end, whichever comes first: the audit push (applied by the inbox to the
//! version state, `services::wxa_state`) or polling `get_auditstatus` with
//! backoff. The calls themselves are the code-management services
//! (`services::wxa_code`, `wxa_audit`, `wxa_release`); nothing here retries them.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use wxdesk_wechat::api::wxa_audit::AuditState;

use crate::error::{Error, ErrorBody, Result};
use crate::services::batch::{
    item_error, local_error, parse_steps, pid_of, process_gone, BatchPlan, BatchStep, BatchView,
    ItemPhase,
};
use crate::services::profiles::render_ext_json;
use crate::services::wxa_check::{CheckFinding, CheckInput, Severity};
use crate::services::wxa_code::CommitInput;
use crate::store::authorizers;
use crate::store::batches::{self, ItemRow};
use crate::Desk;

/// How long a runner's lease holds without renewal.
const LEASE_SECS: i64 = 30;
/// Renew the lease when this little of it is used.
const RENEW_AFTER_SECS: i64 = 10;
/// Tolerance between the desk's clock and WeChat's when reconciling.
const SKEW_SECS: i64 = 2;
/// First audit poll interval; doubles up to [`POLL_MAX`].
const POLL_FIRST: Duration = Duration::from_millis(500);
/// Longest audit poll interval.
const POLL_MAX: Duration = Duration::from_secs(60);
/// How often a waiting merchant looks at pushes and the cancel flag.
const TICK: Duration = Duration::from_millis(250);

/// What a step's call did.
enum Sent {
    /// It was consumed; the next step follows.
    Done,
    /// A submission: its auditid.
    Audit(i64),
}

struct Runner<'a> {
    desk: &'a Desk,
    id: String,
    component: String,
    steps: Vec<BatchStep>,
    plan: BatchPlan,
    nicknames: BTreeMap<String, String>,
    me: String,
    renewed: AtomicI64,
    cancel: &'a AtomicBool,
}

/// Whether a failed call may still have reached WeChat and been consumed.
fn may_be_consumed(e: &Error) -> bool {
    use wxdesk_wechat::Error as W;
    matches!(
        e,
        Error::Wechat(W::Timeout { .. } | W::Transport { .. } | W::Http { .. } | W::Decode { .. })
    )
}

impl Runner<'_> {
    fn now(&self) -> i64 {
        self.desk.now()
    }

    /// Renews the lease when due; true when the batch should stop (cancel
    /// asked here or by another process).
    fn stopped(&self) -> Result<bool> {
        if self.cancel.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let t = self.now();
        let store = self.desk.store();
        if t - self.renewed.load(Ordering::Relaxed) >= RENEW_AFTER_SECS {
            store.write(|c| batches::take_lease(c, &self.id, &self.me, t + LEASE_SECS, t))?;
            self.renewed.store(t, Ordering::Relaxed);
        }
        let state = store.read(|c| batches::batch_state(c, &self.id))?;
        Ok(matches!(state.as_deref(), Some("cancelling" | "cancelled")))
    }

    fn save(&self, item: &mut ItemRow) -> Result<()> {
        item.updated_at = self.now();
        self.desk
            .store()
            .write(|c| batches::put_item(c, &self.id, item))
    }

    fn fail(&self, item: &mut ItemRow, e: &Error) -> Result<()> {
        item.phase = ItemPhase::Failed.word().into();
        item_error(item, &e.body());
        self.save(item)
    }

    fn advance(&self, item: &mut ItemRow) -> Result<()> {
        item.step += 1;
        item.sending_at = None;
        item.before = None;
        item.phase = if usize::try_from(item.step).unwrap_or(usize::MAX) >= self.steps.len() {
            ItemPhase::Done
        } else {
            ItemPhase::Pending
        }
        .word()
        .into();
        self.save(item)
    }

    /// Records a consumed step's outcome.
    fn consumed(&self, item: &mut ItemRow, step: BatchStep, sent: Sent) -> Result<()> {
        if let Sent::Audit(id) = sent {
            item.auditid = Some(id);
            let next = self.steps.get(usize::try_from(item.step).unwrap_or(0) + 1);
            if step == BatchStep::Submit && next.is_some() {
                item.phase = ItemPhase::Auditing.word().into();
                item.sending_at = None;
                return self.save(item);
            }
        }
        self.advance(item)
    }

    async fn run_item(&self, mut item: ItemRow) -> Result<()> {
        loop {
            let phase = ItemPhase::parse(&item.phase);
            if phase.is_final() {
                return Ok(());
            }
            let Some(step) = usize::try_from(item.step)
                .ok()
                .and_then(|s| self.steps.get(s).copied())
            else {
                item.phase = ItemPhase::Done.word().into();
                return self.save(&mut item);
            };
            match phase {
                ItemPhase::Pending => {
                    if self.stopped()? {
                        return Ok(());
                    }
                    if step == BatchStep::Submit && self.plan.check {
                        match self.ready(&item.appid).await {
                            Ok(None) => {}
                            Ok(Some(body)) => {
                                item.phase = ItemPhase::Failed.word().into();
                                item_error(&mut item, &body);
                                return self.save(&mut item);
                            }
                            Err(e) => return self.fail(&mut item, &e),
                        }
                    }
                    if matches!(step, BatchStep::Release | BatchStep::Revert) {
                        match self.release_fingerprint(&item.appid).await {
                            Ok(f) => item.before = Some(f),
                            Err(e) => return self.fail(&mut item, &e),
                        }
                    }
                    item.phase = ItemPhase::Sending.word().into();
                    item.sending_at = Some(self.now());
                    self.save(&mut item)?;
                    match self.send(step, &item.appid).await {
                        Ok(sent) => self.consumed(&mut item, step, sent)?,
                        Err(e) if may_be_consumed(&e) => match self.reconcile(step, &item).await? {
                            Some(sent) => self.consumed(&mut item, step, sent)?,
                            None => return self.fail(&mut item, &e),
                        },
                        Err(e) => return self.fail(&mut item, &e),
                    }
                }
                ItemPhase::Sending => match self.reconcile(step, &item).await? {
                    Some(sent) => self.consumed(&mut item, step, sent)?,
                    None => {
                        // WeChat shows it was not consumed: sending it is safe.
                        item.phase = ItemPhase::Pending.word().into();
                        item.sending_at = None;
                        self.save(&mut item)?;
                    }
                },
                ItemPhase::Auditing => match self.wait_audit(&item).await? {
                    None => return Ok(()),
                    Some((AuditState::Success, _)) => self.advance(&mut item)?,
                    Some((state, reason)) => {
                        item.phase = ItemPhase::Failed.word().into();
                        let word = crate::services::wxa_state::audit_word(state);
                        let body = local_error(format!(
                            "audit {} {word}: {}",
                            item.auditid.unwrap_or_default(),
                            if reason.is_empty() {
                                "no reason given"
                            } else {
                                &reason
                            }
                        ));
                        item_error(&mut item, &body);
                        item.hint =
                            Some("fix what the reason says, then commit and submit again".into());
                        item.hint_zh = Some("按驳回原因修改后，重新提交代码并提审".into());
                        return self.save(&mut item);
                    }
                },
                ItemPhase::Done | ItemPhase::Failed => return Ok(()),
            }
        }
    }

    /// Sends the consuming call of `step` (through the code-management services).
    async fn send(&self, step: BatchStep, appid: &str) -> Result<Sent> {
        let d = self.desk;
        let comp = Some(self.component.as_str());
        let profile = &self.plan.profile;
        match step {
            BatchStep::Commit => {
                let nickname = self.nicknames.get(appid).cloned().unwrap_or_default();
                if let Some(t) = &profile.ext_json {
                    // Names the variable and the merchant on failure.
                    render_ext_json(t, appid, &nickname, &profile.vars)?;
                }
                let mut vars = profile.vars.rows.get(appid).cloned().unwrap_or_default();
                vars.insert("nickname".into(), nickname);
                let input = CommitInput {
                    template_id: profile.template_id,
                    user_version: self.plan.user_version.clone(),
                    user_desc: self.plan.user_desc.clone(),
                    ext_json: profile.ext_json.clone(),
                    vars,
                };
                d.wxa_commit(appid, comp, &input).await.map(|_| Sent::Done)
            }
            BatchStep::Submit => d
                .wxa_submit_audit(appid, comp, &profile.audit.request())
                .await
                .map(|v| Sent::Audit(v.auditid)),
            BatchStep::Release => d.wxa_release(appid, comp, true).await.map(|_| Sent::Done),
            BatchStep::Revert => d
                .wxa_revert_release(appid, comp, None, true)
                .await
                .map(|_| Sent::Done),
        }
    }

    /// The readiness check (reads only): the blockers as an error body, if any.
    async fn ready(&self, appid: &str) -> Result<Option<ErrorBody>> {
        let p = &self.plan.profile;
        let input = CheckInput {
            item_list: p.audit.item_list.clone(),
            domains: p
                .domains
                .as_ref()
                .map(|d| d.server())
                .filter(|d| !d.is_empty()),
            privacy: p.privacy.clone(),
        };
        let v = self
            .desk
            .wxa_audit_check(appid, Some(&self.component), &input)
            .await?;
        if v.ready {
            return Ok(None);
        }
        let blockers: Vec<&CheckFinding> = v
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Blocker)
            .collect();
        let join = |f: fn(&CheckFinding) -> &str| {
            blockers.iter().map(|b| f(b)).collect::<Vec<_>>().join("; ")
        };
        let mut body = local_error(format!(
            "not submitted, the readiness check found: {}",
            join(|b| &b.message)
        ));
        body.hint = Some(join(|b| &b.fix));
        body.hint_zh = Some(join(|b| &b.fix_zh));
        Ok(Some(body))
    }

    /// The released version and its time, to tell whether a release or a revert happened.
    async fn release_fingerprint(&self, appid: &str) -> Result<String> {
        let s = self
            .desk
            .wxa_release_status(appid, Some(&self.component))
            .await?;
        Ok(match s.version_info.release_info {
            Some(r) => format!("{}@{}", r.release_version, r.release_time),
            None => String::new(),
        })
    }

    /// Reads WeChat to tell whether the step marked `sending` was consumed.
    async fn reconcile(&self, step: BatchStep, item: &ItemRow) -> Result<Option<Sent>> {
        let since = item.sending_at.unwrap_or(0) - SKEW_SECS;
        let appid = item.appid.as_str();
        let comp = Some(self.component.as_str());
        match step {
            BatchStep::Commit => {
                let s = self.desk.wxa_release_status(appid, comp).await?;
                Ok(s.version_info
                    .exp_info
                    .filter(|e| e.exp_version == self.plan.user_version && e.exp_time >= since)
                    .map(|_| Sent::Done))
            }
            BatchStep::Submit => match self.desk.wxa_audit_status(appid, comp, None).await {
                Ok(a)
                    if a.user_version == self.plan.user_version && a.submit_audit_time >= since =>
                {
                    Ok(Some(Sent::Audit(a.auditid)))
                }
                Ok(_) => Ok(None),
                // 85012: no audit at all.
                Err(e) if e.errcode() == Some(85012) => Ok(None),
                Err(e) => Err(e),
            },
            BatchStep::Release | BatchStep::Revert => {
                let now = self.release_fingerprint(appid).await?;
                Ok((item.before.as_deref() != Some(now.as_str())).then_some(Sent::Done))
            }
        }
    }

    /// Waits for the end of the merchant's audit: a push (the stored version
    /// state) or a poll, whichever first. `None` when the batch was cancelled.
    async fn wait_audit(&self, item: &ItemRow) -> Result<Option<(AuditState, String)>> {
        let Some(auditid) = item.auditid else {
            return Ok(Some((
                AuditState::Unknown,
                "no auditid was recorded".into(),
            )));
        };
        let appid = item.appid.as_str();
        let comp = Some(self.component.as_str());
        let ended = |s: AuditState| {
            matches!(
                s,
                AuditState::Success | AuditState::Rejected | AuditState::Withdrawn
            )
        };
        let mut interval = POLL_FIRST;
        loop {
            match self.desk.wxa_audit_status(appid, comp, Some(auditid)).await {
                Ok(v) if ended(v.status) => return Ok(Some((v.status, v.reason))),
                Ok(_) => {}
                Err(e) => {
                    tracing::info!(appid, code = %e.code(), "audit poll failed; polling again later")
                }
            }
            let until = std::time::Instant::now() + interval;
            while std::time::Instant::now() < until {
                tokio::time::sleep(TICK).await;
                if self.stopped()? {
                    return Ok(None);
                }
                // A push applied by the inbox lands in the version state.
                let st = self.desk.wxa_version_state(appid, comp)?;
                if st.auditid == Some(auditid) {
                    if let Some(s) = st.audit_status.filter(|s| ended(*s)) {
                        return Ok(Some((s, st.audit_reason.unwrap_or_default())));
                    }
                }
            }
            interval = (interval * 2).min(POLL_MAX);
        }
    }
}

impl Desk {
    /// Runs (or resumes) batch `id` until every merchant is done or failed,
    /// or until it is cancelled (`cancel`, or `batch_cancel` from any
    /// process). `progress(done, total)` is called as merchants finish.
    pub async fn batch_execute(
        &self,
        id: &str,
        cancel: &AtomicBool,
        progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<BatchView> {
        let t = self.now();
        let me = format!("{}:{:08x}", std::process::id(), rand::random::<u32>());
        let row = self.store().write(|c| {
            let row = batches::get_batch(c, id)?.ok_or_else(|| Error::not_found("batch", format!("{id} (see wxdesk batch list)")))?;
            if row.state == "done" {
                return Ok(row);
            }
            let mut got = batches::take_lease(c, id, &me, t + LEASE_SECS, t)?;
            if !got {
                if let Some(other) = row.runner.as_deref().filter(|r| pid_of(r).is_some_and(process_gone)) {
                    batches::clear_lease(c, id, other)?;
                    got = batches::take_lease(c, id, &me, t + LEASE_SECS, t)?;
                }
            }
            if !got {
                return Err(Error::invalid(
                    "batch_id",
                    format!(
                        "batch {id} is being run by another process ({}); wait for it, or cancel it first",
                        row.runner.as_deref().unwrap_or("?")
                    ),
                ));
            }
            batches::set_batch_state(c, id, "running", t)?;
            Ok(row)
        })?;
        if row.state == "done" {
            return self.batch_status(id);
        }
        let plan: BatchPlan = serde_json::from_str(&row.plan).map_err(|e| {
            Error::invalid(
                "batch_id",
                format!("batch {id} has an unreadable plan: {e}"),
            )
        })?;
        let nicknames = self
            .store()
            .read(|c| {
                authorizers::list(
                    c,
                    &authorizers::AuthorizerFilter {
                        component_appid: Some(&row.component_appid),
                        status: None,
                        account_type: None,
                        search: None,
                    },
                )
            })?
            .into_iter()
            .map(|r| (r.appid, r.nick_name))
            .collect();
        let runner = Runner {
            desk: self,
            id: id.to_string(),
            component: row.component_appid.clone(),
            steps: parse_steps(&row.steps),
            plan,
            nicknames,
            me: me.clone(),
            renewed: AtomicI64::new(t),
            cancel,
        };
        let items = self.store().read(|c| batches::items(c, id))?;
        let total = items.len();
        let finished = AtomicUsize::new(
            items
                .iter()
                .filter(|i| ItemPhase::parse(&i.phase).is_final())
                .count(),
        );
        progress(finished.load(Ordering::Relaxed), total);
        let open: Vec<ItemRow> = items
            .into_iter()
            .filter(|i| !ItemPhase::parse(&i.phase).is_final())
            .collect();
        let concurrency = usize::try_from(row.concurrency).unwrap_or(1).max(1);
        let first_error = std::sync::Mutex::new(None::<Error>);
        futures_util::stream::iter(open)
            .for_each_concurrent(concurrency, |item| {
                let runner = &runner;
                let finished = &finished;
                let first_error = &first_error;
                async move {
                    let appid = item.appid.clone();
                    match runner.run_item(item).await {
                        Ok(()) => {}
                        Err(e) => {
                            tracing::warn!(appid = %appid, code = %e.code(), "batch item interrupted; resume reconciles it");
                            let mut g = first_error.lock().unwrap_or_else(|p| p.into_inner());
                            g.get_or_insert(e);
                        }
                    }
                    let phase = self
                        .store()
                        .read(|c| batches::item(c, &runner.id, &appid))
                        .ok()
                        .flatten()
                        .map(|i| ItemPhase::parse(&i.phase));
                    if phase.is_some_and(ItemPhase::is_final) {
                        let n = finished.fetch_add(1, Ordering::Relaxed) + 1;
                        progress(n, total);
                    }
                }
            })
            .await;
        let stopped = runner.stopped().unwrap_or(true);
        let end = self.now();
        self.store().write(|c| {
            let items = batches::items(c, id)?;
            let all_final = items.iter().all(|i| ItemPhase::parse(&i.phase).is_final());
            let state = if all_final {
                "done"
            } else if stopped {
                "cancelled"
            } else {
                "running"
            };
            batches::set_batch_state(c, id, state, end)?;
            batches::drop_lease(c, id, &me)
        })?;
        if let Some(e) = first_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
            if !stopped {
                return Err(e);
            }
        }
        self.batch_status(id)
    }
}
