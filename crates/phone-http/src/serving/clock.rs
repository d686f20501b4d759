//! The clock a connection runs against. A connection is always in one phase: opened
//! (no request's head yet), answering a request, idle (kept alive after an answer, nothing of
//! the next request yet), or reading the next request's head. Opened and reading a head have
//! `--header-timeout`, idle has `--idle-timeout`; answering has none of its own (its body has
//! `--body-timeout`, see [`super::body`]: a handler may take as long as it takes). When a
//! phase's time is up the connection is dropped, which closes it.
//!
//! Not hyper's own `header_read_timeout`: its clock starts when hyper starts waiting for a
//! head, which on a kept-alive connection is as soon as the last answer is written, so it
//! would cut every idle wait to the header timeout too.

use std::sync::{
    Mutex,
    atomic::{AtomicBool, Ordering},
};

use tokio::time::Instant;

use super::Timeouts;
use crate::telemetry::Closed;

/// Where a connection is, and since when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Accepted then; no request's head yet.
    Opened(Instant),
    /// Answering its request of this number (the first is 1).
    Answering(u64),
    /// Answered this many requests, the last then; nothing of the next yet.
    Idle(Instant, u64),
    /// Answered this many, and the next request's first bytes came then.
    Heading(Instant, u64),
}

/// A connection's phase, shared by what moves it on (its reads, its requests, their answers)
/// and what watches it ([`Clock::time_up`]).
#[derive(Debug)]
pub(super) struct Clock {
    phase: Mutex<Phase>,
    body_timed_out: AtomicBool,
}

impl Clock {
    pub(super) fn new() -> Self {
        Self {
            phase: Mutex::new(Phase::Opened(Instant::now())),
            body_timed_out: AtomicBool::new(false),
        }
    }

    /// Moves the phase on by `next`, which returns the new phase, or `None` to leave it.
    fn update(&self, next: impl FnOnce(Phase) -> Option<Phase>) {
        let mut phase = self.phase.lock().expect("no panic while the phase is held");
        if let Some(moved) = next(*phase) {
            *phase = moved;
        }
    }

    fn phase(&self) -> Phase {
        *self.phase.lock().expect("no panic while the phase is held")
    }

    /// Bytes came: on an idle connection, the next request's head has begun.
    pub(super) fn bytes_arrived(&self) {
        self.update(|phase| match phase {
            Phase::Idle(_, answered) => Some(Phase::Heading(Instant::now(), answered)),
            _ => None,
        });
    }

    /// A request's head has been read; returns its number.
    pub(super) fn request_started(&self) -> u64 {
        let mut number = 1;
        self.update(|phase| {
            number = match phase {
                Phase::Opened(_) => 1,
                Phase::Answering(previous) => previous + 1,
                Phase::Idle(_, answered) | Phase::Heading(_, answered) => answered + 1,
            };
            Some(Phase::Answering(number))
        });
        number
    }

    /// The answer to request `number` has been handed over whole.
    pub(super) fn answered(&self, number: u64) {
        self.update(|phase| {
            (phase == Phase::Answering(number)).then(|| Phase::Idle(Instant::now(), number))
        });
    }

    /// A request's body did not arrive within `--body-timeout`.
    pub(super) fn note_body_timed_out(&self) {
        self.body_timed_out.store(true, Ordering::Relaxed);
    }

    pub(super) fn body_timed_out(&self) -> bool {
        self.body_timed_out.load(Ordering::Relaxed)
    }

    /// When the present phase's time is up, and why the connection is closed then; `None`
    /// while a request is answered.
    fn due(&self, timeouts: Timeouts) -> Option<(Instant, Closed)> {
        match self.phase() {
            Phase::Opened(since) | Phase::Heading(since, _) => {
                Some((since + timeouts.header, Closed::HeaderTimeout))
            }
            Phase::Idle(since, _) => Some((since + timeouts.idle, Closed::IdleTimeout)),
            Phase::Answering(_) => None,
        }
    }

    /// Completes once a phase outlasts its time, with why the connection is to be closed.
    ///
    /// It looks again at least every `step`, the shorter timeout, and is never told of a
    /// change: a phase that begins while it sleeps is due a whole timeout later, so no sooner
    /// than it wakes. Waking it at each change instead cost three wake-ups a request.
    pub(super) async fn time_up(&self, timeouts: Timeouts) -> Closed {
        let step = timeouts.header.min(timeouts.idle);
        loop {
            let now = Instant::now();
            let wake = match self.due(timeouts) {
                Some((at, why)) if at <= now => return why,
                Some((at, _)) => at.min(now + step),
                None => now + step,
            };
            tokio::time::sleep_until(wake).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::Arc, time::Duration};

    use super::*;

    const TIMEOUTS: Timeouts = Timeouts {
        header: Duration::from_secs(10),
        idle: Duration::from_secs(60),
        body: Duration::from_secs(30),
    };

    #[tokio::test(start_paused = true)]
    async fn a_connection_gets_the_header_timeout_then_none_while_answered_then_the_idle_timeout() {
        let clock = Clock::new();
        let opened = Instant::now();
        assert_eq!(clock.due(TIMEOUTS), Some((opened + TIMEOUTS.header, Closed::HeaderTimeout)));
        clock.bytes_arrived();
        assert_eq!(clock.due(TIMEOUTS), Some((opened + TIMEOUTS.header, Closed::HeaderTimeout)));
        let first = clock.request_started();
        assert_eq!((first, clock.due(TIMEOUTS)), (1, None));
        tokio::time::advance(Duration::from_secs(100)).await;
        let answered = Instant::now();
        clock.answered(first);
        assert_eq!(clock.due(TIMEOUTS), Some((answered + TIMEOUTS.idle, Closed::IdleTimeout)));
        tokio::time::advance(Duration::from_secs(30)).await;
        clock.bytes_arrived();
        let heading = Instant::now();
        assert_eq!(clock.due(TIMEOUTS), Some((heading + TIMEOUTS.header, Closed::HeaderTimeout)));
        assert_eq!(clock.request_started(), 2);
    }

    #[test]
    fn an_earlier_requests_answer_does_not_make_a_later_one_idle() {
        let clock = Clock::new();
        let first = clock.request_started();
        clock.answered(first);
        let second = clock.request_started();
        clock.answered(first);
        assert_eq!(clock.phase(), Phase::Answering(second));
    }

    #[tokio::test(start_paused = true)]
    async fn time_is_up_when_a_phase_outlasts_its_timeout_and_not_before() {
        let clock = Arc::new(Clock::new());
        let watcher = tokio::spawn({
            let clock = Arc::clone(&clock);
            async move { (clock.time_up(TIMEOUTS).await, Instant::now()) }
        });
        let opened = Instant::now();
        tokio::time::advance(Duration::from_secs(5)).await;
        let number = clock.request_started();
        tokio::time::advance(Duration::from_secs(200)).await;
        assert!(!watcher.is_finished(), "no timeout while a request is answered");
        clock.answered(number);
        let answered = Instant::now();
        let (why, at) = watcher.await.expect("the watcher ends");
        assert_eq!(why, Closed::IdleTimeout);
        assert_eq!(at, answered + TIMEOUTS.idle, "opened at {opened:?}");
    }
}
