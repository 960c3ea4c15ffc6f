//! Long operations as jobs: progress that can be polled and work that can be cancelled.
//!
//! Syncing thousands of authorizers or refreshing all their tokens takes
//! seconds. Rather than hold an HTTP request or an IPC call open, such an
//! operation starts a job and returns its id at once; the UI polls
//! `job_status` to draw a progress bar and calls `job_cancel` to stop it.
//! The same mechanism works over both transports, with nothing
//! transport-specific in the core.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::error::{ErrorBody, Result};

/// How many finished jobs are kept for late pollers.
const KEEP_FINISHED: usize = 64;

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Still working.
    Running,
    /// Finished; `result` holds the report.
    Done,
    /// Failed; `error` says why.
    Failed,
    /// Stopped by the user; `result` may hold a partial report.
    Cancelled,
}

/// A job as the UI sees it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct JobView {
    /// Its id.
    pub job_id: String,
    /// What it does (`authorizer_sync`, `authorizer_refresh`).
    pub kind: String,
    /// Where it is.
    pub state: JobState,
    /// Units done.
    pub done: u64,
    /// Units in total (0 while unknown).
    pub total: u64,
    /// The report, when finished.
    #[ts(type = "unknown")]
    pub result: Option<Value>,
    /// The error, when failed.
    pub error: Option<ErrorBody>,
}

/// The handle returned when a job starts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct JobStarted {
    /// Poll it with `job_status`.
    pub job_id: String,
}

/// What a running job can see: its progress counters and its cancel flag.
#[derive(Debug, Default)]
pub struct JobControl {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl JobControl {
    /// Reports progress.
    pub fn progress(&self, done: usize, total: usize) {
        self.done.store(done as u64, Ordering::Relaxed);
        self.total.store(total as u64, Ordering::Relaxed);
    }

    /// The cancel flag to hand to the operation.
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }
}

struct JobEntry {
    kind: String,
    control: Arc<JobControl>,
    outcome: Option<(JobState, Option<Value>, Option<ErrorBody>)>,
    seq: u64,
}

/// The registry of jobs of one runtime.
#[derive(Default)]
pub struct Jobs {
    inner: Mutex<(u64, HashMap<String, JobEntry>)>,
}

impl Jobs {
    /// Starts `work` on the async runtime and returns its id.
    pub fn start<F, Fut>(self: &Arc<Self>, kind: &str, work: F) -> JobStarted
    where
        F: FnOnce(Arc<JobControl>) -> Fut + Send + 'static,
        Fut: Future<Output = Result<Value>> + Send + 'static,
    {
        let control = Arc::new(JobControl::default());
        let id = {
            let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            g.0 += 1;
            let seq = g.0;
            let id = format!("job-{seq}");
            g.1.insert(
                id.clone(),
                JobEntry {
                    kind: kind.to_string(),
                    control: control.clone(),
                    outcome: None,
                    seq,
                },
            );
            id
        };
        let jobs = self.clone();
        let job_id = id.clone();
        tokio::spawn(async move {
            let result = work(control.clone()).await;
            let cancelled = control.cancel.load(Ordering::Relaxed);
            let outcome = match result {
                Ok(v) if cancelled => (JobState::Cancelled, Some(v), None),
                Ok(v) => (JobState::Done, Some(v), None),
                Err(crate::Error::Cancelled) => (JobState::Cancelled, None, None),
                Err(e) => (JobState::Failed, None, Some(e.body())),
            };
            jobs.finish(&job_id, outcome);
        });
        JobStarted { job_id: id }
    }

    fn finish(&self, id: &str, outcome: (JobState, Option<Value>, Option<ErrorBody>)) {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = g.1.get_mut(id) {
            e.outcome = Some(outcome);
        }
        // Forget the oldest finished jobs beyond the bound.
        let mut finished: Vec<(u64, String)> =
            g.1.iter()
                .filter(|(_, e)| e.outcome.is_some())
                .map(|(k, e)| (e.seq, k.clone()))
                .collect();
        if finished.len() > KEEP_FINISHED {
            finished.sort();
            for (_, k) in finished.iter().take(finished.len() - KEEP_FINISHED) {
                g.1.remove(k);
            }
        }
    }

    /// The state of a job.
    pub fn status(&self, id: &str) -> Result<JobView> {
        let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let e =
            g.1.get(id)
                .ok_or_else(|| crate::Error::not_found("job", id))?;
        let (state, result, error) = match &e.outcome {
            None => (JobState::Running, None, None),
            Some((s, r, err)) => (*s, r.clone(), err.clone()),
        };
        Ok(JobView {
            job_id: id.to_string(),
            kind: e.kind.clone(),
            state,
            done: e.control.done.load(Ordering::Relaxed),
            total: e.control.total.load(Ordering::Relaxed),
            result,
            error,
        })
    }

    /// Asks a job to stop; it stops at the next safe point.
    pub fn cancel(&self, id: &str) -> Result<JobView> {
        {
            let g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            let e =
                g.1.get(id)
                    .ok_or_else(|| crate::Error::not_found("job", id))?;
            e.control.cancel.store(true, Ordering::Relaxed);
        }
        self.status(id)
    }
}
