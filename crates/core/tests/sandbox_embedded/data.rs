//! The embedded sandbox's data helpers for the offline walk: sample
//! encrypted data for the last login, and seeded merchants that authorize
//! the demo platform and sync into the desk.

use super::*;

#[tokio::test]
async fn sample_data_for_the_last_login_decrypts_and_the_status_has_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let started = start(&rt).await;
    let demo = &started["demo"];
    let status = dispatch(&rt, "sandbox_status", json!({})).await.unwrap();
    assert_eq!(status["demo"], *demo, "a reloaded page gets the demo back");
    let app = demo["mini_program_appid"].as_str().unwrap();
    let secret = demo["mini_program_secret"].as_str().unwrap();
    dispatch(&rt, "app_add", json!({"appid": app, "secret": secret}))
        .await
        .unwrap();
    let code = dispatch(&rt, "sandbox_issue_js_code", json!({"appid": app}))
        .await
        .unwrap();
    let login = dispatch(&rt, "login", json!({"appid": app, "code": code["code"]}))
        .await
        .unwrap();
    let openid = login["openid"].as_str().unwrap();
    let sample = dispatch(
        &rt,
        "sandbox_sample_data",
        json!({"appid": app, "openid": openid}),
    )
    .await
    .unwrap();
    assert_eq!(
        sample.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["encrypted_data", "iv"],
        "only the ciphertext and iv leave: {sample}"
    );
    let out = dispatch(
        &rt,
        "decrypt_data",
        json!({"appid": app, "openid": openid, "iv": sample["iv"], "data": sample["encrypted_data"]}),
    )
    .await
    .unwrap();
    assert_eq!(out["json"]["openId"], openid);
    assert_eq!(out["watermark_appid"], app);
    assert_eq!(out["watermark_ok"], true);
    // A user who never logged in is named with the fix.
    let e = dispatch(
        &rt,
        "sandbox_sample_data",
        json!({"appid": app, "openid": "o-nobody"}),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, reason } if field == "openid" && reason.contains("login")),
        "{e:?}"
    );
}

#[tokio::test]
async fn seeded_merchants_authorize_the_platform_and_sync_into_the_desk() {
    let dir = tempfile::tempdir().unwrap();
    let rt = production(&dir).await;
    let e = dispatch(
        &rt,
        "sandbox_seed_merchants",
        json!({"component_appid": random_appid(), "count": 2}),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { field, .. } if field == "sandbox"),
        "{e:?}"
    );

    let started = start(&rt).await;
    let demo = &started["demo"];
    let comp = demo["component_appid"].as_str().unwrap();
    for (args, bad) in [
        (json!({"component_appid": comp, "count": 0}), "count"),
        (json!({"component_appid": comp, "count": 201}), "count"),
        (
            json!({"component_appid": comp, "count": 2, "audit_secs": -1}),
            "audit_secs",
        ),
        (
            json!({"component_appid": random_appid(), "count": 2}),
            "component_appid",
        ),
    ] {
        let e = dispatch(&rt, "sandbox_seed_merchants", args.clone())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Invalid { field, .. } if field == bad),
            "{args}: {e:?}"
        );
    }

    let seeded = dispatch(
        &rt,
        "sandbox_seed_merchants",
        json!({"component_appid": comp, "count": 20, "audit_secs": 2}),
    )
    .await
    .unwrap();
    let appids: Vec<String> = seeded["appids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(appids.len(), 20, "{seeded}");
    assert!(appids.iter().all(|a| a.len() == 18 && a.starts_with("wx")));

    // The platform in the desk, with a ticket; Sync brings all twenty in.
    dispatch(
        &rt,
        "component_add",
        json!({
            "appid": comp,
            "secret": demo["component_secret"],
            "token": demo["component_token"],
            "aes_key": demo["component_aes_key"],
            "name": null,
            "redirect_uri": null,
        }),
    )
    .await
    .unwrap();
    let push = dispatch(&rt, "sandbox_push_ticket", json!({"component_appid": comp}))
        .await
        .unwrap();
    dispatch(
        &rt,
        "ticket_push",
        json!({"component_appid": comp, "query": push["query"], "body": push["body"]}),
    )
    .await
    .unwrap();
    let job = dispatch(
        &rt,
        "authorizer_sync",
        json!({"component_appid": comp, "confirmed": true}),
    )
    .await
    .unwrap();
    let id = job["job_id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let v = dispatch(&rt, "job_status", json!({ "job_id": id }))
            .await
            .unwrap();
        if v["state"] != "running" {
            assert_eq!(v["state"], "done", "{v}");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "sync did not end: {v}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let list = dispatch(
        &rt,
        "authorizer_list",
        json!({"component_appid": comp, "status": null, "account_type": null}),
    )
    .await
    .unwrap();
    for appid in &appids {
        let a = list
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["appid"] == appid.as_str())
            .unwrap_or_else(|| panic!("{appid} was not synced: {list}"));
        assert_eq!(a["status"], "active", "{a}");
    }
    // What a readiness check asks of WeChat: nickname, avatar and a category.
    let target = json!({"appid": appids[0], "component_appid": comp});
    let info = dispatch(&rt, "account_info", target.clone()).await.unwrap();
    assert!(!info["nickname"].as_str().unwrap().is_empty(), "{info}");
    assert!(
        !info["head_image_info"]["head_image_url"]
            .as_str()
            .unwrap()
            .is_empty(),
        "{info}"
    );
    let categories = dispatch(&rt, "code_categories", target).await.unwrap();
    assert!(
        !categories["categories"].as_array().unwrap().is_empty(),
        "{categories}"
    );
}
