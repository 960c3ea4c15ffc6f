//! `app …`, `component …` (with tickets), `env …`, confirmations and global
//! options, through the real binary against an in-process sandbox.

mod common;

use common::*;
use serde_json::Value;

#[test]
fn app_add_list_show_update_remove_with_masked_secrets() {
    let w = World::start();
    let appid = random_appid();
    let secret = random_secret();
    let v = w.ok(&[
        "app", "add", "--appid", &appid, "--secret", &secret, "--name", "Shop",
    ]);
    assert_eq!(v["appid"], appid.as_str());
    assert_eq!(v["name"], "Shop");
    assert_eq!(v["secret"], masked(&secret));
    assert_eq!(v["sessions"], 0);
    assert!(v["token"].is_null());

    // Errors: duplicate, malformed appid, malformed secret (never echoed).
    assert_eq!(
        w.err(&["app", "add", "--appid", &appid, "--secret", &secret])["kind"],
        "already_exists"
    );
    let e = w.err(&["app", "add", "--appid", "wx123", "--secret", &secret]);
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("appid"), "{e}");
    let bad_secret = "NOTHEX-secret-value-0123456789ab";
    let r = w.run(&[
        "app",
        "add",
        "--appid",
        &random_appid(),
        "--secret",
        bad_secret,
        "--json",
    ]);
    assert_error_shape(&r);
    assert_eq!(r.json()["error"]["kind"], "invalid_input");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("secret"));
    assert!(!r.stdout.contains(bad_secret) && !r.stderr.contains(bad_secret));

    let list = w.ok(&["app", "list"]);
    let apps = list.as_array().unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0]["secret"], masked(&secret));
    let text = w.text(&["app", "list"]);
    assert!(
        text.contains(&appid) && text.contains(&masked(&secret)),
        "{text}"
    );
    assert!(!text.contains(&secret));
    let shown = w.text(&["app", "show", &appid]);
    assert!(
        shown.contains("Shop") && !shown.contains(&secret),
        "{shown}"
    );
    assert_eq!(
        w.err(&["app", "show", &random_appid()])["kind"],
        "not_found"
    );

    let secret2 = random_secret();
    let v = w.ok(&[
        "app", "update", &appid, "--secret", &secret2, "--name", "Shop 2",
    ]);
    assert_eq!(v["secret"], masked(&secret2));
    assert_eq!(v["name"], "Shop 2");
    let e = w.err(&["app", "update", &appid]);
    assert_eq!(e["kind"], "invalid_input");

    // Removal needs confirmation: refused without a terminal, nothing deleted.
    let e = w.err(&["app", "remove", &appid]);
    assert_eq!(e["kind"], "needs_confirmation");
    assert!(e["hint"].as_str().unwrap().contains("--yes"));
    assert_eq!(w.ok(&["app", "list"]).as_array().unwrap().len(), 1);
    let v = w.ok(&["app", "remove", &appid, "--yes"]);
    assert_eq!(v["appid"], appid.as_str());
    assert_eq!(w.ok(&["app", "list"]).as_array().unwrap().len(), 0);
    assert_eq!(
        w.err(&["app", "remove", &appid, "--yes"])["kind"],
        "not_found"
    );
    assert!(w.text(&["app", "list"]).contains("no apps yet"));
}

#[test]
fn component_add_list_show_update_remove() {
    let w = World::start();
    let c = w.component_without_ticket();
    let v = w.ok(&["component", "show", &c.appid]);
    assert_eq!(v["secret"], masked(&c.secret));
    assert_eq!(v["token"], masked(&c.token));
    assert_eq!(v["aes_key"], masked(&c.aes_key));
    assert!(v["ticket"].is_null());
    assert_eq!(v["authorizers"]["active"], 0);
    let text = w.text(&["component", "show", &c.appid]);
    for s in [&c.secret, &c.token, &c.aes_key] {
        assert!(!text.contains(s.as_str()), "{text}");
    }
    let list = w.ok(&["component", "list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let text = w.text(&["component", "list"]);
    assert!(text.contains(&c.appid) && text.contains("none"), "{text}");

    // The EncodingAESKey must be 43 characters.
    let e = w.err(&[
        "component",
        "add",
        "--appid",
        &random_appid(),
        "--secret",
        &random_secret(),
        "--token",
        "tok123",
        "--aes-key",
        "short",
    ]);
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("aes_key"), "{e}");

    let v = w.ok(&[
        "component",
        "update",
        &c.appid,
        "--name",
        "Renamed",
        "--redirect-uri",
        "https://other.example/cb",
    ]);
    assert_eq!(v["name"], "Renamed");
    assert_eq!(v["redirect_uri"], "https://other.example/cb");
    assert_eq!(
        w.err(&["component", "update", &c.appid])["kind"],
        "invalid_input"
    );
    assert_eq!(
        w.err(&["component", "show", &random_appid()])["kind"],
        "not_found"
    );

    let e = w.err(&["component", "remove", &c.appid]);
    assert_eq!(e["kind"], "needs_confirmation");
    assert!(
        e["message"].as_str().unwrap().contains("refresh tokens"),
        "{e}"
    );
    assert_eq!(w.ok(&["component", "list"]).as_array().unwrap().len(), 1);
    let v = w.ok(&["component", "remove", &c.appid, "--yes"]);
    assert_eq!(v["appid"], c.appid.as_str());
    assert_eq!(w.ok(&["component", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn tickets_set_push_status_and_start_push() {
    let w = World::start();
    let c = w.component_without_ticket();
    let v = w.ok(&["component", "ticket", "status", &c.appid]);
    assert_eq!(v["valid"], false);
    assert_eq!(v["count"], 0);

    let ticket = w.sandbox.issue_ticket(&c.appid).unwrap();
    let v = w.ok(&["component", "ticket", "set", &c.appid, &ticket]);
    assert_eq!(v["valid"], true);
    assert_eq!(v["source"], "manual");
    assert_eq!(v["ticket_masked"], masked(&ticket));
    assert_eq!(
        w.err(&["component", "ticket", "set", &c.appid, "two words"])["kind"],
        "invalid_input"
    );
    assert_eq!(
        w.err(&["component", "ticket", "set", &random_appid(), &ticket])["kind"],
        "not_found"
    );

    // A real push, from a file and from stdin.
    let push = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    let v = push_from_file(&w, "push.xml", &c.appid, &push);
    assert_eq!(v["action"], "ticket_stored");
    assert_eq!(v["info_type"], "component_verify_ticket");
    assert_eq!(v["ticket"]["source"], "push");
    assert_eq!(v["ticket"]["count"], 2);
    let push2 = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    let r = deliver_push(&w, &c.appid, &push2.query, &push2.body);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["ticket"]["count"], 3);

    // A tampered signature is refused and nothing is stored.
    let push3 = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    let tampered = push3.query.replace("msg_signature=", "msg_signature=0");
    let r = deliver_push(&w, &c.appid, &tampered, &push3.body);
    assert_error_shape(&r);
    assert_eq!(
        w.ok(&["component", "ticket", "status", &c.appid])["count"],
        3
    );
    // A missing body file names the flag.
    let e = w.err(&[
        "component",
        "ticket",
        "push",
        &c.appid,
        "--query",
        &push3.query,
        "--body",
        "/nonexistent/push.xml",
    ]);
    assert!(e["message"].as_str().unwrap().contains("--body"), "{e}");

    let before = w.sandbox.counter("cgi-bin/component/api_start_push_ticket");
    let v = w.ok(&["component", "ticket", "start-push", &c.appid]);
    assert_eq!(v["component_appid"], c.appid.as_str());
    assert!(v["message"].is_string());
    assert_eq!(
        w.sandbox.counter("cgi-bin/component/api_start_push_ticket"),
        before + 1
    );
    let text = w.text(&["component", "ticket", "status", &c.appid]);
    assert!(text.contains("valid") && !text.contains(&ticket), "{text}");
}

#[test]
fn global_options_stand_anywhere_and_stateless_commands_never_open_the_db() {
    let w = World::start();
    let (appid, secret) = (random_appid(), random_secret());
    let db = w.db().display().to_string();
    let base = w.base();
    // Globals first, in the middle and last.
    let r = w.run_raw(
        &[
            "--json",
            "--db",
            &db,
            "app",
            "--env",
            "sandbox",
            "add",
            "--appid",
            &appid,
            "--sandbox-base",
            &base,
            "--secret",
            &secret,
        ],
        None,
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["appid"], appid.as_str());
    let r = w.run_raw(
        &[
            "app",
            "list",
            "--db",
            &db,
            "--json",
            "--env",
            "sandbox",
            "--sandbox-base",
            &base,
        ],
        None,
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    // WXDESK_DB is the same as --db.
    let mut cmd = w.bare();
    let o = cmd
        .args(["app", "show", &appid, "--json", "--env", "sandbox"])
        .env("WXDESK_DB", &db)
        .env("WXDESK_SANDBOX_BASE", &base)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        json_line(&String::from_utf8_lossy(&o.stdout))["appid"],
        appid.as_str()
    );

    // Stateless commands do not touch the database: a path that cannot be created is fine.
    let blocker = w.write("not-a-dir", "x");
    let impossible = blocker.join("sub").join("w.db");
    let on_impossible_db = |command: [&str; 2]| {
        let mut args = command.to_vec();
        args.extend(["--db", impossible.to_str().unwrap(), "--json"]);
        w.run_raw(&args, None, &["--json"])
    };
    let r = on_impossible_db(["errcode", "40001"]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["errcode"], 40001);
    // A stateful command on that path fails cleanly, naming the problem.
    let r = on_impossible_db(["app", "list"]);
    assert_error_shape(&r);
}

#[test]
fn environments_show_set_and_override() {
    let w = World::start();
    let db = w.db().display().to_string();
    let base = w.base();
    let v = w.ok(&["env", "show"]);
    assert_eq!(v["environment"]["kind"], "sandbox");
    assert_eq!(v["saved_environment"]["kind"], "production");
    assert_eq!(v["is_production"], false);

    // `--env sandbox` without a base and nothing saved: a clear error (and no new database).
    let fresh = w.path("fresh.db");
    let r = w.run_raw(
        &[
            "app",
            "list",
            "--db",
            fresh.to_str().unwrap(),
            "--env",
            "sandbox",
            "--json",
        ],
        None,
        &["--json"],
    );
    assert_error_shape(&r);
    assert!(
        !fresh.exists(),
        "nothing is created for a run that cannot work"
    );
    let r = w.run_raw(
        &["app", "list", "--db", &db, "--env", "sandbox", "--json"],
        None,
        &["--json"],
    );
    assert_error_shape(&r);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--sandbox-base"),
        "{}",
        r.stdout
    );

    let v = w.ok(&["env", "set", "sandbox", "--base", &base]);
    assert_eq!(
        v["saved_environment"],
        serde_json::json!({ "kind": "sandbox", "base": base })
    );
    // The saved sandbox is used without flags, and by `--env sandbox` alone.
    let (appid, secret) = (random_appid(), random_secret());
    w.sandbox.add_app(&appid, &secret);
    let r = w.run_raw(
        &[
            "app", "add", "--appid", &appid, "--secret", &secret, "--db", &db, "--json",
        ],
        None,
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    let r = w.run_raw(
        &[
            "token", "--appid", &appid, "--db", &db, "--env", "sandbox", "--json",
        ],
        None,
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["source"], "fresh");
    let r = w.run_raw(&["env", "show", "--db", &db, "--json"], None, &["--json"]);
    assert_eq!(r.json()["environment"]["kind"], "sandbox");

    // Custom bases: per run with --api-base, or saved with `env set custom`.
    let r = w.run_raw(
        &["env", "show", "--db", &db, "--api-base", &base, "--json"],
        None,
        &["--json"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["environment"]["kind"], "custom");
    let r = w.run_raw(
        &[
            "env",
            "show",
            "--db",
            &db,
            "--env",
            "production",
            "--api-base",
            &base,
            "--json",
        ],
        None,
        &["--json"],
    );
    assert_error_shape(&r);
    assert_eq!(r.json()["error"]["kind"], "invalid_input");
    // A WXDESK_API_BASE in the environment yields to an explicit --env.
    let o = w
        .bare()
        .args(["env", "show", "--db", &db, "--env", "production", "--json"])
        .env("WXDESK_API_BASE", &base)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        json_line(&String::from_utf8_lossy(&o.stdout))["environment"]["kind"],
        "production"
    );

    let v = w.ok(&["env", "set", "custom", "--api", &base]);
    assert_eq!(v["saved_environment"]["kind"], "custom");
    assert_eq!(
        w.err(&["env", "set", "custom", "--api", "ftp://x"])["kind"],
        "invalid_input"
    );
    let v = w.ok(&["env", "set", "production"]);
    assert_eq!(v["saved_environment"]["kind"], "production");
    let text = w.text(&["env", "show"]);
    assert!(
        text.contains("sandbox") && text.contains("production"),
        "{text}"
    );
    // A bad --env value is a usage error (exit 2).
    let r = w.run_raw(
        &["env", "show", "--env", "staging", "--db", &db, "--json"],
        None,
        &["--json"],
    );
    assert_eq!(r.code, Some(2));
    let _: Value = r.json();
}

#[test]
fn confirmation_prompts_on_a_terminal() {
    let w = World::start();
    let (appid, _) = w.app();
    // Answering anything but "yes" cancels.
    let Some((code, screen)) = w.on_terminal(&["app", "remove", &appid], "no") else {
        return;
    };
    assert_ne!(code, 0, "{screen}");
    assert!(screen.contains("Type yes to continue"), "{screen}");
    assert!(
        screen.contains("login session"),
        "the prompt shows the risk: {screen}"
    );
    assert!(screen.contains("not confirmed"), "{screen}");
    assert_eq!(w.ok(&["app", "list"]).as_array().unwrap().len(), 1);
    // The legacy mint names its risk, and "yes" proceeds.
    let before = w.sandbox.counter("cgi-bin/token");
    let (code, screen) = w
        .on_terminal(&["token", "--appid", &appid, "--mode", "legacy"], "yes")
        .unwrap();
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("REPLACES"), "{screen}");
    assert!(screen.contains("source:  fresh"), "{screen}");
    assert_eq!(w.sandbox.counter("cgi-bin/token"), before + 1);
    let (code, screen) = w.on_terminal(&["app", "remove", &appid], "yes").unwrap();
    assert_eq!(code, 0, "{screen}");
    assert_eq!(w.ok(&["app", "list"]).as_array().unwrap().len(), 0);
}
