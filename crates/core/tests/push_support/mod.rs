//! Shared set-up of the onboarding and login tests (from wxdesk-testkit): a
//! sandbox, a desk on a temporary database pointed at it, and platforms/apps
//! registered on both.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::push_env::open_desk_in as open_desk;
pub use wxdesk_testkit::push_env::*;
