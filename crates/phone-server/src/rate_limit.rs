//! Rate limits per caller: each credential (a bearer token, a staff session) or, without one,
//! each address gets `limit` requests per window. Every API answer says where the caller
//! stands (`X-RateLimit-Limit`, `-Remaining`, `-Reset`); past the limit the answer is the
//! contract's 429.

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{Arc, Mutex},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::{
    extract::{ConnectInfo, Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use phone_model::Refusal;

use crate::error::ApiError;

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

/// The counters, shared by every request.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    rule: RateLimit,
    /// Per caller: the window's start (seconds since the epoch) and the requests in it.
    windows: Arc<Mutex<HashMap<String, (u64, u32)>>>,
}

impl RateLimiter {
    pub fn new(rule: RateLimit) -> Self {
        Self { rule, windows: Arc::new(Mutex::new(HashMap::new())) }
    }

    /// Counts a request of `caller`: whether it is allowed, the requests left and when the
    /// window resets (seconds since the epoch).
    fn count(&self, caller: String) -> (bool, u32, u64) {
        let window = self.rule.window.as_secs().max(1);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let start = now - now % window;
        let mut windows = self.windows.lock().expect("no request panics while counting");
        if windows.len() > 100_000 {
            // Forget callers whose window is over, so the map cannot grow without bound.
            windows.retain(|_, (started, _)| *started == start);
        }
        let entry = windows.entry(caller).or_insert((start, 0));
        if entry.0 != start {
            *entry = (start, 0);
        }
        let allowed = entry.1 < self.rule.limit;
        if allowed {
            entry.1 += 1;
        }
        (allowed, self.rule.limit - entry.1, start + window)
    }
}

/// Who is calling, for counting: the credential if one was sent, else the address.
fn caller(request: &Request) -> String {
    let headers = request.headers();
    let credential = headers.get(header::AUTHORIZATION).or_else(|| headers.get(header::COOKIE));
    match credential {
        Some(value) => format!("credential:{}", blake3::hash(value.as_bytes()).to_hex()),
        None => match request.extensions().get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(address)) => format!("address:{}", address.ip()),
            None => "address:unknown".to_owned(),
        },
    }
}

/// The middleware: counts, refuses past the limit, and tells every caller where it stands.
pub async fn limit(State(limiter): State<RateLimiter>, request: Request, next: Next) -> Response {
    let (allowed, remaining, reset) = limiter.count(caller(&request));
    let mut response = if allowed {
        next.run(request).await
    } else {
        ApiError::Refused(Refusal::TooManyRequests).into_response()
    };
    set_headers(response.headers_mut(), limiter.rule.limit, remaining, reset);
    response
}

fn set_headers(headers: &mut HeaderMap, limit: u32, remaining: u32, reset: u64) {
    for (name, value) in [
        ("x-ratelimit-limit", u64::from(limit)),
        ("x-ratelimit-remaining", u64::from(remaining)),
        ("x-ratelimit-reset", reset),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}
