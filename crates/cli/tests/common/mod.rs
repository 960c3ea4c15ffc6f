//! Shared harness of the stateful CLI tests (from wxdesk-testkit): a sandbox
//! running in the test process, a temporary database, and the real `wxdesk`
//! binary run against both, with a transcript for leak checks.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::cli::*;
