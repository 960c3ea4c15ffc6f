//! The import rules that keep secrets where they belong: a preview before
//! any write and no write without confirmation; a plain file carrying secret
//! fields is refused; an import never changes the environment; an older
//! refresh token or ticket never replaces a newer one; export files are
//! owner-only. (Hostile and damaged files: transfer_hostile.rs.)

mod common;

use std::path::Path;

use common::transfer::{field, open, pass, sealed_export, PASS};
use common::{app_input, platform_input};
use common::{store_app, store_component, store_ticket, stored_refresh_token};
use serde_json::{json, Value};
use wxdesk_core::services::transfer::file::write_private;
use wxdesk_core::services::transfer::{ExportOptions, ImportReport, RecordCounts};
use wxdesk_core::store::authorizers::{self, AuthorizerRow, AuthorizerStatus};
use wxdesk_core::store::{settings as keys, tickets};
use wxdesk_core::{Desk, Environment, Error};

const BASE: &str = "http://127.0.0.1:9";
const APP: &str = "wx1111111111111111";
const COMP: &str = "wxcccccccccccccccc";
const AUTH1: &str = "wxa000000000000001";
const AUTH2: &str = "wxa000000000000002";
const APP_SECRET: &str = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const COMP_SECRET: &str = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
const MSG_TOKEN: &str = "MessageTokenXyZ";
const AES_KEY: &str = "Zk3jXqL0pW9sV2bN7cR4tY6uI8oP1aS5dF3gH0jK2lB";
/// Saves an authorizer whose record (and refresh token) changed at `updated_at`.
fn put_authorizer(
    desk: &Desk,
    appid: &str,
    refresh: Option<&str>,
    status: AuthorizerStatus,
    updated_at: i64,
) {
    let sealed = refresh.map(|r| desk.vault().seal(authorizers::REFRESH_TOKEN, r).unwrap());
    let row = AuthorizerRow {
        component_appid: COMP.into(),
        appid: appid.into(),
        refresh_token: sealed,
        func_info: vec![18],
        info: None,
        nick_name: format!("Merchant {appid}"),
        account_type: "mini_program".into(),
        status,
        authorized_at: Some(1_700_000_000),
        revoked_at: (status == AuthorizerStatus::Revoked).then_some(1_700_000_500),
        updated_at,
    };
    desk.store()
        .write(|tx| authorizers::upsert(tx, &row))
        .unwrap();
}

/// The exporting desk: one app, one platform with a ticket, two active authorizers.
fn source(dir: &Path) -> Desk {
    let desk = open(dir);
    desk.app_add(app_input(APP, APP_SECRET, "One")).unwrap();
    let platform = platform_input(COMP, COMP_SECRET, MSG_TOKEN, AES_KEY);
    desk.component_add(platform).unwrap();
    let now = desk.now();
    store_ticket(&desk, COMP, "ticket@@@FROM-FILE", now - 600);
    put_authorizer(
        &desk,
        AUTH1,
        Some("refresh@@@FROM-FILE"),
        AuthorizerStatus::Active,
        now - 600,
    );
    put_authorizer(&desk, AUTH2, None, AuthorizerStatus::Active, now - 600);
    desk
}

/// Every stored secret of the app and the platform in clear, joined (only compared, never printed).
fn secrets_fingerprint(desk: &Desk) -> String {
    use wxdesk_core::store::{apps as a, components as cs};
    let open = |p: &str, s: Option<&wxdesk_core::vault::Sealed>| {
        s.map(|s| desk.open_secret(p, s).unwrap().to_string())
            .unwrap_or_default()
    };
    let (app, comp) = desk
        .store()
        .read(|c| Ok((a::get(c, APP)?, cs::get(c, COMP)?)))
        .unwrap();
    let app = app.map(|r| format!("{}|{}", r.name, open(a::SECRET, r.secret.as_ref())));
    let comp = comp.map(|r| {
        format!(
            "{}|{}|{}",
            open(cs::SECRET, r.secret.as_ref()),
            open(cs::TOKEN, r.token.as_ref()),
            open(cs::AES_KEY, r.aes_key.as_ref())
        )
    });
    format!("{app:?} {comp:?}")
}

/// Row counts of the tables an import writes, and the stored secrets.
fn snapshot(desk: &Desk) -> (Vec<i64>, String) {
    let n = |t: &str| -> i64 {
        desk.store()
            .read(|c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?))
            .unwrap()
    };
    let counts = ["apps", "components", "authorizers", "tickets", "settings"]
        .map(n)
        .to_vec();
    (counts, secrets_fingerprint(desk))
}

#[test]
fn import_previews_then_writes_only_when_confirmed() {
    let d1 = tempfile::tempdir().unwrap();
    let file = sealed_export(&source(d1.path()));

    // The receiving desk already holds the app and platform with other secrets,
    // and AUTH2 revoked.
    let d2 = tempfile::tempdir().unwrap();
    let desk = open(d2.path());
    store_app(&desk, APP, "0123456789abcdef0123456789abcdef");
    store_component(&desk, COMP, "fedcba9876543210fedcba9876543210");
    put_authorizer(
        &desk,
        AUTH2,
        None,
        AuthorizerStatus::Revoked,
        desk.now() - 900,
    );
    let before = snapshot(&desk);

    let preview = desk.import_preview(&file, pass()).unwrap();
    assert_eq!(
        preview,
        ImportReport {
            written: false,
            with_secrets: true,
            apps: RecordCounts {
                changed: 1,
                ..Default::default()
            },
            components: RecordCounts {
                changed: 1,
                ..Default::default()
            },
            authorizers: RecordCounts {
                added: 1,
                changed: 1,
                unchanged: 0
            },
            settings: RecordCounts::default(),
            tickets_added: 1,
            tickets_kept_newer: 0,
            // The AppSecret, and the platform's secret, message token and EncodingAESKey.
            secrets_overwritten: 4,
            refresh_tokens_overwritten: 0,
            refresh_tokens_kept_newer: 0,
            status_changes: 1,
            notes: vec![],
        }
    );
    assert_eq!(snapshot(&desk), before, "a preview writes nothing");

    // Without confirmation: refused with the preview as the risk, nothing written.
    match desk.import(&file, pass(), false).unwrap_err() {
        Error::NeedsConfirmation { action, risk } => {
            assert!(action.contains("import"), "{action}");
            assert!(risk.contains("stored secrets overwritten: 4"), "{risk}");
            assert!(risk.contains("authorizers changing status: 1"), "{risk}");
            assert!(
                !risk.contains(APP_SECRET) && !risk.contains(COMP_SECRET),
                "{risk}"
            );
        }
        other => panic!("expected NeedsConfirmation, got {other:?}"),
    }
    assert_eq!(
        snapshot(&desk),
        before,
        "an unconfirmed import writes nothing"
    );

    // Confirmed: exactly what the preview said.
    let done = desk.import(&file, pass(), true).unwrap();
    assert_eq!(
        done,
        ImportReport {
            written: true,
            ..preview
        }
    );
    assert_ne!(snapshot(&desk), before);
    assert_eq!(desk.app_show(APP).unwrap().name, "One");
    assert!(
        secrets_fingerprint(&desk).ends_with(&format!("{COMP_SECRET}|{MSG_TOKEN}|{AES_KEY}\")")),
        "the platform's secrets are the file's"
    );
    let a2 = desk
        .store()
        .read(|c| authorizers::require(c, COMP, AUTH2))
        .unwrap();
    assert_eq!(a2.status, AuthorizerStatus::Active);
}

#[tokio::test]
async fn the_import_op_needs_confirmed_and_the_preview_op_writes_nothing() {
    let d1 = tempfile::tempdir().unwrap();
    let file = sealed_export(&source(d1.path()));
    let d2 = tempfile::tempdir().unwrap();
    let rt = wxdesk_testkit::desk::open_runtime(&d2.path().join("wxdesk.db"), BASE).await;
    use base64::Engine;
    let content = base64::engine::general_purpose::STANDARD.encode(&file);
    let args = json!({"content_base64": content, "passphrase": PASS});
    let v = wxdesk_core::ops::dispatch(&rt, "import_preview", args.clone())
        .await
        .unwrap();
    assert_eq!(v["written"], false);
    assert_eq!(v["apps"]["added"], 1);
    let e = wxdesk_core::ops::dispatch(&rt, "import", args.clone())
        .await
        .unwrap_err();
    assert_eq!(e.body().code, "needs_confirmation");
    assert_eq!(rt.desk().app_list().unwrap().len(), 0);
    let mut confirmed = args;
    confirmed["confirmed"] = json!(true);
    let v = wxdesk_core::ops::dispatch(&rt, "import", confirmed)
        .await
        .unwrap();
    assert_eq!(v["written"], true);
    assert_eq!(rt.desk().app_list().unwrap().len(), 1);
}

#[test]
fn a_plain_file_carrying_a_secret_field_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    let base = json!({
        "format": "wxdesk-export", "version": 1, "exported_at": 1_700_000_000,
        "apps": [{"appid": APP, "name": "One"}],
        "components": [{"appid": COMP, "name": "P"}],
        "authorizers": [{"appid": AUTH1, "component": COMP, "status": "active"}],
    });
    let cases: [(&str, &str, Value); 7] = [
        ("apps", "secret", json!(APP_SECRET)),
        ("components", "secret", json!(COMP_SECRET)),
        ("components", "token", json!(MSG_TOKEN)),
        ("components", "aes_key", json!(AES_KEY)),
        (
            "components",
            "ticket",
            json!({"ticket": "ticket@@@X", "source": "push", "received_at": 1_700_000_000}),
        ),
        ("authorizers", "refresh_token", json!("refresh@@@X")),
        // Not a field of the format at all (sessions are never exported).
        ("apps", "session_key", json!("c2Vzc2lvbmtleQ==")),
    ];
    for (kind, key, value) in cases {
        let mut v = base.clone();
        v[kind][0][key] = value.clone();
        let bytes = serde_json::to_vec(&v).unwrap();
        let (f, reason) = field(desk.import_preview(&bytes, None).unwrap_err());
        if key == "session_key" {
            assert_eq!(f, format!("{kind}[0]"));
            assert!(reason.contains("session_key"), "{reason}");
        } else {
            assert_eq!(f, format!("{kind}[0].{key}"), "{reason}");
            assert!(reason.contains("plain"), "{reason}");
        }
        assert!(
            !reason.contains(value.as_str().unwrap_or("ticket@@@X")),
            "{reason}"
        );
        assert!(desk.import(&bytes, None, true).is_err());
    }
    assert!(desk.app_list().unwrap().is_empty(), "nothing was written");
    // Without them the same file imports.
    let r = desk
        .import(&serde_json::to_vec(&base).unwrap(), None, true)
        .unwrap();
    assert_eq!((r.apps.added, r.with_secrets), (1, false));
}

#[test]
fn an_import_never_changes_the_environment() {
    let d1 = tempfile::tempdir().unwrap();
    let src = source(d1.path());
    // Even with an environment saved, the export carries none.
    src.set_environment(Environment::Sandbox {
        base: "http://127.0.0.1:7".into(),
    })
    .unwrap();
    let plain = src.export(ExportOptions::default()).unwrap();
    let doc: Value = serde_json::from_slice(&plain).unwrap();
    assert!(
        doc["settings"].get("environment").is_none(),
        "{}",
        doc["settings"]
    );

    let d2 = tempfile::tempdir().unwrap();
    let desk = open(d2.path());
    let saved = || -> Option<Environment> {
        desk.store()
            .read(|c| keys::get(c, keys::ENVIRONMENT))
            .unwrap()
    };
    let before = saved();
    let with_env = |env: Value| {
        let mut v = doc.clone();
        v["settings"]["environment"] = env;
        serde_json::to_vec(&v).unwrap()
    };
    for env in [
        json!({"kind": "production"}),
        json!({"kind": "sandbox", "base": "http://127.0.0.1:5"}),
        json!({"kind": "custom", "api": "https://evil.example.com", "mp": "https://evil.example.com", "open": "https://evil.example.com"}),
    ] {
        let (f, reason) = field(desk.import(&with_env(env.clone()), None, true).unwrap_err());
        assert_eq!(f, "settings.environment", "{env}");
        assert!(reason.contains("never changes the environment"), "{reason}");
        assert!(desk.app_list().unwrap().is_empty());
    }
    // The environment in use is ignored, with a note.
    let same = with_env(json!({"kind": "sandbox", "base": BASE}));
    let r = desk.import_preview(&same, None).unwrap();
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
    assert!(r.notes[0].contains("environment"), "{:?}", r.notes);
    desk.import(&same, None, true).unwrap();
    assert_eq!(saved(), before);
    assert_eq!(desk.env(), &Environment::Sandbox { base: BASE.into() });
}

#[test]
fn an_imported_refresh_token_or_ticket_never_replaces_a_newer_one() {
    let d1 = tempfile::tempdir().unwrap();
    let src = source(d1.path());
    let file = sealed_export(&src);
    let t_file = src.now() - 600;

    // The desk's token and ticket are newer than the file's: both kept.
    let d2 = tempfile::tempdir().unwrap();
    let newer = open(d2.path());
    store_component(&newer, COMP, COMP_SECRET);
    put_authorizer(
        &newer,
        AUTH1,
        Some("refresh@@@NEWER"),
        AuthorizerStatus::Active,
        t_file + 60,
    );
    store_ticket(&newer, COMP, "ticket@@@NEWER", t_file + 60);
    let r = newer.import(&file, pass(), true).unwrap();
    assert_eq!(
        (r.refresh_tokens_kept_newer, r.refresh_tokens_overwritten),
        (1, 0)
    );
    assert_eq!((r.tickets_kept_newer, r.tickets_added), (1, 0));
    assert_eq!(stored_refresh_token(&newer, COMP, AUTH1), "refresh@@@NEWER");
    let latest = newer
        .store()
        .read(|c| tickets::latest(c, COMP))
        .unwrap()
        .unwrap();
    assert_eq!(
        &*newer.open_secret(tickets::TICKET, &latest.ticket).unwrap(),
        "ticket@@@NEWER"
    );

    // The desk's are older: the file's replace them.
    let d3 = tempfile::tempdir().unwrap();
    let older = open(d3.path());
    store_component(&older, COMP, COMP_SECRET);
    put_authorizer(
        &older,
        AUTH1,
        Some("refresh@@@OLDER"),
        AuthorizerStatus::Active,
        t_file - 60,
    );
    store_ticket(&older, COMP, "ticket@@@OLDER", t_file - 60);
    let r = older.import(&file, pass(), true).unwrap();
    assert_eq!(
        (r.refresh_tokens_kept_newer, r.refresh_tokens_overwritten),
        (0, 1)
    );
    assert_eq!((r.tickets_kept_newer, r.tickets_added), (0, 1));
    assert_eq!(
        stored_refresh_token(&older, COMP, AUTH1),
        "refresh@@@FROM-FILE"
    );
    let latest = older
        .store()
        .read(|c| tickets::latest(c, COMP))
        .unwrap()
        .unwrap();
    assert_eq!(
        &*older.open_secret(tickets::TICKET, &latest.ticket).unwrap(),
        "ticket@@@FROM-FILE"
    );
}

#[cfg(unix)]
#[test]
fn export_files_are_written_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let new = dir.path().join("new.json");
    write_private(&new, b"{\"a\": 1}").unwrap();
    assert_eq!(mode(&new), 0o600);
    // An existing, world-readable file is tightened and fully replaced.
    let old = dir.path().join("old.json");
    std::fs::write(&old, b"a much longer previous content").unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    write_private(&old, b"short").unwrap();
    assert_eq!(mode(&old), 0o600);
    assert_eq!(std::fs::read(&old).unwrap(), b"short");
}

#[cfg(unix)]
#[tokio::test]
async fn the_save_file_op_writes_owner_only() {
    use base64::Engine;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let rt = wxdesk_testkit::desk::open_runtime(&dir.path().join("wxdesk.db"), BASE).await;
    let path = dir.path().join("export.json");
    std::fs::write(&path, b"old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
    let content =
        base64::engine::general_purpose::STANDARD.encode(b"{\"format\":\"wxdesk-export\"}");
    wxdesk_core::ops::dispatch(
        &rt,
        "save_file",
        json!({"path": path.to_str().unwrap(), "content_base64": content}),
    )
    .await
    .unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
}
