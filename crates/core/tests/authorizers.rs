//! Authorizers: a real consent flow, listing and showing, the list sync
//! reconciling additions, rotations and revocations, fetching the profile a
//! sync leaves out, and bulk refresh with bounded concurrency, progress and
//! cancellation.

mod push_support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use push_support::*;
use wxdesk_core::services::authorizers::{AuthorizeInput, AuthorizerQuery, RefreshTarget};
use wxdesk_core::services::links::AuthLinkOptions;
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::store::call_log::CallLogQuery;
use wxdesk_core::Error;
use wxdesk_sandbox::{AccountKind, Fault, FaultKind};
use wxdesk_wechat::links::AuthLinkKind;

fn no_progress(_: usize, _: usize) {}

#[tokio::test]
async fn consent_flow_from_link_to_stored_authorizer() {
    let env = start_with_component().await;
    let link = env
        .desk
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap();
    assert!(
        link.url.contains("/cgi-bin/componentloginpage?"),
        "{}",
        link.url
    );
    let merchant = "wx1111222233334444";
    let location = consent(
        &link.url,
        &[("authorizer_appid", merchant), ("kind", "mini_program")],
    )
    .await;
    assert!(location.starts_with(REDIRECT), "{location}");
    assert!(location.contains("auth_code="));

    let view = env
        .desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location.clone()))
        .await
        .unwrap();
    assert_eq!(view.appid, merchant);
    assert_eq!(view.status, AuthorizerStatus::Active);
    assert_eq!(view.account_type, "mini_program");
    assert!(view.info.is_some());
    // The stored refresh token is the live one.
    let grant = env
        .desk
        .authorizer_token(COMP, merchant, true)
        .await
        .unwrap();
    assert!(!grant.token.is_empty());

    // The code is single-use: pasting the same address again fails.
    let err = env
        .desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61009), "{err}");

    // H5 link, re-authorizing the same account: the refresh token rotates and is saved.
    let old = env.stored_refresh_token(COMP, merchant);
    let link = env
        .desk
        .auth_link(
            COMP,
            &AuthLinkOptions {
                kind: AuthLinkKind::H5,
                auth_type: Some(2),
                biz_appid: Some(merchant.into()),
                ..AuthLinkOptions::default()
            },
        )
        .await
        .unwrap();
    assert!(
        link.url.contains("/wxaopen/safe/bindcomponent?") && link.url.ends_with("#wechat_redirect")
    );
    let location = consent(&link.url, &[("authorizer_appid", merchant)]).await;
    let code = wxdesk_wechat::links::parse_callback(&location)
        .unwrap()
        .auth_code
        .unwrap();
    let view = env
        .desk
        .authorize(COMP, AuthorizeInput::AuthCode(code))
        .await
        .unwrap();
    assert_eq!(view.appid, merchant);
    let new = env.stored_refresh_token(COMP, merchant);
    assert_ne!(old, new, "re-authorization rotates the refresh token");
    env.desk
        .authorizer_token(COMP, merchant, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_link_gets_a_fresh_pre_auth_code() {
    let env = start_with_component().await;
    let a = env
        .desk
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap();
    let b = env
        .desk
        .auth_link(COMP, &AuthLinkOptions::default())
        .await
        .unwrap();
    let code = |url: &str| {
        url.split("pre_auth_code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(code(&a.url), code(&b.url));
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        2
    );
    assert_eq!(a.expires_in, Some(600));
    assert!(a.expires_at.unwrap() >= env.desk.now() + 590);
    let masked = a.pre_auth_code_masked.clone().unwrap();
    assert!(masked.ends_with('…') && !masked.contains(&code(&a.url)));
    assert_eq!(a.redirect_uri, REDIRECT);

    // Each code works once: the second link still works after the first was used.
    consent(&a.url, &[]).await;
    let page = browser().post(&a.url).body("").send().await.unwrap();
    assert_ne!(page.status(), 302, "a used pre_auth_code is refused");
    let location = consent(&b.url, &[]).await;
    env.desk
        .authorize(COMP, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap();
}

#[tokio::test]
async fn authorize_input_errors_name_the_field() {
    let env = start_with_component().await;
    let err = env
        .desk
        .authorize(
            COMP,
            AuthorizeInput::CallbackUrl("https://x.example/cb?ticket=abc".into()),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "callback_url"),
        "{err}"
    );
    let err = env
        .desk
        .authorize(COMP, AuthorizeInput::AuthCode("   ".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "auth_code"),
        "{err}"
    );
    let err = env
        .desk
        .authorize(COMP, AuthorizeInput::AuthCode("nonsense".into()))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61009));
    let err = env
        .desk
        .authorize("wxffffffffffffffff", AuthorizeInput::AuthCode("x".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(env.sandbox.counter("cgi-bin/component/api_query_auth"), 1);
}

#[tokio::test]
async fn list_filters_and_show_asks_for_the_component_when_ambiguous() {
    let env = start_with_component().await;
    let mp = env.authorized(AccountKind::MiniProgram).await;
    let oa = env.authorized(AccountKind::OfficialAccount).await;

    let all = env
        .desk
        .authorizer_list(&AuthorizerQuery::default())
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|a| a.info.is_none()), "lists stay light");
    let mps = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            account_type: Some("mini_program".into()),
            ..AuthorizerQuery::default()
        })
        .unwrap();
    assert_eq!(
        mps.iter().map(|a| a.appid.as_str()).collect::<Vec<_>>(),
        vec![mp.as_str()]
    );
    let found = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            search: Some("Sandbox OA".into()),
            component: Some(COMP.into()),
            ..AuthorizerQuery::default()
        })
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].appid, oa);
    let err = env
        .desk
        .authorizer_list(&AuthorizerQuery {
            account_type: Some("app".into()),
            ..AuthorizerQuery::default()
        })
        .unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "account_type"));

    // The same mini program authorizes a second platform.
    let comp2 = "wxaaaaaaaaaaaaaaaa";
    env.add_component(comp2, TOKEN, Some(REDIRECT));
    env.give_ticket(comp2);
    let link = env
        .desk
        .auth_link(comp2, &AuthLinkOptions::default())
        .await
        .unwrap();
    let location = consent(&link.url, &[("authorizer_appid", &mp)]).await;
    env.desk
        .authorize(comp2, AuthorizeInput::CallbackUrl(location))
        .await
        .unwrap();
    let err = env.desk.authorizer_show(&mp, None).unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "component"),
        "{err}"
    );
    assert!(err.to_string().contains("--component") && err.to_string().contains(comp2));
    let shown = env.desk.authorizer_show(&mp, Some(comp2)).unwrap();
    assert_eq!(shown.component_appid, comp2);
    assert!(shown.info.is_some());
    assert_eq!(
        env.desk
            .authorizer_show("wx9999999999999999", None)
            .unwrap_err()
            .code(),
        "not_found"
    );
    assert_eq!(
        env.desk.authorizer_show("bad", None).unwrap_err().code(),
        "invalid_input"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_reconciles_ten_thousand_authorizers_quickly() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 10_000);
    assert_eq!(seeded.len(), 10_000);
    let last = Mutex::new((0usize, 0usize));
    let calls = AtomicUsize::new(0);
    let progress = |done: usize, total: usize| {
        calls.fetch_add(1, Ordering::SeqCst);
        *last.lock().unwrap() = (done, total);
    };
    let cancel = AtomicBool::new(false);
    let t0 = Instant::now();
    let report = env
        .desk
        .authorizer_sync(COMP, &progress, &cancel)
        .await
        .unwrap();
    let took = t0.elapsed();
    eprintln!("sync of 10,000 authorizers: {took:?}");
    assert_eq!(report.added, 10_000);
    assert_eq!(report.total, 10_000);
    assert_eq!(
        (
            report.updated_refresh_tokens,
            report.revoked,
            report.unchanged
        ),
        (0, 0, 0)
    );
    assert_eq!(*last.lock().unwrap(), (10_000, 10_000));
    assert!(
        calls.load(Ordering::SeqCst) >= 20,
        "one progress call per page"
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_get_authorizer_list"),
        20
    );
    let (active, revoked) = env
        .desk
        .store()
        .read(|c| wxdesk_core::store::authorizers::counts(c, Some(COMP)))
        .unwrap();
    assert_eq!((active, revoked), (10_000, 0));

    // Rotate one, revoke one, add three: one transaction reconciles them all.
    let rotated = env
        .sandbox_authorize(Some(&seeded[7]), AccountKind::MiniProgram)
        .0;
    env.sandbox.unauthorize(COMP, &seeded[42]).unwrap();
    let added = env.sandbox.seed_authorizers(COMP, 3);

    let report = env
        .desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(report.added, 3);
    assert_eq!(report.updated_refresh_tokens, 1);
    assert_eq!(report.revoked, 1);
    assert_eq!(report.unchanged, 10_000 - 2);
    assert_eq!(report.total, 10_002);
    assert_eq!(
        env.stored_refresh_token(COMP, &seeded[7]),
        rotated.refresh_token
    );
    let gone = env.desk.authorizer_show(&seeded[42], Some(COMP)).unwrap();
    assert_eq!(
        gone.status,
        AuthorizerStatus::Revoked,
        "revoked rows are kept"
    );
    for appid in &added {
        assert_eq!(
            env.desk.authorizer_show(appid, Some(COMP)).unwrap().status,
            AuthorizerStatus::Active
        );
    }
    // Synced refresh tokens are usable.
    env.desk
        .authorizer_token(COMP, &added[0], false)
        .await
        .unwrap();
    env.desk
        .authorizer_token(COMP, &seeded[7], true)
        .await
        .unwrap();

    // A re-authorization after a revocation is an addition.
    env.sandbox_authorize(Some(&seeded[42]), AccountKind::MiniProgram);
    let report = env
        .desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(
        (report.added, report.revoked, report.updated_refresh_tokens),
        (1, 0, 0)
    );
    assert_eq!(
        env.desk
            .authorizer_show(&seeded[42], Some(COMP))
            .unwrap()
            .status,
        AuthorizerStatus::Active
    );
}

#[tokio::test]
async fn a_cancelled_sync_writes_nothing() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 1_200);
    let cancel = AtomicBool::new(false);
    let progress = |done: usize, _total: usize| {
        if done >= 500 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let err = env
        .desk
        .authorizer_sync(COMP, &progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert!(env
        .desk
        .authorizer_list(&AuthorizerQuery::default())
        .unwrap()
        .is_empty());
    let err = env
        .desk
        .authorizer_sync("wxffffffffffffffff", &no_progress, &AtomicBool::new(false))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_all_with_bounded_concurrency_under_latency() {
    let env = start_with_component().await;
    env.sandbox.seed_authorizers(COMP, 1_000);
    let cancel = AtomicBool::new(false);
    env.desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    env.desk.component_token(COMP, false).await.unwrap();
    env.sandbox.reset_counters();
    env.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_authorizer_token",
        FaultKind::Latency { ms: 20 },
    ));

    let calls = AtomicUsize::new(0);
    let last = Mutex::new((0usize, 0usize));
    let progress = |done: usize, total: usize| {
        calls.fetch_add(1, Ordering::SeqCst);
        *last.lock().unwrap() = (done, total);
    };
    let t0 = Instant::now();
    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 16, &progress, &cancel)
        .await
        .unwrap();
    let took = t0.elapsed();
    eprintln!("refresh of 1,000 authorizers: {took:?}");
    // 1,000 calls of 20 ms one at a time would take 20 s; 16 at a time about 1.3 s.
    assert!(
        took >= Duration::from_millis(1_000 / 16 * 20),
        "concurrency is bounded: {took:?}"
    );
    assert_eq!(report.refreshed, 1_000, "{:?}", report.failed.first());
    assert!(report.failed.is_empty());
    assert_eq!(report.total, 1_000);
    assert!(!report.cancelled);
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token"),
        1_000
    );
    assert_eq!(*last.lock().unwrap(), (1_000, 1_000));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1_001,
        "once at the start, once per authorizer"
    );
    // Each token is now cached.
    let cached = env.desk.cached_tokens().unwrap();
    assert_eq!(
        cached
            .iter()
            .filter(|t| t.kind == wxdesk_core::token_types::TokenKind::Authorizer)
            .count(),
        1_000
    );
}

#[tokio::test]
async fn refresh_reports_failures_skips_revoked_and_can_be_cancelled() {
    let env = start_with_component().await;
    let seeded = env.sandbox.seed_authorizers(COMP, 200);
    let cancel = AtomicBool::new(false);
    env.desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    // One re-authorizes behind the desk's back (its stored token is now stale), one revokes.
    env.sandbox_authorize(Some(&seeded[3]), AccountKind::MiniProgram);
    env.sandbox.unauthorize(COMP, &seeded[5]).unwrap();
    env.desk
        .store()
        .write(|tx| wxdesk_core::store::authorizers::mark_revoked(tx, COMP, &seeded[5], 1))
        .unwrap();

    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 8, &no_progress, &cancel)
        .await
        .unwrap();
    assert_eq!(report.total, 200);
    assert_eq!(report.skipped_revoked, 1);
    assert_eq!(report.refreshed, 198);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].appid, seeded[3]);
    assert_eq!(report.failed[0].errcode, Some(61023));
    assert_eq!(report.failed[0].code, "api");

    // One authorizer.
    let report = env
        .desk
        .authorizer_refresh(
            COMP,
            RefreshTarget::One(seeded[9].clone()),
            4,
            &no_progress,
            &cancel,
        )
        .await
        .unwrap();
    assert_eq!((report.total, report.refreshed), (1, 1));
    let err = env
        .desk
        .authorizer_refresh(
            COMP,
            RefreshTarget::One("wx9999999999999999".into()),
            4,
            &no_progress,
            &cancel,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::All, 0, &no_progress, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Invalid { field, .. } if field == "concurrency"));

    // Cancel after 20 done: the rest are not started. (Every token is
    // fresh now, so only a forced refresh of all has work to cancel.)
    env.sandbox.reset_counters();
    let progress = |done: usize, _: usize| {
        if done >= 20 {
            cancel.store(true, Ordering::SeqCst);
        }
    };
    let report = env
        .desk
        .authorizer_refresh(COMP, RefreshTarget::AllForced, 4, &progress, &cancel)
        .await
        .unwrap();
    assert!(report.cancelled);
    assert!(report.not_started > 100, "{}", report.not_started);
    assert_eq!(
        report.refreshed + report.failed.len() + report.not_started,
        199
    );
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token") as usize,
        report.refreshed + report.failed.len()
    );
}

#[tokio::test]
async fn refresh_info_fills_the_profile_a_sync_left_out() {
    let env = start_with_component().await;
    let mps = env.sandbox.seed_authorizers(COMP, 2);
    // An Official Account authorizes too; the desk learns of it only by the sync.
    let oa = env
        .sandbox_authorize(None, AccountKind::OfficialAccount)
        .0
        .authorizer_appid;
    let report = env
        .desk
        .authorizer_sync(COMP, &no_progress, &AtomicBool::new(false))
        .await
        .unwrap();
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
    let cancel = AtomicBool::new(false);
    env.desk
        .authorizer_sync(COMP, &no_progress, &cancel)
        .await
        .unwrap();
    env.sandbox.unauthorize(COMP, &seeded[0]).unwrap();
    // One of two is a mass revocation: confirmed.
    env.desk
        .authorizer_sync_confirmed(COMP, true, &no_progress, &cancel)
        .await
        .unwrap();
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
    env.desk
        .authorizer_sync(COMP, &no_progress, &AtomicBool::new(false))
        .await
        .unwrap();
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
