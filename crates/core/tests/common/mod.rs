//! Shared helpers of the token, call-log and quota tests: a sandbox, desks
//! opened on a temporary database pointed at it, and seeding of apps,
//! platforms, tickets and authorizers straight into the store (so these tests
//! do not depend on the account services), plus a tiny scripted HTTP server
//! for answers the sandbox never gives.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wxdesk_core::store::{apps, authorizers, components, tickets};
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment};
use wxdesk_sandbox::{AuthorizeSeed, ComponentSeed, Sandbox, SandboxConfig, SandboxHandle};
use wxdesk_wechat::ClientConfig;

pub mod redis;

/// A sandbox and a temporary directory for the database.
pub struct World {
    pub sandbox: SandboxHandle,
    pub dir: tempfile::TempDir,
}

impl World {
    pub async fn start() -> World {
        World {
            sandbox: Sandbox::start(SandboxConfig::default()).await.unwrap(),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("wxdesk.db")
    }

    /// A desk on this world's database (each call = a separate "process").
    pub fn desk(&self) -> Desk {
        open_desk(&self.db_path(), &self.sandbox.base_url())
    }

    /// Moves the sandbox and the given desks' clocks forward together.
    pub fn advance(&self, desks: &[&Desk], by: Duration) {
        self.sandbox.advance_clock(by);
        for d in desks {
            d.advance_clock(by);
        }
    }
}

pub fn open_desk(db: &Path, base: &str) -> Desk {
    Desk::open(DeskOptions {
        db_path: db.to_path_buf(),
        key_storage: KeyStorage::File,
        environment: Some(Environment::Sandbox {
            base: base.to_string(),
        }),
        client: ClientConfig::default(),
    })
    .unwrap()
}

/// `wx` + 16 random hex digits.
pub fn random_appid() -> String {
    format!("wx{:016x}", rand::random::<u64>())
}

/// A random secret-looking string of 32 hex digits.
pub fn random_secret() -> String {
    format!(
        "{:016x}{:016x}",
        rand::random::<u64>(),
        rand::random::<u64>()
    )
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

/// Saves a platform in the desk's store.
pub fn store_component(desk: &Desk, appid: &str, secret: &str) {
    let v = desk.vault();
    let row = components::ComponentRow {
        appid: appid.to_string(),
        name: "test platform".into(),
        secret: Some(v.seal(components::SECRET, secret).unwrap()),
        token: Some(v.seal(components::TOKEN, "pushtoken").unwrap()),
        aes_key: Some(v.seal(components::AES_KEY, &"a".repeat(43)).unwrap()),
        redirect_uri: None,
        created_at: desk.now(),
        updated_at: desk.now(),
    };
    desk.store()
        .write(|tx| components::insert(tx, &row))
        .unwrap();
}

/// A new platform known to both. Returns (appid, secret).
pub fn seed_component(world: &World, desk: &Desk) -> (String, String) {
    let appid = random_appid();
    let secret = random_secret();
    world.sandbox.add_component(ComponentSeed {
        appid: appid.clone(),
        secret: secret.clone(),
        token: "pushtoken".into(),
        encoding_aes_key: "a".repeat(43),
        push_url: None,
        name: None,
    });
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

/// Authorizes a new mini program in the sandbox and saves it. Returns (appid, refresh token, auth_code).
pub fn seed_authorizer(world: &World, desk: &Desk, component: &str) -> (String, String, String) {
    let a = world
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: component.to_string(),
            authorizer_appid: None,
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap();
    store_authorizer(desk, component, &a.authorizer_appid, &a.refresh_token);
    (a.authorizer_appid, a.refresh_token, a.auth_code)
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

/// A scripted HTTP server: answers each request path with a fixed JSON body
/// and counts requests per path. For answers the sandbox never gives.
pub struct Scripted {
    pub base: String,
    pub hits: Arc<Mutex<Vec<String>>>,
}

impl Scripted {
    pub async fn start(routes: Vec<(&'static str, String)>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let hits = Arc::new(Mutex::new(Vec::new()));
        let seen = hits.clone();
        let routes = Arc::new(routes);
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                let routes = routes.clone();
                let seen = seen.clone();
                tokio::spawn(async move {
                    loop {
                        let Some(path) = read_request(&mut sock).await else {
                            return;
                        };
                        seen.lock().unwrap().push(path.clone());
                        let body = routes
                            .iter()
                            .find(|(p, _)| *p == path)
                            .map(|(_, b)| b.clone())
                            .unwrap_or_else(|| {
                                r#"{"errcode":404,"errmsg":"not scripted"}"#.to_string()
                            });
                        let resp = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
                            body.len(),
                            body
                        );
                        if sock.write_all(resp.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Scripted { base, hits }
    }

    pub fn count(&self, path: &str) -> usize {
        self.hits
            .lock()
            .unwrap()
            .iter()
            .filter(|p| *p == path)
            .count()
    }
}

/// Reads one HTTP/1.1 request; returns its path without the query.
async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let target = head.split_whitespace().nth(1)?.to_string();
    Some(target.split('?').next().unwrap_or("").to_string())
}
