//! The sandbox's virtual clock.
//!
//! WeChat's lifetimes are long (5-minute codes, 2-hour tokens, 12-hour
//! tickets, daily quotas, monthly quota resets). Tests must be able to cross
//! them instantly, so every time-dependent decision in the sandbox reads
//! [`Clock::now`] — real time plus an offset that only ever moves forward via
//! [`Clock::advance`]. Days and months are counted in Beijing time (UTC+8),
//! which is when WeChat's daily quotas roll over.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Real time plus a forward-only offset.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// Virtual Unix time in milliseconds.
    pub(crate) fn now_ms(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        real.saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Virtual Unix time in seconds.
    pub(crate) fn now(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Moves the virtual clock forward.
    pub(crate) fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset_ms.fetch_add(ms, Ordering::SeqCst);
    }

    /// The current offset from real time, in seconds.
    pub(crate) fn offset_secs(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst) / 1000
    }
}

const BEIJING_OFFSET: i64 = 8 * 3600;

/// The Beijing-time day number of a Unix timestamp (days since 1970-01-01).
pub(crate) fn day_of(ts: i64) -> i64 {
    (ts + BEIJING_OFFSET).div_euclid(86_400)
}

/// The Beijing-time month of a Unix timestamp as `year * 12 + (month - 1)`.
pub(crate) fn month_of(ts: i64) -> i64 {
    // Howard Hinnant's civil_from_days.
    let z = day_of(ts) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    year * 12 + (month - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_forward() {
        let clock = Clock::default();
        let before = clock.now();
        clock.advance(Duration::from_secs(7200));
        assert!(clock.now() >= before + 7200);
    }

    #[test]
    fn months_in_beijing_time() {
        // 2024-01-31T16:00:00Z is 2024-02-01 00:00 in Beijing.
        assert_eq!(month_of(1_706_716_800), 2024 * 12 + 1);
        assert_eq!(month_of(1_706_716_799), 2024 * 12);
        // 2023-12-31T16:00:00Z is 2024-01-01 in Beijing.
        assert_eq!(month_of(1_704_038_400), 2024 * 12);
        assert_eq!(day_of(0), 0);
    }
}
