//! Pushes and the inbox, links, authorizers, fast registration.

use serde_json::json;
use wxdesk_sandbox::AccountKind;

use crate::harness::*;
use crate::Fx;

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>, f: &Fx) {
    let w = k.w;
    let Fx {
        c1,
        c2,
        oa,
        merchant,
        js_openid,
        ..
    } = f;
    // A pasted push (a real one, as the sandbox sent it): the twin platform
    // gets its own, so each shell stores its platform's second ticket.
    w.ok(&["component", "ticket", "start-push", &c2.appid]);
    let push = w.push(&c1.appid, "component_verify_ticket");
    let push2 = w.push(&c2.appid, "component_verify_ticket");
    let body = w.write("push.xml", &push.body);
    let cli = w.ok(&[
        "component",
        "ticket",
        "push",
        &c1.appid,
        "--query",
        &push.query,
        "--body",
        body.to_str().unwrap(),
    ]);
    let http = k.http(
        "ticket_push",
        json!({ "component_appid": c2.appid, "query": push2.query, "body": push2.body }),
    );
    k.check(
        "ticket_push",
        cli,
        http,
        &[(c2.appid.as_str(), c1.appid.as_str())],
    );
    k.same(
        "inbox_list",
        &["inbox", "--component", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    let entry = w.ok(&["inbox", "--component", &c1.appid])[0]["id"]
        .as_i64()
        .unwrap();
    k.same(
        "inbox_apply",
        &["inbox", "apply", &entry.to_string()],
        json!({ "id": entry }),
        &[],
    );

    // Links (each fetches a fresh pre_auth_code: the url is volatile).
    k.same(
        "auth_link",
        &["link", "pc", "--component", &c1.appid],
        json!({ "component_appid": c1.appid, "kind": "pc" }),
        &[],
    );
    let fr_link = [
        "link",
        "fastregister",
        "--component",
        &c1.appid,
        "--appid",
        &oa.authorizer_appid,
    ];
    // The CLI's --copy-wx-verify defaults to 1.
    let fr_args = json!({ "component_appid": c1.appid, "appid": oa.authorizer_appid, "copy_wx_verify": true });
    let cli = w.ok(&fr_link);
    let http = k.http("fastregister_link", fr_args.clone());
    // The person consents on each link: one single-use ticket per shell.
    let ticket1 = w.consent(cli["url"].as_str().unwrap(), &[]);
    let ticket2 = w.consent(http["url"].as_str().unwrap(), &[]);
    k.check("fastregister_link", cli, http, &[]);

    // Authorizers.
    let t1 = w.sandbox_authorize(&c1.appid, AccountKind::MiniProgram);
    let t2 = w.sandbox_authorize(&c1.appid, AccountKind::MiniProgram);
    let cli = w.ok(&[
        "authorize",
        "--component",
        &c1.appid,
        "--auth-code",
        &t1.auth_code,
    ]);
    let http = k.http(
        "authorize",
        json!({ "component_appid": c1.appid, "auth_code": t2.auth_code }),
    );
    // The sandbox derives the profile from the appid (its last four digits)
    // and gives each account its own gh_ user name.
    let (u1, u2) = (
        cli["user_name"].as_str().unwrap().to_string(),
        http["user_name"].as_str().unwrap().to_string(),
    );
    let (a_1, a_2) = (&t1.authorizer_appid, &t2.authorizer_appid);
    k.check(
        "authorize",
        cli,
        http,
        &[
            (a_2.as_str(), a_1.as_str()),
            (&a_2[14..], &a_1[14..]),
            (u2.as_str(), u1.as_str()),
        ],
    );
    k.same(
        "authorizer_list",
        &["authorizer", "list", "--component", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    k.same(
        "authorizer_page",
        &[
            "authorizer",
            "list",
            "--component",
            &c1.appid,
            "--limit",
            "1",
            "--offset",
            "1",
        ],
        json!({ "component_appid": c1.appid, "limit": 1, "offset": 1 }),
        &[],
    );
    k.same(
        "authorizer_show",
        &["authorizer", "show", merchant],
        json!({ "appid": merchant }),
        &[],
    );
    k.same(
        "authorizer_refresh_info",
        &["authorizer", "info", merchant],
        json!({ "appid": merchant }),
        &[],
    );
    let cli = w.ok(&["authorizer", "sync", "--component", &c1.appid]);
    let http = k.http_job("authorizer_sync", json!({ "component_appid": c1.appid }));
    k.check("authorizer_sync", cli, http, &[]);
    let cli = w.ok(&["authorizer", "refresh", "--component", &c1.appid, "--all"]);
    let http = k.http_job(
        "authorizer_refresh",
        json!({ "component_appid": c1.appid, "all": true }),
    );
    k.check("authorizer_refresh", cli, http, &[]);

    // Fast registration: each request is a new task (its id and key are volatile).
    let (n1, n2) = ("深圳测试科技有限公司", "深圳双胞科技有限公司");
    let (code1, code2) = ("91440300MA5DC1234X", "91440300MA5DC5678Y");
    let cli = w.ok(&[
        "fastregister",
        "enterprise",
        "create",
        "--component",
        &c1.appid,
        "--name",
        n1,
        "--code",
        code1,
        "--code-type",
        "1",
        "--legal-persona-wechat",
        "zhangsan_wx",
        "--legal-persona-name",
        "张三",
    ]);
    let http = k.http(
        "fastregister_enterprise_create",
        json!({ "component_appid": c1.appid, "name": n2, "code": code2, "code_type": 1,
                "legal_persona_wechat": "zhangsan_wx", "legal_persona_name": "张三" }),
    );
    k.check(
        "fastregister_enterprise_create",
        cli,
        http,
        &[(n2, n1), (code2, code1)],
    );
    k.same(
        "fastregister_enterprise_search",
        &[
            "fastregister",
            "enterprise",
            "search",
            "--component",
            &c1.appid,
            "--name",
            "深圳测试科技有限公司",
            "--legal-persona-wechat",
            "zhangsan_wx",
            "--legal-persona-name",
            "张三",
        ],
        json!({ "component_appid": c1.appid, "name": "深圳测试科技有限公司",
                "legal_persona_wechat": "zhangsan_wx", "legal_persona_name": "张三" }),
        &[],
    );
    let cli = w.ok(&[
        "fastregister",
        "personal",
        "create",
        "--component",
        &c1.appid,
        "--idname",
        "李四",
        "--wxuser",
        "lisi_wx",
    ]);
    let http = k.http(
        "fastregister_personal_create",
        json!({ "component_appid": c1.appid, "idname": "王五", "wxuser": "wangwu_wx" }),
    );
    let taskid = cli["task_key"].as_str().unwrap().to_string();
    k.check(
        "fastregister_personal_create",
        cli,
        http,
        &[("王五", "李四"), ("wangwu_wx", "lisi_wx")],
    );
    k.same(
        "fastregister_personal_query",
        &[
            "fastregister",
            "personal",
            "query",
            "--component",
            &c1.appid,
            "--taskid",
            &taskid,
        ],
        json!({ "component_appid": c1.appid, "taskid": taskid }),
        &[],
    );
    k.same(
        "fastregister_beta_create",
        &[
            "fastregister",
            "beta",
            "create",
            "--component",
            &c1.appid,
            "--name",
            "Trial Shop",
            "--openid",
            js_openid,
        ],
        json!({ "component_appid": c1.appid, "name": "Trial Shop", "openid": js_openid }),
        &[],
    );
    let cli = w.ok(&[
        "fastregister",
        "offiaccount",
        "--component",
        &c1.appid,
        "--authorizer",
        &oa.authorizer_appid,
        "--ticket",
        &ticket1,
    ]);
    let http = k.http(
        "fastregister_offiaccount",
        json!({ "component_appid": c1.appid, "authorizer_appid": oa.authorizer_appid, "ticket": ticket2 }),
    );
    let (new1, new2) = (
        cli["new_appid"].as_str().unwrap().to_string(),
        http["new_appid"].as_str().unwrap().to_string(),
    );
    k.check(
        "fastregister_offiaccount",
        cli,
        http,
        &[(new2.as_str(), new1.as_str())],
    );
    k.same(
        "fastregister_tasks",
        &["fastregister", "tasks", "--component", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
}
