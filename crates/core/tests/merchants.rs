//! The merchant page and list through the op table against the sandbox:
//! notes and tags (stored, shown, searchable, filterable, checked), the
//! cached token's expiry in the list, the pre-filled re-authorize link, and
//! the bulk job that fetches every missing profile (progress, failures,
//! cancel).

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::Error;
use wxdesk_sandbox::{Fault, FaultKind};

/// `name` with `args`, which must succeed.
async fn ok(rt: &Runtime, name: &str, args: Value) -> Value {
    dispatch(rt, name, args).await.unwrap()
}

/// `name` with `args`, which must fail.
async fn refused(rt: &Runtime, name: &str, args: Value) -> Error {
    dispatch(rt, name, args).await.unwrap_err()
}

/// A sandbox, a runtime on it and a platform with its ticket.
async fn platform() -> (World, Runtime, std::sync::Arc<wxdesk_core::Desk>, String) {
    let w = World::start().await;
    let rt = w.runtime().await;
    let desk = rt.desk();
    let (comp, _) = seed_component(&w, &desk);
    deliver_ticket(&w, &desk, &comp);
    (w, rt, desk, comp)
}

/// Runs `authorizer_fetch_missing` with `args` to its end: the job view.
async fn fetch_missing(rt: &Runtime, args: Value) -> Value {
    finished(rt, ok(rt, "authorizer_fetch_missing", args).await).await
}

async fn finished(rt: &Runtime, started: Value) -> Value {
    let id = started["job_id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = ok(rt, "job_status", json!({ "job_id": id })).await;
        if v["state"] != "running" {
            return v;
        }
        assert!(Instant::now() < deadline, "job did not end: {v}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The `nick_name` of each row of an `authorizer_list` answer.
fn nick_names(list: &Value) -> Vec<&Value> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| &r["nick_name"])
        .collect()
}

#[tokio::test]
async fn notes_and_tags_are_kept_searchable_and_filterable() {
    let (w, rt, desk, comp) = platform().await;
    let (a, _, _) = seed_authorizer(&w, &desk, &comp);
    let (b, _, _) = seed_authorizer(&w, &desk, &comp);

    let v = ok(
        &rt,
        "merchant_notes_set",
        json!({"component_appid": comp, "appid": a, "notes": " Contact: Ms Li, renews in March ",
               "tags": ["VIP", " retail ", "vip"]}),
    )
    .await;
    assert_eq!(v["notes"], "Contact: Ms Li, renews in March");
    assert_eq!(v["tags"], json!(["VIP", "retail"]));
    let v = ok(&rt, "authorizer_show", json!({"appid": a})).await;
    assert_eq!(v["tags"], json!(["VIP", "retail"]));

    // Search matches notes and tags; the tag filter matches whole tags, any case.
    let all = ok(&rt, "authorizer_list", json!({"component_appid": comp})).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    let hit = ok(&rt, "authorizer_list", json!({"search": "ms li"})).await;
    assert_eq!(appids(&hit), vec![a.clone()]);
    let hit = ok(&rt, "authorizer_list", json!({"search": "retai"})).await;
    assert_eq!(appids(&hit), vec![a.clone()]);
    let hit = ok(&rt, "authorizer_list", json!({"tag": "vip"})).await;
    assert_eq!(appids(&hit), vec![a.clone()]);
    let hit = ok(&rt, "authorizer_list", json!({"tag": "vi"})).await;
    assert!(hit.as_array().unwrap().is_empty());

    // A sync or re-authorization never overwrites them (they live apart).
    desk.store()
        .write(|tx| {
            tx.execute(
                "UPDATE authorizers SET nick_name = 'Renamed' WHERE appid = ?1",
                [&a],
            )?;
            Ok(())
        })
        .unwrap();
    let v = ok(&rt, "authorizer_show", json!({"appid": a})).await;
    assert_eq!(v["notes"], "Contact: Ms Li, renews in March");

    // Clearing them.
    let v = ok(
        &rt,
        "merchant_notes_set",
        json!({"component_appid": comp, "appid": a}),
    )
    .await;
    assert_eq!(v["notes"], "");
    assert_eq!(v["tags"], json!([]));

    // Bad input names the field; an unknown merchant is not found.
    let e = refused(
        &rt,
        "merchant_notes_set",
        json!({"component_appid": comp, "appid": b, "tags": ["a,b"]}),
    )
    .await;
    assert!(e.to_string().contains("tags"), "{e}");
    let e = refused(
        &rt,
        "merchant_notes_set",
        json!({"component_appid": comp, "appid": random_appid(), "notes": "x"}),
    )
    .await;
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
}

#[tokio::test]
async fn the_list_shows_token_expiry_and_the_page_a_reauthorize_link() {
    let (w, rt, desk, comp) = platform().await;
    let (a, _, _) = seed_authorizer(&w, &desk, &comp);

    let list = ok(&rt, "authorizer_list", json!({})).await;
    assert_eq!(list[0]["token_expires_at"], Value::Null);
    let tok = ok(
        &rt,
        "authorizer_token",
        json!({"component_appid": comp, "authorizer_appid": a}),
    )
    .await;
    let list = ok(&rt, "authorizer_list", json!({})).await;
    let at = list[0]["token_expires_at"].as_i64().unwrap();
    assert!(at > desk.now(), "{at}");
    assert_eq!(tok["expires_at"].as_i64(), Some(at), "{tok}");

    // Re-authorize: the same platform, restricted to this merchant.
    let link = ok(
        &rt,
        "auth_link",
        json!({"component_appid": comp, "kind": "pc", "biz_appid": a,
               "redirect_uri": "https://desk.example.com/callback"}),
    )
    .await;
    let url = link["url"].as_str().unwrap();
    assert!(url.contains(&format!("biz_appid={a}")), "{url}");
    assert!(url.contains(&format!("component_appid={comp}")), "{url}");
}

#[tokio::test]
async fn fetch_missing_profiles_fills_every_row_and_reports_failures() {
    let (w, rt, desk, comp) = platform().await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(seed_authorizer(&w, &desk, &comp).0);
    }
    let list = ok(&rt, "authorizer_list", json!({})).await;
    assert!(nick_names(&list).iter().all(|n| *n == ""));

    let v = fetch_missing(&rt, json!({"component_appid": comp, "concurrency": 2})).await;
    assert_eq!(v["state"], "done", "{v}");
    assert_eq!(v["kind"], "authorizer_fetch_missing");
    assert_eq!(v["done"], 5);
    assert_eq!(v["total"], 5);
    assert_eq!(v["result"]["fetched"], 5);
    assert_eq!(v["result"]["failed"], json!([]));
    let list = ok(&rt, "authorizer_list", json!({})).await;
    assert!(nick_names(&list).iter().all(|n| *n != ""), "{list}");
    let calls = w
        .sandbox
        .counter("cgi-bin/component/api_get_authorizer_info");
    assert_eq!(calls, 5);

    // Nothing is missing any more: a second run makes no calls.
    let v = fetch_missing(&rt, json!({"component_appid": comp})).await;
    assert_eq!(v["result"]["total"], 0);
    assert_eq!(
        w.sandbox
            .counter("cgi-bin/component/api_get_authorizer_info"),
        calls
    );

    // Failures are reported per merchant without stopping the others.
    let (x, _, _) = seed_authorizer(&w, &desk, &comp);
    let (y, _, _) = seed_authorizer(&w, &desk, &comp);
    w.sandbox.set_fault(Fault {
        times: Some(1),
        ..Fault::new(
            "cgi-bin/component/api_get_authorizer_info",
            FaultKind::Errcode {
                errcode: 61003,
                errmsg: "component is not authorized by this account".into(),
            },
        )
    });
    let v = fetch_missing(&rt, json!({"component_appid": comp, "concurrency": 1})).await;
    assert_eq!(v["state"], "done", "{v}");
    assert_eq!(v["result"]["total"], 2);
    assert_eq!(v["result"]["fetched"], 1);
    let failed = v["result"]["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert!(
        [x.as_str(), y.as_str()].contains(&failed[0]["appid"].as_str().unwrap()),
        "{v}"
    );
    assert_eq!(failed[0]["errcode"], 61003);

    let e = refused(
        &rt,
        "authorizer_fetch_missing",
        json!({"component_appid": random_appid()}),
    )
    .await;
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
}

#[tokio::test]
async fn fetch_missing_profiles_can_be_cancelled() {
    let (w, rt, desk, comp) = platform().await;
    for _ in 0..12 {
        seed_authorizer(&w, &desk, &comp);
    }
    w.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_get_authorizer_info",
        FaultKind::Latency { ms: 150 },
    ));
    let started = ok(
        &rt,
        "authorizer_fetch_missing",
        json!({"component_appid": comp, "concurrency": 1}),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    ok(&rt, "job_cancel", json!({"job_id": started["job_id"]})).await;
    let v = finished(&rt, started).await;
    assert_eq!(v["state"], "cancelled", "{v}");
    let r = &v["result"];
    assert_eq!(r["cancelled"], true);
    let not_started = r["not_started"].as_i64().unwrap();
    assert!(not_started > 0, "{v}");
    assert_eq!(
        r["fetched"].as_i64().unwrap() + not_started,
        12,
        "every merchant is either fetched or not started: {v}"
    );
}
