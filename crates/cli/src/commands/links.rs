//! `link`: authorization and fast-registration links.

use serde_json::json;
use wxdesk_wechat::links::{
    auth_link, fastregister_link, AuthLinkKind, AuthLinkParams, FastRegisterLinkParams,
};
use wxdesk_wechat::Bases;

use crate::cli::LinkCommand;
use crate::output::{CliError, Output};

/// `link pc|h5|fastregister`.
pub fn link(cmd: LinkCommand, bases: &Bases, out: &Output) -> Result<(), CliError> {
    let url = match cmd {
        LinkCommand::Pc(a) => build(AuthLinkKind::Pc, a, bases)?,
        LinkCommand::H5(a) => build(AuthLinkKind::H5, a, bases)?,
        LinkCommand::Fastregister(a) => fastregister_link(
            bases,
            &FastRegisterLinkParams {
                component_appid: a.component_appid,
                appid: a.appid,
                redirect_uri: a.redirect_uri,
                copy_wx_verify: a.copy_wx_verify == "1",
            },
        )?,
    };
    out.success(&json!({ "url": url }), &url);
    Ok(())
}

fn build(
    kind: AuthLinkKind,
    a: crate::cli::AuthLinkArgs,
    bases: &Bases,
) -> Result<String, CliError> {
    Ok(auth_link(
        bases,
        kind,
        &AuthLinkParams {
            component_appid: a.component_appid,
            pre_auth_code: a.pre_auth_code,
            redirect_uri: a.redirect_uri,
            auth_type: a.auth_type,
            biz_appid: a.biz_appid,
            category_ids: a.category_ids,
        },
    )?)
}
