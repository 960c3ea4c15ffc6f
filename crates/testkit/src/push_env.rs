//! The onboarding set-up of the push, login, link and fast-registration
//! tests: a sandbox, a desk on a temporary database pointed at it, one
//! well-known platform ([`COMP`]) registered on both, and the merchant's side
//! played through the sandbox's consent pages and recorded pushes.

use std::time::Duration;

use tempfile::TempDir;
use wxdesk_core::store::{apps, components, now};
use wxdesk_core::Desk;
use wxdesk_sandbox::{
    AccountKind, AuthorizeSeed, ComponentSeed, PushRecord, Sandbox, SandboxConfig, SandboxHandle,
};

/// The platform most tests use.
pub const COMP: &str = "wx0123456789abcdef";
/// Its AppSecret.
pub const SECRET: &str = "0123456789abcdef0123456789abcdef";
/// Its message token.
pub const TOKEN: &str = "PushToken2024";
/// Its EncodingAESKey.
pub const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFA";
/// The redirect URI stored with it.
pub const REDIRECT: &str = "https://merchant.example.com/wechat/authorized";

/// A sandbox and a desk talking to it.
pub struct Env {
    pub sandbox: SandboxHandle,
    pub desk: Desk,
    pub dir: TempDir,
}

/// Opens a desk on `dir`/wxdesk.db against the sandbox at `base`.
pub fn open_desk_in(dir: &TempDir, base: &str) -> Desk {
    crate::desk::open_desk(&dir.path().join("wxdesk.db"), base)
}

/// A fresh sandbox and desk.
pub async fn start() -> Env {
    let sandbox = Sandbox::start(SandboxConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk_in(&dir, &sandbox.base_url());
    Env { sandbox, desk, dir }
}

/// A fresh sandbox and desk with [`COMP`] registered on both and a ticket stored.
pub async fn start_with_component() -> Env {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    env.give_ticket(COMP);
    env
}

impl Env {
    /// Registers a platform in the sandbox (with the real token) and in the
    /// desk's store with `desk_token` as its message token.
    pub fn add_component(&self, appid: &str, desk_token: &str, redirect: Option<&str>) {
        self.sandbox.add_component(ComponentSeed {
            appid: appid.into(),
            secret: SECRET.into(),
            token: TOKEN.into(),
            encoding_aes_key: AES.into(),
            push_url: None,
            name: Some("Test Platform".into()),
        });
        let vault = self.desk.vault();
        let row = components::ComponentRow {
            appid: appid.into(),
            name: "Test Platform".into(),
            secret: Some(vault.seal(components::SECRET, SECRET).unwrap()),
            token: Some(vault.seal(components::TOKEN, desk_token).unwrap()),
            aes_key: Some(vault.seal(components::AES_KEY, AES).unwrap()),
            redirect_uri: redirect.map(str::to_string),
            created_at: now(),
            updated_at: now(),
        };
        self.desk
            .store()
            .write(|tx| components::insert(tx, &row))
            .unwrap();
    }

    /// Issues a ticket in the sandbox and stores it by hand.
    pub fn give_ticket(&self, appid: &str) {
        let ticket = self.sandbox.issue_ticket(appid).unwrap();
        self.desk
            .ticket_set(
                appid,
                &ticket,
                wxdesk_core::services::components_push::TicketSource::Manual,
            )
            .unwrap();
    }

    /// Registers a mini program with its secret on both sides.
    pub fn add_app(&self, appid: &str, secret: &str) {
        self.sandbox.add_app(appid, secret);
        let row = apps::AppRow {
            appid: appid.into(),
            name: "Test App".into(),
            secret: Some(self.desk.vault().seal(apps::SECRET, secret).unwrap()),
            created_at: now(),
            updated_at: now(),
        };
        self.desk
            .store()
            .write(|tx| apps::insert(tx, &row))
            .unwrap();
    }

    /// Plays an admin authorizing `COMP` in the sandbox and returns the
    /// authorization and the push it generated.
    pub fn sandbox_authorize(
        &self,
        appid: Option<&str>,
        kind: AccountKind,
    ) -> (wxdesk_sandbox::Authorization, PushRecord) {
        let before = self.sandbox.pushes().len();
        let a = self
            .sandbox
            .authorize(AuthorizeSeed {
                component_appid: COMP.into(),
                authorizer_appid: appid.map(str::to_string),
                kind,
                func_ids: vec![],
            })
            .unwrap();
        let push = self.push_after(before, |p| p.info_type.contains("authorized"));
        (a, push)
    }

    /// The first push recorded after index `before` that matches.
    pub fn push_after(&self, before: usize, want: impl Fn(&PushRecord) -> bool) -> PushRecord {
        self.sandbox
            .pushes()
            .into_iter()
            .skip(before)
            .find(|p| want(p))
            .expect("the sandbox recorded the push")
    }

    /// Applies a recorded push to the desk.
    pub async fn apply(
        &self,
        push: &PushRecord,
    ) -> wxdesk_core::services::components_push::PushApplied {
        self.desk
            .ticket_push(&push.component_appid, &push.query, &push.body)
            .await
            .unwrap()
    }

    /// Authorizes an account to `COMP` and stores it through the push.
    pub async fn authorized(&self, kind: AccountKind) -> String {
        let (a, push) = self.sandbox_authorize(None, kind);
        self.apply(&push).await;
        a.authorizer_appid
    }

    /// The plaintext refresh token the desk stores for an authorizer.
    pub fn stored_refresh_token(&self, comp: &str, appid: &str) -> String {
        let row = self
            .desk
            .store()
            .read(|c| wxdesk_core::store::authorizers::require(c, comp, appid))
            .unwrap();
        let sealed = row.refresh_token.expect("a refresh token is stored");
        self.desk
            .vault()
            .open(wxdesk_core::store::authorizers::REFRESH_TOKEN, &sealed)
            .unwrap()
            .to_string()
    }
}

/// A client that does not follow redirects (to read consent `Location`s).
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Plays the merchant on a consent page: opens `url`, then submits the form
/// (the page's parameters plus `extra`), returning the redirect `Location`.
pub async fn consent(url: &str, extra: &[(&str, &str)]) -> String {
    let b = browser();
    let page = b.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200, "the consent page opens");
    let body = page.text().await.unwrap();
    assert!(
        body.contains("<form"),
        "the consent page has a form: {body}"
    );
    let form: String = extra
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect::<Vec<_>>()
        .join("&");
    let posted = b
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    if posted.status() != 302 {
        panic!(
            "consent did not redirect back: {}",
            posted.text().await.unwrap_or_default()
        );
    }
    posted.headers()["location"].to_str().unwrap().to_string()
}
