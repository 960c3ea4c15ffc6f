//! A sandbox on 127.0.0.1 and desks (or operation-table runtimes) opened on
//! a temporary database pointed at it, with the vault key in a file beside
//! the database (never the OS keyring).

use std::path::{Path, PathBuf};
use std::time::Duration;

use wxdesk_core::ops::Runtime;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment};
use wxdesk_sandbox::{Sandbox, SandboxConfig, SandboxHandle};
use wxdesk_wechat::ClientConfig;

/// A sandbox and a temporary directory for the database.
pub struct World {
    /// The sandbox every desk of this world talks to.
    pub sandbox: SandboxHandle,
    /// Holds the database (removed when the world is dropped).
    pub dir: tempfile::TempDir,
}

impl World {
    /// Starts a sandbox and an empty directory.
    pub async fn start() -> World {
        World {
            sandbox: Sandbox::start(SandboxConfig::default()).await.unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The database path.
    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("wxdesk.db")
    }

    /// A desk on this world's database (each call = a separate "process").
    pub fn desk(&self) -> Desk {
        open_desk(&self.db_path(), &self.sandbox.base_url())
    }

    /// The operation table's runtime on this world's database.
    pub async fn runtime(&self) -> Runtime {
        open_runtime(&self.db_path(), &self.sandbox.base_url()).await
    }

    /// Moves the sandbox and the given desks' clocks forward together.
    pub fn advance(&self, desks: &[&Desk], by: Duration) {
        self.sandbox.advance_clock(by);
        for d in desks {
            d.advance_clock(by);
        }
    }
}

/// Options of a desk on `db` in the sandbox environment at `base`, with the
/// vault key in a file (tests never touch the OS keyring).
pub fn sandbox_options(db: &Path, base: &str) -> DeskOptions {
    DeskOptions {
        db_path: db.to_path_buf(),
        key_storage: KeyStorage::File,
        environment: Some(Environment::Sandbox {
            base: base.to_string(),
        }),
        client: ClientConfig::default(),
    }
}

/// A desk on `db` against the sandbox at `base`.
pub fn open_desk(db: &Path, base: &str) -> Desk {
    Desk::open(sandbox_options(db, base)).unwrap()
}

/// The operation table's runtime on `db` against the sandbox at `base`.
pub async fn open_runtime(db: &Path, base: &str) -> Runtime {
    Runtime::open(sandbox_options(db, base)).await.unwrap()
}

/// A base where nothing listens: desks that must not reach any server.
pub const NOWHERE: &str = "http://127.0.0.1:9";
