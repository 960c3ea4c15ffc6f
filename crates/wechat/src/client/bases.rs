//! Where WeChat lives: the three base URLs (API, PC pages, H5 page).
//!
//! They are configuration, not constants, because they are the seam for tests
//! and for custom environments: point them at the sandbox on 127.0.0.1 and the
//! same client code runs offline. Parsing names the field that is wrong.

use serde::Serialize;
use url::Url;

use crate::error::{Error, Result};

/// Production API base.
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";
/// Production base of the PC authorization and fast-registration pages.
pub const DEFAULT_MP_BASE: &str = "https://mp.weixin.qq.com";
/// Production base of the H5 authorization page.
pub const DEFAULT_OPEN_BASE: &str = "https://open.weixin.qq.com";

/// The three WeChat hosts wxdesk talks to or links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Bases {
    /// Server APIs (`api.weixin.qq.com`).
    pub api: Url,
    /// PC authorization and fast-registration pages (`mp.weixin.qq.com`).
    pub mp: Url,
    /// H5 authorization page (`open.weixin.qq.com`).
    pub open: Url,
}

impl Default for Bases {
    fn default() -> Self {
        Bases::production()
    }
}

impl Bases {
    /// The real WeChat hosts.
    pub fn production() -> Self {
        Bases {
            api: fixed(DEFAULT_API_BASE),
            mp: fixed(DEFAULT_MP_BASE),
            open: fixed(DEFAULT_OPEN_BASE),
        }
    }

    /// All three bases at one URL, as the sandbox serves them.
    pub fn single(base: &str) -> Result<Self> {
        let u = parse_base("base", base)?;
        Ok(Bases {
            api: u.clone(),
            mp: u.clone(),
            open: u,
        })
    }

    /// Parses three bases, naming the one that is invalid.
    pub fn parse(api: &str, mp: &str, open: &str) -> Result<Self> {
        Ok(Bases {
            api: parse_base("api_base", api)?,
            mp: parse_base("mp_base", mp)?,
            open: parse_base("open_base", open)?,
        })
    }

    /// True when every base is the production host.
    pub fn is_production(&self) -> bool {
        *self == Bases::production()
    }
}

fn fixed(s: &str) -> Url {
    // The constants above are valid URLs; a failure here is a programming error caught by tests.
    Url::parse(s).unwrap_or_else(|_| unreachable!("constant base URL {s} is valid"))
}

/// Parses a base URL: it must be absolute http(s). A trailing slash is added
/// so that joining endpoint paths keeps any path prefix.
pub fn parse_base(field: &str, s: &str) -> Result<Url> {
    let mut u = Url::parse(s.trim()).map_err(|e| {
        Error::invalid(
            field,
            format!("{s:?} is not a URL ({e}); use e.g. https://api.weixin.qq.com or http://127.0.0.1:PORT"),
        )
    })?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return Err(Error::invalid(
            field,
            format!("{s:?} must start with http:// or https://"),
        ));
    }
    if u.host_str().is_none() {
        return Err(Error::invalid(field, format!("{s:?} has no host")));
    }
    if !u.path().ends_with('/') {
        let p = format!("{}/", u.path());
        u.set_path(&p);
    }
    u.set_query(None);
    u.set_fragment(None);
    Ok(u)
}
