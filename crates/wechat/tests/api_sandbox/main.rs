//! Every typed call of the protocol crate against the offline sandbox:
//! success and the main errors, plus the retry rules and the consent-page
//! round trip of every link kind. One test binary, one module per concept.

mod common;
mod component;
mod links;
mod login;
mod retries;
