//! Fast registration through the CLI: every route (enterprise, personal,
//! trial, reuse of an Official Account) and its link.

mod common;

use common::*;
use wxdesk_sandbox::{AccountKind, FastRegisterKind};

/// `fastregister ROUTE… --component COMPONENT REST…` (ROUTE: the route and
/// its action, such as `personal query`).
fn fastregister<'a>(route: &[&'a str], component: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["fastregister"];
    args.extend_from_slice(route);
    args.extend(["--component", component]);
    args.extend_from_slice(rest);
    args
}

/// `link fastregister --component COMPONENT --appid APPID`: the consent link
/// for an Official Account to lend its qualification.
fn link_fastregister<'a>(component: &'a str, appid: &'a str) -> [&'a str; 6] {
    [
        "link",
        "fastregister",
        "--component",
        component,
        "--appid",
        appid,
    ]
}

#[test]
fn fast_registration_routes() {
    let w = World::start();
    let c = w.component();
    // Enterprise: create, search, finish by push.
    let name = "沙箱测试企业有限公司";
    let base = [
        "--component",
        c.appid.as_str(),
        "--name",
        name,
        "--legal-persona-wechat",
        "legal_wx",
        "--legal-persona-name",
        "张三",
    ];
    let mut create = vec![
        "fastregister",
        "enterprise",
        "create",
        "--code",
        "91440300MA5DC1234X",
        "--code-type",
        "1",
    ];
    create.extend(base);
    let v = w.ok(&create);
    assert_eq!(
        (v["kind"].as_str(), v["status"].as_str()),
        (Some("enterprise"), Some("created"))
    );
    let mut search = vec!["fastregister", "enterprise", "search"];
    search.extend(base);
    let v = w.ok(&search);
    assert_eq!(v["status"], "waiting_for_legal_person");
    let mut push_id = None;
    for _ in 0..5 {
        let out =
            w.rt.block_on(
                w.sandbox
                    .advance_fastregister(FastRegisterKind::Enterprise, name, None),
            )
            .unwrap();
        if out.finished {
            push_id = out.push_id;
            break;
        }
    }
    let p = w.sandbox.pushes()[push_id.expect("a result push") as usize].clone();
    let r = deliver_push(&w, &c.appid, &p.query, &p.body);
    assert!(r.ok(), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["action"], "fast_register");
    assert_eq!(v["task"]["status"], "succeeded");
    let mut bad = vec![
        "fastregister",
        "enterprise",
        "create",
        "--code",
        "123",
        "--code-type",
        "1",
    ];
    bad.extend(base);
    assert_eq!(w.err(&bad)["kind"], "invalid_input");

    // Personal: the authorize URL, as text and QR.
    let qr = w.path("personal.png");
    let person = [
        "--idname",
        "李四",
        "--wxuser",
        "lisi_wx",
        "--qr",
        qr.to_str().unwrap(),
    ];
    let v = w.ok(&fastregister(&["personal", "create"], &c.appid, &person));
    let taskid = v["task_key"].as_str().unwrap().to_string();
    assert!(
        v["authorize_url"].as_str().unwrap().starts_with("http"),
        "{v}"
    );
    assert!(std::fs::read(&qr).unwrap().starts_with(b"\x89PNG"));
    w.rt.block_on(
        w.sandbox
            .advance_fastregister(FastRegisterKind::Personal, &taskid, None),
    )
    .unwrap();
    let query = fastregister(&["personal", "query"], &c.appid, &["--taskid", &taskid]);
    let v = w.ok(&query);
    assert_eq!(
        (v["status"].as_str(), v["status_code"].as_i64()),
        (Some("in_progress"), Some(3))
    );
    let text = w.text(&query);
    assert!(text.contains("open in WeChat:"), "{text}");
    let blank_task = fastregister(&["personal", "query"], &c.appid, &["--taskid", " "]);
    assert_eq!(w.err(&blank_task)["kind"], "invalid_input");

    // Beta.
    let beta = ["--name", "沙箱试用小程序", "--openid", "oAdminOpenid"];
    let v = w.ok(&fastregister(&["beta", "create"], &c.appid, &beta));
    assert_eq!(
        (v["kind"].as_str(), v["status"].as_str()),
        (Some("beta"), Some("created"))
    );
    assert!(v["authorize_url"].is_string());
    let too_short = ["--name", "短", "--openid", "o"];
    let too_short = fastregister(&["beta", "create"], &c.appid, &too_short);
    assert_eq!(w.err(&too_short)["kind"], "invalid_input");

    // Reuse an Official Account: link, consent, register.
    let oa = w.authorized(&c.appid, AccountKind::OfficialAccount);
    let link = w.ok(&link_fastregister(&c.appid, &oa.authorizer_appid));
    assert!(
        link["url"]
            .as_str()
            .unwrap()
            .contains("/cgi-bin/fastregisterauth?"),
        "{link}"
    );
    let location = w.consent(link["url"].as_str().unwrap(), &[]);
    assert!(location.contains("ticket="), "{location}");
    // `fastregister offiaccount` with the consent page's ticket.
    let lender = [
        "--authorizer",
        oa.authorizer_appid.as_str(),
        "--ticket",
        &location,
    ];
    let register = fastregister(&["offiaccount"], &c.appid, &lender);
    let v = w.ok(&register);
    assert_eq!(
        (v["kind"].as_str(), v["status"].as_str()),
        (Some("offiaccount"), Some("succeeded"))
    );
    let e = w.err(&register);
    assert_eq!(e["errcode"], 61058, "the ticket is single use: {e}");
    // A mini program cannot lend its qualification.
    let mp = w.authorized(&c.appid, AccountKind::MiniProgram);
    assert_eq!(
        w.err(&link_fastregister(&c.appid, &mp.authorizer_appid))["kind"],
        "invalid_input"
    );

    let tasks = w.ok(&["fastregister", "tasks", "--component", &c.appid]);
    assert_eq!(tasks.as_array().unwrap().len(), 4);
    let text = w.text(&["fastregister", "tasks"]);
    assert!(
        text.contains("offiaccount") && text.contains("succeeded"),
        "{text}"
    );
}
