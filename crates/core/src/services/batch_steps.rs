//! The words of a batch: its steps, its states and each merchant's phase,
//! as stored (`batches.steps`, `batches.state`, `batch_items.phase`) and as
//! the UI and scripts see them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// A step of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BatchStep {
    /// `wxa/commit` the profile's template with the merchant's ext_json.
    Commit,
    /// `wxa/submit_audit` with the profile's audit defaults.
    Submit,
    /// `wxa/release` once the audit passed (waits for it).
    Release,
    /// `wxa/revertcoderelease` to the previous version.
    Revert,
}

impl BatchStep {
    /// Its wire word.
    pub fn word(self) -> &'static str {
        match self {
            BatchStep::Commit => "commit",
            BatchStep::Submit => "submit",
            BatchStep::Release => "release",
            BatchStep::Revert => "revert",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<BatchStep> {
        Some(match s.trim() {
            "commit" => BatchStep::Commit,
            "submit" => BatchStep::Submit,
            "release" => BatchStep::Release,
            "revert" => BatchStep::Revert,
            _ => return None,
        })
    }
}

/// Checks a step list: an in-order selection of commit, submit, release, or revert alone.
pub fn check_steps(steps: &[BatchStep]) -> Result<()> {
    let order = |s: &BatchStep| match s {
        BatchStep::Commit => 0,
        BatchStep::Submit => 1,
        BatchStep::Release => 2,
        BatchStep::Revert => 3,
    };
    let ok = !steps.is_empty()
        && (steps == [BatchStep::Revert]
            || (!steps.contains(&BatchStep::Revert)
                && steps.windows(2).all(|w| order(&w[0]) < order(&w[1]))));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "steps",
            "give commit, submit and/or release in that order (e.g. commit,submit), or revert alone",
        ))
    }
}

/// Where a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BatchState {
    /// Being run, or stopped by a crash (resume it).
    Running,
    /// A cancel was asked; the runner stops at its next safe point.
    Cancelling,
    /// Stopped by a cancel; resume continues it.
    Cancelled,
    /// Every merchant is done or failed.
    Done,
}

impl BatchState {
    pub(crate) fn parse(s: &str) -> BatchState {
        match s {
            "cancelling" => BatchState::Cancelling,
            "cancelled" => BatchState::Cancelled,
            "done" => BatchState::Done,
            _ => BatchState::Running,
        }
    }
}

/// Where one merchant is in its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemPhase {
    /// Its current step is not sent yet.
    Pending,
    /// Its current step's call was about to be sent; a resume reconciles it with WeChat.
    Sending,
    /// Submitted; waiting for the audit (push or polling).
    Auditing,
    /// Every step succeeded.
    Done,
    /// A step failed; `error` and `hint` say why.
    Failed,
}

impl ItemPhase {
    pub(crate) fn parse(s: &str) -> ItemPhase {
        match s {
            "sending" => ItemPhase::Sending,
            "auditing" => ItemPhase::Auditing,
            "done" => ItemPhase::Done,
            "failed" => ItemPhase::Failed,
            _ => ItemPhase::Pending,
        }
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            ItemPhase::Pending => "pending",
            ItemPhase::Sending => "sending",
            ItemPhase::Auditing => "auditing",
            ItemPhase::Done => "done",
            ItemPhase::Failed => "failed",
        }
    }

    /// True when nothing more will happen to it.
    pub fn is_final(self) -> bool {
        matches!(self, ItemPhase::Done | ItemPhase::Failed)
    }
}
