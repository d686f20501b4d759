//! A token bucket: tokens drip in at a rate, up to a second's worth.

use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub(super) struct Bucket {
    rate: f64,
    size: f64,
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// A full bucket of `rate` tokens a second, holding a second's worth: at least one token,
    /// or a bucket of a slow rate would never hold enough for a request.
    pub fn new(rate: f64, now: Instant) -> Self {
        let size = rate.max(1.0);
        Self { rate, size, tokens: size, at: now }
    }

    /// How many tokens it holds when full.
    pub fn size(&self) -> f64 {
        self.size
    }

    /// How long until it holds `needed` tokens, as of `now` (zero: it does now).
    pub fn wait(&mut self, needed: f64, now: Instant) -> Duration {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.size);
        self.at = now;
        if self.tokens >= needed {
            Duration::ZERO
        } else {
            Duration::from_secs_f64((needed - self.tokens) / self.rate)
        }
    }

    /// Takes a token (after [`Bucket::wait`] said one is there).
    pub fn take(&mut self) {
        self.tokens -= 1.0;
    }

    /// Whether it is full as of `now`: then it is no different from a new one.
    pub fn is_full(&mut self, now: Instant) -> bool {
        self.wait(self.size, now).is_zero()
    }
}
