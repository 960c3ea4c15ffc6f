//! Export and import: no secret in a plain export; an encrypted export
//! round-trips every secret into a desk with a different vault key; a wrong
//! passphrase fails clearly; one bad record writes nothing. (Altered files:
//! transfer_hostile.rs; the import rules: transfer_rules.rs.)

mod common;

use std::path::Path;

use common::transfer::{field, open};
use common::{app_input, platform_input};
use serde_json::{json, Value};
use wxdesk_core::services::components::ComponentInput;
use wxdesk_core::services::transfer::{
    encrypt_document, ExportOptions, ImportReport, RecordCounts,
};
use wxdesk_core::store::authorizers::{self, AuthorizerRow, AuthorizerStatus};
use wxdesk_core::store::{apps as app_store, components as comp_store, settings as keys, tickets};
use wxdesk_core::{Desk, Environment};
use zeroize::Zeroizing;

const APP1: &str = "wx1111111111111111";
const APP2: &str = "wx2222222222222222";
const COMP: &str = "wxcccccccccccccccc";
const AUTH1: &str = "wxa000000000000001";
const AUTH2: &str = "wxa000000000000002";
const APP1_SECRET: &str = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
const APP2_SECRET: &str = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
const COMP_SECRET: &str = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3";
const MSG_TOKEN: &str = "MessageTokenXyZ";
const AES_KEY: &str = "Zk3jXqL0pW9sV2bN7cR4tY6uI8oP1aS5dF3gH0jK2lB";
const TICKET: &str = "ticket@@@QWERTYUIOPASDFGHJKL";
const REFRESH: &str = "refreshtoken@@@ZXCVBNMLKJHG";
const PASS: &str = "correct horse battery";

fn secrets() -> [&'static str; 7] {
    [
        APP1_SECRET,
        APP2_SECRET,
        COMP_SECRET,
        MSG_TOKEN,
        AES_KEY,
        TICKET,
        REFRESH,
    ]
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn pass(p: &str) -> Option<Zeroizing<String>> {
    Some(Zeroizing::new(p.to_string()))
}

fn added(n: usize) -> RecordCounts {
    RecordCounts {
        added: n,
        ..RecordCounts::default()
    }
}

fn unchanged(n: usize) -> RecordCounts {
    RecordCounts {
        unchanged: n,
        ..RecordCounts::default()
    }
}

/// A desk holding every kind of record and secret.
fn populated(dir: &Path) -> Desk {
    let desk = open(dir);
    desk.app_add(app_input(APP1, APP1_SECRET, "One")).unwrap();
    desk.app_add(app_input(APP2, APP2_SECRET, "Two")).unwrap();
    let platform = ComponentInput {
        redirect_uri: Some("https://example.com/cb".into()),
        ..platform_input(COMP, COMP_SECRET, MSG_TOKEN, AES_KEY)
    };
    desk.component_add(platform).unwrap();
    let v = desk.vault();
    let now = desk.now();
    let ticket = v.seal(tickets::TICKET, TICKET).unwrap();
    let refresh = v.seal(authorizers::REFRESH_TOKEN, REFRESH).unwrap();
    desk.store()
        .write(|tx| {
            tickets::insert(tx, COMP, &ticket, "push", now - 60)?;
            for (appid, status, rt) in [
                (AUTH1, AuthorizerStatus::Active, Some(refresh.clone())),
                (AUTH2, AuthorizerStatus::Revoked, None),
            ] {
                authorizers::upsert(
                    tx,
                    &AuthorizerRow {
                        component_appid: COMP.into(),
                        appid: appid.into(),
                        refresh_token: rt,
                        func_info: vec![1, 18],
                        info: Some(json!({"authorizer_info": {"nick_name": "M"}})),
                        nick_name: format!("Merchant {appid}"),
                        account_type: "mini_program".into(),
                        status,
                        authorized_at: Some(1_700_000_000),
                        revoked_at: (status == AuthorizerStatus::Revoked).then_some(1_700_000_500),
                        updated_at: 1_700_000_000,
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    desk.set_language("en").unwrap();
    desk.set_theme("dark").unwrap();
    desk.set_log_retention(90).unwrap();
    desk
}

fn counts(desk: &Desk) -> [i64; 5] {
    let n = |t: &str| {
        desk.store()
            .read(|c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?))
            .unwrap()
    };
    [
        n("apps"),
        n("components"),
        n("authorizers"),
        n("tickets"),
        settings_rows(desk),
    ]
}

/// User settings stored: the environment's own plus the global ones in the home file.
fn settings_rows(desk: &Desk) -> i64 {
    let q = "SELECT COUNT(*) FROM settings WHERE key IN ('environment', 'language', 'theme', 'log_retention_days')";
    let n = |s: &wxdesk_core::store::Store| {
        s.read(|c| Ok(c.query_row(q, [], |r| r.get::<_, i64>(0))?))
            .unwrap()
    };
    let own = n(desk.store());
    if desk.home_db_path() == desk.db_path() {
        own
    } else {
        own + n(desk.home_store())
    }
}

#[test]
fn export_without_secrets_holds_none() {
    let dir = tempfile::tempdir().unwrap();
    let desk = populated(dir.path());
    let bytes = desk.export(ExportOptions::default()).unwrap();
    for s in secrets() {
        assert!(
            !contains(&bytes, s),
            "plain export contains a secret ({}…)",
            &s[..4]
        );
    }
    assert!(
        !contains(&bytes, "wxv1:"),
        "plain export contains a sealed value"
    );
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["format"], "wxdesk-export");
    assert_eq!(doc["version"], 1);
    assert!(doc["exported_at"].as_i64().unwrap() > 1_600_000_000);
    assert_eq!(doc["apps"].as_array().unwrap().len(), 2);
    assert_eq!(doc["apps"][0]["appid"], APP1);
    assert!(doc["apps"][0].get("secret").is_none());
    let c = &doc["components"][0];
    assert_eq!(c["appid"], COMP);
    assert_eq!(c["redirect_uri"], "https://example.com/cb");
    for k in ["secret", "token", "aes_key", "ticket"] {
        assert!(c.get(k).is_none(), "component has {k}");
    }
    let auths = doc["authorizers"].as_array().unwrap();
    assert_eq!(auths.len(), 2);
    let a1 = auths.iter().find(|a| a["appid"] == AUTH1).unwrap();
    assert_eq!(a1["component"], COMP);
    assert_eq!(a1["func_info"], json!([1, 18]));
    assert_eq!(a1["status"], "active");
    assert_eq!(a1["account_type"], "mini_program");
    assert_eq!(a1["authorized_at"], 1_700_000_000);
    assert!(a1.get("refresh_token").is_none());
    assert_eq!(doc["settings"]["language"], "en");
    assert_eq!(doc["settings"]["theme"], "dark");
    assert_eq!(doc["settings"]["log_retention_days"], 90);

    // It imports into a fresh desk without secrets; adding them later works.
    let dir2 = tempfile::tempdir().unwrap();
    let other = open(dir2.path());
    let r = other.import(&bytes, None, true).unwrap();
    assert_eq!(
        r,
        ImportReport {
            written: true,
            apps: added(2),
            components: added(1),
            authorizers: added(2),
            settings: added(3),
            ..ImportReport::default()
        }
    );
    assert_eq!(other.app_show(APP1).unwrap().secret, None);
    assert_eq!(other.component_show(COMP).unwrap().token, None);
    assert_eq!(other.settings().unwrap().theme, "dark");
    let revoked = other
        .store()
        .read(|c| authorizers::require(c, COMP, AUTH2))
        .unwrap();
    assert_eq!(revoked.status, AuthorizerStatus::Revoked);
    assert_eq!(revoked.revoked_at, Some(1_700_000_500));

    // Importing the plain file over the original keeps its secrets.
    desk.import(&bytes, None, true).unwrap();
    let row = desk.store().read(|c| app_store::require(c, APP1)).unwrap();
    assert_eq!(
        &*desk
            .open_secret(app_store::SECRET, row.secret.as_ref().unwrap())
            .unwrap(),
        APP1_SECRET
    );
}

#[test]
fn encrypted_export_round_trips_into_a_desk_with_another_key() {
    let dir = tempfile::tempdir().unwrap();
    let desk = populated(dir.path());

    // A passphrase is required, and long enough.
    let e = desk
        .export(ExportOptions {
            with_secrets: true,
            passphrase: None,
        })
        .unwrap_err();
    assert_eq!(field(e).0, "passphrase");
    let (f, reason) = field(
        desk.export(ExportOptions {
            with_secrets: true,
            passphrase: pass("short7!"),
        })
        .unwrap_err(),
    );
    assert_eq!(f, "passphrase");
    assert!(reason.contains('8'), "{reason}");

    let bytes = desk
        .export(ExportOptions {
            with_secrets: true,
            passphrase: pass(PASS),
        })
        .unwrap();
    for s in secrets() {
        assert!(
            !contains(&bytes, s),
            "encrypted export shows a secret ({}…)",
            &s[..4]
        );
    }
    assert!(
        !contains(&bytes, APP1),
        "the envelope hides even the AppIDs"
    );
    let env: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(env["format"], "wxdesk-export-encrypted");
    assert_eq!(env["version"], 1);
    assert_eq!(env["kdf"]["alg"], "argon2id");
    assert!(
        env["kdf"]["m"].as_u64().unwrap() >= 64 * 1024,
        "at least 64 MiB"
    );
    assert!(env["kdf"]["t"].as_u64().unwrap() >= 3, "at least 3 passes");
    assert!(env["kdf"]["p"].as_u64().unwrap() >= 1);
    for k in ["salt", "nonce", "ciphertext"] {
        assert!(env[k].is_string() || env["kdf"][k].is_string(), "{k}");
    }
    // Two exports differ (random salt and nonce).
    let again = desk
        .export(ExportOptions {
            with_secrets: true,
            passphrase: pass(PASS),
        })
        .unwrap();
    assert_ne!(bytes, again);

    // A new desk has its own vault key: the file must carry the secrets itself.
    let dir2 = tempfile::tempdir().unwrap();
    let other = open(dir2.path());
    let key1 = std::fs::read(dir.path().join("wxdesk.db.key")).unwrap();
    let key2 = std::fs::read(dir2.path().join("wxdesk.db.key")).unwrap();
    assert_ne!(key1, key2);

    // Missing or wrong passphrase.
    let (f, _) = field(other.import(&bytes, None, true).unwrap_err());
    assert_eq!(f, "passphrase");
    let (f, reason) = field(
        other
            .import(&bytes, pass("not the passphrase"), true)
            .unwrap_err(),
    );
    assert_eq!(f, "passphrase");
    assert_eq!(reason, "wrong passphrase or the file was altered");
    assert_eq!(counts(&other), [0, 0, 0, 0, 0]);

    let r = other.import(&bytes, pass(PASS), true).unwrap();
    assert_eq!(
        r,
        ImportReport {
            written: true,
            with_secrets: true,
            apps: added(2),
            components: added(1),
            authorizers: added(2),
            settings: added(3),
            tickets_added: 1,
            ..ImportReport::default()
        }
    );
    // Every secret opens with the new desk's vault to the original value.
    let (a1, a2, c, t, au) = other
        .store()
        .read(|conn| {
            Ok((
                app_store::require(conn, APP1)?,
                app_store::require(conn, APP2)?,
                comp_store::require(conn, COMP)?,
                tickets::latest(conn, COMP)?.unwrap(),
                authorizers::require(conn, COMP, AUTH1)?,
            ))
        })
        .unwrap();
    let open_ =
        |p: &str, s: &wxdesk_core::vault::Sealed| other.open_secret(p, s).unwrap().to_string();
    let sealed = [
        (app_store::SECRET, a1.secret.as_ref(), APP1_SECRET),
        (app_store::SECRET, a2.secret.as_ref(), APP2_SECRET),
        (comp_store::SECRET, c.secret.as_ref(), COMP_SECRET),
        (comp_store::TOKEN, c.token.as_ref(), MSG_TOKEN),
        (comp_store::AES_KEY, c.aes_key.as_ref(), AES_KEY),
        (tickets::TICKET, Some(&t.ticket), TICKET),
        (
            authorizers::REFRESH_TOKEN,
            au.refresh_token.as_ref(),
            REFRESH,
        ),
    ];
    for (purpose, value, plain) in sealed {
        assert_eq!(open_(purpose, value.unwrap()), plain, "{purpose}");
    }
    assert_eq!(t.source, "push");
    assert_eq!(au.func_info, vec![1, 18]);
    // The values were re-sealed: the original desk's ciphertexts are not copied.
    let orig = desk
        .store()
        .read(|conn| app_store::require(conn, APP1))
        .unwrap();
    assert_ne!(orig.secret, a1.secret);
    assert!(other
        .open_secret(app_store::SECRET, orig.secret.as_ref().unwrap())
        .is_err());
    // Views of the imported desk work.
    let cv = other.component_show(COMP).unwrap();
    assert!(cv.ticket.unwrap().valid);
    assert_eq!((cv.authorizers.active, cv.authorizers.revoked), (1, 1));
    let s = other.settings().unwrap();
    assert_eq!(
        (
            s.language.as_deref().unwrap_or(""),
            s.theme.as_str(),
            s.log_retention_days
        ),
        ("en", "dark", 90)
    );

    // Importing the same file again is idempotent (no duplicate ticket, nothing changes).
    let r = other.import(&bytes, pass(PASS), true).unwrap();
    assert_eq!((r.tickets_added, r.tickets_kept_newer), (0, 1));
    assert_eq!(
        (r.apps, r.components, r.authorizers, r.settings),
        (unchanged(2), unchanged(1), unchanged(2), unchanged(3))
    );
    assert_eq!(r.secrets_overwritten + r.refresh_tokens_overwritten, 0);
    assert_eq!(counts(&other), [2, 1, 2, 1, 3]);
}

/// A valid document with `n` apps, one platform and one authorizer, with
/// secrets (so it must be imported encrypted).
fn doc(n: usize) -> Value {
    let apps: Vec<Value> = (0..n)
        .map(|i| json!({"appid": format!("wx{i:016x}"), "name": format!("app {i}"), "secret": format!("{i:032x}")}))
        .collect();
    json!({
        "format": "wxdesk-export",
        "version": 1,
        "exported_at": 1_700_000_000,
        "apps": apps,
        "components": [{"appid": COMP, "name": "P", "secret": COMP_SECRET, "token": MSG_TOKEN, "aes_key": AES_KEY,
                        "ticket": {"ticket": TICKET, "source": "push", "received_at": 1_700_000_000}}],
        "authorizers": [{"appid": AUTH1, "component": COMP, "func_info": [1], "nick_name": "M", "account_type": "mini_program",
                         "status": "active", "authorized_at": 1_700_000_000, "refresh_token": REFRESH}],
        "settings": {"language": "en", "theme": "light", "log_retention_days": 7}
    })
}

#[test]
fn one_invalid_record_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    desk.app_add(app_input(APP1, APP1_SECRET, "Kept")).unwrap();
    let before = counts(&desk);
    let plain = |v: &Value| serde_json::to_vec(v).unwrap();
    let bytes = |v: &Value| encrypt_document(&plain(v), PASS).unwrap();
    let reject = |v: Value| -> (String, String) {
        let e = desk.import(&bytes(&v), pass(PASS), true).unwrap_err();
        assert_eq!(counts(&desk), before, "a rejected import wrote something");
        field(e)
    };
    let base = doc(5);

    let mut v = base.clone();
    v["apps"][3]["secret"] = json!("not-a-secret");
    let (f, reason) = reject(v);
    assert_eq!(f, "apps[3].secret");
    assert!(
        reason.contains("wx0000000000000003"),
        "names the record: {reason}"
    );
    assert!(!reason.contains("not-a-secret"), "{reason}");

    let mut v = base.clone();
    v["apps"][4]["appid"] = json!("gh_123456789012");
    assert_eq!(reject(v).0, "apps[4].appid");

    let mut v = base.clone();
    v["apps"][2]["appid"] = json!("wx0000000000000001");
    let (f, reason) = reject(v);
    assert_eq!(f, "apps[2].appid");
    assert!(reason.contains("apps[1]"), "{reason}");

    let mut v = base.clone();
    v["apps"][1]["created_at"] = json!("yesterday");
    let (f, _) = reject(v);
    assert_eq!(f, "apps[1]");

    let mut v = base.clone();
    v["apps"][0]["colour"] = json!("red");
    let (f, reason) = reject(v);
    assert_eq!(f, "apps[0]");
    assert!(reason.contains("colour"), "{reason}");

    let mut v = base.clone();
    v["components"][0]["aes_key"] = json!(format!("{AES_KEY}="));
    let (f, reason) = reject(v);
    assert_eq!(f, "components[0].aes_key");
    assert!(!reason.contains(AES_KEY), "{reason}");

    let mut v = base.clone();
    v["components"][0]["token"] = json!("a b");
    assert_eq!(reject(v).0, "components[0].token");

    let mut v = base.clone();
    v["components"][0]["redirect_uri"] = json!("ftp://x");
    assert_eq!(reject(v).0, "components[0].redirect_uri");

    let mut v = base.clone();
    v["components"][0]["ticket"]["source"] = json!("carrier pigeon");
    assert_eq!(reject(v).0, "components[0].ticket.source");

    // A mistyped secret is not echoed by the shape error.
    let mut v = base.clone();
    v["components"][0]["created_at"] = json!("SECRETLOOKINGVALUE");
    let (f, reason) = reject(v);
    assert_eq!(f, "components[0]");
    assert!(!reason.contains("SECRETLOOKINGVALUE"), "{reason}");

    let mut v = base.clone();
    v["authorizers"][0]["component"] = json!("wxdddddddddddddddd");
    let (f, reason) = reject(v);
    assert_eq!(f, "authorizers[0].component");
    assert!(reason.contains("wxdddddddddddddddd"), "{reason}");

    let mut v = base.clone();
    v["authorizers"][0]["component"] = json!("nope");
    assert_eq!(reject(v).0, "authorizers[0].component");

    let mut v = base.clone();
    v["authorizers"][0]["status"] = json!("paused");
    assert_eq!(reject(v).0, "authorizers[0]");

    let mut v = base.clone();
    v["authorizers"][0]["account_type"] = json!("game");
    assert_eq!(reject(v).0, "authorizers[0].account_type");

    let mut v = base.clone();
    v["authorizers"] = json!([v["authorizers"][0].clone(), v["authorizers"][0].clone()]);
    assert_eq!(reject(v).0, "authorizers[1].appid");

    let mut v = base.clone();
    v["settings"]["language"] = json!("fr");
    assert_eq!(reject(v).0, "settings.language");

    let mut v = base.clone();
    v["settings"]["environment"] = json!({"kind": "sandbox", "base": "ftp://x"});
    assert!(reject(v).0.starts_with("settings.environment"));

    let mut v = base.clone();
    v["settings"]["log_retention_days"] = json!(99999);
    assert_eq!(reject(v).0, "settings.log_retention_days");

    let mut v = base.clone();
    v["apps"] = json!({"not": "a list"});
    assert_eq!(reject(v).0, "file");

    // The valid document is written whole: existing records are updated, new ones added.
    let r = desk.import(&bytes(&base), pass(PASS), true).unwrap();
    assert_eq!(
        (
            r.apps,
            r.components,
            r.authorizers,
            r.settings,
            r.tickets_added
        ),
        (added(5), added(1), added(1), added(3), 1)
    );
    assert!(r.with_secrets && r.written);
    assert_eq!(counts(&desk), [6, 1, 1, 1, 3]);
    assert_eq!(desk.app_show(APP1).unwrap().name, "Kept");
    let saved: Option<Environment> = desk
        .home_store()
        .read(|c| keys::get(c, keys::ENVIRONMENT))
        .unwrap();
    assert_eq!(saved, None, "an import never sets the environment");
    let row = desk
        .store()
        .read(|c| app_store::require(c, "wx0000000000000004"))
        .unwrap();
    assert_eq!(
        desk.open_secret(app_store::SECRET, row.secret.as_ref().unwrap())
            .unwrap()
            .as_str(),
        format!("{:032x}", 4)
    );

    // An authorizer may refer to a platform already on the desk.
    let v = json!({"format": "wxdesk-export", "version": 1,
                   "authorizers": [{"appid": AUTH2, "component": COMP, "status": "revoked"}]});
    let r = desk.import(&plain(&v), None, true).unwrap();
    assert_eq!(r.authorizers, added(1));
    let a = desk
        .store()
        .read(|c| authorizers::require(c, COMP, AUTH2))
        .unwrap();
    assert_eq!(a.status, AuthorizerStatus::Revoked);
    assert!(a.revoked_at.is_some());
}

#[test]
fn export_options_deserialize_without_leaking_in_debug() {
    let o: ExportOptions =
        serde_json::from_value(json!({"with_secrets": true, "passphrase": PASS})).unwrap();
    assert!(o.with_secrets);
    assert_eq!(o.passphrase.as_deref().map(String::as_str), Some(PASS));
    let dbg = format!("{o:?}");
    assert!(!dbg.contains(PASS), "{dbg}");
    let o: ExportOptions = serde_json::from_value(json!({})).unwrap();
    assert!(!o.with_secrets && o.passphrase.is_none());
}
