//! The CLI's files: each environment's own database, named by `env show`,
//! and a first run shared by two processes starting at the same moment.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::*;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment};

fn random_hex(n: usize) -> String {
    (0..n)
        .map(|_| char::from_digit(rand::random::<u32>() % 16, 16).unwrap())
        .collect()
}

#[test]
fn env_show_names_the_database_file_of_each_environment() {
    let w = World::start();
    let home = w.db();
    let sandbox_file = w.path("w-sandbox.db");

    let r = w.run(&["env", "show", "--json"]);
    assert!(r.ok(), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["db_path"], sandbox_file.display().to_string());
    assert_eq!(v["home_db_path"], home.display().to_string());
    let r = w.run(&["env", "show"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout
            .contains(&format!("database:      {}", sandbox_file.display())),
        "{}",
        r.stdout
    );

    // An app added in the sandbox lives in the sandbox file only.
    let appid = format!("wx{}", random_hex(16));
    let r = w.run(&["app", "add", "--appid", &appid, "--secret", &random_hex(32)]);
    assert!(r.ok(), "{}", r.stderr);
    let home_s = home.display().to_string();
    let prod = |args: &[&str]| {
        let mut full = args.to_vec();
        full.extend(["--env", "production", "--db", &home_s]);
        w.run_raw(&full, None, args)
    };
    let r = prod(&["env", "show", "--json"]);
    assert!(r.ok(), "{}", r.stderr);
    assert_eq!(r.json()["db_path"], home_s);
    let r = prod(&["app", "list", "--json"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(!r.stdout.contains(&appid), "{}", r.stdout);

    // `env set` saves the choice in the home file and says which file it uses.
    let base = w.base();
    let r = prod(&["env", "set", "sandbox", "--base", &base]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout.contains(&sandbox_file.display().to_string()),
        "{}",
        r.stdout
    );
    let r = w.run_raw(
        &["app", "list", "--json", "--db", &home_s],
        None,
        &["app", "list"],
    );
    assert!(r.ok(), "{}", r.stderr);
    assert!(r.stdout.contains(&appid), "{}", r.stdout);
}

fn spawn_add(w: &World, db: &Path, appid: &str, secret: &str) -> Child {
    let mut cmd: Command = w.bare();
    cmd.args(["app", "add", "--appid", appid, "--secret", secret, "--db"])
        .arg(db)
        .args(["--env", "production"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("spawn wxdesk")
}

#[test]
fn two_processes_creating_a_new_database_end_with_one_key_and_one_schema() {
    let w = World::start();
    for round in 0..16 {
        let dir = w.path(&format!("round{round}"));
        let db = dir.join("desk.db");
        let apps: Vec<(String, String)> = (0..2)
            .map(|_| (format!("wx{}", random_hex(16)), random_hex(32)))
            .collect();
        // Both start at once on a database that does not exist yet.
        let children: Vec<Child> = apps.iter().map(|(a, s)| spawn_add(&w, &db, a, s)).collect();
        for c in children {
            let o = c.wait_with_output().unwrap();
            assert!(
                o.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let keys: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".key"))
            .collect();
        assert_eq!(keys, vec!["desk.db.key".to_string()], "round {round}");
        // The one key opens the secrets both processes wrote.
        let desk = Desk::open(DeskOptions {
            db_path: db.clone(),
            key_storage: KeyStorage::File,
            environment: Some(Environment::Production),
            client: Default::default(),
        })
        .unwrap();
        for (appid, secret) in &apps {
            let row = desk
                .store()
                .read(|c| wxdesk_core::store::apps::require(c, appid))
                .unwrap();
            let plain = desk
                .open_secret(
                    wxdesk_core::store::apps::SECRET,
                    row.secret.as_ref().unwrap(),
                )
                .unwrap();
            assert_eq!(plain.as_str(), secret.as_str(), "round {round}");
        }
        assert_eq!(desk.store().integrity_check().unwrap(), "ok");
    }
}

#[cfg(unix)]
#[test]
fn a_key_file_readable_by_others_is_fixed_and_the_cli_warns() {
    use std::os::unix::fs::PermissionsExt;
    let w = World::start();
    let r = w.run(&["app", "list"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let key = w.path("w.db.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = w.run(&["app", "list"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains(&key.display().to_string()),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let r = w.run(&["app", "list"]);
    assert!(
        !r.stderr.contains("warning"),
        "once fixed, quiet: {}",
        r.stderr
    );
}
