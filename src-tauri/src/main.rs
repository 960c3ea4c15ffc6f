//! The wxdesk desktop app.
//!
//! A thin Tauri 2 shell: state (the core's [`Runtime`]) is created once in
//! setup, and the only IPC command, [`op`], delegates to the core's operation
//! table — the same table `wxdesk serve` exposes over HTTP — so the window and
//! the browser mode cannot drift apart. Files, clipboard and links go through
//! the official plugins.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use tauri::Manager;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::{default_db_path, DeskOptions, ErrorBody};

/// Runs one operation of the core's table.
#[tauri::command]
async fn op(
    rt: tauri::State<'_, Arc<Runtime>>,
    name: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, ErrorBody> {
    dispatch(&rt, &name, args).await.map_err(|e| e.body())
}

fn db_path() -> PathBuf {
    std::env::var_os("WXDESK_DB")
        .map(PathBuf::from)
        .unwrap_or_else(default_db_path)
}

fn main() {
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            let rt = tauri::async_runtime::block_on(Runtime::open(DeskOptions::new(db_path())))
                .map_err(|e| {
                    format!(
                        "wxdesk could not open its database: {} ({})",
                        e,
                        e.hint().unwrap_or_default()
                    )
                })?;
            for w in rt.desk().warnings() {
                eprintln!("warning: {w}");
            }
            app.manage(Arc::new(rt));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![op])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: wxdesk could not start: {e}");
        std::process::exit(1);
    }
}
