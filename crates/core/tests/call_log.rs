//! Call log: rows written for every attempt, redacted, queryable by account,
//! endpoint, errors and time with keyset paging over indexes, explained by the
//! catalogue, and pruned lazily and boundedly by retention (indexes and scale:
//! call_log_scale.rs).

mod common;

use std::collections::HashSet;

use common::*;
use wxdesk_core::call_recorder::PRUNE_BATCH;
use wxdesk_core::store::call_log::{self, CallLogQuery};
use wxdesk_core::store::{now_ms, settings};
use wxdesk_core::token_types::AppTokenMode;
use wxdesk_core::Desk;
use wxdesk_sandbox::{Fault, FaultKind};

fn all_rows(desk: &Desk) -> Vec<call_log::CallLogRow> {
    desk.store()
        .read(|c| {
            call_log::query(
                c,
                &CallLogQuery {
                    limit: Some(1000),
                    ..Default::default()
                },
            )
        })
        .unwrap()
}

#[tokio::test]
async fn every_attempt_is_logged_without_secrets() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, app_secret) = seed_app(&w, &desk);
    let Platform {
        appid: component,
        secret: component_secret,
        ticket,
        authorizers,
        ..
    } = seed_platform(&w, &desk, 1);
    let (authorizer, refresh) = authorizers[0].clone();

    let stable = desk
        .app_token(&app, AppTokenMode::Stable, false)
        .await
        .unwrap();
    let legacy = desk
        .app_token(&app, AppTokenMode::Legacy, false)
        .await
        .unwrap();
    let ctoken = desk.component_token(&component, false).await.unwrap();
    let atoken = desk
        .authorizer_token(&component, &authorizer, false)
        .await
        .unwrap();
    // A second authorization, consumed through api_query_auth (its answer carries both tokens).
    let (authorizer2, refresh2, auth_code2) = seed_authorizer(&w, &desk, &component);
    let info = desk
        .client()
        .query_auth(&component, &ctoken.token, &auth_code2)
        .await
        .unwrap();
    assert_eq!(info.authorizer_appid, authorizer2);
    let query_auth_token = info.authorizer_access_token.clone().unwrap();
    assert_eq!(
        info.authorizer_refresh_token.as_deref(),
        Some(refresh2.as_str())
    );
    // A failing call is logged too.
    let bad = desk
        .client()
        .api_quota(&app, &stable.token, "/no/such/api")
        .await
        .unwrap_err();
    assert_eq!(bad.errcode(), Some(76021));

    let rows = all_rows(&desk);
    let endpoints: HashSet<&str> = rows.iter().map(|r| r.endpoint.as_str()).collect();
    for e in [
        "cgi-bin/stable_token",
        "cgi-bin/token",
        "cgi-bin/component/api_component_token",
        "cgi-bin/component/api_authorizer_token",
        "cgi-bin/component/api_query_auth",
        "cgi-bin/openapi/quota/get",
    ] {
        assert!(endpoints.contains(e), "{e} missing from {endpoints:?}");
    }
    assert_eq!(rows.len(), 6);

    let secrets = [
        app_secret.as_str(),
        component_secret.as_str(),
        ticket.as_str(),
        refresh.as_str(),
        refresh2.as_str(),
        auth_code2.as_str(),
        stable.token.as_str(),
        legacy.token.as_str(),
        ctoken.token.as_str(),
        atoken.token.as_str(),
        query_auth_token.as_str(),
    ];
    for row in &rows {
        let text = format!("{} {:?} {:?}", row.request, row.response, row.errmsg);
        for s in secrets {
            assert!(
                !text.contains(s),
                "secret {}… leaked into the log row of {}: {text}",
                &s[..4],
                row.endpoint
            );
        }
    }

    // What is there: account, method, status, errcode, redacted request.
    let st = rows
        .iter()
        .find(|r| r.endpoint == "cgi-bin/stable_token")
        .unwrap();
    assert_eq!(st.account.as_deref(), Some(app.as_str()));
    assert_eq!(st.method, "POST");
    assert_eq!(st.http_status, Some(200));
    assert_eq!(st.errcode, Some(0));
    assert!(st.error_kind.is_none());
    let req: serde_json::Value = serde_json::from_str(&st.request).unwrap();
    assert_eq!(req["body"]["appid"], app.as_str());
    assert_eq!(req["body"]["grant_type"], "client_credential");
    let auth = rows
        .iter()
        .find(|r| r.endpoint == "cgi-bin/component/api_authorizer_token")
        .unwrap();
    assert_eq!(auth.account.as_deref(), Some(authorizer.as_str()));
    let failed = rows
        .iter()
        .find(|r| r.endpoint == "cgi-bin/openapi/quota/get")
        .unwrap();
    assert_eq!(failed.errcode, Some(76021));
    assert_eq!(failed.error_kind.as_deref(), Some("api"));
}

#[tokio::test]
async fn views_explain_errcodes() {
    let w = World::start().await;
    let desk = w.desk();
    let (app, _) = seed_app(&w, &desk);
    desk.app_token(&app, AppTokenMode::Stable, false)
        .await
        .unwrap();
    w.sandbox.set_fault(Fault::new(
        "cgi-bin/openapi/quota/get",
        FaultKind::Errcode {
            errcode: 45009,
            errmsg: "reach max api daily quota limit".into(),
        },
    ));
    let err = desk
        .quota_get(&app, "/cgi-bin/stable_token")
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(45009));

    let errors = desk
        .call_log(&CallLogQuery {
            errors_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    assert!(e.failed);
    assert_eq!(e.errcode, Some(45009));
    let x = e.explanation.as_ref().unwrap();
    assert!(x.known);
    assert!(!x.zh.is_empty() && !x.en.is_empty());
    assert!(
        x.hint.contains("clear_quota") || x.hint.contains("quota"),
        "{}",
        x.hint
    );
    assert!(x.hint_zh.contains("quota"), "{}", x.hint_zh);
    assert!(
        x.hint_zh
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{}",
        x.hint_zh
    );
    assert!(e.request.is_object());

    let ok = desk
        .call_log(&CallLogQuery {
            endpoint: Some("/cgi-bin/stable_token".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ok.len(), 1);
    assert!(ok[0].explanation.is_none());
    assert!(!ok[0].failed);

    let one = desk.call_log_entry(e.id).unwrap();
    assert_eq!(one, *e);
    assert_eq!(
        desk.call_log_entry(999_999).unwrap_err().code(),
        "not_found"
    );
    assert_eq!(desk.call_log_errors_since(0).unwrap(), 1);
    assert_eq!(desk.call_log_errors_since(now_ms() + 60_000).unwrap(), 0);
}

#[tokio::test]
async fn filters_and_keyset_paging() {
    let w = World::start().await;
    let desk = w.desk();
    let base = 1_700_000_000_000i64;
    let accounts = [
        "wx00000000000000a1",
        "wx00000000000000a2",
        "wx00000000000000a3",
    ];
    let endpoints = ["cgi-bin/stable_token", "cgi-bin/openapi/quota/get"];
    let rows = (0..90i64).map(|i| {
        // Pairs of rows share a millisecond, to exercise the id tie-break.
        call_log_row(
            base + (i / 2) * 1000,
            endpoints[(i % 2) as usize],
            accounts[(i % 3) as usize],
            if i % 10 == 0 { 40164 } else { 0 },
        )
    });
    insert_call_log(&desk, rows);

    let q = |q: CallLogQuery| desk.store().read(|c| call_log::query(c, &q)).unwrap();
    let everything = q(CallLogQuery {
        limit: Some(1000),
        ..Default::default()
    });
    assert_eq!(everything.len(), 90);
    assert!(
        everything
            .windows(2)
            .all(|p| (p[0].at_ms, p[0].id) > (p[1].at_ms, p[1].id)),
        "newest first"
    );

    let by_account = q(CallLogQuery {
        account: Some(accounts[1].into()),
        limit: Some(1000),
        ..Default::default()
    });
    assert_eq!(by_account.len(), 30);
    assert!(by_account
        .iter()
        .all(|r| r.account.as_deref() == Some(accounts[1])));

    let by_endpoint = q(CallLogQuery {
        endpoint: Some("/cgi-bin/openapi/quota/get".into()),
        limit: Some(1000),
        ..Default::default()
    });
    assert_eq!(by_endpoint.len(), 45);
    assert!(by_endpoint
        .iter()
        .all(|r| r.endpoint == "cgi-bin/openapi/quota/get"));

    let errors = q(CallLogQuery {
        errors_only: true,
        limit: Some(1000),
        ..Default::default()
    });
    assert_eq!(errors.len(), 9);
    assert!(errors.iter().all(|r| r.errcode == Some(40164)));

    let window = q(CallLogQuery {
        since_ms: Some(base + 10_000),
        until_ms: Some(base + 19_000),
        limit: Some(1000),
        ..Default::default()
    });
    assert_eq!(window.len(), 20);
    assert!(window
        .iter()
        .all(|r| (base + 10_000..=base + 19_000).contains(&r.at_ms)));

    let combined = q(CallLogQuery {
        account: Some(accounts[0].into()),
        endpoint: Some("cgi-bin/stable_token".into()),
        errors_only: true,
        limit: Some(1000),
        ..Default::default()
    });
    // i % 3 == 0, i % 2 == 0, i % 10 == 0 → i in {0, 30, 60}.
    assert_eq!(combined.len(), 3);

    // Keyset paging walks every row exactly once, in order, for each filter.
    for filter in [
        CallLogQuery::default(),
        CallLogQuery {
            account: Some(accounts[2].into()),
            ..Default::default()
        },
        CallLogQuery {
            endpoint: Some("cgi-bin/stable_token".into()),
            ..Default::default()
        },
        CallLogQuery {
            errors_only: true,
            ..Default::default()
        },
    ] {
        let full = q(CallLogQuery {
            limit: Some(1000),
            ..filter.clone()
        });
        let mut paged = Vec::new();
        let mut before = None;
        loop {
            let page = q(CallLogQuery {
                limit: Some(7),
                before_id: before,
                ..filter.clone()
            });
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 7);
            before = page.last().map(|r| r.id);
            paged.extend(page);
        }
        assert_eq!(paged, full, "paging {filter:?}");
    }

    // Bad paging input is refused, naming the field.
    let err = desk
        .store()
        .read(|c| {
            call_log::query(
                c,
                &CallLogQuery {
                    limit: Some(0),
                    ..Default::default()
                },
            )
        })
        .unwrap_err();
    assert!(err.to_string().starts_with("limit:"), "{err}");
    let err = desk
        .call_log(&CallLogQuery {
            since_ms: Some(10),
            until_ms: Some(5),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[tokio::test]
async fn retention_prunes_lazily_once_per_process_in_bounded_batches() {
    let w = World::start().await;
    let first = w.desk();
    let (app, _) = seed_app(&w, &first);
    let now = now_ms();
    let old = i64::from(PRUNE_BATCH) + 50;
    let expired = (0..old).map(|i| now - 40 * 86_400_000 - i);
    let recent = (0..10).map(|i| now - 86_400_000 - i);
    let rows = expired
        .chain(recent)
        .map(|at_ms| call_log_row(at_ms, "cgi-bin/token", &app, 0));
    insert_call_log(&first, rows);
    let count = |d: &Desk| d.store().read(call_log::count).unwrap();
    let older_than = |d: &Desk, days: i64| {
        d.store()
            .read(|c| {
                Ok(c.query_row(
                    "SELECT COUNT(*) FROM call_log WHERE at_ms < ?1",
                    [now_ms() - days * 86_400_000],
                    |r| r.get::<_, i64>(0),
                )?)
            })
            .unwrap()
    };

    // Opening a desk never prunes.
    let second = w.desk();
    assert_eq!(count(&second), old + 10);

    // Its first write prunes one bounded batch (default retention: 30 days).
    second
        .app_token(&app, AppTokenMode::Stable, false)
        .await
        .unwrap();
    assert_eq!(older_than(&second, 30), 50);
    assert_eq!(count(&second), 50 + 10 + 1);
    // Only once per process.
    second
        .app_token(&app, AppTokenMode::Legacy, false)
        .await
        .unwrap();
    assert_eq!(older_than(&second, 30), 50);

    // The next process takes the rest.
    let third = w.desk();
    third
        .app_token(&app, AppTokenMode::Stable, true)
        .await
        .unwrap();
    assert_eq!(older_than(&third, 30), 0);
    assert_eq!(count(&third), 10 + 3);

    // Retention 0 keeps everything; a shorter retention applied on demand.
    third
        .store()
        .write(|tx| settings::set(tx, settings::LOG_RETENTION_DAYS, &0u32))
        .unwrap();
    let fourth = w.desk();
    fourth
        .app_token(&app, AppTokenMode::Legacy, true)
        .await
        .unwrap();
    assert_eq!(count(&fourth), 10 + 4);
    assert_eq!(fourth.prune_call_log().unwrap(), 0);
    fourth
        .store()
        .write(|tx| settings::set(tx, settings::LOG_RETENTION_DAYS, &1u32))
        .unwrap();
    assert_eq!(fourth.prune_call_log().unwrap(), 10);
    assert_eq!(count(&fourth), 4);
}
