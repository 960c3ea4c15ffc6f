//! Export and import: moving a desk's accounts to another machine or a backup.
//!
//! Two file shapes exist, because the two uses differ in risk:
//!
//! * **Without secrets** — a plain JSON document (`format: "wxdesk-export"`)
//!   listing apps, platforms, authorizers and settings. It holds no AppSecret,
//!   message token, EncodingAESKey, refresh token, session key or ticket, so it
//!   can be mailed or committed; the receiving desk needs the secrets entered
//!   again. An import refuses a plain file that carries any of them.
//! * **With secrets** — the same document plus every secret (and each
//!   platform's newest ticket), encrypted under a passphrase (see [`crypto`]).
//!   The file does not depend on either desk's vault key: secrets are opened
//!   with the exporting desk's vault and re-sealed with the importing desk's.
//!
//! An import never changes the environment or its base URLs, so it cannot
//! change where secrets are sent. It is checked whole first ([`validate`]),
//! then previewed: [`Desk::import_preview`] runs the same comparison
//! ([`apply`]) as the write, as a dry run, and reports how many records are
//! added or changed, how many stored secrets and refresh tokens would be
//! overwritten and how many authorizers change status. [`Desk::import`]
//! writes only when confirmed, in one transaction, so a crash mid-import
//! leaves the desk as it was. The file shapes are in [`format`]; writing
//! export files (owner-only, and in the desktop app only where the operator
//! chose) is in [`file`].

mod apply;
pub mod crypto;
pub mod file;
pub mod format;
mod validate;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::apps::Secret;
use crate::store::authorizers::{self, AuthorizerFilter};
use crate::store::{apps, components, settings as keys, tickets};
use crate::vault::Sealed;

pub use crypto::{encrypt_document, KDF_ALG, KDF_M_KIB, KDF_P, KDF_T, MIN_PASSPHRASE_CHARS};
pub use format::{ENCRYPTED_FORMAT, FORMAT, VERSION};

use format::{
    Document, ExportApp, ExportAuthorizer, ExportComponent, ExportSettings, ExportTicket,
};

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

/// How many records of one kind an import adds, changes or leaves alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct RecordCounts {
    /// Not on the desk yet.
    pub added: usize,
    /// On the desk, and some field differs.
    pub changed: usize,
    /// On the desk and identical.
    pub unchanged: usize,
}

impl RecordCounts {
    fn text(&self, what: &str) -> String {
        format!(
            "{what}: {} added, {} changed, {} unchanged",
            self.added, self.changed, self.unchanged
        )
    }
}

/// What an import does (`written: false`, the preview) or did (`written: true`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ImportReport {
    /// Whether anything was written (false for a preview).
    pub written: bool,
    /// Whether the file carried secrets (only an encrypted file may).
    pub with_secrets: bool,
    /// Mini programs.
    pub apps: RecordCounts,
    /// Third-party platforms.
    pub components: RecordCounts,
    /// Authorizers (merchants).
    pub authorizers: RecordCounts,
    /// Settings (log retention, language, theme).
    pub settings: RecordCounts,
    /// Component tickets added.
    pub tickets_added: usize,
    /// Tickets in the file not used because the desk has one as new or newer.
    pub tickets_kept_newer: usize,
    /// Stored AppSecrets, message tokens and EncodingAESKeys replaced by different values.
    pub secrets_overwritten: usize,
    /// Stored refresh tokens replaced by different, newer ones.
    pub refresh_tokens_overwritten: usize,
    /// Refresh tokens in the file not used because the desk's is newer.
    pub refresh_tokens_kept_newer: usize,
    /// Authorizers on the desk whose status (active/revoked) changes.
    pub status_changes: usize,
    /// What the file carried but the import deliberately does not apply.
    pub notes: Vec<String>,
}

impl ImportReport {
    /// One paragraph for a terminal or a confirmation prompt.
    pub fn summary(&self) -> String {
        let mut s = [
            self.apps.text("mini programs"),
            self.components.text("platforms"),
            self.authorizers.text("authorizers"),
            self.settings.text("settings"),
        ]
        .join("; ");
        s.push_str(&format!(
            "\ntickets: {} added, {} kept (the desk's is as new or newer)\n\
             stored secrets overwritten: {}; refresh tokens overwritten: {} ({} kept, the desk's is newer)\n\
             authorizers changing status: {}",
            self.tickets_added,
            self.tickets_kept_newer,
            self.secrets_overwritten,
            self.refresh_tokens_overwritten,
            self.refresh_tokens_kept_newer,
            self.status_changes
        ));
        for n in &self.notes {
            s.push_str("\nnote: ");
            s.push_str(n);
        }
        s
    }
}

impl Desk {
    /// Exports every app, platform, authorizer and setting (never the environment).
    ///
    /// Without secrets the result is plain JSON holding no secret at all.
    /// With secrets a passphrase of at least 8 characters is required and the
    /// result is the encrypted envelope described in [`crypto`].
    pub fn export(&self, opts: ExportOptions) -> Result<Vec<u8>> {
        let passphrase = if opts.with_secrets {
            Some(crypto::check_passphrase(opts.passphrase.as_ref())?)
        } else {
            None
        };
        let with = opts.with_secrets;
        // Language and theme are global: they live in the home database.
        let (language, theme): (Option<String>, Option<String>) = self
            .home_store()
            .read(|c| Ok((keys::get(c, keys::LANGUAGE)?, keys::get(c, keys::THEME)?)))?;
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
                    updated_at: Some(a.updated_at),
                });
            }
            let settings = ExportSettings {
                environment: None,
                log_retention_days: keys::get(&snap, keys::LOG_RETENTION_DAYS)?,
                language: language.clone(),
                theme: theme.clone(),
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

    fn import_plan(
        &self,
        bytes: &[u8],
        passphrase: Option<&Zeroizing<String>>,
    ) -> Result<validate::Plan> {
        let file = format::read_document(bytes, passphrase.map(|p| p.as_str()))?;
        validate::plan(file, self.env(), self.now())
    }

    /// What importing the file would do, computed by the same comparison as
    /// the write but in a read snapshot that is never committed. Writes nothing.
    pub fn import_preview(
        &self,
        bytes: &[u8],
        passphrase: Option<Zeroizing<String>>,
    ) -> Result<ImportReport> {
        let plan = self.import_plan(bytes, passphrase.as_ref())?;
        self.apply_plan(plan, true)
    }

    /// Imports a file written by [`Desk::export`]: checks every record, then
    /// writes all of them in one transaction (or nothing). An encrypted file
    /// needs its passphrase; a plain one ignores it.
    ///
    /// Unless `confirmed`, nothing is written: the answer is
    /// [`Error::NeedsConfirmation`] carrying the preview, so every shell asks
    /// the same question (a dialog, a terminal prompt or `--yes`).
    pub fn import(
        &self,
        bytes: &[u8],
        passphrase: Option<Zeroizing<String>>,
        confirmed: bool,
    ) -> Result<ImportReport> {
        let plan = self.import_plan(bytes, passphrase.as_ref())?;
        if !confirmed {
            let action = format!(
                "import {} mini program(s), {} platform(s) and {} authorizer(s) into the {} environment",
                plan.apps.len(),
                plan.components.len(),
                plan.authorizers.len(),
                self.env().label()
            );
            let preview = self.apply_plan(plan, true)?;
            return Err(Error::NeedsConfirmation {
                action,
                risk: preview.summary(),
            });
        }
        self.apply_plan(plan, false)
    }

    /// Applies (or, in a dry run, compares) a plan: records and the
    /// environment's own settings in this environment's database; language
    /// and theme, which are global, in the home database.
    fn apply_plan(&self, mut plan: validate::Plan, dry_run: bool) -> Result<ImportReport> {
        let in_home = self.home_db_path() == self.db_path();
        let global: Vec<_> = if in_home {
            Vec::new()
        } else {
            let (global, own): (Vec<_>, Vec<_>) = std::mem::take(&mut plan.settings)
                .into_iter()
                .partition(|(k, _)| [keys::LANGUAGE, keys::THEME].contains(k));
            plan.settings = own;
            global
        };
        let mut report = if dry_run {
            self.store().read(|c| {
                let snap = c.unchecked_transaction()?;
                apply::apply(&snap, self.vault(), &plan, true)
            })?
        } else {
            self.store()
                .write(|tx| apply::apply(tx, self.vault(), &plan, false))?
        };
        if !global.is_empty() {
            let counts = &mut report.settings;
            if dry_run {
                self.home_store()
                    .read(|c| apply::apply_settings(c, &global, true, counts))?;
            } else {
                self.home_store()
                    .write(|tx| apply::apply_settings(tx, &global, false, counts))?;
            }
        }
        Ok(report)
    }
}
