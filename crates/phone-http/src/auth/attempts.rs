//! Sign-in attempts per user name: each failure makes the next attempt wait longer, an attempt
//! while a wait is pending is refused at once (429), and a name with [`LOCK_AFTER`] failures in
//! an hour is locked for [`LOCK_FOR`]. An attempt counts *before* its password is checked, so
//! a burst of parallel guesses for one name gets one check, not one each.
//!
//! An attempt in flight also holds its name back: a second one for the same name while the
//! first is being checked is answered 429, even on a name with no failures yet.
//!
//! The table is bounded ([`MAX_NAMES`]). When it fills, the records that can be dropped are
//! dropped: first those whose hour is over, then those of names that exist nowhere (which can
//! never sign in, so forgetting them costs nothing). A flood of made-up names therefore cannot
//! push out the record of a real user under attack.

use std::{collections::HashMap, sync::Mutex};

/// The most names tracked at once.
pub const MAX_NAMES: usize = 10_000;
/// Failures within an hour that lock a name.
pub const LOCK_AFTER: u32 = 10;
/// How long a locked name stays locked, in milliseconds.
pub const LOCK_FOR: i64 = 15 * 60 * 1000;
/// The window failures are counted in, in milliseconds.
const WINDOW: i64 = 60 * 60 * 1000;
/// How long an attempt may be in flight before its hold on the name lapses (it should end
/// within the password-check wait and the check itself).
const IN_FLIGHT: i64 = 10 * 1000;

/// One name's record.
#[derive(Debug, Clone, Copy, Default)]
struct Record {
    failures: u32,
    /// When the first failure of the current window was.
    since: i64,
    /// No attempt before this.
    next_allowed: i64,
    locked_until: i64,
    /// Until when an attempt is being checked (0 when none is).
    in_flight_until: i64,
    /// Whether the name is a user's (learnt after the first check).
    exists: bool,
}

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Go,
    /// Answer 429: a failure's wait is pending for this name, this many milliseconds more.
    Wait(i64),
    /// Answer 429: another attempt for this name is being checked, and holds it this many
    /// milliseconds more at most (whether or not the name has failed before).
    Busy(i64),
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
            let live = |r: &Record| {
                r.locked_until > now
                    || r.next_allowed > now
                    || r.in_flight_until > now
                    || now - r.since < WINDOW
            };
            names.retain(|_, r| live(r));
            if names.len() >= MAX_NAMES {
                names.retain(|_, r| r.exists);
            }
            if names.len() >= MAX_NAMES {
                return Gate::Go;
            }
        }
        let record = names.entry(name.to_owned()).or_default();
        if record.locked_until > now {
            return Gate::Locked(record.locked_until - now);
        }
        // An attempt in flight has already reserved the wait a failure of its own would
        // need, so while it is checked that wait says nothing about failures.
        let held = record.next_allowed.max(record.in_flight_until);
        if record.in_flight_until > now {
            return Gate::Busy(held - now);
        }
        if held > now {
            return Gate::Wait(held - now);
        }
        record.next_allowed = now + delay(record.failures + 1);
        record.in_flight_until = now + IN_FLIGHT;
        Gate::Go
    }

    /// Called after the check of an attempt that went ahead: a success forgets the name; a
    /// failure counts (`exists`: whether the name is a user's), and returns whether it locked
    /// the name.
    pub fn after(&self, name: &str, succeeded: bool, exists: bool, now: i64) -> bool {
        let mut names = self.names.lock().expect("no sign-in panics holding the attempts");
        if succeeded {
            names.remove(name);
            return false;
        }
        let Some(record) = names.get_mut(name) else { return false };
        record.in_flight_until = 0;
        record.exists = exists;
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
        // While the first attempt is checked, another for the name waits for it.
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert_eq!(attempts.before("sam", now), Gate::Busy(IN_FLIGHT), "a guess in parallel");
        // A first failure then costs nothing more.
        assert!(!attempts.after("sam", false, true, now));
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert_eq!(attempts.before("sam", now), Gate::Busy(IN_FLIGHT), "a guess in parallel waits");
        assert!(!attempts.after("sam", false, true, now));
        now += 250;
        assert_eq!(attempts.before("sam", now), Gate::Go);
        assert_eq!(attempts.before("sam", now + 1), Gate::Busy(IN_FLIGHT - 1), "in flight");
        assert!(!attempts.after("sam", false, true, now + 1));
        assert_eq!(attempts.before("sam", now + 1), Gate::Wait(499), "then the wait");
        for _ in 0..LOCK_AFTER {
            now += 10_000;
            if attempts.before("sam", now) == Gate::Go && attempts.after("sam", false, true, now) {
                break;
            }
        }
        assert!(matches!(attempts.before("sam", now + 1), Gate::Locked(_)));
        assert_eq!(attempts.before("sam", now + LOCK_FOR), Gate::Go, "the lock ends");
        assert!(!attempts.after("sam", true, true, now + LOCK_FOR));
        assert_eq!(attempts.before("sam", now + LOCK_FOR), Gate::Go, "success forgets");
    }

    #[test]
    fn an_attempt_held_back_says_whether_by_another_in_flight_a_wait_or_a_lock() {
        let attempts = Attempts::default();
        // A name that never failed: held back only by the attempt being checked.
        assert_eq!(attempts.before("ana", 0), Gate::Go);
        assert_eq!(attempts.before("ana", 1), Gate::Busy(IN_FLIGHT - 1));
        assert!(!attempts.after("ana", true, true, 2), "a success");
        assert_eq!(attempts.before("ana", 3), Gate::Go, "nothing held after a success");
        // Two failures: the next attempt waits, and says so once nothing is in flight.
        assert!(!attempts.after("ana", false, true, 3));
        assert_eq!(attempts.before("ana", 4), Gate::Go);
        assert_eq!(attempts.before("ana", 5), Gate::Busy(IN_FLIGHT - 1), "in flight, not a wait");
        assert!(!attempts.after("ana", false, true, 6));
        assert_eq!(attempts.before("ana", 7), Gate::Wait(delay(2) - 3));
        // Enough failures lock the name.
        let mut now = 7;
        loop {
            now += 10_000;
            assert_eq!(attempts.before("ana", now), Gate::Go, "each wait is over by then");
            if attempts.after("ana", false, true, now) {
                break;
            }
        }
        assert_eq!(attempts.before("ana", now + 1), Gate::Locked(LOCK_FOR - 1));
    }

    #[test]
    fn the_table_stays_bounded_whatever_names_arrive() {
        let attempts = Attempts::default();
        for n in 0..MAX_NAMES * 2 {
            let name = format!("name{n}");
            assert_eq!(attempts.before(&name, 0), Gate::Go);
            attempts.after(&name, false, false, 0);
        }
        assert!(attempts.names.lock().unwrap().len() <= MAX_NAMES);
        // An hour on, old records make room again.
        assert_eq!(attempts.before("late", WINDOW + 1), Gate::Go);
        assert!(attempts.names.lock().unwrap().contains_key("late"));
    }

    #[test]
    fn a_flood_of_made_up_names_cannot_push_out_a_real_user_under_attack() {
        let attempts = Attempts::default();
        assert_eq!(attempts.before("sam", 0), Gate::Go);
        attempts.after("sam", false, true, 0);
        for n in 0..MAX_NAMES * 2 {
            let name = format!("made-up{n}");
            if attempts.before(&name, 1) == Gate::Go {
                attempts.after(&name, false, false, 1);
            }
        }
        assert!(attempts.names.lock().unwrap().contains_key("sam"), "sam's failures are kept");
        assert!(attempts.names.lock().unwrap().len() <= MAX_NAMES);
    }
}
