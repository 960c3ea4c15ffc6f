//! The authorizers list one page at a time (`authorizer_page`): the filters
//! of `authorizer_list` done in SQL, pages that add up to the full list in
//! the same order and with the same notes, tags and token expiries, the
//! total and the count of matches without a profile, and bad page sizes
//! refused naming the field.

mod common;

use common::*;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::{DeskOptions, Environment, Error};
use wxdesk_wechat::ClientConfig;

async fn runtime(w: &World) -> Runtime {
    Runtime::open(DeskOptions {
        db_path: w.db_path(),
        key_storage: wxdesk_core::vault::KeyStorage::File,
        environment: Some(Environment::Sandbox {
            base: w.sandbox.base_url(),
        }),
        client: ClientConfig::default(),
    })
    .await
    .unwrap()
}

async fn op(rt: &Runtime, name: &str, args: Value) -> Result<Value, Error> {
    dispatch(rt, name, args).await
}

/// Seven merchants of one platform: distinct authorization times, five
/// named, the sixth revoked, three tagged VIP (in varying case).
async fn seeded(w: &World, rt: &Runtime) -> (String, Vec<String>) {
    let desk = rt.desk();
    let p = seed_platform(w, &desk, 7);
    let ids: Vec<String> = p.authorizers.iter().map(|(a, _)| a.clone()).collect();
    desk.store()
        .write(|tx| {
            for (i, a) in ids.iter().enumerate() {
                let name = if i < 5 { format!("Shop {i}") } else { String::new() };
                let status = if i == 5 { "revoked" } else { "active" };
                tx.execute(
                    "UPDATE authorizers SET authorized_at = ?1, nick_name = ?2, status = ?3 WHERE appid = ?4",
                    (1_700_000_000 + i as i64, name, status, a),
                )?;
            }
            Ok(())
        })
        .unwrap();
    for (i, tag) in [(0usize, "VIP"), (3, "vip"), (6, "Vip")] {
        op(
            rt,
            "merchant_notes_set",
            json!({"component_appid": p.appid, "appid": ids[i], "notes": format!("note {i}"), "tags": [tag, "retail"]}),
        )
        .await
        .unwrap();
    }
    // A cached token for one of them, so the page must show its expiry.
    op(
        rt,
        "authorizer_token",
        json!({"component_appid": p.appid, "authorizer_appid": ids[2]}),
    )
    .await
    .unwrap();
    (p.appid, ids)
}

#[tokio::test]
async fn pages_add_up_to_the_list_with_the_same_rows_and_order() {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let (comp, ids) = seeded(&w, &rt).await;

    let all = op(&rt, "authorizer_list", json!({"component_appid": comp}))
        .await
        .unwrap();
    // Newest authorization first.
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    assert_eq!(appids(&all), newest_first);

    let mut joined = Vec::new();
    for offset in [0, 3, 6] {
        let page = op(
            &rt,
            "authorizer_page",
            json!({"component_appid": comp, "limit": 3, "offset": offset}),
        )
        .await
        .unwrap();
        assert_eq!(page["total"], 7, "{page}");
        assert_eq!(page["limit"], 3);
        assert_eq!(page["offset"], offset);
        // The two nameless ones: one active (missing), one revoked (not counted).
        assert_eq!(page["missing_profiles"], 1, "{page}");
        joined.extend(page["items"].as_array().unwrap().iter().cloned());
    }
    // The same rows, decorated the same (notes, tags, token expiry).
    assert_eq!(Value::Array(joined), all);
    let with_token = all
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["appid"] == ids[2].as_str())
        .unwrap();
    assert!(with_token["token_expires_at"].is_i64(), "{with_token}");

    // Past the end: no rows, the total still told.
    let page = op(
        &rt,
        "authorizer_page",
        json!({"component_appid": comp, "limit": 3, "offset": 7}),
    )
    .await
    .unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["total"], 7);

    // Without a limit: the default page size.
    let page = op(&rt, "authorizer_page", json!({})).await.unwrap();
    assert_eq!(page["limit"], 50);
    assert_eq!(page["items"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn filters_run_in_sql_and_match_the_list() {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let (comp, ids) = seeded(&w, &rt).await;

    // Tag: whole tags, any case; paged, with the total of all matches.
    let page = op(&rt, "authorizer_page", json!({"tag": "vip", "limit": 2}))
        .await
        .unwrap();
    assert_eq!(page["total"], 3, "{page}");
    assert_eq!(appids(&page["items"]), vec![ids[6].clone(), ids[3].clone()]);
    assert_eq!(page["missing_profiles"], 1, "{page}");
    let list = op(&rt, "authorizer_list", json!({"tag": "VIP"}))
        .await
        .unwrap();
    assert_eq!(
        appids(&list),
        vec![ids[6].clone(), ids[3].clone(), ids[0].clone()]
    );
    let none = op(&rt, "authorizer_page", json!({"tag": "vi"}))
        .await
        .unwrap();
    assert_eq!(none["total"], 0);

    // Tag with status and search (search matches names and notes).
    let page = op(
        &rt,
        "authorizer_page",
        json!({"component_appid": comp, "tag": "vip", "status": "active", "search": "note", "limit": 10}),
    )
    .await
    .unwrap();
    assert_eq!(page["total"], 3, "{page}");
    let page = op(
        &rt,
        "authorizer_page",
        json!({"status": "revoked", "limit": 10}),
    )
    .await
    .unwrap();
    assert_eq!(appids(&page["items"]), vec![ids[5].clone()]);
    assert_eq!(page["missing_profiles"], 0);
    let page = op(
        &rt,
        "authorizer_page",
        json!({"search": "Shop 1", "account_type": "mini_program"}),
    )
    .await
    .unwrap();
    assert_eq!(appids(&page["items"]), vec![ids[1].clone()]);
    assert_eq!(page["total"], 1);
    // LIKE wildcards in the search are literal.
    let page = op(&rt, "authorizer_page", json!({"search": "Shop_"}))
        .await
        .unwrap();
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn bad_page_sizes_are_refused_naming_the_field() {
    let w = World::start().await;
    let rt = runtime(&w).await;
    let (comp, _) = seeded(&w, &rt).await;
    for limit in [0, 1001] {
        let e = op(
            &rt,
            "authorizer_page",
            json!({"component_appid": comp, "limit": limit}),
        )
        .await
        .unwrap_err();
        assert!(e.to_string().contains("limit"), "{e}");
    }
    let e = op(&rt, "authorizer_page", json!({"offset": -1}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("offset"), "{e}");
    let e = op(&rt, "authorizer_page", json!({"component_appid": "wx1"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("component"), "{e}");
}

#[tokio::test]
async fn a_page_walks_the_newest_first_index_instead_of_sorting_every_merchant() {
    use rusqlite::types::Value as Sql;
    let w = World::start().await;
    let rt = runtime(&w).await;
    let (comp, _) = seeded(&w, &rt).await;
    let sql = wxdesk_core::store::authorizers::page_sql();
    let null = || Sql::Null;
    for params in [
        // everything, as the screen opens
        vec![
            null(),
            null(),
            null(),
            null(),
            null(),
            Sql::Integer(20),
            Sql::Integer(0),
        ],
        // one platform's active mini programs, a later page
        vec![
            Sql::Text(comp.clone()),
            Sql::Text("active".into()),
            Sql::Text("mini_program".into()),
            null(),
            null(),
            Sql::Integer(20),
            Sql::Integer(40),
        ],
    ] {
        let plan = query_plan(&rt.desk(), &sql, &params);
        assert!(
            plan.iter().any(|l| l.contains("INDEX authorizers_newest")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|l| l.contains("TEMP B-TREE")),
            "sorts: {plan:?}"
        );
    }
}
