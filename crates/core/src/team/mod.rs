//! Team mode: a platform or mini program bound to a shared token store on
//! Redis, in the key layout of the production server that already uses it.
//!
//! Without it, wxdesk and a production server (WxJava, silenceper/wechat,
//! wechatpy, …) serving the same platform each mint tokens, and each new token
//! invalidates the other's. With a binding, one side refreshes and every other
//! consumer reads: in **read-only** mode (the default) wxdesk only reads the
//! ticket and tokens the server wrote; in **read-write** mode wxdesk is the
//! refresher and writes in the server's layout, under a fenced lock.
//!
//! - [`client`]: the Redis connection (URL with password / `rediss://`, timeouts);
//! - [`store`]: [`TeamStore`], the read/write API the token manager calls;
//! - [`lock`]: the owner-only lock with its fencing generation;
//! - [`bindings`]: the `team_bindings` table (URL sealed in the vault);
//! - [`service`]: the `team bind|show|unbind` operations of the desk.
//!
//! The key formats, codecs and TTL conventions of each layout are in
//! [`wxdesk_wechat::team_layout`], shared with the sandbox.

pub mod bindings;
pub mod client;
pub mod error;
pub mod lock;
pub mod service;
pub mod store;

pub use bindings::Kind;
pub use client::{Redis, RedisUrl};
pub use error::TeamError;
pub use lock::Guard;
pub use store::{source_line, Mode, StoreConfig, TeamStore, TeamToken};
pub use wxdesk_wechat::team_layout::{Codec, Layout, Slot};
