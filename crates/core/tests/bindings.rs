//! The TypeScript bindings in ui/src/api/generated/ are generated from the
//! core's operation table (ts-rs) and checked in. This test fails when they
//! are stale; regenerate with `WXDESK_UPDATE_BINDINGS=1 cargo test -p wxdesk-core --test bindings`.
//! Because they are current, the UI's wrappers cannot call an operation the
//! table lacks: `OpName` comes from the generated ops.ts (a type error), and
//! ui/tests/api.test.ts checks every op the wrappers call against it.

use std::collections::BTreeMap;
use std::path::PathBuf;

fn generated_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/generated")
}

#[test]
fn typescript_bindings_are_current() {
    let files: BTreeMap<String, String> = wxdesk_core::ops::typescript_bindings()
        .expect("generate bindings")
        .into_iter()
        .collect();
    assert!(files.contains_key("ops.ts"));
    assert!(
        files.len() > 40,
        "expected the types of every operation, got {}",
        files.len()
    );
    let dir = generated_dir();
    if std::env::var_os("WXDESK_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (name, text) in &files {
            let p = dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        return;
    }
    let mut stale = Vec::new();
    for (name, text) in &files {
        match std::fs::read_to_string(dir.join(name)) {
            Ok(on_disk) if &on_disk == text => {}
            _ => stale.push(name.clone()),
        }
    }
    // Files on disk that the table no longer produces are stale too.
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for e in rd.flatten() {
            let n = e.file_name().to_string_lossy().to_string();
            if n.ends_with(".ts") && !files.contains_key(&n) {
                stale.push(format!("{n} (no longer generated)"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "ui/src/api/generated is stale: {stale:?}\nregenerate with: WXDESK_UPDATE_BINDINGS=1 cargo test -p wxdesk-core --test bindings"
    );
}
