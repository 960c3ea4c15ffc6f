//! Declares the app's one IPC command so capabilities can grant exactly it.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["op"])),
    )
    .unwrap_or_else(|e| panic!("tauri build script failed: {e}"));
}
