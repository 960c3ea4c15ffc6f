//! A small W3C WebDriver client for `WebKitWebDriver`, enough to drive
//! WebKitGTK's MiniBrowser through the UI walk: start and end a session,
//! navigate, click an element by CSS selector, and run a script.
//!
//! The UI figures must come from the engine the desktop app ships on
//! (WebKitGTK), not from Chromium, so the benchmark talks to the engine's own
//! driver over HTTP on loopback rather than through Playwright.

use std::time::Duration;

use serde_json::{json, Value};

use super::super::{err, Res};

/// The W3C key under which an element reference comes back.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One `WebKitWebDriver` on `127.0.0.1:port`, with at most one session.
pub struct WebDriver {
    base: String,
    http: reqwest::Client,
    session: Option<String>,
}

impl WebDriver {
    pub fn new(port: u16) -> Res<Self> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .no_proxy()
            .build()
            .map_err(err("http client"))?;
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            http,
            session: None,
        })
    }

    /// Waits until the driver answers `/status`.
    pub async fn wait_ready(&self, timeout: Duration) -> Res<()> {
        let until = std::time::Instant::now() + timeout;
        loop {
            match self.http.get(format!("{}/status", self.base)).send().await {
                Ok(r) if r.status().is_success() => return Ok(()),
                _ if std::time::Instant::now() < until => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Ok(r) => return Err(format!("WebKitWebDriver /status answered {}", r.status())),
                Err(e) => return Err(format!("WebKitWebDriver did not start: {e}")),
            }
        }
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Res<Value> {
        let url = match &self.session {
            Some(s) => format!("{}/session/{s}{path}", self.base),
            None => format!("{}{path}", self.base),
        };
        let mut req = self.http.request(method.clone(), &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.map_err(err("WebDriver request failed"))?;
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() || value.get("error").is_some() {
            return Err(format!("WebDriver {method} {path}: {status} {value}"));
        }
        Ok(value)
    }

    /// Starts MiniBrowser (`binary`) in automation mode.
    pub async fn start(&mut self, binary: &str) -> Res<()> {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": binary, "args": ["--automation"] }
        }}});
        let v = self
            .cmd(reqwest::Method::POST, "/session", Some(caps))
            .await?;
        let id = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("WebDriver session without an id: {v}"))?;
        self.session = Some(id.to_string());
        Ok(())
    }

    /// Ends the session (the browser exits).
    pub async fn stop(&mut self) {
        if self.session.is_some() {
            let _ = self.cmd(reqwest::Method::DELETE, "", None).await;
            self.session = None;
        }
    }

    pub async fn navigate(&self, url: &str) -> Res<()> {
        self.cmd(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await
            .map(|_| ())
    }

    /// Runs `script` (a function body) in the page and returns its value.
    pub async fn execute(&self, script: &str, args: Value) -> Res<Value> {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Clicks the element matching `css`, waiting up to 20 s for it to exist.
    pub async fn click(&self, css: &str) -> Res<()> {
        let until = std::time::Instant::now() + Duration::from_secs(20);
        let id = loop {
            let found = self
                .cmd(
                    reqwest::Method::POST,
                    "/element",
                    Some(json!({ "using": "css selector", "value": css })),
                )
                .await;
            match found {
                Ok(v) => match v.get(ELEMENT_KEY).and_then(Value::as_str) {
                    Some(id) => break id.to_string(),
                    None => return Err(format!("element {css}: unexpected answer {v}")),
                },
                Err(_) if std::time::Instant::now() < until => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                Err(e) => return Err(format!("element {css} not found: {e}")),
            }
        };
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await
        .map(|_| ())
    }
}
