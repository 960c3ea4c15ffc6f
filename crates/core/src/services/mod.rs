//! Desk operations, one module per concept.
pub mod apps;
pub mod authorizers;
pub mod authorizers_bulk;
pub mod call_log;
pub mod components;
pub mod components_push;
pub mod dashboard;
pub mod fastregister;
pub mod inbox;
pub mod links;
pub mod login;
pub mod profiles;
pub mod quota;
pub mod rid;
pub mod settings;
mod token_fetch;
pub mod token_status;
mod token_team;
pub mod tokens;
pub mod transfer;
pub mod via;
pub mod wxa_audit;
pub mod wxa_code;
pub mod wxa_release;
pub mod wxa_state;
pub mod wxa_templates;

pub use token_team::TeamOrigin;
