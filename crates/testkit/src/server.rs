//! The browser-mode server (`wxdesk serve` in process): a server on a fresh
//! database with a tiny UI folder, a client that never follows redirects,
//! and the login exchange as a browser does it. Feature `server`.

use std::sync::Arc;

use reqwest::header;
use wxdesk_core::ops::Runtime;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{DeskOptions, Environment};
use wxdesk_server::{serve, ServerConfig, ServerHandle, UiSource};

/// A running server and what it runs on.
pub struct Fixture {
    /// Holds the database and the UI folder.
    pub dir: tempfile::TempDir,
    /// The operation table the server serves.
    pub rt: Arc<Runtime>,
    /// The server.
    pub server: ServerHandle,
    /// A client that does not follow redirects.
    pub http: reqwest::Client,
}

/// A server whose desk points at nothing (127.0.0.1:9).
pub async fn start() -> Fixture {
    start_with(Environment::custom(Some("http://127.0.0.1:9"), None, None).unwrap()).await
}

/// A server whose desk uses `env`.
pub async fn start_with(env: Environment) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ui = dir.path().join("dist");
    std::fs::create_dir_all(ui.join("assets")).unwrap();
    std::fs::write(
        ui.join("index.html"),
        "<!doctype html><title>wxdesk ui</title>",
    )
    .unwrap();
    std::fs::write(ui.join("assets/app.js"), "console.log(1)").unwrap();
    std::fs::write(dir.path().join("secret.txt"), "outside the UI dir").unwrap();
    let mut opts = DeskOptions::new(dir.path().join("w.db"));
    opts.key_storage = KeyStorage::File;
    opts.environment = Some(env);
    let rt = Arc::new(Runtime::open(opts).await.unwrap());
    let server = serve(
        rt.clone(),
        ServerConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            ui: UiSource::Dir(ui),
            token: None,
        },
    )
    .await
    .unwrap();
    Fixture {
        dir,
        rt,
        server,
        http: client(),
    }
}

/// A client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `name=value` part of the response's Set-Cookie (which must be HttpOnly, SameSite=Strict).
pub fn cookie_of(resp: &reqwest::Response) -> String {
    let c = resp
        .headers()
        .get(header::SET_COOKIE)
        .expect("set-cookie")
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        c.contains("HttpOnly") && c.contains("SameSite=Strict"),
        "{c}"
    );
    c.split(';').next().unwrap().to_string()
}

/// Opens the printed URL once, as a browser does; returns the session cookie (`name=value`).
pub async fn login(f: &Fixture) -> String {
    let r = f.http.get(f.server.url()).send().await.unwrap();
    assert_eq!(r.status(), 303);
    cookie_of(&r)
}

/// Calls an operation with the bearer token; returns (status, JSON body).
pub async fn op(f: &Fixture, name: &str, args: serde_json::Value) -> (u16, serde_json::Value) {
    let r = f
        .http
        .post(format!("{}/api/op/{name}", f.server.base_url()))
        .bearer_auth(f.server.token())
        .json(&args)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}
