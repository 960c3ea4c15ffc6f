//! The desk's team-mode operations: `team_bind`, `team_show`, `team_unbind`,
//! and [`Desk::team_store`], which the token manager asks for the binding of
//! an account before it would mint anything.
//!
//! `team_show` is the operator's check: it connects, and for each key of the
//! account says whether it is present, its TTL and whether this layout can
//! read it ("Redis, wxjava-open layout, TTL 6,900 s").

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::team_layout::{Codec, Layout, Slot};

use super::bindings::{self, BindingRow, Kind};
use super::client::RedisUrl;
use super::error::TeamError;
use super::store::{Mode, StoreConfig, TeamStore};
use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::authorizers::{self, AuthorizerFilter, AuthorizerStatus};
use crate::store::{apps, components, now};

/// `team_bind`: bind a platform or a mini program to a Redis store.
/// `Debug` shows the URL without its password.
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TeamBindArgs {
    /// The platform to bind (exactly one of component_appid / appid).
    #[serde(default)]
    pub component_appid: Option<String>,
    /// The mini program to bind.
    #[serde(default)]
    pub appid: Option<String>,
    /// `redis://[:PASSWORD@]HOST:PORT[/DB]` or `rediss://…`.
    pub redis_url: String,
    /// `wxjava-open`, `wxjava-ma`, `silenceper`, `wechatpy` or `wxdesk`.
    pub layout: String,
    /// Key prefix (default: the layout's).
    #[serde(default)]
    pub prefix: Option<String>,
    /// `raw` or `json` (default: the layout's).
    #[serde(default)]
    pub codec: Option<String>,
    /// `read-only` (default) or `read-write`.
    #[serde(default)]
    pub mode: Option<String>,
    /// The CA certificate (PEM) a `rediss://` Redis's certificate is signed
    /// by, when it is a private or self-signed CA (default: public web roots).
    #[serde(default)]
    pub ca_pem: Option<String>,
}

impl std::fmt::Debug for TeamBindArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = RedisUrl::parse(&self.redis_url)
            .map(|u| u.display().to_string())
            .unwrap_or_else(|_| "<unparsed>".into());
        f.debug_struct("TeamBindArgs")
            .field("component_appid", &self.component_appid)
            .field("appid", &self.appid)
            .field("redis_url", &url)
            .field("layout", &self.layout)
            .field("prefix", &self.prefix)
            .field("codec", &self.codec)
            .field("mode", &self.mode)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "<PEM>"))
            .finish()
    }
}

/// `team_show` / `team_unbind`: one binding (or, for show, all when empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct TeamAccountArgs {
    /// A platform.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// A mini program (for show: either kind).
    #[serde(default)]
    pub appid: Option<String>,
}

/// A stored binding, without its password.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TeamBindingView {
    /// `component` or `app`.
    pub kind: String,
    /// The account.
    pub appid: String,
    /// `redis://host:port/db` (never the password).
    pub redis: String,
    /// Whether the URL has a password (sealed in the vault).
    pub has_password: bool,
    /// Layout.
    pub layout: String,
    /// Effective prefix ("" when the layout uses none).
    pub prefix: String,
    /// `raw` / `json`.
    pub codec: String,
    /// `read-only` / `read-write`.
    pub mode: String,
    /// `plain`, `TLS` (public web roots) or `TLS, own CA`.
    pub transport: String,
}

/// One key of a bound account, as found in Redis.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TeamKeyView {
    /// `component_access_token`, `authorizer_refresh_token`, …
    pub what: String,
    /// The authorizer the key belongs to, for authorizer keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub authorizer_appid: Option<String>,
    /// The Redis key.
    pub key: String,
    /// Whether it exists.
    pub present: bool,
    /// Seconds left (absent: no TTL, or missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub ttl: Option<i64>,
    /// Whether the layout can decode it.
    pub readable: bool,
    /// "Redis, wxjava-open layout, TTL 6,900 s", or what is wrong.
    pub status: String,
}

/// `team_show`: a binding, whether Redis answered, and its keys.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TeamShowView {
    /// The binding.
    pub binding: TeamBindingView,
    /// Whether Redis answered PING.
    pub reachable: bool,
    /// Why not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub error: Option<String>,
    /// The account's keys (empty when unreachable).
    pub keys: Vec<TeamKeyView>,
}

/// `team_unbind`: what was removed.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct TeamUnbound {
    /// `component` or `app`.
    pub kind: String,
    /// The account.
    pub appid: String,
}

fn one_account(component: Option<&str>, appid: Option<&str>) -> Result<(Kind, String)> {
    let clean = |s: Option<&str>| {
        s.map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    match (clean(component), clean(appid)) {
        (Some(c), None) => Ok((Kind::Component, c)),
        (None, Some(a)) => Ok((Kind::App, a)),
        (Some(_), Some(_)) => Err(Error::invalid(
            "component_appid",
            "give either --component (a platform) or --appid (a mini program), not both",
        )),
        (None, None) => Err(Error::invalid(
            "component_appid",
            "give --component C (a platform) or --appid A (a mini program)",
        )),
    }
}

fn view(row: &BindingRow) -> TeamBindingView {
    TeamBindingView {
        kind: row.kind.as_str().to_string(),
        appid: row.appid.clone(),
        redis: row.url_display.clone(),
        has_password: row.url_sealed,
        layout: row.layout.as_str().to_string(),
        prefix: row
            .prefix
            .clone()
            .or(row.layout.default_prefix().map(str::to_string))
            .unwrap_or_default(),
        codec: row.codec.as_str().to_string(),
        mode: row.mode.as_str().to_string(),
        transport: if row.ca_pem.is_some() {
            "TLS, own CA"
        } else if row.url_display.starts_with("rediss://") {
            "TLS"
        } else {
            "plain"
        }
        .to_string(),
    }
}

/// The credentials of an account, as layout slots (owned appids).
enum Owned {
    Ticket(String),
    Component(String),
    Authorizer(String, String),
    Refresh(String, String),
    App(String),
    Stable(String),
}

impl Owned {
    fn slot(&self) -> Slot<'_> {
        match self {
            Owned::Ticket(c) => Slot::Ticket { component: c },
            Owned::Component(c) => Slot::ComponentToken { component: c },
            Owned::Authorizer(c, a) => Slot::AuthorizerToken {
                component: c,
                authorizer: a,
            },
            Owned::Refresh(c, a) => Slot::RefreshToken {
                component: c,
                authorizer: a,
            },
            Owned::App(a) => Slot::AppToken { appid: a },
            Owned::Stable(a) => Slot::StableAppToken { appid: a },
        }
    }

    fn authorizer(&self) -> Option<String> {
        match self {
            Owned::Authorizer(_, a) | Owned::Refresh(_, a) => Some(a.clone()),
            _ => None,
        }
    }
}

impl Desk {
    /// Binds a platform or mini program to a Redis store (replacing any binding).
    /// Offline: `team_show` checks the connection.
    pub fn team_bind(&self, a: TeamBindArgs) -> Result<TeamBindingView> {
        let (kind, appid) = one_account(a.component_appid.as_deref(), a.appid.as_deref())?;
        let layout: Layout =
            a.layout
                .parse()
                .map_err(|e: wxdesk_wechat::team_layout::LayoutError| {
                    Error::invalid("layout", e.to_string())
                })?;
        match (kind, layout) {
            (Kind::Component, Layout::WxjavaMa) => {
                return Err(Error::invalid(
                    "layout",
                    "wxjava-ma keeps mini program tokens only; a platform bound to WxJava uses --layout wxjava-open",
                ))
            }
            (Kind::App, Layout::WxjavaOpen) => {
                return Err(Error::invalid(
                    "layout",
                    "wxjava-open keeps a platform's tokens; a mini program bound to WxJava uses --layout wxjava-ma",
                ))
            }
            _ => {}
        }
        let mode = match a.mode.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            None => Mode::ReadOnly,
            Some(m) => Mode::parse(m).ok_or_else(|| {
                Error::invalid(
                    "mode",
                    format!("unknown mode {m:?}; use read-only or read-write"),
                )
            })?,
        };
        let codec = match a.codec.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => layout.default_codec(),
            Some(c) => Codec::parse(c).ok_or_else(|| {
                Error::invalid("codec", format!("unknown codec {c:?}; use raw or json"))
            })?,
        };
        let prefix = a
            .prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        if let Some(p) = &prefix {
            if p.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(Error::invalid(
                    "prefix",
                    "must not contain spaces or control characters",
                ));
            }
        }
        let url = RedisUrl::parse(&a.redis_url)
            .map_err(|e| Error::invalid("redis_url", e.to_string()))?
            .with_ca(a.ca_pem.as_deref())
            .map_err(|e| Error::invalid("ca_pem", format!("--redis-ca: {e}")))?;
        let (stored_url, sealed) = if url.has_password() {
            (self.vault().seal(bindings::URL, url.expose())?.0, true)
        } else {
            (url.expose().to_string(), false)
        };
        let t = now();
        let row = BindingRow {
            kind,
            appid: appid.clone(),
            url: stored_url,
            url_sealed: sealed,
            url_display: url.display().to_string(),
            layout,
            prefix,
            codec,
            mode,
            created_at: t,
            updated_at: t,
            ca_pem: url.ca_pem().map(str::to_string),
        };
        self.store().write(|tx| {
            match kind {
                Kind::Component => {
                    components::require(tx, &appid)?;
                }
                Kind::App => {
                    apps::require(tx, &appid)?;
                }
            }
            bindings::upsert(tx, &row)
        })?;
        Ok(view(&row))
    }

    /// Removes a binding: the account mints its own tokens again.
    pub fn team_unbind(&self, a: TeamAccountArgs) -> Result<TeamUnbound> {
        let (kind, appid) = one_account(a.component_appid.as_deref(), a.appid.as_deref())?;
        self.store()
            .write(|tx| bindings::delete(tx, kind, &appid))?;
        Ok(TeamUnbound {
            kind: kind.as_str().to_string(),
            appid,
        })
    }

    /// The binding of an account, if any.
    pub fn team_binding(&self, kind: Kind, appid: &str) -> Result<Option<BindingRow>> {
        self.store().read(|c| bindings::get(c, kind, appid))
    }

    /// The Redis URL of a binding, unsealed.
    fn team_url(&self, row: &BindingRow) -> Result<RedisUrl> {
        let raw = if row.url_sealed {
            self.open_secret(bindings::URL, &crate::vault::Sealed(row.url.clone()))?
        } else {
            zeroize::Zeroizing::new(row.url.clone())
        };
        RedisUrl::parse(&raw)
            .map_err(|e| Error::invalid("redis_url", e.to_string()))?
            .with_ca(row.ca_pem.as_deref())
            .map_err(|e| Error::invalid("ca_pem", format!("--redis-ca: {e}")))
    }

    /// The shared store of a bound account, connected; `None` when the account
    /// is not bound (then wxdesk keeps its own tokens).
    pub async fn team_store(&self, kind: Kind, appid: &str) -> Result<Option<TeamStore>> {
        let Some(row) = self.team_binding(kind, appid)? else {
            return Ok(None);
        };
        Ok(Some(self.team_connect(&row).await?))
    }

    async fn team_connect(&self, row: &BindingRow) -> Result<TeamStore> {
        let url = self.team_url(row)?;
        Ok(TeamStore::connect(
            &url,
            StoreConfig {
                layout: row.layout,
                prefix: row.prefix.clone(),
                codec: row.codec,
                mode: row.mode,
            },
        )
        .await?)
    }

    /// Shows one binding (by appid, platform or mini program) or all, checking
    /// Redis and each key of the account.
    pub async fn team_show(&self, a: TeamAccountArgs) -> Result<Vec<TeamShowView>> {
        let wanted = a
            .component_appid
            .as_deref()
            .or(a.appid.as_deref())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let rows: Vec<BindingRow> = self.store().read(bindings::list)?;
        let rows: Vec<BindingRow> = match &wanted {
            None => rows,
            Some(w) => {
                let only_component = a.component_appid.is_some();
                let picked: Vec<BindingRow> = rows
                    .into_iter()
                    .filter(|r| &r.appid == w && (!only_component || r.kind == Kind::Component))
                    .collect();
                if picked.is_empty() {
                    return Err(Error::not_found("team binding", w.clone()));
                }
                picked
            }
        };
        let mut out = Vec::new();
        for row in rows {
            out.push(self.team_show_one(&row).await?);
        }
        Ok(out)
    }

    async fn team_show_one(&self, row: &BindingRow) -> Result<TeamShowView> {
        let binding = view(row);
        let store = match self.team_connect(row).await {
            Ok(s) => s,
            Err(e) => {
                return Ok(TeamShowView {
                    binding,
                    reachable: false,
                    error: Some(e.to_string()),
                    keys: Vec::new(),
                })
            }
        };
        let mut slots = Vec::new();
        match row.kind {
            Kind::Component => {
                let c = row.appid.clone();
                slots.push(Owned::Ticket(c.clone()));
                slots.push(Owned::Component(c.clone()));
                let auths = self.store().read(|conn| {
                    authorizers::list(
                        conn,
                        &AuthorizerFilter {
                            component_appid: Some(&c),
                            status: Some(AuthorizerStatus::Active),
                            account_type: None,
                            search: None,
                        },
                    )
                })?;
                for au in auths {
                    slots.push(Owned::Authorizer(c.clone(), au.appid.clone()));
                    slots.push(Owned::Refresh(c.clone(), au.appid));
                }
            }
            Kind::App => {
                slots.push(Owned::App(row.appid.clone()));
                if row.layout == Layout::Silenceper {
                    slots.push(Owned::Stable(row.appid.clone()));
                }
            }
        }
        let mut keys = Vec::new();
        for o in &slots {
            let slot = o.slot();
            let Ok(key) = store.key(slot) else {
                // The layout keeps no such key (e.g. silenceper's ticket): nothing to check.
                continue;
            };
            // (present, ttl, readable, status) of the key as this layout reads it.
            let (present, ttl, readable, status) = match store.read(slot).await {
                Ok(t) => (true, t.ttl, true, t.source()),
                Err(TeamError::Missing { .. }) => (false, None, false, "missing".into()),
                Err(TeamError::Unreadable { reason, .. }) => {
                    let ttl = store.redis().ttl(&key).await.ok().flatten().flatten();
                    let status = format!("unreadable by this layout: {reason}");
                    (true, ttl, false, status)
                }
                Err(e) => (false, None, false, e.to_string()),
            };
            let k = TeamKeyView {
                what: slot.what().to_string(),
                authorizer_appid: o.authorizer(),
                key,
                present,
                ttl,
                readable,
                status,
            };
            keys.push(k);
        }
        Ok(TeamShowView {
            binding,
            reachable: true,
            error: None,
            keys,
        })
    }
}

/// The op-table handlers (re-exported by `ops::handlers`).
pub mod ops {
    use super::*;
    use crate::ops::Runtime;

    /// `team_bind`.
    pub async fn team_bind(rt: &Runtime, a: TeamBindArgs) -> Result<TeamBindingView> {
        rt.desk().team_bind(a)
    }
    /// `team_show`.
    pub async fn team_show(rt: &Runtime, a: TeamAccountArgs) -> Result<Vec<TeamShowView>> {
        rt.desk().team_show(a).await
    }
    /// `team_unbind`.
    pub async fn team_unbind(rt: &Runtime, a: TeamAccountArgs) -> Result<TeamUnbound> {
        rt.desk().team_unbind(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_args_debug_hides_the_password() {
        let a = TeamBindArgs {
            redis_url: "redis://:0123456789abcdef@127.0.0.1:6379/1".into(),
            ..Default::default()
        };
        let d = format!("{a:?}");
        assert!(!d.contains("0123456789abcdef"), "{d}");
        assert!(d.contains("redis://127.0.0.1:6379/1"), "{d}");
    }
}
