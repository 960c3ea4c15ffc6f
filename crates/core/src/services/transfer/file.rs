//! Writing export files (and other files the operator saves) safely.
//!
//! An export may hold every secret of the desk (encrypted) or at least its
//! whole account list, so it is written readable by its owner only (0600 on
//! Unix): a new file is created with that mode and an existing one is
//! tightened before it is filled.
//!
//! In the desktop app the webview asks the core to write files (`save_file`).
//! A script running in the webview must not be able to write anywhere it
//! likes, so the shell opens the save dialog itself and records the chosen
//! path in a [`SaveGrant`]; `save_file` then writes only to that path, once,
//! shortly after it was chosen. Any other op passes through untouched.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::error::{Error, Result};

/// The op that writes a file.
pub const SAVE_FILE_OP: &str = "save_file";

/// How long a path chosen in the save dialog may wait for its write.
pub const GRANT_TTL: Duration = Duration::from_secs(10 * 60);

/// Writes `bytes` to `path`, readable and writable by the owner only.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| Error::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    // An existing file keeps its old mode on open: tighten it before writing.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(io)?;
    }
    f.set_len(0).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)
}

/// The one path the operator just chose in a save dialog, usable once.
#[derive(Debug, Default)]
pub struct SaveGrant {
    granted: Mutex<Option<(PathBuf, Instant)>>,
}

impl SaveGrant {
    /// No path granted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the path the save dialog returned (replacing any earlier one).
    pub fn grant(&self, path: PathBuf) {
        self.grant_at(path, Instant::now());
    }

    /// [`SaveGrant::grant`] at a given instant (for tests).
    pub fn grant_at(&self, path: PathBuf, now: Instant) {
        *self.lock() = Some((path, now));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(PathBuf, Instant)>> {
        self.granted.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Consumes the grant for `path`. Any mismatch also revokes the grant, so
    /// a script cannot probe for it.
    pub fn take_at(&self, path: &Path, now: Instant) -> Result<()> {
        let refused = |why: &str| {
            Error::invalid(
                "path",
                format!("{why}; wxdesk writes files only where you chose in the save dialog — use Save again"),
            )
        };
        let Some((granted, at)) = self.lock().take() else {
            return Err(refused("no file was chosen in the save dialog"));
        };
        if now.saturating_duration_since(at) > GRANT_TTL {
            return Err(refused(
                "the file chosen in the save dialog was chosen too long ago",
            ));
        }
        if granted != path {
            return Err(refused("this is not the file chosen in the save dialog"));
        }
        Ok(())
    }

    /// The gate in front of the op table: `save_file` passes only for the
    /// granted path (consuming the grant); every other op passes.
    pub fn check_op(&self, op: &str, args: &Value) -> Result<()> {
        self.check_op_at(op, args, Instant::now())
    }

    /// [`SaveGrant::check_op`] at a given instant (for tests).
    pub fn check_op_at(&self, op: &str, args: &Value, now: Instant) -> Result<()> {
        if op != SAVE_FILE_OP {
            return Ok(());
        }
        let Some(path) = args.get("path").and_then(Value::as_str) else {
            return Err(Error::invalid(
                "path",
                "is missing; choose the file in the save dialog",
            ));
        };
        self.take_at(Path::new(path), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn save_file_passes_only_for_the_path_just_chosen_once() {
        let g = SaveGrant::new();
        let t0 = Instant::now();
        let chosen = "/home/op/wxdesk-export.json";
        let save = |p: &str| json!({"path": p, "content_base64": ""});
        // Other ops are not affected; save_file without a grant is refused.
        assert!(g.check_op_at("app_list", &json!({}), t0).is_ok());
        assert!(g.check_op_at(SAVE_FILE_OP, &save(chosen), t0).is_err());
        // The chosen path passes once.
        g.grant_at(PathBuf::from(chosen), t0);
        assert!(g.check_op_at(SAVE_FILE_OP, &save(chosen), t0).is_ok());
        assert!(g.check_op_at(SAVE_FILE_OP, &save(chosen), t0).is_err());
        // Another path is refused, and the mismatch revokes the grant.
        g.grant_at(PathBuf::from(chosen), t0);
        let e = g
            .check_op_at(SAVE_FILE_OP, &save("/home/op/.bashrc"), t0)
            .unwrap_err();
        assert!(
            matches!(e, Error::Invalid { ref field, .. } if field == "path"),
            "{e:?}"
        );
        assert!(g.check_op_at(SAVE_FILE_OP, &save(chosen), t0).is_err());
        // A missing path is refused.
        g.grant_at(PathBuf::from(chosen), t0);
        assert!(g.check_op_at(SAVE_FILE_OP, &json!({}), t0).is_err());
        // A grant expires.
        g.grant_at(PathBuf::from(chosen), t0);
        let late = t0 + GRANT_TTL + Duration::from_secs(1);
        assert!(g.check_op_at(SAVE_FILE_OP, &save(chosen), late).is_err());
    }
}
