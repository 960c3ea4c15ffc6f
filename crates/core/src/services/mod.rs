//! Desk operations, one module per concept.
pub mod apps;
pub mod components;
pub mod settings;
pub mod transfer;
pub mod authorizers;
pub mod components_push;
pub mod fastregister;
pub mod links;
pub mod login;
pub mod tokens;
pub mod call_log;
pub mod quota;
