//! Desk operations, one module per concept.
pub mod apps;
pub mod components;
pub mod settings;
