//! What every module of this binary shares: the fixtures (AppIDs, secrets,
//! key), a seeded sandbox, a client with fast retries, and small readers.

use std::time::Duration;

use wxdesk_sandbox::SandboxHandle;
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

#[path = "../support/platform.rs"]
mod platform;
pub use platform::*;

pub const APP: &str = "wx1111111111111111";
pub const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";

/// A sandbox with the test platform [`COMP`] and the mini program [`APP`].
pub async fn sandbox() -> SandboxHandle {
    let sb = sandbox_with_platform().await;
    sb.add_app(APP, APP_SECRET);
    sb
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
