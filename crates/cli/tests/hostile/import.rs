//! Import files through `wxdesk import`: truncated, wrong format or version,
//! hostile KDF parameters, duplicate ids, dangling references, timestamps far
//! in the future or past, files that are not UTF-8 or not JSON at all, and
//! files that try to carry secrets or an environment where none belong.

use std::ffi::OsString;
use std::path::PathBuf;

use serde_json::{json, Value};

use crate::common::{random_appid, random_secret};
use crate::harness::{fail, ok, Case, Expect, Fx};

const INVALID: &str = "invalid_input";

fn file(fx: &Fx, name: &str, bytes: &[u8]) -> PathBuf {
    let p = fx.world.path(&format!("import-{name}.json"));
    std::fs::write(&p, bytes).unwrap();
    p
}

fn plain(apps: Value, components: Value, authorizers: Value) -> Value {
    json!({"format": "wxdesk-export", "version": 1, "exported_at": 1714521600,
           "apps": apps, "components": components, "authorizers": authorizers})
}

fn envelope(m: u64, t: u64, p: u64, alg: &str, salt: &str) -> Value {
    json!({"format": "wxdesk-export-encrypted", "version": 1,
           "kdf": {"alg": alg, "m": m, "t": t, "p": p, "salt": salt},
           "nonce": "AAAAAAAAAAAAAAAA", "ciphertext": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="})
}

/// Whether this build's `import` asks for confirmation (`--yes`) before writing.
fn needs_yes(fx: &Fx) -> bool {
    let out = fx.world.bare().args(["import", "--help"]).output().unwrap();
    String::from_utf8_lossy(&out.stdout).contains("--yes")
}

fn row(fx: &Fx, name: &str, bytes: &[u8], passphrase: Option<&str>, expect: Expect) -> Case {
    let path = file(fx, &name.replace([' ', '/', ','], "-"), bytes);
    let mut args: Vec<OsString> = vec!["import".into(), path.into()];
    if let Some(pass) = passphrase {
        let pf = fx.world.path(&format!("pass-{}", rand::random::<u32>()));
        std::fs::write(&pf, pass).unwrap();
        args.extend(["--passphrase-file".into(), pf.into()]);
    }
    if needs_yes(fx) {
        args.push("--yes".into());
    }
    Case::cli_os(name, args, Vec::new(), expect)
}

fn bytes(v: &Value) -> Vec<u8> {
    v.to_string().into_bytes()
}

pub fn cases(fx: &Fx) -> Vec<Case> {
    let a = random_appid();
    let c = random_appid();
    let app = |id: &str| json!({"appid": id, "name": "Imported"});
    let comp = |id: &str| json!({"appid": id, "name": "Imported platform"});
    let good = plain(json!([app(&a)]), json!([comp(&c)]), json!([]));
    let text = good.to_string();
    let secret = fx.secret(&random_secret());
    let pass = fx.secret("correct horse battery staple");
    vec![
        row(fx, "a valid plain file (a result)", &bytes(&good), None, ok()),
        Case::cli_os("a missing file", vec!["import".into(), fx.world.path("no-such-dir/missing.json").into()], Vec::new(), fail(INVALID, "missing.json|file")),
        row(fx, "an empty file", b"", None, fail(INVALID, "json|file|empty")),
        row(fx, "a truncated file", &text.as_bytes()[..text.len() / 2], None, fail(INVALID, "json|eof|file")),
        row(fx, "a file that is not UTF-8", &[0xff, 0xfe, b'{', b'}'], None, fail(INVALID, "json|utf|file")),
        row(fx, "a file of 5 MB of spaces", &vec![b' '; 5 << 20], None, fail(INVALID, "json|eof|file")),
        row(fx, "20,000 nested arrays", format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)).as_bytes(), None, fail(INVALID, "json|recursion|format|file")),
        row(fx, "a top level array", b"[]", None, fail(INVALID, "json|format|file|object")),
        row(fx, "an unknown format", &bytes(&json!({"format": "wxdesk-backup", "version": 1})), None, fail(INVALID, "format")),
        row(fx, "version 2", &bytes(&json!({"format": "wxdesk-export", "version": 2})), None, fail(INVALID, "version")),
        row(fx, "version 0", &bytes(&json!({"format": "wxdesk-export", "version": 0})), None, fail(INVALID, "version")),
        row(fx, "version as text", &bytes(&json!({"format": "wxdesk-export", "version": "1"})), None, fail(INVALID, "version")),
        row(fx, "version 2^64", br#"{"format":"wxdesk-export","version":18446744073709551616}"#, None, fail(INVALID, "version")),
        row(fx, "an unknown top-level field", &bytes(&json!({"format": "wxdesk-export", "version": 1, "hooks": []})), None, fail(INVALID, "hooks")),
        row(fx, "apps not a list", &bytes(&json!({"format": "wxdesk-export", "version": 1, "apps": {"a": 1}})), None, fail(INVALID, "apps")),
        row(fx, "an app with a Chinese appid", &bytes(&plain(json!([app("wx小程序")]), json!([]), json!([]))), None, fail(INVALID, "apps[0].appid")),
        row(fx, "duplicate app ids", &bytes(&plain(json!([app(&a), app(&a)]), json!([]), json!([]))), None, fail(INVALID, "apps[1]")),
        row(fx, "duplicate component ids", &bytes(&plain(json!([]), json!([comp(&c), comp(&c)]), json!([]))), None, fail(INVALID, "components[1]")),
        row(fx, "duplicate authorizers", &bytes(&plain(json!([]), json!([comp(&c)]), json!([{"appid": a, "component": c}, {"appid": a, "component": c}]))), None, fail(INVALID, "authorizers[1]")),
        row(fx, "an authorizer of a missing platform", &bytes(&plain(json!([]), json!([]), json!([{"appid": a, "component": random_appid()}]))), None, fail(INVALID, "authorizers[0].component")),
        row(fx, "an unknown authorizer status", &bytes(&plain(json!([]), json!([comp(&c)]), json!([{"appid": a, "component": c, "status": "owned"}]))), None, fail(INVALID, "authorizers[0]")),
        row(fx, "a timestamp far in the future", &bytes(&plain(json!([{"appid": random_appid(), "name": "Future", "created_at": 253402300799i64, "updated_at": 253402300799i64}]), json!([]), json!([]))), None, fail(INVALID, "apps[0].created_at")),
        row(fx, "a timestamp beyond i64", br#"{"format":"wxdesk-export","version":1,"apps":[{"appid":"wx0123456789abcdef","created_at":99999999999999999999}]}"#, None, fail(INVALID, "apps[0]|created_at")),
        row(fx, "a negative timestamp", &bytes(&plain(json!([{"appid": random_appid(), "created_at": -1}]), json!([]), json!([]))), None, fail(INVALID, "created_at")),
        row(fx, "a name of 100k characters", &bytes(&plain(json!([{"appid": random_appid(), "name": "名".repeat(100_000)}]), json!([]), json!([]))), None, fail(INVALID, "apps[0].name")),
        row(fx, "a plain file carrying a secret", &bytes(&plain(json!([{"appid": random_appid(), "name": "S", "secret": secret}]), json!([]), json!([]))), None, fail(INVALID, "secret")),
        row(fx, "a plain file setting the environment", &bytes(&json!({"format": "wxdesk-export", "version": 1, "settings": {"environment": {"kind": "custom", "api": "http://127.0.0.1:1/", "mp": "http://127.0.0.1:1/", "open": "http://127.0.0.1:1/"}}})), None, fail(INVALID, "environment")),
        row(fx, "an encrypted file without a passphrase", &bytes(&envelope(65_536, 3, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), None, fail("invalid_input|missing_argument", "passphrase")),
        row(fx, "KDF memory of 4 TiB", &bytes(&envelope(1 << 32, 3, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail(INVALID, "kdf|m")),
        row(fx, "KDF memory of 1 GiB and 64 passes", &bytes(&envelope(1 << 20, 64, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail(INVALID, "kdf")),
        row(fx, "KDF of 2^32 passes", &bytes(&envelope(65_536, 1 << 32, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail(INVALID, "kdf|t")),
        row(fx, "KDF of 0 lanes", &bytes(&envelope(65_536, 3, 0, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail(INVALID, "kdf|p")),
        row(fx, "KDF scrypt", &bytes(&envelope(65_536, 3, 1, "scrypt", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail(INVALID, "kdf|alg|scrypt")),
        row(fx, "a KDF salt that is not base64", &bytes(&envelope(65_536, 3, 1, "argon2id", "盐盐盐盐")), Some(&pass), fail(INVALID, "salt")),
        row(fx, "an encrypted file of version 9", &bytes(&{ let mut e = envelope(65_536, 3, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA=="); e["version"] = json!(9); e }), Some(&pass), fail(INVALID, "version")),
        row(fx, "ciphertext that does not open", &bytes(&envelope(8, 1, 1, "argon2id", "c2FsdHNhbHRzYWx0c2FsdA==")), Some(&pass), fail("invalid_input|decrypt_failed", "passphrase|altered|kdf")),
    ]
}
