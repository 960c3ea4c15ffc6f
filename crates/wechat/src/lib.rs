//! WeChat Mini Program and Open Platform third-party platform ("component") protocol.
//!
//! This crate speaks WeChat's server APIs and nothing else: typed calls
//! ([`api`]), the one [`Error`] type, the crypto of open data and pushes
//! ([`crypto`], [`push_message`]), authorization links ([`links`]), QR
//! rendering ([`qr`]) and the error-code catalogue ([`catalogue`]). It knows
//! nothing of storage, Tauri or any UI. The base URLs in [`Bases`] are its only
//! seam: tests point them at the offline sandbox.

pub mod api;
mod body_cap;
pub mod catalogue;
pub mod client;
pub mod crypto;
pub mod error;
pub mod html;
pub mod lenient;
pub mod links;
pub mod push_message;
pub mod qr;
pub mod redact;
pub mod redacted_debug;
pub mod team_layout;

pub use client::{
    Bases, BinaryBody, CallObserver, CallRecord, Client, ClientConfig, RetryPolicy, Upload,
};
pub use error::{CryptoError, Error, Result};
