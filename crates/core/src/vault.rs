//! The vault: every secret is encrypted before it reaches the database.
//!
//! App secrets, component secrets, message tokens, EncodingAESKeys, access and
//! refresh tokens, session keys and tickets are stored as [`Sealed`] envelopes:
//! `wxv1:` followed by base64 of a random 96-bit nonce and the AES-256-GCM
//! ciphertext. The envelope is versioned so the cipher can change later
//! without guessing, and each value is bound to its purpose (`apps.secret`,
//! `tokens.value`, …) as associated data, so a ciphertext copied into another
//! column fails to open instead of decrypting to the wrong secret.
//!
//! The 256-bit key lives in the OS keyring when one is reachable, otherwise
//! in a key file beside the home database readable only by its owner (0600);
//! one key serves every environment file of that home. A key file that group
//! or others can read is tightened to 0600 when opened, with a warning
//! ([`Vault::warnings`]). A missing or wrong key is a clear [`VaultError`],
//! never garbage.

use std::path::{Path, PathBuf};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use zeroize::Zeroizing;

/// Prefix of the current envelope version.
pub const ENVELOPE_V1: &str = "wxv1:";

const KEYRING_SERVICE: &str = "wxdesk";

/// An encrypted value as stored in the database.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed(pub String);

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealed(…)")
    }
}

impl rusqlite::ToSql for Sealed {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl rusqlite::types::FromSql for Sealed {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        String::column_result(value).map(Sealed)
    }
}

/// Why the vault failed.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// The key could not be found where the database expects it.
    #[error("the vault key is missing: {0}")]
    KeyMissing(String),
    /// The key file exists but is not a key.
    #[error("the vault key file {path} is invalid: {reason}")]
    KeyInvalid {
        /// The key file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A value failed authentication: wrong key, or the record was altered.
    #[error("cannot decrypt {purpose}: the vault key does not match this database, or the record was altered")]
    WrongKey {
        /// Which secret.
        purpose: String,
    },
    /// The stored value is not an envelope wxdesk understands.
    #[error("{purpose} is not a wxdesk envelope ({reason})")]
    Malformed {
        /// Which secret.
        purpose: String,
        /// What is wrong.
        reason: String,
    },
    /// The key could not be stored.
    #[error("cannot store the vault key: {0}")]
    KeyStore(String),
}

impl VaultError {
    /// The stable code scripts and the UI switch on (the one mapping is
    /// [`crate::ErrorCode::of_vault`]).
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::of_vault(self)
    }

    /// What to do.
    pub fn hint(&self) -> String {
        match self {
            VaultError::KeyMissing(_) | VaultError::WrongKey { .. } => "the database's secrets were encrypted with a key that is not here: restore the key file (<home database>.key beside production's database, e.g. desk.db.key; one key serves every environment's file) or the keyring entry 'wxdesk', or import an export made with --with-secrets".into(),
            VaultError::KeyInvalid { .. } => "restore the key file from a backup; do not edit it by hand".into(),
            VaultError::Malformed { .. } => "the record was written by another program; re-enter the secret".into(),
            VaultError::KeyStore(_) => "check that the data directory is writable".into(),
        }
    }
}

/// Where the vault key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyStorage {
    /// The OS keyring when reachable, else a key file (the default).
    Auto,
    /// Always the key file beside the database.
    File,
    /// Only the OS keyring.
    Keyring,
}

/// Where the key actually came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum KeyLocation {
    /// The OS keyring entry `wxdesk` / `<account>`.
    Keyring {
        /// The keyring account name (derived from the database path).
        account: String,
    },
    /// A key file.
    File {
        /// Its path.
        path: String,
    },
}

/// Encrypts and decrypts secrets with one key.
pub struct Vault {
    cipher: Aes256Gcm,
    location: KeyLocation,
    warnings: Vec<String>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("location", &self.location)
            .finish()
    }
}

impl Vault {
    /// A vault with an explicit key (tests, export files).
    pub fn from_key(key: &[u8; 32], location: KeyLocation) -> Vault {
        Vault {
            cipher: Aes256Gcm::new(key.into()),
            location,
            warnings: Vec::new(),
        }
    }

    /// What was found wrong and fixed while opening (e.g. a key file readable
    /// by others), for the caller to show.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Opens the vault for the database at `db_path`, creating a key when the
    /// database is new (`db_is_new`). An existing database without its key is an error.
    pub fn open_for(
        db_path: &Path,
        storage: KeyStorage,
        db_is_new: bool,
    ) -> Result<Vault, VaultError> {
        let file = key_file_path(db_path);
        let account = keyring_account(db_path);
        // 1. A key file beside the database always wins: it is explicit and portable.
        if storage != KeyStorage::Keyring && file.exists() {
            let warning = make_key_file_private(&file)?;
            let key = read_key_file(&file)?;
            let mut v = Vault::from_key(
                &key,
                KeyLocation::File {
                    path: file.display().to_string(),
                },
            );
            v.warnings.extend(warning);
            return Ok(v);
        }
        // 2. The OS keyring.
        if storage != KeyStorage::File {
            if let Some(key) = keyring_get(&account) {
                return Ok(Vault::from_key(&key, KeyLocation::Keyring { account }));
            }
        }
        if !db_is_new {
            return Err(VaultError::KeyMissing(format!(
                "no key file at {} and no keyring entry '{KEYRING_SERVICE}/{account}'",
                file.display()
            )));
        }
        // 3. New database: make a key and keep it.
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(key.as_mut());
        if storage != KeyStorage::File && keyring_set(&account, &key) {
            return Ok(Vault::from_key(&key, KeyLocation::Keyring { account }));
        }
        if storage == KeyStorage::Keyring {
            return Err(VaultError::KeyStore(
                "the OS keyring is not reachable".into(),
            ));
        }
        write_key_file(&file, &key)?;
        Ok(Vault::from_key(
            &key,
            KeyLocation::File {
                path: file.display().to_string(),
            },
        ))
    }

    /// Where the key lives.
    pub fn location(&self) -> &KeyLocation {
        &self.location
    }

    /// Encrypts `plaintext` for `purpose` (e.g. `apps.secret`).
    pub fn seal(&self, purpose: &str, plaintext: &str) -> Result<Sealed, VaultError> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Malformed {
                purpose: purpose.into(),
                reason: "encryption failed".into(),
            })?;
        let mut buf = Vec::with_capacity(12 + ct.len());
        buf.extend_from_slice(&nonce);
        buf.extend_from_slice(&ct);
        Ok(Sealed(format!("{ENVELOPE_V1}{}", B64.encode(buf))))
    }

    /// Decrypts a value sealed for `purpose`.
    pub fn open(&self, purpose: &str, sealed: &Sealed) -> Result<Zeroizing<String>, VaultError> {
        let body = sealed
            .0
            .strip_prefix(ENVELOPE_V1)
            .ok_or_else(|| VaultError::Malformed {
                purpose: purpose.into(),
                reason: "unknown envelope version".into(),
            })?;
        let raw = B64.decode(body).map_err(|e| VaultError::Malformed {
            purpose: purpose.into(),
            reason: e.to_string(),
        })?;
        if raw.len() < 12 + 16 {
            return Err(VaultError::Malformed {
                purpose: purpose.into(),
                reason: "too short".into(),
            });
        }
        let (nonce, ct) = raw.split_at(12);
        let pt = self
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| VaultError::WrongKey {
                purpose: purpose.into(),
            })?;
        String::from_utf8(pt)
            .map(Zeroizing::new)
            .map_err(|_| VaultError::Malformed {
                purpose: purpose.into(),
                reason: "not UTF-8".into(),
            })
    }

    /// Seals an optional value.
    pub fn seal_opt(
        &self,
        purpose: &str,
        plaintext: Option<&str>,
    ) -> Result<Option<Sealed>, VaultError> {
        plaintext.map(|p| self.seal(purpose, p)).transpose()
    }
}

/// The key file for a database: `<db file name>.key` beside it.
pub fn key_file_path(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "wxdesk.db".into());
    name.push(".key");
    db_path.with_file_name(name)
}

fn keyring_account(db_path: &Path) -> String {
    let abs = std::fs::canonicalize(db_path.parent().unwrap_or(Path::new(".")))
        .map(|p| p.join(db_path.file_name().unwrap_or_default()))
        .unwrap_or_else(|_| db_path.to_path_buf());
    use sha2::Digest;
    let digest = sha2::Sha256::digest(abs.display().to_string().as_bytes());
    format!("db-{}", &hex::encode(digest)[..16])
}

fn keyring_disabled() -> bool {
    matches!(
        std::env::var("WXDESK_KEYRING").as_deref(),
        Ok("off" | "0" | "false" | "no")
    )
}

fn keyring_get(account: &str) -> Option<[u8; 32]> {
    if keyring_disabled() {
        return None;
    }
    let entry = keyring::Entry::new(KEYRING_SERVICE, account).ok()?;
    let text = Zeroizing::new(entry.get_password().ok()?);
    let raw = Zeroizing::new(hex::decode(text.trim()).ok()?);
    raw.as_slice().try_into().ok()
}

fn keyring_set(account: &str, key: &[u8; 32]) -> bool {
    if keyring_disabled() {
        return false;
    }
    let Ok(entry) = keyring::Entry::new(KEYRING_SERVICE, account) else {
        return false;
    };
    let text = Zeroizing::new(hex::encode(key));
    if entry.set_password(&text).is_err() {
        return false;
    }
    // Only trust the keyring if the key reads back.
    keyring_get(account).as_ref() == Some(key)
}

/// Tightens a key file that group or others can access to 0600, returning
/// the warning to show; `None` when it was already private.
fn make_key_file_private(path: &Path) -> Result<Option<String>, VaultError> {
    if !crate::files::is_shared(path) {
        return Ok(None);
    }
    crate::files::set_mode(path, 0o600).map_err(|e| VaultError::KeyInvalid {
        path: path.display().to_string(),
        reason: format!("it is readable by other users and cannot be made private: {e}"),
    })?;
    Ok(Some(format!(
        "the vault key file {} was readable by other users; its permissions were set to 0600. \
         Anyone who copied it can decrypt the secrets: if that may have happened, rotate the AppSecrets",
        path.display()
    )))
}

fn read_key_file(path: &Path) -> Result<[u8; 32], VaultError> {
    let text =
        Zeroizing::new(
            std::fs::read_to_string(path).map_err(|e| VaultError::KeyInvalid {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?,
        );
    let raw = Zeroizing::new(
        hex::decode(text.trim()).map_err(|_| VaultError::KeyInvalid {
            path: path.display().to_string(),
            reason: "not hex".into(),
        })?,
    );
    raw.as_slice()
        .try_into()
        .map_err(|_| VaultError::KeyInvalid {
            path: path.display().to_string(),
            reason: format!("{} bytes instead of 32", raw.len()),
        })
}

fn write_key_file(path: &Path, key: &[u8; 32]) -> Result<(), VaultError> {
    use std::io::Write;
    let text = Zeroizing::new(hex::encode(key));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| VaultError::KeyStore(format!("{}: {e}", path.display())))?;
    f.write_all(text.as_bytes())
        .and_then(|_| f.write_all(b"\n"))
        .and_then(|_| f.sync_all())
        .map_err(|e| VaultError::KeyStore(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_roundtrip_and_purpose_binding() {
        let v = Vault::from_key(&[7u8; 32], KeyLocation::File { path: "x".into() });
        let s = v.seal("apps.secret", "s3cr3t-value").unwrap();
        assert!(s.0.starts_with(ENVELOPE_V1));
        assert!(!s.0.contains("s3cr3t"));
        assert_eq!(&*v.open("apps.secret", &s).unwrap(), "s3cr3t-value");
        assert!(matches!(
            v.open("tokens.value", &s),
            Err(VaultError::WrongKey { .. })
        ));
        let other = Vault::from_key(&[8u8; 32], KeyLocation::File { path: "x".into() });
        assert!(matches!(
            other.open("apps.secret", &s),
            Err(VaultError::WrongKey { .. })
        ));
        assert!(matches!(
            v.open("apps.secret", &Sealed("plain".into())),
            Err(VaultError::Malformed { .. })
        ));
        // Two seals of the same text differ (random nonce).
        assert_ne!(v.seal("a", "x").unwrap(), v.seal("a", "x").unwrap());
    }

    #[test]
    fn key_file_is_created_private_and_required_later() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let v1 = Vault::open_for(&db, KeyStorage::File, true).unwrap();
        let s = v1.seal("p", "hello").unwrap();
        let kf = key_file_path(&db);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&kf).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let v2 = Vault::open_for(&db, KeyStorage::File, false).unwrap();
        assert_eq!(&*v2.open("p", &s).unwrap(), "hello");
        std::fs::remove_file(&kf).unwrap();
        assert!(matches!(
            Vault::open_for(&db, KeyStorage::File, false),
            Err(VaultError::KeyMissing(_))
        ));
        std::fs::write(&kf, "zz").unwrap();
        #[cfg(unix)]
        std::fs::set_permissions(&kf, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
        assert!(matches!(
            Vault::open_for(&db, KeyStorage::File, false),
            Err(VaultError::KeyInvalid { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_readable_by_others_is_made_private_with_a_warning() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let v1 = Vault::open_for(&db, KeyStorage::File, true).unwrap();
        assert!(v1.warnings().is_empty());
        let s = v1.seal("p", "hello").unwrap();
        let kf = key_file_path(&db);
        for mode in [0o644, 0o640, 0o604, 0o660] {
            std::fs::set_permissions(&kf, std::fs::Permissions::from_mode(mode)).unwrap();
            let v2 = Vault::open_for(&db, KeyStorage::File, false).unwrap();
            assert_eq!(
                std::fs::metadata(&kf).unwrap().permissions().mode() & 0o777,
                0o600,
                "{mode:o}"
            );
            assert_eq!(v2.warnings().len(), 1, "{mode:o}");
            let w = &v2.warnings()[0];
            assert!(
                w.contains("0600") && w.contains(&kf.display().to_string()),
                "{w}"
            );
            let key_hex = std::fs::read_to_string(&kf).unwrap();
            assert!(
                !w.contains(key_hex.trim()),
                "the warning never shows the key"
            );
            assert_eq!(&*v2.open("p", &s).unwrap(), "hello");
            let v3 = Vault::open_for(&db, KeyStorage::File, false).unwrap();
            assert!(v3.warnings().is_empty(), "fixed once, quiet afterwards");
        }
    }
}
