//! Mini program accounts: CRUD, validation naming fields, confirmation and
//! the cascade of tokens and sessions on removal.

use std::path::Path;

use wxdesk_core::services::apps::{AppChanges, AppInput, Secret};
use wxdesk_core::store::apps as app_store;
use wxdesk_core::{Desk, Error};

const APPID: &str = "wx1234567890abcdef";
const OTHER: &str = "wxfedcba0987654321";
const SECRET: &str = "0123456789abcdef0123456789abcdef";
const SECRET2: &str = "fedcba9876543210fedcba9876543210";

fn open(dir: &Path) -> Desk {
    wxdesk_testkit::desk::open_desk(&dir.join("wxdesk.db"), wxdesk_testkit::desk::NOWHERE)
}

fn input(appid: &str, secret: &str, name: &str) -> AppInput {
    AppInput {
        appid: appid.into(),
        secret: Secret::new(secret),
        name: name.into(),
    }
}

/// The field an `Invalid` error names (fails the test for any other error).
fn field(e: Error) -> (String, String) {
    match e {
        Error::Invalid { field, reason } => (field, reason),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn add_list_show_update_remove() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    assert!(desk.app_list().unwrap().is_empty());

    let v = desk.app_add(input(APPID, SECRET, "  Shop  ")).unwrap();
    assert_eq!(v.appid, APPID);
    assert_eq!(v.name, "Shop");
    assert_eq!(v.secret.as_deref(), Some("0123…"));
    assert_eq!(v.token, None);
    assert_eq!(v.sessions, 0);
    assert!(v.created_at > 1_600_000_000 && v.updated_at == v.created_at);
    let json = serde_json::to_string(&v).unwrap();
    assert!(!json.contains(SECRET), "view leaks the secret: {json}");
    assert!(json.contains("\"created_at\""));

    desk.app_add(input(OTHER, SECRET2, "Another")).unwrap();
    let names: Vec<_> = desk
        .app_list()
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(names, ["Another", "Shop"]);

    // Duplicate.
    assert!(matches!(
        desk.app_add(input(APPID, SECRET, "x")),
        Err(Error::AlreadyExists { what: "app", .. })
    ));

    // Update the secret: it is re-sealed and opens to the new value.
    let v = desk
        .app_update(
            APPID,
            AppChanges {
                secret: Some(Secret::new(SECRET2)),
                name: None,
            },
        )
        .unwrap();
    assert_eq!(v.secret.as_deref(), Some("fedc…"));
    assert_eq!(v.name, "Shop");
    let row = desk.store().read(|c| app_store::require(c, APPID)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(app_store::SECRET, row.secret.as_ref().unwrap())
            .unwrap(),
        SECRET2
    );
    let v = desk
        .app_update(
            APPID,
            AppChanges {
                secret: None,
                name: Some("Shop 2".into()),
            },
        )
        .unwrap();
    assert_eq!(v.name, "Shop 2");
    assert_eq!(v.secret.as_deref(), Some("fedc…"));

    // Nothing to change.
    assert_eq!(
        field(desk.app_update(APPID, AppChanges::default()).unwrap_err()).0,
        "changes"
    );
    // Unknown app.
    assert!(matches!(
        desk.app_update(
            "wx0000000000000000",
            AppChanges {
                secret: None,
                name: Some("n".into())
            }
        ),
        Err(Error::NotFound { what: "app", .. })
    ));
    assert!(matches!(
        desk.app_show("wx0000000000000000"),
        Err(Error::NotFound { .. })
    ));

    // Remove needs confirmation and deletes nothing without it.
    let e = desk.app_remove(APPID, false).unwrap_err();
    assert_eq!(e.code(), "needs_confirmation");
    assert!(matches!(&e, Error::NeedsConfirmation { action, .. } if action.contains(APPID)));
    assert_eq!(desk.app_list().unwrap().len(), 2);
    let removed = desk.app_remove(APPID, true).unwrap();
    assert_eq!(removed.appid, APPID);
    assert!(matches!(desk.app_show(APPID), Err(Error::NotFound { .. })));
    assert_eq!(desk.app_list().unwrap().len(), 1);
    assert!(matches!(
        desk.app_remove(APPID, true),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        desk.app_remove(APPID, false),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn validation_errors_name_their_field_and_never_echo_the_secret() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());

    for bad in [
        "",
        "wx123",
        "gh_1234567890ab",
        " wx1234567890abcdef",
        "wx1234567890abcdeg",
        SECRET,
    ] {
        let (f, reason) = field(desk.app_add(input(bad, SECRET, "n")).unwrap_err());
        assert_eq!(f, "appid", "{bad:?}");
        assert!(reason.contains("wx"), "{reason}");
    }
    let (_, reason) = field(
        desk.app_add(input("gh_1234567890ab", SECRET, "n"))
            .unwrap_err(),
    );
    assert!(reason.contains("原始ID"), "{reason}");

    let short = "0123456789abcdef0123456789abcde";
    let long = "0123456789abcdef0123456789abcdef0";
    let nonhex = "0123456789abcdef0123456789abcdeg";
    let upper = "0123456789ABCDEF0123456789ABCDEF";
    for bad in ["", short, long, nonhex, upper, "wx1234567890abcdef"] {
        let (f, reason) = field(desk.app_add(input(APPID, bad, "n")).unwrap_err());
        assert_eq!(f, "secret", "{bad:?}");
        assert!(
            reason.contains("mp.weixin.qq.com → 开发管理 → 开发设置 → AppSecret"),
            "{reason}"
        );
        if bad.len() > 4 {
            assert!(
                !reason.contains(bad),
                "the error echoes the secret: {reason}"
            );
        }
    }
    let (_, reason) = field(desk.app_add(input(APPID, upper, "n")).unwrap_err());
    assert!(reason.contains("lowercase"), "{reason}");

    let (f, reason) = field(
        desk.app_add(input(APPID, SECRET, &"名".repeat(65)))
            .unwrap_err(),
    );
    assert_eq!(f, "name");
    assert!(reason.contains("64"), "{reason}");
    assert_eq!(
        field(desk.app_add(input(APPID, SECRET, "a\nb")).unwrap_err()).0,
        "name"
    );
    // 64 characters (multi-byte) are fine; surrounding whitespace of a pasted secret is trimmed.
    let v = desk
        .app_add(input(APPID, &format!("  {SECRET}\n"), &"名".repeat(64)))
        .unwrap();
    assert_eq!(v.name.chars().count(), 64);
    let row = desk.store().read(|c| app_store::require(c, APPID)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(app_store::SECRET, row.secret.as_ref().unwrap())
            .unwrap(),
        SECRET
    );

    // Update validates too, and writes nothing on error.
    let (f, _) = field(
        desk.app_update(
            APPID,
            AppChanges {
                secret: Some(Secret::new(short)),
                name: None,
            },
        )
        .unwrap_err(),
    );
    assert_eq!(f, "secret");
    assert_eq!(
        field(desk.app_update("nope", AppChanges::default()).unwrap_err()).0,
        "appid"
    );
    assert_eq!(field(desk.app_remove("nope", true).unwrap_err()).0, "appid");
    assert_eq!(field(desk.app_show("nope").unwrap_err()).0, "appid");
    assert_eq!(
        desk.app_show(APPID).unwrap().secret.as_deref(),
        Some("0123…")
    );
    // Nothing else was stored by the failed adds.
    assert_eq!(desk.app_list().unwrap().len(), 1);

    // Input structs do not print secrets.
    let dbg = format!("{:?}", input(APPID, SECRET, "n"));
    assert!(!dbg.contains(SECRET), "{dbg}");
}

#[test]
fn view_reports_cached_token_and_sessions_and_remove_cascades() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    desk.app_add(input(APPID, SECRET, "Shop")).unwrap();
    desk.app_add(input(OTHER, SECRET2, "Other")).unwrap();
    let scope = desk.scope().to_string();
    let now = desk.now();
    let sealed = desk
        .vault()
        .seal("tokens.value", "ACCESS_TOKEN_VALUE_FOR_TEST")
        .unwrap();
    desk.store()
        .write(|tx| {
            let ins = "INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
            tx.execute(ins, (&scope, "app_stable", APPID, &sealed, now + 3600, "cgi-bin/stable_token", now))?;
            tx.execute(ins, (&scope, "app_legacy", APPID, &sealed, now + 600, "cgi-bin/token", now))?;
            // Another environment's token is not shown but is removed with the app.
            tx.execute(ins, ("https://api.weixin.qq.com/", "app_stable", APPID, &sealed, now + 7000, "cgi-bin/stable_token", now))?;
            tx.execute(ins, (&scope, "app_stable", OTHER, &sealed, now + 100, "cgi-bin/stable_token", now))?;
            tx.execute(
                "INSERT INTO token_leases (env, kind, owner, holder, expires_at) VALUES (?1, 'app_stable', ?2, 'h', ?3)",
                (&scope, APPID, now + 30),
            )?;
            let s = "INSERT INTO sessions (appid, openid, session_key, via_component, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
            tx.execute(s, (APPID, "o1", &sealed, None::<String>, now))?;
            tx.execute(s, (APPID, "o2", &sealed, None::<String>, now))?;
            tx.execute(s, (APPID, "o3", &sealed, Some("wx99999999999999aa"), now))?;
            tx.execute(s, (OTHER, "o1", &sealed, None::<String>, now))?;
            Ok(())
        })
        .unwrap();

    let v = desk.app_show(APPID).unwrap();
    let t = v.token.clone().unwrap();
    assert_eq!(t.kind, "app_stable");
    assert_eq!(t.expires_at, now + 3600);
    assert!((3590..=3600).contains(&t.expires_in), "{t:?}");
    assert_eq!(t.source, "cgi-bin/stable_token");
    assert_eq!(v.sessions, 2);
    let json = serde_json::to_string(&v).unwrap();
    assert!(!json.contains("ACCESS_TOKEN_VALUE"), "{json}");
    assert!(!json.contains("wxv1:"), "{json}");

    let e = desk.app_remove(APPID, false).unwrap_err();
    match &e {
        Error::NeedsConfirmation { risk, .. } => {
            assert!(risk.contains("3 cached access token"), "{risk}");
            assert!(risk.contains("2 login session"), "{risk}");
        }
        other => panic!("{other:?}"),
    }
    let count = |sql: &str| {
        desk.store()
            .read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?))
            .unwrap()
    };
    assert_eq!(count("SELECT COUNT(*) FROM tokens"), 4);

    let r = desk.app_remove(APPID, true).unwrap();
    assert_eq!((r.tokens, r.sessions), (3, 2));
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) FROM tokens WHERE owner = '{APPID}'"
        )),
        0
    );
    assert_eq!(count("SELECT COUNT(*) FROM token_leases"), 0);
    assert_eq!(
        count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE appid = '{APPID}' AND via_component IS NULL"
        )),
        0
    );
    // The component-mode session and the other app are untouched.
    assert_eq!(count("SELECT COUNT(*) FROM sessions"), 2);
    let o = desk.app_show(OTHER).unwrap();
    assert_eq!(o.sessions, 1);
    let t = o.token.unwrap();
    assert!((90..=100).contains(&t.expires_in), "{t:?}");
}

#[test]
fn app_without_a_stored_secret_shows_null() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    desk.store()
        .write(|tx| {
            app_store::upsert(
                tx,
                &app_store::AppRow {
                    appid: APPID.into(),
                    name: "Imported".into(),
                    secret: None,
                    created_at: 1,
                    updated_at: 1,
                },
            )
        })
        .unwrap();
    let v = desk.app_show(APPID).unwrap();
    assert_eq!(v.secret, None);
    let json = serde_json::to_value(&v).unwrap();
    assert!(json["secret"].is_null());
    // Adding the secret later through update works.
    let v = desk
        .app_update(
            APPID,
            AppChanges {
                secret: Some(Secret::new(SECRET)),
                name: None,
            },
        )
        .unwrap();
    assert_eq!(v.secret.as_deref(), Some("0123…"));
}
