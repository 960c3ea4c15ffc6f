//! The TypeScript generator behind `ops::typescript_bindings`: ts-rs
//! settings and the export of each table type's declaration into memory.
//!
//! Compiled only with the dev-only feature `bindings` (enabled by the core's
//! own dev-dependency on itself, i.e. by its tests), so no shipped binary
//! carries the generator; `tests/bindings.rs` checks that the checked-in
//! ui/src/api/generated is current.

/// ts-rs settings: JSON numbers are JavaScript numbers, so 64-bit integers
/// (Unix seconds and milliseconds, ids) are typed `number`, not `bigint`.
pub(super) fn ts_config() -> ts_rs::Config {
    ts_rs::Config::default().with_large_int("number")
}

/// Adds the declaration of `T` and of every type it uses to `files`.
pub(super) fn collect<T: ts_rs::TS + 'static>(
    files: &mut std::collections::BTreeMap<String, String>,
) -> std::result::Result<(), ts_rs::ExportError> {
    let dir =
        std::env::temp_dir().join(format!("wxdesk-ts-{}-{}", std::process::id(), files.len()));
    let _ = std::fs::remove_dir_all(&dir);
    let cfg = ts_config().with_out_dir(&dir);
    match T::export_all(&cfg) {
        Ok(()) => {}
        // Containers such as `Vec<T>` have no declaration of their own: export what they hold.
        Err(ts_rs::ExportError::CannotBeExported(_)) => {
            struct Exporter<'a> {
                cfg: &'a ts_rs::Config,
                err: Option<ts_rs::ExportError>,
            }
            impl ts_rs::TypeVisitor for Exporter<'_> {
                fn visit<U: ts_rs::TS + 'static + ?Sized>(&mut self) {
                    if self.err.is_none() {
                        if let Err(e) = U::export_all(self.cfg) {
                            self.err = Some(e);
                        }
                    }
                }
            }
            let mut v = Exporter {
                cfg: &cfg,
                err: None,
            };
            T::visit_generics(&mut v);
            if let Some(e) = v.err {
                return Err(e);
            }
        }
        Err(e) => return Err(e),
    }
    walk(&dir, &dir, files);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn walk(
    root: &std::path::Path,
    dir: &std::path::Path,
    files: &mut std::collections::BTreeMap<String, String>,
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, files);
        } else if let (Ok(rel), Ok(text)) = (p.strip_prefix(root), std::fs::read_to_string(&p)) {
            files.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
}
