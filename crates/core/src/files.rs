//! Where wxdesk keeps its files, and how they are protected.
//!
//! Each environment has its own SQLite file, so an operation in the sandbox
//! (or against a staging proxy) can never read or change a production record:
//! there is no shared table to forget a filter on. The *home* file is
//! production's; it also keeps the global settings (the chosen environment,
//! language, theme) and decides where the others live, beside it and named
//! from its stem:
//!
//! | environment        | default data dir              | `--db PATH/home.db`           |
//! |--------------------|-------------------------------|-------------------------------|
//! | production         | `desk.db`                     | `home.db`                     |
//! | sandbox (any base) | `desk-sandbox.db`             | `home-sandbox.db`             |
//! | custom bases       | `desk-custom-<8 hex>.db`      | `home-custom-<8 hex>.db`      |
//!
//! The hex is the start of a SHA-256 over the three normalised bases, so each
//! custom base set has its own file. A custom environment whose three bases
//! are the real WeChat's is production and uses the home file.
//!
//! Files are private to their owner: directories wxdesk creates are 0700, the
//! databases (with their `-wal`/`-shm` companions) and the key file 0600.
//! First-time creation (schema and vault key) runs under an exclusive lock on
//! `<home>.lock`, so two processes starting at once end with one key and one
//! schema.

use std::fs::File;
use std::path::{Path, PathBuf};

use sha2::Digest;

use crate::env::Environment;
use crate::error::{Error, Result};

/// The production database's name in the default data directory.
pub const HOME_FILE: &str = "desk.db";
/// The database name used before environments had their own files. An
/// existing one is adopted in place as production's (see [`resolve_home`]).
pub const LEGACY_HOME_FILE: &str = "wxdesk.db";

/// The platform data directory of wxdesk (`~/.local/share/wxdesk` on Linux).
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("wxdesk")
}

/// The default home (production) database: [`resolve_home`] in [`data_dir`].
pub fn default_home_path() -> PathBuf {
    resolve_home(&data_dir())
}

/// The home database in `dir`: `desk.db`, unless only a legacy `wxdesk.db`
/// exists there, which is then production's database, used where it is (its
/// key file and keyring entry keep working; nothing is moved).
pub fn resolve_home(dir: &Path) -> PathBuf {
    let home = dir.join(HOME_FILE);
    let legacy = dir.join(LEGACY_HOME_FILE);
    if !home.exists() && legacy.is_file() {
        legacy
    } else {
        home
    }
}

/// The database file of `env` for the home file `home`.
pub fn env_db_path(home: &Path, env: &Environment) -> Result<PathBuf> {
    if env.is_production() {
        return Ok(home.to_path_buf());
    }
    let stem = home
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "desk".into());
    let name = match env {
        Environment::Sandbox { .. } => format!("{stem}-sandbox.db"),
        _ => format!("{stem}-custom-{}.db", custom_hash(env)?),
    };
    Ok(home.with_file_name(name))
}

/// The first 8 hex digits of a SHA-256 over the environment's normalised bases.
pub fn custom_hash(env: &Environment) -> Result<String> {
    let b = env.bases()?;
    let digest = sha2::Sha256::digest(format!("{}\n{}\n{}", b.api, b.mp, b.open).as_bytes());
    Ok(hex::encode(digest)[..8].to_string())
}

fn io_err(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::Io {
        path: path.display().to_string(),
        reason: format!("{what}: {e}"),
    }
}

/// Creates `dir` (and missing parents) readable only by its owner (0700).
/// An existing directory is tightened to 0700 only when `tighten` is set (the
/// default data directory, which is wxdesk's own; a directory the operator
/// chose with `--db` is left as it is).
pub fn ensure_private_dir(dir: &Path, tighten: bool) -> Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    if !dir.exists() {
        let mut b = std::fs::DirBuilder::new();
        b.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            b.mode(0o700);
        }
        b.create(dir)
            .map_err(|e| io_err(dir, "cannot create the data directory", e))?;
        // The mode is filtered by the umask; make sure of the result.
        return set_mode(dir, 0o700);
    }
    if tighten {
        set_mode(dir, 0o700)?;
    }
    Ok(())
}

/// Sets the permission bits of `path` (no-op off Unix).
pub fn set_mode(path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let cur = std::fs::metadata(path)
            .map_err(|e| io_err(path, "cannot read permissions", e))?
            .permissions()
            .mode()
            & 0o777;
        if cur != mode {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
                .map_err(|e| io_err(path, "cannot set permissions", e))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

/// Whether group or others may read or write `path`.
pub fn is_shared(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Creates the database file empty with mode 0600 if it does not exist (so
/// SQLite, which gives `-wal` and `-shm` the database's mode, never makes a
/// readable companion), and tightens an existing one and its companions.
pub fn prepare_db_file(path: &Path) -> Result<()> {
    if !path.exists() {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        o.open(path)
            .map_err(|e| io_err(path, "cannot create the database", e))?;
    }
    tighten_db_files(path)
}

/// Sets the database and its `-wal` / `-shm` companions (those present) to 0600.
pub fn tighten_db_files(path: &Path) -> Result<()> {
    for p in db_companions(path) {
        if p.exists() {
            set_mode(&p, 0o600)?;
        }
    }
    Ok(())
}

/// The database file and its SQLite companions.
pub fn db_companions(path: &Path) -> [PathBuf; 3] {
    let with = |suffix: &str| {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        PathBuf::from(s)
    };
    [path.to_path_buf(), with("-wal"), with("-shm")]
}

/// An exclusive lock on `<home>.lock`, held while a desk's files are opened
/// and, the first time, created. Released when dropped.
#[derive(Debug)]
pub struct CreationLock {
    _file: File,
}

impl CreationLock {
    /// Waits for and takes the lock of the home database `home`.
    pub fn acquire(home: &Path) -> Result<CreationLock> {
        let mut name = home
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| HOME_FILE.into());
        name.push(".lock");
        let path = home.with_file_name(name);
        let mut o = std::fs::OpenOptions::new();
        o.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        let file = o
            .open(&path)
            .map_err(|e| io_err(&path, "cannot create the lock file", e))?;
        file.lock()
            .map_err(|e| io_err(&path, "cannot lock the database for opening", e))?;
        Ok(CreationLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_are_named_from_the_home_stem() {
        let home = Path::new("/d/desk.db");
        assert_eq!(
            env_db_path(home, &Environment::Production).unwrap(),
            home.to_path_buf()
        );
        let sb = |b: &str| Environment::Sandbox { base: b.into() };
        assert_eq!(
            env_db_path(home, &sb("http://127.0.0.1:7878")).unwrap(),
            Path::new("/d/desk-sandbox.db")
        );
        assert_eq!(
            env_db_path(home, &sb("http://127.0.0.1:9")).unwrap(),
            Path::new("/d/desk-sandbox.db"),
            "any sandbox base: one file"
        );
        let c1 = Environment::custom(Some("https://staging.example.com"), None, None).unwrap();
        let c2 = Environment::custom(Some("https://staging2.example.com"), None, None).unwrap();
        let p1 = env_db_path(Path::new("/x/w.db"), &c1).unwrap();
        let p2 = env_db_path(Path::new("/x/w.db"), &c2).unwrap();
        let n1 = p1.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            n1.starts_with("w-custom-") && n1.ends_with(".db") && n1.len() == 20,
            "{n1}"
        );
        assert_ne!(p1, p2, "each custom base set has its own file");
        // The real WeChat's bases given as custom ones are production.
        let prod = Environment::custom(None, None, None).unwrap();
        assert_eq!(env_db_path(home, &prod).unwrap(), home.to_path_buf());
    }

    #[test]
    fn a_legacy_database_is_adopted_in_place() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(resolve_home(dir.path()), dir.path().join(HOME_FILE));
        std::fs::write(dir.path().join(LEGACY_HOME_FILE), b"").unwrap();
        assert_eq!(resolve_home(dir.path()), dir.path().join(LEGACY_HOME_FILE));
        std::fs::write(dir.path().join(HOME_FILE), b"").unwrap();
        assert_eq!(resolve_home(dir.path()), dir.path().join(HOME_FILE));
    }
}
