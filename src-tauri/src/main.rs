//! The wxdesk desktop app.
//!
//! A thin Tauri 2 shell: state (the core's [`Runtime`]) is created once in
//! setup, and the IPC command [`op`] delegates to the core's operation
//! table — the same table `wxdesk serve` exposes over HTTP — so the window and
//! the browser mode cannot drift apart. Clipboard and links go through the
//! official plugins.
//!
//! Saving a file is the one exception where the shell decides: the webview
//! cannot name a path itself. [`choose_save_path`] opens the save dialog from
//! Rust and grants the chosen path ([`SaveGrant`]) for one `save_file`
//! operation; [`op`] refuses `save_file` for any other path, so a script in
//! the webview cannot write anywhere else.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::path::PathBuf;
use std::sync::Arc;

use tauri::Manager;
use tauri_plugin_dialog::DialogExt;
use wxdesk_core::ops::{dispatch, Runtime};
use wxdesk_core::services::transfer::file::SaveGrant;
use wxdesk_core::{default_db_path, DeskOptions, Error, ErrorBody};

/// Runs one operation of the core's table (`save_file` only for the path
/// granted by [`choose_save_path`]).
#[tauri::command]
async fn op(
    rt: tauri::State<'_, Arc<Runtime>>,
    grant: tauri::State<'_, SaveGrant>,
    name: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, ErrorBody> {
    grant.check_op(&name, &args).map_err(|e| e.body())?;
    dispatch(&rt, &name, args).await.map_err(|e| e.body())
}

/// Opens the save dialog (suggesting `file_name`, filtered to `extension`)
/// and grants the chosen path for one `save_file`. `None` when cancelled.
#[tauri::command]
async fn choose_save_path(
    app: tauri::AppHandle,
    grant: tauri::State<'_, SaveGrant>,
    file_name: String,
    extension: Option<String>,
) -> Result<Option<String>, ErrorBody> {
    let mut dialog = app.dialog().file().set_file_name(file_name);
    if let Some(ext) = extension
        .filter(|e| !e.is_empty() && e.len() <= 16 && e.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        dialog = dialog.add_filter(ext.to_uppercase(), &[ext.as_str()]);
    }
    let chosen = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| Error::invalid("path", format!("the save dialog failed: {e}")).body())?;
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let path = chosen.into_path().map_err(|e| {
        Error::invalid("path", format!("the chosen file is not a local path: {e}")).body()
    })?;
    let Some(shown) = path.to_str().map(str::to_string) else {
        return Err(Error::invalid(
            "path",
            "the chosen path is not valid UTF-8; choose another name",
        )
        .body());
    };
    grant.grant(path);
    Ok(Some(shown))
}

fn db_path() -> PathBuf {
    std::env::var_os("WXDESK_DB")
        .map(PathBuf::from)
        .unwrap_or_else(default_db_path)
}

/// How the window's engine (WebKitGTK, Linux) is run, set before GTK starts
/// unless the user set them (`wxdesk-bench --only ui` runs the UI with these
/// same variables and measures each):
///
/// - no accelerated compositing: an operator's console scrolls tables and
///   forms, it needs no GPU layers, and compositing keeps a GL context with
///   layer tiles in the web process (about 140 MB more after a walk through
///   every screen);
/// - no JavaScript JIT: with it the page grew by 15 to 57 MB with every two
///   walks through the screens (compiled code and its profiles, never given
///   back) and sat 100 to 145 MB above a blank page; without it, 43 to 51 MB
///   above and 3 to 11 MB over two walks, for switches about 30 ms slower
///   (the interpreter runs the UI's code). A desk left open all day keeps
///   its size, and the page runs no generated machine code.
#[cfg(target_os = "linux")]
const WEBKIT_ENV: [(&str, &str); 2] = [
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    ("JSC_useJIT", "0"),
];

fn main() {
    #[cfg(target_os = "linux")]
    for (k, v) in WEBKIT_ENV {
        if std::env::var_os(k).is_none() {
            // Still single-threaded: nothing reads the environment concurrently.
            std::env::set_var(k, v);
        }
    }
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
            app.manage(SaveGrant::new());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![op, choose_save_path])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("error: wxdesk could not start: {e}");
        std::process::exit(1);
    }
}
