//! Profiles, the phone meter and the missing-profile fetch, shell against
//! shell. Profiles are twins by name (`alpha` from the CLI, `beta` over
//! HTTP) and are applied to twin merchants.

use serde_json::json;

use crate::harness::*;

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>) {
    let w = k.w;
    let (c, m1, m2) = platform_with_two_merchants(w);
    let (a, b) = (m1.as_str(), m2.as_str());

    let guide = json!({ "owner_setting": { "contact_email": "p@example.com", "notice_method": "弹窗" },
                        "setting_list": [{ "privacy_key": "UserInfo", "privacy_text": "登录" }] });
    let guide_f = w.write("contract-profile-guide.json", &guide.to_string());
    let guide_s = guide_f.display().to_string();
    let set = |name: &str| {
        json!({ "component_appid": c, "name": name, "template_id": 1, "user_version": "2.0.0",
                "user_desc": "contract", "privacy": guide })
    };
    k.same(
        "profile_set",
        &[
            "profile",
            "set",
            "--component",
            &c,
            "alpha",
            "--template-id",
            "1",
            "--version",
            "2.0.0",
            "--desc",
            "contract",
            "--privacy",
            &guide_s,
        ],
        set("beta"),
        &[("beta", "alpha")],
    );
    k.same(
        "profile_list",
        &["profile", "list", "--component", &c],
        json!({ "component_appid": c }),
        &[],
    );
    k.same(
        "profile_show",
        &["profile", "show", "--component", &c, "alpha"],
        json!({ "component_appid": c, "name": "alpha" }),
        &[],
    );
    let file = w.write("contract-merchants.txt", &format!("{a}\n"));
    let file_s = file.display().to_string();
    k.same(
        "profile_apply",
        &[
            "profile",
            "apply",
            "--component",
            &c,
            "alpha",
            "--merchants",
            &file_s,
        ],
        json!({ "component_appid": c, "name": "beta", "appids": [b], "all": false }),
        &[("beta", "alpha"), (b, a)],
    );
    k.same(
        "profile_delete",
        &["profile", "delete", "--component", &c, "alpha"],
        json!({ "component_appid": c, "name": "beta" }),
        &[("beta", "alpha")],
    );

    // The meter: read, then prices set (the command prints the meter after).
    k.same("meter", &["meter"], json!({}), &[]);
    let cli = w.ok(&["meter", "--fast-price", "0.05", "--realtime-price", "0.1"]);
    k.http(
        "meter_set_prices",
        json!({ "fast_yuan": 0.05, "realtime_yuan": 0.1 }),
    );
    let http = k.http("meter", json!({}));
    k.check("meter_set_prices", cli, http, &[]);
    let cli = w.ok(&["meter", "--appid", a, "--component", "realtime"]);
    k.http(
        "meter_set_component",
        json!({ "appid": a, "component": "realtime" }),
    );
    let http = k.http("meter", json!({ "appid": a }));
    k.check("meter_set_component", cli, http, &[]);

    // The missing profiles of twin platforms, two merchants each.
    let (p1, p2) = (w.component(), w.component());
    for p in [&p1, &p2] {
        w.sandbox.seed_authorizers(&p.appid, 2);
        w.ok(&["authorizer", "sync", "--component", &p.appid]);
    }
    let cli = w.ok(&[
        "authorizer",
        "info",
        "--all-missing",
        "--component",
        &p1.appid,
    ]);
    let http = k.http_job(
        "authorizer_fetch_missing",
        json!({ "component_appid": p2.appid }),
    );
    k.check(
        "authorizer_fetch_missing",
        cli,
        http,
        &[(p2.appid.as_str(), p1.appid.as_str())],
    );
}
