//! The paid phone-number meter through the op table against the sandbox:
//! successful `getuserphonenumber` calls are counted per mini program and
//! component (failures are not), priced beyond the 1,000-call trial,
//! projected over the month, warned about near the end of the trial, and
//! kept when the call log is pruned.

mod common;

use common::*;
use serde_json::{json, Value};
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::store::call_log;
use wxdesk_core::Error;

async fn op(rt: &Runtime, name: &str, args: Value) -> Result<Value, Error> {
    dispatch(rt, name, args).await
}

async fn paid_calls(w: &World, rt: &Runtime, appid: &str, n: usize) {
    for i in 0..n {
        let code = w.sandbox.issue_phone_code(appid, &format!("1380013800{i}"));
        op(rt, "phone", json!({"appid": appid, "code": code}))
            .await
            .unwrap();
    }
}

fn component<'a>(app: &'a Value, c: &str) -> &'a Value {
    app["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["component"] == c)
        .unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

#[tokio::test]
async fn three_paid_calls_are_metered_per_component_and_survive_pruning() {
    let w = World::start().await;
    let rt = w.runtime().await;
    let desk = rt.desk();
    let (app, _) = seed_app(&w, &desk);
    let (comp, _) = seed_component(&w, &desk);
    deliver_ticket(&w, &desk, &comp);
    let (merchant, _, _) = seed_authorizer(&w, &desk, &comp);

    // Nothing yet: the app is known, so its meter reads zero.
    let v = op(&rt, "meter", json!({"appid": app})).await.unwrap();
    assert_eq!(v["apps"][0]["month_calls"], 0);
    assert_eq!(v["apps"][0]["component"], "fast");

    // 3 paid calls with the app's own token; a failed exchange is not billed.
    paid_calls(&w, &rt, &app, 3).await;
    let bad = op(
        &rt,
        "phone",
        json!({"appid": app, "code": "not-a-real-code"}),
    )
    .await;
    assert!(bad.is_err());

    // The merchant uses real-time verification: 2 calls with the authorizer token.
    let v = op(
        &rt,
        "meter_set_component",
        json!({"appid": merchant, "component": "realtime"}),
    )
    .await
    .unwrap();
    assert_eq!(v["component"], "realtime");
    paid_calls(&w, &rt, &merchant, 2).await;

    let v = op(&rt, "meter", json!({})).await.unwrap();
    assert_eq!(v["month_calls"], 5);
    assert_eq!(v["prices"]["fast_yuan"], 0.03);
    assert_eq!(v["prices"]["realtime_yuan"], 0.04);
    assert_eq!(v["trial_calls"], 1000);
    let a = v["apps"].as_array().unwrap();
    assert_eq!(a.len(), 2);
    let mine = a.iter().find(|x| x["appid"] == app.as_str()).unwrap();
    assert_eq!(mine["month_calls"], 3);
    assert_eq!(mine["is_app"], true);
    let fast = component(mine, "fast");
    assert_eq!(fast["month_calls"], 3);
    assert_eq!(fast["today_calls"], 3);
    assert_eq!(fast["trial_used"], 3);
    assert_eq!(fast["trial_left"], 997);
    assert_eq!(fast["billable_calls"], 0);
    assert_eq!(f(&fast["cost_yuan"]), 0.0);
    assert_eq!(fast["trial_warning"], false);
    assert_eq!(component(mine, "realtime")["month_calls"], 0);
    // Projection: the pace so far over the whole month.
    let (elapsed, dim) = (
        v["days_elapsed"].as_i64().unwrap(),
        v["days_in_month"].as_i64().unwrap(),
    );
    let expected = 3 + ((3.0 / elapsed as f64) * (dim - elapsed) as f64).round() as i64;
    assert_eq!(fast["projected_calls"], expected);
    assert_eq!(mine["days"].as_array().unwrap().len(), 1);
    assert_eq!(mine["days"][0]["fast"], 3);

    let theirs = a.iter().find(|x| x["appid"] == merchant.as_str()).unwrap();
    assert_eq!(theirs["component"], "realtime");
    assert_eq!(theirs["authorizer_of"][0], comp.as_str());
    assert_eq!(component(theirs, "realtime")["month_calls"], 2);
    assert_eq!(component(theirs, "fast")["month_calls"], 0);

    // Pruning the whole call log keeps the counts.
    let deleted = desk
        .store()
        .write(|tx| call_log::prune_before(tx, i64::MAX, 10_000))
        .unwrap();
    assert!(deleted >= 5, "deleted {deleted}");
    let v = op(&rt, "meter", json!({"appid": app})).await.unwrap();
    assert_eq!(v["apps"].as_array().unwrap().len(), 1);
    assert_eq!(v["apps"][0]["month_calls"], 3);
}

#[tokio::test]
async fn beyond_the_trial_calls_cost_the_price_set_and_warn() {
    let w = World::start().await;
    let rt = w.runtime().await;
    let desk = rt.desk();
    let (app, _) = seed_app(&w, &desk);
    // 999 trial calls were used in an earlier month.
    desk.store()
        .write(|tx| {
            tx.execute(
                "INSERT INTO phone_meter_counts (appid, day, component, calls) VALUES (?1, '2025-01-15', 'fast', 999)",
                [&app],
            )?;
            Ok(())
        })
        .unwrap();
    let v = op(
        &rt,
        "meter_set_prices",
        json!({"fast_yuan": 0.05, "realtime_yuan": 0.04}),
    )
    .await
    .unwrap();
    assert_eq!(v["fast_yuan"], 0.05);

    paid_calls(&w, &rt, &app, 3).await;
    let v = op(&rt, "meter", json!({"appid": app})).await.unwrap();
    let fast = component(&v["apps"][0], "fast");
    assert_eq!(fast["month_calls"], 3);
    assert_eq!(fast["trial_used"], 1000);
    assert_eq!(fast["trial_left"], 0);
    assert_eq!(fast["billable_calls"], 2);
    assert_eq!(f(&fast["cost_yuan"]), 0.1);
    assert_eq!(fast["trial_warning"], true);
    assert_eq!(v["apps"][0]["trial_warning"], true);
    assert_eq!(v["warnings"], 1);
    // The projection bills every projected call beyond the one free call left.
    let projected = fast["projected_calls"].as_i64().unwrap();
    assert!((f(&fast["projected_cost_yuan"]) - (projected - 1) as f64 * 0.05).abs() < 1e-9);

    // That earlier month, on its own: 999 calls, all in the trial, warned.
    let v = op(&rt, "meter", json!({"appid": app, "month": "2025-01"}))
        .await
        .unwrap();
    let fast = component(&v["apps"][0], "fast");
    assert_eq!(fast["month_calls"], 999);
    assert_eq!(fast["billable_calls"], 0);
    assert_eq!(fast["projected_calls"], 999);
    assert_eq!(fast["trial_warning"], true);
    assert_eq!(v["is_current_month"], false);
    assert_eq!(v["days_in_month"], 31);
}

#[tokio::test]
async fn bad_meter_input_names_the_field() {
    let w = World::start().await;
    let rt = w.runtime().await;
    let e = op(&rt, "meter", json!({"month": "2026/12"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("month"), "{e}");
    assert!(e.to_string().contains("YYYY-MM"), "{e}");
    let e = op(
        &rt,
        "meter_set_prices",
        json!({"fast_yuan": -1.0, "realtime_yuan": 0.04}),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("fast_yuan"), "{e}");
    let e = op(
        &rt,
        "meter_set_component",
        json!({"appid": random_appid(), "component": "realtime"}),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
    let e = op(
        &rt,
        "meter_set_component",
        json!({"appid": random_appid(), "component": "slow"}),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("component"), "{e}");
    let e = op(&rt, "meter", json!({"appid": random_appid()}))
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e}");
}
