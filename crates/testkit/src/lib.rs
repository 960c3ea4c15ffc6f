//! Fixtures the wxdesk tests share, so each crate's tests stop repeating
//! them: identifiers in WeChat's real shapes ([`ids`]), a sandbox with desks
//! and runtimes on a temporary database ([`desk`]), accounts seeded straight
//! into the store ([`seed`]), the onboarding set-up that goes through pushes
//! ([`push_env`]), a scripted HTTP peer ([`scripted`]), a real redis
//! ([`redis`]), the `wxdesk` binary runner ([`cli`]) with its leak checks
//! ([`leaks`]), the browser-mode server ([`server`], feature `server`), and
//! requests sent for their JSON answer ([`http`]).
//!
//! Dev-only: crates list it under `[dev-dependencies]`, never as a normal
//! dependency, and it is not published. Each crate's `tests/common/mod.rs`
//! re-exports the part it uses, so tests keep writing `common::...`.
//! Fixtures panic on set-up failures: they run only inside tests.

pub mod cli;
pub mod desk;
pub mod http;
pub mod ids;
pub mod leaks;
pub mod push_env;
pub mod redis;
pub mod scripted;
pub mod seed;
#[cfg(feature = "server")]
pub mod server;
