//! Accounts seeded straight into a desk's store (and into the sandbox), so
//! tests of tokens, call logs, quotas and transfers do not depend on the
//! account services they are not testing.

use wxdesk_core::store::{apps, authorizers, components, tickets};
use wxdesk_core::Desk;
use wxdesk_sandbox::{Authorization, AuthorizeSeed, ComponentSeed, DraftSeed, SandboxHandle};

use crate::desk::World;
use crate::ids::{random_appid, random_secret};

/// The message token of platforms seeded here.
pub const PUSH_TOKEN: &str = "pushtoken";

/// The EncodingAESKey of platforms seeded here (43 characters).
pub fn push_aes_key() -> String {
    "a".repeat(43)
}

/// Saves an app with its secret in the desk's store.
pub fn store_app(desk: &Desk, appid: &str, secret: &str) {
    let sealed = desk.vault().seal(apps::SECRET, secret).unwrap();
    let now = desk.now();
    desk.store()
        .write(|tx| {
            apps::insert(
                tx,
                &apps::AppRow {
                    appid: appid.to_string(),
                    name: "test app".into(),
                    secret: Some(sealed),
                    created_at: now,
                    updated_at: now,
                },
            )
        })
        .unwrap();
}

/// A new app known to both the sandbox and the desk. Returns (appid, secret).
pub fn seed_app(world: &World, desk: &Desk) -> (String, String) {
    let appid = random_appid();
    let secret = random_secret();
    world.sandbox.add_app(&appid, &secret);
    store_app(desk, &appid, &secret);
    (appid, secret)
}

/// Saves a platform in the desk's store (message token [`PUSH_TOKEN`]).
pub fn store_component(desk: &Desk, appid: &str, secret: &str) {
    store_component_keys(desk, appid, secret, PUSH_TOKEN, &push_aes_key());
}

/// Saves a platform in the desk's store with its message token and
/// EncodingAESKey.
pub fn store_component_keys(desk: &Desk, appid: &str, secret: &str, token: &str, aes_key: &str) {
    let v = desk.vault();
    let row = components::ComponentRow {
        appid: appid.to_string(),
        name: "test platform".into(),
        secret: Some(v.seal(components::SECRET, secret).unwrap()),
        token: Some(v.seal(components::TOKEN, token).unwrap()),
        aes_key: Some(v.seal(components::AES_KEY, aes_key).unwrap()),
        redirect_uri: None,
        created_at: desk.now(),
        updated_at: desk.now(),
    };
    desk.store()
        .write(|tx| components::insert(tx, &row))
        .unwrap();
}

/// Registers a platform in the sandbox only (message token [`PUSH_TOKEN`]).
pub fn sandbox_component(sandbox: &SandboxHandle, appid: &str, secret: &str) {
    sandbox.add_component(ComponentSeed {
        appid: appid.to_string(),
        secret: secret.to_string(),
        token: PUSH_TOKEN.into(),
        encoding_aes_key: push_aes_key(),
        push_url: None,
        name: None,
    });
}

/// A new platform known to both. Returns (appid, secret).
pub fn seed_component(world: &World, desk: &Desk) -> (String, String) {
    let appid = random_appid();
    let secret = random_secret();
    sandbox_component(&world.sandbox, &appid, &secret);
    store_component(desk, &appid, &secret);
    (appid, secret)
}

/// Stores a ticket as received at `received_at`.
pub fn store_ticket(desk: &Desk, component: &str, ticket: &str, received_at: i64) {
    let sealed = desk.vault().seal(tickets::TICKET, ticket).unwrap();
    desk.store()
        .write(|tx| tickets::insert(tx, component, &sealed, "manual", received_at))
        .unwrap();
}

/// Issues a ticket in the sandbox and stores it as received now. Returns it.
pub fn deliver_ticket(world: &World, desk: &Desk, component: &str) -> String {
    let t = world.sandbox.issue_ticket(component).unwrap();
    store_ticket(desk, component, &t, desk.now());
    t
}

/// Saves an active authorizer with its refresh token.
pub fn store_authorizer(desk: &Desk, component: &str, appid: &str, refresh_token: &str) {
    let sealed = desk
        .vault()
        .seal(authorizers::REFRESH_TOKEN, refresh_token)
        .unwrap();
    let row = authorizers::AuthorizerRow {
        component_appid: component.to_string(),
        appid: appid.to_string(),
        refresh_token: Some(sealed),
        func_info: vec![18],
        info: None,
        nick_name: String::new(),
        account_type: "mini_program".into(),
        status: authorizers::AuthorizerStatus::Active,
        authorized_at: Some(desk.now()),
        revoked_at: None,
        updated_at: desk.now(),
    };
    desk.store()
        .write(|tx| authorizers::upsert(tx, &row))
        .unwrap();
}

/// Plays an admin authorizing a new mini program to `component` in the sandbox.
pub fn sandbox_authorize(sandbox: &SandboxHandle, component: &str) -> Authorization {
    sandbox
        .authorize(AuthorizeSeed {
            component_appid: component.to_string(),
            authorizer_appid: None,
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap()
}

/// A template draft of `component` at `user_version`, everything else left
/// to the sandbox's defaults, as its `/__sandbox/` hook reads one.
pub fn draft_seed(component: &str, user_version: &str) -> DraftSeed {
    let seed = serde_json::json!({"component_appid": component, "user_version": user_version});
    serde_json::from_value(seed).unwrap()
}

/// Authorizes a new mini program in the sandbox and saves it. Returns (appid, refresh token, auth_code).
pub fn seed_authorizer(world: &World, desk: &Desk, component: &str) -> (String, String, String) {
    let a = sandbox_authorize(&world.sandbox, component);
    store_authorizer(desk, component, &a.authorizer_appid, &a.refresh_token);
    (a.authorizer_appid, a.refresh_token, a.auth_code)
}

/// A platform seeded by [`seed_platform`].
#[derive(Debug, Clone)]
pub struct Platform {
    /// Its AppID.
    pub appid: String,
    /// Its AppSecret.
    pub secret: String,
    /// The ticket stored for it.
    pub ticket: String,
    /// Its authorizers: (appid, refresh token).
    pub authorizers: Vec<(String, String)>,
}

/// A platform known to both the sandbox and the desk, with a ticket stored
/// and `n` mini programs authorized to it (in the sandbox and in the store).
pub fn seed_platform(world: &World, desk: &Desk, n: usize) -> Platform {
    let (appid, secret) = seed_component(world, desk);
    let ticket = deliver_ticket(world, desk, &appid);
    let authorizers = (0..n)
        .map(|_| {
            let (a, refresh, _) = seed_authorizer(world, desk, &appid);
            (a, refresh)
        })
        .collect();
    Platform {
        appid,
        secret,
        ticket,
        authorizers,
    }
}

/// The plaintext refresh token stored for an authorizer.
pub fn stored_refresh_token(desk: &Desk, component: &str, appid: &str) -> String {
    let row = desk
        .store()
        .read(|c| authorizers::require(c, component, appid))
        .unwrap();
    desk.open_secret(
        authorizers::REFRESH_TOKEN,
        row.refresh_token.as_ref().unwrap(),
    )
    .unwrap()
    .to_string()
}
