//! The wxdesk product core: state, secrets, tokens and every operation.
//!
//! It builds on the protocol crate (`wxdesk-wechat`) and adds what a protocol
//! library cannot know: where accounts and tokens are kept ([`store`]), how
//! secrets are protected at rest ([`vault`]), how tokens are shared without
//! stampedes ([`token_types`]), what was called and what came back
//! ([`call_recorder`], [`store::call_log`]), and the operations themselves as
//! methods of [`Desk`] in [`services`]. Nothing here depends on Tauri.

pub mod call_recorder;
pub mod clock;
pub mod desk;
pub mod env;
pub mod error;
pub mod files;
pub mod ops;
mod redacted_debug;
pub mod services;
pub mod single_flight;
pub mod store;
pub mod team;
pub mod token_types;
pub mod vault;

pub use desk::{default_db_path, Desk, DeskOptions};
pub use env::Environment;
pub use error::{Error, ErrorBody, ErrorCode, Result};
