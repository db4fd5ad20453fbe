//! A fake vendor's clock: real time moved by the tests (or a sandbox user) and, for tests of
//! per-second budgets, stopped on a whole second. Kept in each vendor's persisted state, so a
//! sandbox whose clock was moved keeps it across restarts; the JSON keys are the state's own
//! (`clock_offset_secs`, `frozen_at`) through `#[serde(flatten)]`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SimClock {
    /// Seconds added to real time.
    #[serde(default)]
    pub clock_offset_secs: i64,
    /// While stopped: the Unix second it stands at.
    #[serde(default)]
    pub frozen_at: Option<i64>,
}

impl SimClock {
    pub fn now(&self) -> DateTime<Utc> {
        match self
            .frozen_at
            .and_then(|t| DateTime::<Utc>::from_timestamp(t, 0))
        {
            Some(frozen) => frozen,
            None => Utc::now() + chrono::Duration::seconds(self.clock_offset_secs),
        }
    }

    /// Moves the clock (negative: back), stopped or not.
    pub fn advance(&mut self, seconds: i64) {
        self.clock_offset_secs = self.clock_offset_secs.saturating_add(seconds);
        if let Some(t) = &mut self.frozen_at {
            *t = t.saturating_add(seconds);
        }
    }

    /// Stops the clock on the current whole second (only `advance` moves it then).
    pub fn freeze(&mut self) {
        self.frozen_at = Some(self.now().timestamp());
    }

    /// Lets the clock run again from where it stands.
    pub fn unfreeze(&mut self) {
        if let Some(t) = self.frozen_at.take() {
            self.clock_offset_secs = t - Utc::now().timestamp();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_clock_stands_still_moves_when_told_and_runs_on_from_there() {
        let mut c = SimClock::default();
        c.advance(3600);
        assert!((c.now() - Utc::now()).num_seconds() >= 3599);
        c.freeze();
        let stopped = c.now();
        c.advance(5);
        assert_eq!(c.now(), stopped + chrono::Duration::seconds(5));
        c.unfreeze();
        let ran = c.now() - (stopped + chrono::Duration::seconds(5));
        assert!(ran.num_seconds().abs() <= 1, "{ran}");
    }

    #[test]
    fn older_state_files_without_a_stopped_clock_still_read() {
        let c: SimClock = serde_json::from_str(r#"{"clock_offset_secs": 61}"#).unwrap();
        assert_eq!((c.clock_offset_secs, c.frozen_at), (61, None));
    }
}
