//! Token manager against the sandbox: caching, early refresh, modes, force
//! budget, one retry on stale tokens, single flight in and across processes,
//! component tickets and authorizer refresh tokens.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use wxdesk_core::store::{authorizers, token_rows as token_store};
use wxdesk_core::token_types::{
    authorizer_owner, beijing_day_start, AppTokenMode, TokenKind, TokenSource,
};
use wxdesk_core::{Desk, Environment, Error};
use wxdesk_sandbox::{AuthorizeSeed, Fault, FaultKind};

const STABLE: &str = "cgi-bin/stable_token";
const LEGACY: &str = "cgi-bin/token";
const QUOTA: &str = "cgi-bin/openapi/quota/get";
const COMPONENT: &str = "cgi-bin/component/api_component_token";
const AUTHORIZER: &str = "cgi-bin/component/api_authorizer_token";

fn quota_call(
    desk: &Desk,
    appid: &str,
) -> impl Fn(
    String,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = wxdesk_wechat::Result<i64>> + Send>> {
    let client = desk.client().clone();
    let appid = appid.to_string();
    move |t: String| {
        let client = client.clone();
        let appid = appid.clone();
        Box::pin(async move {
            client
                .api_quota(&appid, &t, "/cgi-bin/stable_token")
                .await
                .map(|q| q.used)
        })
    }
}

#[tokio::test]
async fn cache_hit_and_miss() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);

    let first = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(first.source, TokenSource::Fresh);
    assert_eq!(first.kind, TokenKind::AppStable);
    assert_eq!(first.endpoint, STABLE);
    assert!(first.warning.is_none());
    assert!((7190..=7200).contains(&first.expires_in()));
    assert_eq!(w.sandbox.counter(STABLE), 1);

    let second = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(second.source, TokenSource::Cache);
    assert_eq!(*second.token, *first.token);
    assert_eq!(
        w.sandbox.counter(STABLE),
        1,
        "a cached token must not call WeChat"
    );

    // Another "process" on the same file reads the same cache.
    let other = w.desk();
    let third = other
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(third.source, TokenSource::Cache);
    assert_eq!(*third.token, *first.token);
    assert_eq!(w.sandbox.counter(STABLE), 1);

    // The value is sealed at rest.
    let row = desk
        .store()
        .read(|c| token_store::get(c, desk.scope(), TokenKind::AppStable, &appid))
        .unwrap()
        .unwrap();
    assert!(!row.value.0.contains(first.token.as_str()));
    assert_eq!(row.source, STABLE);

    // Unknown apps and bad appids are refused before anything is sent.
    let unknown = desk
        .app_token(&random_appid(), AppTokenMode::Stable, false)
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "not_found");
    let bad = desk
        .app_token("wx123", AppTokenMode::Stable, false)
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "invalid_input");
    assert_eq!(w.sandbox.counter(STABLE), 1);
}

#[tokio::test]
async fn refreshes_early_when_less_than_five_minutes_remain() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    let first = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();

    // 302 s (or 301) left: still served from the cache.
    w.advance(&[&desk], Duration::from_secs(7200 - 302));
    let cached = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(cached.source, TokenSource::Cache);
    assert_eq!(w.sandbox.counter(STABLE), 1);

    // Under 300 s left: refreshed; WeChat's normal mode rotates in that window.
    w.advance(&[&desk], Duration::from_secs(4));
    let fresh = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(fresh.source, TokenSource::Fresh);
    assert_ne!(*fresh.token, *first.token);
    assert_eq!(w.sandbox.counter(STABLE), 2);
    let status = desk.cached_tokens().unwrap();
    let mine = status.iter().find(|s| s.owner == appid).unwrap();
    assert!(mine.usable);
    assert!(mine.expires_in > 7000);
}

#[tokio::test]
async fn stable_default_does_not_rotate_production_token() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, secret) = seed_app(&w, &desk);
    // Production fetched its token in normal mode.
    let prod = desk
        .client()
        .stable_access_token(&appid, &secret, false)
        .await
        .unwrap();

    let grant = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(
        *grant.token, prod.access_token,
        "normal mode hands back the token production holds"
    );
    // Production's token still works.
    desk.client()
        .api_quota(&appid, &prod.access_token, "/cgi-bin/stable_token")
        .await
        .unwrap();
}

#[tokio::test]
async fn legacy_mode_warns_that_it_replaced_production_token() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, secret) = seed_app(&w, &desk);
    let prod = desk
        .client()
        .legacy_access_token(&appid, &secret)
        .await
        .unwrap();

    let grant = desk
        .app_token(&appid, AppTokenMode::Legacy, false)
        .await
        .unwrap();
    assert_eq!(grant.kind, TokenKind::AppLegacy);
    assert_eq!(grant.source, TokenSource::Fresh);
    assert_eq!(grant.endpoint, LEGACY);
    assert_ne!(*grant.token, prod.access_token);
    let view = Desk::token_view(&grant, false);
    let warning = view.warning.clone().unwrap();
    assert!(warning.contains("production"), "{warning}");
    assert!(!view.token.contains(grant.token.as_str()));
    assert!(view.token.ends_with('…'));
    assert!(!view.revealed);
    let revealed = Desk::token_view(&grant, true);
    assert_eq!(revealed.token, *grant.token);

    // The legacy cache is separate from the stable cache, and a cached legacy token mints nothing.
    let again = desk
        .app_token(&appid, AppTokenMode::Legacy, false)
        .await
        .unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert!(Desk::token_view(&again, false).warning.is_none());
    assert_eq!(w.sandbox.counter(LEGACY), 2);
    assert_eq!(w.sandbox.counter(STABLE), 0);

    // What the warning says is true: after the grace period production's token is dead.
    w.advance(&[&desk], Duration::from_secs(301));
    let err = desk
        .client()
        .api_quota(&appid, &prod.access_token, "/cgi-bin/token")
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(40001));
}

#[tokio::test]
async fn force_refresh_budget_is_counted_locally() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    // Start just after a Beijing midnight so the test never straddles one.
    let now = desk.now();
    let to_midnight = beijing_day_start(now) + 86_400 - now + 60;
    w.advance(&[&desk], Duration::from_secs(to_midnight as u64));

    let first = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    let forced = desk
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap();
    assert_eq!(forced.source, TokenSource::Fresh);
    assert_ne!(*forced.token, *first.token);
    assert!(forced.warning.as_deref().unwrap().contains("production"));
    assert_eq!(w.sandbox.counter(STABLE), 2);

    // Within 30 s: refused locally, nothing sent — by this desk and by another process.
    let err = desk
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ForceRefused(_)), "{err:?}");
    assert!(
        err.to_string().contains("wait 30 s") || err.to_string().contains("wait 29 s"),
        "{err}"
    );
    assert!(err.to_string().contains("19 of 20 left"), "{err}");
    let other = w.desk();
    let err = other
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "force_refused");
    assert_eq!(w.sandbox.counter(STABLE), 2);
    // A refused force leaves the cached token alone.
    let cached = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(cached.source, TokenSource::Cache);
    assert_eq!(*cached.token, *forced.token);

    // 19 more, 31 s apart: all pass.
    for i in 2..=20 {
        w.advance(&[&desk], Duration::from_secs(31));
        let g = desk
            .app_token(&appid, AppTokenMode::Stable, true)
            .await
            .unwrap_or_else(|e| panic!("force {i}: {e}"));
        assert_eq!(g.source, TokenSource::Fresh);
    }
    assert_eq!(w.sandbox.counter(STABLE), 21);

    // The 21st is refused locally with the time to wait.
    w.advance(&[&desk], Duration::from_secs(31));
    let err = desk
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "force_refused");
    assert!(err.to_string().contains("all 20"), "{err}");
    assert!(err.to_string().contains("0 of 20 left"), "{err}");
    assert_eq!(
        w.sandbox.counter(STABLE),
        21,
        "the refused force must not reach WeChat"
    );
    assert!(err.hint().unwrap().contains("20 a day"));

    // Normal mode needs no budget.
    desk.app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();

    // A new Beijing day brings the budget back.
    w.advance(&[&desk], Duration::from_secs(86_400));
    desk.app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_force_that_wechat_rejected_is_not_counted() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    w.sandbox.set_fault(
        Fault::new(
            STABLE,
            FaultKind::Errcode {
                errcode: 45011,
                errmsg: "api minute-quota reach limit".into(),
            },
        )
        .times(1),
    );
    let err = desk
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(45011));
    // Not counted: the next force goes through at once.
    let g = desk
        .app_token(&appid, AppTokenMode::Stable, true)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    let (n, _) = desk
        .store()
        .read(|c| token_store::forces_since(c, desk.scope(), &appid, 0))
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn token_rotated_behind_our_back_is_refreshed_once_and_retried() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, secret) = seed_app(&w, &desk);
    let old = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    // Someone force-rotates: our cached token dies at once.
    let rotated = desk
        .client()
        .stable_access_token(&appid, &secret, true)
        .await
        .unwrap();
    assert_ne!(rotated.access_token, *old.token);
    w.sandbox.reset_counters();

    let used = desk
        .with_app_token(&appid, quota_call(&desk, &appid))
        .await
        .unwrap();
    assert!(used >= 0);
    assert_eq!(w.sandbox.counter(QUOTA), 2, "one failed call, one retry");
    assert_eq!(w.sandbox.counter(STABLE), 1, "exactly one refresh");
    let now = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(now.source, TokenSource::Cache);
    assert_eq!(*now.token, rotated.access_token);
}

#[tokio::test]
async fn injected_40001_once_costs_one_refresh_and_one_retry() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    desk.app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    w.sandbox.reset_counters();
    w.sandbox.set_fault(
        Fault::new(
            QUOTA,
            FaultKind::Errcode {
                errcode: 40001,
                errmsg: "invalid credential".into(),
            },
        )
        .times(1),
    );
    desk.with_app_token(&appid, quota_call(&desk, &appid))
        .await
        .unwrap();
    assert_eq!(w.sandbox.counter(QUOTA), 2);
    assert_eq!(w.sandbox.counter(STABLE), 1);
}

#[tokio::test]
async fn never_loops_on_a_token_that_keeps_failing() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    desk.app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    w.sandbox.reset_counters();
    w.sandbox.set_fault(Fault::new(
        QUOTA,
        FaultKind::Errcode {
            errcode: 42001,
            errmsg: "access_token expired".into(),
        },
    ));
    let err = desk
        .with_app_token(&appid, quota_call(&desk, &appid))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(42001));
    assert_eq!(w.sandbox.counter(QUOTA), 2, "exactly two business calls");
    assert_eq!(w.sandbox.counter(STABLE), 1, "exactly one refresh");
    // Other errors are returned as they are, without a refresh.
    w.sandbox.clear_faults();
    w.sandbox.set_fault(Fault::new(
        QUOTA,
        FaultKind::Errcode {
            errcode: 45009,
            errmsg: "reach max api daily quota limit".into(),
        },
    ));
    w.sandbox.reset_counters();
    let err = desk
        .with_app_token(&appid, quota_call(&desk, &appid))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(45009));
    assert_eq!(w.sandbox.counter(QUOTA), 1);
    assert_eq!(w.sandbox.counter(STABLE), 0);
}

#[tokio::test]
async fn compare_and_delete_keeps_a_newer_token() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    let g = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert!(!desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, "some-older-token")
        .unwrap());
    assert_eq!(
        desk.app_token(&appid, AppTokenMode::Stable, false)
            .await
            .unwrap()
            .source,
        TokenSource::Cache
    );
    assert!(desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, &g.token)
        .unwrap());
    assert!(!desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, &g.token)
        .unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_callers_cause_one_fetch() {
    let w = World::start().await;
    let desk = Arc::new(w.desk());
    let (appid, _) = seed_app(&w, &desk);
    w.sandbox
        .set_fault(Fault::new(STABLE, FaultKind::Latency { ms: 200 }));
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let desk = desk.clone();
        let appid = appid.clone();
        tasks.push(tokio::spawn(async move {
            desk.app_token(&appid, AppTokenMode::Stable, false)
                .await
                .map(|g| g.token.to_string())
        }));
    }
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.unwrap().unwrap());
    }
    assert_eq!(w.sandbox.counter(STABLE), 1);
    assert!(tokens.iter().all(|t| *t == tokens[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn callers_queued_behind_a_failed_fetch_share_its_error() {
    let w = World::start().await;
    let desk = Arc::new(w.desk());
    let (appid, _) = seed_app(&w, &desk);
    w.sandbox
        .set_fault(Fault::new(STABLE, FaultKind::Latency { ms: 200 }));
    w.sandbox.set_fault(Fault::new(
        STABLE,
        FaultKind::Errcode {
            errcode: 40164,
            errmsg: "invalid ip 1.2.3.4, not in whitelist".into(),
        },
    ));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let desk = desk.clone();
        let appid = appid.clone();
        tasks.push(tokio::spawn(async move {
            desk.app_token(&appid, AppTokenMode::Stable, false).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap_err().errcode(), Some(40164));
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
    let mut tasks = Vec::new();
    for d in &desks {
        for _ in 0..5 {
            let d = d.clone();
            let appid = appid.clone();
            tasks.push(tokio::spawn(async move {
                d.app_token(&appid, AppTokenMode::Stable, false)
                    .await
                    .map(|g| g.token.to_string())
            }));
        }
    }
    let mut tokens = Vec::new();
    for t in tasks {
        tokens.push(t.await.unwrap().unwrap());
    }
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
    let now = desk.now();
    desk.store()
        .write(|tx| {
            token_store::try_lease(
                tx,
                desk.scope(),
                TokenKind::AppStable,
                &appid,
                "dead-process",
                now,
                now + 2,
                false,
            )
        })
        .unwrap();
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
    let now = desk.now();
    desk.store()
        .write(|tx| {
            token_store::try_lease(
                tx,
                desk.scope(),
                TokenKind::AppStable,
                &appid,
                "other-process",
                now,
                now + 30,
                false,
            )
        })
        .unwrap();
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
                    TokenKind::AppStable,
                    &appid,
                    "token-written-elsewhere",
                    7200,
                    STABLE,
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

#[tokio::test]
async fn component_token_needs_a_fresh_ticket() {
    let w = World::start().await;
    let desk = w.desk();
    let (component, _) = seed_component(&w, &desk);

    let err = desk.component_token(&component, false).await.unwrap_err();
    match &err {
        Error::TicketUnavailable {
            component: c,
            reason,
        } => {
            assert_eq!(c, &component);
            assert_eq!(reason, "no component_verify_ticket has been received");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.hint().unwrap().contains("start-push"));
    assert_eq!(w.sandbox.counter(COMPONENT), 0);

    deliver_ticket(&w, &desk, &component);
    let g = desk.component_token(&component, false).await.unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    assert_eq!(g.kind, TokenKind::Component);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // A new ticket does not throw away a valid token.
    deliver_ticket(&w, &desk, &component);
    let again = desk.component_token(&component, false).await.unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert_eq!(*again.token, *g.token);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // 13 h later the token and the newest ticket have both expired.
    w.advance(&[&desk], Duration::from_secs(13 * 3600));
    let err = desk.component_token(&component, false).await.unwrap_err();
    match &err {
        Error::TicketUnavailable { reason, .. } => {
            assert_eq!(
                reason,
                "the newest component_verify_ticket is 13 h old (tickets last 12 h)"
            )
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(w.sandbox.counter(COMPONENT), 1);

    // The next push fixes it.
    deliver_ticket(&w, &desk, &component);
    let g2 = desk.component_token(&component, false).await.unwrap();
    assert_eq!(g2.source, TokenSource::Fresh);
    assert_ne!(*g2.token, *g.token);

    // Force always asks WeChat.
    let forced = desk.component_token(&component, true).await.unwrap();
    assert_eq!(forced.source, TokenSource::Fresh);
    assert_eq!(w.sandbox.counter(COMPONENT), 3);
}

#[tokio::test]
async fn authorizer_token_from_the_refresh_token() {
    let w = World::start().await;
    let desk = w.desk();
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(&w, &desk, 1);
    let (appid, refresh) = authorizers[0].clone();

    let g = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);
    assert_eq!(g.kind, TokenKind::Authorizer);
    assert_eq!(g.owner, authorizer_owner(&component, &appid));
    assert_eq!(g.owner, format!("{component}/{appid}"));
    assert_eq!(w.sandbox.counter(AUTHORIZER), 1);
    assert_eq!(w.sandbox.counter(COMPONENT), 1);
    let again = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert_eq!(w.sandbox.counter(AUTHORIZER), 1);
    assert_eq!(stored_refresh_token(&desk, &component, &appid), refresh);

    // The token works on mini-program APIs for the authorizer.
    let used = desk
        .with_authorizer_token(&component, &appid, |t| {
            let client = desk.client().clone();
            let appid = appid.clone();
            async move { client.api_quota(&appid, &t, "/wxa/checksession").await }
        })
        .await
        .unwrap();
    assert_eq!(used.used, 0);

    // The merchant re-authorizes: the stored refresh token is now invalid (61023), nothing is marked.
    let re = w
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: component.clone(),
            authorizer_appid: Some(appid.clone()),
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap();
    let err = desk
        .authorizer_token(&component, &appid, true)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61023));
    assert!(err.hint().is_some());
    let row = desk
        .store()
        .read(|c| authorizers::require(c, &component, &appid))
        .unwrap();
    assert_eq!(row.status, authorizers::AuthorizerStatus::Active);
    // Once the new refresh token is synced, refreshing works again.
    store_authorizer(&desk, &component, &appid, &re.refresh_token);
    let g = desk
        .authorizer_token(&component, &appid, true)
        .await
        .unwrap();
    assert_eq!(g.source, TokenSource::Fresh);

    // A revoked authorizer is refused without calling WeChat.
    let before = w.sandbox.counter(AUTHORIZER);
    desk.store()
        .write(|tx| authorizers::mark_revoked(tx, &component, &appid, desk.now()))
        .unwrap();
    let err = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Revoked(ref a) if *a == appid),
        "{err:?}"
    );
    assert_eq!(w.sandbox.counter(AUTHORIZER), before);
}

#[tokio::test]
async fn unauthorized_answer_61003_is_returned_as_is() {
    let w = World::start().await;
    let desk = w.desk();
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(&w, &desk, 1);
    let (appid, _) = authorizers[0].clone();
    w.sandbox.unauthorize(&component, &appid).unwrap();
    let err = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61003));
    let row = desk
        .store()
        .read(|c| authorizers::require(c, &component, &appid))
        .unwrap();
    assert_eq!(
        row.status,
        authorizers::AuthorizerStatus::Active,
        "nothing is marked automatically"
    );
}

#[tokio::test]
async fn a_rotated_refresh_token_is_saved_with_the_token() {
    let component = random_appid();
    let appid = random_appid();
    let server = Scripted::start(vec![
        (
            "/cgi-bin/component/api_component_token",
            r#"{"component_access_token":"scripted-component-token-0123456789","expires_in":7200}"#.to_string(),
        ),
        (
            "/cgi-bin/component/api_authorizer_token",
            r#"{"authorizer_access_token":"scripted-authorizer-token-0123456789","expires_in":7200,"authorizer_refresh_token":"refreshtoken@@@rotated-by-wechat"}"#.to_string(),
        ),
    ])
    .await;
    let dir = tempfile::tempdir().unwrap();
    let desk = open_desk(&dir.path().join("wxdesk.db"), &server.base);
    assert!(matches!(desk.env(), Environment::Sandbox { .. }));
    store_component(&desk, &component, "component-secret");
    store_ticket(&desk, &component, "ticket@@@from-push", desk.now());
    store_authorizer(&desk, &component, &appid, "refreshtoken@@@original");

    let g = desk
        .authorizer_token(&component, &appid, false)
        .await
        .unwrap();
    assert_eq!(*g.token, "scripted-authorizer-token-0123456789");
    assert_eq!(
        stored_refresh_token(&desk, &component, &appid),
        "refreshtoken@@@rotated-by-wechat"
    );
    assert_eq!(server.count("/cgi-bin/component/api_authorizer_token"), 1);
}

#[tokio::test]
async fn account_token_picks_app_or_authorizer() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, _) = seed_app(&w, &desk);
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(&w, &desk, 1);
    let (authorizer, _) = authorizers[0].clone();

    let seen = |desk: &Desk, appid: String| {
        let client = desk.client().clone();
        move |t: String| {
            let client = client.clone();
            let appid = appid.clone();
            async move {
                client
                    .api_quota(&appid, &t, "/wxa/checksession")
                    .await
                    .map(|_| t)
            }
        }
    };
    let t = desk
        .with_account_token(&app, seen(&desk, app.clone()))
        .await
        .unwrap();
    assert_eq!(
        t,
        *desk
            .app_token(&app, AppTokenMode::Stable, false)
            .await
            .unwrap()
            .token
    );
    let t = desk
        .with_account_token(&authorizer, seen(&desk, authorizer.clone()))
        .await
        .unwrap();
    assert_eq!(
        t,
        *desk
            .authorizer_token(&component, &authorizer, false)
            .await
            .unwrap()
            .token
    );

    let unknown = random_appid();
    let err = desk
        .with_account_token(&unknown, seen(&desk, unknown.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("wxdesk app add"), "{err}");

    // An app saved without its secret (a secret-less import) that is also an
    // authorizer uses the authorizer token.
    desk.store()
        .write(|tx| {
            wxdesk_core::store::apps::insert(
                tx,
                &wxdesk_core::store::apps::AppRow {
                    appid: authorizer.clone(),
                    name: "imported".into(),
                    secret: None,
                    created_at: 0,
                    updated_at: 0,
                },
            )
        })
        .unwrap();
    let t = desk
        .with_account_token(&authorizer, seen(&desk, authorizer.clone()))
        .await
        .unwrap();
    assert_eq!(
        t,
        *desk
            .authorizer_token(&component, &authorizer, false)
            .await
            .unwrap()
            .token
    );

    desk.store()
        .write(|tx| authorizers::mark_revoked(tx, &component, &authorizer, desk.now()))
        .unwrap();
    let err = desk
        .with_account_token(&authorizer, seen(&desk, authorizer.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("secret"), "{err}");
    desk.store()
        .write(|tx| wxdesk_core::store::apps::delete(tx, &authorizer))
        .unwrap();
    let err = desk
        .with_account_token(&authorizer, seen(&desk, authorizer.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "revoked");
}

#[tokio::test]
async fn dashboard_status_never_shows_values() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    let g = desk
        .app_token(&appid, AppTokenMode::Stable, false)
        .await
        .unwrap();
    let status = desk.cached_tokens().unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].kind, TokenKind::AppStable);
    assert_eq!(status[0].source, STABLE);
    assert!(status[0].usable);
    let json = serde_json::to_string(&status).unwrap();
    assert!(!json.contains(g.token.as_str()));
    let view = serde_json::to_value(Desk::token_view(&g, false)).unwrap();
    assert_eq!(view["source"], "fresh");
    assert_eq!(view["kind"], "app_stable");
    assert!(!view.to_string().contains(g.token.as_str()));

    // A token for the sandbox is not offered in another environment.
    let other = open_desk(&w.db_path(), "http://127.0.0.1:9");
    assert!(other.cached_tokens().unwrap().is_empty());
}
