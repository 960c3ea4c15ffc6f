//! The embedded sandbox: "switch to the sandbox" without a terminal.
//!
//! A newcomer should be able to try every flow before touching production.
//! The app and `wxdesk serve` can start the offline WeChat emulator in their
//! own process, switch the environment to it, and mirror the accounts already
//! stored (apps and platforms with their secrets) into it so they keep
//! working. When a saved sandbox environment points at a local port nobody
//! answers on (the app was restarted), the emulator is started again there.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_sandbox::{ComponentSeed, Sandbox, SandboxConfig, SandboxHandle};

use super::Runtime;
use crate::env::Environment;
use crate::error::{Error, Result};
use crate::store::{apps, components};

/// The running embedded sandbox and its demo accounts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxView {
    /// Its base URL (api, mp and open).
    pub base_url: String,
    /// Demo accounts to add with one click.
    pub demo: DemoView,
    /// How many stored apps and platforms were mirrored into it.
    pub mirrored: usize,
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

/// Whether the embedded sandbox runs.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxStatusView {
    /// It runs in this process.
    pub running: bool,
    /// Its base URL when running.
    pub base_url: Option<String>,
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
        let mirrored = self.mirror_into(&handle)?;
        let d = handle.demo_accounts();
        Ok(SandboxView {
            base_url: base,
            demo: DemoView {
                mini_program_appid: d.mini_program_appid,
                mini_program_secret: d.mini_program_secret,
                component_appid: d.component_appid,
                component_secret: d.component_secret,
                component_token: d.component_token,
                component_aes_key: d.component_encoding_aes_key,
                authorizer_appid: d.authorizer_appid,
            },
            mirrored,
        })
    }

    /// Whether the embedded sandbox runs.
    pub async fn sandbox_status(&self) -> SandboxStatusView {
        let g = self.sandbox.lock().await;
        SandboxStatusView {
            running: g.is_some(),
            base_url: g.as_ref().map(|h| h.base_url()),
        }
    }

    async fn running(&self) -> Result<SandboxHandle> {
        self.sandbox.lock().await.clone().ok_or_else(|| {
            Error::invalid("sandbox", "the embedded sandbox is not running: switch to it in Settings → Environment → Use the offline sandbox")
        })
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
                format!("{e}; add the platform first (it is mirrored into the sandbox)"),
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
        let h = Sandbox::start_on(
            addr,
            SandboxConfig {
                demo: true,
                ..SandboxConfig::default()
            },
        )
        .await
        .map_err(|e| Error::Io {
            path: addr.to_string(),
            reason: format!("cannot start the sandbox: {e}"),
        })?;
        *g = Some(h.clone());
        drop(g);
        self.mirror_into(&h)?;
        Ok(h)
    }

    /// Registers the stored apps and platforms (with their secrets) in the sandbox.
    fn mirror_into(&self, h: &SandboxHandle) -> Result<usize> {
        let desk = self.desk();
        let (app_rows, comp_rows) = desk
            .store()
            .read(|c| Ok((apps::list(c)?, components::list(c)?)))?;
        let mut n = 0;
        for a in app_rows {
            if let Some(s) = &a.secret {
                let secret = desk.open_secret(apps::SECRET, s)?;
                h.add_app(&a.appid, &secret);
                n += 1;
            }
        }
        for c in comp_rows {
            let (Some(s), Some(t), Some(k)) = (&c.secret, &c.token, &c.aes_key) else {
                continue;
            };
            h.add_component(ComponentSeed {
                appid: c.appid.clone(),
                secret: desk.open_secret(components::SECRET, s)?.to_string(),
                token: desk.open_secret(components::TOKEN, t)?.to_string(),
                encoding_aes_key: desk.open_secret(components::AES_KEY, k)?.to_string(),
                push_url: None,
                name: Some(c.name.clone()),
            });
            n += 1;
        }
        Ok(n)
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
        let _ = self.ensure_sandbox(port).await;
        Ok(())
    }
}
