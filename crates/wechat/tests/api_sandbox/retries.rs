//! Retry rules and transport faults: what is retried, what never is, and
//! how faults map to typed errors.

use std::time::Duration;

use wxdesk_sandbox::{Fault, FaultKind, SandboxHandle};
use wxdesk_wechat::api::login::CodeToSessionRequest;
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

use crate::common::*;

/// WeChat's `errcode -1` ("system error") on `endpoint`, `times` times
/// (`None`: until cleared).
fn system_error(endpoint: &str, times: Option<u32>) -> Fault {
    Fault {
        endpoint: endpoint.into(),
        kind: FaultKind::Errcode {
            errcode: -1,
            errmsg: "system error".into(),
        },
        times,
    }
}

/// `jscode2session` of [`APP`] with `js_code`, which must fail: its errcode,
/// and how many requests reached the sandbox (retries included).
async fn failed_code_to_session(c: &Client, sb: &SandboxHandle, js_code: &str) -> (i64, u64) {
    let before = sb.counter("sns/jscode2session");
    let request = CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code,
    };
    let code = errcode(c.code_to_session(&request).await);
    (code, sb.counter("sns/jscode2session") - before)
}

#[tokio::test]
async fn retries_follow_the_rules() {
    let sb = sandbox().await;
    let c = client(&sb);
    // errcode -1 on a safe call: retried, then succeeds.
    sb.set_fault(system_error("cgi-bin/stable_token", Some(1)));
    let before = sb.counter("cgi-bin/stable_token");
    c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 2);
    // errcode -1 forever: bounded (3 attempts), then the error.
    sb.set_fault(system_error("cgi-bin/stable_token", None));
    let before = sb.counter("cgi-bin/stable_token");
    assert_eq!(
        errcode(c.stable_access_token(APP, APP_SECRET, false).await),
        -1
    );
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 3);
    sb.clear_faults();
    // errcode -1 on a single-use code: never retried.
    sb.set_fault(system_error("sns/jscode2session", Some(1)));
    let code = sb.issue_js_code(APP, None);
    assert_eq!(failed_code_to_session(&c, &sb, &code.code).await, (-1, 1));
    // A force refresh is never repeated either.
    sb.set_fault(system_error("cgi-bin/stable_token", Some(1)));
    let before = sb.counter("cgi-bin/stable_token");
    assert_eq!(
        errcode(c.stable_access_token(APP, APP_SECRET, true).await),
        -1
    );
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 1);
    sb.clear_faults();
    // Other errcodes are not retried.
    assert_eq!(failed_code_to_session(&c, &sb, "bogus").await, (40029, 1));
}

#[tokio::test]
async fn transport_faults_map_to_typed_errors_without_retry() {
    let sb = sandbox().await;
    let c = client(&sb);
    type Check = fn(&Error) -> bool;
    let cases: Vec<(FaultKind, Check)> = vec![
        (FaultKind::Status { code: 502 }, |e| {
            matches!(e, Error::Http { status: 502, .. })
        }),
        (
            FaultKind::MalformedJson,
            |e| matches!(e, Error::Decode { body, .. } if !body.is_empty()),
        ),
        (FaultKind::ConnectionReset, |e| {
            matches!(e, Error::Transport { .. } | Error::Decode { .. })
        }),
        (FaultKind::SlowBody { ms: 5_000 }, |e| {
            matches!(e, Error::Timeout { .. })
        }),
    ];
    for (kind, check) in cases {
        sb.set_fault(Fault {
            endpoint: "cgi-bin/stable_token".into(),
            kind: kind.clone(),
            times: None,
        });
        let before = sb.counter("cgi-bin/stable_token");
        let err = c
            .stable_access_token(APP, APP_SECRET, false)
            .await
            .err()
            .expect("fault must fail");
        assert!(check(&err), "{kind:?} gave {err:?}");
        assert_eq!(
            sb.counter("cgi-bin/stable_token") - before,
            1,
            "{kind:?} must not be retried"
        );
        // Errors never leak the secret that was in the request.
        assert!(!format!("{err} {err:?}").contains(APP_SECRET));
        sb.clear_faults();
    }
    // Latency alone only delays.
    sb.set_fault(Fault {
        endpoint: "*".into(),
        kind: FaultKind::Latency { ms: 150 },
        times: None,
    });
    let t0 = std::time::Instant::now();
    c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_single_use_codes() {
    // A port nothing listens on: the request never reaches anyone.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(ClientConfig {
        bases: Bases::single(&format!("http://127.0.0.1:{port}")).unwrap(),
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_millis(500),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(40),
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let t0 = std::time::Instant::now();
    let r = c
        .code_to_session(&CodeToSessionRequest {
            appid: APP,
            secret: APP_SECRET,
            js_code: "abc",
        })
        .await;
    assert!(
        matches!(r, Err(Error::Connect { .. })),
        "{r:?}",
        r = r.as_ref().err()
    );
    // Two backoff delays (20 ms + 40 ms) prove three attempts were made.
    assert!(t0.elapsed() >= Duration::from_millis(60));
}
