//! The Redis connection of a team binding: the handful of commands team mode
//! needs (GET+TTL, SET with a layout's TTL, SET NX PX, INCR, EVAL), with
//! timeouts and errors that name the key and never the password.
//!
//! The `redis` crate does the protocol (RESP, AUTH from the URL, `rediss://`
//! over rustls); this wrapper only keeps the address printable without its
//! password, trusts the operator's own CA when the binding has one (a
//! self-hosted Redis with a private CA), and maps every failure to a [`TeamError`].

use std::time::Duration;

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, Value};
use wxdesk_wechat::team_layout::Ttl;

use super::error::TeamError;

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// How long one command may take.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);

/// A parsed Redis URL: the URL itself (secret when it has a password) and
/// the printable `host:port/db`.
#[derive(Clone)]
pub struct RedisUrl {
    url: zeroize::Zeroizing<String>,
    at: String,
    has_password: bool,
    tls: bool,
    ca_pem: Option<String>,
}

impl std::fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisUrl")
            .field("at", &self.at)
            .field("has_password", &self.has_password)
            .field("own_ca", &self.ca_pem.is_some())
            .finish()
    }
}

impl RedisUrl {
    /// Checks `redis://[user][:password@]host[:port][/db]` or `rediss://…`.
    pub fn parse(raw: &str) -> Result<RedisUrl, TeamError> {
        let raw = raw.trim();
        let u = url::Url::parse(raw).map_err(|e| {
            TeamError::BadUrl(format!(
                "not a URL ({e}); use redis://[:PASSWORD@]HOST:PORT[/DB] or rediss:// for TLS"
            ))
        })?;
        let tls = match u.scheme() {
            "redis" => false,
            "rediss" => true,
            other => {
                return Err(TeamError::BadUrl(format!(
                    "scheme {other}:// is not supported; use redis:// or rediss:// (TLS)"
                )))
            }
        };
        let host = u
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| TeamError::BadUrl("the URL has no host".into()))?;
        let db = u.path().trim_start_matches('/');
        if !db.is_empty() && db.parse::<u32>().is_err() {
            return Err(TeamError::BadUrl(format!(
                "the path must be a database number (/0 … /15), found /{db}"
            )));
        }
        let port = u.port().unwrap_or(6379);
        let at = format!(
            "{}://{host}:{port}/{}",
            if tls { "rediss" } else { "redis" },
            if db.is_empty() { "0" } else { db }
        );
        Ok(RedisUrl {
            has_password: u.password().is_some_and(|p| !p.is_empty()),
            url: zeroize::Zeroizing::new(raw.to_string()),
            at,
            tls,
            ca_pem: None,
        })
    }

    /// Trusts `pem` (one or more CA certificates) instead of the public web
    /// roots. `Err` says what is wrong, for the caller to name its field.
    pub fn with_ca(mut self, pem: Option<&str>) -> Result<RedisUrl, String> {
        let Some(pem) = pem.map(str::trim).filter(|p| !p.is_empty()) else {
            self.ca_pem = None;
            return Ok(self);
        };
        if !self.tls {
            return Err(format!(
                "a CA certificate is only used over TLS, and {} is plain redis://; use rediss://… or leave the CA out",
                self.at
            ));
        }
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(
                "not a PEM certificate: expected a file with -----BEGIN CERTIFICATE----- (the CA that signed the Redis server's certificate)"
                    .into(),
            );
        }
        redis::Client::build_with_tls(
            self.expose(),
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(pem.as_bytes().to_vec()),
            },
        )
        .map_err(|e| format!("the CA certificate is not usable: {e}"))?;
        self.ca_pem = Some(pem.to_string());
        Ok(self)
    }

    /// Whether the URL is `rediss://`.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The operator's own CA (PEM), when set.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    fn client(&self) -> redis::RedisResult<redis::Client> {
        match &self.ca_pem {
            Some(pem) => redis::Client::build_with_tls(
                self.expose(),
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem.as_bytes().to_vec()),
                },
            ),
            None => redis::Client::open(self.expose()),
        }
    }

    /// `redis://host:port/db`, safe to print.
    pub fn display(&self) -> &str {
        &self.at
    }

    /// Whether the URL carries a password (then it is sealed at rest).
    pub fn has_password(&self) -> bool {
        self.has_password
    }

    /// The full URL, with its password.
    pub fn expose(&self) -> &str {
        &self.url
    }
}

/// What `GET` found under a key.
#[derive(Debug)]
pub enum Fetched {
    /// No such key.
    Missing,
    /// A string value and its TTL in seconds (None: no expiry).
    Value(Vec<u8>, Option<i64>),
    /// The key holds a hash, list, … (e.g. WxJava's older `WxMaRedisConfigImpl` hash).
    NotAString(Option<i64>),
}

/// An open connection.
#[derive(Clone)]
pub struct Redis {
    conn: MultiplexedConnection,
    at: String,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").field("at", &self.at).finish()
    }
}

/// Removes anything that looks like the URL's password from a driver message.
fn scrub(msg: String, url: &RedisUrl) -> String {
    match url::Url::parse(url.expose())
        .ok()
        .and_then(|u| u.password().map(str::to_string))
    {
        Some(pw) if !pw.is_empty() => msg.replace(&pw, "***"),
        _ => msg,
    }
}

/// Adds what to do when a TLS handshake failed on the certificate.
fn ca_advice(reason: String, url: &RedisUrl) -> String {
    let lower = reason.to_ascii_lowercase();
    let cert = [
        "certificate",
        "unknownissuer",
        "caused",
        "issuer",
        "badsignature",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if !url.is_tls() || !cert {
        return reason;
    }
    if url.ca_pem().is_some() {
        format!("{reason} (the server's certificate is not signed by the CA given with --redis-ca, or does not name this host)")
    } else {
        format!("{reason} (the server's certificate is not signed by a public CA: if this Redis uses a private or self-signed CA, give it with `wxdesk team bind … --redis-ca CA.pem`)")
    }
}

impl Redis {
    /// Connects and checks the connection with `PING` (which also proves AUTH).
    pub async fn connect(url: &RedisUrl) -> Result<Redis, TeamError> {
        let unreachable = |reason: String| TeamError::Unreachable {
            at: url.display().to_string(),
            reason: scrub(ca_advice(reason, url), url),
        };
        let client = url.client().map_err(|e| unreachable(e.to_string()))?;
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(RESPONSE_TIMEOUT));
        let conn = tokio::time::timeout(
            CONNECT_TIMEOUT + RESPONSE_TIMEOUT,
            client.get_multiplexed_async_connection_with_config(&config),
        )
        .await
        .map_err(|_| unreachable("timed out connecting".into()))?
        .map_err(|e| unreachable(e.to_string()))?;
        let redis = Redis {
            conn,
            at: url.display().to_string(),
        };
        let pong: String =
            redis
                .query(&redis::cmd("PING"), "PING", "")
                .await
                .map_err(|e| match e {
                    TeamError::Command { reason, .. } => unreachable(reason),
                    other => other,
                })?;
        if pong != "PONG" {
            return Err(unreachable(format!("PING answered {pong:?}")));
        }
        Ok(redis)
    }

    /// `host:port/db`.
    pub fn at(&self) -> &str {
        &self.at
    }

    async fn query<T: redis::FromRedisValue>(
        &self,
        cmd: &redis::Cmd,
        command: &'static str,
        key: &str,
    ) -> Result<T, TeamError> {
        let mut conn = self.conn.clone();
        cmd.query_async::<T>(&mut conn)
            .await
            .map_err(|e| self.map_err(e, command, key))
    }

    fn map_err(&self, e: redis::RedisError, command: &'static str, key: &str) -> TeamError {
        if e.is_io_error()
            || e.is_timeout()
            || e.is_connection_dropped()
            || e.is_connection_refusal()
        {
            TeamError::Unreachable {
                at: self.at.clone(),
                reason: e.to_string(),
            }
        } else {
            TeamError::Command {
                command,
                key: key.to_string(),
                reason: e.to_string(),
            }
        }
    }

    /// `GET key` and `TTL key` together.
    pub async fn get_with_ttl(&self, key: &str) -> Result<Fetched, TeamError> {
        let ttl = match self.ttl(key).await? {
            None => return Ok(Fetched::Missing),
            Some(t) => t,
        };
        let mut conn = self.conn.clone();
        match redis::cmd("GET")
            .arg(key)
            .query_async::<Option<Vec<u8>>>(&mut conn)
            .await
        {
            Ok(Some(v)) => Ok(Fetched::Value(v, ttl)),
            Ok(None) => Ok(Fetched::Missing),
            Err(e) if e.code() == Some("WRONGTYPE") => Ok(Fetched::NotAString(ttl)),
            Err(e) => Err(self.map_err(e, "GET", key)),
        }
    }

    /// `TTL key`: `Err` never for a missing key; `Ok(None)` when absent, `Ok(Some(None))` when persistent.
    pub async fn ttl(&self, key: &str) -> Result<Option<Option<i64>>, TeamError> {
        let t: i64 = self.query(redis::cmd("TTL").arg(key), "TTL", key).await?;
        Ok(match t {
            -2 => None,
            -1 => Some(None),
            n => Some(Some(n)),
        })
    }

    /// `SET key value [EX ttl]`.
    pub async fn set(&self, key: &str, value: &str, ttl: Ttl) -> Result<(), TeamError> {
        let mut cmd = redis::cmd("SET");
        cmd.arg(key).arg(value);
        if let Ttl::Seconds(s) = ttl {
            cmd.arg("EX").arg(s);
        }
        let _: Value = self.query(&cmd, "SET", key).await?;
        Ok(())
    }

    /// `SET key value NX PX ms`: whether it was set.
    pub async fn set_nx_px(&self, key: &str, value: &str, ms: u64) -> Result<bool, TeamError> {
        let v: Option<String> = self
            .query(
                redis::cmd("SET")
                    .arg(key)
                    .arg(value)
                    .arg("NX")
                    .arg("PX")
                    .arg(ms),
                "SET NX",
                key,
            )
            .await?;
        Ok(v.is_some())
    }

    /// `INCR key`.
    pub async fn incr(&self, key: &str) -> Result<i64, TeamError> {
        self.query(redis::cmd("INCR").arg(key), "INCR", key).await
    }

    /// `EVAL script numkeys keys… args…`.
    pub async fn eval<T: redis::FromRedisValue>(
        &self,
        script: &str,
        keys: &[&str],
        args: &[String],
    ) -> Result<T, TeamError> {
        let mut cmd = redis::cmd("EVAL");
        cmd.arg(script).arg(keys.len());
        for k in keys {
            cmd.arg(*k);
        }
        for a in args {
            cmd.arg(a.as_str());
        }
        self.query(&cmd, "EVAL", keys.first().copied().unwrap_or(""))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_display_never_has_the_password() {
        let u = RedisUrl::parse("redis://:s3cretpw@127.0.0.1:6390/2").ok();
        assert_eq!(
            u.as_ref().map(|u| u.display()),
            Some("redis://127.0.0.1:6390/2")
        );
        assert!(u.as_ref().is_some_and(|u| u.has_password()));
        assert!(!format!("{u:?}").contains("s3cretpw"));
        assert!(matches!(
            RedisUrl::parse("http://x"),
            Err(TeamError::BadUrl(_))
        ));
        assert!(matches!(
            RedisUrl::parse("redis://h/abc"),
            Err(TeamError::BadUrl(_))
        ));
        assert_eq!(
            RedisUrl::parse("rediss://cache.example:6380")
                .ok()
                .map(|u| u.display().to_string()),
            Some("rediss://cache.example:6380/0".to_string())
        );
    }
}
