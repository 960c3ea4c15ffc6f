//! The TypeScript bindings in ui/src/api/generated/ are generated from the
//! core's operation table (ts-rs) and checked in. This test fails when they
//! are stale; regenerate with `WXDESK_UPDATE_BINDINGS=1 cargo test -p wxdesk-core --test bindings`.

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

#[test]
fn every_operation_the_ui_calls_exists_in_the_table() {
    // The UI lists the operations its wrappers call in src/api/used-ops.json
    // (checked by a Vitest test against the wrappers themselves).
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/used-ops.json");
    let text = std::fs::read_to_string(&p).expect("ui/src/api/used-ops.json");
    let used: Vec<String> = serde_json::from_str(&text).expect("a JSON array of op names");
    assert!(!used.is_empty());
    let missing: Vec<&String> = used
        .iter()
        .filter(|n| !wxdesk_core::ops::OP_NAMES.contains(&n.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "the UI calls operations the core's table lacks: {missing:?}"
    );
}
