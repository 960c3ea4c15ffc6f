//! Where the production servers keep WeChat tokens in Redis: the peers' key
//! layouts, value codecs and TTL conventions, as pure functions.
//!
//! Team mode lets wxdesk share one token store with a production server
//! instead of minting tokens that replace the server's (the peers' known
//! "two refreshers take turns invalidating each other" failure). That only
//! works when wxdesk reads and writes *exactly* the keys, encodings and TTLs
//! the server uses. Both the core (the real store) and the sandbox (which can
//! play the production server) need these definitions, so they live here,
//! without I/O.
//!
//! Exact formats, from each peer's source (`{c}` component appid, `{a}`
//! authorizer appid, `{appid}` a mini program's own appid, `ei` = `expires_in`):
//!
//! - **`wxjava-open`** — WxJava `weixin-java-open`, `AbstractWxOpenInRedisConfigStorage`
//!   (constants `wechat_component_verify_ticket:` …, `setComponentAppId` builds the keys,
//!   `getKey(prefix, appId)` appends `:{a}`) and `WxOpenInRedisConfigStorage` (TTLs):
//!   - `{p}wechat_component_verify_ticket:{c}` — `setValue(.., Integer.MAX_VALUE, SECONDS)`: TTL 2147483647 s;
//!   - `{p}wechat_component_access_token:{c}` — TTL `ei − 200`;
//!   - `{p}wechat_authorizer_access_token:{c}:{a}` — TTL `ei − 200`;
//!   - `{p}wechat_authorizer_refresh_token:{c}:{a}` — `setValue(.., 0, ..)`: no TTL;
//!   - `{p}` is empty, or the prefix with a `:` appended unless it already ends with one
//!     (the Spring starter's `keyPrefix` default is `wx:open`). Plain strings (`JedisWxRedisOps`,
//!     `RedisTemplateWxRedisOps` over a `StringRedisTemplate`).
//! - **`wxjava-ma`** — `WxMaRedisBetterConfigImpl`: `ACCESS_TOKEN_KEY_TPL = "%s:access_token:%s"`
//!   → `{prefix}:access_token:{appid}`, TTL `ei − 200`, plain string; the starter's `keyPrefix`
//!   default is `wa`. (The older `WxMaRedisConfigImpl` keeps a hash `maConfig:{id}:…` with an
//!   `expire` field; a hash under the key reads as "unreadable by this layout".)
//! - **`silenceper`** — silenceper/wechat v2: `credential/default_access_token.go`
//!   (`fmt.Sprintf("%s_access_token_%s", prefix, appID)` with `CacheKeyMiniProgramPrefix =
//!   "gowechat_miniprogram_"`, hence two underscores; TTL `ei − 1500`; the stable token
//!   `"%s_stable_access_token_%s"`, TTL `ei − 300`), `openplatform/context/accessToken.go`
//!   (`component_access_token_{c}`, TTL `ei − 1500`; `authorizer_access_token_{a}`, TTL `ei − 30`),
//!   and `authorizer_refresh_token_{a}` (written by `QueryAuthCode` in the v2 line that keeps it,
//!   `time.Hour*24`). `cache/redis.go` stores raw strings with `SETEX`. The SDK keeps no ticket in
//!   Redis (the caller passes it to `SetComponentAccessToken`), so this layout has no ticket key.
//!   The prefix option replaces `gowechat_miniprogram_` (the mini program keys only).
//! - **`wechatpy`** — `session/redisstorage.py` (`key_name` = `f"{prefix}:{key}"`, prefix
//!   default `wechatpy`, values `json.dumps`-ed, so a token is stored as `"TOKEN"` with the
//!   quotes, `set(.., ex=ttl)`), `client/base.py` (`{appid}_access_token` with TTL `ei`, and
//!   `{appid}_access_token_expires_at`, a JSON integer, no TTL), `component.py`
//!   (`{c}_component_verify_ticket` no TTL, `{c}_component_access_token` TTL `ei`) and
//!   `client/__init__.py` (`{a}_access_token` TTL `ei`, `{a}_refresh_token` no TTL).
//! - **`wxdesk`** — ours, for when wxdesk is the central token server. Prefix default `wxdesk`:
//!   `{prefix}:ticket:{c}` (TTL 43200 s, a ticket's 12 h), `{prefix}:component_token:{c}`,
//!   `{prefix}:authorizer_token:{c}:{a}`, `{prefix}:app_token:{appid}` (TTL `ei − 300`, so a
//!   reader always has five minutes' grace) and `{prefix}:refresh_token:{c}:{a}` (no TTL).
//!   Raw strings. Every key carries the component, so two platforms never share an
//!   authorizer's key.
//!
//! wxdesk's own coordination keys (any layout) sit beside the data key and are never read by a
//! peer: `{key}:wxdesk_lock` (the refresh lock) and `{key}:wxdesk_gen` (the fencing generation).

use std::fmt;

/// A peer's key layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layout {
    /// WxJava `weixin-java-open` (`WxOpenInRedisConfigStorage`).
    WxjavaOpen,
    /// WxJava `weixin-java-miniapp` (`WxMaRedisBetterConfigImpl`).
    WxjavaMa,
    /// silenceper/wechat v2.
    Silenceper,
    /// wechatpy's `RedisStorage`.
    Wechatpy,
    /// wxdesk's own layout.
    Wxdesk,
}

/// Every layout, in the order the CLI lists them.
pub const LAYOUTS: [Layout; 5] = [
    Layout::WxjavaOpen,
    Layout::WxjavaMa,
    Layout::Silenceper,
    Layout::Wechatpy,
    Layout::Wxdesk,
];

/// How a value is encoded in Redis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// The token as is.
    Raw,
    /// A JSON string: `"TOKEN"` with the quotes (wechatpy's `json.dumps`).
    Json,
}

/// Which credential a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot<'a> {
    /// A platform's `component_verify_ticket`.
    Ticket {
        /// Component appid.
        component: &'a str,
    },
    /// A platform's `component_access_token`.
    ComponentToken {
        /// Component appid.
        component: &'a str,
    },
    /// An authorizer's `authorizer_access_token`.
    AuthorizerToken {
        /// Component appid.
        component: &'a str,
        /// Authorizer appid.
        authorizer: &'a str,
    },
    /// An authorizer's `authorizer_refresh_token`.
    RefreshToken {
        /// Component appid.
        component: &'a str,
        /// Authorizer appid.
        authorizer: &'a str,
    },
    /// A mini program's own `cgi-bin/token` access token.
    AppToken {
        /// The mini program's appid.
        appid: &'a str,
    },
    /// A mini program's `cgi-bin/stable_token` access token (silenceper keeps it apart).
    StableAppToken {
        /// The mini program's appid.
        appid: &'a str,
    },
}

impl Slot<'_> {
    /// A short name for messages ("component_access_token").
    pub fn what(&self) -> &'static str {
        match self {
            Slot::Ticket { .. } => "component_verify_ticket",
            Slot::ComponentToken { .. } => "component_access_token",
            Slot::AuthorizerToken { .. } => "authorizer_access_token",
            Slot::RefreshToken { .. } => "authorizer_refresh_token",
            Slot::AppToken { .. } => "access_token",
            Slot::StableAppToken { .. } => "stable access_token",
        }
    }
}

/// How long a written key lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ttl {
    /// `SET key value EX n`.
    Seconds(u64),
    /// `SET key value` with no expiry.
    Persist,
}

/// One `SET` the layout makes for a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyWrite {
    /// The Redis key.
    pub key: String,
    /// The encoded value.
    pub value: String,
    /// Its expiry.
    pub ttl: Ttl,
}

/// A layout cannot do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    /// The layout name is unknown.
    #[error(
        "unknown layout {0:?}; use one of wxjava-open, wxjava-ma, silenceper, wechatpy, wxdesk"
    )]
    Unknown(String),
    /// The layout keeps no such credential in Redis.
    #[error("the {layout} layout keeps no {what} in Redis{why}")]
    NoSuchKey {
        /// The layout.
        layout: Layout,
        /// The credential.
        what: &'static str,
        /// Why, when it helps (" (…)").
        why: &'static str,
    },
    /// The value under the key is not what the layout writes.
    #[error("unreadable by this layout: {0}")]
    Unreadable(String),
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Layout {
    type Err = LayoutError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LAYOUTS
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| LayoutError::Unknown(s.to_string()))
    }
}

/// The TTL a peer computes as `expires_in − margin`, never below one second.
fn minus(expires_in: u64, margin: u64) -> Ttl {
    Ttl::Seconds(expires_in.saturating_sub(margin).max(1))
}

impl Layout {
    /// The name used in flags and stored bindings.
    pub fn as_str(&self) -> &'static str {
        match self {
            Layout::WxjavaOpen => "wxjava-open",
            Layout::WxjavaMa => "wxjava-ma",
            Layout::Silenceper => "silenceper",
            Layout::Wechatpy => "wechatpy",
            Layout::Wxdesk => "wxdesk",
        }
    }

    /// The prefix the peer uses when none is configured (`None`: no prefix).
    pub fn default_prefix(&self) -> Option<&'static str> {
        match self {
            Layout::WxjavaOpen => None,
            Layout::WxjavaMa => Some("wa"),
            Layout::Silenceper => Some("gowechat_miniprogram_"),
            Layout::Wechatpy => Some("wechatpy"),
            Layout::Wxdesk => Some("wxdesk"),
        }
    }

    /// The value codec the peer uses.
    pub fn default_codec(&self) -> Codec {
        match self {
            Layout::Wechatpy => Codec::Json,
            _ => Codec::Raw,
        }
    }

    /// The Redis key of `slot`, with `prefix` (or the peer's default when `None` or blank).
    pub fn key(&self, prefix: Option<&str>, slot: Slot<'_>) -> Result<String, LayoutError> {
        let prefix = prefix
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .or(self.default_prefix());
        let none = |why: &'static str| LayoutError::NoSuchKey {
            layout: *self,
            what: slot.what(),
            why,
        };
        Ok(match self {
            Layout::WxjavaOpen => {
                let p = match prefix {
                    None => String::new(),
                    Some(p) if p.ends_with(':') => p.to_string(),
                    Some(p) => format!("{p}:"),
                };
                match slot {
                    Slot::Ticket { component } => {
                        format!("{p}wechat_component_verify_ticket:{component}")
                    }
                    Slot::ComponentToken { component } => {
                        format!("{p}wechat_component_access_token:{component}")
                    }
                    Slot::AuthorizerToken {
                        component,
                        authorizer,
                    } => format!("{p}wechat_authorizer_access_token:{component}:{authorizer}"),
                    Slot::RefreshToken {
                        component,
                        authorizer,
                    } => format!("{p}wechat_authorizer_refresh_token:{component}:{authorizer}"),
                    Slot::AppToken { .. } | Slot::StableAppToken { .. } => {
                        return Err(none(" (a mini program's own token is the wxjava-ma layout)"))
                    }
                }
            }
            Layout::WxjavaMa => match slot {
                Slot::AppToken { appid } => {
                    format!("{}:access_token:{appid}", prefix.unwrap_or("wa"))
                }
                _ => return Err(none(" (it holds mini program tokens only; a platform's keys are the wxjava-open layout)")),
            },
            Layout::Silenceper => match slot {
                Slot::AppToken { appid } => format!(
                    "{}_access_token_{appid}",
                    prefix.unwrap_or("gowechat_miniprogram_")
                ),
                Slot::StableAppToken { appid } => format!(
                    "{}_stable_access_token_{appid}",
                    prefix.unwrap_or("gowechat_miniprogram_")
                ),
                Slot::ComponentToken { component } => format!("component_access_token_{component}"),
                Slot::AuthorizerToken { authorizer, .. } => {
                    format!("authorizer_access_token_{authorizer}")
                }
                Slot::RefreshToken { authorizer, .. } => {
                    format!("authorizer_refresh_token_{authorizer}")
                }
                Slot::Ticket { .. } => {
                    return Err(none(
                        " (the SDK is handed the ticket by the caller; paste it or run `wxdesk receive`)",
                    ))
                }
            },
            Layout::Wechatpy => {
                let p = prefix.unwrap_or("wechatpy");
                match slot {
                    Slot::Ticket { component } => format!("{p}:{component}_component_verify_ticket"),
                    Slot::ComponentToken { component } => {
                        format!("{p}:{component}_component_access_token")
                    }
                    Slot::AuthorizerToken { authorizer, .. } => {
                        format!("{p}:{authorizer}_access_token")
                    }
                    Slot::RefreshToken { authorizer, .. } => {
                        format!("{p}:{authorizer}_refresh_token")
                    }
                    Slot::AppToken { appid } => format!("{p}:{appid}_access_token"),
                    Slot::StableAppToken { .. } => {
                        return Err(none(" (wechatpy keeps one access_token per appid)"))
                    }
                }
            }
            Layout::Wxdesk => {
                let p = prefix.unwrap_or("wxdesk");
                match slot {
                    Slot::Ticket { component } => format!("{p}:ticket:{component}"),
                    Slot::ComponentToken { component } => format!("{p}:component_token:{component}"),
                    Slot::AuthorizerToken {
                        component,
                        authorizer,
                    } => format!("{p}:authorizer_token:{component}:{authorizer}"),
                    Slot::RefreshToken {
                        component,
                        authorizer,
                    } => format!("{p}:refresh_token:{component}:{authorizer}"),
                    Slot::AppToken { appid } => format!("{p}:app_token:{appid}"),
                    Slot::StableAppToken { .. } => {
                        return Err(none(" (wxdesk keeps one access_token per appid)"))
                    }
                }
            }
        })
    }

    /// The TTL the peer gives `slot` for a credential valid `expires_in` seconds
    /// (ignored for tickets and refresh tokens, whose TTL is fixed).
    pub fn ttl(&self, slot: Slot<'_>, expires_in: u64) -> Ttl {
        match (self, slot) {
            (Layout::WxjavaOpen, Slot::Ticket { .. }) => Ttl::Seconds(i32::MAX as u64),
            (_, Slot::RefreshToken { .. }) if *self != Layout::Silenceper => Ttl::Persist,
            (Layout::Silenceper, Slot::RefreshToken { .. }) => Ttl::Seconds(24 * 3600),
            (Layout::WxjavaOpen | Layout::WxjavaMa, _) => minus(expires_in, 200),
            (Layout::Silenceper, Slot::AuthorizerToken { .. }) => minus(expires_in, 30),
            (Layout::Silenceper, Slot::StableAppToken { .. }) => minus(expires_in, 300),
            (Layout::Silenceper, _) => minus(expires_in, 1500),
            (Layout::Wechatpy, Slot::Ticket { .. }) => Ttl::Persist,
            (Layout::Wechatpy, _) => minus(expires_in, 0),
            (Layout::Wxdesk, Slot::Ticket { .. }) => Ttl::Seconds(12 * 3600),
            (Layout::Wxdesk, _) => minus(expires_in, 300),
        }
    }

    /// Every `SET` the peer makes when it stores `value` for `slot`: the key itself and,
    /// for wechatpy's mini program token, the `_access_token_expires_at` companion.
    /// `now` is Unix seconds.
    pub fn writes(
        &self,
        prefix: Option<&str>,
        codec: Codec,
        slot: Slot<'_>,
        value: &str,
        expires_in: u64,
        now: i64,
    ) -> Result<Vec<KeyWrite>, LayoutError> {
        let key = self.key(prefix, slot)?;
        let mut out = vec![KeyWrite {
            value: codec.encode(value),
            ttl: self.ttl(slot, expires_in),
            key: key.clone(),
        }];
        if let (Layout::Wechatpy, Slot::AppToken { .. }) = (self, slot) {
            let at = now.saturating_add(i64::try_from(expires_in).unwrap_or(i64::MAX));
            out.push(KeyWrite {
                key: format!("{key}_expires_at"),
                value: at.to_string(),
                ttl: Ttl::Persist,
            });
        }
        Ok(out)
    }
}

/// The key of wxdesk's refresh lock for a data key.
pub fn lock_key(data_key: &str) -> String {
    format!("{data_key}:wxdesk_lock")
}

/// The key of wxdesk's fencing generation for a data key.
pub fn generation_key(data_key: &str) -> String {
    format!("{data_key}:wxdesk_gen")
}

/// A token, ticket or refresh token as WeChat issues them: printable ASCII, no
/// quotes, braces, backslashes or whitespace.
fn plausible(v: &str) -> bool {
    !v.is_empty()
        && v.bytes().all(|b| {
            b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'\\' | b'{' | b'}' | b'[' | b']')
        })
}

impl Codec {
    /// The name used in flags and stored bindings.
    pub fn as_str(&self) -> &'static str {
        match self {
            Codec::Raw => "raw",
            Codec::Json => "json",
        }
    }

    /// Parses `raw` or `json`.
    pub fn parse(s: &str) -> Option<Codec> {
        match s.trim() {
            "raw" => Some(Codec::Raw),
            "json" => Some(Codec::Json),
            _ => None,
        }
    }

    /// Encodes a credential for Redis.
    pub fn encode(&self, value: &str) -> String {
        match self {
            Codec::Raw => value.to_string(),
            Codec::Json => serde_json::Value::String(value.to_string()).to_string(),
        }
    }

    /// Decodes what Redis holds. The error never repeats the value (it may be a secret).
    pub fn decode(&self, stored: &[u8]) -> Result<String, LayoutError> {
        let text = std::str::from_utf8(stored).map_err(|_| {
            LayoutError::Unreadable(
                "the value is not UTF-8 text (a Java-serialized or binary value?)".into(),
            )
        })?;
        let value = match self {
            Codec::Raw => text.to_string(),
            Codec::Json => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::String(s)) => s,
                Ok(_) => {
                    return Err(LayoutError::Unreadable(
                        "expected a JSON string (\"TOKEN\" with the quotes), found another JSON value".into(),
                    ))
                }
                Err(_) => {
                    return Err(LayoutError::Unreadable(format!(
                        "expected a JSON string (\"TOKEN\" with the quotes), found {} bytes of non-JSON text",
                        stored.len()
                    )))
                }
            },
        };
        if plausible(&value) {
            Ok(value)
        } else {
            Err(LayoutError::Unreadable(match self {
                Codec::Raw if value.starts_with('"') => {
                    "the value is quoted (JSON-encoded, like wechatpy writes); this layout stores plain strings".into()
                }
                _ => format!(
                    "a {} value of {} bytes that is not a WeChat token (empty, or has quotes, braces or spaces)",
                    self.as_str(),
                    stored.len()
                ),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: &str = "wx1234567890abcdef";
    const A: &str = "wxfedcba0987654321";

    #[test]
    fn wxjava_open_prefix_gets_one_colon() {
        let slot = Slot::AuthorizerToken {
            component: C,
            authorizer: A,
        };
        let l = Layout::WxjavaOpen;
        assert_eq!(
            l.key(None, slot).ok().as_deref(),
            Some("wechat_authorizer_access_token:wx1234567890abcdef:wxfedcba0987654321")
        );
        assert_eq!(
            l.key(Some("wx:open"), Slot::Ticket { component: C })
                .ok()
                .as_deref(),
            Some("wx:open:wechat_component_verify_ticket:wx1234567890abcdef")
        );
        assert_eq!(
            l.key(Some("wx:open:"), Slot::ComponentToken { component: C })
                .ok()
                .as_deref(),
            Some("wx:open:wechat_component_access_token:wx1234567890abcdef")
        );
    }

    #[test]
    fn silenceper_has_two_underscores_and_no_ticket() {
        let l = Layout::Silenceper;
        assert_eq!(
            l.key(None, Slot::AppToken { appid: A }).ok().as_deref(),
            Some("gowechat_miniprogram__access_token_wxfedcba0987654321")
        );
        assert_eq!(
            l.key(None, Slot::StableAppToken { appid: A })
                .ok()
                .as_deref(),
            Some("gowechat_miniprogram__stable_access_token_wxfedcba0987654321")
        );
        assert!(matches!(
            l.key(None, Slot::Ticket { component: C }),
            Err(LayoutError::NoSuchKey { .. })
        ));
        assert_eq!(
            l.ttl(Slot::ComponentToken { component: C }, 7200),
            Ttl::Seconds(5700)
        );
        let auth = Slot::AuthorizerToken {
            component: C,
            authorizer: A,
        };
        assert_eq!(l.ttl(auth, 7200), Ttl::Seconds(7170));
    }

    #[test]
    fn wechatpy_values_are_json_and_app_tokens_have_expires_at() {
        let w = Layout::Wechatpy
            .writes(
                None,
                Codec::Json,
                Slot::AppToken { appid: A },
                "TOK",
                7200,
                1_000,
            )
            .unwrap_or_default();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].key, "wechatpy:wxfedcba0987654321_access_token");
        assert_eq!(w[0].value, "\"TOK\"");
        assert_eq!(w[0].ttl, Ttl::Seconds(7200));
        assert_eq!(
            w[1].key,
            "wechatpy:wxfedcba0987654321_access_token_expires_at"
        );
        assert_eq!(w[1].value, "8200");
    }

    #[test]
    fn codecs_refuse_each_others_values() {
        assert!(matches!(
            Codec::Raw.decode(b"\"TOK\""),
            Err(LayoutError::Unreadable(_))
        ));
        assert!(matches!(
            Codec::Json.decode(b"TOK"),
            Err(LayoutError::Unreadable(_))
        ));
        assert!(matches!(
            Codec::Raw.decode(&[0xac, 0xed, 0, 5]),
            Err(LayoutError::Unreadable(_))
        ));
        assert_eq!(Codec::Json.decode(b"\"TOK\"").ok().as_deref(), Some("TOK"));
        assert_eq!(
            Codec::Raw.decode(b"TOK_1-2").ok().as_deref(),
            Some("TOK_1-2")
        );
    }

    #[test]
    fn layout_names_round_trip() {
        for l in LAYOUTS {
            assert_eq!(l.as_str().parse::<Layout>().ok(), Some(l));
        }
        assert!("wxjava".parse::<Layout>().is_err());
    }
}
