//! Shared harness of the stateful CLI tests (from wxdesk-testkit): a sandbox
//! running in the test process, a temporary database, and the real `wxdesk`
//! binary run against both, with a transcript for leak checks.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::cli::*;

/// `wxdesk component ticket push COMPONENT --query QUERY --json` with `body`
/// on stdin: a push delivered the way WeChat's callback would deliver it.
pub fn deliver_push(w: &World, component: &str, query: &str, body: &str) -> Run {
    w.run_with(
        &[
            "component",
            "ticket",
            "push",
            component,
            "--query",
            query,
            "--json",
        ],
        Some(body),
    )
}
