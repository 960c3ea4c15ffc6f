//! Code management, shell against shell: templates from the sandbox's
//! drafts, a commit, testers, domains, the privacy guide, the readiness
//! check (the audit and release go on in `releases`). Each write acts on
//! a twin merchant over HTTP (`m2`) and on `m1` from the CLI; reads act on
//! `m1` in both shells.

use serde_json::{json, Value};

use crate::common::{commit_first_version, template_add, template_drafts, FIRST_EXT_JSON};
use crate::harness::*;

/// `{"appid", "component_appid": null}`: what `--authorizer A` sends.
pub fn t(appid: &str) -> Value {
    json!({ "appid": appid, "component_appid": null })
}

/// `t(appid)` with more fields.
pub fn with(appid: &str, more: Value) -> Value {
    let mut v = t(appid);
    if let (Some(m), Some(extra)) = (v.as_object_mut(), more.as_object()) {
        for (k, x) in extra {
            m.insert(k.clone(), x.clone());
        }
    }
    v
}

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>) {
    let w = k.w;
    let (c, m1, m2) = platform_with_two_merchants(w);
    let (a, b) = (m1.as_str(), m2.as_str());
    let twin = [(b, a)];
    // The sandbox names a merchant after its AppID's last four digits.
    let (n1, n2) = (nickname(a), nickname(b));
    let named = [(b, a), (n2.as_str(), n1.as_str())];

    // Templates: two drafts, one template added from each shell.
    let drafts = template_drafts(w, &c, "1.2.0", Some("contract"), Some(2));
    let d1 = drafts[0].to_string();
    k.same(
        "template_drafts",
        &["template", "drafts", "--component", &c],
        json!({ "component_appid": c }),
        &[],
    );
    let cli = w.ok(&template_add(&c, &d1, &["--type", "0"]));
    let http = k.http(
        "template_add",
        json!({ "component_appid": c, "draft_id": drafts[1], "template_type": 0 }),
    );
    let (t1, t2) = (
        cli["template_id"].to_string(),
        http["template_id"].to_string(),
    );
    checked(
        k,
        "template_add",
        cli,
        http,
        &[],
        &["template_id", "draft_id"],
    );
    k.same(
        "template_list",
        &["template", "list", "--component", &c],
        json!({ "component_appid": c }),
        &[],
    );

    // The commit, from each shell on its own merchant.
    let cli = commit_first_version(w, "contract-ext.json", a, &t1);
    let http = k.http(
        "code_commit",
        with(
            b,
            json!({ "template_id": http_num(&t2), "user_version": "1.2.0", "user_desc": "first",
                    "ext_json": FIRST_EXT_JSON }),
        ),
    );
    checked(k, "code_commit", cli, http, &named, &["template_id"]);
    k.same(
        "code_pages",
        &["code", "pages", "--authorizer", a],
        t(a),
        &[],
    );
    k.same(
        "code_categories",
        &["code", "categories", "--authorizer", a],
        t(a),
        &[],
    );
    let png = w.path("contract-exp.png");
    let png_s = png.display().to_string();
    k.same(
        "code_qr",
        &["code", "qr", "--authorizer", a, "--out", &png_s],
        with(a, json!({ "path": null })),
        &[],
    );

    // Testers.
    let bind = |who: &str| with(who, json!({ "wechat_id": "tester_02" }));
    let cli = w.ok(&[
        "tester",
        "bind",
        "--authorizer",
        a,
        "--wechat-id",
        "tester_02",
    ]);
    let http = k.http("tester_bind", bind(b));
    // `userstr`: the tester's id, minted per mini program.
    checked(k, "tester_bind", cli, http, &twin, &["userstr"]);
    k.same(
        "tester_list",
        &["tester", "list", "--authorizer", a],
        t(a),
        &[],
    );
    let cli = w.ok(&[
        "tester",
        "unbind",
        "--authorizer",
        a,
        "--wechat-id",
        "tester_02",
    ]);
    let http = k.http("tester_unbind", bind(b));
    // `userstr`: the tester's id, minted per mini program.
    checked(k, "tester_unbind", cli, http, &twin, &["userstr"]);

    // The platform's own server list: set from each shell (the same list,
    // so the second set answers as the first did), then read.
    let plat = |action: &str, domains: &[&str]| {
        json!({ "component_appid": c, "kind": "server", "action": action,
                "domains": domains, "published_too": false })
    };
    k.same(
        "platform_domains",
        &[
            "domain",
            "platform",
            "set",
            "--component",
            &c,
            "--domain",
            "api.shop.example",
        ],
        plat("set", &["api.shop.example"]),
        &[],
    );
    k.same(
        "platform_domains",
        &["domain", "platform", "get", "--component", &c],
        plat("get", &[]),
        &[],
    );

    // Domains and the privacy guide, which make both merchants ready.
    let api = "https://api.shop.example";
    k.same(
        "domain_set",
        &[
            "domain",
            "set",
            "--authorizer",
            a,
            "--request",
            api,
            "--upload",
            api,
            "--directly",
        ],
        with(
            b,
            json!({ "requestdomain": [api], "wsrequestdomain": [], "uploaddomain": [api],
                    "downloaddomain": [], "directly": true }),
        ),
        &twin,
    );
    k.same(
        "domain_get",
        &["domain", "get", "--authorizer", a],
        t(a),
        &[],
    );
    let web = "https://web.shop.example";
    k.same(
        "webview_set",
        &[
            "domain",
            "webview",
            "--authorizer",
            a,
            "--url",
            web,
            "--directly",
        ],
        with(b, json!({ "webviewdomain": [web], "directly": true })),
        &twin,
    );
    let guide = json!({ "owner_setting": { "contact_email": "p@example.com", "notice_method": "弹窗" },
                        "setting_list": [{ "privacy_key": "UserInfo", "privacy_text": "登录" }] });
    let guide_f = w.write("contract-guide.json", &guide.to_string());
    let guide_s = guide_f.display().to_string();
    k.same(
        "privacy_set",
        &["privacy", "set", "--authorizer", a, "--file", &guide_s],
        with(b, json!({ "setting": guide })),
        &twin,
    );
    k.same(
        "privacy_get",
        &["privacy", "get", "--authorizer", a],
        t(a),
        &[],
    );
    k.same(
        "audit_check",
        &["audit", "check", "--authorizer", a],
        t(a),
        &[],
    );

    // Each shell deletes the template it added.
    let cli = w.ok(&[
        "template",
        "delete",
        "--component",
        &c,
        "--template-id",
        &t1,
    ]);
    let http = k.http(
        "template_delete",
        json!({ "component_appid": c, "template_id": http_num(&t2) }),
    );
    checked(k, "template_delete", cli, http, &[], &["template_id"]);

    crate::releases::run(k, a, b);
}

/// The ids each merchant's own calls minted: the template its code came
/// from, its submission's auditid.
pub const MINTED: &[&str] = &["template_id", "auditid"];

/// `wxdesk ARGS --json` on `m1` against the operation over HTTP on the
/// twin `m2`, with [`MINTED`] masked.
pub fn pair(
    k: &mut Contract<'_>,
    op: &'static str,
    cli: &[&str],
    http: Value,
    twin: &[(&str, &str)],
) {
    let c = k.w.ok(cli);
    let h = k.http(op, http);
    checked(k, op, c, h, twin, MINTED);
}

/// Compares like [`Contract::check`] after masking `minted`: the ids each
/// shell's call minted anew on its own merchant (a template added from its
/// own draft, an auditid of its own submission). A minted value must be
/// present on both sides.
pub fn checked(
    k: &mut Contract<'_>,
    op: &'static str,
    mut cli: Value,
    mut http: Value,
    twin: &[(&str, &str)],
    minted: &[&str],
) {
    mask(&mut cli, minted);
    mask(&mut http, minted);
    k.check(op, cli, http, twin);
}

fn mask(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(m) => {
            for (key, x) in m.iter_mut() {
                if keys.contains(&key.as_str()) && !x.is_null() {
                    *x = json!("<minted>");
                } else {
                    mask(x, keys);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| mask(x, keys)),
        _ => {}
    }
}

/// The sandbox's nickname of a mini program.
pub fn nickname(appid: &str) -> String {
    format!("Sandbox MP {}", &appid[appid.len().saturating_sub(4)..])
}

/// A template id printed by `--json` as a JSON number.
fn http_num(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or(Value::Null)
}
