//! The gateway's budget of requests to the provider, and how it is shared among tenants.
//!
//! Two budgets bind: the gateway's own rate (`--upstream-rate`, a token bucket holding a
//! second's worth), and the provider's window as its headers tell it (`X-RateLimit-Limit`
//! requests until `X-RateLimit-Reset`). Phonedesk has one credential at the provider for every
//! tenant, so without shares one caller could spend both for all. Each is shared alike:
//! - a caller (an API client, a staff member) may use `--upstream-caller-share` of it (50%);
//! - API clients leave `--upstream-staff-reserve` of it (25%) to staff, so people in the app
//!   are served while clients are over theirs;
//! - the background sync leaves half of it to people, and waits for its turn.
//!
//! A person's request waits a little for its turn, then gets the gateway's 429 before anything
//! is sent. When the provider says its window is spent (a 429, or `X-RateLimit-Remaining: 0`),
//! nobody's request is sent until it said to come back (see [`window::Said::pause`]), and not
//! a moment longer: its limit is on the credential, so the pause is everyone's. The caller whose
//! request met that 429 pays nothing more: the window was spent by everything sent in it, which
//! each caller's share already counts, and the 429 may as well land on a staff member's click
//! just after a client spent the window.

mod bucket;
mod window;

use std::{
    collections::HashMap,
    sync::{Mutex, PoisonError},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::http::{HeaderMap, StatusCode};

use crate::Caller;
use bucket::Bucket;
use window::{Said, Window};

/// The longest a person's request waits for the budget before the gateway answers 429.
pub const PERSON_WAITS: Duration = Duration::from_secs(2);

/// The part of each budget the sync leaves to people.
const SYNC_LEAVES: f64 = 0.5;

/// Past this many callers' buckets, the full ones (no different from new ones) are forgotten.
const CALLERS_KEPT: usize = 1024;

/// How the budget is shared (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shares {
    /// The part of each budget one caller may use.
    caller: f64,
    /// The part of each budget API clients leave to staff.
    staff_reserve: f64,
}

impl Shares {
    /// `caller` percent of each budget for one caller (1 to 100), and `staff_reserve` percent
    /// of it that API clients leave to staff (0 to 90: more would leave them nothing of a small
    /// bucket). The flags are checked for those ranges as they are read; out of them, a value
    /// is taken as the nearest within.
    pub fn percent(caller: u8, staff_reserve: u8) -> Self {
        Self {
            caller: f64::from(caller.clamp(1, 100)) / 100.0,
            staff_reserve: f64::from(staff_reserve.min(90)) / 100.0,
        }
    }
}

/// Whom a request to the provider is sent for, which says how much of the budget it may use.
#[derive(Debug, Clone, Copy)]
pub enum Asker<'a> {
    /// A staff member in the app: the whole budget, the staff's reserve too.
    Staff(&'a Caller),
    /// An API client: all but the staff's reserve.
    Client(&'a Caller),
    /// The background sync: waits for its turn, and leaves half to people.
    Sync,
}

impl<'a> Asker<'a> {
    /// The asker a caller is: staff by their session, everyone else as a client (only verified
    /// callers reach the provider; the lower rank is the safe one for any other).
    pub fn of(caller: &'a Caller) -> Self {
        match caller {
            Caller::User(_) => Self::Staff(caller),
            _ => Self::Client(caller),
        }
    }

    fn caller(self) -> Option<&'a Caller> {
        match self {
            Self::Staff(caller) | Self::Client(caller) => Some(caller),
            Self::Sync => None,
        }
    }

    /// The part of each budget it leaves to others.
    fn leaves(self, shares: Shares) -> f64 {
        match self {
            Self::Staff(_) => 0.0,
            Self::Client(_) => shares.staff_reserve,
            Self::Sync => SYNC_LEAVES.max(shares.staff_reserve),
        }
    }
}

/// How much of `total` must be left for an asker that leaves `leaves` of it to take one: what
/// it leaves and one more, but never more than the whole, or a small budget would give it
/// nothing.
fn needed(total: f64, leaves: f64) -> f64 {
    (total * leaves + 1.0).min(total)
}

/// Why a request may not be sent yet, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    pub wait: Duration,
    pub by: Holder,
}

/// What holds a request back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// What holds everyone: the gateway's whole rate is spent, or the provider asked for a pause.
    Everyone,
    /// What holds this asker alone: its caller's share is spent, or what is left is the part it
    /// must leave to others (the staff's reserve, the people's half).
    Share,
}

impl Held {
    /// Holds for `wait` by `by`, unless it already holds longer.
    fn at_least(&mut self, wait: Duration, by: Holder) {
        if wait > self.wait {
            *self = Self { wait, by };
        }
    }
}

#[derive(Debug)]
struct State {
    /// The gateway's own rate, which everyone shares.
    shared: Bucket,
    /// Each caller's share of that rate.
    callers: HashMap<Caller, Bucket>,
    /// Nothing is sent until then: the provider asked so.
    paused_until: Option<Instant>,
    /// The provider's window, while it runs and its headers say what it is.
    window: Option<Window>,
    /// What each caller sent while no window was known (the first requests after one ended):
    /// the provider counts them in the window its next answer tells, and so does its share.
    unplaced: HashMap<Caller, u32>,
}

#[derive(Debug)]
pub struct Budget {
    shares: Shares,
    /// The rate of each caller's bucket.
    caller_rate: f64,
    state: Mutex<State>,
}

impl Budget {
    /// A budget of `rate` requests per second, shared by `shares`.
    pub fn new(rate: f64, shares: Shares) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 { rate } else { 1.0 };
        let state = State {
            shared: Bucket::new(rate, Instant::now()),
            callers: HashMap::new(),
            paused_until: None,
            window: None,
            unplaced: HashMap::new(),
        };
        Self { shares, caller_rate: rate * shares.caller, state: Mutex::new(state) }
    }

    /// Takes one request from the budget for `asker`, waiting for it as the asker may: a person
    /// at most [`PERSON_WAITS`] in all (others may take the turn one waited for), the sync as
    /// long as it takes.
    ///
    /// # Errors
    /// For a person, when the wait would be longer: what holds it, and how long.
    pub async fn admit(&self, asker: Asker<'_>) -> Result<(), Held> {
        let deadline = Instant::now() + PERSON_WAITS;
        loop {
            let now = Instant::now();
            match self.take(asker, now) {
                Ok(()) => return Ok(()),
                Err(held) if asker.caller().is_some() && now + held.wait > deadline => {
                    return Err(held);
                }
                Err(held) => tokio::time::sleep(held.wait).await,
            }
        }
    }

    /// Takes a request at `now` if `asker` may send one, from every budget at once; else says
    /// what holds it and until when.
    fn take(&self, asker: Asker<'_>, now: Instant) -> Result<(), Held> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let State { shared, callers, paused_until, window, unplaced } = &mut *state;
        let leaves = asker.leaves(self.shares);
        let mut held = Held { wait: Duration::ZERO, by: Holder::Everyone };
        match *paused_until {
            Some(until) if now < until => held.at_least(until - now, Holder::Everyone),
            _ => *paused_until = None,
        }
        held.at_least(shared.wait(1.0, now), Holder::Everyone);
        held.at_least(shared.wait(needed(shared.size(), leaves), now), Holder::Share);
        if window.as_ref().is_some_and(|window| !window.runs(now)) {
            *window = None;
        }
        let caller = asker.caller();
        if let Some(window) = window.as_ref() {
            let wait = window.wait(caller, self.shares.caller, leaves, now);
            held.at_least(wait.unwrap_or_default(), Holder::Share);
        }
        let mut own = caller.map(|caller| {
            callers.entry(caller.clone()).or_insert_with(|| Bucket::new(self.caller_rate, now))
        });
        if let Some(own) = own.as_mut() {
            held.at_least(own.wait(1.0, now), Holder::Share);
        }
        if !held.wait.is_zero() {
            return Err(held);
        }
        shared.take();
        if let Some(own) = own {
            own.take();
        }
        match (window.as_mut(), caller) {
            (Some(window), _) => window.count(caller),
            (None, Some(caller)) => *unplaced.entry(caller.clone()).or_default() += 1,
            (None, None) => {}
        }
        if callers.len() > CALLERS_KEPT {
            callers.retain(|_, bucket| !bucket.is_full(now));
        }
        Ok(())
    }

    /// Reads an answer's status and the provider's rate-limit headers: a pause when it asked
    /// for one, and what is left of its window.
    pub fn observe(&self, status: StatusCode, headers: &HeaderMap) {
        let epoch = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        self.heard(status, &Said::read(headers), Instant::now(), epoch);
    }

    /// [`Budget::observe`] as of `now`, `epoch` being the time since the epoch.
    fn heard(&self, status: StatusCode, said: &Said, now: Instant, epoch: Duration) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let pause = said.pause(status, epoch);
        if let Some(pause) = pause {
            // Answers asking for pauses each get theirs.
            let until = now + pause;
            state.paused_until = Some(state.paused_until.map_or(until, |at| at.max(until)));
        }
        let State { window, unplaced, .. } = &mut *state;
        Window::heard(window, unplaced, said, pause.is_some(), now, epoch);
    }

    /// How many requests one caller may send per window, for the gateway's own 429: its share
    /// of the provider's window while that is known, else of the gateway's rate over an hour
    /// (the provider counts by the hour).
    pub fn allowance(&self) -> u64 {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match &state.window {
            Some(window) => u64::from(window.allowance(self.shares.caller)),
            None => (self.caller_rate * 3600.0).round() as u64,
        }
    }
}

#[cfg(test)]
mod tests;
