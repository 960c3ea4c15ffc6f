//! Environments never mix: each has its own database file, so a sandbox
//! operation cannot read or change a production record; switching the
//! environment switches the file; the files are private to their owner.

mod common;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use common::*;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::services::authorizers::AuthorizerQuery;
use wxdesk_core::services::components_push::TicketSource;
use wxdesk_core::store::{authorizers, components, tickets};
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment};
use wxdesk_sandbox::{AuthorizeSeed, ComponentSeed};
use wxdesk_wechat::ClientConfig;

fn open_production(db: &Path) -> Desk {
    Desk::open(DeskOptions {
        db_path: db.to_path_buf(),
        key_storage: KeyStorage::File,
        environment: Some(Environment::Production),
        client: ClientConfig::default(),
    })
    .unwrap()
}

/// Saves the platform in `desk` unless the desk already sees one with this
/// appid (as an operator would: a platform already listed is not added again).
fn ensure_component(desk: &Desk, appid: &str, secret: &str) {
    let known = desk
        .store()
        .read(|c| components::get(c, appid))
        .unwrap()
        .is_some();
    if !known {
        store_component(desk, appid, secret);
    }
}

fn active(desk: &Desk, component: &str) -> Vec<String> {
    let mut v: Vec<String> = desk
        .authorizer_list(&AuthorizerQuery {
            component: Some(component.into()),
            status: Some(authorizers::AuthorizerStatus::Active),
            ..Default::default()
        })
        .unwrap()
        .into_iter()
        .map(|a| a.appid)
        .collect();
    v.sort();
    v
}

fn newest_ticket(desk: &Desk, component: &str) -> String {
    let row = desk
        .store()
        .read(|c| tickets::latest(c, component))
        .unwrap()
        .expect("a ticket");
    desk.open_secret(tickets::TICKET, &row.ticket)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn a_sandbox_sync_never_marks_production_merchants_revoked() {
    let w = World::start().await;
    let comp = random_appid();
    let comp_secret = random_secret();

    // Production: the platform and two merchants.
    let prod = open_production(&w.db_path());
    store_component(&prod, &comp, &comp_secret);
    let mut merchants = vec![random_appid(), random_appid()];
    merchants.sort();
    for m in &merchants {
        store_authorizer(
            &prod,
            &comp,
            m,
            &format!("refreshtoken@@@{}", random_secret()),
        );
    }
    assert_eq!(active(&prod, &comp), merchants);
    drop(prod);

    // The sandbox knows the same platform appid with one merchant of its own.
    w.sandbox.add_component(ComponentSeed {
        appid: comp.clone(),
        secret: comp_secret.clone(),
        token: "pushtoken".into(),
        encoding_aes_key: "a".repeat(43),
        push_url: None,
        name: None,
    });
    let own = w
        .sandbox
        .authorize(AuthorizeSeed {
            component_appid: comp.clone(),
            authorizer_appid: None,
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap()
        .authorizer_appid;
    let sandbox = w.desk();
    ensure_component(&sandbox, &comp, &comp_secret);
    deliver_ticket(&w, &sandbox, &comp);
    let report = sandbox
        .authorizer_sync(&comp, &|_, _| {}, &AtomicBool::new(false))
        .await
        .unwrap();
    assert_eq!(report.total, 1);
    assert_eq!(active(&sandbox, &comp), vec![own.clone()]);
    drop(sandbox);

    let prod = open_production(&w.db_path());
    assert_eq!(
        active(&prod, &comp),
        merchants,
        "production merchants stay active after a sandbox sync"
    );
    let all = prod
        .authorizer_list(&AuthorizerQuery::default())
        .unwrap()
        .into_iter()
        .map(|a| a.appid)
        .collect::<Vec<_>>();
    assert!(
        !all.contains(&own),
        "a sandbox merchant never shows in production"
    );
}

#[tokio::test]
async fn a_sandbox_ticket_never_becomes_production_ticket() {
    let w = World::start().await;
    let comp = random_appid();
    let prod = open_production(&w.db_path());
    store_component(&prod, &comp, &random_secret());
    prod.ticket_set(
        &comp,
        "ticket@@@production-ticket-0001",
        TicketSource::Manual,
    )
    .unwrap();
    drop(prod);

    let sandbox = w.desk();
    ensure_component(&sandbox, &comp, &random_secret());
    // Newer than production's.
    sandbox.advance_clock(std::time::Duration::from_secs(600));
    sandbox
        .ticket_set(&comp, "ticket@@@sandbox-ticket-0002", TicketSource::Push)
        .unwrap();
    assert_eq!(
        newest_ticket(&sandbox, &comp),
        "ticket@@@sandbox-ticket-0002"
    );
    drop(sandbox);

    let prod = open_production(&w.db_path());
    assert_eq!(
        newest_ticket(&prod, &comp),
        "ticket@@@production-ticket-0001"
    );
    assert_eq!(prod.ticket_status(&comp).unwrap().count, 1);
}

#[tokio::test]
async fn switching_the_environment_switches_the_database_file() {
    let w = World::start().await;
    let home = w.db_path();
    let rt = Runtime::open(DeskOptions {
        db_path: home.clone(),
        key_storage: KeyStorage::File,
        environment: None,
        client: ClientConfig::default(),
    })
    .await
    .unwrap();
    assert_eq!(rt.desk().db_path(), home);
    let prod_app = random_appid();
    store_app(&rt.desk(), &prod_app, &random_secret());

    let sandbox = Environment::Sandbox {
        base: w.sandbox.base_url(),
    };
    let s = rt.set_environment(sandbox.clone()).await.unwrap();
    let sandbox_file = w.dir.path().join("wxdesk-sandbox.db");
    assert_eq!(rt.desk().db_path(), sandbox_file);
    assert_eq!(s.db_path, sandbox_file.display().to_string());
    assert_eq!(s.home_db_path, home.display().to_string());
    assert_eq!(s.environment, sandbox);
    let apps = dispatch(&rt, "app_list", serde_json::Value::Null)
        .await
        .unwrap();
    assert_eq!(apps, serde_json::json!([]), "production's app is not here");
    let sandbox_app = random_appid();
    store_app(&rt.desk(), &sandbox_app, &random_secret());

    let s = rt.set_environment(Environment::Production).await.unwrap();
    assert_eq!(s.db_path, home.display().to_string());
    let apps = dispatch(&rt, "app_list", serde_json::Value::Null)
        .await
        .unwrap();
    let ids: Vec<&str> = apps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["appid"].as_str())
        .collect();
    assert_eq!(ids, vec![prod_app.as_str()]);

    // The choice is saved in the home file: a plain open follows it, and one
    // key serves both files.
    rt.set_environment(sandbox.clone()).await.unwrap();
    drop(rt);
    let d = Desk::open(DeskOptions::new(&home)).unwrap();
    assert_eq!(d.env(), &sandbox);
    assert_eq!(d.db_path(), sandbox_file);
    let row = d
        .store()
        .read(|c| wxdesk_core::store::apps::require(c, &sandbox_app))
        .unwrap();
    d.open_secret(
        wxdesk_core::store::apps::SECRET,
        row.secret.as_ref().unwrap(),
    )
    .unwrap();
}

#[test]
fn custom_bases_get_their_own_file_and_settings_stay_global() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("desk.db");
    let custom = Environment::custom(Some("https://staging.example.com"), None, None).unwrap();
    let d = Desk::open(DeskOptions {
        environment: Some(custom.clone()),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap();
    let name = d
        .db_path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("desk-custom-") && name.ends_with(".db"),
        "{name}"
    );
    d.set_language("en").unwrap();
    d.set_theme("dark").unwrap();
    d.set_log_retention(7).unwrap();
    drop(d);
    let p = Desk::open(DeskOptions {
        environment: Some(Environment::Production),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap();
    let s = p.settings().unwrap();
    assert_eq!(s.language.as_deref(), Some("en"), "language is global");
    assert_eq!(s.theme, "dark", "theme is global");
    assert_eq!(
        s.log_retention_days,
        wxdesk_core::services::settings::DEFAULT_LOG_RETENTION_DAYS,
        "retention belongs to each environment's call log"
    );
}

#[cfg(unix)]
#[test]
fn data_dir_is_0700_and_database_wal_shm_and_key_are_0600() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join("wxdesk");
    let home = data.join("desk.db");
    let d = Desk::open(DeskOptions {
        environment: Some(Environment::Sandbox {
            base: "http://127.0.0.1:9".into(),
        }),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap();
    store_app(&d, &random_appid(), &random_secret());
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&dir.path().join("data")), 0o700, "created parents too");
    for db in [home.clone(), data.join("desk-sandbox.db")] {
        for p in wxdesk_core::files::db_companions(&db) {
            assert!(p.exists(), "{} exists while the desk is open", p.display());
            assert_eq!(mode(&p), 0o600, "{}", p.display());
        }
    }
    assert_eq!(mode(&data.join("desk.db.key")), 0o600);
    drop(d);

    // A database made readable by others (an old version, a copy) is tightened on open.
    for p in wxdesk_core::files::db_companions(&home) {
        if p.exists() {
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    let d = Desk::open(DeskOptions {
        environment: Some(Environment::Production),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap();
    store_app(&d, &random_appid(), &random_secret());
    for p in wxdesk_core::files::db_companions(&home) {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[cfg(unix)]
#[test]
fn a_key_file_readable_by_others_is_fixed_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("desk.db");
    let opts = || DeskOptions {
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    };
    let d = Desk::open(opts()).unwrap();
    assert!(d.warnings().is_empty());
    drop(d);
    let key = dir.path().join("desk.db.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let d = Desk::open(opts()).unwrap();
    assert_eq!(d.warnings().len(), 1, "{:?}", d.warnings());
    assert!(d.warnings()[0].contains("desk.db.key"));
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn a_lost_key_is_reported_even_when_only_another_environment_holds_data() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("desk.db");
    let sandbox = Environment::Sandbox {
        base: "http://127.0.0.1:9".into(),
    };
    let d = Desk::open(DeskOptions {
        environment: Some(sandbox.clone()),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap();
    store_app(&d, &random_appid(), &random_secret());
    drop(d);
    std::fs::remove_file(dir.path().join("desk.db.key")).unwrap();
    // Production is empty, but the home made a key once: no silent new key.
    let err = Desk::open(DeskOptions {
        environment: Some(Environment::Production),
        key_storage: KeyStorage::File,
        ..DeskOptions::new(&home)
    })
    .unwrap_err();
    assert_eq!(err.code(), "vault_key_missing", "{err}");
}
