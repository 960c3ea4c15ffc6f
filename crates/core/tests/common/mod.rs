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
