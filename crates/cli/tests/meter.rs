//! `wxdesk meter [--appid A] [--month YYYY-MM]` against the sandbox: three
//! paid phone-number calls are counted, priced and projected; the component
//! and prices can be set; bad input names the flag.

mod common;

use common::*;
use wxdesk_sandbox::AccountKind;

#[test]
fn meter_reads_three_paid_calls() {
    let w = World::start();
    let (app, _) = w.app();
    for i in 0..3 {
        let code = w.sandbox.issue_phone_code(&app, &format!("1380013800{i}"));
        w.ok(&["phone", "--appid", &app, "--code", &code]);
    }
    let v = w.ok(&["meter", "--appid", &app]);
    assert_eq!(v["month_calls"], 3);
    let a = &v["apps"][0];
    assert_eq!(a["appid"], app.as_str());
    assert_eq!(a["name"], "Shop");
    assert_eq!(a["component"], "fast");
    assert_eq!(a["components"][0]["component"], "fast");
    assert_eq!(a["components"][0]["trial_used"], 3);
    assert_eq!(a["components"][0]["trial_left"], 997);
    assert_eq!(a["cost_yuan"], 0.0);

    // The whole desk, and the current month named explicitly, agree.
    let month = v["month"].as_str().unwrap().to_string();
    let all = w.ok(&["meter", "--month", &month]);
    assert_eq!(all["month_calls"], 3);
    let text = w.text(&["meter"]);
    assert!(
        text.contains(&app) && text.contains("fast 3/1000"),
        "{text}"
    );

    // An authorizer switched to real-time verification, with new prices.
    let c = w.component();
    let m = w.authorized(&c.appid, AccountKind::MiniProgram);
    let mp = m.authorizer_appid.as_str();
    let v = w.ok(&[
        "meter",
        "--appid",
        mp,
        "--component",
        "realtime",
        "--fast-price",
        "0.03",
        "--realtime-price",
        "0.05",
    ]);
    assert_eq!(v["apps"][0]["component"], "realtime");
    assert_eq!(v["prices"]["realtime_yuan"], 0.05);
    let code = w.sandbox.issue_phone_code(mp, "13800138009");
    w.ok(&["phone", "--appid", mp, "--code", &code]);
    let v = w.ok(&["meter", "--appid", mp]);
    assert_eq!(v["apps"][0]["components"][1]["component"], "realtime");
    assert_eq!(v["apps"][0]["components"][1]["month_calls"], 1);

    let e = w.err(&["meter", "--month", "12-2026"]);
    assert!(e["message"].as_str().unwrap().contains("YYYY-MM"), "{e}");
    let r = w.run(&["meter", "--component", "realtime", "--json"]);
    assert_eq!(r.code, Some(2), "--component needs --appid");
}
