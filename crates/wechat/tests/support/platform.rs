//! The test platform that both sandbox binaries (`api_sandbox` and `wxa`)
//! work against: its AppID, secret and key, a sandbox with it added, and new
//! authorizations of it. Each binary's `common.rs` includes this one file, so
//! the two cannot drift apart.

use wxdesk_sandbox::{
    AccountKind, Authorization, AuthorizeSeed, ComponentSeed, Sandbox, SandboxConfig, SandboxHandle,
};

pub const COMP: &str = "wx2222222222222222";
pub const COMP_SECRET: &str = "fedcba9876543210fedcba9876543210";
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/// A running sandbox with the test platform [`COMP`] added.
pub async fn sandbox_with_platform() -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    sb.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: COMP_SECRET.into(),
        token: "msgtoken".into(),
        encoding_aes_key: AES_KEY.into(),
        push_url: None,
        name: Some("Test Platform".into()),
    });
    sb
}

/// A new account of `kind` authorizes [`COMP`], with no particular
/// permission sets.
pub fn authorize_new(sb: &SandboxHandle, kind: AccountKind) -> Authorization {
    sb.authorize(AuthorizeSeed {
        component_appid: COMP.into(),
        authorizer_appid: None,
        kind,
        func_ids: vec![],
    })
    .unwrap()
}
