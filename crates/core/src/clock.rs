//! Time, passed in: business logic never calls `Utc::now()` itself.

use chrono::{DateTime, Duration, Utc};
use std::sync::Mutex;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock for tests: starts at a fixed instant and advances by `step` on every reading.
#[derive(Debug)]
pub struct FixedClock {
    next: Mutex<DateTime<Utc>>,
    step: Duration,
}

impl FixedClock {
    /// A clock reading `start` first, then `start + step`, `start + 2·step`, …
    pub fn new(start: DateTime<Utc>, step: Duration) -> Self {
        Self {
            next: Mutex::new(start),
            step,
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let now = *next;
        *next = now + self.step;
        now
    }
}

/// A clock for tests that reads the same instant until it is moved.
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// A clock reading `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock to `to`.
    pub fn set(&self, to: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }

    /// Moves the clock on by `by`.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_clock_steps() {
        let start = Utc.with_ymd_and_hms(2026, 1, 5, 1, 0, 0).unwrap();
        let c = FixedClock::new(start, Duration::seconds(2));
        assert_eq!(c.now(), start);
        assert_eq!(c.now(), start + Duration::seconds(2));
    }
}
