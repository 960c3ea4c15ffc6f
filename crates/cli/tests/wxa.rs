//! The code-management commands against the sandbox, with `--json` (each
//! the operation's own result) and their text: templates from a draft, a
//! commit with an ext.json file, a tester, the experience QR written as a
//! PNG, domains and the privacy guide, the readiness check, a submission
//! printing its auditid, its status, and a confirmed release.

mod common;

use std::time::Duration;

use common::*;
use wxdesk_sandbox::AccountKind;

/// Runs with `--json` a command whose result is a list (printed bare, one line).
fn json_list(w: &World, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.push("--json");
    let r = w.run(&a);
    assert!(r.ok(), "{args:?} failed: {}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert!(v.is_array(), "{v}");
    v
}

#[test]
fn a_merchant_is_taken_live_from_the_command_line() {
    let w = World::start();
    let comp = w.component();
    let mp = w
        .authorized(&comp.appid, AccountKind::MiniProgram)
        .authorizer_appid;
    let c = comp.appid.as_str();
    let a = mp.as_str();

    let draft = template_drafts(&w, &comp.appid, "1.2.0", None, None)[0];
    let drafts = json_list(&w, &["template", "drafts", "--component", c]);
    assert_eq!(drafts[0]["draft_id"], draft);
    let t = w.ok(&template_add(c, &draft.to_string(), &["--type", "0"]));
    let tid_n = t["template_id"].as_i64().unwrap();
    let tid = tid_n.to_string();
    let list = json_list(&w, &["template", "list", "--component", c]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["template_id"] == tid_n));
    let bad_type = w.err(&template_add(c, "1", &["--type", "7"]));
    assert!(
        bad_type["message"].as_str().unwrap().contains("--type") || bad_type["kind"] == "usage",
        "{bad_type}"
    );

    let commit = commit_first_version(&w, "ext.json", a, &tid);
    assert!(commit["ext_json"].as_str().unwrap().contains(a));
    assert_eq!(commit["state"]["experience_version"], "1.2.0");
    let pages = w.ok(&["code", "pages", "--authorizer", a, "--component", c]);
    assert!(!pages["pages"].as_array().unwrap().is_empty());
    let cats = w.ok(&["code", "categories", "--authorizer", a]);
    assert!(!cats["categories"].as_array().unwrap().is_empty());

    w.ok(&[
        "tester",
        "bind",
        "--authorizer",
        a,
        "--wechat-id",
        "tester_02",
    ]);
    let testers = w.ok(&["tester", "list", "--authorizer", a]);
    assert_eq!(testers["testers"].as_array().unwrap().len(), 1);
    let png = w.path("exp.png");
    let png_s = png.display().to_string();
    let text = w.text(&["code", "qr", "--authorizer", a, "--out", &png_s]);
    assert!(text.contains("exp.png"), "{text}");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        w.sandbox.scan_experience(a, "tester_02").unwrap().result,
        "ok"
    );

    // Not ready: no server domain, no privacy guide.
    let check = w.ok(&["audit", "check", "--authorizer", a]);
    assert_eq!(check["ready"], false);
    let text = w.text(&["audit", "check", "--authorizer", a]);
    assert!(
        text.contains("NOT ready") && text.contains("no_server_domain"),
        "{text}"
    );

    let d = w.ok(&[
        "domain",
        "set",
        "--authorizer",
        a,
        "--request",
        "https://api.shop.example",
        "--upload",
        "https://api.shop.example",
        "--directly",
    ]);
    assert_eq!(d["domains"]["requestdomain"][0], "https://api.shop.example");
    let got = w.ok(&["domain", "get", "--authorizer", a]);
    assert_eq!(
        got["effective"]["direct_domain"]["uploaddomain"][0],
        "https://api.shop.example"
    );
    assert_eq!(
        got["effective"]["effective_domain"]["requestdomain"][0],
        "https://api.shop.example"
    );
    let bad = w.err(&[
        "domain",
        "set",
        "--authorizer",
        a,
        "--request",
        "http://insecure.example",
    ]);
    assert_eq!(bad["kind"], "invalid_input", "{bad}");
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .starts_with("requestdomain:"),
        "{bad}"
    );
    let guide = w.write(
        "guide.json",
        r#"{"owner_setting":{"contact_email":"p@example.com","notice_method":"弹窗"},"setting_list":[{"privacy_key":"UserInfo","privacy_text":"登录"}]}"#,
    );
    let guide_s = guide.display().to_string();
    let p = w.ok(&["privacy", "set", "--authorizer", a, "--file", &guide_s]);
    assert_eq!(p["undeclared"], serde_json::json!([]));
    let p = w.ok(&["privacy", "get", "--authorizer", a]);
    assert_eq!(p["info"]["setting_list"][0]["privacy_key"], "UserInfo");
    let check = w.ok(&["audit", "check", "--authorizer", a]);
    // Domains set directly need not be on the platform's list: ready.
    assert_eq!(check["ready"], true, "{check}");
    let text = w.text(&["audit", "check", "--authorizer", a]);
    assert!(text.contains("ready for audit"), "{text}");

    // Submit prints the auditid; status prints id, word, reason.
    let auditid = w
        .text(&["audit", "submit", "--authorizer", a])
        .trim()
        .to_string();
    assert!(auditid.parse::<i64>().unwrap() > 0, "{auditid}");
    let status = w.text(&["audit", "status", "--authorizer", a]);
    assert_eq!(status.trim(), format!("{auditid} auditing"));
    let again = w.err(&["audit", "submit", "--authorizer", a]);
    assert_eq!(again["errcode"], 85009, "{again}");
    let quota = w.ok(&["audit", "quota", "--authorizer", a]);
    assert_eq!(quota["quota"]["rest"], 19);

    w.sandbox.advance_clock(Duration::from_secs(3601));
    let st = w.ok(&["audit", "status", "--authorizer", a]);
    assert_eq!(st["status"], "success");
    assert_eq!(st["auditid"].to_string(), auditid);

    // Release: refused without --yes off a terminal; nothing sent.
    let refused = w.err(&["release", "publish", "--authorizer", a]);
    assert_eq!(refused["kind"], "needs_confirmation");
    assert_eq!(w.sandbox.counter("wxa/release"), 0);
    let r = w.ok(&["release", "publish", "--authorizer", a, "--yes"]);
    assert_eq!(r["action"], "release");
    let rs = w.ok(&["release", "status", "--authorizer", a]);
    assert_eq!(rs["state"]["stage"], "released");
    assert_eq!(
        rs["version_info"]["release_info"]["release_version"],
        "1.2.0"
    );
    let text = w.text(&["release", "status", "--authorizer", a]);
    assert!(
        text.contains("released") && text.contains("1.2.0"),
        "{text}"
    );

    w.ok(&[
        "template",
        "delete",
        "--component",
        c,
        "--template-id",
        &tid,
    ]);
    let list = json_list(&w, &["template", "list", "--component", c]);
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["template_id"] != tid_n));
}
