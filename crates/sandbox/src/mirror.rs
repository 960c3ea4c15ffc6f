//! Mirroring: a real AppID walked through the sandbox with credentials the
//! sandbox makes up.
//!
//! An operator who wants to try a flow with their own AppID must not copy
//! its production secret into the emulator (the embedded sandbox serves its
//! state to whoever holds its token, and stores nothing encrypted). Instead
//! the sandbox registers the AppID with a secret (and, for a platform, a
//! message token and EncodingAESKey) of its own, random or derived from
//! [`crate::SandboxConfig::credential_seed`], and hands them back to be stored
//! in the sandbox environment's record.

use crate::component::ComponentSeed;
use crate::error::SandboxError;
use crate::hooks::{add_app, add_component};
use crate::ids;
use crate::state::Shared;

/// Checks an appid to mirror: `wx` + 16 hex digits, not a demo account.
fn mirrorable(shared: &Shared, appid: &str) -> Result<(), SandboxError> {
    let ok = appid.len() == 18
        && appid.starts_with("wx")
        && appid[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(SandboxError::invalid(
            "appid",
            "must be a WeChat AppID: wx followed by 16 hex digits",
        ));
    }
    let state = shared.lock();
    if let Some(demo) = &state.demo {
        if [
            &demo.mini_program_appid,
            &demo.component_appid,
            &demo.authorizer_appid,
        ]
        .contains(&&appid.to_string())
        {
            return Err(SandboxError::invalid(
                "appid",
                format!("{appid} is a sandbox demo account: use its demo credentials"),
            ));
        }
    }
    Ok(())
}

pub(crate) fn mirror_app(shared: &Shared, appid: &str) -> Result<String, SandboxError> {
    mirrorable(shared, appid)?;
    let made = ids::Made(shared.config.credential_seed.as_ref());
    let secret = made.secret(&format!("app-secret/{appid}"));
    add_app(shared, appid, &secret)?;
    Ok(secret)
}

pub(crate) fn mirror_component(
    shared: &Shared,
    appid: &str,
    name: Option<&str>,
) -> Result<ComponentSeed, SandboxError> {
    mirrorable(shared, appid)?;
    let made = ids::Made(shared.config.credential_seed.as_ref());
    let seed = ComponentSeed {
        appid: appid.to_string(),
        secret: made.secret(&format!("component-secret/{appid}")),
        token: made.message_token(&format!("component-token/{appid}")),
        encoding_aes_key: made.encoding_aes_key(&format!("component-aes/{appid}")),
        push_url: None,
        name: name.map(str::to_string),
    };
    add_component(shared, seed.clone())?;
    Ok(seed)
}
