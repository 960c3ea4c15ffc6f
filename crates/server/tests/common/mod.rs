//! Shared helpers of the browser-mode tests (from wxdesk-testkit): a server
//! on a fresh database with a tiny UI folder, a client that never follows
//! redirects, and the login exchange as a browser does it.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::server::*;
