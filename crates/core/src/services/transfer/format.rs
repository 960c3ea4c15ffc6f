//! The export file format: the JSON document and the encrypted envelope
//! around it, as written by `wxdesk export` and read by `wxdesk import`.
//!
//! This module only knows shapes. Records are read as raw JSON first and
//! checked one by one in [`super::validate`], so a shape error names its
//! record; the envelope's cryptography lives in [`super::crypto`].

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::env::Environment;
use crate::error::{Error, Result};
use crate::services::apps::Secret;
use crate::store::authorizers::AuthorizerStatus;

use super::crypto;

/// `format` of a plain export.
pub const FORMAT: &str = "wxdesk-export";
/// `format` of an encrypted export.
pub const ENCRYPTED_FORMAT: &str = "wxdesk-export-encrypted";
/// The version written and read.
pub const VERSION: u32 = 1;

/// The document as written.
#[derive(Serialize)]
pub(super) struct Document {
    pub format: String,
    pub version: u32,
    pub exported_at: i64,
    pub apps: Vec<ExportApp>,
    pub components: Vec<ExportComponent>,
    pub authorizers: Vec<ExportAuthorizer>,
    pub settings: ExportSettings,
}

/// The document as read: records stay raw JSON until each is checked on its
/// own, so a shape error names its record.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocument {
    pub format: String,
    pub version: u32,
    #[serde(default)]
    pub exported_at: Option<i64>,
    #[serde(default)]
    pub apps: Vec<Value>,
    #[serde(default)]
    pub components: Vec<Value>,
    #[serde(default)]
    pub authorizers: Vec<Value>,
    #[serde(default)]
    pub settings: Option<Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportApp {
    pub appid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportTicket {
    pub ticket: Secret,
    pub source: String,
    pub received_at: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportComponent {
    pub appid: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub redirect_uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aes_key: Option<Secret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<ExportTicket>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportAuthorizer {
    pub appid: String,
    pub component: String,
    #[serde(default)]
    pub func_info: Vec<i64>,
    #[serde(default)]
    pub nick_name: String,
    #[serde(default = "unknown")]
    pub account_type: String,
    #[serde(default = "active")]
    pub status: AuthorizerStatus,
    #[serde(default)]
    pub authorized_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
    /// When the record (and so its refresh token) last changed on the
    /// exporting desk: an import never lets an older refresh token replace a
    /// newer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
}

fn unknown() -> String {
    "unknown".into()
}

fn active() -> AuthorizerStatus {
    AuthorizerStatus::Active
}

/// Settings carried by a file. `environment` is only read (files written
/// before import stopped changing it may carry it); it is never written and
/// never applied.
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ExportSettings {
    #[serde(default, skip_serializing)]
    pub environment: Option<Environment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_retention_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
}

/// Removes quoted string values from a serde message, so a mistyped field
/// holding a secret is never echoed.
pub(super) fn scrub(msg: &str) -> String {
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

/// A file read and, when encrypted, decrypted.
pub(super) struct ReadFile {
    pub doc: RawDocument,
    /// Whether the file was the encrypted envelope (only such a file may carry secrets).
    pub encrypted: bool,
}

/// Parses a file: plain document or encrypted envelope (opened with `passphrase`).
pub(super) fn read_document(bytes: &[u8], passphrase: Option<&str>) -> Result<ReadFile> {
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
    let (doc, encrypted): (Value, bool) = match format.as_deref() {
        Some(ENCRYPTED_FORMAT) => {
            let plain = crypto::decrypt_envelope(value, passphrase)?;
            let doc = serde_json::from_slice(&plain).map_err(|_| {
                Error::invalid(
                    "file",
                    "the decrypted export is not JSON; the file was altered",
                )
            })?;
            (doc, true)
        }
        Some(FORMAT) => (value, false),
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
    Ok(ReadFile {
        doc: raw,
        encrypted,
    })
}
