//! Where browser mode's UI comes from, and serving its files.
//!
//! The UI is looked up in exactly three places, in this order: a folder given
//! explicitly (`--ui-dir`, for UI development), the copy embedded in this
//! binary at build time (see `build.rs`), and the installed location
//! `<prefix>/share/wxdesk/ui` beside `<prefix>/bin/wxdesk` (as the .deb lays
//! it out). Never a path of the machine the binary was built on.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use crate::AppState;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/ui_embed.rs"));
}

/// Where the UI's files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiSource {
    /// The copy built into this binary.
    Embedded,
    /// A folder holding `index.html` and `assets/`.
    Dir(PathBuf),
}

impl UiSource {
    /// Whether this source has an `index.html` to serve.
    pub fn is_present(&self) -> bool {
        match self {
            UiSource::Embedded => embedded_file("index.html").is_some(),
            UiSource::Dir(d) => d.join("index.html").is_file(),
        }
    }

    /// A short description for messages (`embedded` or the folder).
    pub fn describe(&self) -> String {
        match self {
            UiSource::Embedded => "the copy built into this binary".into(),
            UiSource::Dir(d) => d.display().to_string(),
        }
    }

    async fn read(&self, rel: &str) -> Option<Cow<'static, [u8]>> {
        match self {
            UiSource::Embedded => embedded_file(rel).map(Cow::Borrowed),
            UiSource::Dir(d) => {
                let p = d.join(rel);
                if !p.is_file() {
                    return None;
                }
                tokio::fs::read(p).await.ok().map(Cow::Owned)
            }
        }
    }
}

fn embedded_file(rel: &str) -> Option<&'static [u8]> {
    let files = embedded::FILES;
    files
        .binary_search_by(|(p, _)| (*p).cmp(rel))
        .ok()
        .and_then(|i| files.get(i))
        .map(|(_, b)| *b)
}

/// Whether this binary carries the UI (it was built after `npm run build`).
pub fn embedded_ui_present() -> bool {
    UiSource::Embedded.is_present()
}

/// The installed location for a binary at `exe`: `<prefix>/share/wxdesk/ui`
/// for `<prefix>/bin/wxdesk`.
pub fn installed_ui_dir(exe: &Path) -> Option<PathBuf> {
    let prefix = exe.parent()?.parent()?;
    Some(prefix.join("share/wxdesk/ui"))
}

/// The UI to serve: `explicit` when given, else the embedded copy when this
/// binary has one, else the installed location (which may be missing; the
/// server then says how to build the UI).
pub fn resolve_ui(explicit: Option<PathBuf>) -> UiSource {
    if let Some(dir) = explicit {
        return UiSource::Dir(dir);
    }
    if embedded_ui_present() {
        return UiSource::Embedded;
    }
    let installed = std::env::current_exe()
        .ok()
        .and_then(|exe| installed_ui_dir(&exe));
    match installed {
        Some(dir) => UiSource::Dir(dir),
        None => UiSource::Embedded,
    }
}

fn mime_for(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves a file of the UI; unknown paths get `index.html` (client-side routes).
pub(crate) async fn static_file(State(s): State<Arc<AppState>>, uri: Uri) -> Response {
    let rel = uri.path().trim_start_matches('/');
    let safe = !rel.contains('\\')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    let mut name = if rel.is_empty() || !safe {
        "index.html"
    } else {
        rel
    };
    let mut bytes = s.ui.read(name).await;
    if bytes.is_none() && name != "index.html" {
        name = "index.html";
        bytes = s.ui.read(name).await;
    }
    match bytes {
        Some(bytes) => {
            let cache = if name == "index.html" {
                "no-cache"
            } else {
                "public, max-age=31536000, immutable"
            };
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, mime_for(name)),
                    (header::CACHE_CONTROL, cache),
                ],
                match bytes {
                    Cow::Borrowed(b) => Body::from(b),
                    Cow::Owned(v) => Body::from(v),
                },
            )
                .into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!(
                "The wxdesk UI is not available ({} has no index.html).\n\
                 Build it with (cd ui && npm ci && npm run build) and rebuild wxdesk, or pass --ui-dir.\n\
                 The API at /api/op/{{name}} works regardless.",
                s.ui.describe()
            ),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_location_is_beside_the_binary() {
        assert_eq!(
            installed_ui_dir(Path::new("/usr/bin/wxdesk")),
            Some(PathBuf::from("/usr/share/wxdesk/ui"))
        );
    }

    #[test]
    fn an_explicit_folder_wins_and_no_build_path_is_used() {
        let d = PathBuf::from("/somewhere/dist");
        assert_eq!(resolve_ui(Some(d.clone())), UiSource::Dir(d));
        match resolve_ui(None) {
            UiSource::Embedded => assert!(embedded_ui_present()),
            UiSource::Dir(d) => {
                assert!(!embedded_ui_present());
                assert!(
                    d.ends_with("share/wxdesk/ui"),
                    "only the installed location: {d:?}"
                );
            }
        }
    }

    #[test]
    fn embedded_table_is_sorted_for_lookup() {
        let files = embedded::FILES;
        assert!(files.windows(2).all(|w| w[0].0 < w[1].0));
        if embedded_ui_present() {
            assert!(embedded_file("index.html").is_some_and(|b| !b.is_empty()));
        }
    }
}
