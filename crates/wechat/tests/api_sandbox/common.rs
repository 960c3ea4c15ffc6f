//! What every module of this binary shares: the fixtures (AppIDs, secrets,
//! key), a seeded sandbox, a client with fast retries, and small readers.

use std::time::Duration;

use wxdesk_sandbox::{
    AccountKind, Authorization, AuthorizeSeed, ComponentSeed, Sandbox, SandboxConfig, SandboxHandle,
};
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

pub const APP: &str = "wx1111111111111111";
pub const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
pub const COMP: &str = "wx2222222222222222";
pub const COMP_SECRET: &str = "fedcba9876543210fedcba9876543210";
pub const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

pub async fn sandbox() -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    sb.add_app(APP, APP_SECRET);
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

pub fn client(sb: &SandboxHandle) -> Client {
    Client::new(ClientConfig {
        bases: Bases::single(&sb.base_url()).unwrap(),
        timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
        ..ClientConfig::default()
    })
    .unwrap()
}

pub fn errcode(r: Result<impl Sized, Error>) -> i64 {
    match r {
        Err(Error::Api { errcode, .. }) => errcode,
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got success"),
    }
}

/// A stable access token of [`APP`], fetched in normal (non-forced) mode.
pub async fn app_token(c: &Client) -> String {
    c.stable_access_token(APP, APP_SECRET, false)
        .await
        .unwrap()
        .access_token
}

pub async fn component_token(c: &Client, sb: &SandboxHandle) -> String {
    let ticket = sb.issue_ticket(COMP).unwrap();
    c.component_token(COMP, COMP_SECRET, &ticket)
        .await
        .unwrap()
        .component_access_token
}
