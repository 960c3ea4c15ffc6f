//! Environments: which WeChat the desk talks to.
//!
//! An operator switches between production, the offline sandbox and custom
//! bases (a staging proxy, say). The choice is a setting, can be overridden
//! per process (`--env`, `--api-base`), and scopes cached tokens: a token
//! minted by the sandbox is never offered to production.

use serde::{Deserialize, Serialize};
use wxdesk_wechat::client::{parse_base, DEFAULT_API_BASE, DEFAULT_MP_BASE, DEFAULT_OPEN_BASE};
use wxdesk_wechat::Bases;

use crate::error::{Error, Result};

/// Which WeChat to talk to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Environment {
    /// The real WeChat.
    #[default]
    Production,
    /// The offline sandbox at `base` (serving api, mp and open).
    Sandbox {
        /// Its base URL, e.g. `http://127.0.0.1:7878`.
        base: String,
    },
    /// Any three bases.
    Custom {
        /// API base.
        api: String,
        /// mp base.
        mp: String,
        /// open base.
        open: String,
    },
}

impl Environment {
    /// The three bases, validated.
    pub fn bases(&self) -> Result<Bases> {
        Ok(match self {
            Environment::Production => Bases::production(),
            Environment::Sandbox { base } => Bases {
                api: parse_base("sandbox base", base)?,
                mp: parse_base("sandbox base", base)?,
                open: parse_base("sandbox base", base)?,
            },
            Environment::Custom { api, mp, open } => Bases {
                api: parse_base("api_base", api)?,
                mp: parse_base("mp_base", mp)?,
                open: parse_base("open_base", open)?,
            },
        })
    }

    /// Builds a custom environment from optional overrides on top of production defaults.
    pub fn custom(api: Option<&str>, mp: Option<&str>, open: Option<&str>) -> Result<Environment> {
        let e = Environment::Custom {
            api: api.unwrap_or(DEFAULT_API_BASE).to_string(),
            mp: mp.unwrap_or(DEFAULT_MP_BASE).to_string(),
            open: open.unwrap_or(DEFAULT_OPEN_BASE).to_string(),
        };
        e.bases()?;
        Ok(e)
    }

    /// The key that scopes cached tokens: the API base URL.
    pub fn scope(&self) -> Result<String> {
        Ok(self.bases()?.api.to_string())
    }

    /// True for the real WeChat.
    pub fn is_production(&self) -> bool {
        match self {
            Environment::Production => true,
            Environment::Sandbox { .. } => false,
            Environment::Custom { .. } => self.bases().map(|b| b.is_production()).unwrap_or(false),
        }
    }

    /// A short label for badges and prompts.
    pub fn label(&self) -> String {
        match self {
            Environment::Production => "production".into(),
            Environment::Sandbox { base } => format!("sandbox ({base})"),
            Environment::Custom { api, .. } => format!("custom ({api})"),
        }
    }

    /// Parses the `--env` flag value.
    pub fn parse_name(name: &str, sandbox_base: Option<&str>) -> Result<Environment> {
        match name {
            "production" | "prod" => Ok(Environment::Production),
            "sandbox" => match sandbox_base {
                Some(b) => {
                    let e = Environment::Sandbox { base: b.to_string() };
                    e.bases()?;
                    Ok(e)
                }
                None => Err(Error::invalid(
                    "--env",
                    "sandbox needs its base URL: start one with `wxdesk sandbox` and pass --sandbox-base URL (or WXDESK_SANDBOX_BASE), or save it with `wxdesk env set sandbox --base URL`",
                )),
            },
            other => Err(Error::invalid("--env", format!("{other:?} is not an environment; use production or sandbox"))),
        }
    }
}
