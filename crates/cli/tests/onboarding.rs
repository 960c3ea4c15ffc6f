//! Onboarding merchants through the CLI: links with fresh pre_auth_codes,
//! authorization by code or callback URL, authorizer list/show/info/sync/refresh,
//! authorization pushes. Fast registration is in `fastregister.rs`.

mod common;

use common::*;
use wxdesk_sandbox::AccountKind;

#[test]
fn links_fetch_a_fresh_pre_auth_code_each_time_and_write_qr_codes() {
    let w = World::start();
    let c = w.component();
    let v1 = w.ok(&["link", "pc", "--component", &c.appid]);
    let v2 = w.ok(&["link", "pc", "--component", &c.appid]);
    assert_eq!(
        w.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        2
    );
    let (u1, u2) = (v1["url"].as_str().unwrap(), v2["url"].as_str().unwrap());
    assert_ne!(u1, u2, "never reuse a pre_auth_code");
    assert!(
        u1.starts_with(&format!("{}/cgi-bin/componentloginpage?", w.base())),
        "{u1}"
    );
    assert!(
        u1.contains("redirect_uri=https%3A%2F%2Fplatform.example%2Fcallback"),
        "{u1}"
    );
    assert!(v1["expires_at"].as_i64().unwrap() > 0);
    assert_eq!(v1["expires_in"], 600);
    assert_eq!(v1["kind"], "pc");

    let qr = w.path("h5.svg");
    let mut h5 = consent_link("h5", &c.appid, &["--redirect-uri", "https://x.example/cb"]);
    h5.extend(["--auth-type", "2", "--category-ids", "1,18"]);
    h5.extend(["--qr", qr.to_str().unwrap()]);
    let v = w.ok(&h5);
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .contains("/wxaopen/safe/bindcomponent?"),
        "{v}"
    );
    assert!(v["url"].as_str().unwrap().contains("auth_type=2"));
    assert_eq!(v["qr"], qr.to_str().unwrap());
    assert!(std::fs::read_to_string(&qr).unwrap().contains("<svg"));
    let text = w.text(&["link", "pc", "--component", &c.appid]);
    assert!(
        text.contains("expires") && text.contains("works once"),
        "{text}"
    );

    // Bad input is caught before a code is spent.
    let before = w
        .sandbox
        .counter("cgi-bin/component/api_create_preauthcode");
    let e = w.err(&["link", "pc", "--component", &c.appid, "--auth-type", "7"]);
    assert!(e["message"].as_str().unwrap().contains("auth_type"), "{e}");
    let e = w.err(&["link", "pc", "--component", &c.appid, "--qr", "out.gif"]);
    assert!(e["message"].as_str().unwrap().contains("--qr"), "{e}");
    assert_eq!(
        w.err(&["link", "pc", "--component", &random_appid()])["kind"],
        "not_found"
    );
    // A platform without a stored redirect URI needs --redirect-uri.
    let plain = random_appid();
    w.ok(&[
        "component",
        "add",
        "--appid",
        &plain,
        "--secret",
        &random_secret(),
    ]);
    let e = w.err(&["link", "pc", "--component", &plain]);
    assert_eq!(e["kind"], "invalid_input");
    assert!(
        e["message"].as_str().unwrap().contains("--redirect-uri"),
        "{e}"
    );
    assert_eq!(
        w.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        before
    );
    // Without a ticket the token cannot be minted: the hint says how to get one.
    let e = w.err(&consent_link(
        "pc",
        &plain,
        &["--redirect-uri", "https://x.example/cb"],
    ));
    assert_eq!(e["kind"], "ticket_unavailable");
    assert!(e["hint"].as_str().unwrap().contains("start-push"), "{e}");
    // A given pre_auth_code is used as is.
    let v = w.ok(&consent_link(
        "pc",
        &c.appid,
        &["--pre-auth-code", "preauthcode@@@given"],
    ));
    assert!(v["url"]
        .as_str()
        .unwrap()
        .contains("preauthcode%40%40%40given"));
    assert_eq!(
        w.sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        before
    );
}

#[test]
fn authorize_by_callback_url_and_code_then_list_show() {
    let w = World::start();
    let c = w.component();
    let link = w.ok(&["link", "pc", "--component", &c.appid]);
    let merchant = random_appid();
    let location = w.consent(
        link["url"].as_str().unwrap(),
        &[("authorizer_appid", &merchant), ("kind", "mini_program")],
    );
    assert!(location.contains("auth_code="), "{location}");
    let v = w.ok(&authorize_by_callback(&c.appid, &location));
    assert_eq!(v["appid"], merchant.as_str());
    assert_eq!(v["status"], "active");
    assert_eq!(v["account_type"], "mini_program");
    assert_eq!(v["has_refresh_token"], true);
    // The code is single use.
    let e = w.err(&authorize_by_callback(&c.appid, &location));
    assert_eq!(e["kind"], "api");
    assert!(e["errcode"].is_i64());
    // Neither form given: a usage error.
    let r = w.run(&["authorize", "--component", &c.appid, "--json"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(
        w.err(&["authorize", "--component", &c.appid, "--auth-code", " "])["kind"],
        "invalid_input"
    );

    let oa = w.authorized(&c.appid, AccountKind::OfficialAccount);
    let list = w.ok(&["authorizer", "list"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    let list = w.ok(&[
        "authorizer",
        "list",
        "--component",
        &c.appid,
        "--type",
        "official-account",
    ]);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["appid"], oa.authorizer_appid.as_str());
    let list = w.ok(&["authorizer", "list", "--search", &merchant[2..10]]);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(authorizer_count(&w, "revoked"), Some(0));
    let text = w.text(&["authorizer", "list"]);
    assert!(
        text.contains(&merchant) && text.contains("2 authorizer(s)"),
        "{text}"
    );
    assert!(!text.contains(&oa.refresh_token));

    let v = w.ok(&["authorizer", "show", &merchant]);
    assert!(v["info"].is_object(), "{v}");
    assert_eq!(
        w.ok(&["authorizer", "show", &merchant, "--component", &c.appid])["appid"],
        merchant.as_str()
    );
    assert_eq!(
        w.err(&["authorizer", "show", &random_appid()])["kind"],
        "not_found"
    );
    let shown = w.text(&["authorizer", "show", &merchant]);
    assert!(shown.contains("stored (sealed)"), "{shown}");
    assert_eq!(
        w.err(&["authorizer", "list", "--component", &random_appid()])["kind"],
        "not_found"
    );
}

#[test]
fn authorization_pushes_store_and_revoke() {
    let w = World::start();
    let c = w.component();
    let a = w.sandbox_authorize(&c.appid, AccountKind::MiniProgram);
    let p = w.push(&c.appid, "authorized");
    let v = push_from_file(&w, "authorized.xml", &c.appid, &p);
    assert_eq!(v["action"], "authorized");
    assert_eq!(v["authorizer"]["appid"], a.authorizer_appid.as_str());
    w.sandbox
        .unauthorize(&c.appid, &a.authorizer_appid)
        .unwrap();
    let p = w.push(&c.appid, "unauthorized");
    let text = {
        let r = w.run_with(
            &["component", "ticket", "push", &c.appid, "--query", &p.query],
            Some(&p.body),
        );
        assert!(r.ok(), "{}", r.stderr);
        r.stdout
    };
    assert!(text.contains("marked revoked"), "{text}");
    assert_eq!(authorizer_count(&w, "revoked"), Some(1));
}

#[test]
fn sync_and_refresh_report_counts() {
    let w = World::start();
    let c = w.component();
    let seeded = w.sandbox.seed_authorizers(&c.appid, 40);
    let v = w.ok(&["authorizer", "sync", "--component", &c.appid]);
    assert_eq!(
        (
            v["added"].as_u64(),
            v["total"].as_u64(),
            v["revoked"].as_u64()
        ),
        (Some(40), Some(40), Some(0))
    );
    // Again: nothing changes. Then one revocation.
    let v = w.ok(&["authorizer", "sync", "--component", &c.appid]);
    assert_eq!(v["unchanged"], 40);
    w.sandbox.unauthorize(&c.appid, &seeded[0]).unwrap();
    let text = w.text(&["authorizer", "sync", "--component", &c.appid]);
    assert!(
        text.contains("1 revoked") && text.contains("39 unchanged"),
        "{text}"
    );
    assert_eq!(authorizer_count(&w, "active"), Some(39));
    assert_eq!(
        w.err(&["authorizer", "sync", "--component", &random_appid()])["kind"],
        "not_found"
    );

    let v = w.ok(&authorizer_refresh(
        &c.appid,
        &["--all", "--concurrency", "8"],
    ));
    assert_eq!(v["refreshed"], 39);
    assert_eq!(v["skipped_revoked"], 1);
    assert_eq!(v["failed"].as_array().unwrap().len(), 0);
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_authorizer_token"),
        39
    );
    let v = w.ok(&authorizer_refresh(&c.appid, &[&seeded[1]]));
    assert_eq!(v["refreshed"], 1);
    // Refreshing a revoked one is an error of its own kind.
    let e = w.err(&authorizer_refresh(&c.appid, &[&seeded[0]]));
    assert_eq!(e["kind"], "revoked", "{e}");
    let r = w.run(&authorizer_refresh(
        &c.appid,
        &[&seeded[1], "--all", "--json"],
    ));
    assert_eq!(r.code, Some(2), "A and --all exclude each other");
    let r = w.run(&authorizer_refresh(&c.appid, &["--json"]));
    assert_eq!(r.code, Some(2), "one of A and --all is required");
    assert_eq!(
        w.err(&authorizer_refresh(
            &c.appid,
            &["--all", "--concurrency", "0"]
        ))["kind"],
        "invalid_input"
    );
    // On a terminal, a progress line is rewritten in place on stderr
    // (forced: a plain --all leaves the 39 valid tokens alone).
    if let Some((code, screen)) = w.on_terminal(&force_refresh_all(&c.appid), "") {
        assert_eq!(code, 0, "{screen}");
        assert!(screen.contains("\rrefreshing "), "{screen:?}");
        assert!(screen.contains("39/39"), "{screen:?}");
        assert!(screen.contains("39 refreshed"), "{screen:?}");
        let (code, screen) = w
            .on_terminal(&["authorizer", "sync", "--component", &c.appid], "")
            .unwrap();
        assert_eq!(code, 0, "{screen}");
        assert!(screen.contains("\rlisting authorizers 39/39"), "{screen:?}");
    }
    // No progress line without a terminal.
    let r = w.run(&force_refresh_all(&c.appid));
    assert!(r.ok() && r.stderr.is_empty(), "{:?}", r.stderr);
    assert!(r.stdout.contains("39 refreshed"), "{}", r.stdout);
}

#[test]
fn authorizer_info_fetches_the_profile_a_sync_left_out() {
    let w = World::start();
    let c = w.component();
    let seeded = w.sandbox.seed_authorizers(&c.appid, 2);
    let oa = w.sandbox_authorize(&c.appid, AccountKind::OfficialAccount);
    assert_eq!(
        w.ok(&["authorizer", "sync", "--component", &c.appid])["added"],
        3
    );
    // After the sync: no name, no type; show says what to run.
    let bare = w.ok(&["authorizer", "show", &seeded[0]]);
    assert_eq!(
        (bare["nick_name"].as_str(), bare["account_type"].as_str()),
        (Some(""), Some("unknown"))
    );
    assert!(bare.get("info").is_none(), "{bare}");
    let shown = w.text(&["authorizer", "show", &seeded[0]]);
    assert!(
        shown.contains(&format!(
            "run `wxdesk authorizer info {} --component {}`",
            seeded[0], c.appid
        )),
        "{shown}"
    );
    let mini = ["authorizer", "list", "--type", "mini-program"];
    assert_eq!(w.ok(&mini).as_array().map(Vec::len), Some(0));

    // --json: the stored view with the snapshot.
    let v = w.ok(&["authorizer", "info", &seeded[0]]);
    assert_eq!(v["appid"], seeded[0].as_str());
    assert_eq!(v["account_type"], "mini_program");
    assert!(
        v["nick_name"]
            .as_str()
            .is_some_and(|n| n.contains("Sandbox MP")),
        "{v}"
    );
    assert!(v["info"]["MiniProgramInfo"].is_object(), "{v}");
    assert_eq!(v["func_info"].as_array().map(Vec::len), Some(10));
    assert_eq!(
        w.sandbox
            .counter("cgi-bin/component/api_get_authorizer_info"),
        1
    );
    let list = w.ok(&mini);
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["appid"], seeded[0].as_str());
    assert_eq!(w.ok(&["authorizer", "show", &seeded[0]]), v);

    // Human output, with the platform named.
    let text = w.text(&[
        "authorizer",
        "info",
        &oa.authorizer_appid,
        "--component",
        &c.appid,
    ]);
    assert!(text.starts_with("profile fetched from WeChat"), "{text}");
    assert!(
        text.contains("official_account") && text.contains("Sandbox OA"),
        "{text}"
    );
    assert!(
        text.contains("info:") && text.contains("\"principal_name\""),
        "{text}"
    );
    assert!(
        !text.contains(&oa.refresh_token),
        "no refresh token on screen"
    );
    assert_eq!(
        w.ok(&["authorizer", "list", "--type", "official-account"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // The call is in the call log.
    let log = w.ok(&[
        "log",
        "--endpoint",
        "cgi-bin/component/api_get_authorizer_info",
    ]);
    assert_eq!(log.as_array().map(Vec::len), Some(2), "{log}");

    // Errors: unknown (names the fix), revoked (refused with the fix), no appid (usage).
    let e = w.err(&["authorizer", "info", &random_appid()]);
    assert_eq!(e["kind"], "not_found");
    assert!(
        e["hint"]
            .as_str()
            .is_some_and(|h| h.contains("wxdesk authorizer sync --component")),
        "{e}"
    );
    w.sandbox.unauthorize(&c.appid, &seeded[1]).unwrap();
    // One of three is more than 20 %: confirmed.
    w.ok(&["authorizer", "sync", "--component", &c.appid, "--yes"]);
    let e = w.err(&["authorizer", "info", &seeded[1], "--component", &c.appid]);
    assert_eq!(e["kind"], "revoked", "{e}");
    assert!(
        e["hint"].as_str().is_some_and(|h| h.contains("authorize")),
        "{e}"
    );
    assert!(w
        .text(&["authorizer", "show", &seeded[1]])
        .contains("profile:       never fetched"));
    assert_eq!(w.run(&["authorizer", "info", "--json"]).code, Some(2));
}
