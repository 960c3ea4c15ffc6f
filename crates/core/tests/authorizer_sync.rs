//! Authorizer lists at scale: the list sync reconciling additions, rotations
//! and revocations, and bulk refresh with bounded concurrency, progress and
//! cancellation.

mod push_support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use push_support::*;
use wxdesk_core::services::authorizers::{AuthorizerQuery, RefreshTarget};
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::Error;
use wxdesk_sandbox::{AccountKind, Fault, FaultKind};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_reconciles_ten_thousand_authorizers_quickly() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 10_000);
    assert_eq!(seeded.len(), 10_000);
    let last = Mutex::new((0usize, 0usize));
    let calls = AtomicUsize::new(0);
    let progress = |done: usize, total: usize| {
        calls.fetch_add(1, Ordering::SeqCst);
        *last.lock().unwrap() = (done, total);
    };
    let cancel = AtomicBool::new(false);
    let t0 = Instant::now();
    let report = env
        .desk
        .authorizer_sync(COMP, &progress, &cancel)
        .await
        .unwrap();
    let took = t0.elapsed();
    eprintln!("sync of 10,000 authorizers: {took:?}");
    assert_eq!(report.added, 10_000);
    assert_eq!(report.total, 10_000);
    assert_eq!(
        (
            report.updated_refresh_tokens,
            report.revoked,
            report.unchanged
        ),
        (0, 0, 0)
    );
    assert_eq!(*last.lock().unwrap(), (10_000, 10_000));
    assert!(
        calls.load(Ordering::SeqCst) >= 20,
        "one progress call per page"
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_list"),
        20
    );
    let (active, revoked) = env
        .desk
        .store()
        .read(|c| wxdesk_core::store::authorizers::counts(c, Some(COMP)))
        .unwrap();
    assert_eq!((active, revoked), (10_000, 0));

    // Rotate one, revoke one, add three: one transaction reconciles them all.
    let rotated = env
        .sandbox_authorize(Some(&seeded[7]), AccountKind::MiniProgram)
        .0;
    env.sandbox.unauthorize(COMP, &seeded[42]).unwrap();
    let added = env.sandbox.seed_authorizers(COMP, 3);

    let report = env
        .desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(report.updated_refresh_tokens, 1);
    assert_eq!(report.revoked, 1);
    assert_eq!(report.unchanged, 10_000 - 2);
    assert_eq!(report.total, 10_002);
    assert_eq!(
        env.stored_refresh_token(COMP, &seeded[7]),
        rotated.refresh_token
    );
    let gone = env.desk.authorizer_show(&seeded[42], Some(COMP)).unwrap();
    assert_eq!(
        gone.status,
        AuthorizerStatus::Revoked,
        "revoked rows are kept"
    );
    for appid in &added {
        assert_eq!(
            env.desk.authorizer_show(appid, Some(COMP)).unwrap().status,
            AuthorizerStatus::Active
        );
    }
    // Synced refresh tokens are usable.
    env.desk
        .authorizer_token(COMP, &added[0], false)
        .await
        .unwrap();
    env.desk
        .authorizer_token(COMP, &seeded[7], true)
        .await
        .unwrap();

    // A re-authorization after a revocation is an addition.
    env.sandbox_authorize(Some(&seeded[42]), AccountKind::MiniProgram);
    let report = env
        .desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(
        (report.added, report.revoked, report.updated_refresh_tokens),
        (1, 0, 0)
    );
    assert_eq!(
        env.desk
            .authorizer_show(&seeded[42], Some(COMP))
            .unwrap()
            .status,
        AuthorizerStatus::Active
    );
}

#[tokio::test]
async fn a_cancelled_sync_writes_nothing() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 1_200);
    let cancel = AtomicBool::new(false);
    let progress = |done: usize, _total: usize| {
        if done >= 500 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let err = env
        .desk
        .authorizer_sync(COMP, &progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(env
        .desk
        .authorizer_list(&AuthorizerQuery::default())
        .unwrap()
        .is_empty());
    let err = env
        .desk
        .authorizer_sync("wxffffffffffffffff", &no_progress, &AtomicBool::new(false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_all_with_bounded_concurrency_under_latency() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 1_000);
    let cancel = AtomicBool::new(false);
    env.desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    env.desk.component_token(COMP, false).await.unwrap();
    env.sandbox.reset_counters();
    env.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_authorizer_token",
        FaultKind::Latency { ms: 20 },
    ));

    let calls = AtomicUsize::new(0);
    let last = Mutex::new((0usize, 0usize));
    let progress = |done: usize, total: usize| {
        calls.fetch_add(1, Ordering::SeqCst);
        *last.lock().unwrap() = (done, total);
    };
    let t0 = Instant::now();
    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 16, &progress, &cancel)
        .await
        .unwrap();
    let took = t0.elapsed();
    eprintln!("refresh of 1,000 authorizers: {took:?}");
    // 1,000 calls of 20 ms one at a time would take 20 s; 16 at a time about 1.3 s.
    assert!(
        took >= Duration::from_millis(1_000 / 16 * 20),
        "concurrency is bounded: {took:?}"
    );
    assert_eq!(report.refreshed, 1_000, "{:?}", report.failed.first());
    assert!(report.failed.is_empty());
    assert_eq!(report.total, 1_000);
    assert!(!report.cancelled);
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token"),
        1_000
    );
    assert_eq!(*last.lock().unwrap(), (1_000, 1_000));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1_001,
        "once at the start, once per authorizer"
    );
    // Each token is now cached.
    let cached = env.desk.cached_tokens().unwrap();
    assert_eq!(
        cached
            .iter()
            .filter(|t| t.kind == wxdesk_core::token_types::TokenKind::Authorizer)
            .count(),
        1_000
    );
}

#[tokio::test]
async fn refresh_reports_failures_skips_revoked_and_can_be_cancelled() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 200);
    let cancel = AtomicBool::new(false);
    env.desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    // One re-authorizes behind the desk's back (its stored token is now stale), one revokes.
    env.sandbox_authorize(Some(&seeded[3]), AccountKind::MiniProgram);
    env.sandbox.unauthorize(COMP, &seeded[5]).unwrap();
    env.desk
        .store()
        .write(|tx| wxdesk_core::store::authorizers::mark_revoked(tx, COMP, &seeded[5], 1))
        .unwrap();

    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 8, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(report.total, 200);
    assert_eq!(report.skipped_revoked, 1);
    assert_eq!(report.refreshed, 198);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].appid, seeded[3]);
    assert_eq!(report.failed[0].errcode, Some(61023));
    assert_eq!(report.failed[0].code, "api");

    // One authorizer.
    let report = env
        .desk
        .authorizer_refresh(
            COMP,
            RefreshTarget::One(seeded[9].clone()),
            4,
            &no_progress,
            &cancel,
        )
        .await
        .unwrap();
    assert_eq!((report.total, report.refreshed), (1, 1));
    let err = env
        .desk
        .authorizer_refresh(
            COMP,
            RefreshTarget::One("wx9999999999999999".into()),
            4,
            &no_progress,
            &cancel,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 0, &no_progress, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "concurrency"));

    // Cancel after 20 done: the rest are not started. (Every token is
    // fresh now, so only a forced refresh of all has work to cancel.)
    env.sandbox.reset_counters();
    let progress = |done: usize, _: usize| {
        if done >= 20 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::AllForced, 4, &progress, &cancel)
        .await
        .unwrap();
    assert!(report.cancelled);
    assert!(report.not_started > 100, "{}", report.not_started);
    assert_eq!(
        report.refreshed + report.failed.len() + report.not_started,
        199
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token") as usize,
        report.refreshed + report.failed.len()
    );
}
