//! Declares the app's IPC commands so capabilities can grant exactly them.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["op", "choose_save_path"])),
    )
    .unwrap_or_else(|e| panic!("tauri build script failed: {e}"));
}
