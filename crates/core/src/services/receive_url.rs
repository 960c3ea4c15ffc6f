//! A platform's `receive` base URL: where the operator's `wxdesk receive`
//! answers on the internet (behind their HTTPS reverse proxy).
//!
//! WeChat pushes to a server and opens the PC consent page only from a page on
//! the platform's 授权发起页域名, and a desktop is neither. Once the operator
//! says where `receive` runs, the desk can tell them what to paste into the
//! WeChat console (both push URLs, the launch domain) and hand merchants the
//! **permanent** authorization link `{base}/wechat/authorize/{component}`,
//! which mints a fresh pre_auth_code on every view — built here offline, with
//! the same checks as a one-time link, so it needs no ticket and spends no code.

use serde::{Deserialize, Serialize};
use wxdesk_wechat::links::{validate_appid, AuthLinkKind, AUTH_TYPES};

use crate::error::{Error, Result};
use crate::services::authorizers::require_component;
use crate::services::links::LinkKind;
use crate::store::components;
use crate::Desk;

/// The console settings of a platform whose `receive` base URL is stored.
/// The token and key are not repeated here: the view carries them masked,
/// and they are revealed only on request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct ReceiveSettingsView {
    /// The base URL, e.g. `https://wx.example.com` (no trailing slash).
    pub base_url: String,
    /// 授权事件接收URL: `{base}/wechat/component/{component_appid}`.
    pub component_push_url: String,
    /// 消息与事件接收URL: `{base}/wechat/message/{component_appid}/$APPID$`.
    pub message_push_url: String,
    /// 授权发起页域名: the host (and port) of the base URL.
    pub launch_domain: String,
    /// The permanent authorization link (PC, default auth_type).
    pub authorize_url: String,
}

/// A permanent authorization link served by `receive`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PermanentLinkView {
    /// The link.
    pub url: String,
    /// Which consent page it leads to.
    pub kind: LinkKind,
}

/// A platform's message token and EncodingAESKey in clear, for pasting into
/// the WeChat console; given only when the operator asks to reveal them.
/// `Debug` shows neither.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct PushSecretsView {
    /// Component AppID.
    pub component_appid: String,
    /// 消息校验Token, or `null` when none is stored.
    pub token: Option<String>,
    /// 消息加解密Key, or `null` when none is stored.
    pub aes_key: Option<String>,
}

impl std::fmt::Debug for PushSecretsView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushSecretsView")
            .field("component_appid", &self.component_appid)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("aes_key", &self.aes_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Checks a `receive` base URL: absolute http(s) with a host, no query or
/// fragment; a path (a proxy prefix) is kept; trailing slashes are dropped.
pub fn check_receive_url(field: &str, raw: &str) -> Result<String> {
    let u = raw.trim();
    let example = "use the address your `wxdesk receive` answers on, e.g. https://wx.example.com";
    let parsed = url::Url::parse(u).map_err(|e| {
        Error::invalid(
            field,
            format!("{u:?} is not an absolute URL ({e}); {example}"),
        )
    })?;
    if parsed.scheme() != "http" && parsed.scheme() != "https" {
        return Err(Error::invalid(
            field,
            format!("{u:?} must start with https:// (or http://); {example}"),
        ));
    }
    if parsed.host_str().unwrap_or("").is_empty() {
        return Err(Error::invalid(
            field,
            format!("{u:?} has no host; {example}"),
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() || !parsed.username().is_empty() {
        return Err(Error::invalid(
            field,
            format!("{u:?} is a base URL: leave out ?query, #fragment and user@; {example}"),
        ));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// What to paste into the WeChat console for `component` served at `base`.
pub fn receive_settings(base: &str, component: &str) -> ReceiveSettingsView {
    let launch_domain = url::Url::parse(base)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_default();
    ReceiveSettingsView {
        base_url: base.to_string(),
        component_push_url: format!("{base}/wechat/component/{component}"),
        message_push_url: format!("{base}/wechat/message/{component}/$APPID$"),
        launch_domain,
        authorize_url: format!("{base}/wechat/authorize/{component}"),
    }
}

/// The permanent link `{base}/wechat/authorize/{component}?type=pc|h5[&auth_type=N][&biz_appid=A]`.
pub fn permanent_link(
    base: &str,
    component: &str,
    kind: AuthLinkKind,
    auth_type: Option<u8>,
    biz_appid: Option<&str>,
) -> Result<String> {
    let mut url = format!(
        "{base}/wechat/authorize/{component}?type={}",
        match kind {
            AuthLinkKind::Pc => "pc",
            AuthLinkKind::H5 => "h5",
        }
    );
    if let Some(t) = auth_type {
        if !AUTH_TYPES.iter().any(|(n, _)| *n == t) {
            let known: Vec<String> = AUTH_TYPES.iter().map(|(n, _)| n.to_string()).collect();
            return Err(Error::invalid(
                "auth_type",
                format!(
                    "{t} is not an auth_type WeChat knows; use one of: {}",
                    known.join(", ")
                ),
            ));
        }
        url.push_str(&format!("&auth_type={t}"));
    }
    if let Some(b) = biz_appid.map(str::trim).filter(|s| !s.is_empty()) {
        validate_appid("biz_appid", b)?;
        url.push_str(&format!("&biz_appid={b}"));
    }
    Ok(url)
}

impl Desk {
    /// The stored `receive` base URL of a platform (`None` when not set).
    pub fn receive_url(&self, component: &str) -> Result<Option<String>> {
        self.store().read(|c| {
            require_component(c, component)?;
            components::receive_url(c, component)
        })
    }

    /// Reveals a platform's message token and EncodingAESKey (the operator
    /// asked, to paste them into the WeChat console).
    pub fn push_secrets_reveal(&self, component: &str) -> Result<PushSecretsView> {
        let row = self.store().read(|c| require_component(c, component))?;
        let open =
            |purpose: &str, sealed: Option<&crate::vault::Sealed>| -> Result<Option<String>> {
                sealed
                    .map(|s| self.open_secret(purpose, s).map(|v| v.as_str().to_string()))
                    .transpose()
            };
        Ok(PushSecretsView {
            component_appid: component.to_string(),
            token: open(components::TOKEN, row.token.as_ref())?,
            aes_key: open(components::AES_KEY, row.aes_key.as_ref())?,
        })
    }

    /// The permanent authorization link of a platform (offline: no code is
    /// minted; `receive` mints one on each view). An error names
    /// `receive_url` and how to set it when the platform has none.
    pub fn receive_link(
        &self,
        component: &str,
        kind: AuthLinkKind,
        auth_type: Option<u8>,
        biz_appid: Option<&str>,
    ) -> Result<PermanentLinkView> {
        let Some(base) = self.receive_url(component)? else {
            return Err(Error::invalid(
                "receive_url",
                format!(
                    "no receive URL is stored for {component}, so there is no permanent link; run `wxdesk receive` on the \
                     platform's 授权发起页域名 and store its address with `wxdesk component update {component} --receive-url https://wx.example.com`"
                ),
            ));
        };
        Ok(PermanentLinkView {
            url: permanent_link(&base, component, kind, auth_type, biz_appid)?,
            kind: match kind {
                AuthLinkKind::Pc => LinkKind::Pc,
                AuthLinkKind::H5 => LinkKind::H5,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "wx0123456789abcdef";

    #[test]
    fn base_urls_are_normalised_or_refused_naming_the_field() {
        assert_eq!(
            check_receive_url("receive_url", " https://wx.example.com/ ").unwrap(),
            "https://wx.example.com"
        );
        assert_eq!(
            check_receive_url("receive_url", "https://example.com/wx/").unwrap(),
            "https://example.com/wx"
        );
        for bad in [
            "wx.example.com",
            "ftp://wx.example.com",
            "https://wx.example.com/?a=1",
            "https://wx.example.com/#x",
            "https://user@wx.example.com",
        ] {
            let e = check_receive_url("receive_url", bad).unwrap_err();
            assert!(
                matches!(&e, Error::Invalid { field, .. } if field == "receive_url"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn console_settings_and_permanent_links() {
        let s = receive_settings("https://wx.example.com:8443", C);
        assert_eq!(
            s.component_push_url,
            format!("https://wx.example.com:8443/wechat/component/{C}")
        );
        assert_eq!(
            s.message_push_url,
            format!("https://wx.example.com:8443/wechat/message/{C}/$APPID$")
        );
        assert_eq!(s.launch_domain, "wx.example.com:8443");
        let l = permanent_link(
            "https://wx.example.com",
            C,
            AuthLinkKind::H5,
            Some(2),
            Some("wx1111111111111111"),
        )
        .unwrap();
        assert_eq!(
            l,
            format!("https://wx.example.com/wechat/authorize/{C}?type=h5&auth_type=2&biz_appid=wx1111111111111111")
        );
        assert!(permanent_link("https://x.y", C, AuthLinkKind::Pc, Some(7), None).is_err());
        assert!(permanent_link("https://x.y", C, AuthLinkKind::Pc, None, Some("nope")).is_err());
    }
}
