//! Secrets through every command: known secrets are written through the CLI
//! (AppSecrets, platform secrets, message tokens, EncodingAESKeys, tickets,
//! refresh tokens from authorizations, pushes and syncs, access tokens,
//! session keys, js_codes, phone codes, auth codes, fast-registration
//! tickets, export passphrases), then
//!
//! * the raw bytes of the database, its `-wal` and its `-shm` hold none of them
//!   (checked while another connection keeps the WAL alive, and after it closes);
//! * no command printed any of them on stdout or stderr, except the runs that
//!   asked for `--reveal` (and a link, which must carry its pre_auth_code).

mod common;

use common::*;
use wxdesk_sandbox::{AccountKind, AuthorizeSeed};

/// The query parameter `name` of a URL.
fn param(url: &str, name: &str) -> String {
    let q = url.split_once('?').map(|(_, q)| q).unwrap_or(url);
    let q = q.split('#').next().unwrap_or(q);
    form_urlencoded_pairs(q)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{name} not in {url}"))
}

fn form_urlencoded_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), percent_decode(v)))
        .collect()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The text between `<tag>` (optionally CDATA-wrapped) and `</tag>`.
fn xml_field(xml: &str, tag: &str) -> String {
    let start = xml
        .find(&format!("<{tag}>"))
        .unwrap_or_else(|| panic!("{tag} in {xml}"))
        + tag.len()
        + 2;
    let end = xml[start..].find(&format!("</{tag}>")).unwrap() + start;
    xml[start..end]
        .trim_start_matches("<![CDATA[")
        .trim_end_matches("]]>")
        .to_string()
}

#[test]
fn no_secret_at_rest_nor_in_any_output() {
    let w = World::start();
    let mut secrets: Vec<String> = Vec::new();
    let add = |s: &str, secrets: &mut Vec<String>| {
        assert!(s.len() >= 8, "secret too short to search for: {s:?}");
        secrets.push(s.to_string());
    };

    // Apps: secret, then a new secret.
    let marker = "PLAINTEXT-MARKER-NAME";
    let appid = random_appid();
    let s1 = random_secret();
    let s2 = random_secret();
    w.sandbox.add_app(&appid, &s2);
    w.ok(&[
        "app", "add", "--appid", &appid, "--secret", &s1, "--name", marker,
    ]);
    w.ok(&["app", "update", &appid, "--secret", &s2]);
    add(&s1, &mut secrets);
    add(&s2, &mut secrets);
    // Keep the WAL alive for the whole run, so every written frame can be scanned.
    let keeper = rusqlite::Connection::open(w.env_db()).unwrap();
    keeper
        .query_row("SELECT COUNT(*) FROM apps", [], |r| r.get::<_, i64>(0))
        .unwrap();

    // Platforms: all three secrets, then new ones.
    let c = w.component_without_ticket();
    for s in [&c.secret, &c.token, &c.aes_key] {
        add(s, &mut secrets);
    }
    let update = |flags: [&str; 6]| {
        let mut args = vec!["component", "update", c.appid.as_str()];
        args.extend(flags);
        w.ok(&args)
    };
    let (cs2, ct2, ck2) = (random_secret(), random_alnum(32), random_alnum(43));
    update(platform_secret_flags(&cs2, &ct2, &ck2));
    for s in [&cs2, &ct2, &ck2] {
        add(s, &mut secrets);
    }
    // Back to the sandbox's values so the platform works.
    update(platform_secret_flags(&c.secret, &c.token, &c.aes_key));

    // Tickets: pasted and pushed.
    let t1 = w.sandbox.issue_ticket(&c.appid).unwrap();
    w.ok(&["component", "ticket", "set", &c.appid, &t1]);
    add(&t1, &mut secrets);
    let push = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    let t2 = xml_field(&push.plaintext, "ComponentVerifyTicket");
    let r = deliver_push(&w, &c.appid, &push.query, &push.body);
    assert!(r.ok(), "{}", r.stderr);
    add(&t2, &mut secrets);

    // Tokens: app (stable, legacy), component; their values learned only with --reveal.
    let v = w.ok(&["token", "--appid", &appid, "--reveal"]);
    add(v["token"].as_str().unwrap(), &mut secrets);
    let v = w.ok(&[
        "token", "--appid", &appid, "--mode", "legacy", "--yes", "--reveal",
    ]);
    add(v["token"].as_str().unwrap(), &mut secrets);
    w.ok(&["token", "--appid", &appid]);
    let v = w.ok(&["component", "token", &c.appid, "--reveal"]);
    add(v["token"].as_str().unwrap(), &mut secrets);

    // Authorizations: by code, by callback URL, by push; refresh tokens and codes.
    let a1 = w.sandbox_authorize(&c.appid, AccountKind::MiniProgram);
    add(&a1.auth_code, &mut secrets);
    add(&a1.refresh_token, &mut secrets);
    w.ok(&[
        "authorize",
        "--component",
        &c.appid,
        "--auth-code",
        &a1.auth_code,
    ]);
    let link = w.ok(&["link", "pc", "--component", &c.appid]);
    let url = link["url"].as_str().unwrap().to_string();
    let pre_auth_code = param(&url, "pre_auth_code");
    let location = w.consent(&url, &[("kind", "official_account")]);
    let cb_code = param(&location, "auth_code");
    add(&cb_code, &mut secrets);
    let v = w.ok(&authorize_by_callback(&c.appid, &location));
    let oa = v["appid"].as_str().unwrap().to_string();
    let a3 = w.sandbox_authorize(&c.appid, AccountKind::MiniProgram);
    add(&a3.auth_code, &mut secrets);
    add(&a3.refresh_token, &mut secrets);
    let p = w.push(&c.appid, "authorized");
    let r = deliver_push(&w, &c.appid, &p.query, &p.body);
    assert!(r.ok(), "{}", r.stderr);
    // Sync: seeded authorizers, and a re-authorization that rotates a refresh token.
    w.sandbox.seed_authorizers(&c.appid, 5);
    let rotated = w
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: c.appid.clone(),
            authorizer_appid: Some(a1.authorizer_appid.clone()),
            kind: AccountKind::MiniProgram,
            func_ids: vec![],
        })
        .unwrap();
    add(&rotated.refresh_token, &mut secrets);
    add(&rotated.auth_code, &mut secrets);
    let v = w.ok(&["authorizer", "sync", "--component", &c.appid]);
    assert_eq!(v["added"], 5);
    assert_eq!(v["updated_refresh_tokens"], 1);
    w.ok(&["authorizer", "refresh", "--component", &c.appid, "--all"]);
    let v = w.ok(&[
        "authorizer",
        "token",
        &a1.authorizer_appid,
        "--component",
        &c.appid,
        "--reveal",
    ]);
    add(v["token"].as_str().unwrap(), &mut secrets);

    // Logins: direct and through the platform; phone codes.
    let js = w.sandbox.issue_js_code(&appid, None);
    add(&js.code, &mut secrets);
    add(&js.session_key, &mut secrets);
    w.ok(&["login", "--appid", &appid, "--code", &js.code]);
    let js2 = w.sandbox.issue_js_code(&a1.authorizer_appid, None);
    add(&js2.code, &mut secrets);
    add(&js2.session_key, &mut secrets);
    w.ok(&[
        "login",
        "--appid",
        &a1.authorizer_appid,
        "--code",
        &js2.code,
        "--reveal",
    ]);
    w.ok(&["login", "sessions"]);
    w.ok(&["checksession", "--appid", &appid, "--openid", &js.openid]);
    let phone = w.sandbox.issue_phone_code(&appid, "13800138000");
    add(&phone, &mut secrets);
    w.ok(&["phone", "--appid", &appid, "--code", &phone]);
    let phone2 = w
        .sandbox
        .issue_phone_code(&a1.authorizer_appid, "13800138001");
    add(&phone2, &mut secrets);
    w.ok(&["phone", "--appid", &a1.authorizer_appid, "--code", &phone2]);
    let js3 = w.sandbox.issue_js_code(&appid, None);
    add(&js3.code, &mut secrets);
    w.err(&[
        "login",
        "--appid",
        &appid,
        "--code",
        &format!("{}x", js3.code),
    ]);

    // Fast registration with an Official Account's single-use ticket.
    let flink = w.ok(&[
        "link",
        "fastregister",
        "--component",
        &c.appid,
        "--appid",
        &oa,
    ]);
    let floc = w.consent(flink["url"].as_str().unwrap(), &[]);
    let fticket = param(&floc, "ticket");
    add(&fticket, &mut secrets);
    w.ok(&[
        "fastregister",
        "offiaccount",
        "--component",
        &c.appid,
        "--authorizer",
        &oa,
        "--ticket",
        &fticket,
    ]);

    // Quota, log, every list and show.
    w.ok(&stable_token_quota(&appid));
    w.ok(&["quota", "clear", "--appid", &appid, "--yes"]);
    w.ok(&["log", "--limit", "1000"]);
    for id in 1..=3 {
        w.ok(&["log", "--id", &id.to_string()]);
    }
    w.text(&["log", "--limit", "1000"]);
    w.ok(&["app", "list"]);
    w.text(&["app", "show", &appid]);
    w.ok(&["component", "list"]);
    w.text(&["component", "show", &c.appid]);
    w.ok(&["component", "ticket", "status", &c.appid]);
    w.ok(&["authorizer", "list"]);
    w.text(&["authorizer", "show", &a1.authorizer_appid]);
    w.ok(&["env", "show"]);

    // Export with secrets (the passphrase is a secret too), import into this desk.
    let passphrase = "Passphrase-Never-Stored-0042";
    add(passphrase, &mut secrets);
    let pf = w.write("pass.txt", &format!("{passphrase}\n"));
    let out = w.path("export.bin");
    w.ok(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--with-secrets",
        "--passphrase-file",
        pf.to_str().unwrap(),
    ]);
    w.ok(&[
        "import",
        out.to_str().unwrap(),
        "--passphrase-file",
        pf.to_str().unwrap(),
        "--yes",
    ]);

    // At rest: the marker is visible (the scan sees fresh data), no secret is.
    let scan = |when: &str| {
        let files = db_files(&w.env_db());
        assert!(!files[0].1.is_empty());
        let all: Vec<u8> = files.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        assert!(
            !found_in(&all, &[marker]).is_empty(),
            "{when}: the scan does not see written data"
        );
        let needles: Vec<&str> = secrets.iter().map(String::as_str).collect();
        for (path, bytes) in &files {
            let hits = found_in(bytes, &needles);
            let shown: Vec<String> = hits.iter().map(|s| masked(s)).collect();
            assert!(
                hits.is_empty(),
                "{when}: plaintext secrets in {}: {shown:?}",
                path.display()
            );
        }
        // A link's pre_auth_code is shown by design, but is never stored.
        assert!(
            found_in(&all, &[&pre_auth_code]).is_empty(),
            "{when}: pre_auth_code at rest"
        );
    };
    assert!(
        !db_files(&w.env_db())[1].1.is_empty(),
        "the WAL is kept alive for the scan"
    );
    scan("with the WAL alive");
    drop(keeper);
    // One more write after the keeper closed, then a clean close (checkpoint).
    w.ok(&["app", "update", &appid, "--name", marker]);
    scan("after checkpoint");

    // In output: nothing, except where --reveal was asked.
    let needles: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let transcript = w.transcript.borrow();
    assert!(transcript.len() > 40, "{} runs", transcript.len());
    for run in transcript.iter().filter(|r| !r.revealed()) {
        let printed = format!("{}\n{}", run.stdout, run.stderr);
        let hits = found_in(printed.as_bytes(), &needles);
        let shown: Vec<String> = hits.iter().map(|s| masked(s)).collect();
        assert!(hits.is_empty(), "{:?} printed secrets {shown:?}", run.args);
    }
    // And --reveal did print what it was asked for (the check above is not vacuous).
    assert!(transcript
        .iter()
        .filter(|r| r.revealed())
        .any(|r| r.stdout.contains(&js2.session_key)));
}
