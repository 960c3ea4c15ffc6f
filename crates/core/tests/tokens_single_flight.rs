//! Token manager single flight: concurrent callers in one process, and
//! processes sharing one database (lease, take-over, waiting for a writer),
//! cause one fetch.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use wxdesk_core::store::token_rows as token_store;
use wxdesk_core::token_types::{AppTokenMode, TokenKind, TokenSource};
use wxdesk_sandbox::{Fault, FaultKind};

const STABLE: &str = "cgi-bin/stable_token";

/// `per_desk` concurrent callers of `appid`'s stable token on each of
/// `desks`, all spawned before any is awaited: their results, in order.
async fn stable_tokens(
    desks: &[Arc<wxdesk_core::Desk>],
    per_desk: usize,
    appid: &str,
) -> Vec<wxdesk_core::Result<String>> {
    let mut tasks = Vec::new();
    for d in desks {
        for _ in 0..per_desk {
            let d = d.clone();
            let appid = appid.to_string();
            tasks.push(tokio::spawn(async move {
                d.app_token(&appid, AppTokenMode::Stable, false)
                    .await
                    .map(|g| g.token.to_string())
            }));
        }
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// [`stable_tokens`], which must all succeed.
async fn stable_tokens_ok(
    desks: &[Arc<wxdesk_core::Desk>],
    per_desk: usize,
    appid: &str,
) -> Vec<String> {
    let results = stable_tokens(desks, per_desk, appid).await;
    results.into_iter().map(Result::unwrap).collect()
}

/// A lease on `appid`'s stable token held by `holder` for `secs` seconds.
fn hold_lease(desk: &wxdesk_core::Desk, appid: &str, holder: &str, secs: i64) {
    let now = desk.now();
    desk.store()
        .write(|tx| {
            token_store::try_lease(
                tx,
                desk.scope(),
                TokenKind::AppStable,
                appid,
                holder,
                now,
                now + secs,
                false,
            )
        })
        .unwrap();
}

/// A sandbox whose stable-token answers take 200 ms, and a desk holding
/// one app: `(world, desk, appid)`.
async fn slow_app() -> (World, Arc<wxdesk_core::Desk>, String) {
    let w = World::start().await;
    let desk = Arc::new(w.desk());
    let (appid, _) = seed_app(&w, &desk);
    w.sandbox
        .set_fault(Fault::new(STABLE, FaultKind::Latency { ms: 200 }));
    (w, desk, appid)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_callers_cause_one_fetch() {
    let (w, desk, appid) = slow_app().await;
    let tokens = stable_tokens_ok(&[desk], 200, &appid).await;
    assert_eq!(w.sandbox.counter(STABLE), 1);
    assert!(tokens.iter().all(|t| *t == tokens[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_queued_behind_a_failed_fetch_share_its_error() {
    let (w, desk, appid) = slow_app().await;
    w.sandbox.set_fault(Fault::new(
        STABLE,
        FaultKind::Errcode {
            errcode: 40164,
            errmsg: "invalid ip 1.2.3.4, not in whitelist".into(),
        },
    ));
    for r in stable_tokens(&[desk], 50, &appid).await {
        assert_eq!(r.unwrap_err().errcode(), Some(40164));
    }
    assert_eq!(
        w.sandbox.counter(STABLE),
        1,
        "queued callers reuse the failure instead of hammering WeChat"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_processes_on_one_database_cause_one_fetch() {
    let w = World::start().await;
    let first = w.desk();
    let (appid, _) = seed_app(&w, &first);
    let mut desks = vec![Arc::new(first)];
    for _ in 1..20 {
        desks.push(Arc::new(w.desk()));
    }
    w.sandbox
        .set_fault(Fault::new(STABLE, FaultKind::Latency { ms: 300 }));
    let tokens = stable_tokens_ok(&desks, 5, &appid).await;
    assert_eq!(w.sandbox.counter(STABLE), 1);
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    // The lease was released.
    let lease = desks[0]
        .store()
        .read(|c| token_store::lease(c, desks[0].scope(), TokenKind::AppStable, &appid))
        .unwrap();
    assert!(lease.is_none());
}

#[tokio::test]
async fn a_dead_holders_lease_is_taken_over_when_it_expires() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    // A process took the lease and died.
    hold_lease(&desk, &appid, "dead-process", 2);
    let t0 = Instant::now();
    let g = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    assert!(
        t0.elapsed() >= Duration::from_millis(900),
        "waited for the lease: {:?}",
        t0.elapsed()
    );
    assert!(t0.elapsed() < Duration::from_secs(10));
    assert_eq!(w.sandbox.counter(STABLE), 1);
}

#[tokio::test]
async fn a_waiter_takes_the_token_another_process_wrote() {
    let w = World::start().await;
    let desk = w.desk();
    let other = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    hold_lease(&desk, &appid, "other-process", 30);
    let waiter = async {
        desk.app_token(&appid, AppTokenMode::Stable, false)
            .await
            .unwrap()
    };
    let writer = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        other
            .store()
            .write(|tx| {
                wxdesk_core::token_types::cache_token(
                    tx,
                    other.vault(),
                    other.scope(),
                    &wxdesk_core::token_types::IssuedToken {
                        kind: TokenKind::AppStable,
                        owner: &appid,
                        value: "token-written-elsewhere",
                        expires_in: 7200,
                        source: STABLE,
                    },
                )?;
                token_store::release_lease(
                    tx,
                    other.scope(),
                    TokenKind::AppStable,
                    &appid,
                    "other-process",
                )
            })
            .unwrap();
    };
    let (g, ()) = tokio::join!(waiter, writer);
    assert_eq!(g.source, TokenSource::Cache);
    assert_eq!(*g.token, "token-written-elsewhere");
    assert_eq!(w.sandbox.counter(STABLE), 0);
}
