//! Authorizer profiles: fetching the profile a sync leaves out, what it
//! refuses, and the same through the op table.

mod push_support;

use push_support::*;
use wxdesk_core::services::authorizers::AuthorizerQuery;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::Error;
use wxdesk_sandbox::{AccountKind, Fault, FaultKind};

#[tokio::test]
async fn refresh_info_fills_the_profile_a_sync_left_out() {
    let env = start_with_component().await;
    let mps = env.sandbox.seed_authorizers(COMP, 2);
    // An Official Account authorizes too; the desk learns of it only by the sync.
    let oa = env
        .sandbox_authorize(None, AccountKind::OfficialAccount)
        .0
        .authorizer_appid;
    let report = sync(&env).await.unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_info"),
        0,
        "the sync fetches no profile"
    );

    // What the sync stored: a refresh token, no profile.
    let bare = env.desk.authorizer_show(&mps[0], None).unwrap();
    assert_eq!(
        (bare.nick_name.as_str(), bare.account_type.as_str()),
        ("", "unknown")
    );
    assert!(bare.info.is_none() && bare.func_info.is_empty() && bare.has_refresh_token);
    let of_type = |t: &str| {
        env.desk
            .authorizer_list(&AuthorizerQuery {
                account_type: Some(t.into()),
                ..AuthorizerQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|a| a.appid)
            .collect::<Vec<_>>()
    };
    assert!(of_type("mini_program").is_empty());
    assert!(of_type("official_account").is_empty());
    assert_eq!(of_type("unknown").len(), 3);
    let refresh_token = env.stored_refresh_token(COMP, &mps[0]);

    // Fetch one mini program's profile (the platform is found from the appid).
    let view = env
        .desk
        .authorizer_refresh_info(&mps[0], None)
        .await
        .unwrap();
    assert_eq!(view.appid, mps[0]);
    assert_eq!(view.component_appid, COMP);
    assert!(
        view.nick_name.starts_with("沙箱小程序 Sandbox MP"),
        "{}",
        view.nick_name
    );
    assert_eq!(view.account_type, "mini_program");
    let mut grants = view.func_info.clone();
    grants.sort_unstable();
    assert_eq!(grants, vec![1, 2, 3, 17, 18, 25, 30, 31, 37, 40]);
    let info = view.info.as_ref().expect("the snapshot is returned");
    assert!(info.get("MiniProgramInfo").is_some(), "{info}");
    assert_eq!(info["nick_name"], view.nick_name.as_str());
    assert!(view
        .principal_name
        .as_deref()
        .is_some_and(|p| p.contains("Sandbox Tech")));
    assert!(view
        .user_name
        .as_deref()
        .is_some_and(|u| u.starts_with("gh_")));
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_info"),
        1
    );

    // Stored, not just returned: show reads the same; filters and search find it.
    let shown = env.desk.authorizer_show(&mps[0], Some(COMP)).unwrap();
    assert_eq!(shown, view);
    assert_eq!(of_type("mini_program"), vec![mps[0].clone()]);
    let found = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            search: Some(view.nick_name.clone()),
            ..AuthorizerQuery::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].appid, mps[0]);
    // The refresh token and the other authorizers are untouched.
    assert_eq!(env.stored_refresh_token(COMP, &mps[0]), refresh_token);
    assert_eq!(
        env.desk
            .authorizer_show(&mps[1], None)
            .unwrap()
            .account_type,
        "unknown"
    );

    // The Official Account, with the platform named.
    let view = env
        .desk
        .authorizer_refresh_info(&oa, Some(COMP))
        .await
        .unwrap();
    assert_eq!(view.account_type, "official_account");
    assert!(view.nick_name.contains("Sandbox OA"), "{}", view.nick_name);
    assert!(view.info.as_ref().unwrap().get("MiniProgramInfo").is_none());
    assert_eq!(of_type("official_account"), vec![oa.clone()]);

    // The call went through the recording client: it is in the call log, for the authorizer.
    let logged = env
        .desk
        .call_log(&CallLogQuery {
            endpoint: Some("cgi-bin/component/api_get_authorizer_info".into()),
            ..CallLogQuery::default()
        })
        .unwrap();
    assert_eq!(logged.len(), 2);
    assert!(logged
        .iter()
        .any(|c| c.account.as_deref() == Some(mps[0].as_str())));
    assert!(logged.iter().all(|c| !c.failed));

    // Running it again replaces a stale snapshot (a renamed account, changed grants).
    let fresh_name = view_name(&env, &mps[0]);
    env.desk
        .store()
        .write(|tx| {
            wxdesk_core::store::authorizers::set_info(
                tx,
                COMP,
                &mps[0],
                Some(&serde_json::json!({ "nick_name": "Old name" })),
                "Old name",
                "official_account",
                &[1],
                1,
            )
        })
        .unwrap();
    let again = env
        .desk
        .authorizer_refresh_info(&mps[0], None)
        .await
        .unwrap();
    assert_eq!(again.nick_name, fresh_name);
    assert_eq!(again.account_type, "mini_program");
    assert_eq!(again.func_info.len(), 10);
    assert!(again.updated_at > 1);
    assert_eq!(env.desk.authorizer_show(&mps[0], None).unwrap(), again);
}

fn view_name(env: &Env, appid: &str) -> String {
    env.desk.authorizer_show(appid, None).unwrap().nick_name
}

#[tokio::test]
async fn refresh_info_refuses_revoked_and_unknown_authorizers() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 2);
    sync(&env).await.unwrap();
    env.sandbox.unauthorize(COMP, &seeded[0]).unwrap();
    // One of two is a mass revocation: confirmed.
    sync_confirmed(&env).await.unwrap();
    env.sandbox.reset_counters();

    // Revoked: refused before anything is sent, with the fix.
    let err = env
        .desk
        .authorizer_refresh_info(&seeded[0], Some(COMP))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Revoked(a) if *a == seeded[0]),
        "{err}"
    );
    assert_eq!(err.code(), "revoked");
    assert!(
        err.hint()
            .is_some_and(|h| h.contains("authorize the platform again")),
        "{:?}",
        err.hint()
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_info"),
        0
    );

    // Unknown appid: not_found, and the hint says how an authorizer gets here.
    let err = env
        .desk
        .authorizer_refresh_info("wx9999999999999999", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    assert!(err.to_string().contains("wx9999999999999999"));
    let hint = err.hint().unwrap();
    assert!(
        hint.contains("wxdesk authorizer sync --component") && hint.contains("wxdesk authorize"),
        "{hint}"
    );
    let err = env
        .desk
        .authorizer_refresh_info(&seeded[1], Some("wxffffffffffffffff"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
    let err = env
        .desk
        .authorizer_refresh_info("not-an-appid", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(err.to_string().starts_with("appid:"), "{err}");

    // WeChat refusing: its errcode comes back and nothing is written.
    env.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_get_authorizer_info",
        FaultKind::Errcode {
            errcode: 61003,
            errmsg: "component is not authorized by this account".into(),
        },
    ));
    let before = env.desk.authorizer_show(&seeded[1], None).unwrap();
    let err = env
        .desk
        .authorizer_refresh_info(&seeded[1], None)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61003), "{err}");
    assert_eq!(env.desk.authorizer_show(&seeded[1], None).unwrap(), before);
    let failed = env
        .desk
        .call_log(&CallLogQuery {
            errors_only: true,
            ..CallLogQuery::default()
        })
        .unwrap();
    assert!(failed
        .iter()
        .any(|c| c.endpoint.contains("api_get_authorizer_info") && c.errcode == Some(61003)));
}

#[tokio::test]
async fn refresh_info_is_an_operation_of_the_table() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 1);
    sync(&env).await.unwrap();
    let rt = wxdesk_testkit::desk::open_runtime(
        &env.dir.path().join("wxdesk.db"),
        &env.sandbox.base_url(),
    )
    .await;
    assert!(wxdesk_core::ops::OP_NAMES.contains(&"authorizer_refresh_info"));
    let v = wxdesk_core::ops::dispatch(
        &rt,
        "authorizer_refresh_info",
        serde_json::json!({ "appid": seeded[0], "component_appid": COMP }),
    )
    .await
    .unwrap();
    assert_eq!(v["account_type"], "mini_program");
    assert!(
        v["nick_name"].as_str().is_some_and(|n| !n.is_empty()),
        "{v}"
    );
    assert!(v["info"].is_object());
    assert!(v.get("refresh_token").is_none());
    let err = wxdesk_core::ops::dispatch(
        &rt,
        "authorizer_refresh_info",
        serde_json::json!({ "appid": seeded[0], "force": true }),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "unknown fields are rejected");
}
