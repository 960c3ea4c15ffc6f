//! Third-party platforms: CRUD, validation of the three secrets and the
//! redirect URI, the ticket/authorizer/token summary, and the confirmed
//! cascade on removal.

use std::path::Path;

use wxdesk_core::services::apps::Secret;
use wxdesk_core::services::components::{ComponentChanges, ComponentInput};
use wxdesk_core::store::authorizers::{self, AuthorizerRow, AuthorizerStatus};
use wxdesk_core::store::{components as comp_store, tickets};
use wxdesk_core::{Desk, Error};

const COMP: &str = "wx0123456789abcdef";
const COMP2: &str = "wxaaaaaaaaaaaaaaaa";
const SECRET: &str = "0123456789abcdef0123456789abcdef";
const TOKEN: &str = "PushToken2024";
/// 43 characters whose last one carries non-zero trailing bits (non-canonical
/// base64): the platform issues such keys and WeChat accepts them.
const AES_NONCANONICAL: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFB";
/// A canonical key.
const AES: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFA";

fn open(dir: &Path) -> Desk {
    wxdesk_testkit::desk::open_desk(&dir.join("wxdesk.db"), wxdesk_testkit::desk::NOWHERE)
}

fn input(appid: &str) -> ComponentInput {
    ComponentInput {
        appid: appid.into(),
        secret: Secret::new(SECRET),
        token: Some(Secret::new(TOKEN)),
        aes_key: Some(Secret::new(AES_NONCANONICAL)),
        name: "Platform".into(),
        redirect_uri: Some("https://example.com/wechat/authorized".into()),
    }
}

fn field(e: Error) -> (String, String) {
    match e {
        Error::Invalid { field, reason } => (field, reason),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn authorizer(
    comp: &str,
    appid: &str,
    status: AuthorizerStatus,
    refresh: Option<wxdesk_core::vault::Sealed>,
) -> AuthorizerRow {
    AuthorizerRow {
        component_appid: comp.into(),
        appid: appid.into(),
        refresh_token: refresh,
        func_info: vec![1, 17],
        info: None,
        nick_name: format!("Merchant {appid}"),
        account_type: "mini_program".into(),
        status,
        authorized_at: Some(1_700_000_000),
        revoked_at: None,
        updated_at: 1_700_000_000,
    }
}

#[test]
fn the_test_keys_are_what_they_claim() {
    use base64::Engine;
    let strict = base64::engine::general_purpose::STANDARD;
    assert!(
        strict.decode(format!("{AES_NONCANONICAL}=")).is_err(),
        "must be non-canonical"
    );
    assert_eq!(strict.decode(format!("{AES}=")).unwrap().len(), 32);
}

#[test]
fn add_list_show_update_remove() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    let v = desk.component_add(input(COMP)).unwrap();
    assert_eq!(v.appid, COMP);
    assert_eq!(v.name, "Platform");
    assert_eq!(v.secret.as_deref(), Some("0123…"));
    assert_eq!(v.token.as_deref(), Some("Push…"));
    assert_eq!(v.aes_key.as_deref(), Some("abcd…"));
    assert_eq!(
        v.redirect_uri.as_deref(),
        Some("https://example.com/wechat/authorized")
    );
    assert_eq!(v.ticket, None);
    assert_eq!((v.authorizers.active, v.authorizers.revoked), (0, 0));
    assert_eq!(v.access_token, None);
    let json = serde_json::to_string(&v).unwrap();
    for s in [SECRET, TOKEN, AES_NONCANONICAL] {
        assert!(!json.contains(s), "view leaks a secret: {json}");
    }
    // The non-canonical key is stored exactly as given.
    let row = desk.store().read(|c| comp_store::require(c, COMP)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(comp_store::AES_KEY, row.aes_key.as_ref().unwrap())
            .unwrap(),
        AES_NONCANONICAL
    );
    assert_eq!(
        &*desk
            .open_secret(comp_store::TOKEN, row.token.as_ref().unwrap())
            .unwrap(),
        TOKEN
    );

    // Token and AES key are optional; an empty redirect URI means none.
    let v2 = desk
        .component_add(ComponentInput {
            appid: COMP2.into(),
            secret: Secret::new(SECRET),
            token: None,
            aes_key: None,
            name: "Another".into(),
            redirect_uri: Some("  ".into()),
        })
        .unwrap();
    assert_eq!((v2.token, v2.aes_key, v2.redirect_uri), (None, None, None));
    assert_eq!(
        desk.component_list()
            .unwrap()
            .iter()
            .map(|c| c.appid.as_str())
            .collect::<Vec<_>>(),
        [COMP2, COMP]
    );
    assert!(matches!(
        desk.component_add(input(COMP)),
        Err(Error::AlreadyExists {
            what: "component",
            ..
        })
    ));

    let v = desk
        .component_update(
            COMP,
            ComponentChanges {
                token: Some(Secret::new("NewToken99")),
                aes_key: Some(Secret::new(AES)),
                name: Some("Renamed".into()),
                redirect_uri: Some("http://127.0.0.1:8080/cb".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(v.name, "Renamed");
    assert_eq!(
        v.token.as_deref(),
        Some("…"),
        "short tokens are masked entirely"
    );
    assert_eq!(v.secret.as_deref(), Some("0123…"));
    assert_eq!(v.redirect_uri.as_deref(), Some("http://127.0.0.1:8080/cb"));
    let row = desk.store().read(|c| comp_store::require(c, COMP)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(comp_store::TOKEN, row.token.as_ref().unwrap())
            .unwrap(),
        "NewToken99"
    );
    assert_eq!(
        &*desk
            .open_secret(comp_store::AES_KEY, row.aes_key.as_ref().unwrap())
            .unwrap(),
        AES
    );
    assert_eq!(
        field(
            desk.component_update(COMP, ComponentChanges::default())
                .unwrap_err()
        )
        .0,
        "changes"
    );
    assert!(matches!(
        desk.component_update(
            "wx1111111111111111",
            ComponentChanges {
                name: Some("x".into()),
                ..Default::default()
            }
        ),
        Err(Error::NotFound {
            what: "component",
            ..
        })
    ));

    let e = desk.component_remove(COMP, false).unwrap_err();
    assert_eq!(e.code(), "needs_confirmation");
    assert_eq!(desk.component_list().unwrap().len(), 2);
    desk.component_remove(COMP, true).unwrap();
    assert!(matches!(
        desk.component_show(COMP),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        desk.component_remove(COMP, false),
        Err(Error::NotFound { .. })
    ));
}

#[test]
fn validation_errors_name_their_field() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    let with = |f: &dyn Fn(&mut ComponentInput)| {
        let mut i = input(COMP);
        f(&mut i);
        field(desk.component_add(i).unwrap_err())
    };

    let (f, reason) = with(&|i| i.appid = "gh_abcdef123456".into());
    assert_eq!(f, "appid");
    assert!(
        reason.contains("open.weixin.qq.com"),
        "the platform's own hint: {reason}"
    );

    for bad in [
        "",
        "0123456789abcdef",
        "0123456789ABCDEF0123456789ABCDEF",
        "zz23456789abcdef0123456789abcdef",
    ] {
        let (f, reason) = with(&|i| i.secret = Secret::new(bad));
        assert_eq!(f, "secret", "{bad:?}");
        assert!(reason.contains("open.weixin.qq.com"), "{reason}");
        if !bad.is_empty() {
            assert!(!reason.contains(bad), "echoes the secret: {reason}");
        }
    }

    for bad in [
        "ab",
        "a".repeat(33).as_str(),
        "abc-def",
        "abc def",
        "令牌令牌",
    ] {
        let (f, reason) = with(&|i| i.token = Some(Secret::new(bad)));
        assert_eq!(f, "token", "{bad:?}");
        assert!(reason.contains("3–32 letters or digits"), "{reason}");
    }
    // Boundaries are accepted.
    for ok in ["abc", "A1".repeat(16).as_str()] {
        let mut i = input(COMP);
        i.token = Some(Secret::new(ok));
        desk.component_add(i).unwrap();
        desk.component_remove(COMP, true).unwrap();
    }

    let with_key = |k: String| with(&|i| i.aes_key = Some(Secret::new(k.clone())));
    for bad in [
        AES[..42].to_string(),
        format!("{AES}="),
        format!("{AES}A"),
        format!("{}-", &AES[..42]),
        String::new(),
    ] {
        let (f, reason) = with_key(bad.clone());
        assert_eq!(f, "aes_key", "{bad:?}");
        if bad.len() > 4 {
            assert!(!reason.contains(&bad), "echoes the key: {reason}");
        }
    }
    let (_, reason) = with_key(format!("{AES}="));
    assert!(reason.contains("do not add '='"), "{reason}");

    for bad in [
        "ftp://example.com/x",
        "/relative/path",
        "example.com/cb",
        "https://",
        "mailto:a@b.c",
    ] {
        let (f, _) = with(&|i| i.redirect_uri = Some(bad.into()));
        assert_eq!(f, "redirect_uri", "{bad:?}");
    }
    let (f, _) = with(&|i| i.name = "x".repeat(65));
    assert_eq!(f, "name");

    // Update validates the same way.
    desk.component_add(input(COMP)).unwrap();
    let upd = |c: ComponentChanges| field(desk.component_update(COMP, c).unwrap_err()).0;
    let changes = |f: &dyn Fn(&mut ComponentChanges)| {
        let mut c = ComponentChanges::default();
        f(&mut c);
        c
    };
    for (c, want) in [
        (
            changes(&|c| c.secret = Some(Secret::new("short"))),
            "secret",
        ),
        (changes(&|c| c.token = Some(Secret::new("x"))), "token"),
        (
            changes(&|c| c.aes_key = Some(Secret::new("short"))),
            "aes_key",
        ),
        (
            changes(&|c| c.redirect_uri = Some("nope".into())),
            "redirect_uri",
        ),
    ] {
        assert_eq!(upd(c), want);
    }
    assert_eq!(field(desk.component_show("wx12").unwrap_err()).0, "appid");
    assert_eq!(
        field(desk.component_remove("wx12", true).unwrap_err()).0,
        "appid"
    );
    // The failed update left everything as it was.
    let row = desk.store().read(|c| comp_store::require(c, COMP)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(comp_store::TOKEN, row.token.as_ref().unwrap())
            .unwrap(),
        TOKEN
    );
}

/// A desk on a temporary database holding the platforms `COMP` and `COMP2`.
fn two_platforms() -> (tempfile::TempDir, Desk) {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    desk.component_add(input(COMP)).unwrap();
    desk.component_add(input(COMP2)).unwrap();
    (dir, desk)
}

#[test]
fn view_summarises_ticket_authorizers_and_token_without_decrypting() {
    let (_dir, desk) = two_platforms();
    let now = desk.now();
    let scope = desk.scope().to_string();
    let v = desk.vault();
    let fresh = v.seal(tickets::TICKET, "ticket@@@fresh").unwrap();
    let old = v.seal(tickets::TICKET, "ticket@@@old").unwrap();
    let rt = v
        .seal(authorizers::REFRESH_TOKEN, "refreshtoken@@@1")
        .unwrap();
    desk.store()
        .write(|tx| {
            tickets::insert(tx, COMP, &old, "manual", now - 20 * 3600)?;
            tickets::insert(tx, COMP, &fresh, "push", now - 100)?;
            tickets::insert(tx, COMP2, &old, "push", now - 13 * 3600)?;
            authorizers::upsert(tx, &authorizer(COMP, "wx1000000000000001", AuthorizerStatus::Active, Some(rt.clone())))?;
            authorizers::upsert(tx, &authorizer(COMP, "wx1000000000000002", AuthorizerStatus::Active, None))?;
            authorizers::upsert(tx, &authorizer(COMP, "wx1000000000000003", AuthorizerStatus::Revoked, None))?;
            authorizers::upsert(tx, &authorizer(COMP2, "wx1000000000000001", AuthorizerStatus::Active, None))?;
            tx.execute(
                "INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at) VALUES (?1, 'component', ?2, ?3, ?4, 'cgi-bin/component/api_component_token', ?5)",
                (&scope, COMP, &rt, now + 7000, now),
            )?;
            Ok(())
        })
        .unwrap();

    let c = desk.component_show(COMP).unwrap();
    let t = c.ticket.clone().unwrap();
    assert_eq!(t.received_at, now - 100);
    assert!((100..=110).contains(&t.age_secs), "{t:?}");
    assert_eq!(t.expires_at, now - 100 + 12 * 3600);
    assert_eq!(t.source, "push");
    assert!(t.valid);
    assert_eq!((c.authorizers.active, c.authorizers.revoked), (2, 1));
    let at = c.access_token.clone().unwrap();
    assert_eq!(at.kind, "component");
    assert_eq!(at.expires_at, now + 7000);
    assert!(at.expires_in > 6900);
    let json = serde_json::to_string(&c).unwrap();
    assert!(!json.contains("@@@"), "{json}");

    let c2 = desk.component_show(COMP2).unwrap();
    assert!(!c2.ticket.unwrap().valid, "a 13-hour-old ticket is expired");
    assert_eq!((c2.authorizers.active, c2.authorizers.revoked), (1, 0));
    assert_eq!(c2.access_token, None);
}

#[test]
fn remove_cascades_everything_of_that_platform_only() {
    let (_dir, desk) = two_platforms();
    let now = desk.now();
    let scope = desk.scope().to_string();
    let s = desk.vault().seal("x", "y").unwrap();
    desk.store()
        .write(|tx| {
            for comp in [COMP, COMP2] {
                tickets::insert(tx, comp, &s, "push", now)?;
                authorizers::upsert(tx, &authorizer(comp, "wx1000000000000001", AuthorizerStatus::Active, Some(s.clone())))?;
                authorizers::upsert(tx, &authorizer(comp, "wx1000000000000002", AuthorizerStatus::Revoked, None))?;
                tx.execute(
                    "INSERT INTO fastregister_tasks (component_appid, kind, task_key, request, status, created_at, updated_at) \
                     VALUES (?1, 'beta', 'k1', '{}', 'pending', ?2, ?2)",
                    (comp, now),
                )?;
                let ins = "INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, 'x', ?5)";
                tx.execute(ins, (&scope, "component", comp, &s, now))?;
                tx.execute(ins, (&scope, "authorizer", format!("{comp}/wx1000000000000001"), &s, now))?;
                tx.execute(
                    "INSERT INTO sessions (appid, openid, session_key, via_component, created_at) VALUES ('wx1000000000000001', ?1, ?2, ?3, ?4)",
                    (format!("openid-{comp}"), &s, comp, now),
                )?;
            }
            // The authorizer's own direct-app token and session are not the platform's.
            tx.execute(
                "INSERT INTO tokens (env, kind, owner, value, expires_at, source, fetched_at) VALUES (?1, 'app_stable', 'wx1000000000000001', ?2, ?3, 'x', ?3)",
                (&scope, &s, now),
            )?;
            Ok(())
        })
        .unwrap();
    let count = |sql: &str| {
        desk.store()
            .read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?))
            .unwrap()
    };
    let totals = || {
        [
            count("SELECT COUNT(*) FROM tickets"),
            count("SELECT COUNT(*) FROM authorizers"),
            count("SELECT COUNT(*) FROM fastregister_tasks"),
            count("SELECT COUNT(*) FROM tokens"),
            count("SELECT COUNT(*) FROM sessions"),
        ]
    };
    assert_eq!(totals(), [2, 4, 2, 5, 2]);

    match desk.component_remove(COMP, false).unwrap_err() {
        Error::NeedsConfirmation { action, risk } => {
            assert!(action.contains(COMP));
            assert!(risk.contains("1 active and 1 revoked authorizer"), "{risk}");
            assert!(risk.contains("1 fast-registration task"), "{risk}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        totals(),
        [2, 4, 2, 5, 2],
        "unconfirmed removal deleted something"
    );

    let r = desk.component_remove(COMP, true).unwrap();
    assert_eq!(
        (r.tickets, r.authorizers, r.tasks, r.tokens, r.sessions),
        (1, 2, 1, 2, 1)
    );
    assert_eq!(totals(), [1, 2, 1, 3, 1]);
    let left = |sql: &str| count(&format!("{sql} = '{COMP}'"));
    assert_eq!(
        left("SELECT COUNT(*) FROM tickets WHERE component_appid"),
        0
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM authorizers WHERE component_appid"),
        0
    );
    assert_eq!(
        left("SELECT COUNT(*) FROM fastregister_tasks WHERE component_appid"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tokens WHERE owner LIKE 'wx0123456789abcdef%'"),
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM tokens WHERE kind = 'app_stable'"),
        1
    );
    let c2 = desk.component_show(COMP2).unwrap();
    assert_eq!((c2.authorizers.active, c2.authorizers.revoked), (1, 1));
}
