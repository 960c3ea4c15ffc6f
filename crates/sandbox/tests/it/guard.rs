//! A sandbox started with an access token (as wxdesk embeds it): the console
//! and the hooks are locked behind the token and a loopback Host, WeChat's
//! paths stay open, and mirroring makes up the sandbox's own credentials.

use serde_json::json;
use wxdesk_sandbox::{Sandbox, SandboxConfig, SandboxHandle, TOKEN_HEADER};

use crate::common::{assert_payload, client, get, APPID, SECRET};

const TOKEN: &str = "9f2c0c1e5b7a4d3e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60";

async fn locked() -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig {
        demo: true,
        access_token: Some(TOKEN.into()),
        ..Default::default()
    })
    .await
    .unwrap();
    sb.add_app(APPID, SECRET);
    sb
}

fn port(sb: &SandboxHandle) -> u16 {
    sb.base_url().rsplit(':').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn hooks_and_console_need_the_token_and_wechat_paths_do_not() {
    let sb = locked().await;
    let b = sb.base_url();
    let c = client();
    let secret = sb.demo_accounts().component_secret;
    for (method, path) in [
        ("GET", "/__sandbox/state"),
        ("GET", "/__sandbox/demo"),
        ("GET", "/__sandbox"),
        ("POST", "/__sandbox/codes/js"),
        ("POST", "/__sandbox/clock"),
        ("DELETE", "/__sandbox/faults"),
        ("GET", "/"),
    ] {
        let r = c
            .request(method.parse().unwrap(), format!("{b}{path}"))
            .json(&json!({"appid": APPID, "advance_secs": 99999}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{method} {path}");
        assert!(!r.text().await.unwrap().contains(&secret));
    }
    let real = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    assert!(
        (sb.now() - real).abs() < 60,
        "the refused clock post did not move the clock"
    );
    // WeChat's paths stay open.
    let v = get(
        &sb,
        &format!("/cgi-bin/token?grant_type=client_credential&appid={APPID}&secret={SECRET}"),
    )
    .await;
    assert_payload(&v);
    // With the token.
    let r = c
        .get(format!("{b}/__sandbox/state"))
        .header(TOKEN_HEADER, TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_console_link_becomes_a_cookie_and_its_forms_work() {
    let sb = locked().await;
    let b = sb.base_url();
    let c = client();
    assert_eq!(sb.console_url(), format!("{b}/?token={TOKEN}"));
    let r = c.get(sb.console_url()).send().await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/");
    let set = r.headers()["set-cookie"].to_str().unwrap().to_string();
    let cookie = set.split(';').next().unwrap().to_string();
    assert_eq!(cookie, format!("wxdesk_sandbox_{}={TOKEN}", port(&sb)));
    let html = c
        .get(format!("{b}/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&sb.demo_accounts().mini_program_appid));
    let r = c
        .post(format!("{b}/__sandbox/codes/js"))
        .header("cookie", &cookie)
        .form(&[("appid", APPID)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the console's forms carry the cookie");
    // Another sandbox's cookie name does not open this one.
    let r = c
        .get(format!("{b}/"))
        .header("cookie", format!("wxdesk_sandbox_1={TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_foreign_host_is_refused() {
    let sb = locked().await;
    let p = port(&sb);
    let r = client()
        .get(format!("{}/__sandbox/state", sb.base_url()))
        .bearer_auth(TOKEN)
        .header("host", format!("attacker.example:{p}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let body = r.text().await.unwrap();
    assert!(body.contains("Host"), "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_standalone_sandbox_stays_open() {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    assert_eq!(sb.console_url(), format!("{}/", sb.base_url()));
    let r = client()
        .get(format!("{}/__sandbox/state", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(!format!("{:?}", sb.config()).contains("access_token: Some(\""));
    sb.shutdown().await;
}

#[tokio::test]
async fn mirroring_makes_up_the_credentials() {
    let sb = locked().await;
    let appid = "wx0123456789abcdef";
    let secret = sb.mirror_app(appid).unwrap();
    assert_eq!(secret.len(), 32);
    let v = get(
        &sb,
        &format!("/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}"),
    )
    .await;
    assert_payload(&v);
    let seed = sb.mirror_component("wx00000000000000aa", None).unwrap();
    wxdesk_wechat::crypto::push::PushCrypto::new(&seed.token, &seed.encoding_aes_key, &seed.appid)
        .unwrap();
    assert!(sb.push_ticket(&seed.appid).await.is_ok());
    assert!(sb.mirror_app("wx1").is_err());
    assert!(sb
        .mirror_app(&sb.demo_accounts().mini_program_appid)
        .is_err());
    assert!(sb.mirror_component(appid, None).is_err(), "already an app");
    sb.shutdown().await;
}

#[test]
fn config_debug_hides_the_token() {
    let c = SandboxConfig {
        access_token: Some(TOKEN.into()),
        ..Default::default()
    };
    assert!(!format!("{c:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_credential_seed_brings_back_the_same_accounts() {
    let start = |seed: [u8; 32]| {
        Sandbox::start(SandboxConfig {
            credential_seed: Some(seed),
            ..Default::default()
        })
    };
    let (a, b) = (start([3; 32]).await.unwrap(), start([3; 32]).await.unwrap());
    let other = start([4; 32]).await.unwrap();
    let demo = a.demo_accounts();
    let again = b.demo_accounts();
    assert_eq!(demo.mini_program_appid, again.mini_program_appid);
    assert_eq!(demo.mini_program_secret, again.mini_program_secret);
    assert_eq!(demo.component_appid, again.component_appid);
    assert_eq!(demo.component_secret, again.component_secret);
    assert_eq!(demo.component_token, again.component_token);
    assert_eq!(
        demo.component_encoding_aes_key,
        again.component_encoding_aes_key
    );
    assert_eq!(demo.authorizer_appid, again.authorizer_appid);
    assert_ne!(demo.ticket, again.ticket, "tickets and tokens stay random");
    assert_ne!(
        demo.mini_program_secret,
        other.demo_accounts().mini_program_secret
    );
    let appid = "wx0123456789abcdef";
    assert_eq!(a.mirror_app(appid).unwrap(), b.mirror_app(appid).unwrap());
    assert_ne!(
        a.mirror_app(appid).unwrap(),
        other.mirror_app(appid).unwrap()
    );
    // The seeded demo accounts work like random ones.
    let v = get(
        &b,
        &format!(
            "/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            again.mini_program_appid, again.mini_program_secret
        ),
    )
    .await;
    assert_payload(&v);
    wxdesk_wechat::crypto::push::PushCrypto::new(
        &again.component_token,
        &again.component_encoding_aes_key,
        &again.component_appid,
    )
    .unwrap();
    for sb in [a, b, other] {
        sb.shutdown().await;
    }
}
