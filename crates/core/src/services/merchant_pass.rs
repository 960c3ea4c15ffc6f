//! One cancellable pass over a platform's merchants, shared by the bulk
//! token refresh and the missing-profile fetch: at most `concurrency` calls
//! at once, progress after each, no new call once `cancel` is set, and one
//! merchant's failure recorded without stopping the others.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::stream::{self, StreamExt};

use crate::error::Result;
use crate::services::authorizers_bulk::{failure, RefreshFailure};

/// What a pass ended with.
pub(crate) struct PassOutcome {
    /// Merchants whose call succeeded.
    pub ok: usize,
    /// The others, sorted by appid.
    pub failed: Vec<RefreshFailure>,
    /// Merchants never started (the pass was cancelled).
    pub not_started: usize,
}

/// Runs `call` for each of `appids`, `concurrency` at a time, reporting
/// `progress(done, total)` from `(0, total)` on.
pub(crate) async fn each_merchant<T, F, Fut>(
    appids: Vec<String>,
    concurrency: usize,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &AtomicBool,
    call: F,
) -> PassOutcome
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let total = appids.len();
    progress(0, total);
    let mut out = PassOutcome {
        ok: 0,
        failed: Vec::new(),
        not_started: 0,
    };
    let mut started = 0usize;
    let mut done = 0usize;
    // Owned appids (not `&String`) keep the stream's future Send for any
    // lifetime, so the pass can run as a spawned job.
    let mut results = stream::iter(appids.into_iter().map(|appid: String| {
        let skip = cancel.load(Ordering::SeqCst);
        if !skip {
            started += 1;
        }
        let running = (!skip).then(|| call(appid.clone()));
        async move { Some((appid, running?.await)) }
    }))
    .buffer_unordered(concurrency);
    while let Some(outcome) = results.next().await {
        let Some((appid, result)) = outcome else {
            continue;
        };
        match result {
            Ok(_) => out.ok += 1,
            Err(e) => out.failed.push(failure(&appid, &e)),
        }
        done += 1;
        progress(done, total);
    }
    drop(results);
    out.not_started = total - started;
    out.failed.sort_by(|a, b| a.appid.cmp(&b.appid));
    out
}
