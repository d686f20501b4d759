//! Gateway mode (`phone-server --upstream …`): the staff app and API clients over the
//! provider's own API, with the provider's credentials kept on the server.
//!
//! Every contract operation goes to the provider and its answer comes back as the provider gave
//! it (status, body, rate-limit headers). What the provider's API lacks is kept in the local
//! database: staff, sessions, clients and their businesses, as in the other modes; a copy of the
//! provider's customers and numbers (`phone_store`'s `mirror`), filled by a background sync
//! ([`sync`]) and by every write made through the gateway, which search, history and the review
//! read; and `Idempotency-Key`s. The provider is not one of the store's engines: its answers
//! must reach the caller untouched, which a storage interface would re-encode.

mod budget;
pub mod sync;
mod upstream;

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use bytes::Bytes;
use phone_model::{ErrorBody, PhoneNumberPage, PhoneNumberResource, Refusal};

pub use budget::{Asker, PERSON_WAITS, Shares};
pub use upstream::{Answered, Upstream, UpstreamError, UpstreamSettings};

use crate::{ApiError, Principal};

/// A caller's `Idempotency-Key`: (the caller's scope, the key).
type KeyOf = (String, String);

/// The gateway's state beside the app's.
#[derive(Debug)]
pub struct Gateway {
    upstream: Upstream,
    /// A turn per `Idempotency-Key` (caller's scope, key) being sent now: attempts racing with
    /// one key take turns, so the second finds the first's answer, as on a server of its own.
    turns: Mutex<HashMap<KeyOf, Arc<tokio::sync::Mutex<()>>>>,
}

impl Gateway {
    /// A gateway to the provider at `settings`.
    ///
    /// # Errors
    /// When the system's CA certificates cannot be read.
    pub fn new(settings: UpstreamSettings) -> std::io::Result<Self> {
        Ok(Self { upstream: Upstream::new(settings)?, turns: Mutex::default() })
    }

    /// The provider's API base URL.
    pub fn api(&self) -> &str {
        self.upstream.api()
    }

    /// The provider's latency and failures, for `/metrics`.
    pub fn measures(&self) -> (&crate::measures::Seconds, &crate::measures::Counts) {
        self.upstream.measures()
    }

    /// Whether the provider would take a request: a token is in hand or can be had.
    ///
    /// # Errors
    /// Why no token can be had (the provider unreachable, or the credentials refused).
    pub async fn ready(&self) -> Result<(), UpstreamError> {
        self.upstream.token(None).await.map(drop)
    }

    /// Sends `principal`'s request to the provider, within its share of the budget.
    ///
    /// # Errors
    /// The contract's answer for a provider that gave none.
    pub async fn send(
        &self,
        principal: &Principal,
        method: Method,
        path: &str,
        body: Option<(HeaderValue, Bytes)>,
    ) -> Result<Answered, ApiError> {
        let caller = principal.caller();
        match self.upstream.send(method, path, body, Asker::of(&caller)).await {
            Ok(answer) => Ok(answer),
            Err(UpstreamError::OverBudget(held)) => Ok(self.spent(held.wait)),
            Err(error) => Err(refusal(error)),
        }
    }

    /// The gateway's own 429 when the budget, or the caller's share of it, is spent for longer
    /// than a person waits: as the provider's would be, with when to come back (in whole
    /// seconds, rounded up: coming back any sooner would be refused again).
    fn spent(&self, wait: Duration) -> Answered {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let seconds = seconds.max(1);
        let reset =
            SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs() + seconds;
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        // What binds the caller: its share, per window as the provider counts.
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.upstream.allowance()));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(0_u32));
        headers.insert("x-ratelimit-reset", HeaderValue::from(reset));
        let body = serde_json::to_vec(&ErrorBody::refusal(Refusal::TooManyRequests))
            .expect("an error body serialises");
        Answered { status: StatusCode::TOO_MANY_REQUESTS, headers, body: Bytes::from(body) }
    }

    /// Waits for `key`'s turn; the turn ends when the guard is dropped.
    pub(crate) async fn turn(&self, key: KeyOf) -> Turn<'_> {
        let turn = {
            let mut turns = self.turns.lock().unwrap_or_else(PoisonError::into_inner);
            Arc::clone(turns.entry(key.clone()).or_default())
        };
        let guard = Arc::clone(&turn).lock_owned().await;
        Turn { gateway: self, key, turn, _guard: guard }
    }
}

/// An attempt's turn with its key.
pub(crate) struct Turn<'a> {
    gateway: &'a Gateway,
    key: KeyOf,
    turn: Arc<tokio::sync::Mutex<()>>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut turns = self.gateway.turns.lock().unwrap_or_else(PoisonError::into_inner);
        // Forgotten once nobody else holds or waits for it (the map, this turn and its guard
        // are the three holders left).
        if Arc::strong_count(&self.turn) <= 3 {
            turns.remove(&self.key);
        }
    }
}

/// The contract's answer when the provider gave none.
fn refusal(error: UpstreamError) -> ApiError {
    tracing::warn!(%error, "upstream");
    ApiError::Refused(match error {
        UpstreamError::Unreachable(_) | UpstreamError::Credentials(_) => {
            Refusal::UpstreamUnreachable
        }
        UpstreamError::TimedOut => Refusal::UpstreamTimedOut,
        UpstreamError::OverBudget(_) => Refusal::TooManyRequests,
    })
}

/// A path segment or query value, percent-encoded.
pub(crate) fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            // Not `.`: an id of `..` must stay a segment, never climb the path.
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A page of a customer's numbers as a caller fetches it (see [`every_number`]).
type NumbersPage<'g, E> =
    Pin<Box<dyn Future<Output = Result<Option<PhoneNumberPage>, E>> + Send + 'g>>;

/// Every number of a customer at the provider, following `nextCursor`: each page's path is
/// given to `page`, which fetches it as its caller needs (the sync waits out a 429, a person's
/// look-up does not), and answers it, or `None` when the customer is not there.
pub(crate) async fn every_number<'g, E>(
    customer_id: &str,
    page: impl Fn(String) -> NumbersPage<'g, E>,
) -> Result<Option<Vec<PhoneNumberResource>>, E> {
    let first = format!("/customers/{}/phoneNumbers?limit=50", segment(customer_id));
    let mut numbers = Vec::new();
    let mut path = first.clone();
    loop {
        let Some(answered) = page(path.clone()).await? else { return Ok(None) };
        numbers.extend(answered.phone_numbers);
        match answered.response_metadata.next_cursor {
            Some(cursor) if answered.response_metadata.has_next => {
                path = format!("{first}&nextCursor={}", segment(&cursor));
            }
            _ => return Ok(Some(numbers)),
        }
    }
}

/// Whether an answer is a success the copy should take.
pub(crate) fn succeeded(answer: &Answered) -> bool {
    matches!(answer.status, StatusCode::OK | StatusCode::CREATED)
}
