//! Integration tests of the sandbox, driven over real HTTP with reqwest.
//!
//! One test binary (with one module per concept) keeps link time down on
//! small machines.

mod codes;
mod common;
mod component;
mod fastregister;
mod faults;
mod guard;
mod hooks;
mod open_data;
mod pages;
mod pushes;
mod rid;
mod tokens;
mod wxa;
