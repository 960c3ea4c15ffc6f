//! The refresh lock of read-write team mode: `SET NX PX` with a random value,
//! released only by its owner, plus a fencing generation.
//!
//! Any number of wxdesk processes on any number of machines may find a token
//! stale at the same moment. Each takes the lock for the credential before
//! calling WeChat; the one that gets it re-reads the key (another may have just
//! refreshed it), calls WeChat once, writes, and releases. The lock is a lease:
//! a process that stalls past it loses it, and the generation number taken with
//! the lock (`INCR` on `{key}:wxdesk_gen`, atomically with the `SET NX`) makes
//! its late write fail instead of overwriting the newer token.

use std::time::{Duration, Instant};

use wxdesk_wechat::team_layout::{generation_key, lock_key, KeyWrite, Slot, Ttl};

use super::client::Redis;
use super::error::TeamError;
use super::store::{Mode, TeamStore};

/// Takes the lock and the next generation in one step.
const ACQUIRE: &str = r#"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return 0
"#;

/// Deletes the lock only when it still holds our random value.
const RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"#;

/// Writes the keys only when no newer generation exists; returns -1 on
/// success, otherwise the newer generation.
const FENCED_SET: &str = r#"
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > tonumber(ARGV[1]) then
  return current
end
for i = 2, #KEYS do
  local ttl = tonumber(ARGV[2 * i - 1])
  if ttl > 0 then
    redis.call('SET', KEYS[i], ARGV[2 * i - 2], 'EX', ttl)
  else
    redis.call('SET', KEYS[i], ARGV[2 * i - 2])
  end
end
return -1
"#;

/// How often a waiting process retries the lock.
const POLL: Duration = Duration::from_millis(20);

/// A held refresh lock. Release it with [`Guard::release`]; a guard that is
/// dropped instead frees itself when its lease runs out.
#[derive(Debug)]
pub struct Guard {
    redis: Redis,
    lock_key: String,
    gen_key: String,
    owner: String,
    generation: i64,
}

impl Guard {
    /// The fencing generation taken with the lock.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    /// The lock's Redis key.
    pub fn key(&self) -> &str {
        &self.lock_key
    }

    /// Releases the lock if this guard still owns it; `false` when the lease had
    /// expired (and maybe another process holds it now, untouched).
    pub async fn release(self) -> Result<bool, TeamError> {
        let n: i64 = self
            .redis
            .eval(
                RELEASE,
                &[&self.lock_key],
                std::slice::from_ref(&self.owner),
            )
            .await?;
        Ok(n == 1)
    }

    /// `SET`s `writes` unless a newer generation exists.
    pub(super) async fn fenced_set(
        &self,
        redis: &Redis,
        data_key: &str,
        writes: &[KeyWrite],
    ) -> Result<(), TeamError> {
        let mut keys: Vec<&str> = vec![&self.gen_key];
        let mut args = vec![self.generation.to_string()];
        for w in writes {
            keys.push(&w.key);
            args.push(w.value.clone());
            args.push(match w.ttl {
                Ttl::Seconds(s) => s.to_string(),
                Ttl::Persist => "0".to_string(),
            });
        }
        let answer: i64 = redis.eval(FENCED_SET, &keys, &args).await?;
        if answer == -1 {
            Ok(())
        } else {
            Err(TeamError::StaleGeneration {
                key: data_key.to_string(),
                mine: self.generation,
                current: answer,
            })
        }
    }
}

impl TeamStore {
    /// Tries once to take the refresh lock of `slot` for `lease`; `None` when
    /// another process holds it. Read-write mode only.
    pub async fn try_lock(
        &self,
        slot: Slot<'_>,
        lease: Duration,
    ) -> Result<Option<Guard>, TeamError> {
        let data_key = self.key(slot)?;
        if self.config.mode != Mode::ReadWrite {
            return Err(TeamError::ReadOnly { key: data_key });
        }
        let lock = lock_key(&data_key);
        let generation = generation_key(&data_key);
        let owner = format!("{:032x}", rand::random::<u128>());
        let ms = u64::try_from(lease.as_millis()).unwrap_or(u64::MAX).max(1);
        let got: i64 = self
            .redis
            .eval(
                ACQUIRE,
                &[&lock, &generation],
                &[owner.clone(), ms.to_string()],
            )
            .await?;
        Ok((got > 0).then(|| Guard {
            redis: self.redis.clone(),
            lock_key: lock,
            gen_key: generation,
            owner,
            generation: got,
        }))
    }

    /// Takes the refresh lock of `slot`, waiting up to `wait` for its holder;
    /// [`TeamError::Locked`] when it is still held then. After taking it, read
    /// the key again before calling WeChat: the previous holder may have
    /// refreshed it already.
    pub async fn lock(
        &self,
        slot: Slot<'_>,
        lease: Duration,
        wait: Duration,
    ) -> Result<Guard, TeamError> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(g) = self.try_lock(slot, lease).await? {
                return Ok(g);
            }
            if Instant::now() >= deadline {
                return Err(TeamError::Locked {
                    key: lock_key(&self.key(slot)?),
                });
            }
            tokio::time::sleep(POLL).await;
        }
    }
}
