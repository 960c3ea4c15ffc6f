//! The embedded sandbox: "switch to the sandbox" without a terminal.
//!
//! A newcomer should be able to try every flow before touching production.
//! The app and `wxdesk serve` can start the offline WeChat emulator in their
//! own process and switch the environment to it. The emulator never holds a
//! real secret: it seeds its own demo accounts, copies nothing from the
//! stored accounts, and when an operator wants to walk a real AppID through
//! it, [`Runtime::sandbox_mirror`] has the sandbox make up a secret for that
//! AppID, which the operator stores in the sandbox environment's record.
//! Its console and `/__sandbox/` hooks are locked with a random token only
//! this process holds (it calls the hooks in-process; the console link in
//! [`SandboxView::console_url`] carries the token). When a saved sandbox
//! environment points at a local port nobody answers on (the app was
//! restarted), the emulator is started there again. The credentials it makes
//! up are derived from a seed kept in `embedded-sandbox.json` beside the
//! database (0600, with the list of mirrored AppIDs), so after a restart it
//! hands out the same demo accounts and mirrored secrets and what the operator
//! stored keeps working. That file unlocks nothing real.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_sandbox::{Sandbox, SandboxConfig, SandboxHandle};

use super::Runtime;
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::services::apps::check_appid;

/// The running embedded sandbox and its demo accounts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxView {
    /// Its base URL (api, mp and open).
    pub base_url: String,
    /// Demo accounts to add with one click.
    pub demo: DemoView,
    /// The console's one-time link (it carries the access token, traded for a cookie).
    pub console_url: String,
}

/// The demo accounts of the embedded sandbox.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DemoView {
    /// A mini program.
    pub mini_program_appid: String,
    /// Its AppSecret (a sandbox secret, not a real one).
    pub mini_program_secret: String,
    /// A third-party platform.
    pub component_appid: String,
    /// Its AppSecret.
    pub component_secret: String,
    /// Its message token.
    pub component_token: String,
    /// Its EncodingAESKey.
    pub component_aes_key: String,
    /// A mini program already authorized to the platform.
    pub authorizer_appid: String,
}

/// What to mirror into the embedded sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SandboxMirrorKind {
    /// A mini program (gets an AppSecret).
    App,
    /// A third-party platform (gets an AppSecret, message token and EncodingAESKey).
    Component,
}

/// Mirror a real AppID into the embedded sandbox, with a secret the sandbox makes up.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxMirrorArgs {
    /// The AppID.
    pub appid: String,
    /// `app` (a mini program) or `component` (a third-party platform).
    pub kind: String,
}

impl SandboxMirrorKind {
    /// Parses the `kind` argument.
    pub fn parse(kind: &str) -> Result<SandboxMirrorKind> {
        match kind.trim() {
            "app" => Ok(SandboxMirrorKind::App),
            "component" => Ok(SandboxMirrorKind::Component),
            other => Err(Error::invalid(
                "kind",
                format!("{other:?} is not a kind: use app (a mini program) or component (a third-party platform)"),
            )),
        }
    }
}

/// The sandbox's own credentials for a mirrored AppID: store these (not the
/// production ones) in the sandbox environment's record.
#[derive(Clone, Serialize, Deserialize, TS)]
pub struct SandboxMirrorView {
    /// The AppID.
    pub appid: String,
    /// What it was mirrored as.
    pub kind: SandboxMirrorKind,
    /// Its AppSecret in the sandbox (made up by the sandbox).
    pub secret: String,
    /// Its message token in the sandbox (platforms only).
    pub token: Option<String>,
    /// Its EncodingAESKey in the sandbox (platforms only).
    pub aes_key: Option<String>,
}

impl std::fmt::Debug for SandboxMirrorView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxMirrorView")
            .field("appid", &self.appid)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Whether the embedded sandbox runs.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxStatusView {
    /// It runs in this process.
    pub running: bool,
    /// Its base URL when running.
    pub base_url: Option<String>,
    /// Its demo accounts when running (sandbox-made credentials, so the
    /// Settings card and the Fill buttons survive a page reload).
    pub demo: Option<DemoView>,
}

/// Sample open data of a user's last login, as `wx.getUserInfo` would hand it
/// to the mini program (the session_key stays in the sandbox).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxSampleDataView {
    /// `encryptedData` (base64).
    pub encrypted_data: String,
    /// `iv` (base64).
    pub iv: String,
}

/// Whose last login to mint sample open data for.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxSampleDataArgs {
    /// The mini program's AppID.
    pub appid: String,
    /// The user (a saved login's openid).
    pub openid: String,
}

/// A code minted by the sandbox (what `wx.login` or the phone button would give a client).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxCodeView {
    /// The code.
    pub code: String,
    /// The user it logs in, for js_codes.
    pub openid: Option<String>,
}

/// A push as WeChat would POST it, to paste into "paste a raw push".
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxPushView {
    /// The query string.
    pub query: String,
    /// The XML body.
    pub body: String,
}

impl Runtime {
    /// Starts (or returns) the embedded sandbox and switches the environment to it.
    pub async fn sandbox_start(&self) -> Result<SandboxView> {
        let handle = self.ensure_sandbox(0).await?;
        let base = handle.base_url();
        let env = Environment::Sandbox { base: base.clone() };
        if self.desk().env() != &env {
            self.set_environment(env).await?;
        }
        Ok(SandboxView {
            base_url: base,
            demo: demo_view(&handle),
            console_url: handle.console_url(),
        })
    }

    /// Registers a real AppID in the embedded sandbox with credentials the
    /// sandbox makes up, and returns them. Nothing stored is read or copied.
    pub async fn sandbox_mirror(
        &self,
        appid: &str,
        kind: SandboxMirrorKind,
    ) -> Result<SandboxMirrorView> {
        let appid = appid.trim();
        check_appid("appid", appid)?;
        // Under the lock, so two mirrors do not lose each other's line in the memory file.
        let g = self.sandbox.lock().await;
        let h = g.clone().ok_or_else(not_running)?;
        let invalid = |e: wxdesk_sandbox::SandboxError| Error::invalid("appid", e.to_string());
        let view = match kind {
            SandboxMirrorKind::App => SandboxMirrorView {
                appid: appid.to_string(),
                kind,
                secret: h.mirror_app(appid).map_err(invalid)?,
                token: None,
                aes_key: None,
            },
            SandboxMirrorKind::Component => {
                let seed = h.mirror_component(appid, None).map_err(invalid)?;
                SandboxMirrorView {
                    appid: seed.appid,
                    kind,
                    secret: seed.secret,
                    token: Some(seed.token),
                    aes_key: Some(seed.encoding_aes_key),
                }
            }
        };
        let path = memory_path(&self.base.db_path);
        let mut memory = Memory::load_or_create(&path)?;
        memory.mirrored.retain(|m| m.appid != appid);
        memory.mirrored.push(Mirrored {
            appid: appid.to_string(),
            kind,
        });
        memory.save(&path)?;
        drop(g);
        Ok(view)
    }

    /// Whether the embedded sandbox runs.
    pub async fn sandbox_status(&self) -> SandboxStatusView {
        let g = self.sandbox.lock().await;
        SandboxStatusView {
            running: g.is_some(),
            base_url: g.as_ref().map(|h| h.base_url()),
            demo: g.as_ref().map(demo_view),
        }
    }

    /// Has the embedded sandbox play `wx.getUserInfo` after the last login
    /// of `openid`: user info encrypted with that login's session_key.
    pub async fn sandbox_sample_data(
        &self,
        appid: &str,
        openid: &str,
    ) -> Result<SandboxSampleDataView> {
        let appid = appid.trim();
        check_appid("appid", appid)?;
        let openid = openid.trim();
        if openid.is_empty() {
            return Err(Error::invalid(
                "openid",
                "choose a saved login (run the login tester first)",
            ));
        }
        let h = self.running().await?;
        let s = h.sample_open_data(appid, openid).map_err(|e| match e {
            wxdesk_sandbox::SandboxError::InvalidInput { field, reason } => {
                Error::invalid(if field == "openid" { "openid" } else { "appid" }, reason)
            }
            other => Error::invalid("appid", other.to_string()),
        })?;
        Ok(SandboxSampleDataView {
            encrypted_data: s.encrypted_data,
            iv: s.iv,
        })
    }

    pub(super) async fn running(&self) -> Result<SandboxHandle> {
        self.sandbox.lock().await.clone().ok_or_else(not_running)
    }

    /// Mints a js_code in the embedded sandbox.
    pub async fn sandbox_js_code(
        &self,
        appid: &str,
        openid: Option<&str>,
    ) -> Result<SandboxCodeView> {
        let h = self.running().await?;
        let c = h.issue_js_code(appid, openid);
        Ok(SandboxCodeView {
            code: c.code,
            openid: Some(c.openid),
        })
    }

    /// Mints a phone code in the embedded sandbox.
    pub async fn sandbox_phone_code(&self, appid: &str, phone: &str) -> Result<SandboxCodeView> {
        let h = self.running().await?;
        Ok(SandboxCodeView {
            code: h.issue_phone_code(appid, phone),
            openid: None,
        })
    }

    /// Has the embedded sandbox issue a ticket push and returns it as WeChat would POST it.
    pub async fn sandbox_push_ticket(&self, component_appid: &str) -> Result<SandboxPushView> {
        let h = self.running().await?;
        let p = h.push_ticket(component_appid).await.map_err(|e| {
            Error::invalid(
                "component_appid",
                format!("{e}; use the sandbox's demo platform, or mirror this AppID into the sandbox first (sandbox_mirror) and store the credentials it returns"),
            )
        })?;
        Ok(SandboxPushView {
            query: p.query,
            body: p.body,
        })
    }

    /// Starts the embedded sandbox on `port` (0 = any) unless it runs.
    pub(super) async fn ensure_sandbox(&self, port: u16) -> Result<SandboxHandle> {
        let mut g = self.sandbox.lock().await;
        if let Some(h) = g.as_ref() {
            return Ok(h.clone());
        }
        let addr = std::net::SocketAddr::from((std::net::Ipv4Addr::LOCALHOST, port));
        let memory = Memory::load_or_create(&memory_path(&self.base.db_path))?;
        let h = Sandbox::start_on(
            addr,
            SandboxConfig {
                demo: true,
                access_token: Some(hex::encode(rand::random::<[u8; 32]>())),
                credential_seed: Some(memory.seed()?),
                ..SandboxConfig::default()
            },
        )
        .await
        .map_err(|e| Error::Io {
            path: addr.to_string(),
            reason: format!("cannot start the sandbox: {e}"),
        })?;
        // The AppIDs mirrored before get the same made-up credentials again.
        // Best effort: one that no longer fits (e.g. mirrored as both kinds) is skipped.
        for m in &memory.mirrored {
            let r = match m.kind {
                SandboxMirrorKind::App => h.mirror_app(&m.appid).map(|_| ()),
                SandboxMirrorKind::Component => h.mirror_component(&m.appid, None).map(|_| ()),
            };
            if let Err(e) = r {
                tracing::warn!(appid = %m.appid, kind = ?m.kind, error = %e, "a mirrored AppID could not be restored in the sandbox");
            }
        }
        *g = Some(h.clone());
        Ok(h)
    }

    /// When the saved environment is a sandbox on a local port that does not
    /// answer, starts the embedded sandbox on that port.
    pub(super) async fn revive_local_sandbox(&self) -> Result<()> {
        let Environment::Sandbox { base } = self.desk().env().clone() else {
            return Ok(());
        };
        let Ok(url) = url::Url::parse(&base) else {
            return Ok(());
        };
        let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost"));
        let Some(port) = url.port() else {
            return Ok(());
        };
        if !local
            || tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
        {
            return Ok(());
        }
        // Best effort: when the port cannot be taken (another program holds it),
        // the environment stays as saved and calls report the connection error
        // with its hint, rather than the whole app failing to open.
        if let Err(e) = self.ensure_sandbox(port).await {
            tracing::warn!(port, code = %e.code(), error = %e, "the saved local sandbox could not be restarted");
        }
        Ok(())
    }
}

/// The demo accounts as the UI shows them.
fn demo_view(handle: &SandboxHandle) -> DemoView {
    let d = handle.demo_accounts();
    DemoView {
        mini_program_appid: d.mini_program_appid,
        mini_program_secret: d.mini_program_secret,
        component_appid: d.component_appid,
        component_secret: d.component_secret,
        component_token: d.component_token,
        component_aes_key: d.component_encoding_aes_key,
        authorizer_appid: d.authorizer_appid,
    }
}

fn not_running() -> Error {
    Error::invalid(
        "sandbox",
        "the embedded sandbox is not running: switch to it in Settings → Environment → Use the offline sandbox",
    )
}

/// The memory file's name, beside the database.
const MEMORY_FILE: &str = "embedded-sandbox.json";

fn memory_path(db_path: &Path) -> PathBuf {
    db_path
        .parent()
        .map_or_else(|| PathBuf::from(MEMORY_FILE), |d| d.join(MEMORY_FILE))
}

/// What the embedded sandbox remembers across restarts: the seed of the
/// credentials it makes up (sandbox-only; it unlocks nothing real) and the
/// AppIDs mirrored into it.
#[derive(Serialize, Deserialize)]
struct Memory {
    /// 64 hex digits.
    seed: String,
    #[serde(default)]
    mirrored: Vec<Mirrored>,
}

#[derive(Serialize, Deserialize)]
struct Mirrored {
    appid: String,
    kind: SandboxMirrorKind,
}

impl Memory {
    fn broken(path: &Path, reason: impl std::fmt::Display) -> Error {
        Error::Io {
            path: path.display().to_string(),
            reason: format!("the embedded sandbox's memory is unreadable ({reason}); delete the file to start over with new demo accounts"),
        }
    }

    fn load_or_create(path: &Path) -> Result<Memory> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let m: Memory =
                    serde_json::from_slice(&bytes).map_err(|e| Self::broken(path, e))?;
                m.seed()?;
                Ok(m)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let m = Memory {
                    seed: hex::encode(rand::random::<[u8; 32]>()),
                    mirrored: Vec::new(),
                };
                m.save(path)?;
                Ok(m)
            }
            Err(e) => Err(Self::broken(path, e)),
        }
    }

    fn seed(&self) -> Result<[u8; 32]> {
        let mut seed = [0u8; 32];
        hex::decode_to_slice(&self.seed, &mut seed)
            .map_err(|e| Self::broken(Path::new(MEMORY_FILE), format!("seed: {e}")))?;
        Ok(seed)
    }

    /// Writes the file (0600) through a temporary file and a rename, so a
    /// crash never leaves half of it.
    fn save(&self, path: &Path) -> Result<()> {
        let io = |e: std::io::Error| Error::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let text = serde_json::to_vec_pretty(self).map_err(|e| Self::broken(path, e))?;
        let tmp = path.with_extension(format!("json.{}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&tmp).map_err(io)?;
        std::io::Write::write_all(&mut file, &text).map_err(io)?;
        file.sync_all().map_err(io)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(io)
    }
}
