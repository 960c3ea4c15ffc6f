//! The encryption of an export with secrets: Argon2id derives a 256-bit key
//! from the passphrase and a random salt, and AES-256-GCM seals the document
//! with a random nonce. The envelope records the KDF parameters, and its
//! header is bound to the ciphertext as associated data, so a wrong
//! passphrase and an altered file fail the same clear way.
//!
//! The KDF parameters of a file are the file's own claim, so they are checked
//! against a floor and a cap *before* any key is derived: a hostile file must
//! not make an import burn gigabytes of memory or minutes of CPU.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::error::{Error, Result};

use super::format::{scrub, ENCRYPTED_FORMAT, VERSION};

/// The only KDF written and read.
pub const KDF_ALG: &str = "argon2id";
/// Argon2id memory cost written, in KiB (64 MiB).
pub const KDF_M_KIB: u32 = 64 * 1024;
/// Argon2id iterations written.
pub const KDF_T: u32 = 3;
/// Argon2id lanes written.
pub const KDF_P: u32 = 1;
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Weakest KDF costs read: what wxdesk wrote before the costs were raised
/// (19 MiB, 2 passes), so older backups still import. Anything weaker was not
/// written by wxdesk.
pub const MIN_KDF_M_KIB: u32 = 19_456;
/// See [`MIN_KDF_M_KIB`].
pub const MIN_KDF_T: u32 = 2;
/// See [`MIN_KDF_M_KIB`].
pub const MIN_KDF_P: u32 = 1;
/// Largest KDF memory read, in KiB (256 MiB).
pub const MAX_KDF_M_KIB: u32 = 256 * 1024;
/// Most KDF passes read.
pub const MAX_KDF_T: u32 = 10;
/// Most KDF lanes read.
pub const MAX_KDF_P: u32 = 4;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    format: String,
    version: u32,
    kdf: Kdf,
    nonce: String,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Kdf {
    alg: String,
    m: u32,
    t: u32,
    p: u32,
    salt: String,
}

impl Envelope {
    /// Associated data: the whole header, so no part of it can be changed unnoticed.
    fn aad(&self) -> String {
        format!(
            "{}|{}|{}|{}|{}|{}|{}",
            self.format,
            self.version,
            self.kdf.alg,
            self.kdf.m,
            self.kdf.t,
            self.kdf.p,
            self.kdf.salt
        )
    }
}

fn derive_key(
    passphrase: &str,
    salt: &[u8],
    m: u32,
    t: u32,
    p: u32,
) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m, t, p, Some(32)).map_err(|e| {
        Error::invalid(
            "kdf",
            format!("the key-derivation parameters are not usable ({e}); the file was altered"),
        )
    })?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| {
            Error::invalid(
                "kdf",
                format!("key derivation failed ({e}); the file was altered"),
            )
        })?;
    Ok(key)
}

/// The passphrase of an export with secrets, checked for presence and length.
pub(super) fn check_passphrase(passphrase: Option<&Zeroizing<String>>) -> Result<&str> {
    let p = passphrase.map(|p| p.as_str()).unwrap_or("");
    let n = p.chars().count();
    if n == 0 {
        return Err(Error::invalid(
            "passphrase",
            format!("an export with secrets is encrypted: give a passphrase of at least {MIN_PASSPHRASE_CHARS} characters (and keep it: it is needed to import)"),
        ));
    }
    if n < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!("is {n} characters; use at least {MIN_PASSPHRASE_CHARS} (a few unrelated words work well)"),
        ));
    }
    Ok(p)
}

/// Refuses KDF costs outside `[floor, cap]`, before anything is derived.
fn check_kdf_costs(m: u32, t: u32, p: u32) -> Result<()> {
    if m < MIN_KDF_M_KIB || t < MIN_KDF_T || p < MIN_KDF_P {
        return Err(Error::invalid(
            "kdf",
            format!(
                "the key-derivation parameters (m={m} KiB, t={t}, p={p}) are weaker than wxdesk ever wrote \
                 (at least m={MIN_KDF_M_KIB} KiB, t={MIN_KDF_T}, p={MIN_KDF_P}); the file was not made by wxdesk or was altered"
            ),
        ));
    }
    if m > MAX_KDF_M_KIB || t > MAX_KDF_T || p > MAX_KDF_P {
        return Err(Error::invalid(
            "kdf",
            format!(
                "the key-derivation parameters (m={m} KiB, t={t}, p={p}) exceed what wxdesk accepts \
                 (memory ≤ {} MiB, ≤ {MAX_KDF_T} passes, ≤ {MAX_KDF_P} lanes); the file was altered or made to exhaust this machine, so nothing was derived",
                MAX_KDF_M_KIB / 1024
            ),
        ));
    }
    Ok(())
}

/// Seals a document (JSON bytes) under `passphrase` with wxdesk's KDF costs:
/// the encrypted envelope `wxdesk import` reads.
pub fn encrypt_document(plaintext: &[u8], passphrase: &str) -> Result<Vec<u8>> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let mut env = Envelope {
        format: ENCRYPTED_FORMAT.into(),
        version: VERSION,
        kdf: Kdf {
            alg: KDF_ALG.into(),
            m: KDF_M_KIB,
            t: KDF_T,
            p: KDF_P,
            salt: B64.encode(salt),
        },
        nonce: B64.encode(nonce),
        ciphertext: String::new(),
    };
    let key = derive_key(passphrase, &salt, KDF_M_KIB, KDF_T, KDF_P)?;
    let cipher = Aes256Gcm::new(key.as_ref().into());
    let aad = env.aad();
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| Error::invalid("export", "encryption failed"))?;
    env.ciphertext = B64.encode(ct);
    serde_json::to_vec_pretty(&env).map_err(|e| Error::invalid("export", e.to_string()))
}

/// Opens an encrypted envelope: header checks (version, KDF algorithm and
/// costs) first, then the key derivation, then authenticated decryption.
pub(super) fn decrypt_envelope(
    value: Value,
    passphrase: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>> {
    let env: Envelope = serde_path_to_error::deserialize(value).map_err(|e| {
        Error::invalid(
            "file",
            format!(
                "the encrypted envelope is malformed (at {}: {}); the file was altered or truncated",
                e.path(),
                scrub(&e.inner().to_string())
            ),
        )
    })?;
    if env.version != VERSION {
        return Err(Error::invalid(
            "file",
            format!("encrypted export version {} is not supported (this wxdesk reads version {VERSION}); import it with a newer wxdesk", env.version),
        ));
    }
    if env.kdf.alg != KDF_ALG {
        return Err(Error::invalid(
            "kdf.alg",
            format!(
                "{:?} is not supported; wxdesk writes {KDF_ALG}",
                env.kdf.alg
            ),
        ));
    }
    check_kdf_costs(env.kdf.m, env.kdf.t, env.kdf.p)?;
    let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
        return Err(Error::invalid(
            "passphrase",
            "this export is encrypted (it holds secrets): give the passphrase it was exported with",
        ));
    };
    let altered = |what: &str| {
        Error::invalid(
            "file",
            format!("the {what} is not valid base64; the file was altered or truncated"),
        )
    };
    let salt = B64.decode(&env.kdf.salt).map_err(|_| altered("salt"))?;
    let nonce = B64.decode(&env.nonce).map_err(|_| altered("nonce"))?;
    let ct = B64
        .decode(&env.ciphertext)
        .map_err(|_| altered("ciphertext"))?;
    if nonce.len() != 12 {
        return Err(Error::invalid(
            "file",
            "the nonce is not 12 bytes; the file was altered",
        ));
    }
    let key = derive_key(passphrase, &salt, env.kdf.m, env.kdf.t, env.kdf.p)?;
    let cipher = Aes256Gcm::new(key.as_ref().into());
    let aad = env.aad();
    cipher
        .decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &ct,
                aad: aad.as_bytes(),
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| Error::invalid("passphrase", "wrong passphrase or the file was altered"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_outside_floor_and_cap_are_refused() {
        assert!(check_kdf_costs(KDF_M_KIB, KDF_T, KDF_P).is_ok());
        assert!(check_kdf_costs(MIN_KDF_M_KIB, MIN_KDF_T, MIN_KDF_P).is_ok());
        assert!(check_kdf_costs(MAX_KDF_M_KIB, MAX_KDF_T, MAX_KDF_P).is_ok());
        for (m, t, p) in [
            (MIN_KDF_M_KIB - 1, KDF_T, KDF_P),
            (KDF_M_KIB, MIN_KDF_T - 1, KDF_P),
            (KDF_M_KIB, KDF_T, 0),
            (MAX_KDF_M_KIB + 1, KDF_T, KDF_P),
            (KDF_M_KIB, MAX_KDF_T + 1, KDF_P),
            (KDF_M_KIB, KDF_T, MAX_KDF_P + 1),
            (1 << 20, 64, 1),
        ] {
            assert!(check_kdf_costs(m, t, p).is_err(), "m={m} t={t} p={p}");
        }
    }
}
