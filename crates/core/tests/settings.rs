//! Settings: defaults, validation naming fields, and the environment taking
//! effect at the next open.

use std::path::Path;

use wxdesk_core::services::settings::{VaultView, DEFAULT_LOG_RETENTION_DAYS};
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{Desk, DeskOptions, Environment, Error};
use wxdesk_wechat::ClientConfig;

const BASE: &str = "http://127.0.0.1:9";

fn open(dir: &Path, env: Option<Environment>) -> Desk {
    Desk::open(DeskOptions {
        db_path: dir.join("wxdesk.db"),
        key_storage: KeyStorage::File,
        environment: env,
        client: ClientConfig::default(),
    })
    .unwrap()
}

fn sandbox() -> Environment {
    Environment::Sandbox { base: BASE.into() }
}

fn field(e: Error) -> String {
    match e {
        Error::Invalid { field, .. } => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// The retention, language and theme `desk` keeps.
fn kept(desk: &Desk) -> (u32, String, String) {
    let s = desk.settings().unwrap();
    (
        s.log_retention_days,
        s.language.unwrap_or_default(),
        s.theme.as_str().to_string(),
    )
}

#[test]
fn defaults_and_setters() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), Some(sandbox()));
    let s = desk.settings().unwrap();
    assert_eq!(s.environment, sandbox());
    assert_eq!(s.environment_label, format!("sandbox ({BASE})"));
    assert!(!s.is_production);
    assert_eq!(
        s.saved_environment,
        Environment::Production,
        "nothing saved yet"
    );
    assert_eq!(s.log_retention_days, DEFAULT_LOG_RETENTION_DAYS);
    assert_eq!(
        s.language, None,
        "unset until chosen: the UI follows the system locale"
    );
    assert_eq!(s.theme, "system");
    assert_eq!(
        s.db_path,
        dir.path().join("wxdesk-sandbox.db").display().to_string(),
        "the sandbox's own file"
    );
    assert_eq!(
        s.home_db_path,
        dir.path().join("wxdesk.db").display().to_string()
    );
    match &s.vault {
        VaultView::File { path } => assert!(path.ends_with("wxdesk.db.key"), "{path}"),
        other => panic!("{other:?}"),
    }
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["vault"]["kind"], "file");
    assert_eq!(json["environment"]["kind"], "sandbox");
    assert_eq!(json["is_production"], false);

    assert_eq!(desk.set_log_retention(0).unwrap().log_retention_days, 0);
    assert_eq!(
        desk.set_log_retention(3650).unwrap().log_retention_days,
        3650
    );
    assert_eq!(
        desk.set_language("en").unwrap().language.as_deref(),
        Some("en")
    );
    assert_eq!(
        desk.set_language("zh-CN").unwrap().language.as_deref(),
        Some("zh-CN")
    );
    for t in ["light", "dark", "system"] {
        assert_eq!(desk.set_theme(t).unwrap().theme, t);
    }

    assert_eq!(
        field(desk.set_log_retention(-1).unwrap_err()),
        "log_retention_days"
    );
    assert_eq!(
        field(desk.set_log_retention(3651).unwrap_err()),
        "log_retention_days"
    );
    assert_eq!(field(desk.set_language("fr").unwrap_err()), "language");
    assert_eq!(field(desk.set_language("zh-cn").unwrap_err()), "language");
    assert_eq!(field(desk.set_theme("blue").unwrap_err()), "theme");
    assert_eq!(kept(&desk), (3650, "zh-CN".into(), "system".into()));

    // Settings persist.
    drop(desk);
    let desk = open(dir.path(), Some(sandbox()));
    assert_eq!(kept(&desk), (3650, "zh-CN".into(), "system".into()));
}

#[test]
fn environment_is_validated_and_applies_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path(), Some(sandbox()));

    for bad in [
        Environment::Sandbox {
            base: "ftp://127.0.0.1:9".into(),
        },
        Environment::Sandbox {
            base: "not a url".into(),
        },
        Environment::Custom {
            api: "https://api.example.com".into(),
            mp: "nope".into(),
            open: "https://o.example.com".into(),
        },
    ] {
        let f = field(desk.set_environment(bad.clone()).unwrap_err());
        assert!(f.starts_with("environment"), "{f}");
    }
    let f = field(
        desk.set_environment(Environment::Custom {
            api: "https://a.example".into(),
            mp: "x".into(),
            open: "https://o.example".into(),
        })
        .unwrap_err(),
    );
    assert_eq!(f, "environment.mp_base");
    assert_eq!(
        desk.settings().unwrap().saved_environment,
        Environment::Production,
        "nothing saved on error"
    );

    let other = Environment::Sandbox {
        base: "http://127.0.0.1:7".into(),
    };
    let s = desk.set_environment(other.clone()).unwrap();
    assert_eq!(s.saved_environment, other);
    assert_eq!(s.environment, sandbox(), "this desk keeps its environment");
    assert_eq!(desk.env(), &sandbox());
    drop(desk);

    // The next open without an override uses the saved choice.
    let desk = open(dir.path(), None);
    assert_eq!(desk.env(), &other);
    let s = desk.settings().unwrap();
    assert_eq!(s.environment, other);
    assert_eq!(s.saved_environment, other);
    assert_eq!(desk.scope(), "http://127.0.0.1:7/");

    let prod = desk.set_environment(Environment::Production).unwrap();
    assert_eq!(prod.saved_environment, Environment::Production);
    drop(desk);
    let desk = open(dir.path(), None);
    let s = desk.settings().unwrap();
    assert!(s.is_production);
    assert_eq!(s.environment_label, "production");
}
