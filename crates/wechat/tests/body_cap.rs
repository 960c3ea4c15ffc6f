//! Every upstream response body is read up to a cap (8 MiB by default,
//! `ClientConfig::max_body_bytes`): a longer body — declared or streamed
//! without a length — is a clear error, and the client stops reading it
//! instead of buffering it. Authorizer-list paging is bounded too.

use std::time::{Duration, Instant};

use wxdesk_sandbox::{ComponentSeed, Fault, FaultKind, Sandbox, SandboxConfig, SandboxHandle};
use wxdesk_wechat::client::{RetryPolicy, DEFAULT_MAX_BODY_BYTES};
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

const APP: &str = "wx1111111111111111";
const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const COMP: &str = "wx2222222222222222";
const COMP_SECRET: &str = "fedcba9876543210fedcba9876543210";

async fn sandbox() -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig::default()).await.unwrap();
    sb.add_app(APP, APP_SECRET);
    sb.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: COMP_SECRET.into(),
        token: "msgtoken".into(),
        encoding_aes_key: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG".into(),
        push_url: None,
        name: None,
    });
    sb
}

fn client(sb: &SandboxHandle, cap: Option<usize>) -> Client {
    let mut config = ClientConfig {
        bases: Bases::single(&sb.base_url()).unwrap(),
        timeout: Duration::from_secs(20),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..ClientConfig::default()
    };
    if let Some(cap) = cap {
        config.max_body_bytes = cap;
    }
    Client::new(config).unwrap()
}

fn too_large<T>(r: Result<T, Error>) -> String {
    match r {
        Err(e @ Error::Decode { .. }) => {
            let text = e.to_string();
            assert!(text.contains("too large"), "{text}");
            assert!(text.contains("max_body_bytes"), "{text}");
            text
        }
        Err(other) => panic!("expected a too-large error, got {other}"),
        Ok(_) => panic!("expected a too-large error, got a success"),
    }
}

#[tokio::test]
async fn the_default_cap_is_8_mib_and_a_streamed_huge_body_is_cut_off() {
    assert_eq!(ClientConfig::default().max_body_bytes, 8 * 1024 * 1024);
    assert_eq!(DEFAULT_MAX_BODY_BYTES, 8 * 1024 * 1024);
    let sb = sandbox().await;
    // 1 GiB, streamed without a Content-Length: reading stops past 8 MiB.
    sb.set_fault(
        Fault::new(
            "cgi-bin/stable_token",
            FaultKind::HugeBody {
                bytes: 1024 * 1024 * 1024,
            },
        )
        .times(1),
    );
    let c = client(&sb, None);
    let t0 = Instant::now();
    let text = too_large(c.stable_access_token(APP, APP_SECRET, false).await);
    assert!(text.contains("8 MiB"), "{text}");
    // Reading 1 GiB would take far longer than reading 8 MiB (no timing target, a sanity bound).
    assert!(t0.elapsed() < Duration::from_secs(15), "{:?}", t0.elapsed());
    // The next call is served normally.
    let t = c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert!(!t.access_token.is_empty());
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_and_a_body_at_the_cap_is_read() {
    let sb = sandbox().await;
    let body = format!(
        r#"{{"access_token":"{}","expires_in":7200}}"#,
        "a".repeat(2000)
    );
    sb.set_fault(
        Fault::new(
            "cgi-bin/stable_token",
            FaultKind::Body { body: body.clone() },
        )
        .times(2),
    );
    let small = client(&sb, Some(1024));
    too_large(small.stable_access_token(APP, APP_SECRET, false).await);
    let exact = client(&sb, Some(body.len()));
    let t = exact
        .stable_access_token(APP, APP_SECRET, false)
        .await
        .unwrap();
    assert_eq!(t.access_token.len(), 2000);
}

#[tokio::test]
async fn an_absurd_authorizer_total_count_is_refused() {
    let sb = sandbox().await;
    let c = client(&sb, None);
    sb.set_fault(
        Fault::new(
            "cgi-bin/component/api_get_authorizer_list",
            FaultKind::Body {
                body: r#"{"total_count":1000000000000,"list":[]}"#.into(),
            },
        )
        .times(1),
    );
    let page = c.authorizer_list(COMP, "token", 0, 500).await.unwrap();
    let err = page.checked_total().unwrap_err();
    assert!(
        err.to_string().contains("total_count 1000000000000"),
        "{err}"
    );
    // A page longer than asked is refused.
    let rows: Vec<String> = (0..3)
        .map(|i| format!(r#"{{"authorizer_appid":"wx000000000000000{i}","refresh_token":"r{i}","auth_time":1}}"#))
        .collect();
    sb.set_fault(
        Fault::new(
            "cgi-bin/component/api_get_authorizer_list",
            FaultKind::Body {
                body: format!(r#"{{"total_count":3,"list":[{}]}}"#, rows.join(",")),
            },
        )
        .times(1),
    );
    let Err(err) = c.authorizer_list(COMP, "token", 0, 2).await else {
        panic!("a page longer than asked is refused")
    };
    assert!(err.to_string().contains("asked for 2 rows"), "{err}");
}
