//! Export and import: moving a desk's accounts to another machine or a backup.
//!
//! Two file shapes exist, because the two uses differ in risk:
//!
//! * **Without secrets** — a plain JSON document (`format: "wxdesk-export"`)
//!   listing apps, platforms, authorizers and settings. It holds no AppSecret,
//!   message token, EncodingAESKey, refresh token, session key or ticket, so it
//!   can be mailed or committed; the receiving desk needs the secrets entered
//!   again.
//! * **With secrets** — the same document plus every secret (and each
//!   platform's newest ticket), encrypted under a passphrase: Argon2id derives
//!   a 256-bit key from the passphrase and a random salt, and AES-256-GCM
//!   seals the document with a random nonce. The envelope
//!   (`format: "wxdesk-export-encrypted"`) records the KDF parameters, and its
//!   header is bound to the ciphertext as associated data, so a wrong
//!   passphrase and an altered file fail the same clear way. The file does not
//!   depend on either desk's vault key: secrets are opened with the exporting
//!   desk's vault and re-sealed with the importing desk's.
//!
//! Import checks every record before writing anything — AppID formats,
//! secrets, EncodingAESKeys, the JSON shape of each record, duplicate keys and
//! that every authorizer's platform exists — and reports the first problem by
//! record and field (`authorizers[3].component`). Only a fully valid file is
//! written, in one transaction, so a crash mid-import leaves the desk as it
//! was. Existing records are updated (secrets absent from the file keep the
//! stored ones).

use std::collections::{HashMap, HashSet};

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::services::apps::{check_appid, check_name, check_secret, Secret, APP_SECRET_SOURCE};
use crate::services::components::{
    check_aes_key, check_message_token, check_redirect_uri, component_appid,
    COMPONENT_SECRET_SOURCE,
};
use crate::services::settings::{
    check_environment, check_language, check_log_retention, check_theme,
};
use crate::store::apps::{self, AppRow};
use crate::store::authorizers::{self, AuthorizerFilter, AuthorizerRow, AuthorizerStatus};
use crate::store::components::{self, ComponentRow};
use crate::store::{settings as keys, tickets};
use crate::vault::{Sealed, Vault};

/// `format` of a plain export.
pub const FORMAT: &str = "wxdesk-export";
/// `format` of an encrypted export.
pub const ENCRYPTED_FORMAT: &str = "wxdesk-export-encrypted";
/// The version written and read.
pub const VERSION: u32 = 1;
/// The only KDF written and read.
pub const KDF_ALG: &str = "argon2id";
/// Argon2id memory cost written, in KiB (OWASP's minimum recommendation).
pub const KDF_M_KIB: u32 = 19_456;
/// Argon2id iterations written.
pub const KDF_T: u32 = 2;
/// Argon2id lanes written.
pub const KDF_P: u32 = 1;
/// Shortest passphrase accepted, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// Largest KDF costs accepted from a file (a hostile file must not exhaust memory).
const MAX_KDF_M_KIB: u32 = 1 << 20;
const MAX_KDF_T: u32 = 64;
const MAX_KDF_P: u32 = 16;

const ACCOUNT_TYPES: [&str; 3] = ["mini_program", "official_account", "unknown"];
const TICKET_SOURCES: [&str; 2] = ["manual", "push"];

/// How to export.
#[derive(Clone, Default)]
pub struct ExportOptions {
    /// Include every secret (requires a passphrase; the file is encrypted).
    pub with_secrets: bool,
    /// The passphrase encrypting a `with_secrets` export (≥ 8 characters).
    /// Ignored without secrets: that file holds nothing secret.
    pub passphrase: Option<Zeroizing<String>>,
}

impl std::fmt::Debug for ExportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportOptions")
            .field("with_secrets", &self.with_secrets)
            .field("passphrase", &self.passphrase.as_ref().map(|_| "…"))
            .finish()
    }
}

impl<'de> Deserialize<'de> for ExportOptions {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Raw {
            #[serde(default)]
            with_secrets: bool,
            #[serde(default)]
            passphrase: Option<Secret>,
        }
        let raw = Raw::deserialize(d)?;
        Ok(ExportOptions {
            with_secrets: raw.with_secrets,
            passphrase: raw
                .passphrase
                .map(|p| Zeroizing::new(p.expose().to_string())),
        })
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportReport {
    /// Mini programs added or updated.
    pub apps: usize,
    /// Platforms added or updated.
    pub components: usize,
    /// Authorizers added or updated.
    pub authorizers: usize,
    /// Settings written.
    pub settings: usize,
    /// Tickets added (only from an export with secrets).
    pub tickets: usize,
    /// Whether the file carried secrets.
    pub with_secrets: bool,
}

// ---------------------------------------------------------------- document

#[derive(Serialize)]
struct Document {
    format: String,
    version: u32,
    exported_at: i64,
    apps: Vec<ExportApp>,
    components: Vec<ExportComponent>,
    authorizers: Vec<ExportAuthorizer>,
    settings: ExportSettings,
}

/// The document as read: records stay raw JSON until each is checked on its
/// own, so a shape error names its record.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDocument {
    format: String,
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    exported_at: Option<i64>,
    #[serde(default)]
    apps: Vec<Value>,
    #[serde(default)]
    components: Vec<Value>,
    #[serde(default)]
    authorizers: Vec<Value>,
    #[serde(default)]
    settings: Option<Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportApp {
    appid: String,
    #[serde(default)]
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<Secret>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportTicket {
    ticket: Secret,
    source: String,
    received_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportComponent {
    appid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    redirect_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    aes_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ticket: Option<ExportTicket>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportAuthorizer {
    appid: String,
    component: String,
    #[serde(default)]
    func_info: Vec<i64>,
    #[serde(default)]
    nick_name: String,
    #[serde(default = "unknown")]
    account_type: String,
    #[serde(default = "active")]
    status: AuthorizerStatus,
    #[serde(default)]
    authorized_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
}

fn unknown() -> String {
    "unknown".into()
}

fn active() -> AuthorizerStatus {
    AuthorizerStatus::Active
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExportSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<Environment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log_retention_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    theme: Option<String>,
}

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

// ---------------------------------------------------------------- crypto

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

fn check_passphrase(passphrase: Option<&Zeroizing<String>>) -> Result<&str> {
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

fn encrypt_document(plaintext: &[u8], passphrase: &str) -> Result<Vec<u8>> {
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

fn decrypt_envelope(value: Value, passphrase: Option<&str>) -> Result<Zeroizing<Vec<u8>>> {
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
    if env.kdf.m < KDF_M_KIB || env.kdf.t < KDF_T || env.kdf.p < KDF_P {
        return Err(Error::invalid(
            "kdf",
            "the key-derivation parameters are weaker than wxdesk writes; the file was not made by wxdesk or was altered",
        ));
    }
    if env.kdf.m > MAX_KDF_M_KIB || env.kdf.t > MAX_KDF_T || env.kdf.p > MAX_KDF_P {
        return Err(Error::invalid(
            "kdf",
            "the key-derivation parameters are beyond what wxdesk accepts (memory ≤ 1 GiB, ≤ 64 passes, ≤ 16 lanes); the file was altered",
        ));
    }
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

/// Removes quoted string values from a serde message, so a mistyped field
/// holding a secret is never echoed.
fn scrub(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find("string \"") {
        out.push_str(&rest[..i + "string".len()]);
        let after = &rest[i + "string \"".len()..];
        match after.find("\", expected").or_else(|| after.find('"')) {
            Some(j) => rest = &after[j + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------- validation

/// Re-labels an input error as `kind[i].field`, naming the record's key.
fn at(kind: &str, i: usize, id: &str, e: Error) -> Error {
    match e {
        Error::Invalid { field, reason } => {
            let label = if id.is_empty() {
                String::new()
            } else {
                format!("record {id}: ")
            };
            Error::invalid(format!("{kind}[{i}].{field}"), format!("{label}{reason}"))
        }
        other => other,
    }
}

fn record<T: serde::de::DeserializeOwned>(kind: &str, i: usize, v: Value) -> Result<T> {
    let id = v
        .get("appid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    serde_json::from_value(v).map_err(|e| {
        let label = if id.is_empty() {
            String::new()
        } else {
            format!("record {id}: ")
        };
        Error::invalid(
            format!("{kind}[{i}]"),
            format!("{label}{}", scrub(&e.to_string())),
        )
    })
}

fn check_time(field: &str, t: Option<i64>) -> Result<()> {
    match t {
        Some(t) if t < 0 => Err(Error::invalid(field, "is negative; times are Unix seconds")),
        _ => Ok(()),
    }
}

/// A ticket to import: sealed value, source, received_at.
type PlannedTicket = (Sealed, String, i64);

struct Plan {
    apps: Vec<AppRow>,
    components: Vec<(ComponentRow, Option<PlannedTicket>)>,
    authorizers: Vec<(usize, AuthorizerRow)>,
    settings: Vec<(&'static str, Value)>,
    with_secrets: bool,
}

fn seal_opt(vault: &Vault, purpose: &str, v: Option<Zeroizing<String>>) -> Result<Option<Sealed>> {
    Ok(v.map(|s| vault.seal(purpose, &s)).transpose()?)
}

fn plan(vault: &Vault, doc: RawDocument, now: i64) -> Result<Plan> {
    let mut with_secrets = false;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut apps_out = Vec::with_capacity(doc.apps.len());
    for (i, v) in doc.apps.into_iter().enumerate() {
        let a: ExportApp = record("apps", i, v)?;
        let id = a.appid.clone();
        let fail = |e| at("apps", i, &id, e);
        check_appid("appid", &a.appid).map_err(fail)?;
        if let Some(j) = seen.insert(a.appid.clone(), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!("appears twice (also apps[{j}]); keep one"),
            )));
        }
        let name = check_name("name", &a.name).map_err(fail)?;
        check_time("created_at", a.created_at).map_err(fail)?;
        check_time("updated_at", a.updated_at).map_err(fail)?;
        let secret = a
            .secret
            .as_ref()
            .map(|s| check_secret("secret", s.expose(), APP_SECRET_SOURCE))
            .transpose()
            .map_err(fail)?;
        with_secrets |= secret.is_some();
        apps_out.push(AppRow {
            secret: seal_opt(vault, apps::SECRET, secret)?,
            appid: a.appid,
            name,
            created_at: a.created_at.unwrap_or(now),
            updated_at: a.updated_at.unwrap_or(now),
        });
    }

    seen.clear();
    let mut comps_out = Vec::with_capacity(doc.components.len());
    for (i, v) in doc.components.into_iter().enumerate() {
        let c: ExportComponent = record("components", i, v)?;
        let id = c.appid.clone();
        let fail = |e| at("components", i, &id, e);
        component_appid(&c.appid).map_err(fail)?;
        if let Some(j) = seen.insert(c.appid.clone(), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!("appears twice (also components[{j}]); keep one"),
            )));
        }
        let name = check_name("name", &c.name).map_err(fail)?;
        check_time("created_at", c.created_at).map_err(fail)?;
        check_time("updated_at", c.updated_at).map_err(fail)?;
        let redirect_uri = c
            .redirect_uri
            .as_deref()
            .filter(|u| !u.trim().is_empty())
            .map(|u| check_redirect_uri("redirect_uri", u))
            .transpose()
            .map_err(fail)?;
        let secret = c
            .secret
            .as_ref()
            .map(|s| check_secret("secret", s.expose(), COMPONENT_SECRET_SOURCE))
            .transpose()
            .map_err(fail)?;
        let token = c
            .token
            .as_ref()
            .map(|t| check_message_token("token", t.expose()))
            .transpose()
            .map_err(fail)?;
        let aes_key = c
            .aes_key
            .as_ref()
            .map(|k| check_aes_key("aes_key", k.expose()))
            .transpose()
            .map_err(fail)?;
        let ticket = match &c.ticket {
            None => None,
            Some(t) => {
                if t.ticket.expose().trim().is_empty() {
                    return Err(fail(Error::invalid("ticket.ticket", "is empty")));
                }
                if !TICKET_SOURCES.contains(&t.source.as_str()) {
                    return Err(fail(Error::invalid(
                        "ticket.source",
                        format!("{:?} is not a ticket source; use push or manual", t.source),
                    )));
                }
                if t.received_at <= 0 {
                    return Err(fail(Error::invalid(
                        "ticket.received_at",
                        "must be a positive Unix time in seconds",
                    )));
                }
                Some((
                    vault.seal(tickets::TICKET, t.ticket.expose().trim())?,
                    t.source.clone(),
                    t.received_at,
                ))
            }
        };
        with_secrets |=
            secret.is_some() || token.is_some() || aes_key.is_some() || ticket.is_some();
        let row = ComponentRow {
            secret: seal_opt(vault, components::SECRET, secret)?,
            token: seal_opt(vault, components::TOKEN, token)?,
            aes_key: seal_opt(vault, components::AES_KEY, aes_key)?,
            appid: c.appid,
            name,
            redirect_uri,
            created_at: c.created_at.unwrap_or(now),
            updated_at: c.updated_at.unwrap_or(now),
        };
        comps_out.push((row, ticket));
    }

    let mut pairs: HashMap<(String, String), usize> = HashMap::new();
    let mut auths_out = Vec::with_capacity(doc.authorizers.len());
    for (i, v) in doc.authorizers.into_iter().enumerate() {
        let a: ExportAuthorizer = record("authorizers", i, v)?;
        let id = a.appid.clone();
        let fail = |e| at("authorizers", i, &id, e);
        check_appid("appid", &a.appid).map_err(fail)?;
        check_appid("component appid", &a.component)
            .map_err(|e| match e {
                Error::Invalid { reason, .. } => Error::invalid("component", reason),
                other => other,
            })
            .map_err(fail)?;
        if let Some(j) = pairs.insert((a.component.clone(), a.appid.clone()), i) {
            return Err(fail(Error::invalid(
                "appid",
                format!(
                    "appears twice for platform {} (also authorizers[{j}]); keep one",
                    a.component
                ),
            )));
        }
        if !ACCOUNT_TYPES.contains(&a.account_type.as_str()) {
            return Err(fail(Error::invalid(
                "account_type",
                format!(
                    "{:?} is not an account type; use mini_program, official_account or unknown",
                    a.account_type
                ),
            )));
        }
        if a.nick_name.chars().count() > 256 || a.nick_name.chars().any(char::is_control) {
            return Err(fail(Error::invalid(
                "nick_name",
                "must be one line of at most 256 characters",
            )));
        }
        check_time("authorized_at", a.authorized_at).map_err(fail)?;
        check_time("revoked_at", a.revoked_at).map_err(fail)?;
        let refresh = match &a.refresh_token {
            Some(t) if t.expose().trim().is_empty() => {
                return Err(fail(Error::invalid("refresh_token", "is empty")))
            }
            Some(t) => Some(vault.seal(authorizers::REFRESH_TOKEN, t.expose().trim())?),
            None => None,
        };
        with_secrets |= refresh.is_some();
        auths_out.push((
            i,
            AuthorizerRow {
                component_appid: a.component,
                appid: a.appid,
                refresh_token: refresh,
                func_info: a.func_info,
                info: None,
                nick_name: a.nick_name,
                account_type: a.account_type,
                status: a.status,
                authorized_at: a.authorized_at,
                revoked_at: match a.status {
                    AuthorizerStatus::Revoked => Some(a.revoked_at.unwrap_or(now)),
                    AuthorizerStatus::Active => None,
                },
                updated_at: now,
            },
        ));
    }

    let mut settings_out = Vec::new();
    if let Some(v) = doc.settings {
        let s: ExportSettings = serde_json::from_value(v)
            .map_err(|e| Error::invalid("settings", scrub(&e.to_string())))?;
        let fail = |e| match e {
            Error::Invalid { field, reason } => Error::invalid(format!("settings.{field}"), reason),
            other => other,
        };
        if let Some(env) = s.environment {
            check_environment("environment", &env).map_err(fail)?;
            settings_out.push((
                keys::ENVIRONMENT,
                serde_json::to_value(&env)
                    .map_err(|e| Error::invalid("settings.environment", e.to_string()))?,
            ));
        }
        if let Some(d) = s.log_retention_days {
            let d = check_log_retention("log_retention_days", d).map_err(fail)?;
            settings_out.push((keys::LOG_RETENTION_DAYS, Value::from(d)));
        }
        if let Some(l) = s.language {
            check_language("language", &l).map_err(fail)?;
            settings_out.push((keys::LANGUAGE, Value::from(l)));
        }
        if let Some(t) = s.theme {
            check_theme("theme", &t).map_err(fail)?;
            settings_out.push((keys::THEME, Value::from(t)));
        }
    }

    Ok(Plan {
        apps: apps_out,
        components: comps_out,
        authorizers: auths_out,
        settings: settings_out,
        with_secrets,
    })
}

fn read_document(bytes: &[u8], passphrase: Option<&str>) -> Result<RawDocument> {
    let not_export = |why: &str| {
        Error::invalid(
            "file",
            format!("{why}; choose a file written by `wxdesk export` (plain .json, or encrypted with --with-secrets)"),
        )
    };
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|_| not_export("this is not a wxdesk export (not JSON)"))?;
    let format = value
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_string);
    let doc: Value = match format.as_deref() {
        Some(ENCRYPTED_FORMAT) => {
            let plain = decrypt_envelope(value, passphrase)?;
            serde_json::from_slice(&plain).map_err(|_| {
                Error::invalid(
                    "file",
                    "the decrypted export is not JSON; the file was altered",
                )
            })?
        }
        Some(FORMAT) => value,
        Some(other) => {
            return Err(not_export(&format!(
                "format {other:?} is not a wxdesk export"
            )))
        }
        None => return Err(not_export("this is not a wxdesk export (no \"format\")")),
    };
    let raw: RawDocument = serde_path_to_error::deserialize(doc).map_err(|e| {
        Error::invalid(
            "file",
            format!(
                "the export is malformed at {}: {}",
                e.path(),
                scrub(&e.inner().to_string())
            ),
        )
    })?;
    if raw.format != FORMAT {
        return Err(Error::invalid(
            "file",
            "the decrypted content is not a wxdesk export; the file was altered",
        ));
    }
    if raw.version != VERSION {
        return Err(Error::invalid(
            "file",
            format!("export version {} is not supported (this wxdesk reads version {VERSION}); import it with a newer wxdesk", raw.version),
        ));
    }
    Ok(raw)
}

fn write_plan(tx: &Connection, plan: &Plan) -> Result<ImportReport> {
    // References first: every authorizer's platform must exist after the import.
    let in_file: HashSet<&str> = plan
        .components
        .iter()
        .map(|(c, _)| c.appid.as_str())
        .collect();
    for (i, a) in &plan.authorizers {
        if !in_file.contains(a.component_appid.as_str())
            && components::get(tx, &a.component_appid)?.is_none()
        {
            return Err(Error::invalid(
                format!("authorizers[{i}].component"),
                format!(
                    "record {}: platform {} is neither in the file nor on this desk; export it together with its authorizers, or add it first",
                    a.appid, a.component_appid
                ),
            ));
        }
    }
    let mut report = ImportReport {
        with_secrets: plan.with_secrets,
        ..ImportReport::default()
    };
    for a in &plan.apps {
        apps::upsert(tx, a)?;
        report.apps += 1;
    }
    for (c, ticket) in &plan.components {
        components::upsert(tx, c)?;
        report.components += 1;
        if let Some((sealed, source, received_at)) = ticket {
            let newer: bool = tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM tickets WHERE component_appid = ?1 AND received_at >= ?2)",
                (&c.appid, received_at),
                |r| r.get(0),
            )?;
            if !newer {
                tickets::insert(tx, &c.appid, sealed, source, *received_at)?;
                report.tickets += 1;
            }
        }
    }
    for (_, a) in &plan.authorizers {
        authorizers::upsert(tx, a)?;
        report.authorizers += 1;
    }
    for (key, value) in &plan.settings {
        keys::set(tx, key, value)?;
        report.settings += 1;
    }
    Ok(report)
}

impl Desk {
    /// Exports every app, platform, authorizer and setting.
    ///
    /// Without secrets the result is plain JSON holding no secret at all.
    /// With secrets a passphrase of at least 8 characters is required and the
    /// result is the encrypted envelope described in the module docs.
    pub fn export(&self, opts: ExportOptions) -> Result<Vec<u8>> {
        let passphrase = if opts.with_secrets {
            Some(check_passphrase(opts.passphrase.as_ref())?)
        } else {
            None
        };
        let with = opts.with_secrets;
        let doc = self.store().read(|c| {
            // One read transaction: a consistent snapshot even if another process writes.
            let snap = c.unchecked_transaction()?;
            let reveal = |purpose: &str, s: Option<&Sealed>| -> Result<Option<Secret>> {
                match s {
                    Some(s) if with => {
                        Ok(Some(Secret::new(self.open_secret(purpose, s)?.as_str())))
                    }
                    _ => Ok(None),
                }
            };
            let mut apps_out = Vec::new();
            for a in apps::list(&snap)? {
                apps_out.push(ExportApp {
                    secret: reveal(apps::SECRET, a.secret.as_ref())?,
                    appid: a.appid,
                    name: a.name,
                    created_at: Some(a.created_at),
                    updated_at: Some(a.updated_at),
                });
            }
            let mut comps_out = Vec::new();
            for c in components::list(&snap)? {
                let ticket = match tickets::latest(&snap, &c.appid)? {
                    Some(t) if with => Some(ExportTicket {
                        ticket: Secret::new(self.open_secret(tickets::TICKET, &t.ticket)?.as_str()),
                        source: t.source,
                        received_at: t.received_at,
                    }),
                    _ => None,
                };
                comps_out.push(ExportComponent {
                    secret: reveal(components::SECRET, c.secret.as_ref())?,
                    token: reveal(components::TOKEN, c.token.as_ref())?,
                    aes_key: reveal(components::AES_KEY, c.aes_key.as_ref())?,
                    ticket,
                    appid: c.appid,
                    name: c.name,
                    redirect_uri: c.redirect_uri,
                    created_at: Some(c.created_at),
                    updated_at: Some(c.updated_at),
                });
            }
            let mut auths_out = Vec::new();
            for a in authorizers::list(&snap, &AuthorizerFilter::default())? {
                auths_out.push(ExportAuthorizer {
                    refresh_token: reveal(authorizers::REFRESH_TOKEN, a.refresh_token.as_ref())?,
                    appid: a.appid,
                    component: a.component_appid,
                    func_info: a.func_info,
                    nick_name: a.nick_name,
                    account_type: a.account_type,
                    status: a.status,
                    authorized_at: a.authorized_at,
                    revoked_at: a.revoked_at,
                });
            }
            let settings = ExportSettings {
                environment: keys::get(&snap, keys::ENVIRONMENT)?,
                log_retention_days: keys::get(&snap, keys::LOG_RETENTION_DAYS)?,
                language: keys::get(&snap, keys::LANGUAGE)?,
                theme: keys::get(&snap, keys::THEME)?,
            };
            Ok(Document {
                format: FORMAT.into(),
                version: VERSION,
                exported_at: self.now(),
                apps: apps_out,
                components: comps_out,
                authorizers: auths_out,
                settings,
            })
        })?;
        let json = Zeroizing::new(
            serde_json::to_vec_pretty(&doc).map_err(|e| Error::invalid("export", e.to_string()))?,
        );
        drop(doc);
        match passphrase {
            Some(p) => encrypt_document(&json, p),
            None => Ok(json.to_vec()),
        }
    }

    /// Imports a file written by [`Desk::export`]: checks every record, then
    /// writes all of them in one transaction (or nothing). An encrypted file
    /// needs its passphrase; a plain one ignores it.
    pub fn import(
        &self,
        bytes: &[u8],
        passphrase: Option<Zeroizing<String>>,
    ) -> Result<ImportReport> {
        let doc = read_document(bytes, passphrase.as_ref().map(|p| p.as_str()))?;
        let plan = plan(self.vault(), doc, self.now())?;
        self.store().write(|tx| write_plan(tx, &plan))
    }
}
