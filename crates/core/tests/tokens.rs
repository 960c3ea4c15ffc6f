//! Token manager against the sandbox: caching, early refresh, modes, force
//! budget, one retry on stale tokens. Single flight is in
//! `tokens_single_flight.rs`; component and authorizer tokens in `tokens_platform.rs`.

mod common;

use std::time::Duration;

use common::*;
use wxdesk_core::store::token_rows as token_store;
use wxdesk_core::token_types::{
    beijing_day_start, AppTokenMode, TokenGrant, TokenKind, TokenSource,
};
use wxdesk_core::{Desk, Error};
use wxdesk_sandbox::{Fault, FaultKind};

const STABLE: &str = "cgi-bin/stable_token";
const LEGACY: &str = "cgi-bin/token";
const QUOTA: &str = "cgi-bin/openapi/quota/get";

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

/// A stable-mode token of `appid`, unforced, that must be granted.
async fn stable(desk: &Desk, appid: &str) -> TokenGrant {
    desk.app_token(appid, AppTokenMode::Stable, false)
        .await
        .unwrap()
}

#[tokio::test]
async fn cache_hit_and_miss() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);

    let first = stable(&desk, &appid).await;
    assert_eq!(first.source, TokenSource::Fresh);
    assert_eq!(first.kind, TokenKind::AppStable);
    assert_eq!(first.endpoint, STABLE);
    assert!(first.warning.is_none());
    assert!((7190..=7200).contains(&first.expires_in()));
    assert_eq!(w.sandbox.counter(STABLE), 1);

    let second = stable(&desk, &appid).await;
    assert_eq!(second.source, TokenSource::Cache);
    assert_eq!(*second.token, *first.token);
    assert_eq!(
        w.sandbox.counter(STABLE),
        1,
        "a cached token must not call WeChat"
    );

    // Another "process" on the same file reads the same cache.
    let other = w.desk();
    let third = stable(&other, &appid).await;
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
    let first = stable(&desk, &appid).await;

    // 302 s (or 301) left: still served from the cache.
    w.advance(&[&desk], Duration::from_secs(7200 - 302));
    let cached = stable(&desk, &appid).await;
    assert_eq!(cached.source, TokenSource::Cache);
    assert_eq!(w.sandbox.counter(STABLE), 1);

    // Under 300 s left: refreshed; WeChat's normal mode rotates in that window.
    w.advance(&[&desk], Duration::from_secs(4));
    let fresh = stable(&desk, &appid).await;
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

    let grant = stable(&desk, &appid).await;
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

    let first = stable(&desk, &appid).await;
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
    let cached = stable(&desk, &appid).await;
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
    stable(&desk, &appid).await;

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
    let old = stable(&desk, &appid).await;
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
    let now = stable(&desk, &appid).await;
    assert_eq!(now.source, TokenSource::Cache);
    assert_eq!(*now.token, rotated.access_token);
}

#[tokio::test]
async fn injected_40001_once_costs_one_refresh_and_one_retry() {
    let w = World::start().await;
    let desk = w.desk();
    let (appid, _) = seed_app(&w, &desk);
    stable(&desk, &appid).await;
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
    stable(&desk, &appid).await;
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
    let g = stable(&desk, &appid).await;
    assert!(!desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, "some-older-token")
        .unwrap());
    assert_eq!(stable(&desk, &appid).await.source, TokenSource::Cache);
    assert!(desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, &g.token)
        .unwrap());
    assert!(!desk
        .invalidate_token_if_current(TokenKind::AppStable, &appid, &g.token)
        .unwrap());
}
