//! Hostile and damaged import files: an altered envelope, KDF costs beyond
//! the cap or below the floor (refused before any key is derived), and times
//! in the future. Each ends in a clear error naming the field, with nothing
//! written.

mod common;

use std::path::Path;

use common::app_input;
use common::transfer::{field, open, pass, sealed_export, PASS};
use serde_json::{json, Value};
use wxdesk_core::services::transfer::encrypt_document;
use wxdesk_core::Desk;

const APP: &str = "wx1111111111111111";
const COMP: &str = "wxcccccccccccccccc";
/// A desk with one mini program.
fn source(dir: &Path) -> Desk {
    let desk = open(dir);
    desk.app_add(app_input(APP, "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1", "One"))
        .unwrap();
    desk
}

#[test]
fn altered_encrypted_files_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = sealed_export(&source(dir.path()));
    let env: Value = serde_json::from_slice(&bytes).unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let other = open(dir2.path());
    let try_import = |v: &Value| {
        other
            .import(&serde_json::to_vec(v).unwrap(), pass(), true)
            .unwrap_err()
    };

    // Flip one ciphertext byte.
    let mut v = env.clone();
    let mut ct = v["ciphertext"].as_str().unwrap().to_string().into_bytes();
    ct[10] = if ct[10] == b'A' { b'B' } else { b'A' };
    v["ciphertext"] = Value::String(String::from_utf8(ct).unwrap());
    assert_eq!(
        field(try_import(&v)),
        (
            "passphrase".into(),
            "wrong passphrase or the file was altered".into()
        )
    );
    // A stronger (but in-range) KDF cost claimed by an altered header fails authentication.
    let mut v = env.clone();
    v["kdf"]["t"] = json!(4);
    assert_eq!(field(try_import(&v)).0, "passphrase");
    // A weaker one, or an absurd one, is refused before any work.
    let mut v = env.clone();
    v["kdf"]["m"] = json!(8);
    assert_eq!(field(try_import(&v)).0, "kdf");
    let mut v = env.clone();
    v["kdf"]["m"] = json!(u32::MAX);
    assert_eq!(field(try_import(&v)).0, "kdf");
    let mut v = env.clone();
    v["kdf"]["alg"] = json!("scrypt");
    assert_eq!(field(try_import(&v)).0, "kdf.alg");
    let mut v = env.clone();
    v["nonce"] = json!("!!!");
    assert_eq!(field(try_import(&v)).0, "file");
    let mut v = env.clone();
    v["version"] = json!(2);
    assert_eq!(field(try_import(&v)).0, "file");
    let mut v = env.clone();
    v.as_object_mut().unwrap().remove("ciphertext");
    assert_eq!(field(try_import(&v)).0, "file");
    // Truncated file, not JSON, someone else's JSON.
    assert_eq!(
        field(
            other
                .import(&bytes[..bytes.len() / 2], pass(), true)
                .unwrap_err()
        )
        .0,
        "file"
    );
    assert_eq!(
        field(other.import(b"PK\x03\x04 zip", None, true).unwrap_err()).0,
        "file"
    );
    assert_eq!(
        field(
            other
                .import(br#"{"format":"other-tool","version":1}"#, None, true)
                .unwrap_err()
        )
        .0,
        "file"
    );
    assert_eq!(
        field(other.import(br#"{"version":1}"#, None, true).unwrap_err()).0,
        "file"
    );
    assert_eq!(
        field(
            other
                .import(br#"{"format":"wxdesk-export","version":9}"#, None, true)
                .unwrap_err()
        )
        .0,
        "file"
    );
    assert!(other.app_list().unwrap().is_empty(), "nothing was written");
}

#[test]
fn future_times_in_a_file_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let desk = open(dir.path());
    let future = desk.now() + 86_400;
    let plain = |v: Value| serde_json::to_vec(&v).unwrap();
    let (f, _) = field(
        desk.import(
            &plain(json!({"format": "wxdesk-export", "version": 1,
            "apps": [{"appid": APP, "updated_at": future}]})),
            None,
            true,
        )
        .unwrap_err(),
    );
    assert_eq!(f, "apps[0].updated_at");
    let doc = json!({"format": "wxdesk-export", "version": 1,
        "components": [{"appid": COMP, "ticket": {"ticket": "ticket@@@FUTURE", "source": "push", "received_at": future}}]});
    let sealed = encrypt_document(&plain(doc), PASS).unwrap();
    let (f, _) = field(desk.import(&sealed, pass(), true).unwrap_err());
    assert_eq!(f, "components[0].ticket.received_at");
    assert!(desk.component_list().unwrap().is_empty());
}

#[test]
fn hostile_kdf_costs_are_refused_before_any_derivation() {
    let d1 = tempfile::tempdir().unwrap();
    let file = sealed_export(&source(d1.path()));
    let env: Value = serde_json::from_slice(&file).unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let desk = open(d2.path());
    let try_kdf = |m: Value, t: Value, p: Value| {
        let mut v = env.clone();
        v["kdf"]["m"] = m;
        v["kdf"]["t"] = t;
        v["kdf"]["p"] = p;
        // A salt that is not even base64: reaching it would fail with `file`, so
        // `kdf` proves the costs were refused first.
        v["kdf"]["salt"] = json!("!!! not base64 !!!");
        field(
            desk.import_preview(&serde_json::to_vec(&v).unwrap(), pass())
                .unwrap_err(),
        )
    };
    let started = std::time::Instant::now();
    // 1 GiB × 64 passes: would take minutes and a gigabyte if derived.
    let (f, reason) = try_kdf(json!(1 << 20), json!(64), json!(1));
    assert_eq!(f, "kdf");
    assert!(
        reason.contains("256 MiB") && reason.contains("nothing was derived"),
        "{reason}"
    );
    for (m, t, p) in [
        (json!(256 * 1024 + 1), json!(3), json!(1)),
        (json!(64 * 1024), json!(11), json!(1)),
        (json!(64 * 1024), json!(3), json!(5)),
        (json!(8), json!(3), json!(1)),
        (json!(64 * 1024), json!(1), json!(1)),
        (json!(64 * 1024), json!(3), json!(0)),
    ] {
        assert_eq!(
            try_kdf(m.clone(), t.clone(), p.clone()).0,
            "kdf",
            "m={m} t={t} p={p}"
        );
    }
    eprintln!("seven hostile headers refused in {:?}", started.elapsed());
    // The export's own costs are within the bounds (64 MiB, 3 passes).
    assert_eq!(
        (env["kdf"]["m"].as_u64(), env["kdf"]["t"].as_u64()),
        (Some(65536), Some(3))
    );
}
