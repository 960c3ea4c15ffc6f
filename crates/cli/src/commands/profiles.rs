//! `authorizer info --all-missing --component C`: fetch the profile of every
//! active merchant that has none (after a sync, so no row stays "profile not
//! fetched yet").
//!
//! Runs the `authorizer_fetch_missing` operation's job through the operation
//! table and polls it: progress on a terminal's stderr, Ctrl-C cancels (the
//! fetches in flight finish; the rest are reported as not started).

use std::io::{IsTerminal, Write};
use std::time::Duration;

use wxdesk_core::ops::jobs::JobState;
use wxdesk_core::ops::merchants::{self as op, FetchMissingArgs};
use wxdesk_core::ops::Runtime;
use wxdesk_core::services::merchants::ProfilesReport;
use wxdesk_core::ErrorCode;

use super::Ctx;
use crate::output::CliError;
use crate::text::Table;

/// Fetches every missing profile of `component`.
pub async fn fetch_missing(
    ctx: &Ctx<'_>,
    component: &str,
    concurrency: Option<usize>,
) -> Result<(), CliError> {
    let rt = Runtime::open_once(ctx.desk_options()?)?;
    let started = op::authorizer_fetch_missing(
        &rt,
        FetchMissingArgs {
            component_appid: component.to_string(),
            concurrency,
        },
    )
    .await?;
    let id = started.job_id;
    let tty = std::io::stderr().is_terminal();
    let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
    let mut cancelled = false;
    let view = loop {
        let v = rt.jobs().status(&id)?;
        if v.state != JobState::Running {
            break v;
        }
        if tty {
            eprint!("\rfetching profiles {}/{}", v.done, v.total);
            let _ = std::io::stderr().flush();
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(100)) => {}
            _ = &mut ctrl_c, if !cancelled => {
                cancelled = true;
                rt.jobs().cancel(&id)?;
            }
        }
    };
    if tty {
        eprintln!();
    }
    if let Some(e) = view.error {
        let err = CliError::new(e.code, e.message);
        return Err(match e.hint {
            Some(h) => err.with_hint(h),
            None => err,
        });
    }
    let report: ProfilesReport = view
        .result
        .and_then(|r| serde_json::from_value(r).ok())
        .ok_or_else(|| CliError::new(ErrorCode::Internal, "the job ended without a report"))?;
    let mut text = format!(
        "{}: {} merchant(s) without a profile; {} fetched, {} failed",
        report.component_appid,
        report.total,
        report.fetched,
        report.failed.len()
    );
    if report.cancelled {
        text.push_str(&format!("; cancelled, {} not started", report.not_started));
    }
    if !report.failed.is_empty() {
        let mut t = Table::new(&["APPID", "ERRCODE", "ERROR"]);
        for f in &report.failed {
            t.row(vec![
                f.appid.clone(),
                f.errcode.map(|c| c.to_string()).unwrap_or_default(),
                f.message.clone(),
            ]);
        }
        text.push('\n');
        text.push_str(&t.render(""));
    }
    ctx.out.view(&report, &text)
}
