//! Embeds the built UI (`ui/dist`) into the server, so `wxdesk serve` never
//! looks for the UI at a path of the machine it was built on.
//!
//! When `ui/dist` has not been built yet (e.g. `cargo test` before
//! `npm run build`), the embedded copy is simply empty and the build still
//! succeeds; the server then falls back to the installed location or
//! `--ui-dir`. Build the UI first and the binary carries it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let ui = manifest.join("../../ui");
    let dist = ui.join("dist");
    let mut files = Vec::new();
    if dist.join("index.html").is_file() {
        // Scanned recursively by Cargo: any change of the build reruns this.
        println!("cargo:rerun-if-changed={}", dist.display());
        collect(&dist, &dist, &mut files);
    } else {
        // The folder `ui/dist` appears inside `ui/` once built: watch its
        // parent's entries (index.html is always there; its directory
        // changes when dist is created).
        println!("cargo:rerun-if-changed={}", ui.join("index.html").display());
        println!("cargo:rerun-if-changed={}", ui.display());
    }
    files.sort();
    let mut out = String::from(
        "/// The files of `ui/dist` at build time: (path relative to dist, bytes).\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        let _ = writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),");
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(e) = std::fs::write(out_dir.join("ui_embed.rs"), out) {
        panic!("cannot write the embedded UI table: {e}");
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.is_file() {
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let abs = path
                .canonicalize()
                .unwrap_or_else(|_| path.clone())
                .to_string_lossy()
                .into_owned();
            files.push((rel.join("/"), abs));
        }
    }
}
