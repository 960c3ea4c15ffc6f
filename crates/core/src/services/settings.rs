//! Desk settings: environment, call-log retention, language and theme.
//!
//! Settings are small JSON values in the `settings` table; this module is the
//! one place that knows their defaults and their valid values, so the CLI,
//! the UI and import all validate them the same way.
//!
//! The environment choice, language and theme are global: they live in the
//! home (production) database. The call-log retention belongs to the call log
//! it prunes, so each environment's file keeps its own (a sandbox log can be
//! kept shorter than production's); the view shows the one of the
//! environment in use.
//!
//! A [`Desk`] keeps the environment it was opened with for its whole life
//! (its client and token scope are built from it). [`Desk::set_environment`]
//! therefore saves the choice for the *next* [`Desk::open`]: the app reopens
//! the desk after changing it, and the CLI picks it up on its next run.
//! [`SettingsView::environment`] is the environment in use;
//! [`SettingsView::saved_environment`] is the stored choice.

use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::desk::Desk;
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::store::settings as keys;
use crate::vault::KeyLocation;

/// Call-log retention when none is set, in days.
pub const DEFAULT_LOG_RETENTION_DAYS: u32 = 30;
/// Longest call-log retention accepted, in days (ten years).
pub const MAX_LOG_RETENTION_DAYS: u32 = 3650;
/// UI languages.
pub const LANGUAGES: [&str; 2] = ["zh-CN", "en"];
/// UI themes.
pub const THEMES: [&str; 3] = ["light", "dark", "system"];
/// Theme when none is set.
pub const DEFAULT_THEME: &str = "system";

/// Where the vault key is kept, as shown to the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VaultView {
    /// The OS keyring entry `wxdesk` / `account`.
    Keyring {
        /// Keyring account name.
        account: String,
    },
    /// A key file.
    File {
        /// Its path.
        path: String,
    },
}

impl From<&KeyLocation> for VaultView {
    fn from(l: &KeyLocation) -> Self {
        match l {
            KeyLocation::Keyring { account } => VaultView::Keyring {
                account: account.clone(),
            },
            KeyLocation::File { path } => VaultView::File { path: path.clone() },
        }
    }
}

/// Every setting, with defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct SettingsView {
    /// The environment this desk is talking to.
    pub environment: Environment,
    /// Its short label (`production`, `sandbox (http://…)`, …).
    pub environment_label: String,
    /// Whether it is the real WeChat.
    pub is_production: bool,
    /// The stored environment choice, used by the next open unless overridden
    /// per process (`--env`). Differs from `environment` after
    /// `set_environment` until the desk is reopened.
    pub saved_environment: Environment,
    /// Days of call log kept in this environment's database.
    pub log_retention_days: u32,
    /// UI language (`zh-CN` or `en`); `null` until the operator picks one, so
    /// the UI follows the system locale (zh-CN when it is Chinese).
    pub language: Option<String>,
    /// UI theme (`light`, `dark` or `system`).
    pub theme: String,
    /// The database file in use: this environment's.
    pub db_path: String,
    /// The home (production) database file, which holds the global settings;
    /// equal to `db_path` in production.
    pub home_db_path: String,
    /// Where the vault key is kept.
    pub vault: VaultView,
}

/// The stored call-log retention in days (default [`DEFAULT_LOG_RETENTION_DAYS`]).
pub fn log_retention_days(conn: &Connection) -> Result<u32> {
    Ok(keys::get::<u32>(conn, keys::LOG_RETENTION_DAYS)?.unwrap_or(DEFAULT_LOG_RETENTION_DAYS))
}

/// Checks an environment's bases.
pub(crate) fn check_environment(field: &str, env: &Environment) -> Result<()> {
    env.bases().map(|_| ()).map_err(|e| match e {
        Error::Wechat(wxdesk_wechat::Error::InvalidInput { field: f, reason }) => {
            Error::invalid(format!("{field}.{f}"), reason)
        }
        other => other,
    })
}

/// Checks a call-log retention.
pub(crate) fn check_log_retention(field: &str, days: i64) -> Result<u32> {
    if !(0..=i64::from(MAX_LOG_RETENTION_DAYS)).contains(&days) {
        return Err(Error::invalid(
            field,
            format!("{days} is out of range; give a number of days from 0 to {MAX_LOG_RETENTION_DAYS} (default {DEFAULT_LOG_RETENTION_DAYS})"),
        ));
    }
    Ok(days as u32)
}

/// Checks a UI language.
pub(crate) fn check_language(field: &str, lang: &str) -> Result<()> {
    if LANGUAGES.contains(&lang) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{lang:?} is not a supported language; use zh-CN or en"),
        ))
    }
}

/// Checks a UI theme.
pub(crate) fn check_theme(field: &str, theme: &str) -> Result<()> {
    if THEMES.contains(&theme) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{theme:?} is not a theme; use light, dark or system"),
        ))
    }
}

impl Desk {
    /// Every setting, with defaults filled in.
    pub fn settings(&self) -> Result<SettingsView> {
        let (saved, language, theme) = self.home_store().read(|c| {
            Ok((
                keys::get::<Environment>(c, keys::ENVIRONMENT)?.unwrap_or_default(),
                keys::get::<String>(c, keys::LANGUAGE)?,
                keys::get::<String>(c, keys::THEME)?.unwrap_or_else(|| DEFAULT_THEME.into()),
            ))
        })?;
        let retention = self.store().read(log_retention_days)?;
        let env = self.env().clone();
        Ok(SettingsView {
            environment_label: env.label(),
            is_production: env.is_production(),
            environment: env,
            saved_environment: saved,
            log_retention_days: retention,
            language,
            theme,
            db_path: self.db_path().display().to_string(),
            home_db_path: self.home_db_path().display().to_string(),
            vault: self.vault().location().into(),
        })
    }

    /// Saves the environment (in the home database) for the next
    /// [`Desk::open`] (this desk keeps talking to the one it was opened with,
    /// and to its file; reopen it to switch).
    pub fn set_environment(&self, env: Environment) -> Result<SettingsView> {
        check_environment("environment", &env)?;
        self.home_store()
            .write(|tx| keys::set(tx, keys::ENVIRONMENT, &env))?;
        self.settings()
    }

    /// Sets how many days of call log this environment keeps (0 to 3650).
    pub fn set_log_retention(&self, days: i64) -> Result<SettingsView> {
        let days = check_log_retention("log_retention_days", days)?;
        self.store()
            .write(|tx| keys::set(tx, keys::LOG_RETENTION_DAYS, &days))?;
        // Apply the new retention now rather than at the next process's first write.
        self.prune_call_log()?;
        self.settings()
    }

    /// Sets the UI language (`zh-CN` or `en`).
    pub fn set_language(&self, language: &str) -> Result<SettingsView> {
        check_language("language", language)?;
        self.home_store()
            .write(|tx| keys::set(tx, keys::LANGUAGE, &language))?;
        self.settings()
    }

    /// Sets the UI theme (`light`, `dark` or `system`).
    pub fn set_theme(&self, theme: &str) -> Result<SettingsView> {
        check_theme("theme", theme)?;
        self.home_store()
            .write(|tx| keys::set(tx, keys::THEME, &theme))?;
        self.settings()
    }
}
