//! The arguments of the release-profile and batch operations, as the UI and
//! scripts send them. File contents (ext_json template, CSV, domains and
//! privacy JSON) travel as values, never as paths. None carries a secret.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::services::batch::BatchStep;
use crate::services::profiles::profile_input_struct;

profile_input_struct! {
    /// Create or replace a release profile.
    #[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
    #[serde(deny_unknown_fields)]
    pub struct ProfileSetArgs {
        /// Component AppID.
        pub component_appid: String,
        /// The profile's name.
        pub name: String,
    }
}

/// A platform's profiles.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProfileListArgs {
    /// Component AppID.
    pub component_appid: String,
}

/// One profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProfileNameArgs {
    /// Component AppID.
    pub component_appid: String,
    /// The profile's name.
    pub name: String,
}

/// Apply a profile's domains and privacy guide to merchants.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ProfileApplyArgs {
    /// Component AppID.
    pub component_appid: String,
    /// The profile's name.
    pub name: String,
    /// The merchants (or `all`).
    #[serde(default)]
    pub appids: Vec<String>,
    /// Every active mini-program authorizer of the platform.
    #[serde(default)]
    pub all: bool,
    /// Merchants at once (default: the batch setting).
    #[serde(default)]
    pub concurrency: Option<u32>,
}

fn yes() -> bool {
    true
}

/// Start a batch.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct BatchRunArgs {
    /// Component AppID.
    pub component_appid: String,
    /// The profile to apply.
    pub profile: String,
    /// The merchants (or `all`).
    #[serde(default)]
    pub appids: Vec<String>,
    /// Every active mini-program authorizer of the platform.
    #[serde(default)]
    pub all: bool,
    /// `commit`, `submit`, `release` in that order, or `revert` alone.
    pub steps: Vec<BatchStep>,
    /// Merchants at once (default: the batch setting).
    #[serde(default)]
    pub concurrency: Option<u32>,
    /// Run the readiness check before each submit (default true).
    #[serde(default = "yes")]
    pub check: bool,
    /// Confirms a release or revert across merchants.
    #[serde(default)]
    pub confirmed: bool,
}

/// One batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct BatchIdArgs {
    /// Its id.
    pub batch_id: String,
}

/// Batches, of one platform when given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct BatchListArgs {
    /// Component AppID.
    #[serde(default)]
    pub component_appid: Option<String>,
}

/// The default number of merchants a batch runs at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct BatchConcurrencyArgs {
    /// 1 to 50.
    pub concurrency: u32,
}
