//! The shared fixtures of the core's tests, from the dev-only crate
//! wxdesk-testkit: a sandbox, desks and runtimes on a temporary database
//! pointed at it, accounts seeded straight into the store, a scripted HTTP
//! peer, and (`common::redis`) a real redis-server.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::desk::*;
pub use wxdesk_testkit::ids::*;
pub use wxdesk_testkit::scripted::*;
pub use wxdesk_testkit::seed::*;

pub mod redis {
    //! A real redis-server (see wxdesk_testkit::redis).
    pub use wxdesk_testkit::redis::*;
}

/// SQLite's plan for `sql` with `params` (the `detail` column of
/// `EXPLAIN QUERY PLAN`), for the tests that prove a query walks an index.
pub fn query_plan(
    desk: &wxdesk_core::Desk,
    sql: &str,
    params: &[rusqlite::types::Value],
) -> Vec<String> {
    desk.store()
        .read(|c| {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = st
                .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    r.get::<_, String>(3)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}
