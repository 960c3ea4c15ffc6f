//! Leak checks: where a secret could have ended up in plaintext (the
//! database file and its WAL, a transcript) and what its masked form is.

use std::path::{Path, PathBuf};

/// The masked form of a secret: its first four characters and `…`.
pub fn masked(s: &str) -> String {
    format!("{}…", s.chars().take(4).collect::<String>())
}

/// The database file and its `-wal` and `-shm` companions, read raw.
pub fn db_files(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = db.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Which `needles` occur in `hay`.
pub fn found_in<'a>(hay: &[u8], needles: &[&'a str]) -> Vec<&'a str> {
    needles
        .iter()
        .filter(|n| {
            assert!(!n.is_empty(), "an empty secret matches everything");
            hay.windows(n.len()).any(|w| w == n.as_bytes())
        })
        .copied()
        .collect()
}
