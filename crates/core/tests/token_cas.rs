//! Token and refresh-token writes are compare-and-set on a generation: a
//! refresh whose cross-process lease expired mid-call never overwrites a
//! token written after it started, and a rotated refresh token that cannot
//! become current is kept (as the spare) and used when the stored one fails.

mod common;

use std::time::Duration;

use common::*;
use wxdesk_core::store::{authorizers, token_rows as token_store};
use wxdesk_core::token_types::{AppTokenMode, TokenKind, TokenSource};
use wxdesk_sandbox::{Fault, FaultKind};

#[tokio::test]
async fn a_fetch_whose_lease_expired_mid_call_does_not_overwrite_the_newer_token() {
    let w = World::start().await;
    let a = w.desk();
    let b = w.desk();
    let (appid, _) = seed_app(&w, &a);
    // A's call is held 1.5 s in the sandbox; meanwhile B's clock passes A's
    // 30 s lease, so B takes over and stores its own (legacy: distinct) token.
    w.sandbox
        .set_fault(Fault::new("cgi-bin/token", FaultKind::Latency { ms: 1500 }).times(1));
    let slow = a.app_token(&appid, AppTokenMode::Legacy, false);
    let late = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        b.advance_clock(Duration::from_secs(31));
        b.app_token(&appid, AppTokenMode::Legacy, false).await
    };
    let (ga, gb) = tokio::join!(slow, late);
    let (ga, gb) = (ga.unwrap(), gb.unwrap());
    assert_eq!(w.sandbox.counter("cgi-bin/token"), 2, "both fetched");
    assert_eq!(gb.source, TokenSource::Fresh);
    // A's write lost the compare-and-set: B's newer token stays cached, and A
    // hands out the stored token rather than its own.
    assert_eq!(ga.token.as_str(), gb.token.as_str());
    assert_eq!(ga.source, TokenSource::Cache);
    let again = b
        .app_token(&appid, AppTokenMode::Legacy, false)
        .await
        .unwrap();
    assert_eq!(again.source, TokenSource::Cache);
    assert_eq!(again.token.as_str(), gb.token.as_str());
}

#[tokio::test]
async fn token_generations_compare_and_set_and_never_repeat() {
    let w = World::start().await;
    let d = w.desk();
    let scope = d.scope().to_string();
    let row = |v: &str| token_store::TokenRow {
        kind: TokenKind::AppStable,
        owner: "wx00000000000000aa".into(),
        value: d
            .vault()
            .seal(wxdesk_core::token_types::TOKEN_VALUE, v)
            .unwrap(),
        expires_at: d.now() + 7200,
        source: "cgi-bin/stable_token".into(),
        fetched_at: d.now(),
        generation: 0,
    };
    d.store()
        .write(|tx| {
            let owner = "wx00000000000000aa";
            let kind = TokenKind::AppStable;
            // Absent: only a writer that saw it absent may write.
            assert!(token_store::put_if_generation(
                tx,
                &scope,
                &row("one"),
                None
            )?);
            let g1 = token_store::generation(tx, &scope, kind, owner)?.unwrap();
            assert!(!token_store::put_if_generation(
                tx,
                &scope,
                &row("late"),
                None
            )?);
            assert!(token_store::put_if_generation(
                tx,
                &scope,
                &row("two"),
                Some(g1)
            )?);
            let g2 = token_store::generation(tx, &scope, kind, owner)?.unwrap();
            assert!(g2 > g1);
            // A writer that read g1 is now stale.
            assert!(!token_store::put_if_generation(
                tx,
                &scope,
                &row("stale"),
                Some(g1)
            )?);
            // Deleted and re-created: the new generation is above every one seen.
            token_store::delete(tx, &scope, kind, owner)?;
            token_store::put(tx, &scope, &row("three"))?;
            let g3 = token_store::generation(tx, &scope, kind, owner)?.unwrap();
            assert!(g3 > g2);
            assert!(!token_store::put_if_generation(
                tx,
                &scope,
                &row("stale"),
                Some(g2)
            )?);
            let stored = token_store::get(tx, &scope, kind, owner)?.unwrap();
            assert_eq!(
                d.vault()
                    .open(wxdesk_core::token_types::TOKEN_VALUE, &stored.value)
                    .unwrap()
                    .as_str(),
                "three"
            );
            Ok(())
        })
        .unwrap();
}

#[tokio::test]
async fn a_rotated_refresh_token_that_lost_the_race_is_kept_and_used_when_the_stored_one_fails() {
    let w = World::start().await;
    let d = w.desk();
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(&w, &d, 1);
    let (appid, real_refresh) = authorizers[0].clone();

    // A late refresh could not make WeChat's newest refresh token current:
    // the row moved on (generation bumped) and holds a token WeChat no
    // longer accepts. The late value goes to the spare, not away.
    let state = d
        .store()
        .read(|c| authorizers::refresh_state(c, &component, &appid))
        .unwrap();
    let v = d.vault();
    let stale = v
        .seal(
            authorizers::REFRESH_TOKEN,
            "refreshtoken@@@stale-and-rejected",
        )
        .unwrap();
    let rotated = v.seal(authorizers::REFRESH_TOKEN, &real_refresh).unwrap();
    d.store()
        .write(|tx| {
            authorizers::set_refresh_token(tx, &component, &appid, &stale, d.now())?;
            let won = authorizers::set_refresh_token_if_generation(
                tx,
                &component,
                &appid,
                &rotated,
                state.generation,
                d.now(),
            )?;
            assert!(!won, "the compare-and-set sees the newer write");
            authorizers::set_spare_refresh_token(tx, &component, &appid, &rotated, d.now())
        })
        .unwrap();
    assert_eq!(
        stored_refresh_token(&d, &component, &appid),
        "refreshtoken@@@stale-and-rejected"
    );

    // WeChat rejects the stored one (61023); the spare works and becomes current.
    let grant = d.authorizer_token(&component, &appid, true).await.unwrap();
    assert_eq!(grant.source, TokenSource::Fresh);
    assert_eq!(stored_refresh_token(&d, &component, &appid), real_refresh);
    let state = d
        .store()
        .read(|c| authorizers::refresh_state(c, &component, &appid))
        .unwrap();
    assert!(state.spare.is_none(), "the spare became current");
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        2
    );
}

#[test]
fn a_database_from_version_3_keeps_its_tickets_current_and_gets_generations() {
    use wxdesk_core::store::{migrations, tickets};
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    let m = migrations::migrations();
    m.to_version(&mut conn, 3).unwrap();
    conn.execute_batch(
        "INSERT INTO components (appid, created_at, updated_at) VALUES ('wx0123456789abcdef', 1, 1);
         INSERT INTO tickets (component_appid, ticket, source, received_at) VALUES ('wx0123456789abcdef', 'wxv1:x', 'push', 1700000000);
         INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at) VALUES ('e', 'component', 'wx0123456789abcdef', 'wxv1:y', 1, 's', 1);",
    )
    .unwrap();
    m.to_latest(&mut conn).unwrap();
    let t = tickets::latest(&conn, "wx0123456789abcdef")
        .unwrap()
        .unwrap();
    assert!(t.current, "an existing ticket stays current");
    assert_eq!(
        t.create_time, 1_700_000_000,
        "its issue time is its arrival"
    );
    assert_eq!(t.expires_at(), 1_700_000_000 + 12 * 3600);
    let g =
        token_store::generation(&conn, "e", TokenKind::Component, "wx0123456789abcdef").unwrap();
    assert_eq!(g, Some(0));
    let next: i64 = conn
        .query_row("SELECT n FROM token_generation WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(next, 0);
}
