//! [`TeamStore`]: reading and writing one account's credentials in a shared
//! Redis, in a peer's layout, under the binding's mode.
//!
//! This is the API the token manager calls. Reads never write (read-only is the
//! default, and wxdesk must never replace what the production server holds);
//! a missing key or a value in another format is an error naming the key,
//! never a reason to mint. Writes exist only in read-write mode, and go through
//! a fenced lock ([`super::lock`]) so that one process refreshes per round.

use wxdesk_wechat::team_layout::{Codec, Layout, LayoutError, Slot};
use zeroize::Zeroizing;

use super::client::{Fetched, Redis, RedisUrl};
use super::error::TeamError;
use super::lock::Guard;

/// Read-only (the production server refreshes) or read-write (wxdesk does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// wxdesk only reads.
    ReadOnly,
    /// wxdesk is the central refresher and writes in the layout.
    ReadWrite,
}

impl Mode {
    /// `read-only` / `read-write`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Mode::ReadOnly => "read-only",
            Mode::ReadWrite => "read-write",
        }
    }

    /// Parses `read-only` / `read-write`.
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim() {
            "read-only" => Some(Mode::ReadOnly),
            "read-write" => Some(Mode::ReadWrite),
            _ => None,
        }
    }
}

/// How an account is bound: which layout, prefix, codec and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// The peer's key layout.
    pub layout: Layout,
    /// The key prefix (`None`: the layout's default).
    pub prefix: Option<String>,
    /// The value codec.
    pub codec: Codec,
    /// Read-only or read-write.
    pub mode: Mode,
}

impl StoreConfig {
    /// The layout's defaults for prefix and codec.
    pub fn new(layout: Layout, mode: Mode) -> StoreConfig {
        StoreConfig {
            layout,
            prefix: None,
            codec: layout.default_codec(),
            mode,
        }
    }
}

/// A credential read from Redis. `Debug` never shows the value.
#[derive(Clone)]
pub struct TeamToken {
    /// The decoded value.
    pub value: Zeroizing<String>,
    /// Seconds left (None: the key never expires).
    pub ttl: Option<i64>,
    /// The Redis key.
    pub key: String,
    /// The layout it was read with.
    pub layout: Layout,
}

impl std::fmt::Debug for TeamToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamToken")
            .field("value", &"<redacted>")
            .field("ttl", &self.ttl)
            .field("key", &self.key)
            .field("layout", &self.layout)
            .finish()
    }
}

impl TeamToken {
    /// "Redis, wxjava-open layout, TTL 6,900 s" — the source line of the token panel.
    pub fn source(&self) -> String {
        source_line(self.layout, self.ttl)
    }
}

/// "Redis, {layout} layout, TTL 6,900 s" / "…, no TTL".
pub fn source_line(layout: Layout, ttl: Option<i64>) -> String {
    match ttl {
        Some(t) => format!("Redis, {layout} layout, TTL {} s", thousands(t)),
        None => format!("Redis, {layout} layout, no TTL"),
    }
}

fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// What the production server does that writes a credential, for "missing key" errors.
fn written_when(slot: Slot<'_>) -> &'static str {
    match slot {
        Slot::Ticket { .. } => "when it receives WeChat's component_verify_ticket push (every 10 minutes)",
        Slot::ComponentToken { .. } => "when it fetches a component_access_token (api_component_token)",
        Slot::AuthorizerToken { .. } => "when it refreshes the authorizer's token (api_authorizer_token) or an authorization completes",
        Slot::RefreshToken { .. } => "when a merchant authorizes the platform (api_query_auth)",
        Slot::AppToken { .. } | Slot::StableAppToken { .. } => "when it fetches the mini program's access_token",
    }
}

/// One account's credentials in a shared Redis.
#[derive(Debug, Clone)]
pub struct TeamStore {
    pub(super) redis: Redis,
    pub(super) config: StoreConfig,
}

impl TeamStore {
    /// Connects (PING) and binds to a layout.
    pub async fn connect(url: &RedisUrl, config: StoreConfig) -> Result<TeamStore, TeamError> {
        Ok(TeamStore {
            redis: Redis::connect(url).await?,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &StoreConfig {
        &self.config
    }

    /// The connection.
    pub fn redis(&self) -> &Redis {
        &self.redis
    }

    /// The Redis key of `slot` in this binding's layout and prefix.
    pub fn key(&self, slot: Slot<'_>) -> Result<String, TeamError> {
        self.config
            .layout
            .key(self.config.prefix.as_deref(), slot)
            .map_err(|e| TeamError::NoSuchKey(e.to_string()))
    }

    /// Reads `slot`: `GET` and `TTL`, nothing else.
    pub async fn read(&self, slot: Slot<'_>) -> Result<TeamToken, TeamError> {
        let key = self.key(slot)?;
        let layout = self.config.layout;
        let (raw, ttl) = match self.redis.get_with_ttl(&key).await? {
            Fetched::Value(raw, ttl) => (raw, ttl),
            Fetched::NotAString(_) => {
                return Err(TeamError::Unreadable {
                    key,
                    layout: layout.to_string(),
                    reason: "the key is not a string (a hash or list: another library's format)"
                        .into(),
                })
            }
            Fetched::Missing => {
                return Err(TeamError::Missing {
                    what: slot.what(),
                    layout: layout.to_string(),
                    expected: format!("the production server writes it {}", written_when(slot)),
                    key,
                })
            }
        };
        let value = self
            .config
            .codec
            .decode(&raw)
            .map_err(|e| TeamError::Unreadable {
                key: key.clone(),
                layout: layout.to_string(),
                reason: match e {
                    LayoutError::Unreadable(r) => r,
                    other => other.to_string(),
                },
            })?;
        Ok(TeamToken {
            value: Zeroizing::new(value),
            ttl,
            key,
            layout,
        })
    }

    /// The platform's component_verify_ticket.
    pub async fn read_ticket(&self, component: &str) -> Result<TeamToken, TeamError> {
        self.read(Slot::Ticket { component }).await
    }

    /// The platform's component_access_token.
    pub async fn read_component_token(&self, component: &str) -> Result<TeamToken, TeamError> {
        self.read(Slot::ComponentToken { component }).await
    }

    /// An authorizer's authorizer_access_token.
    pub async fn read_authorizer_token(
        &self,
        component: &str,
        authorizer: &str,
    ) -> Result<TeamToken, TeamError> {
        self.read(Slot::AuthorizerToken {
            component,
            authorizer,
        })
        .await
    }

    /// An authorizer's authorizer_refresh_token.
    pub async fn read_refresh_token(
        &self,
        component: &str,
        authorizer: &str,
    ) -> Result<TeamToken, TeamError> {
        self.read(Slot::RefreshToken {
            component,
            authorizer,
        })
        .await
    }

    /// A mini program's own access_token.
    pub async fn read_app_token(&self, appid: &str) -> Result<TeamToken, TeamError> {
        self.read(Slot::AppToken { appid }).await
    }

    /// Writes `value` for `slot` in the layout, with its TTL convention, fenced by
    /// `guard`'s generation: refused when another process took the lock since.
    /// Read-write mode only.
    pub async fn write(
        &self,
        guard: &Guard,
        slot: Slot<'_>,
        value: &str,
        expires_in: u64,
    ) -> Result<(), TeamError> {
        let key = self.key(slot)?;
        if self.config.mode != Mode::ReadWrite {
            return Err(TeamError::ReadOnly { key });
        }
        let writes = self
            .config
            .layout
            .writes(
                self.config.prefix.as_deref(),
                self.config.codec,
                slot,
                value,
                expires_in,
                crate::store::now(),
            )
            .map_err(|e| TeamError::NoSuchKey(e.to_string()))?;
        guard.fenced_set(&self.redis, &key, &writes).await
    }

    /// Writes the platform's ticket (e.g. `receive` in read-write mode).
    pub async fn write_ticket(
        &self,
        guard: &Guard,
        component: &str,
        ticket: &str,
    ) -> Result<(), TeamError> {
        self.write(guard, Slot::Ticket { component }, ticket, 12 * 3600)
            .await
    }

    /// Writes the component_access_token.
    pub async fn write_component_token(
        &self,
        guard: &Guard,
        component: &str,
        token: &str,
        expires_in: u64,
    ) -> Result<(), TeamError> {
        self.write(guard, Slot::ComponentToken { component }, token, expires_in)
            .await
    }

    /// Writes an authorizer_access_token.
    pub async fn write_authorizer_token(
        &self,
        guard: &Guard,
        component: &str,
        authorizer: &str,
        token: &str,
        expires_in: u64,
    ) -> Result<(), TeamError> {
        let slot = Slot::AuthorizerToken {
            component,
            authorizer,
        };
        self.write(guard, slot, token, expires_in).await
    }

    /// Writes an authorizer_refresh_token.
    pub async fn write_refresh_token(
        &self,
        guard: &Guard,
        component: &str,
        authorizer: &str,
        token: &str,
    ) -> Result<(), TeamError> {
        let slot = Slot::RefreshToken {
            component,
            authorizer,
        };
        self.write(guard, slot, token, 0).await
    }

    /// Writes a mini program's access_token.
    pub async fn write_app_token(
        &self,
        guard: &Guard,
        appid: &str,
        token: &str,
        expires_in: u64,
    ) -> Result<(), TeamError> {
        self.write(guard, Slot::AppToken { appid }, token, expires_in)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_line_groups_thousands() {
        assert_eq!(
            source_line(Layout::WxjavaOpen, Some(6900)),
            "Redis, wxjava-open layout, TTL 6,900 s"
        );
        assert_eq!(
            source_line(Layout::Wechatpy, None),
            "Redis, wechatpy layout, no TTL"
        );
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }
}
