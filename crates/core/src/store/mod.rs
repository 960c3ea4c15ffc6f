//! The SQLite store of one environment.
//!
//! Everything wxdesk knows about one environment lives in one file: accounts,
//! tickets, authorizers, cached tokens, sessions, registration tasks, the call
//! log and settings (which file is which: [`crate::files`]).
//! One [`Store`] type owns the connections and their settings (WAL, a busy
//! timeout, foreign keys, versioned migrations), and exposes exactly two ways
//! in: [`Store::read`] and [`Store::write`]. `write` runs its closure in one
//! `BEGIN IMMEDIATE` transaction on the one writer connection, so each user
//! action is written whole or not at all, and concurrent processes sharing the
//! file queue behind SQLite's write lock instead of interleaving. `read` runs
//! on a small pool of query-only reader connections: in WAL mode a reader sees
//! the last committed state and never waits for a writer, so a long sync or
//! import does not stall the UI's reads. The query modules below hold the SQL,
//! one module per table.

pub mod apps;
pub mod authorizers;
pub mod batches;
pub mod call_log;
pub mod components;
pub mod fastregister;
pub mod merchant_notes;
pub mod migrations;
pub mod phone_meter;
pub mod pushes;
pub mod sessions;
pub mod settings;
pub mod tickets;
pub mod token_rows;
pub mod wxa_versions;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::error::Result;

/// How long a writer waits for another process's write lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How many idle reader connections a store keeps.
const IDLE_READERS: usize = 4;

/// The database handle. Share it behind an `Arc`.
pub struct Store {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            crate::files::ensure_private_dir(dir, false)?;
        }
        // Created 0600 before SQLite sees it: SQLite gives `-wal` and `-shm` the same mode.
        crate::files::prepare_db_file(path)?;
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        configure(&conn)?;
        migrations::migrations().to_latest(&mut conn)?;
        // The WAL and SHM exist now; make sure of their mode (older files too).
        crate::files::tighten_db_files(path)?;
        Ok(Store {
            writer: Mutex::new(conn),
            readers: Mutex::new(Vec::new()),
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs read-only work on a reader connection. It sees the last
    /// committed state and does not wait for a write in progress; writing
    /// through it fails (`query_only`).
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let idle = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => self.open_reader()?,
        };
        let out = f(&conn);
        let mut pool = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < IDLE_READERS && conn.is_autocommit() {
            pool.push(conn);
        }
        out
    }

    fn open_reader(&self) -> Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "query_only", "ON")?;
        Ok(conn)
    }

    /// Runs `f` in one immediate transaction: committed when it returns `Ok`,
    /// rolled back (nothing written) when it returns `Err`.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Runs `PRAGMA integrity_check` and returns its answer (`"ok"` when sound).
    pub fn integrity_check(&self) -> Result<String> {
        self.read(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))?))
    }
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Current Unix time in seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Current Unix time in milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
