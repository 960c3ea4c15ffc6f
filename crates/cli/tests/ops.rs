//! `quota`, `log`, `export` and `import` through the real binary.

mod common;

use common::*;

#[test]
fn quota_get_and_a_confirmed_clear() {
    let w = World::start();
    let (appid, _) = w.app();
    w.ok(&["token", "--appid", &appid]);
    let v = w.ok(&stable_token_quota(&appid));
    assert_eq!(v["used"], 1);
    assert_eq!(v["daily_limit"], 500_000);
    assert_eq!(v["remain"], 499_999);
    let text = w.text(&stable_token_quota(&appid));
    assert!(text.contains("1 of 500000 used"), "{text}");
    let e = w.err(&[
        "quota",
        "get",
        "--appid",
        &appid,
        "--cgi-path",
        "cgi-bin/no-slash",
    ]);
    assert_eq!(e["kind"], "invalid_input");
    assert_eq!(
        w.err(&[
            "quota",
            "get",
            "--appid",
            &random_appid(),
            "--cgi-path",
            "/cgi-bin/token"
        ])["kind"],
        "not_found"
    );
    // A platform's own quota uses its component token.
    let c = w.component();
    let v = w.ok(&[
        "quota",
        "get",
        "--appid",
        &c.appid,
        "--cgi-path",
        "/cgi-bin/component/api_component_token",
    ]);
    assert_eq!(v["used"], 1);

    // clear_quota: refused without confirmation, nothing sent.
    let e = w.err(&["quota", "clear", "--appid", &appid]);
    assert_eq!(e["kind"], "needs_confirmation");
    assert!(e["message"].as_str().unwrap().contains("10 resets"), "{e}");
    assert_eq!(w.sandbox.counter("cgi-bin/clear_quota"), 0);
    let v = w.ok(&["quota", "clear", "--appid", &appid, "--yes"]);
    assert_eq!(v["cleared"], true);
    assert_eq!(w.sandbox.counter("cgi-bin/clear_quota"), 1);
    let v = w.ok(&stable_token_quota(&appid));
    assert_eq!(v["used"], 0, "the counters were reset");
}

#[test]
fn log_filters_pages_and_explains_errors() {
    let w = World::start();
    let (appid, _) = w.app();
    let (other, _) = w.app();
    w.ok(&["token", "--appid", &appid]);
    w.ok(&["token", "--appid", &other]);
    // A failing call: a phone code that does not exist.
    w.err(&["phone", "--appid", &appid, "--code", "no-such-code"]);

    let all = w.ok(&["log"]);
    let entries = all.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{all}");
    assert!(
        entries[0]["id"].as_i64() > entries[1]["id"].as_i64(),
        "newest first"
    );
    let mine = w.ok(&["log", "--account", &appid]);
    assert_eq!(mine.as_array().unwrap().len(), 2);
    let tok = w.ok(&["log", "--endpoint", "cgi-bin/stable_token"]);
    assert_eq!(tok.as_array().unwrap().len(), 2);
    let errs = w.ok(&["log", "--errors"]);
    let errs = errs.as_array().unwrap();
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0]["endpoint"], "wxa/business/getuserphonenumber");
    assert!(errs[0]["explanation"]["hint"].is_string(), "{}", errs[0]);
    assert_eq!(w.ok(&["log", "--since", "1h"]).as_array().unwrap().len(), 3);
    assert_eq!(
        w.ok(&["log", "--since", "2999-01-01T00:00:00Z"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        w.ok(&["log", "--until", "2000-01-01"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let e = w.err(&["log", "--since", "yesterday"]);
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"].as_str().unwrap().contains("--since"));
    assert_eq!(w.err(&["log", "--limit", "0"])["kind"], "invalid_input");

    // Keyset paging: `--json` is the op's bare list; a full page's last id
    // is where the next page starts (the text says "more: add --before-id").
    let p1 = w.ok(&["log", "--limit", "2"]);
    assert_eq!(p1.as_array().unwrap().len(), 2);
    let next = p1[1]["id"].as_i64().unwrap().to_string();
    let p2 = w.ok(&["log", "--limit", "2", "--before-id", &next]);
    assert_eq!(p2.as_array().unwrap().len(), 1, "the last page is short");
    assert!(p2[0]["id"].as_i64() < p1[1]["id"].as_i64());
    let text = w.text(&["log", "--limit", "2"]);
    assert!(
        text.contains(&format!("more: add --before-id {next}")),
        "{text}"
    );

    // One entry in full; its request is redacted.
    let id = errs[0]["id"].as_i64().unwrap().to_string();
    let one = w.ok(&["log", "--id", &id]);
    assert_eq!(one["endpoint"], "wxa/business/getuserphonenumber");
    assert!(
        !one.to_string().contains("no-such-code"),
        "codes are redacted: {one}"
    );
    let text = w.text(&["log", "--id", &id]);
    assert!(text.contains("fix:"), "{text}");
    assert_eq!(w.err(&["log", "--id", "999999"])["kind"], "not_found");
    let text = w.text(&["log", "--errors"]);
    assert!(text.contains("wxa/business/getuserphonenumber"), "{text}");
    let r = w.run(&["log", "--id", &id, "--account", &appid, "--json"]);
    assert_eq!(r.code, Some(2), "--id excludes the filters");
}

#[test]
fn export_and_import_with_and_without_secrets() {
    let w = World::start();
    let (appid, secret) = w.app();
    let c = w.component();

    let plain = w.path("plain.json");
    // An existing, world-readable file is tightened to owner-only.
    std::fs::write(&plain, "old").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&plain, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let v = w.ok(&["export", "--out", plain.to_str().unwrap()]);
    assert_eq!(v["with_secrets"], false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&plain).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let text = std::fs::read_to_string(&plain).unwrap();
    assert!(text.contains(&appid) && text.contains(&c.appid));
    for s in [
        &secret,
        &c.secret,
        &c.token,
        &c.aes_key,
        c.ticket.as_ref().unwrap(),
    ] {
        assert!(!text.contains(s.as_str()), "a plain export holds no secret");
    }
    // --with-secrets needs a passphrase file.
    let r = w.run(&[
        "export",
        "--out",
        w.path("x").to_str().unwrap(),
        "--with-secrets",
        "--json",
    ]);
    assert_eq!(r.code, Some(2));
    let pass = w.write("pass.txt", "correct horse battery\n");
    let short = w.write("short.txt", "abc\n");
    let sealed = w.path("sealed.bin");
    assert_eq!(
        w.err(&[
            "export",
            "--out",
            sealed.to_str().unwrap(),
            "--with-secrets",
            "--passphrase-file",
            short.to_str().unwrap()
        ])["kind"],
        "invalid_input"
    );
    let v = w.ok(&[
        "export",
        "--out",
        sealed.to_str().unwrap(),
        "--with-secrets",
        "--passphrase-file",
        pass.to_str().unwrap(),
    ]);
    assert_eq!(v["with_secrets"], true);
    let bytes = std::fs::read(&sealed).unwrap();
    for s in [&secret, &c.secret, &c.token, &c.aes_key] {
        assert!(
            !found_in(&bytes, &[s.as_str()]).contains(&s.as_str()),
            "the encrypted export hides secrets"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&sealed).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    // Import into a second desk.
    let other = w.path("other.db").display().to_string();
    let base = w.base();
    let import = |args: &[&str]| {
        let mut full = args.to_vec();
        full.extend([
            "--db",
            &other,
            "--env",
            "sandbox",
            "--sandbox-base",
            &base,
            "--json",
        ]);
        w.run_raw(&full, None, &["--json"])
    };
    // `import SEALED --passphrase-file PASS_FILE EXTRA…` into the second desk.
    let import_sealed = |pass_file: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["import", sealed.to_str().unwrap(), "--passphrase-file"];
        args.push(pass_file.to_str().unwrap());
        args.extend_from_slice(extra);
        import(&args)
    };
    let wrong = w.write("wrong.txt", "not the passphrase\n");
    let r = import_sealed(&wrong, &[]);
    assert_error_shape(&r);
    let r = import(&["import", sealed.to_str().unwrap()]);
    assert_error_shape(&r);
    let r = import(&["app", "list"]);
    assert_eq!(
        r.json().as_array().unwrap().len(),
        0,
        "a failed import writes nothing"
    );
    // The preview writes nothing.
    let r = import_sealed(&pass, &["--preview"]);
    assert!(r.ok(), "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        (v["written"].as_bool(), v["apps"]["added"].as_u64()),
        (Some(false), Some(1))
    );
    // Without a terminal and without --yes: refused, nothing written; the
    // refusal carries the preview.
    let r = import_sealed(&pass, &[]);
    assert_error_shape(&r);
    let e = &r.json()["error"];
    assert_eq!(e["kind"], "needs_confirmation");
    let msg = e.to_string();
    assert!(msg.contains("mini programs: 1 added"), "{msg}");
    let r = import(&["app", "list"]);
    assert_eq!(r.json().as_array().unwrap().len(), 0);
    // --yes confirms.
    let r = import_sealed(&pass, &["--yes"]);
    assert!(r.ok(), "{}", r.stderr);
    let v = r.json();
    assert_eq!(
        (
            v["written"].as_bool(),
            v["apps"]["added"].as_u64(),
            v["components"]["added"].as_u64(),
            v["with_secrets"].as_bool()
        ),
        (Some(true), Some(1), Some(1), Some(true))
    );
    // The imported secrets work: a token can be fetched with them.
    let r = import(&["token", "--appid", &appid]);
    assert!(r.ok(), "{}", r.stderr);
    let r = import(&["component", "token", &c.appid]);
    assert!(r.ok(), "{}", r.stderr);

    // A broken file is rejected whole.
    let broken = w.write("broken.json", &text.replace(&appid, "wxNOTANAPPID"));
    let r = import(&["import", broken.to_str().unwrap()]);
    assert_error_shape(&r);
    let missing = import(&["import", "/nonexistent/file.json"]);
    assert_error_shape(&missing);
    assert!(missing.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cannot read"));
}

/// `env set sandbox` to a local base where nothing runs saves the choice and
/// stops there: the one-shot CLI does not start an embedded sandbox (which
/// would die with the process and leave its memory file behind).
#[test]
fn env_set_to_a_stopped_local_sandbox_starts_nothing() {
    let w = World::start();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let v = w.ok(&["env", "set", "sandbox", "--base", &base]);
    assert_eq!(v["saved_environment"]["base"], base.as_str(), "{v}");
    assert!(
        !w.path("embedded-sandbox.json").exists(),
        "no embedded sandbox was started for one command"
    );
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "nothing listens on the saved base"
    );
}
