//! When the background sync runs next: every few minutes while the hub answers; after a failure,
//! again after 30 s, then twice as long each time up to 30 minutes, so a PC offline for days
//! costs nothing and catches up within minutes of the link coming back. Failures that only the
//! clerk can fix (a revoked key, no hub set) pause it until the clerk acts.
//!
//! Each device's delays are stretched by a stable 0–20 % taken from its device id, so the units'
//! PCs do not all come back at the same second after an outage of the hub. Time is passed in.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Between successful runs.
    pub interval: Duration,
    /// After the first failure.
    pub first_retry: Duration,
    /// The longest wait after failures.
    pub max_retry: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            interval: Duration::minutes(5),
            first_retry: Duration::seconds(30),
            max_retry: Duration::minutes(30),
        }
    }
}

/// How a run ended, as far as the schedule cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Worth retrying by itself: offline, the hub busy or refusing for now.
    Failure,
    /// Only the clerk can fix it; the reason is shown.
    NeedsClerk(String),
}

/// The background schedule's state (kept in memory by the app; a restart begins afresh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub next_at: DateTime<Utc>,
    /// Failures in a row.
    pub failures: u32,
    /// Set when only the clerk can fix what stopped it.
    pub paused: Option<String>,
    /// Permille added to each delay, from the device id.
    spread_permille: i64,
}

/// A stable 0–200 ‰ from a device id (FNV-1a).
fn spread_of(device_id: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in device_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % 201) as i64
}

impl Schedule {
    /// A schedule whose first run is due at `now`.
    pub fn start(now: DateTime<Utc>, device_id: &str) -> Schedule {
        Schedule {
            next_at: now,
            failures: 0,
            paused: None,
            spread_permille: spread_of(device_id),
        }
    }

    /// Whether a run is due.
    pub fn due(&self, now: DateTime<Utc>) -> bool {
        self.paused.is_none() && now >= self.next_at
    }

    fn stretched(&self, d: Duration) -> Duration {
        d + Duration::milliseconds(d.num_milliseconds() * self.spread_permille / 1000)
    }

    /// Records a run's outcome and sets the next run.
    pub fn record(&mut self, now: DateTime<Utc>, outcome: Outcome, t: &Timings) {
        match outcome {
            Outcome::Success => {
                self.failures = 0;
                self.paused = None;
                self.next_at = now + self.stretched(t.interval);
            }
            Outcome::Failure => {
                self.failures = self.failures.saturating_add(1);
                let doublings = (self.failures - 1).min(16);
                let delay = t
                    .first_retry
                    .checked_mul(1 << doublings)
                    .map_or(t.max_retry, |d| d.min(t.max_retry));
                self.next_at = now + self.stretched(delay);
            }
            Outcome::NeedsClerk(reason) => {
                self.failures = self.failures.saturating_add(1);
                self.paused = Some(reason);
            }
        }
    }

    /// The clerk asked for a run now (立即同步, or a save to send): due at once, unpaused.
    pub fn poke(&mut self, now: DateTime<Utc>) {
        self.paused = None;
        self.next_at = self.next_at.min(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 5, 8, 0, 0).unwrap()
    }

    #[test]
    fn failures_back_off_doubling_to_the_cap_and_a_success_resets() {
        let t = Timings::default();
        let mut s = Schedule::start(t0(), "pc-1");
        let spread = s.spread_permille;
        let exact = |secs: i64| Duration::milliseconds(secs * 1000 * (1000 + spread) / 1000);
        assert!(s.due(t0()));
        let mut now = t0();
        let mut waits = Vec::new();
        for _ in 0..9 {
            s.record(now, Outcome::Failure, &t);
            waits.push(s.next_at - now);
            assert!(!s.due(now));
            assert!(!s.due(s.next_at - Duration::milliseconds(1)));
            assert!(s.due(s.next_at));
            now = s.next_at;
        }
        let expected: Vec<Duration> = [30, 60, 120, 240, 480, 960, 1800, 1800, 1800]
            .into_iter()
            .map(exact)
            .collect();
        assert_eq!(waits, expected);
        assert_eq!(s.failures, 9);
        s.record(now, Outcome::Success, &t);
        assert_eq!(s.failures, 0);
        assert_eq!(s.next_at - now, exact(300));
        // Offline for days: the wait never exceeds the cap, whatever the count.
        for _ in 0..10_000 {
            s.record(now, Outcome::Failure, &t);
        }
        assert_eq!(s.next_at - now, exact(1800));
    }

    #[test]
    fn what_only_the_clerk_can_fix_pauses_until_poked() {
        let t = Timings::default();
        let mut s = Schedule::start(t0(), "pc-1");
        s.record(t0(), Outcome::NeedsClerk("密钥已吊销".into()), &t);
        let much_later = t0() + Duration::days(3);
        assert!(!s.due(much_later));
        assert_eq!(s.paused.as_deref(), Some("密钥已吊销"));
        s.poke(much_later);
        assert!(s.due(much_later));
    }

    #[test]
    fn devices_spread_their_retries_within_a_fifth() {
        let spreads: std::collections::BTreeSet<i64> =
            (0..50).map(|i| spread_of(&format!("device-{i}"))).collect();
        assert!(spreads.iter().all(|p| (0..=200).contains(p)));
        // Fifty PCs land on many different offsets, not one.
        assert!(spreads.len() > 25, "{spreads:?}");
        assert_eq!(spread_of("device-7"), spread_of("device-7"));
    }
}
