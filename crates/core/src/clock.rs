//! The desk's clock and WeChat's calendar day.
//!
//! The desk reads time through a [`Clock`] (real time plus a forward offset)
//! so tests can cross two-hour token lifetimes and twelve-hour ticket
//! lifetimes in step with the sandbox's virtual clock. In production the
//! offset is always zero. Daily budgets (force refreshes, quotas) are counted
//! in Beijing days ([`beijing_day_start`]).

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::store;

/// The start (Unix seconds) of the Beijing-time (UTC+8) calendar day holding
/// `now` — the day WeChat counts daily budgets in.
pub fn beijing_day_start(now: i64) -> i64 {
    const OFFSET: i64 = 8 * 3600;
    now.saturating_add(OFFSET)
        .div_euclid(86_400)
        .saturating_mul(86_400)
        .saturating_sub(OFFSET)
}

/// The desk's clock: real time plus a forward-only offset.
///
/// Production never moves it. Tests and demos against the sandbox advance it
/// together with the sandbox clock (`Desk::advance_clock`) to cross token and
/// ticket lifetimes without waiting.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    /// Current desk time in Unix seconds.
    pub fn now(&self) -> i64 {
        store::now().saturating_add(self.offset_secs.load(Ordering::SeqCst))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let secs = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        // Saturating (an atomic add would wrap around to the past).
        let _ = self
            .offset_secs
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |o| {
                Some(o.saturating_add(secs))
            });
    }

    /// The offset from real time, in seconds.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_days() {
        // 2024-01-31T16:00:00Z is 2024-02-01 00:00 in Beijing.
        assert_eq!(beijing_day_start(1_706_716_800), 1_706_716_800);
        assert_eq!(beijing_day_start(1_706_716_799), 1_706_716_800 - 86_400);
        assert_eq!(beijing_day_start(1_706_716_800 + 86_399), 1_706_716_800);
    }

    #[test]
    fn clock_moves_forward() {
        let c = Clock::default();
        let t0 = c.now();
        c.advance(Duration::from_secs(7200));
        assert!(c.now() >= t0 + 7200);
        assert_eq!(c.offset_secs(), 7200);
    }

    #[test]
    fn the_clock_saturates() {
        let c = Clock::default();
        c.advance(Duration::from_secs(u64::MAX));
        c.advance(Duration::from_secs(u64::MAX));
        assert_eq!(c.offset_secs(), i64::MAX);
        assert_eq!(c.now(), i64::MAX);
    }
}
