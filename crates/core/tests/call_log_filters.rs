//! Call-log substring filters: the account and endpoint filters match
//! substrings (case-insensitive, `%`/`_` literal), resolve through the
//! distinct values of each column, page exactly like exact filters, and walk
//! named indexes whichever way a needle resolves.

mod common;

use common::*;
use wxdesk_core::store::call_log::{self, CallLogQuery, CallLogRow, Column, Match, NewCallLog};
use wxdesk_core::Desk;

fn row(at_ms: i64, endpoint: &str, account: &str, failed: bool) -> NewCallLog {
    NewCallLog {
        errmsg: Some("ok".into()),
        response: Some(r#"{"errcode":0}"#.into()),
        ..call_log_row(at_ms, endpoint, account, if failed { 40164 } else { 0 })
    }
}

fn query(desk: &Desk, q: CallLogQuery) -> Vec<CallLogRow> {
    desk.store().read(|c| call_log::query(c, &q)).unwrap()
}

/// Every row, newest first, then kept by `keep`: the expected answer.
fn expected(desk: &Desk, keep: impl Fn(&CallLogRow) -> bool) -> Vec<CallLogRow> {
    query(
        desk,
        CallLogQuery {
            limit: Some(1000),
            ..Default::default()
        },
    )
    .into_iter()
    .filter(|r| keep(r))
    .collect()
}

/// Pages through `filter` 7 rows at a time.
fn paged(desk: &Desk, filter: &CallLogQuery) -> Vec<CallLogRow> {
    let mut all = Vec::new();
    let mut before = None;
    loop {
        let page = query(
            desk,
            CallLogQuery {
                limit: Some(7),
                before_id: before,
                ..filter.clone()
            },
        );
        if page.is_empty() {
            return all;
        }
        before = page.last().map(|r| r.id);
        all.extend(page);
    }
}

const ENDPOINTS: [&str; 4] = [
    "cgi-bin/stable_token",
    "cgi-bin/openapi/quota/get",
    "cgi-bin/component/api_component_token",
    "wxa/a_b",
];
const ACCOUNTS: [&str; 3] = [
    "wx00000000000000a1",
    "wx00000000000000b2",
    "wx00000000000000a3",
];

fn seed(desk: &Desk) {
    let base = 1_700_000_000_000i64;
    let rows = (0..120i64).map(|i| {
        row(
            base + (i / 2) * 1000,
            ENDPOINTS[(i % 4) as usize],
            ACCOUNTS[(i % 3) as usize],
            i % 5 == 0,
        )
    });
    // A look-alike of wxa/a_b that LIKE's `_` would also match.
    let look_alike = row(base + 500, "wxa/axb", ACCOUNTS[0], false);
    insert_call_log(desk, rows.chain([look_alike]));
}

/// Which rows a filter must return.
type Keep = Box<dyn Fn(&CallLogRow) -> bool>;

#[tokio::test]
async fn account_and_endpoint_filters_match_substrings() {
    let w = World::start().await;
    let desk = w.desk();
    seed(&desk);

    let q = |account: Option<&str>, endpoint: Option<&str>, errors_only: bool| CallLogQuery {
        account: account.map(str::to_string),
        endpoint: endpoint.map(str::to_string),
        errors_only,
        limit: Some(1000),
        ..Default::default()
    };
    let cases: Vec<(CallLogQuery, Keep)> = vec![
        // Part of a path, in another case: both token endpoints.
        (
            q(None, Some("TOKEN"), false),
            Box::new(|r| r.endpoint.ends_with("token")),
        ),
        // A leading slash is ignored, as before.
        (
            q(None, Some("/cgi-bin/openapi"), false),
            Box::new(|r| r.endpoint == "cgi-bin/openapi/quota/get"),
        ),
        // `_` is literal: wxa/axb does not match.
        (
            q(None, Some("a_b"), false),
            Box::new(|r| r.endpoint == "wxa/a_b"),
        ),
        // A full value still means that value.
        (
            q(None, Some("cgi-bin/stable_token"), false),
            Box::new(|r| r.endpoint == "cgi-bin/stable_token"),
        ),
        // Part of an AppID: two of the three accounts.
        (
            q(Some("0A"), None, false),
            Box::new(|r| r.account.as_deref() != Some(ACCOUNTS[1])),
        ),
        (
            q(Some(ACCOUNTS[1]), None, false),
            Box::new(|r| r.account.as_deref() == Some(ACCOUNTS[1])),
        ),
        // Both filters, errors only.
        (
            q(Some("a"), Some("token"), true),
            Box::new(|r| {
                r.account.as_deref() != Some(ACCOUNTS[1])
                    && r.endpoint.ends_with("token")
                    && r.error_kind.is_some()
            }),
        ),
        (
            q(None, Some("_token"), true),
            Box::new(|r| r.endpoint.ends_with("_token") && r.error_kind.is_some()),
        ),
    ];
    for (filter, keep) in &cases {
        let want = expected(&desk, keep);
        assert!(!want.is_empty(), "{filter:?} must match something");
        assert_eq!(query(&desk, filter.clone()), want, "{filter:?}");
        assert_eq!(paged(&desk, filter), want, "paging {filter:?}");
    }
    // `%` is literal, and a needle nothing contains finds nothing.
    for needle in ["%", "stable%token", "nothing/here"] {
        assert!(
            query(&desk, q(None, Some(needle), false)).is_empty(),
            "{needle}"
        );
    }
    assert!(query(&desk, q(Some("wx_"), None, false)).is_empty());

    // A whole AppID is looked up as itself, without walking the accounts.
    let absent = "wx00000000000000ff";
    let m = desk
        .store()
        .read(|c| call_log::resolve(c, Column::Account, absent))
        .unwrap();
    assert_eq!(m, Match::OneOf(vec![absent.to_string()]));
    assert!(query(&desk, q(Some(absent), None, false)).is_empty());
    let m = desk
        .store()
        .read(|c| call_log::resolve(c, Column::Account, "wx00000000000000A1"))
        .unwrap();
    assert_eq!(
        m,
        Match::OneOf(vec![ACCOUNTS[0].to_string()]),
        "case-insensitive"
    );
}

#[tokio::test]
async fn a_needle_matching_many_values_filters_on_the_time_index() {
    let w = World::start().await;
    let desk = w.desk();
    let n = call_log::FANOUT as i64 + 20;
    let rows = (0..n * 2).map(|i| {
        let endpoint = format!("wxa/custom_{:03}", i % n);
        let account = format!("wx{:016x}", i % n);
        row(1_700_000_000_000 + i, &endpoint, &account, i % 3 == 0)
    });
    insert_call_log(&desk, rows);
    let values = desk
        .store()
        .read(|c| call_log::distinct_values(c, Column::Endpoint))
        .unwrap();
    assert_eq!(values.len() as i64, n);
    let resolved = desk
        .store()
        .read(|c| call_log::resolve(c, Column::Endpoint, "CUSTOM"))
        .unwrap();
    assert_eq!(resolved, Match::Contains("custom".into()));

    for filter in [
        CallLogQuery {
            endpoint: Some("Custom_".into()),
            ..Default::default()
        },
        CallLogQuery {
            account: Some("wx".into()),
            errors_only: true,
            ..Default::default()
        },
        CallLogQuery {
            account: Some("wx".into()),
            endpoint: Some("custom_1".into()),
            ..Default::default()
        },
    ] {
        let a = filter.account.clone().unwrap_or_default();
        let e = filter.endpoint.clone().unwrap_or_default().to_lowercase();
        let errors = filter.errors_only;
        let want = expected(&desk, |r| {
            r.account.as_deref().unwrap_or("").contains(&a)
                && r.endpoint.contains(&e)
                && (!errors || r.error_kind.is_some())
        });
        assert!(!want.is_empty());
        assert_eq!(paged(&desk, &filter), want, "{filter:?}");
    }
}

#[tokio::test]
async fn every_resolved_filter_walks_an_index() {
    let w = World::start().await;
    let desk = w.desk();
    let one = |v: &str| Match::OneOf(vec![v.to_string()]);
    let many = Match::OneOf(vec!["cgi-bin/a".into(), "cgi-bin/b".into()]);
    let contains = Match::Contains("token".into());
    let page = CallLogQuery {
        before_id: Some(10),
        since_ms: Some(1),
        ..Default::default()
    };
    let errors = CallLogQuery {
        errors_only: true,
        ..page.clone()
    };
    let cases = [
        (&page, one("wx00000000000000a1"), many.clone(), "at_ms, id"),
        (&errors, one("wx00000000000000a1"), contains.clone(), "*"),
        (&page, Match::Any, one("cgi-bin/a"), "at_ms, id"),
        (&errors, Match::Any, contains.clone(), "*"),
        (&page, contains.clone(), contains.clone(), "*"),
        (&errors, contains.clone(), one("cgi-bin/a"), "at_ms, id"),
    ];
    for (q, account, endpoint, cols) in &cases {
        let (sql, params) = call_log::build_page(q, account, endpoint, cols).unwrap();
        let plan: Vec<String> = query_plan(&desk, &sql, &params);
        for line in &plan {
            if line.contains("call_log") {
                assert!(line.contains("INDEX call_log_"), "{sql}: {plan:?}");
            }
            assert!(!line.contains("TEMP B-TREE"), "{sql} sorts: {plan:?}");
        }
    }
    // The distinct walk seeks the index, never scans the table.
    for column in [Column::Account, Column::Endpoint] {
        let plan: Vec<String> = desk
            .store()
            .read(|c| {
                let mut st = c.prepare(
                    &format!("EXPLAIN QUERY PLAN SELECT MIN({0}) FROM call_log INDEXED BY call_log_{0}_at WHERE {0} > 'a'",
                        if column == Column::Account { "account" } else { "endpoint" }),
                )?;
                let rows = st.query_map([], |r| r.get::<_, String>(3))?.collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .unwrap();
        assert!(plan.iter().all(|l| l.starts_with("SEARCH")), "{plan:?}");
    }
}
