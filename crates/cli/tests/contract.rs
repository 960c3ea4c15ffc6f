//! One contract, two shells: every operation that has a `wxdesk` command is
//! run through the CLI (`--json`) and through the HTTP route
//! (`POST /api/op/{name}` of a `wxdesk serve` on the same database and the
//! same sandbox), and the two JSON results are compared.
//!
//! A CLI command that prints another shape (a wrapped list, a renamed field, a
//! missing one) fails here. Only volatile values are normalised — see
//! [`VOLATILE`]: timestamps and durations that tick between the two calls,
//! the row ids and single-use values each call mints anew. Where the two
//! calls must act on different accounts (adding, removing, spending a
//! single-use code), the HTTP call acts on a twin and the twin's identifiers
//! are mapped back onto the CLI's before comparing.
//!
//! Every operation of the table is in exactly one list: compared here, or
//! [`NO_CLI`] (deliberately without a command). A new operation in neither
//! list fails the test, so it cannot ship without a command or a reason.

mod common;

#[path = "../../core/tests/common/redis.rs"]
mod redis_server;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use base64::Engine;
use common::*;
use serde_json::{json, Value};
use wxdesk_sandbox::AccountKind;
use wxdesk_wechat::crypto::open_data::encrypt_open_data;

/// Operations deliberately without a CLI command, and why.
const NO_CLI: &[(&str, &str)] = &[
    ("settings_set_language", "UI preference"),
    ("settings_set_theme", "UI preference"),
    (
        "settings_set_log_retention",
        "UI setting (the CLI reads the log)",
    ),
    ("dashboard", "the UI's home page"),
    (
        "sandbox_start",
        "the embedded sandbox; the CLI runs its own with `wxdesk sandbox`",
    ),
    ("sandbox_status", "the embedded sandbox"),
    ("sandbox_issue_js_code", "the embedded sandbox"),
    ("sandbox_issue_phone_code", "the embedded sandbox"),
    ("sandbox_push_ticket", "the embedded sandbox"),
    ("sandbox_mirror", "the embedded sandbox"),
    (
        "authorizer_refresh_plan",
        "the CLI's refresh confirmation carries the plan",
    ),
    (
        "token_force_budget",
        "the CLI's token output and force confirmation carry the budget",
    ),
    (
        "job_status",
        "the CLI polls it inside `authorizer sync|refresh`",
    ),
    ("job_cancel", "the CLI sends it on Ctrl-C"),
    (
        "save_file",
        "the desktop save dialog; the CLI writes --out itself",
    ),
];

/// Keys whose values legitimately differ between two calls made a moment
/// apart: clock readings and durations, row ids, job ids, and values minted
/// anew by each call (a pre_auth_code in a link, a fresh session_key mask).
/// A value is replaced by `"<volatile>"` only when present on both sides, so a
/// missing or null field still fails.
const VOLATILE: &[&str] = &[
    // times and durations
    "created_at",
    "updated_at",
    "fetched_at",
    "received_at",
    "applied_at",
    "at",
    "expires_at",
    "expires_in",
    "age_secs",
    "at_ms",
    "duration_ms",
    "watermark_timestamp",
    "session_created_at",
    "exported_at",
    "create_time",
    // ids of rows each call creates
    "id",
    "job_id",
    // single-use values each call mints
    "url",
    "pre_auth_code_masked",
    "authorize_url",
    "task_key",
    "file_name",
];

fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if VOLATILE.contains(&k.as_str()) && !x.is_null() {
                        json!("<volatile>")
                    } else {
                        normalise(x)
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

/// `wxdesk serve` on the harness's database and sandbox.
struct Serve {
    child: Child,
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(w: &World) -> Serve {
    let token = format!("{}{}", random_secret(), random_secret());
    let db = w.db().display().to_string();
    let mut child = w
        .bare()
        .args(["serve", "--port", "0", "--json", "--token", &token])
        .args(["--env", "sandbox", "--sandbox-base", &w.base(), "--db", &db])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn wxdesk serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let _url = lines.next().expect("the URL line").expect("utf-8");
    let info: Value =
        serde_json::from_str(&lines.next().expect("the JSON line").expect("utf-8")).unwrap();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve {
        child,
        base: info["base_url"].as_str().expect("base_url").to_string(),
        token,
        http: reqwest::Client::new(),
    }
}

struct Contract<'a> {
    w: &'a World,
    s: Serve,
    compared: BTreeSet<&'static str>,
}

impl Contract<'_> {
    /// `POST /api/op/{name}`; asserts 200.
    fn http(&self, name: &str, args: Value) -> Value {
        let (status, body) = self.w.rt.block_on(async {
            let r = self
                .s
                .http
                .post(format!("{}/api/op/{name}", self.s.base))
                .bearer_auth(&self.s.token)
                .json(&args)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        });
        assert_eq!(status, 200, "{name} {args}: {body}");
        body
    }

    /// `POST /api/op/{name}` that must fail; returns (status, ErrorBody).
    fn http_err(&self, name: &str, args: Value) -> (u16, Value) {
        self.w.rt.block_on(async {
            let r = self
                .s
                .http
                .post(format!("{}/api/op/{name}", self.s.base))
                .bearer_auth(&self.s.token)
                .json(&args)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    }

    /// Without `--yes` (and without a terminal) the CLI refuses with exactly
    /// the operation's `needs_confirmation` body: one wording in every shell.
    fn same_refusal(&self, op: &str, cli: &[&str], http: Value) {
        let mut c = self.w.err(cli);
        assert_eq!(c["code"], "needs_confirmation", "{op}: {c}");
        // `kind`: the CLI's deprecated alias of `code`.
        c.as_object_mut().unwrap().remove("kind");
        let (status, h) = self.http_err(op, http);
        assert_eq!(status, 409, "{op}: {h}");
        assert_eq!(c, h, "{op}: the CLI asks in other words than the operation");
    }

    /// A job's result, polled as the UI does.
    fn http_job(&self, name: &str, args: Value) -> Value {
        let started = self.http(name, args);
        loop {
            let v = self.http("job_status", json!({ "job_id": started["job_id"] }));
            if v["state"] != "running" {
                assert_eq!(v["state"], "done", "{v}");
                return v["result"].clone();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Compares `wxdesk ARGS --json` with the operation over HTTP; `twin`
    /// maps the HTTP call's identifiers onto the CLI call's.
    fn same(&mut self, op: &'static str, cli: &[&str], http: Value, twin: &[(&str, &str)]) {
        let c = self.w.ok(cli);
        let h = self.http(op, http);
        self.check(op, c, h, twin);
    }

    fn check(&mut self, op: &'static str, cli: Value, http: Value, twin: &[(&str, &str)]) {
        let mut text = http.to_string();
        for (from, to) in twin {
            text = text.replace(from, to);
        }
        let http: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            normalise(&cli),
            normalise(&http),
            "{op}: the CLI's --json differs from the operation's result over HTTP"
        );
        self.compared.insert(op);
    }
}

const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

#[test]
fn every_cli_command_prints_what_its_operation_returns_over_http() {
    let w = World::start();
    let (a1, _) = w.app();
    let c1 = w.component();
    let c2 = w.component();
    let auth = w.authorized(&c1.appid, AccountKind::MiniProgram);
    let oa = w.authorized(&c1.appid, AccountKind::OfficialAccount);
    let s = serve(&w);
    let mut k = Contract {
        w: &w,
        s,
        compared: BTreeSet::new(),
    };
    let base = w.base();

    // Settings.
    k.same("settings_get", &["env", "show"], json!({}), &[]);
    k.same(
        "settings_set_environment",
        &["env", "set", "sandbox", "--base", &base],
        json!({ "environment": { "kind": "sandbox", "base": base } }),
        &[],
    );

    // Mini programs: reads, then writes on twins.
    k.same("app_list", &["app", "list"], json!({}), &[]);
    k.same(
        "app_show",
        &["app", "show", &a1],
        json!({ "appid": a1 }),
        &[],
    );
    k.same(
        "app_update",
        &["app", "update", &a1, "--name", "Shop 2"],
        json!({ "appid": a1, "name": "Shop 2" }),
        &[],
    );
    let (x1, x2) = (random_appid(), random_appid());
    let sec = random_secret();
    let sec2 = format!("{}{}", &sec[..4], &random_secret()[4..]);
    let twin = [(x2.as_str(), x1.as_str())];
    k.same(
        "app_add",
        &[
            "app", "add", "--appid", &x1, "--secret", &sec, "--name", "Twin",
        ],
        json!({ "appid": x2, "secret": sec2, "name": "Twin" }),
        &twin,
    );
    k.same(
        "app_remove",
        &["app", "remove", &x1, "--yes"],
        json!({ "appid": x2, "confirmed": true }),
        &twin,
    );

    // Confirmations: decided and worded by the operations, once.
    k.same_refusal(
        "app_token",
        &["token", "--appid", &a1, "--mode", "legacy"],
        json!({ "appid": a1, "mode": "legacy" }),
    );
    k.same_refusal(
        "app_token",
        &["token", "--appid", &a1, "--force"],
        json!({ "appid": a1, "force": true }),
    );
    k.same_refusal(
        "component_token",
        &["component", "token", &c1.appid, "--force"],
        json!({ "component_appid": c1.appid, "force": true }),
    );
    k.same_refusal(
        "authorizer_token",
        &[
            "authorizer",
            "token",
            &auth.authorizer_appid,
            "--component",
            &c1.appid,
            "--force",
        ],
        json!({ "component_appid": c1.appid, "authorizer_appid": auth.authorizer_appid, "force": true }),
    );
    k.same_refusal(
        "app_remove",
        &["app", "remove", &a1],
        json!({ "appid": a1 }),
    );
    k.same_refusal(
        "component_remove",
        &["component", "remove", &c1.appid],
        json!({ "appid": c1.appid }),
    );
    k.same_refusal(
        "quota_clear",
        &["quota", "clear", "--appid", &a1],
        json!({ "appid": a1 }),
    );
    k.same_refusal(
        "authorizer_refresh",
        &[
            "authorizer",
            "refresh",
            "--component",
            &c1.appid,
            "--all",
            "--force",
        ],
        json!({ "component_appid": c1.appid, "all": true, "force": true }),
    );

    // Tokens (warmed first: both calls then read the same cached token).
    w.ok(&["token", "--appid", &a1]);
    k.same(
        "app_token",
        &["token", "--appid", &a1],
        json!({ "appid": a1 }),
        &[],
    );
    w.ok(&["component", "token", &c1.appid]);
    k.same(
        "component_token",
        &["component", "token", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    let merchant = auth.authorizer_appid.clone();
    w.ok(&["authorizer", "token", &merchant, "--component", &c1.appid]);
    k.same(
        "authorizer_token",
        &["authorizer", "token", &merchant, "--component", &c1.appid],
        json!({ "component_appid": c1.appid, "authorizer_appid": merchant }),
        &[],
    );

    // A user's calls: single-use codes, one each, for the same user.
    let js = w.sandbox.issue_js_code(&a1, None);
    let js2 = w.sandbox.issue_js_code(&a1, Some(&js.openid));
    let cli = w.ok(&["login", "--appid", &a1, "--code", &js.code]);
    let http = k.http("login", json!({ "appid": a1, "code": js2.code }));
    let (m1, m2) = (masked(&js.session_key), masked(&js2.session_key));
    k.check("login", cli, http, &[(m2.as_str(), m1.as_str())]);
    k.same(
        "sessions",
        &["login", "sessions", "--appid", &a1],
        json!({ "appid": a1 }),
        &[],
    );
    k.same(
        "checksession",
        &["checksession", "--appid", &a1, "--openid", &js.openid],
        json!({ "appid": a1, "openid": js.openid }),
        &[],
    );
    let plain =
        json!({ "nickName": "Band", "watermark": { "appid": a1, "timestamp": 1_700_000_000 } })
            .to_string();
    let data = encrypt_open_data(&js2.session_key, IV, &plain).unwrap();
    k.same(
        "decrypt_data",
        &[
            "decrypt", "data", "--appid", &a1, "--openid", &js.openid, "--iv", IV, "--data", &data,
        ],
        json!({ "appid": a1, "openid": js.openid, "iv": IV, "data": data }),
        &[],
    );
    let p1 = w.sandbox.issue_phone_code(&a1, "13800138000");
    let p2 = w.sandbox.issue_phone_code(&a1, "13800138000");
    let cli = w.ok(&["phone", "--appid", &a1, "--code", &p1]);
    let http = k.http("phone", json!({ "appid": a1, "code": p2 }));
    k.check("phone", cli, http, &[]);

    // Platforms.
    k.same("component_list", &["component", "list"], json!({}), &[]);
    k.same(
        "component_show",
        &["component", "show", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    k.same(
        "component_update",
        &["component", "update", &c1.appid, "--name", "Platform 2"],
        json!({ "appid": c1.appid, "name": "Platform 2" }),
        &[],
    );
    let (y1, y2) = (random_appid(), random_appid());
    let (tok, aes) = (random_alnum(32), random_alnum(43));
    let twin_c = [(y2.as_str(), y1.as_str())];
    k.same(
        "component_add",
        &[
            "component",
            "add",
            "--appid",
            &y1,
            "--secret",
            &sec,
            "--token",
            &tok,
            "--aes-key",
            &aes,
            "--name",
            "Twin",
        ],
        json!({ "appid": y2, "secret": sec2, "token": tok, "aes_key": aes, "name": "Twin" }),
        &twin_c,
    );
    let ticket = random_alnum(40);
    k.same(
        "ticket_set",
        &["component", "ticket", "set", &y1, &ticket],
        json!({ "component_appid": y2, "ticket": ticket }),
        &twin_c,
    );
    k.same(
        "component_remove",
        &["component", "remove", &y1, "--yes"],
        json!({ "appid": y2, "confirmed": true }),
        &twin_c,
    );
    k.same(
        "ticket_status",
        &["component", "ticket", "status", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
    k.same(
        "ticket_start_push",
        &["component", "ticket", "start-push", &c1.appid],
        json!({ "component_appid": c1.appid }),
        &[],
    );
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
        "authorizer_show",
        &["authorizer", "show", &merchant],
        json!({ "appid": merchant }),
        &[],
    );
    k.same(
        "authorizer_refresh_info",
        &["authorizer", "info", &merchant],
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
            &js.openid,
        ],
        json!({ "component_appid": c1.appid, "name": "Trial Shop", "openid": js.openid }),
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

    // The stateless tools (no database; deterministic with a fixed random).
    let (ptok, paes) = (c1.token.clone(), c1.aes_key.clone());
    let msg = format!(
        "<xml><AppId><![CDATA[{}]]></AppId><CreateTime>1700000000</CreateTime>\
         <InfoType><![CDATA[component_verify_ticket]]></InfoType>\
         <ComponentVerifyTicket><![CDATA[ticket@@@contract]]></ComponentVerifyTicket></xml>",
        c1.appid
    );
    let msg = msg.as_str();
    let msg_file = w.write("msg.xml", msg);
    let enc = [
        "encrypt",
        "push",
        "--token",
        &ptok,
        "--aes-key",
        &paes,
        "--appid",
        &c1.appid,
        "--timestamp",
        "1700000000",
        "--nonce",
        "n0nce",
        "--random",
        "0123456789abcdef",
        "--body",
        msg_file.to_str().unwrap(),
    ];
    k.same(
        "tool_encrypt_push",
        &enc,
        json!({ "token": ptok, "aes_key": paes, "appid": c1.appid, "timestamp": "1700000000",
                "nonce": "n0nce", "message": msg, "random": "0123456789abcdef" }),
        &[],
    );
    let sealed = w.ok(&enc);
    let query = sealed["query"].as_str().unwrap().to_string();
    let xml_file = w.write("sealed.xml", sealed["xml"].as_str().unwrap());
    k.same(
        "tool_decrypt_push",
        &[
            "decrypt",
            "push",
            "--token",
            &ptok,
            "--aes-key",
            &paes,
            "--appid",
            &c1.appid,
            "--query",
            &query,
            "--body",
            xml_file.to_str().unwrap(),
        ],
        json!({ "token": ptok, "aes_key": paes, "appid": c1.appid, "query": query,
                "body": sealed["xml"] }),
        &[],
    );
    k.same(
        "tool_decrypt_data",
        &[
            "decrypt",
            "data",
            "--session-key",
            &js2.session_key,
            "--iv",
            IV,
            "--data",
            &data,
            "--appid",
            &a1,
        ],
        json!({ "session_key": js2.session_key, "iv": IV, "data": data, "appid": a1 }),
        &[],
    );
    k.same(
        "tool_sign_raw_data",
        &[
            "sign",
            "raw-data",
            "--session-key",
            &js2.session_key,
            "--raw-data",
            "{\"nickName\":\"Band\"}",
        ],
        json!({ "session_key": js2.session_key, "raw_data": "{\"nickName\":\"Band\"}" }),
        &[],
    );
    k.same(
        "tool_sign_session",
        &["sign", "session", "--session-key", &js2.session_key],
        json!({ "session_key": js2.session_key }),
        &[],
    );
    k.same(
        "errcode_explain",
        &[
            "errcode",
            "61004",
            "--errmsg",
            "access clientip is not registered requestIP: 203.0.113.77",
        ],
        json!({ "errcode": 61004, "errmsg": "access clientip is not registered requestIP: 203.0.113.77" }),
        &[],
    );
    // `qr --out` writes the op's image to the file: the file is the op's image.
    let png = w.path("q.png");
    let cli = w.ok(&[
        "qr",
        "--text",
        "https://example.com/q",
        "--out",
        png.to_str().unwrap(),
    ]);
    let http = k.http(
        "qr",
        json!({ "text": "https://example.com/q", "format": "png" }),
    );
    let image = base64::engine::general_purpose::STANDARD
        .decode(http["data_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        std::fs::read(&png).unwrap(),
        image,
        "qr: the file is the op's image"
    );
    assert_eq!(cli["mime"], http["mime"]);
    k.compared.insert("qr");

    // Quota, rid, call log.
    k.same(
        "quota_get",
        &[
            "quota",
            "get",
            "--appid",
            &a1,
            "--cgi-path",
            "/cgi-bin/stable_token",
        ],
        json!({ "appid": a1, "cgi_path": "/cgi-bin/stable_token" }),
        &[],
    );
    k.same(
        "quota_clear",
        &["quota", "clear", "--appid", &a1, "--yes"],
        json!({ "appid": a1, "confirmed": true }),
        &[],
    );
    let bad = w.err(&["phone", "--appid", &a1, "--code", "bogus-code-0001"]);
    let rid = bad["rid"]
        .as_str()
        .expect("the failure names its rid")
        .to_string();
    k.same(
        "rid_lookup",
        &["rid", &rid, "--appid", &a1],
        json!({ "rid": rid, "appid": a1 }),
        &[],
    );
    k.same(
        "call_log",
        &["log", "--limit", "5"],
        json!({ "limit": 5 }),
        &[],
    );
    let newest = w.ok(&["log", "--limit", "1"])[0]["id"].as_i64().unwrap();
    k.same(
        "call_log_entry",
        &["log", "--id", &newest.to_string()],
        json!({ "id": newest }),
        &[],
    );

    // Export writes the op's file to --out; import reads it back.
    let out = w.path("export.json");
    let cli = w.ok(&["export", "--out", out.to_str().unwrap()]);
    let http = k.http("export", json!({}));
    assert_eq!(cli["with_secrets"], http["with_secrets"]);
    let file = std::fs::read(&out).unwrap();
    let theirs = base64::engine::general_purpose::STANDARD
        .decode(http["content_base64"].as_str().unwrap())
        .unwrap();
    let strip = |b: &[u8]| normalise(&serde_json::from_slice::<Value>(b).unwrap());
    assert_eq!(
        strip(&file),
        strip(&theirs),
        "export: the file is the op's file"
    );
    k.compared.insert("export");
    let content = base64::engine::general_purpose::STANDARD.encode(&file);
    let f = out.to_str().unwrap();
    k.same(
        "import_preview",
        &["import", f, "--preview"],
        json!({ "content_base64": content }),
        &[],
    );
    k.same_refusal(
        "import",
        &["import", f],
        json!({ "content_base64": content }),
    );
    k.same(
        "import",
        &["import", f, "--yes"],
        json!({ "content_base64": content, "confirmed": true }),
        &[],
    );

    // Team mode: twin platforms bound to one Redis.
    let redis = redis_server::RedisServer::start();
    let url = redis.url();
    let twin_t = [(c2.appid.as_str(), c1.appid.as_str())];
    k.same(
        "team_bind",
        &[
            "team",
            "bind",
            "--component",
            &c1.appid,
            "--redis",
            &url,
            "--layout",
            "wxjava-open",
        ],
        json!({ "component_appid": c2.appid, "redis_url": url, "layout": "wxjava-open" }),
        &twin_t,
    );
    k.same(
        "team_show",
        &["team", "show", &c1.appid],
        json!({ "appid": c1.appid }),
        &[],
    );
    k.same(
        "team_unbind",
        &["team", "unbind", "--component", &c1.appid],
        json!({ "component_appid": c2.appid }),
        &twin_t,
    );

    // Every operation is compared here or deliberately without a command.
    let no_cli: BTreeSet<&str> = NO_CLI.iter().map(|(n, _)| *n).collect();
    let all: BTreeSet<&str> = wxdesk_core::ops::OP_NAMES.iter().copied().collect();
    let both: Vec<_> = k.compared.intersection(&no_cli).collect();
    assert!(
        both.is_empty(),
        "compared yet listed as without a command: {both:?}"
    );
    let missing: Vec<_> = all
        .iter()
        .filter(|n| !k.compared.contains(*n) && !no_cli.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "operations neither compared CLI-vs-HTTP here nor listed in NO_CLI: {missing:?} — \
         give each a `wxdesk` command and compare it here, or say in NO_CLI why it has none"
    );
    let stale: Vec<_> = no_cli.difference(&all).collect();
    assert!(
        stale.is_empty(),
        "NO_CLI names unknown operations: {stale:?}"
    );
}
