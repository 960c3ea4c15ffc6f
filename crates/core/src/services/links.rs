//! Authorization and fast-registration links for merchants.
//!
//! A merchant authorizes a platform by opening a link the platform built:
//! the PC page (QR scan) or the H5 page (inside WeChat), carrying a
//! pre_auth_code, or — to register a mini program with an Official
//! Account's qualification — the `fastregisterauth` page. Whether a
//! pre_auth_code may be reused is undocumented, and a stale one fails only
//! when the merchant has already scanned, so the desk fetches a fresh code
//! for every link and never caches one. The redirect URI defaults to the one
//! stored with the platform. Links can be rendered as QR codes for the PC flow.

use serde::{Deserialize, Serialize};
use wxdesk_wechat::links::{self, AuthLinkKind, AuthLinkParams, FastRegisterLinkParams};
use wxdesk_wechat::qr::{self, QrOptions};
use wxdesk_wechat::redact::mask;

use crate::error::{Error, Result};
use crate::services::authorizers::require_component;
use crate::store::authorizers::{self, AuthorizerStatus};
use crate::Desk;

/// Which link a [`LinkView`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// The PC authorization page (QR scan).
    Pc,
    /// The H5 authorization page (inside WeChat).
    H5,
    /// The reuse-Official-Account registration page.
    Fastregister,
}

/// A link to hand to a merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct LinkView {
    /// The link.
    pub url: String,
    /// Which page it opens.
    pub kind: LinkKind,
    /// The redirect URI used.
    pub redirect_uri: String,
    /// The pre_auth_code inside the link, masked (authorization links only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_auth_code_masked: Option<String>,
    /// When the pre_auth_code expires (Unix seconds), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// Its lifetime as WeChat reported it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// The permanent link with the same options, served by `receive`, when
    /// the platform has a receive URL (authorization links only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permanent_url: Option<String>,
}

/// Inputs of [`Desk::auth_link`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLinkOptions {
    /// PC (default) or H5.
    #[serde(default = "default_kind")]
    pub kind: AuthLinkKind,
    /// Where the browser returns; defaults to the platform's stored redirect URI.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// 1 OA, 2 MP, 3 both (default), 4, 5, 6, 8.
    #[serde(default)]
    pub auth_type: Option<u8>,
    /// Restrict to exactly this account.
    #[serde(default)]
    pub biz_appid: Option<String>,
    /// Restrict the permission sets offered.
    #[serde(default)]
    pub category_ids: Vec<u32>,
    /// A pre_auth_code obtained elsewhere; normally `None`, and a fresh one is fetched.
    #[serde(default)]
    pub pre_auth_code: Option<String>,
}

fn default_kind() -> AuthLinkKind {
    AuthLinkKind::Pc
}

impl Default for AuthLinkOptions {
    fn default() -> Self {
        AuthLinkOptions {
            kind: AuthLinkKind::Pc,
            redirect_uri: None,
            auth_type: None,
            biz_appid: None,
            category_ids: Vec::new(),
            pre_auth_code: None,
        }
    }
}

impl std::fmt::Debug for AuthLinkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthLinkOptions")
            .field("kind", &self.kind)
            .field("redirect_uri", &self.redirect_uri)
            .field("auth_type", &self.auth_type)
            .field("biz_appid", &self.biz_appid)
            .field("category_ids", &self.category_ids)
            .field("pre_auth_code", &self.pre_auth_code.as_ref().map(|_| "…"))
            .finish()
    }
}

/// The redirect URI to use: the given one, else the platform's stored one.
fn pick_redirect(given: Option<&str>, stored: Option<&str>, component: &str) -> Result<String> {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        Some(uri) => Ok(uri.to_string()),
        None => stored.map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).ok_or_else(|| {
            Error::invalid(
                "redirect_uri",
                format!(
                    "no redirect URI given and none stored for {component}; pass --redirect-uri https://your.domain/callback \
                     or store one with `wxdesk component update {component} --redirect-uri …`"
                ),
            )
        }),
    }
}

/// Renders `url` as a PNG QR code about `size` pixels wide.
pub fn qr_png_for(url: &str, size: u32) -> Result<Vec<u8>> {
    Ok(qr::qr_png(
        url,
        &QrOptions {
            size_px: size,
            ..QrOptions::default()
        },
    )?)
}

/// Renders `url` as an SVG QR code `size` pixels wide.
pub fn qr_svg_for(url: &str, size: u32) -> Result<String> {
    Ok(qr::qr_svg(
        url,
        &QrOptions {
            size_px: size,
            ..QrOptions::default()
        },
    )?)
}

impl Desk {
    /// Builds a PC or H5 authorization link with a pre_auth_code fetched
    /// for this link alone (`api_create_preauthcode`). Every input is checked
    /// before the code is requested, so a typo does not spend one.
    pub async fn auth_link(&self, component: &str, opts: &AuthLinkOptions) -> Result<LinkView> {
        let row = self.store().read(|c| require_component(c, component))?;
        let redirect_uri = pick_redirect(
            opts.redirect_uri.as_deref(),
            row.redirect_uri.as_deref(),
            component,
        )?;
        let kind = opts.kind;
        let mut params = AuthLinkParams {
            component_appid: component.to_string(),
            // Validation pass: every other input is checked with a stand-in
            // code before a real (rate-limited) code is requested.
            pre_auth_code: "validation-only".to_string(),
            redirect_uri: redirect_uri.clone(),
            auth_type: opts.auth_type,
            biz_appid: opts
                .biz_appid
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
            category_ids: opts.category_ids.clone(),
        };
        links::auth_link(self.client().bases(), kind, &params)?;

        let (code, expires_in) = match opts
            .pre_auth_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(code) => (code.to_string(), None),
            None => {
                let client = self.client();
                let pre = self
                    .with_component_token(component, |tok| async move {
                        client.create_pre_auth_code(component, &tok).await
                    })
                    .await?;
                (pre.pre_auth_code, Some(pre.expires_in))
            }
        };
        let fetched_at = self.now();
        let permanent_url = match self.receive_url(component)? {
            Some(base) => Some(crate::services::receive_url::permanent_link(
                &base,
                component,
                kind,
                opts.auth_type,
                params.biz_appid.as_deref(),
            )?),
            None => None,
        };
        params.pre_auth_code = code;
        let url = links::auth_link(self.client().bases(), kind, &params)?;
        Ok(LinkView {
            url,
            kind: match kind {
                AuthLinkKind::Pc => LinkKind::Pc,
                AuthLinkKind::H5 => LinkKind::H5,
            },
            redirect_uri,
            pre_auth_code_masked: Some(mask(&params.pre_auth_code)),
            expires_at: expires_in.map(|s| fetched_at + s),
            expires_in,
            permanent_url,
        })
    }

    /// Builds the reuse-Official-Account registration link
    /// (`fastregisterauth`) for an Official Account that authorized the platform.
    pub fn fastregister_link(
        &self,
        component: &str,
        oa_appid: &str,
        redirect_uri: Option<&str>,
        copy_wx_verify: bool,
    ) -> Result<LinkView> {
        links::validate_appid("oa_appid", oa_appid)?;
        let (row, oa) = self.store().read(|c| {
            let row = require_component(c, component)?;
            Ok((row, authorizers::get(c, component, oa_appid)?))
        })?;
        match oa {
            Some(a) if a.status == AuthorizerStatus::Active && a.account_type != "mini_program" => {}
            Some(a) if a.status == AuthorizerStatus::Active => {
                return Err(Error::invalid(
                    "oa_appid",
                    format!("{oa_appid} is a mini program; only an Official Account's qualification can be reused"),
                ))
            }
            _ => {
                return Err(Error::invalid(
                    "oa_appid",
                    format!(
                        "{oa_appid} is not an active authorizer of {component}; the Official Account must authorize the platform first \
                         (send it a link from `wxdesk link h5 --component {component}`)"
                    ),
                ))
            }
        }
        let redirect_uri = pick_redirect(redirect_uri, row.redirect_uri.as_deref(), component)?;
        let url = links::fastregister_link(
            self.client().bases(),
            &FastRegisterLinkParams {
                component_appid: component.to_string(),
                appid: oa_appid.to_string(),
                redirect_uri: redirect_uri.clone(),
                copy_wx_verify,
            },
        )?;
        Ok(LinkView {
            url,
            kind: LinkKind::Fastregister,
            redirect_uri,
            pre_auth_code_masked: None,
            expires_at: None,
            expires_in: None,
            permanent_url: None,
        })
    }
}
