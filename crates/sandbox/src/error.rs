//! Errors of the sandbox's own control surface (hooks), not of WeChat.
//!
//! Emulated WeChat endpoints answer with WeChat error JSON (see [`crate::wx`]);
//! this type is for the Rust hook API and the `/__sandbox/` HTTP hooks, where a
//! test asked for something impossible (an unknown component, a task that
//! does not exist). Every message names the offending value and the fix.

/// A hook could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SandboxError {
    /// The component appid has not been added.
    #[error("unknown component_appid {0}: add the platform first (SandboxHandle::add_component or POST /__sandbox/components)")]
    UnknownComponent(String),
    /// The account has no active authorization of the component.
    #[error("{authorizer_appid} has no active authorization of component {component_appid}: authorize it first (SandboxHandle::authorize or POST /__sandbox/authorize)")]
    NotAuthorized {
        /// The component appid.
        component_appid: String,
        /// The authorizer appid.
        authorizer_appid: String,
    },
    /// No fast-registration task has this key.
    #[error("no {kind} fast-registration task with key {key}: use the name (enterprise), taskid (personal) or unique_id (beta) returned when it was created")]
    UnknownTask {
        /// `enterprise`, `personal` or `beta`.
        kind: String,
        /// The key that was looked up.
        key: String,
    },
    /// A field of the request is invalid.
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The field name.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl SandboxError {
    /// Builds [`SandboxError::InvalidInput`].
    pub(crate) fn invalid(field: &str, reason: impl Into<String>) -> Self {
        SandboxError::InvalidInput {
            field: field.to_string(),
            reason: reason.into(),
        }
    }
}
