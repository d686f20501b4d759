//! Rate limits per caller: each verified caller (an API client by its id, a staff member by
//! name) or, without verified credentials, each address gets `limit` requests per window. A
//! caller cannot mint allowances: junk cookies, fake tokens or spaces after `Bearer` all count
//! against the address. Every API answer says where the caller stands (`X-RateLimit-Limit`,
//! `-Remaining`, `-Reset`); past the limit the answer is the contract's 429.
//!
//! The counters are sharded, each shard behind its own lock, and only hold the current window:
//! a shard whose window is over is emptied at its next use, so the work per request is O(1)
//! (amortised) and memory is bounded by the callers of one window. Verified callers are always
//! counted apart (there are only as many as clients and staff); addresses are capped at
//! [`MAX_CALLERS`] a window, past which new addresses share one allowance, so a flood of
//! addresses throttles the flood, not the callers the server knows. An IPv6 address counts by
//! its /64, the block one subscriber gets.

use std::{
    collections::HashMap,
    hash::{BuildHasher, RandomState},
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use phone_model::Refusal;
use phone_operations::{ApiError, Caller};
use prometheus_client::metrics::counter::Counter;

use crate::client_address::ClientAddress;

/// How many requests a caller may make per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window: Duration,
}

impl Default for RateLimit {
    /// 1,200 a minute: far above what a person at the app does, low enough to stop a runaway
    /// client.
    fn default() -> Self {
        Self { limit: 1200, window: Duration::from_secs(60) }
    }
}

/// The caller a request came from, by address (see [`ClientAddress`]: behind a trusted
/// proxy, the caller it names; an IPv6 one by its /64), or the shared allowance when it is not
/// known.
pub fn caller_at(request: &Request) -> Caller {
    match ClientAddress::of(request.extensions()) {
        Some(client) => Caller::Address(match client.ip {
            IpAddr::V6(v6) => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::from(segments)
            }
            v4 => v4,
        }),
        None => Caller::Overflow,
    }
}

/// The most callers tracked in one window.
pub const MAX_CALLERS: usize = 100_000;
const SHARDS: usize = 16;

/// Counters for one window of one shard.
#[derive(Debug, Default)]
struct Shard {
    window_start: u64,
    counts: HashMap<Caller, u32>,
    /// How many of the counts are addresses'.
    addresses: usize,
}

/// Where a caller stands after a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the window ends, in seconds since the epoch.
    pub reset: u64,
}

/// The counters, shared by every request.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    rule: RateLimit,
    shards: Arc<[Mutex<Shard>; SHARDS]>,
    hasher: RandomState,
    /// Counts the requests this limiter refused (`/metrics`).
    refusals: Counter,
    /// What it limits (`api`, `sign_in`), for the log.
    kind: &'static str,
}

impl RateLimiter {
    /// A limiter of `rule`, for `kind` (`api`, `sign_in`), that counts its refusals in
    /// `refusals`.
    pub fn new(rule: RateLimit, kind: &'static str, refusals: Counter) -> Self {
        let shards = Arc::new(Default::default());
        Self { rule, shards, hasher: RandomState::new(), refusals, kind }
    }

    /// Counts a request of `caller` at `now` (seconds since the epoch).
    pub fn count(&self, caller: &Caller, now: u64) -> Standing {
        let window = self.rule.window.as_secs().max(1);
        let start = now - now % window;
        let index = usize::try_from(self.hasher.hash_one(caller) % SHARDS as u64).unwrap_or(0);
        let mut shard = self.shards[index].lock().expect("no request panics while counting");
        if shard.window_start != start {
            shard.window_start = start;
            shard.counts.clear();
            shard.addresses = 0;
        }
        let full = shard.addresses >= MAX_CALLERS / SHARDS;
        let overflow = Caller::Overflow;
        let caller = if caller.is_address() && full && !shard.counts.contains_key(caller) {
            &overflow
        } else {
            caller
        };
        let before = shard.counts.get(caller).copied();
        if before.is_none() {
            shard.addresses += usize::from(caller.is_address());
        }
        let allowed = before.unwrap_or(0) < self.rule.limit;
        // Counted one past the limit at the first refusal, so the log says it once a window.
        let first_refusal = !allowed && before.unwrap_or(0) == self.rule.limit;
        if !allowed {
            self.refusals.inc();
        }
        if first_refusal {
            tracing::warn!(
                caller = %caller,
                limit = self.rule.limit,
                window_seconds = window,
                kind = self.kind,
                "rate limit reached: refused until the window ends"
            );
        }
        let count = before.unwrap_or(0) + u32::from(allowed || first_refusal);
        match shard.counts.get_mut(caller) {
            Some(counted) => *counted = count,
            // The key is cloned only for a caller new to the window.
            None => {
                shard.counts.insert(caller.clone(), count);
            }
        }
        Standing {
            allowed,
            limit: self.rule.limit,
            remaining: self.rule.limit.saturating_sub(count),
            reset: start + window,
        }
    }
}

/// How long a refusal of an unverified caller takes: a flood of requests without valid
/// credentials, each waiting for its answer, then arrives at a trickle rather than as fast as
/// the server can say no, and the server's time goes to the callers it knows.
pub const TARPIT: Duration = Duration::from_secs(1);

/// The contract's 429 for `caller`, after [`TARPIT`] for one that is not verified.
pub async fn refuse(caller_is_verified: bool) -> Response {
    if !caller_is_verified {
        tokio::time::sleep(TARPIT).await;
    }
    refused()
}

/// The middleware for what is not the API (the app's files, health, the identity service's
/// discovery, sign-in): counts by address, refuses past the limit, and says where the caller
/// stands. The API counts verified callers by who they are (see `auth`).
pub async fn limit_by_address(
    State(limiter): State<RateLimiter>,
    request: Request,
    next: Next,
) -> Response {
    let standing = limiter.count(&caller_at(&request), now());
    let response = if standing.allowed { next.run(request).await } else { refuse(false).await };
    with_standing(response, standing)
}

/// Seconds since the epoch: the clock the middlewares pass in.
pub fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

/// The contract's 429.
pub fn refused() -> Response {
    ApiError::Refused(Refusal::TooManyRequests).into_response()
}

/// `response` with the `X-RateLimit-*` headers of `standing`.
pub fn with_standing(mut response: Response, standing: Standing) -> Response {
    // A gateway's answer carries the provider's limit, which is the one that binds its caller.
    if !response.headers().contains_key("x-ratelimit-limit") {
        set_headers(response.headers_mut(), standing);
    }
    response
}

fn set_headers(headers: &mut HeaderMap, standing: Standing) {
    // A refusal says when to come back, as every other 429 of the server does.
    if !standing.allowed && !headers.contains_key(header::RETRY_AFTER) {
        let seconds = standing.reset.saturating_sub(now()).max(1);
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(standing.limit)),
        ("x-ratelimit-remaining", u64::from(standing.remaining)),
        ("x-ratelimit-reset", standing.reset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callers_count_apart_and_newcomers_past_the_cap_share_one_allowance() {
        let refusals = Counter::default();
        let rule = RateLimit { limit: 2, window: Duration::from_secs(3600) };
        let limiter = RateLimiter::new(rule, "api", refusals.clone());
        let ana = || Caller::User("ana".to_owned());
        assert!(limiter.count(&ana(), 0).allowed);
        assert!(limiter.count(&ana(), 0).allowed);
        assert!(!limiter.count(&ana(), 0).allowed);
        assert_eq!(refusals.get(), 1, "the refusal is counted");
        assert!(limiter.count(&Caller::Client("billing".to_owned()), 0).allowed);
        // Before the windows are full, each address has an allowance of its own: a hundred
        // addresses all get in (sharing, the 16 shards would let in 32 at most).
        let address = |n: u32| Caller::Address(IpAddr::from(n.to_be_bytes()));
        let first_in = (1..=100).filter(|&n| limiter.count(&address(n), 0).allowed).count();
        assert_eq!(first_in, 100, "addresses counted together before the windows filled");
        // Fill the windows, then every newcomer lands in the shared allowance.
        for n in 0..MAX_CALLERS as u32 * 2 {
            let _ = limiter.count(&Caller::Address(IpAddr::from(n.to_be_bytes())), 0);
        }
        let newcomer = |n: u32| {
            limiter.count(&Caller::Address(IpAddr::from(((n + 1) << 28).to_be_bytes())), 0)
        };
        let allowed = (0..10).filter(|&n| newcomer(n).allowed).count();
        assert!(allowed <= 2 * SHARDS, "newcomers shared the overflow allowances: {allowed}");
        let tracked: usize = limiter.shards.iter().map(|s| s.lock().unwrap().counts.len()).sum();
        assert!(tracked <= MAX_CALLERS + 2 * SHARDS, "{tracked} callers tracked");
        // A verified caller first seen now is counted apart, however full the windows are.
        assert!(limiter.count(&Caller::Client("late".to_owned()), 0).allowed);
        assert!(limiter.count(&Caller::User("late".to_owned()), 0).allowed);
    }

    #[test]
    fn a_window_runs_from_a_multiple_of_its_length_to_the_next() {
        let rule = RateLimit { limit: 2, window: Duration::from_secs(60) };
        let limiter = RateLimiter::new(rule, "api", Counter::default());
        let ana = Caller::User("ana".to_owned());
        let first = limiter.count(&ana, 61);
        assert_eq!((first.allowed, first.remaining, first.reset), (true, 1, 120));
        assert!(limiter.count(&ana, 119).allowed);
        assert!(!limiter.count(&ana, 119).allowed, "the window's allowance is spent");
        let next = limiter.count(&ana, 120);
        assert_eq!((next.allowed, next.remaining, next.reset), (true, 1, 180));
    }
}
