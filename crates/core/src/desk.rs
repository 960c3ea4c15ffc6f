//! The desk: one handle over the store, the vault, the WeChat client and the
//! token manager, opened once per process.
//!
//! A desk talks to one environment and opens only that environment's
//! database file ([`crate::files`]), plus the home (production) file for the
//! global settings. Records of another environment are in another file, so
//! no operation of this desk can read or change them.
//!
//! Every user-visible operation is a method on [`Desk`], written once here in
//! the core; the CLI, the HTTP server and the Tauri shell only translate
//! arguments and results. The client the desk hands out reports every
//! outbound call to the call log.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use wxdesk_wechat::{Client, ClientConfig};

use crate::call_recorder::CallRecorder;
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::files::{self, CreationLock};
use crate::store::{settings, Store};
use crate::token_types::{Clock, SingleFlight};
use crate::vault::{KeyStorage, Vault};

/// How to open a desk.
#[derive(Debug, Clone)]
pub struct DeskOptions {
    /// The home database file: production's, holding the global settings.
    /// The other environments' files sit beside it ([`crate::files`]).
    pub db_path: PathBuf,
    /// Where the vault key is kept.
    pub key_storage: KeyStorage,
    /// Environment for this process only (overrides the stored setting).
    pub environment: Option<Environment>,
    /// HTTP client settings (bases are taken from the environment).
    pub client: ClientConfig,
}

impl DeskOptions {
    /// Options for the home database at `db_path`, with defaults for the rest.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        DeskOptions {
            db_path: db_path.into(),
            key_storage: KeyStorage::Auto,
            environment: None,
            client: ClientConfig::default(),
        }
    }
}

/// The default home database: `desk.db` in the platform's data directory
/// (or a legacy `wxdesk.db` there, adopted in place: [`files::resolve_home`]).
pub fn default_db_path() -> PathBuf {
    files::default_home_path()
}

/// The open desk.
pub struct Desk {
    home: Arc<Store>,
    store: Arc<Store>,
    warnings: Vec<String>,
    vault: Arc<Vault>,
    client: Client,
    env: Environment,
    scope: String,
    pub(crate) flights: SingleFlight,
    clock: Clock,
    /// Audit rejection screenshots fetched so far (not secrets).
    pub(crate) screenshots: crate::services::wxa_screenshots::ScreenshotCache,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("home", &self.home)
            .field("store", &self.store)
            .field("env", &self.env)
            .finish()
    }
}

impl Desk {
    /// Opens the home database and the environment's database (creating and
    /// migrating them), the vault and the client.
    ///
    /// The environment is `opts.environment`, else the one saved in the home
    /// database. Files are opened under the home's [`CreationLock`], so two
    /// processes creating a new home at once end with one schema and one key.
    pub fn open(opts: DeskOptions) -> Result<Desk> {
        let home_path = opts.db_path.clone();
        if let Some(dir) = home_path.parent() {
            files::ensure_private_dir(dir, dir == files::data_dir())?;
        }
        let lock = CreationLock::acquire(&home_path)?;
        let home = Arc::new(Store::open(&home_path)?);
        let env = match opts.environment {
            Some(e) => e,
            None => home
                .read(|c| settings::get::<Environment>(c, settings::ENVIRONMENT))?
                .unwrap_or_default(),
        };
        let bases = env.bases()?;
        let scope = env.scope()?;
        let env_path = files::env_db_path(&home_path, &env)?;
        let store = if env_path == home_path {
            home.clone()
        } else {
            Arc::new(Store::open(&env_path)?)
        };
        // A key is made only for a home that never had one and holds no data:
        // a lost key is an error, never silently replaced.
        let key_made = home
            .read(|c| settings::get::<bool>(c, settings::VAULT_KEY_MADE))?
            .unwrap_or(false);
        let may_create = !key_made && !has_data(&home)? && !has_data(&store)?;
        let vault = Arc::new(Vault::open_for(&home_path, opts.key_storage, may_create)?);
        if !key_made {
            home.write(|tx| settings::set(tx, settings::VAULT_KEY_MADE, &true))?;
        }
        drop(lock);
        let warnings = vault.warnings().to_vec();
        let recorder = Arc::new(CallRecorder::new(store.clone()));
        let client = Client::new(ClientConfig {
            bases,
            ..opts.client
        })?
        .with_observer(recorder);
        Ok(Desk {
            home,
            store,
            warnings,
            vault,
            client,
            env,
            scope,
            flights: SingleFlight::default(),
            clock: Clock::default(),
            screenshots: Default::default(),
        })
    }

    /// The home (production) database: global settings live here.
    pub fn home_store(&self) -> &Arc<Store> {
        &self.home
    }

    /// The home database file.
    pub fn home_db_path(&self) -> &Path {
        self.home.path()
    }

    /// Problems found and fixed while opening (e.g. a key file readable by
    /// others made private), for the front end to show once.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The store of this desk's environment.
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The vault.
    pub fn vault(&self) -> &Arc<Vault> {
        &self.vault
    }

    /// The WeChat client (reports to the call log).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The environment in use.
    pub fn env(&self) -> &Environment {
        &self.env
    }

    /// The token scope of the environment (its API base).
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// The desk's time in Unix seconds: real time, plus whatever
    /// [`Desk::advance_clock`] added. Token and ticket lifetimes are judged by it.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Moves this desk's clock forward (never back). For tests and demos that
    /// advance the sandbox's virtual clock and need the desk to agree; it
    /// changes nothing on disk and only affects this `Desk` value.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.clock.advance(by);
    }

    /// The database file of this desk's environment.
    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    /// Opens a secret sealed for `purpose`.
    pub fn open_secret(
        &self,
        purpose: &str,
        sealed: &crate::vault::Sealed,
    ) -> Result<zeroize::Zeroizing<String>> {
        Ok(self.vault.open(purpose, sealed)?)
    }

    /// Opens a secret that must be present, naming what is missing otherwise.
    pub fn require_secret(
        &self,
        purpose: &str,
        sealed: Option<&crate::vault::Sealed>,
        what: &str,
        fix: &str,
    ) -> Result<zeroize::Zeroizing<String>> {
        match sealed {
            Some(s) => self.open_secret(purpose, s),
            None => Err(Error::invalid(what, format!("{what} is not stored; {fix}"))),
        }
    }
}

/// Whether the store holds any account or session (so its secrets need the existing key).
fn has_data(store: &Store) -> Result<bool> {
    store.read(|c| {
        Ok(c.query_row(
            "SELECT EXISTS(SELECT 1 FROM apps) OR EXISTS(SELECT 1 FROM components) OR EXISTS(SELECT 1 FROM sessions)",
            [],
            |r| r.get::<_, bool>(0),
        )?)
    })
}
