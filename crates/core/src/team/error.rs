//! What can go wrong with a shared token store, each case naming the Redis key.
//!
//! Team mode fails in ways an operator must be able to act on without reading
//! code: the store is down, the production server never wrote the key, the
//! value is in another peer's format, another wxdesk holds the lock, or this
//! process lost a race. Every variant carries the key and a stable code, and
//! never the value (it is a secret).

/// A team-mode failure. Becomes `Error::Team` in the core.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// The Redis URL is malformed.
    #[error("redis URL: {0}")]
    BadUrl(String),
    /// Redis could not be reached or answered with an error.
    #[error("Redis at {at} is unreachable: {reason}")]
    Unreachable {
        /// host:port/db (never the password).
        at: String,
        /// What failed.
        reason: String,
    },
    /// A command failed on a reachable Redis (e.g. NOAUTH, WRONGTYPE on a key).
    #[error("Redis refused {command} on {key}: {reason}")]
    Command {
        /// The command.
        command: &'static str,
        /// The key.
        key: String,
        /// Redis's answer.
        reason: String,
    },
    /// The key does not exist.
    #[error("{what} is not in Redis: key {key} is missing ({layout} layout); {expected}")]
    Missing {
        /// The credential.
        what: &'static str,
        /// The key.
        key: String,
        /// The layout.
        layout: String,
        /// What the production server should have written.
        expected: String,
    },
    /// The value exists but is not in this layout's format.
    #[error("{key} is unreadable by the {layout} layout: {reason}")]
    Unreadable {
        /// The key.
        key: String,
        /// The layout.
        layout: String,
        /// Why.
        reason: String,
    },
    /// The layout has no key for this credential.
    #[error("{0}")]
    NoSuchKey(String),
    /// A write was attempted through a read-only binding.
    #[error("the binding is read-only: wxdesk never writes {key}; bind with --mode read-write to make wxdesk the refresher")]
    ReadOnly {
        /// The key that would have been written.
        key: String,
    },
    /// A write carried a generation older than the store's.
    #[error("stale write refused on {key}: generation {mine} is older than {current} (another wxdesk refreshed it)")]
    StaleGeneration {
        /// The key.
        key: String,
        /// The writer's generation.
        mine: i64,
        /// The store's generation.
        current: i64,
    },
    /// The refresh lock is held by another process.
    #[error("the refresh lock {key} is held by another process")]
    Locked {
        /// The lock key.
        key: String,
    },
}

impl TeamError {
    /// The stable code scripts and the UI switch on (the one mapping is
    /// [`crate::ErrorCode::of_team`]).
    pub fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::of_team(self)
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            TeamError::BadUrl(_) => "use redis://[:PASSWORD@]HOST:PORT[/DB], or rediss:// for TLS".into(),
            TeamError::Unreachable { .. } => "check that Redis is running and reachable from this machine, and the password in the URL (`wxdesk team bind … --redis URL` replaces it)".into(),
            TeamError::Command { .. } => "check the password and that the key holds a string; `wxdesk team show` lists the keys of this binding".into(),
            TeamError::Missing { .. } => "wxdesk in read-only team mode never mints tokens: make the production server write the key (it does on its next refresh), or check the layout and --prefix with `wxdesk team show`".into(),
            TeamError::Unreadable { .. } => "the key holds another format: check --layout (and --prefix) against the production server's configuration; in read-only mode wxdesk never overwrites it".into(),
            TeamError::NoSuchKey(_) => "choose the layout the production server uses for this kind of account".into(),
            TeamError::ReadOnly { .. } => "the production server refreshes the tokens; wxdesk only reads them".into(),
            TeamError::StaleGeneration { .. } | TeamError::Locked { .. } => "another wxdesk process refreshed the token: read it again".into(),
        })
    }
}
