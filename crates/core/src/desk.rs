//! The desk: one handle over the store, the vault, the WeChat client and the
//! token manager, opened once per process.
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
use crate::store::{settings, Store};
use crate::tokens::{Clock, SingleFlight};
use crate::vault::{KeyStorage, Vault};

/// How to open a desk.
#[derive(Debug, Clone)]
pub struct DeskOptions {
    /// The database file.
    pub db_path: PathBuf,
    /// Where the vault key is kept.
    pub key_storage: KeyStorage,
    /// Environment for this process only (overrides the stored setting).
    pub environment: Option<Environment>,
    /// HTTP client settings (bases are taken from the environment).
    pub client: ClientConfig,
}

impl DeskOptions {
    /// Options for the database at `db_path`, with defaults for the rest.
    pub fn new(db_path: impl Into<PathBuf>) -> Self {
        DeskOptions {
            db_path: db_path.into(),
            key_storage: KeyStorage::Auto,
            environment: None,
            client: ClientConfig::default(),
        }
    }
}

/// The default database location: the platform's data directory.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("wxdesk")
        .join("wxdesk.db")
}

/// The open desk.
pub struct Desk {
    store: Arc<Store>,
    vault: Arc<Vault>,
    client: Client,
    env: Environment,
    scope: String,
    pub(crate) flights: SingleFlight,
    clock: Clock,
}

impl std::fmt::Debug for Desk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Desk")
            .field("store", &self.store)
            .field("env", &self.env)
            .finish()
    }
}

impl Desk {
    /// Opens the database (migrating it), the vault and the client.
    pub fn open(opts: DeskOptions) -> Result<Desk> {
        let is_new = !opts.db_path.exists();
        let store = Arc::new(Store::open(&opts.db_path)?);
        let has_data = store.read(|c| {
            Ok(c.query_row(
                "SELECT EXISTS(SELECT 1 FROM apps) OR EXISTS(SELECT 1 FROM components) OR EXISTS(SELECT 1 FROM sessions)",
                [],
                |r| r.get::<_, bool>(0),
            )?)
        })?;
        let vault = Arc::new(Vault::open_for(
            &opts.db_path,
            opts.key_storage,
            is_new || !has_data,
        )?);
        let env = match opts.environment {
            Some(e) => e,
            None => store
                .read(|c| settings::get::<Environment>(c, settings::ENVIRONMENT))?
                .unwrap_or_default(),
        };
        let bases = env.bases()?;
        let scope = env.scope()?;
        let recorder = Arc::new(CallRecorder::new(store.clone()));
        let client = Client::new(ClientConfig {
            bases,
            ..opts.client
        })?
        .with_observer(recorder);
        Ok(Desk {
            store,
            vault,
            client,
            env,
            scope,
            flights: SingleFlight::default(),
            clock: Clock::default(),
        })
    }

    /// The store.
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

    /// The database file.
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
