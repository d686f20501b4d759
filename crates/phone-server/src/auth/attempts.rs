//! Sign-in attempts per user name: each failure makes the next attempt wait longer, an attempt
//! while a wait is pending is refused at once (429), and a name with [`LOCK_AFTER`] failures in
//! an hour is locked for [`LOCK_FOR`]. An attempt counts *before* its password is checked, so
//! a burst of parallel guesses for one name gets one check, not one each.
//!
//! The table is bounded ([`MAX_NAMES`]): records of names that neither wait nor are locked and
//! whose hour is over are dropped when it fills; past that, new names go untracked (the
//! per-address limit and the bound on parallel password checks still hold them back).

use std::{collections::HashMap, sync::Mutex};

/// The most names tracked at once.
pub const MAX_NAMES: usize = 10_000;
/// Failures within an hour that lock a name.
pub const LOCK_AFTER: u32 = 10;
/// How long a locked name stays locked, in milliseconds.
pub const LOCK_FOR: i64 = 15 * 60 * 1000;
/// The window failures are counted in, in milliseconds.
const WINDOW: i64 = 60 * 60 * 1000;

/// One name's record.
#[derive(Debug, Clone, Copy, Default)]
struct Record {
    failures: u32,
    /// When the first failure of the current window was.
    since: i64,
    /// No attempt before this.
    next_allowed: i64,
    locked_until: i64,
}

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Go,
    /// Answer 429: a wait is pending for this name, this many milliseconds more.
    Wait(i64),
    /// Answer 429: the name is locked, this many milliseconds more.
    Locked(i64),
}

/// The attempts of every name.
#[derive(Debug, Default)]
pub struct Attempts {
    names: Mutex<HashMap<String, Record>>,
}

impl Attempts {
    /// Called before checking a password for `name` at `now` (milliseconds): whether to go
    /// ahead. Going ahead reserves the wait the next attempt would need after a failure.
    pub fn before(&self, name: &str, now: i64) -> Gate {
        let mut names = self.names.lock().expect("no sign-in panics holding the attempts");
        if !names.contains_key(name) && names.len() >= MAX_NAMES {
            names.retain(|_, r| {
                r.locked_until > now || r.next_allowed > now || now - r.since < WINDOW
            });
            if names.len() >= MAX_NAMES {
                return Gate::Go;
            }
        }
        let record = names.entry(name.to_owned()).or_default();
        if record.locked_until > now {
            return Gate::Locked(record.locked_until - now);
        }
        if record.next_allowed > now {
            return Gate::Wait(record.next_allowed - now);
        }
        record.next_allowed = now + delay(record.failures + 1);
        Gate::Go
    }

    /// Called after the check: a success forgets the name; a failure counts, and returns
    /// whether it locked the name.
    pub fn after(&self, name: &str, succeeded: bool, now: i64) -> bool {
        let mut names = self.names.lock().expect("no sign-in panics holding the attempts");
        if succeeded {
            names.remove(name);
            return false;
        }
        let Some(record) = names.get_mut(name) else { return false };
        if now - record.since >= WINDOW {
            record.failures = 0;
            record.since = now;
        }
        record.failures += 1;
        if record.failures >= LOCK_AFTER {
            record.locked_until = now + LOCK_FOR;
            record.failures = 0;
            return true;
        }
        false
    }
}

/// The wait after `failures` failures: nothing for the first attempt, then doubling from a
/// quarter second, at most 8 seconds.
fn delay(failures: u32) -> i64 {
    match failures {
        0 | 1 => 0,
        n => 250 << (n - 2).min(5),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_make_the_next_attempt_wait_and_enough_of_them_lock_the_name() {
        let attempts = Attempts::default();
        let mut now = 1_000_000;
        // The first attempt reserves no wait: a first failure costs nothing more.
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert!(!attempts.after("sam", false, now));
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert_eq!(attempts.before("sam", now), Gate::Wait(250), "a guess in parallel waits");
        assert!(!attempts.after("sam", false, now));
        now += 250;
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert_eq!(attempts.before("sam", now + 1), Gate::Wait(499));
        for _ in 0..LOCK_AFTER {
            now += 10_000;
            if attempts.before("sam", now) == Gate::Go && attempts.after("sam", false, now) {
                break;
            }
        }
        assert!(matches!(attempts.before("sam", now + 1), Gate::Locked(_)));
        assert_eq!(attempts.before("sam", now + LOCK_FOR), Gate::Go, "the lock ends");
        assert!(!attempts.after("sam", true, now + LOCK_FOR));
        assert_eq!(attempts.before("sam", now + LOCK_FOR), Gate::Go, "success forgets");
    }

    #[test]
    fn the_table_stays_bounded_whatever_names_arrive() {
        let attempts = Attempts::default();
        for n in 0..MAX_NAMES * 2 {
            let name = format!("name{n}");
            assert_eq!(attempts.before(&name, 0), Gate::Go);
            attempts.after(&name, false, 0);
        }
        assert!(attempts.names.lock().unwrap().len() <= MAX_NAMES);
        // An hour on, old records make room again.
        assert_eq!(attempts.before("late", WINDOW + 1), Gate::Go);
        assert!(attempts.names.lock().unwrap().contains_key("late"));
    }
}
