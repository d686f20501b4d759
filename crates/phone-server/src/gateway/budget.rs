//! The gateway's budget of requests to the provider: a token bucket at the configured rate,
//! held shut until the window resets once the provider says none are left
//! (`X-RateLimit-Remaining: 0` with `X-RateLimit-Reset`). A person's request waits a little for
//! its turn, then is refused; the background sync waits as long as it takes, and leaves half
//! the bucket to people.

use std::{
    sync::{Mutex, PoisonError},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use axum::http::{HeaderMap, StatusCode};

/// Who is asking: a person waits at most [`PERSON_WAITS`]; the sync waits for its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    Person,
    Sync,
}

/// The longest a person's request waits for the budget before the gateway answers 429.
pub const PERSON_WAITS: Duration = Duration::from_secs(2);

/// The most a reset may hold the bucket shut: the provider documents hourly windows.
const LONGEST_HOLD: Duration = Duration::from_secs(3600);

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
    /// Shut until then: the provider said its window is spent.
    shut_until: Option<Instant>,
}

#[derive(Debug)]
pub struct Budget {
    rate: f64,
    /// The bucket's size: a second's worth, at least one.
    size: f64,
    bucket: Mutex<Bucket>,
}

impl Budget {
    /// A budget of `rate` requests per second.
    pub fn new(rate: f64) -> Self {
        let rate = if rate.is_finite() && rate > 0.0 { rate } else { 1.0 };
        let size = rate.max(1.0);
        Self {
            rate,
            size,
            bucket: Mutex::new(Bucket { tokens: size, at: Instant::now(), shut_until: None }),
        }
    }

    /// Takes one request from the budget, waiting for it as `priority` may.
    ///
    /// # Errors
    /// For a person, when the wait would be longer than [`PERSON_WAITS`]: how long it would be.
    pub async fn admit(&self, priority: Priority) -> Result<(), Duration> {
        // A person's wait is bounded in all: others may take the token this one waited for.
        let deadline = Instant::now() + PERSON_WAITS;
        loop {
            let now = Instant::now();
            match self.take(priority, now) {
                None => return Ok(()),
                Some(wait) if priority == Priority::Person && now + wait > deadline => {
                    return Err(wait);
                }
                Some(wait) => tokio::time::sleep(wait).await,
            }
        }
    }

    /// Takes a token at `now` if one is free for `priority` (`None`), else says how long until
    /// one is.
    fn take(&self, priority: Priority, now: Instant) -> Option<Duration> {
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(until) = bucket.shut_until {
            if now < until {
                return Some(until - now);
            }
            bucket.shut_until = None;
        }
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.size);
        bucket.at = now;
        // The sync leaves half the bucket for people (at least a whole token, however small
        // the bucket, or it would never go).
        let needed = match priority {
            Priority::Sync => (self.size / 2.0 + 1.0).min(self.size),
            Priority::Person => 1.0,
        };
        if bucket.tokens >= needed {
            bucket.tokens -= 1.0;
            None
        } else {
            Some(Duration::from_secs_f64((needed - bucket.tokens) / self.rate))
        }
    }

    /// Reads an answer's status and the provider's rate-limit headers: after a 429, or when
    /// none are left, the bucket stays shut until the window resets (`X-RateLimit-Reset`, else
    /// `Retry-After`, else a second).
    pub fn observe(&self, status: StatusCode, headers: &HeaderMap) {
        let number = |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.parse().ok() };
        let spent = status == StatusCode::TOO_MANY_REQUESTS;
        if !spent && number("x-ratelimit-remaining") != Some(0) {
            return;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let hold = number("x-ratelimit-reset")
            .map(|reset| reset.saturating_sub(now))
            .or_else(|| number("retry-after"))
            .map_or(Duration::from_secs(1), Duration::from_secs)
            .min(LONGEST_HOLD);
        let mut bucket = self.bucket.lock().unwrap_or_else(PoisonError::into_inner);
        bucket.shut_until = Some(Instant::now() + hold);
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn a_burst_of_one_seconds_worth_then_one_at_the_rate() {
        let budget = Budget::new(10.0);
        let start = Instant::now();
        for _ in 0..10 {
            assert_eq!(budget.take(Priority::Person, start), None);
        }
        let wait = budget.take(Priority::Person, start).expect("the bucket is empty");
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        assert_eq!(budget.take(Priority::Person, start + Duration::from_millis(100)), None);
    }

    #[test]
    fn the_sync_leaves_half_the_bucket_to_people() {
        let budget = Budget::new(10.0);
        let now = Instant::now();
        let synced = (0..10).take_while(|_| budget.take(Priority::Sync, now).is_none()).count();
        assert_eq!(synced, 5);
        let people = (0..10).take_while(|_| budget.take(Priority::Person, now).is_none()).count();
        assert_eq!(people, 5);
    }

    #[test]
    fn nothing_goes_while_the_provider_says_its_window_is_spent() {
        let budget = Budget::new(100.0);
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("3"));
        budget.observe(StatusCode::OK, &headers);
        assert_eq!(budget.take(Priority::Person, Instant::now()), None, "some were left");
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("0"));
        headers.insert("x-ratelimit-reset", HeaderValue::from(now + 30));
        budget.observe(StatusCode::OK, &headers);
        let wait = budget.take(Priority::Person, Instant::now()).expect("shut");
        assert!(wait > Duration::from_secs(28) && wait <= Duration::from_secs(30), "{wait:?}");
    }

    #[test]
    fn a_429_shuts_the_bucket_for_its_retry_after() {
        let budget = Budget::new(100.0);
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("5"));
        budget.observe(StatusCode::TOO_MANY_REQUESTS, &headers);
        let wait = budget.take(Priority::Person, Instant::now()).expect("shut");
        assert!(wait > Duration::from_secs(4) && wait <= Duration::from_secs(5), "{wait:?}");
    }

    #[test]
    fn the_sync_goes_at_a_rate_of_one_a_minute_too() {
        let budget = Budget::new(1.0 / 60.0);
        let now = Instant::now();
        assert_eq!(budget.take(Priority::Sync, now), None, "the bucket's one token");
        let wait = budget.take(Priority::Sync, now).expect("empty");
        assert!((wait.as_secs_f64() - 60.0).abs() < 1e-6, "{wait:?}");
    }
}
