//! The sandbox that wxdesk embeds (Settings → Use the offline sandbox) never
//! holds a real secret and locks its control surface: the stored production
//! accounts are not copied into it, `/__sandbox/` and the console need the
//! token only this process holds and a loopback Host, and the flows the UI
//! uses (demo accounts, codes, ticket pushes, mirroring an AppID with a
//! sandbox-made secret) work through the operation table.

#[path = "../common/mod.rs"]
mod common;
mod data;

use common::{random_appid, random_secret, store_app, store_component_keys, JsonReply};
use reqwest::header::{HeaderName, AUTHORIZATION, COOKIE, HOST, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{DeskOptions, Environment, Error};

/// Every GET hook of the sandbox.
const GET_HOOKS: [&str; 6] = ["state", "demo", "faults", "clock", "counters", "pushes"];

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// `GET url` with `headers`, following no redirect: the answer.
async fn get(url: &str, headers: &[(HeaderName, &str)]) -> Response {
    let mut request = http().get(url);
    for (name, value) in headers {
        request = request.header(name, *value);
    }
    request.send().await.unwrap()
}

/// A runtime on a fresh production database.
async fn production(dir: &tempfile::TempDir) -> Runtime {
    open(dir, Some(Environment::Production)).await
}

/// A runtime on the database in `dir` (`None`: the saved environment).
async fn open(dir: &tempfile::TempDir, environment: Option<Environment>) -> Runtime {
    Runtime::open(DeskOptions {
        db_path: dir.path().join("desk.db"),
        key_storage: KeyStorage::File,
        environment,
        client: wxdesk_wechat::ClientConfig::default(),
    })
    .await
    .unwrap()
}

/// Production secrets of a mini program and a platform, stored in the desk.
struct ProdSecrets {
    app_secret: String,
    component_appid: String,
    component_secret: String,
    token: String,
    aes_key: String,
}

impl ProdSecrets {
    fn all(&self) -> [(&'static str, &str); 4] {
        [
            ("AppSecret", &self.app_secret),
            ("component secret", &self.component_secret),
            ("message token", &self.token),
            ("EncodingAESKey", &self.aes_key),
        ]
    }
}

fn store_production_accounts(rt: &Runtime) -> ProdSecrets {
    let desk = rt.desk();
    let app_secret = random_secret();
    store_app(&desk, &random_appid(), &app_secret);
    let s = ProdSecrets {
        app_secret,
        component_appid: random_appid(),
        component_secret: random_secret(),
        token: format!("Tk{}", &random_secret()[..30]),
        aes_key: format!("{}{}", random_secret(), &random_secret()[..11]),
    };
    assert_eq!(s.aes_key.len(), 43);
    store_component_keys(
        &desk,
        &s.component_appid,
        &s.component_secret,
        &s.token,
        &s.aes_key,
    );
    s
}

async fn start(rt: &Runtime) -> Value {
    dispatch(rt, "sandbox_start", json!({})).await.unwrap()
}

/// `sandbox_mirror` of `appid` as `kind` (`app` or `component`; any other is refused).
async fn mirror(rt: &Runtime, appid: &str, kind: &str) -> Result<Value, Error> {
    dispatch(rt, "sandbox_mirror", json!({"appid": appid, "kind": kind})).await
}

/// `sandbox_push_ticket` for the platform `component`.
async fn push_ticket(rt: &Runtime, component: &str) -> Result<Value, Error> {
    let args = json!({ "component_appid": component });
    dispatch(rt, "sandbox_push_ticket", args).await
}

fn base(started: &Value) -> String {
    started["base_url"].as_str().unwrap().to_string()
}

fn port(started: &Value) -> u16 {
    base(started).rsplit(':').next().unwrap().parse().unwrap()
}

fn token(started: &Value) -> String {
    let url = started["console_url"].as_str().unwrap();
    url.split_once("?token=").unwrap().1.to_string()
}

/// Trades the console link for the session cookie (`name=value`).
async fn console_cookie(started: &Value) -> String {
    let r = get(started["console_url"].as_str().unwrap(), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/",
        "the token leaves the address bar"
    );
    let set = r.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    set.split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn state_without_the_token_is_401_and_shows_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let started = start(&rt).await;
    let demo_secret = started["demo"]["component_secret"].as_str().unwrap();
    let url = format!("{}/__sandbox/state", base(&started));

    let r = get(&url, &[]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body = r.text().await.unwrap();
    assert!(!body.contains(demo_secret), "{body}");
    assert!(
        body.contains("access token"),
        "the refusal says why: {body}"
    );

    let r = get(&url, &[(AUTHORIZATION, "Bearer 0123")]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "a wrong token");

    // With the token (either header) it answers, so the 401 above is the lock.
    let bearer = format!("Bearer {}", token(&started));
    let r = get(&url, &[(AUTHORIZATION, &bearer)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains(demo_secret));
    let token_header = HeaderName::from_static(wxdesk_sandbox::TOKEN_HEADER);
    let r = get(&url, &[(token_header, &token(&started))]).await;
    assert_eq!(r.status(), StatusCode::OK);

    // The console too.
    let r = get(&format!("{}/", base(&started)), &[]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(!r.text().await.unwrap().contains(demo_secret));
    let r = get(&format!("{}/?token=wrong", base(&started)), &[]).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().get(SET_COOKIE).is_none());
}

#[tokio::test]
async fn a_foreign_host_is_refused_even_with_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let started = start(&rt).await;
    let p = port(&started);
    let cookie = console_cookie(&started).await;
    assert!(
        cookie.starts_with(&format!("wxdesk_sandbox_{p}=")),
        "{cookie}"
    );
    let bearer = format!("Bearer {}", token(&started));
    for host in [
        format!("evil.example:{p}"),
        format!("wxdesk.rebind.example:{p}"),
        format!("127.0.0.1:{}", p.wrapping_add(1)),
        "127.0.0.1".to_string(),
    ] {
        for path in ["/__sandbox/state", "/", "/__sandbox/demo"] {
            let url = format!("{}{path}", base(&started));
            let r = get(
                &url,
                &[(AUTHORIZATION, &bearer), (COOKIE, &cookie), (HOST, &host)],
            )
            .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{host} {path}");
        }
    }
    // Loopback names of this port are fine.
    for host in [format!("localhost:{p}"), format!("[::1]:{p}")] {
        let url = format!("{}/__sandbox/clock", base(&started));
        let r = get(
            &url,
            &[(AUTHORIZATION, &bearer), (COOKIE, &cookie), (HOST, &host)],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn no_production_secret_reaches_the_embedded_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let prod = store_production_accounts(&rt);
    let started = start(&rt).await;
    let b = base(&started);
    let bearer = format!("Bearer {}", token(&started));

    let mut seen = Vec::new();
    for hook in GET_HOOKS {
        let r = get(
            &format!("{b}/__sandbox/{hook}"),
            &[(AUTHORIZATION, &bearer)],
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{hook}");
        seen.push((format!("/__sandbox/{hook}"), r.text().await.unwrap()));
    }
    let cookie = console_cookie(&started).await;
    let r = get(&format!("{b}/"), &[(COOKIE, &cookie)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let console = r.text().await.unwrap();
    assert!(
        console.contains(started["demo"]["mini_program_appid"].as_str().unwrap()),
        "the console lists the demo accounts"
    );
    seen.push(("/ (console)".into(), console));
    seen.push(("sandbox_start".into(), started.to_string()));

    for (where_, body) in &seen {
        for (what, secret) in prod.all() {
            assert!(
                !body.contains(secret),
                "the production {what} appears in {where_}"
            );
        }
    }
    // The production platform is unknown to the sandbox: nothing was mirrored.
    let e = push_ticket(&rt, &prod.component_appid).await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, reason } if field == "component_appid" && reason.contains("sandbox_mirror")),
        "{e:?}"
    );
}

#[tokio::test]
async fn the_ui_flows_work_through_the_op_table() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let started = start(&rt).await;
    let b = base(&started);
    let demo = &started["demo"];
    let settings = dispatch(&rt, "settings_get", json!({})).await.unwrap();
    assert_eq!(settings["environment"]["kind"], "sandbox", "{settings}");
    let status = dispatch(&rt, "sandbox_status", json!({})).await.unwrap();
    assert_eq!(status["running"], true);
    assert_eq!(status["base_url"], b.as_str());
    assert_eq!(
        start(&rt).await["demo"],
        *demo,
        "starting again keeps the same sandbox"
    );

    // The demo mini program logs a user in with a code minted by the sandbox.
    let app = demo["mini_program_appid"].as_str().unwrap();
    let code = dispatch(&rt, "sandbox_issue_js_code", json!({"appid": app}))
        .await
        .unwrap();
    let r: Value = http()
        .get(format!(
            "{b}/sns/jscode2session?appid={app}&secret={}&js_code={}&grant_type=authorization_code",
            demo["mini_program_secret"].as_str().unwrap(),
            code["code"].as_str().unwrap()
        ))
        .json_reply()
        .await;
    assert_eq!(
        r["openid"], code["openid"],
        "WeChat paths need no token: {r}"
    );
    let phone = dispatch(&rt, "sandbox_issue_phone_code", json!({"appid": app}))
        .await
        .unwrap();
    assert_eq!(phone["code"].as_str().unwrap().len(), 64);

    // The demo platform gets a ticket push to paste.
    let comp = demo["component_appid"].as_str().unwrap();
    let push = push_ticket(&rt, comp).await.unwrap();
    assert!(push["query"].as_str().unwrap().contains("msg_signature="));
    assert!(push["body"].as_str().unwrap().contains("<Encrypt>"));

    // A real AppID is mirrored with a secret the sandbox makes up, which works there.
    let appid = random_appid();
    let m = mirror(&rt, &appid, "app").await.unwrap();
    let secret = m["secret"].as_str().unwrap();
    assert!(secret.len() == 32 && secret.bytes().all(|c| c.is_ascii_hexdigit()));
    assert!(m["token"].is_null() && m["aes_key"].is_null());
    let r: Value = http()
        .get(format!(
            "{b}/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"
        ))
        .json_reply()
        .await;
    assert!(r["access_token"].is_string(), "{r}");
    let again = mirror(&rt, &appid, "app").await.unwrap();
    assert_eq!(
        again["secret"], m["secret"],
        "mirroring again gives the same"
    );

    // A platform gets a secret, token and key, and then ticket pushes.
    let platform = random_appid();
    let m = mirror(&rt, &platform, "component").await.unwrap();
    assert_eq!(m["kind"], "component");
    assert_eq!(m["aes_key"].as_str().unwrap().len(), 43);
    assert_eq!(m["token"].as_str().unwrap().len(), 32);
    push_ticket(&rt, &platform).await.unwrap();

    // Bad input names the field.
    for (args, field) in [
        (json!({"appid": "not-an-appid", "kind": "app"}), "appid"),
        (json!({"appid": app, "kind": "app"}), "appid"),
        (json!({"appid": comp, "kind": "app"}), "appid"),
    ] {
        let e = dispatch(&rt, "sandbox_mirror", args.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field: f, .. } if f == field),
            "{args}: {e:?}"
        );
    }
    let e = mirror(&rt, &appid, "plugin").await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "kind"),
        "{e:?}"
    );
}

/// README step 2 to its end: log in, then decrypt the sample data the
/// sandbox minted for that login; the status carries the demo accounts.
#[tokio::test]
async fn mirroring_needs_a_running_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let e = mirror(&rt, &random_appid(), "app").await.unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "sandbox"),
        "{e:?}"
    );
}

/// One run of the app: its own tokio runtime, so dropping it stops its sandbox.
fn run<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn after_a_restart_what_was_stored_from_the_sandbox_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let mirrored_appid = random_appid();
    let (started, mirrored) = run(async {
        let rt = production(&dir).await;
        let started = start(&rt).await;
        let demo = &started["demo"];
        dispatch(
            &rt,
            "app_add",
            json!({"appid": demo["mini_program_appid"], "secret": demo["mini_program_secret"]}),
        )
        .await
        .unwrap();
        let mirrored = mirror(&rt, &mirrored_appid, "component").await.unwrap();
        (started, mirrored)
    });
    let memory = dir.path().join("embedded-sandbox.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&memory).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the memory file is the owner's only");
    }
    let text = std::fs::read_to_string(&memory).unwrap();
    for value in [&started["demo"]["mini_program_secret"], &mirrored["secret"]] {
        assert!(
            !text.contains(value.as_str().unwrap()),
            "the memory file holds a seed, not the credentials"
        );
    }

    // The app is opened again: the saved sandbox environment's port is free,
    // so the sandbox starts there again, with the same made-up credentials.
    run(async {
        let rt = open(&dir, None).await;
        let status = dispatch(&rt, "sandbox_status", json!({})).await.unwrap();
        assert_eq!(status["running"], true, "{status}");
        assert_eq!(status["base_url"], started["base_url"]);
        let token = dispatch(
            &rt,
            "app_token",
            json!({"appid": started["demo"]["mini_program_appid"]}),
        )
        .await
        .unwrap();
        assert!(token["expires_at"].is_number(), "{token}");
        let again = start(&rt).await;
        assert_eq!(again["demo"], started["demo"]);
        assert_ne!(
            again["console_url"], started["console_url"],
            "the console token is new each run"
        );
        let push = push_ticket(&rt, &mirrored_appid).await.unwrap();
        assert!(push["body"].as_str().unwrap().contains("<Encrypt>"));
        let same = mirror(&rt, &mirrored_appid, "component").await.unwrap();
        assert_eq!(same["secret"], mirrored["secret"]);
        assert_eq!(same["aes_key"], mirrored["aes_key"]);
    });
}
