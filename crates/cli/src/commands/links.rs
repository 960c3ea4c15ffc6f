//! `link`: authorization and fast-registration links.
//!
//! Two forms share one command. Given everything a link needs
//! (`--component-appid`, `--pre-auth-code`, `--redirect-uri`) it is only
//! built, touching no database and calling nothing. With `--component` (or
//! without a pre_auth_code) it is the `auth_link` / `fastregister_link`
//! operation: the platform is read, the redirect URI defaulted, and a fresh
//! pre_auth_code fetched for this one link. `--json` prints the operation's
//! `LinkView` (plus `qr`, the file written, when `--qr` is given).

use serde_json::json;
use wxdesk_core::ops::args::{AuthLinkArgs as AuthLinkOpArgs, FastRegisterLinkArgs as FastOpArgs};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::ops::wire::AuthLinkKind as WireKind;
use wxdesk_core::services::links::LinkView;
use wxdesk_wechat::links::{
    auth_link, fastregister_link, AuthLinkKind, AuthLinkParams, FastRegisterLinkParams,
};

use super::{bases, check_qr_path, write_qr, Ctx};
use crate::cli::{AuthLinkArgs, FastRegisterLinkArgs, LinkCommand};
use crate::output::CliError;
use crate::text;

/// `link pc|h5|fastregister`.
pub async fn link(ctx: &Ctx<'_>, cmd: LinkCommand) -> Result<(), CliError> {
    match cmd {
        LinkCommand::Pc(a) => auth(ctx, AuthLinkKind::Pc, a).await,
        LinkCommand::H5(a) => auth(ctx, AuthLinkKind::H5, a).await,
        LinkCommand::Fastregister(a) => fast(ctx, a).await,
    }
}

/// Writes the QR image of `url` when `--qr` was given, then prints the link.
fn print(
    ctx: &Ctx<'_>,
    url: &str,
    view: Option<&LinkView>,
    qr_path: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let qr = qr_path.map(|p| write_qr("--qr", url, p)).transpose()?;
    let mut v = match view {
        Some(v) => serde_json::to_value(v).unwrap_or_else(|_| json!({ "url": url })),
        None => json!({ "url": url }),
    };
    let mut text = url.to_string();
    if let Some(view) = view {
        if let Some(at) = view.expires_at {
            text.push_str(&format!(
                "\npre_auth_code {} expires {} (in {}); the link works once",
                view.pre_auth_code_masked.as_deref().unwrap_or("?"),
                text::time(at),
                text::duration(view.expires_in.unwrap_or(0))
            ));
        }
        if let Some(p) = &view.permanent_url {
            text.push_str(&format!(
                "\npermanent link (served by `wxdesk receive`, a fresh code on every view): {p}"
            ));
        }
    }
    if let Some(path) = qr {
        text.push_str(&format!("\nQR written to {path}"));
        v["qr"] = json!(path);
    }
    ctx.out.success(&v, &text);
    Ok(())
}

async fn auth(ctx: &Ctx<'_>, kind: AuthLinkKind, a: AuthLinkArgs) -> Result<(), CliError> {
    check_qr_path("--qr", a.qr.as_deref())?;
    if let (None, Some(component_appid), Some(pre_auth_code), Some(redirect_uri)) = (
        &a.component,
        &a.component_appid,
        &a.pre_auth_code,
        &a.redirect_uri,
    ) {
        // Stateless: everything is given.
        let url = auth_link(
            &bases(ctx.g)?,
            kind,
            &AuthLinkParams {
                component_appid: component_appid.clone(),
                pre_auth_code: pre_auth_code.clone(),
                redirect_uri: redirect_uri.clone(),
                auth_type: a.auth_type,
                biz_appid: a.biz_appid.clone(),
                category_ids: a.category_ids.clone(),
            },
        )?;
        return print(ctx, &url, None, a.qr.as_deref());
    }
    let component = a.component.or(a.component_appid).ok_or_else(|| {
        CliError::missing(
            "give --component C",
            "Usage: wxdesk link pc --component C [--redirect-uri U]",
        )
    })?;
    let view = op::auth_link(
        ctx.rt()?,
        AuthLinkOpArgs {
            component_appid: component,
            kind: match kind {
                AuthLinkKind::Pc => WireKind::Pc,
                AuthLinkKind::H5 => WireKind::H5,
            },
            redirect_uri: a.redirect_uri,
            auth_type: a.auth_type,
            biz_appid: a.biz_appid,
            category_ids: a.category_ids,
            pre_auth_code: a.pre_auth_code,
        },
    )
    .await?;
    print(ctx, &view.url, Some(&view), a.qr.as_deref())
}

async fn fast(ctx: &Ctx<'_>, a: FastRegisterLinkArgs) -> Result<(), CliError> {
    check_qr_path("--qr", a.qr.as_deref())?;
    let copy = a.copy_wx_verify == "1";
    if let (None, Some(component_appid), Some(redirect_uri)) =
        (&a.component, &a.component_appid, &a.redirect_uri)
    {
        let url = fastregister_link(
            &bases(ctx.g)?,
            &FastRegisterLinkParams {
                component_appid: component_appid.clone(),
                appid: a.appid.clone(),
                redirect_uri: redirect_uri.clone(),
                copy_wx_verify: copy,
            },
        )?;
        return print(ctx, &url, None, a.qr.as_deref());
    }
    let component = a.component.or(a.component_appid).ok_or_else(|| {
        CliError::missing(
            "give --component C",
            "Usage: wxdesk link fastregister --component C --appid OA [--redirect-uri U]",
        )
    })?;
    let view = op::fastregister_link(
        ctx.rt()?,
        FastOpArgs {
            component_appid: component,
            appid: a.appid,
            redirect_uri: a.redirect_uri,
            copy_wx_verify: copy,
        },
    )
    .await?;
    print(ctx, &view.url, Some(&view), a.qr.as_deref())
}
