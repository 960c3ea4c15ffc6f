//! Secrets at rest: after every operation that stores a secret, the raw
//! bytes of the database file and its `-wal` and `-shm` companions contain
//! none of the secret strings.
//!
//! [`assert_no_secrets_at_rest`] is the reusable check: give it the database
//! path and every secret written. Owners of other secret-writing operations
//! (tokens, sessions, login, authorizers, fast registration) extend this file
//! with a test that performs their operations and calls it.

mod common;

use std::path::{Path, PathBuf};

use common::{app_input, platform_input};
use wxdesk_core::services::apps::{AppChanges, Secret};
use wxdesk_core::services::components::{ComponentChanges, ComponentInput};
use wxdesk_core::services::transfer::ExportOptions;
use wxdesk_core::store::authorizers::{self, AuthorizerRow, AuthorizerStatus};
use wxdesk_core::store::tickets;
use wxdesk_core::Desk;
use zeroize::Zeroizing;

/// The database file and its SQLite companions (`-wal`, `-shm`), with their
/// contents (an absent companion reads as empty).
pub fn db_files(db_path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut p = db_path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            let bytes = std::fs::read(&p).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

/// Which of `needles` occur in the raw bytes of the database files, as
/// (file, needle) pairs.
pub fn find_at_rest<'a>(db_path: &Path, needles: &[&'a str]) -> Vec<(PathBuf, &'a str)> {
    let mut hits = Vec::new();
    for (path, bytes) in db_files(db_path) {
        for n in needles {
            assert!(!n.is_empty(), "an empty secret would match everything");
            if bytes.windows(n.len()).any(|w| w == n.as_bytes()) {
                hits.push((path.clone(), *n));
            }
        }
    }
    hits
}

/// Fails when any of `secrets` appears in plain text in the database at
/// `db_path` or its `-wal` / `-shm` files. The failure names the file and
/// shows only the first four characters of the secret.
pub fn assert_no_secrets_at_rest(db_path: &Path, secrets: &[&str]) {
    let files = db_files(db_path);
    assert!(
        !files[0].1.is_empty(),
        "{} is empty or missing",
        db_path.display()
    );
    let hits = find_at_rest(db_path, secrets);
    let shown: Vec<String> = hits
        .iter()
        .map(|(p, s)| {
            format!(
                "{}… in {}",
                s.chars().take(4).collect::<String>(),
                p.display()
            )
        })
        .collect();
    assert!(hits.is_empty(), "plaintext secrets at rest: {shown:?}");
}

fn open(db: &Path) -> Desk {
    wxdesk_testkit::desk::open_desk(db, wxdesk_testkit::desk::NOWHERE)
}

const APP: &str = "wx1234567890abcdef";
const COMP: &str = "wx0123456789abcdef";
const APP_SECRET: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa";
const APP_SECRET_2: &str = "5ec7e75ec7e75ec7e75ec7e75ec7e7bb";
const COMP_SECRET: &str = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0aa";
const COMP_SECRET_2: &str = "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0bb";
const MSG_TOKEN: &str = "AtRestMsgToken01";
const MSG_TOKEN_2: &str = "AtRestMsgToken02";
const AES_KEY: &str = "AtRestAesKeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1";
const AES_KEY_2: &str = "AtRestAesKeyBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB2";
const TICKET: &str = "ticket@@@AtRestTicketValue";
const REFRESH: &str = "refreshtoken@@@AtRestRefresh";
/// Written by import (a second desk's export), so import's re-sealing is covered.
const IMPORTED_APP_SECRET: &str = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a";
const IMPORTED_TICKET: &str = "ticket@@@ImportedAtRest";
const IMPORTED_REFRESH: &str = "refreshtoken@@@ImportedAtRest";

fn all_secrets() -> Vec<&'static str> {
    vec![
        APP_SECRET,
        APP_SECRET_2,
        COMP_SECRET,
        COMP_SECRET_2,
        MSG_TOKEN,
        MSG_TOKEN_2,
        AES_KEY,
        AES_KEY_2,
        TICKET,
        REFRESH,
        IMPORTED_APP_SECRET,
        IMPORTED_TICKET,
        IMPORTED_REFRESH,
    ]
}

fn authorizer(appid: &str, refresh: wxdesk_core::vault::Sealed) -> AuthorizerRow {
    AuthorizerRow {
        component_appid: COMP.into(),
        appid: appid.into(),
        refresh_token: Some(refresh),
        func_info: vec![1],
        info: None,
        nick_name: "Merchant".into(),
        account_type: "mini_program".into(),
        status: AuthorizerStatus::Active,
        authorized_at: Some(1),
        revoked_at: None,
        updated_at: 1,
    }
}

/// A second desk's encrypted export carrying secrets this desk has not seen.
fn foreign_export(passphrase: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(&dir.path().join("other.db"));
    desk.app_add(app_input(
        "wx9999999999999999",
        IMPORTED_APP_SECRET,
        "Imported",
    ))
    .unwrap();
    desk.component_add(ComponentInput {
        appid: "wx8888888888888888".into(),
        secret: Secret::new(COMP_SECRET_2),
        token: Some(Secret::new(MSG_TOKEN_2)),
        aes_key: Some(Secret::new(AES_KEY_2)),
        ..Default::default()
    })
    .unwrap();
    let t = desk.vault().seal(tickets::TICKET, IMPORTED_TICKET).unwrap();
    let rt = desk
        .vault()
        .seal(authorizers::REFRESH_TOKEN, IMPORTED_REFRESH)
        .unwrap();
    desk.store()
        .write(|tx| {
            tickets::insert(tx, "wx8888888888888888", &t, "push", desk.now())?;
            let mut a = authorizer("wxa000000000000009", rt);
            a.component_appid = "wx8888888888888888".into();
            authorizers::upsert(tx, &a)
        })
        .unwrap();
    desk.export(ExportOptions {
        with_secrets: true,
        passphrase: Some(Zeroizing::new(passphrase.into())),
    })
    .unwrap()
}

#[test]
fn account_operations_leave_no_plaintext_secret_in_the_database_files() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("wxdesk.db");
    let desk = open(&home);
    // The sandbox desk's own file (the home file holds only global settings).
    let db = desk.db_path().to_path_buf();
    assert_ne!(db, home);

    // A plaintext marker in a non-secret column proves the scan sees the
    // freshly written pages (in the WAL while the desk is open).
    let marker = "PLAINTEXT-MARKER-NAME";
    desk.app_add(app_input(APP, APP_SECRET, marker)).unwrap();
    assert!(
        !find_at_rest(&db, &[marker]).is_empty(),
        "the scan does not see written data"
    );

    desk.app_update(
        APP,
        AppChanges {
            secret: Some(Secret::new(APP_SECRET_2)),
            name: None,
        },
    )
    .unwrap();
    let platform = ComponentInput {
        name: "P".into(),
        redirect_uri: Some("https://example.com/cb".into()),
        ..platform_input(COMP, COMP_SECRET, MSG_TOKEN, AES_KEY)
    };
    desk.component_add(platform).unwrap();
    desk.component_update(
        COMP,
        ComponentChanges {
            secret: Some(Secret::new(COMP_SECRET_2)),
            token: Some(Secret::new(MSG_TOKEN_2)),
            aes_key: Some(Secret::new(AES_KEY_2)),
            ..Default::default()
        },
    )
    .unwrap();
    // Restore the first values too, so both generations went through update.
    desk.component_update(
        COMP,
        ComponentChanges {
            secret: Some(Secret::new(COMP_SECRET)),
            token: Some(Secret::new(MSG_TOKEN)),
            aes_key: Some(Secret::new(AES_KEY)),
            ..Default::default()
        },
    )
    .unwrap();
    let ticket = desk.vault().seal(tickets::TICKET, TICKET).unwrap();
    let refresh = desk
        .vault()
        .seal(authorizers::REFRESH_TOKEN, REFRESH)
        .unwrap();
    desk.store()
        .write(|tx| {
            tickets::insert(tx, COMP, &ticket, "push", desk.now())?;
            authorizers::upsert(tx, &authorizer("wxa000000000000001", refresh.clone()))
        })
        .unwrap();
    let pass = "at rest passphrase";
    let report = desk
        .import(
            &foreign_export(pass),
            Some(Zeroizing::new(pass.into())),
            true,
        )
        .unwrap();
    assert!(
        report.with_secrets
            && report.apps.added == 1
            && report.tickets_added == 1
            && report.authorizers.added == 1
    );
    // Views and settings are read and written too.
    desk.app_list().unwrap();
    desk.component_list().unwrap();
    desk.set_theme("dark").unwrap();

    // While open: main file, WAL and shared memory.
    let files = db_files(&db);
    assert!(
        !files[1].1.is_empty(),
        "the WAL should hold the recent writes"
    );
    assert_no_secrets_at_rest(&db, &all_secrets());

    // A removal rewrites pages; still nothing.
    desk.app_remove(APP, true).unwrap();
    assert_no_secrets_at_rest(&db, &all_secrets());

    // After close (checkpoint into the main file).
    drop(desk);
    assert_no_secrets_at_rest(&db, &all_secrets());
    let desk = open(&home);
    assert_eq!(desk.component_list().unwrap().len(), 2);
    assert_no_secrets_at_rest(&db, &all_secrets());
    assert_no_secrets_at_rest(&home, &all_secrets());
}

#[test]
fn the_check_fails_when_a_secret_is_stored_in_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(&dir.path().join("wxdesk.db"));
    let db = desk.db_path().to_path_buf();
    // Simulate a bug: a secret written without the vault.
    desk.store()
        .write(|tx| {
            tx.execute(
                "INSERT INTO apps (appid, name, secret, created_at, updated_at) VALUES (?1, '', ?2, 1, 1)",
                (APP, APP_SECRET),
            )?;
            Ok(())
        })
        .unwrap();
    let hits = find_at_rest(&db, &[APP_SECRET, MSG_TOKEN]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].1, APP_SECRET);
    let r = std::panic::catch_unwind(|| assert_no_secrets_at_rest(&db, &[APP_SECRET]));
    assert!(r.is_err());
}
