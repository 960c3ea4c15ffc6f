//! `POST /__sandbox/team/write`: the sandbox plays the production server of
//! team mode, writing its current ticket and tokens into a given Redis in a
//! given peer layout (WxJava, silenceper, wechatpy or wxdesk's own).
//!
//! Team mode reads what a production server keeps in Redis; offline there is
//! no such server, so this hook stands in for it: it takes the platform's
//! newest ticket, its current component_access_token, an authorizer's tokens
//! and a mini program's own token (minting any that is missing, as the server
//! would have by calling WeChat) and `SET`s them with the layout's exact keys,
//! encoding and TTLs from `wxdesk_wechat::team_layout`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use wxdesk_wechat::team_layout::{Layout, Slot, Ttl};

use crate::error::SandboxError;
use crate::state::{AppState, Shared, TokenOwner, TokenPool, TICKET_TTL};

/// The hook's body. `Debug` leaves out the URL (it may carry a password).
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamWriteRequest {
    /// `redis://[:pw@]host:port[/db]`.
    pub redis_url: String,
    /// `wxjava-open`, `wxjava-ma`, `silenceper`, `wechatpy` or `wxdesk`.
    pub layout: String,
    /// Key prefix (default: the layout's).
    #[serde(default)]
    pub prefix: Option<String>,
    /// Write this platform's ticket and component token.
    #[serde(default)]
    pub component_appid: Option<String>,
    /// And this authorizer's access and refresh tokens (needs component_appid).
    #[serde(default)]
    pub authorizer_appid: Option<String>,
    /// Write this mini program's own access_token.
    #[serde(default)]
    pub appid: Option<String>,
}

impl std::fmt::Debug for TeamWriteRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TeamWriteRequest")
            .field("layout", &self.layout)
            .field("prefix", &self.prefix)
            .field("component_appid", &self.component_appid)
            .field("authorizer_appid", &self.authorizer_appid)
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

/// One key the hook wrote (never the value).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TeamWrittenKey {
    /// `component_access_token`, …
    pub what: String,
    /// The Redis key.
    pub key: String,
    /// Its TTL in seconds (None: no expiry).
    pub ttl: Option<u64>,
}

/// What the hook did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TeamWritten {
    /// The keys written, in order.
    pub keys: Vec<TeamWrittenKey>,
    /// Credentials the layout keeps no key for (e.g. silenceper's ticket).
    pub skipped: Vec<String>,
}

/// A credential to write: what, its slot appids, value, lifetime.
struct Item {
    kind: &'static str,
    component: String,
    authorizer: String,
    value: String,
    expires_in: u64,
}

impl Item {
    fn slot(&self) -> Slot<'_> {
        match self.kind {
            "ticket" => Slot::Ticket {
                component: &self.component,
            },
            "component" => Slot::ComponentToken {
                component: &self.component,
            },
            "authorizer" => Slot::AuthorizerToken {
                component: &self.component,
                authorizer: &self.authorizer,
            },
            "refresh" => Slot::RefreshToken {
                component: &self.component,
                authorizer: &self.authorizer,
            },
            _ => Slot::AppToken {
                appid: &self.authorizer,
            },
        }
    }
}

fn positive(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0).max(1)
}

/// Collects the current credentials, minting what is missing.
fn collect(shared: &Shared, r: &TeamWriteRequest) -> Result<Vec<Item>, SandboxError> {
    let now = shared.now();
    let mut state = shared.lock();
    let mut items = Vec::new();
    if r.authorizer_appid.is_some() && r.component_appid.is_none() {
        return Err(SandboxError::invalid(
            "authorizer_appid",
            "needs component_appid (the platform it authorized)",
        ));
    }
    if let Some(c) = &r.component_appid {
        if !state.components.contains_key(c) {
            return Err(SandboxError::UnknownComponent(c.clone()));
        }
        let newest = state
            .tickets
            .iter()
            .filter(|(_, t)| &t.component_appid == c && now - t.issued_at < TICKET_TTL)
            .max_by_key(|(_, t)| t.issued_at)
            .map(|(k, t)| (k.clone(), t.issued_at));
        let (ticket, issued_at) = match newest {
            Some(t) => t,
            None => (crate::component::issue_ticket(&mut state, now, c)?, now),
        };
        items.push(Item {
            kind: "ticket",
            component: c.clone(),
            authorizer: String::new(),
            value: ticket,
            expires_in: positive(issued_at + TICKET_TTL - now),
        });
        let current = state.components.get(c).and_then(|x| x.access_token.clone());
        let owner = TokenOwner::Component { appid: c.clone() };
        let (token, left) =
            state.reuse_or_mint(current.as_deref(), owner, TokenPool::Component, now);
        if let Some(x) = state.components.get_mut(c) {
            x.access_token = Some(token.clone());
        }
        items.push(Item {
            kind: "component",
            component: c.clone(),
            authorizer: String::new(),
            value: token,
            expires_in: positive(left),
        });
        if let Some(a) = &r.authorizer_appid {
            let record = state
                .components
                .get(c)
                .and_then(|x| x.authorizations.get(a))
                .filter(|x| !x.revoked)
                .cloned()
                .ok_or_else(|| SandboxError::NotAuthorized {
                    component_appid: c.clone(),
                    authorizer_appid: a.clone(),
                })?;
            let owner = TokenOwner::Authorizer {
                component_appid: c.clone(),
                appid: a.clone(),
            };
            let (token, left) = state.reuse_or_mint(
                record.access_token.as_deref(),
                owner,
                TokenPool::Authorizer,
                now,
            );
            if let Some(x) = state
                .components
                .get_mut(c)
                .and_then(|x| x.authorizations.get_mut(a))
            {
                x.access_token = Some(token.clone());
            }
            items.push(Item {
                kind: "authorizer",
                component: c.clone(),
                authorizer: a.clone(),
                value: token,
                expires_in: positive(left),
            });
            items.push(Item {
                kind: "refresh",
                component: c.clone(),
                authorizer: a.clone(),
                value: record.refresh_token.clone(),
                expires_in: 0,
            });
        }
    }
    if let Some(app) = &r.appid {
        let current = state
            .accounts
            .get(app)
            .filter(|x| x.secret.is_some())
            .map(|x| x.legacy_current.clone())
            .ok_or_else(|| {
                SandboxError::invalid(
                    "appid",
                    format!("{app} is not a mini program with an AppSecret: add it first (POST /__sandbox/apps)"),
                )
            })?;
        let owner = TokenOwner::App { appid: app.clone() };
        let (token, left) = state.reuse_or_mint(current.as_deref(), owner, TokenPool::Legacy, now);
        if let Some(x) = state.accounts.get_mut(app) {
            x.legacy_current = Some(token.clone());
        }
        items.push(Item {
            kind: "app",
            component: String::new(),
            authorizer: app.clone(),
            value: token,
            expires_in: positive(left),
        });
    }
    if items.is_empty() {
        return Err(SandboxError::invalid(
            "component_appid",
            "give component_appid (and authorizer_appid), or appid",
        ));
    }
    Ok(items)
}

/// Writes the sandbox's current credentials into Redis in `r.layout`.
pub(crate) async fn write(
    shared: &Shared,
    r: &TeamWriteRequest,
) -> Result<TeamWritten, SandboxError> {
    let layout: Layout =
        r.layout
            .parse()
            .map_err(|e: wxdesk_wechat::team_layout::LayoutError| {
                SandboxError::invalid("layout", e.to_string())
            })?;
    let client = redis::Client::open(r.redis_url.trim()).map_err(|e| {
        SandboxError::invalid(
            "redis_url",
            format!("{e}; use redis://[:PASSWORD@]HOST:PORT[/DB]"),
        )
    })?;
    let items = collect(shared, r)?;
    let now = shared.now();
    let mut out = TeamWritten {
        keys: Vec::new(),
        skipped: Vec::new(),
    };
    let mut plan = Vec::new();
    for item in &items {
        let slot = item.slot();
        match layout.writes(
            r.prefix.as_deref(),
            layout.default_codec(),
            slot,
            &item.value,
            item.expires_in,
            now,
        ) {
            Ok(writes) => {
                for w in writes {
                    out.keys.push(TeamWrittenKey {
                        what: slot.what().to_string(),
                        key: w.key.clone(),
                        ttl: match w.ttl {
                            Ttl::Seconds(s) => Some(s),
                            Ttl::Persist => None,
                        },
                    });
                    plan.push(w);
                }
            }
            Err(_) => out.skipped.push(slot.what().to_string()),
        }
    }
    let unreachable = |e: redis::RedisError| {
        SandboxError::invalid("redis_url", format!("Redis is unreachable: {e}"))
    };
    let mut con = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client.get_multiplexed_async_connection(),
    )
    .await
    .map_err(|_| SandboxError::invalid("redis_url", "Redis did not answer within 5 s"))?
    .map_err(unreachable)?;
    for w in plan {
        let mut cmd = redis::cmd("SET");
        cmd.arg(&w.key).arg(&w.value);
        if let Ttl::Seconds(s) = w.ttl {
            cmd.arg("EX").arg(s);
        }
        cmd.query_async::<()>(&mut con).await.map_err(unreachable)?;
    }
    Ok(out)
}

/// The HTTP hook: JSON in, JSON out; errors are HTTP 400 `{"error": "..."}`.
pub(crate) async fn http_write(State(shared): State<AppState>, body: Bytes) -> Response {
    let r: TeamWriteRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let message = format!(
                "invalid body ({e}); expected {{\"redis_url\",\"layout\",\"prefix\"?,\"component_appid\"?,\"authorizer_appid\"?,\"appid\"?}}"
            );
            return (StatusCode::BAD_REQUEST, Json(json!({ "error": message }))).into_response();
        }
    };
    match write(&shared, &r).await {
        Ok(done) => Json(done).into_response(),
        Err(e) => (
            StatusCode::BAD_REQUEST,
            Json(json!({ "error": e.to_string() })),
        )
            .into_response(),
    }
}
