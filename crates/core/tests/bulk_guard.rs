//! Bulk operations over every merchant of a platform do no harm in bulk:
//! a sync that would revoke more than 20 % (or all) of the authorizers holds
//! the revocations until confirmed and reports what it saw; an absurd
//! `total_count` stops a sync before it pages; refreshing all renews only
//! missing or expiring tokens, and forcing all is a separate target; the
//! stable_token force budget is visible before a force.

mod push_support;

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use push_support::*;
use wxdesk_core::services::authorizers::{mass_revocation, RefreshTarget};
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::token_types::{AppTokenMode, FORCE_PER_DAY};
use wxdesk_sandbox::{Fault, FaultKind};

fn active(env: &Env) -> usize {
    env.desk
        .authorizer_list(&Default::default())
        .unwrap()
        .iter()
        .filter(|a| a.status == AuthorizerStatus::Active)
        .count()
}

#[test]
fn the_mass_revocation_threshold() {
    assert!(!mass_revocation(0, 0));
    assert!(!mass_revocation(0, 10));
    assert!(
        !mass_revocation(2, 10),
        "20 % exactly is not more than 20 %"
    );
    assert!(mass_revocation(3, 10));
    assert!(mass_revocation(1, 1), "all of them");
    assert!(mass_revocation(1, 2));
    assert!(!mass_revocation(1, 100));
    assert!(mass_revocation(usize::MAX, usize::MAX));
}

#[tokio::test]
async fn a_sync_that_would_revoke_most_authorizers_revokes_nothing_until_confirmed() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 10);
    sync(&env).await.unwrap();
    assert_eq!(active(&env), 10);

    // One of ten cancels: 10 %, revoked without asking.
    env.sandbox.unauthorize(COMP, &seeded[0]).unwrap();
    let r = sync(&env).await.unwrap();
    assert_eq!((r.revoked, r.revocations_held), (1, false));
    assert_eq!(active(&env), 9);

    // Three more of the nine: a third, held.
    for a in &seeded[1..4] {
        env.sandbox.unauthorize(COMP, a).unwrap();
    }
    let r = sync(&env).await.unwrap();
    assert!(r.revocations_held);
    assert_eq!((r.revoked, r.would_revoke, r.active_before), (0, 3, 9));
    let msg = r.message.unwrap();
    assert!(msg.contains("would revoke 3 of 9"), "{msg}");
    assert!(msg.contains("confirm"), "{msg}");
    assert_eq!(active(&env), 9, "nothing was revoked");

    // Confirmed: revoked.
    let r = sync_confirmed(&env).await.unwrap();
    assert_eq!((r.revoked, r.revocations_held), (3, false));
    assert_eq!(active(&env), 6);

    // A list that suddenly holds nobody (a wrong environment, a broken
    // upstream): all of them would go; held.
    env.sandbox.set_fault(
        Fault::new(
            "cgi-bin/component/api_get_authorizer_list",
            FaultKind::Body {
                body: r#"{"total_count":0,"list":[]}"#.into(),
            },
        )
        .times(2),
    );
    let r = sync(&env).await.unwrap();
    assert!(r.revocations_held);
    assert_eq!((r.would_revoke, r.active_before, r.revoked), (6, 6, 0));
    assert_eq!(active(&env), 6);
}

#[tokio::test]
async fn an_absurd_total_count_stops_the_sync_before_it_pages() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 3);
    env.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_get_authorizer_list",
        FaultKind::Body {
            body: r#"{"total_count":1000000000000,"list":[]}"#.into(),
        },
    ));
    let err = tokio::time::timeout(
        Duration::from_secs(20),
        env.desk
            .authorizer_sync(COMP, &no_progress, &AtomicBool::new(false)),
    )
    .await
    .expect("the sync ends")
    .unwrap_err();
    assert!(
        err.to_string().contains("total_count 1000000000000"),
        "{err}"
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_list"),
        1,
        "no further page was asked for"
    );
    assert_eq!(active(&env), 0, "nothing changed");
}

#[tokio::test]
async fn refresh_all_renews_only_missing_or_due_tokens_and_forcing_all_is_separate() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 5);
    let cancel = AtomicBool::new(false);
    sync(&env).await.unwrap();
    const CALL: &str = "cgi-bin/component/api_authorizer_token";

    // No token cached yet: every one is due.
    let plan = env.desk.authorizer_refresh_plan(COMP, false).unwrap();
    assert_eq!((plan.active, plan.due, plan.calls), (5, 5, 5));
    let r = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 4, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!((r.refreshed, r.skipped_fresh, r.forced), (5, 0, false));
    assert_eq!(env.sandbox.counter(CALL), 5);

    // All valid now: a refresh of all makes no call.
    let plan = env.desk.authorizer_refresh_plan(COMP, false).unwrap();
    assert_eq!((plan.due, plan.calls), (0, 0));
    let r = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 4, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!((r.refreshed, r.skipped_fresh), (0, 5));
    assert_eq!(env.sandbox.counter(CALL), 5, "no token was rotated");

    // Within the early-refresh window (less than 5 minutes left): due again.
    env.sandbox.advance_clock(Duration::from_secs(7200 - 200));
    env.desk.advance_clock(Duration::from_secs(7200 - 200));
    let r = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 4, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!((r.refreshed, r.skipped_fresh), (5, 0));
    assert_eq!(env.sandbox.counter(CALL), 10);

    // Forcing all is its own target: every active one, one call each.
    let plan = env.desk.authorizer_refresh_plan(COMP, true).unwrap();
    assert_eq!((plan.due, plan.calls, plan.forced), (0, 5, true));
    let r = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::AllForced, 4, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!((r.refreshed, r.forced), (5, true));
    assert_eq!(env.sandbox.counter(CALL), 15);
}

#[tokio::test]
async fn the_force_budget_is_visible_before_a_force() {
    let env = start_with_component().await;
    const APP: &str = "wx5555555555555555";
    env.add_app(APP, "0123456789abcdef0123456789abcdef");
    let b = env.desk.force_budget(APP).unwrap();
    assert_eq!(
        (b.used, b.left, b.per_day, b.wait_secs),
        (0, FORCE_PER_DAY, FORCE_PER_DAY, 0)
    );

    let g = env
        .desk
        .app_token(APP, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(g.force_budget_left, Some(FORCE_PER_DAY));
    let g = env
        .desk
        .app_token(APP, AppTokenMode::Stable, true)
        .await
        .unwrap();
    assert_eq!(g.force_budget_left, Some(FORCE_PER_DAY - 1));
    let view = wxdesk_core::Desk::token_view(&g, false);
    assert_eq!(view.force_budget_left, Some(FORCE_PER_DAY - 1));

    let b = env.desk.force_budget(APP).unwrap();
    assert_eq!((b.used, b.left), (1, FORCE_PER_DAY - 1));
    assert!(b.wait_secs > 0 && b.wait_secs <= 30, "{}", b.wait_secs);
    assert!(b.summary().contains("19 of 20"), "{}", b.summary());
    let cached = env.desk.cached_tokens().unwrap();
    let mine = cached.iter().find(|t| t.owner == APP).unwrap();
    assert_eq!(mine.force_budget_left, Some(FORCE_PER_DAY - 1));
    let component = cached.iter().find(|t| t.owner == COMP);
    assert!(component.is_none_or(|t| t.force_budget_left.is_none()));
}

#[tokio::test]
async fn forcing_all_through_the_op_table_needs_confirmation_and_names_the_calls() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 4);
    sync(&env).await.unwrap();
    let rt = wxdesk_testkit::desk::open_runtime(
        &env.dir.path().join("wxdesk.db"),
        &env.sandbox.base_url(),
    )
    .await;
    let args = |force: bool, confirmed: bool| serde_json::json!({ "component_appid": COMP, "all": true, "force": force, "confirmed": confirmed });
    let plan = wxdesk_core::ops::dispatch(&rt, "authorizer_refresh_plan", args(true, false))
        .await
        .unwrap();
    assert_eq!(
        (plan["active"].as_u64(), plan["calls"].as_u64()),
        (Some(4), Some(4))
    );
    let err = wxdesk_core::ops::dispatch(&rt, "authorizer_refresh", args(true, false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "needs_confirmation");
    assert!(
        err.to_string().contains("4 api_authorizer_token calls"),
        "{err}"
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token"),
        0,
        "nothing was sent"
    );
    // A plain refresh of all and a confirmed force start jobs.
    for (force, confirmed) in [(false, false), (true, true)] {
        let started = wxdesk_core::ops::dispatch(&rt, "authorizer_refresh", args(force, confirmed))
            .await
            .unwrap();
        assert!(started["job_id"].is_string(), "{started}");
    }
    // The force budget of an app is its own operation.
    const APP: &str = "wx6666666666666666";
    env.add_app(APP, "0123456789abcdef0123456789abcdef");
    let b = wxdesk_core::ops::dispatch(
        &rt,
        "token_force_budget",
        serde_json::json!({ "appid": APP }),
    )
    .await
    .unwrap();
    assert_eq!(
        (b["left"].as_i64(), b["per_day"].as_i64()),
        (Some(20), Some(20))
    );
    // The sync op takes `confirmed`; old callers without it still work.
    let started = wxdesk_core::ops::dispatch(
        &rt,
        "authorizer_sync",
        serde_json::json!({ "component_appid": COMP }),
    )
    .await
    .unwrap();
    assert!(started["job_id"].is_string());
}
