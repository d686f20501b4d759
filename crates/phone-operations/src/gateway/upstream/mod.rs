//! The provider's API as the gateway calls it: one HTTP client, the provider's token (fetched
//! on first use, kept until shortly before it expires, fetched again once on a 401), and the
//! budget that keeps the gateway under the provider's rate.

use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode, header};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};
use serde::Deserialize;
use tokio::sync::Mutex;

mod error;

pub use self::error::{TokenRefused, Unreached, UpstreamError};
use super::budget::{Asker, Budget, Held, Holder, Shares};
use crate::measures::{self, Counts, Kind, Seconds, since};

/// Where the provider is and how Phonedesk signs in to it.
#[derive(Clone)]
pub struct UpstreamSettings {
    /// The API's base URL, `https://…/CustomerServices/v1.0`, without a trailing slash.
    pub api: String,
    /// The token endpoint (`…/identity/connect/token`).
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    /// Requests per second the gateway sends at most, whatever the provider allows.
    pub rate: f64,
    /// How that rate, and the provider's window, are shared among callers.
    pub shares: Shares,
    /// How long one upstream call may take.
    pub timeout: Duration,
}

impl std::fmt::Debug for UpstreamSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpstreamSettings")
            .field("api", &self.api)
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("rate", &self.rate)
            .field("shares", &self.shares)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl UpstreamSettings {
    /// The provider's token endpoint for an API at `api`: `/identity/connect/token` on its
    /// host, as the provider's own documentation has it.
    pub fn token_url_for(api: &str) -> String {
        let after_scheme = api.find("://").map_or(0, |i| i + 3);
        let host_end = api[after_scheme..].find('/').map_or(api.len(), |i| after_scheme + i);
        format!("{}/identity/connect/token", &api[..host_end])
    }
}

/// An upstream answer, as it is passed on: status, the headers a client of the provider reads,
/// and the body untouched.
#[derive(Debug, Clone)]
pub struct Answered {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// The provider's headers that reach the gateway's caller: the body's type, the rate limit's
/// state, and the provider's notices (`X-Notification`, "such as system outage").
const PASSED_ON: [&str; 6] = [
    "content-type",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "x-notification",
];

/// The largest answer the gateway reads from the provider: a page of 50 customers or numbers
/// is a few tens of kilobytes.
const ANSWER_LIMIT: usize = 8 * 1024 * 1024;

type Http = Client<HttpsConnector<HttpConnector>, Full<Bytes>>;

/// A token and when to stop using it.
#[derive(Debug, Clone)]
struct Token {
    value: String,
    renew_at: Instant,
}

/// The provider, as one client of it.
#[derive(Debug)]
pub struct Upstream {
    settings: UpstreamSettings,
    http: Http,
    /// Held while a token is fetched, so concurrent requests wait for that one fetch.
    token: Mutex<Option<Token>>,
    budget: Budget,
    /// How long the provider took to answer, and what got no answer, by kind (`/metrics`).
    latency: Seconds,
    errors: Counts,
}

impl Upstream {
    /// A client of the provider at `settings`.
    ///
    /// # Errors
    /// When the system's CA certificates cannot be read (HTTPS needs them).
    pub fn new(settings: UpstreamSettings) -> std::io::Result<Self> {
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_connect_timeout(Some(settings.timeout.min(Duration::from_secs(5))));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_native_roots(rustls::crypto::ring::default_provider())?
            .https_or_http()
            .enable_http1()
            .wrap_connector(connector);
        let http = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(https);
        let budget = Budget::new(settings.rate, settings.shares);
        let (latency, errors) = (measures::upstream_seconds(), Counts::default());
        Ok(Self { settings, http, token: Mutex::new(None), budget, latency, errors })
    }

    /// The provider's latency, and its failures by kind, for `/metrics`.
    pub fn measures(&self) -> (&Seconds, &Counts) {
        (&self.latency, &self.errors)
    }

    /// Counts `error` by its kind and returns it.
    fn failed(&self, error: UpstreamError) -> UpstreamError {
        let kind = match &error {
            UpstreamError::Unreachable(_) => "unreachable",
            UpstreamError::TimedOut => "timed_out",
            UpstreamError::Credentials(_) => "credentials",
            UpstreamError::OverBudget(Held { by: Holder::Everyone, .. }) => "over_budget",
            UpstreamError::OverBudget(Held { by: Holder::Share, .. }) => "over_share",
        };
        self.errors.get_or_create(&Kind { kind }).inc();
        error
    }

    /// How many requests one caller may send per window (see [`Budget::allowance`]).
    pub fn allowance(&self) -> u64 {
        self.budget.allowance()
    }

    /// The API's base URL.
    pub fn api(&self) -> &str {
        &self.settings.api
    }

    /// Sends `method path` (the path and query under the API's base) with `body`, as the
    /// budget allows `asker`; on a 401 fetches a new token and sends it once more. Never retries
    /// anything else: a read that failed is the caller's to repeat.
    ///
    /// # Errors
    /// When no answer came (see [`UpstreamError`]).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<(HeaderValue, Bytes)>,
        asker: Asker<'_>,
    ) -> Result<Answered, UpstreamError> {
        let token = self.token(None).await?;
        let answer = self.send_once(&method, path, body.clone(), &token, asker).await?;
        if answer.status != StatusCode::UNAUTHORIZED {
            return Ok(answer);
        }
        // The provider no longer takes the token (it expired early, or its keys changed).
        let renewed = self.token(Some(&token)).await?;
        let answer = self.send_once(&method, path, body, &renewed, asker).await?;
        if answer.status == StatusCode::UNAUTHORIZED {
            // Not the caller's credentials but Phonedesk's: a 401 would sign staff out.
            let refused = UpstreamError::Credentials(TokenRefused::FreshTokenToo);
            return Err(self.failed(refused));
        }
        Ok(answer)
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<(HeaderValue, Bytes)>,
        token: &str,
        asker: Asker<'_>,
    ) -> Result<Answered, UpstreamError> {
        let admitted = self.budget.admit(asker).await;
        admitted.map_err(|held| self.failed(UpstreamError::OverBudget(held)))?;
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("{}{path}", self.settings.api))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::ACCEPT, "application/json");
        let body = match body {
            Some((content_type, bytes)) => {
                request = request.header(header::CONTENT_TYPE, content_type);
                bytes
            }
            None => Bytes::new(),
        };
        let request = request
            .body(Full::new(body))
            .map_err(|e| UpstreamError::Unreachable(Unreached::Request(e)))?;
        let (status, all, body) = self.exchange(request, "api").await?;
        let mut headers = HeaderMap::new();
        for name in PASSED_ON {
            if let Some(value) = all.get(name) {
                headers.insert(HeaderName::from_static(name), value.clone());
            }
        }
        self.budget.observe(status, &headers);
        Ok(Answered { status, headers, body })
    }

    /// One request and its whole answer, within the timeout; its time counted under `kind`
    /// (`api`, `token`).
    async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        kind: &'static str,
    ) -> Result<(StatusCode, HeaderMap, Bytes), UpstreamError> {
        let work = async {
            let response = self
                .http
                .request(request)
                .await
                .map_err(|e| UpstreamError::Unreachable(Unreached::Connection(e)))?;
            let (parts, body) = response.into_parts();
            let body = Limited::new(body, ANSWER_LIMIT).collect().await;
            let body = body.map_err(|e| UpstreamError::Unreachable(Unreached::Body(e)))?.to_bytes();
            Ok((parts.status, parts.headers, body))
        };
        let started = Instant::now();
        let answer = tokio::time::timeout(self.settings.timeout, work)
            .await
            .map_err(|_| UpstreamError::TimedOut)
            .and_then(|answered| answered)
            .map_err(|error| self.failed(error))?;
        self.latency.get_or_create(&Kind { kind }).observe(since(started));
        Ok(answer)
    }

    /// A token to send: the one held while it is good, else a new one. `stale` is a token the
    /// provider just refused: a new one is fetched unless another request already did.
    pub(super) async fn token(&self, stale: Option<&str>) -> Result<String, UpstreamError> {
        let mut held = self.token.lock().await;
        if let Some(token) = held.as_ref() {
            let refused = stale.is_some_and(|stale| stale == token.value);
            if !refused && Instant::now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        let fetched = self.fetch_token().await?;
        let value = fetched.value.clone();
        *held = Some(fetched);
        Ok(value)
    }

    async fn fetch_token(&self) -> Result<Token, UpstreamError> {
        #[derive(Deserialize)]
        struct Granted {
            access_token: String,
            expires_in: u64,
        }
        let asked = Instant::now();
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "client_credentials")
            .append_pair("client_id", &self.settings.client_id)
            .append_pair("client_secret", &self.settings.client_secret)
            .finish();
        let request = Request::post(&self.settings.token_url)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Full::new(Bytes::from(form)))
            .map_err(|e| UpstreamError::Unreachable(Unreached::Request(e)))?;
        let (status, _, body) = self.exchange(request, "token").await?;
        if !status.is_success() {
            let answer: String = String::from_utf8_lossy(&body).chars().take(200).collect();
            let refused = TokenRefused::Status { status, answer };
            return Err(self.failed(UpstreamError::Credentials(refused)));
        }
        let granted: Granted = serde_json::from_slice(&body)
            .map_err(|e| self.failed(UpstreamError::Unreachable(Unreached::TokenAnswer(e))))?;
        Ok(Token { value: granted.access_token, renew_at: asked + renew_after(granted.expires_in) })
    }
}

/// How long after asking a token lasting `expires_in` seconds is used: until a minute before
/// it expires, or a tenth of its life for a short one, so a clock that runs a little apart
/// from the provider's never sends an expired one.
fn renew_after(expires_in: u64) -> Duration {
    // A day at most: a provider's "forever" must not overflow the clock.
    let expires_in = expires_in.min(24 * 60 * 60);
    let margin = (expires_in / 10).min(60);
    Duration::from_secs(expires_in.saturating_sub(margin))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_endpoint_is_on_the_apis_host() {
        assert_eq!(
            UpstreamSettings::token_url_for("https://oc.debitsuccess.com/CustomerServices/v1.0"),
            "https://oc.debitsuccess.com/identity/connect/token"
        );
        assert_eq!(
            UpstreamSettings::token_url_for("http://127.0.0.1:9000/CustomerServices/v1.0"),
            "http://127.0.0.1:9000/identity/connect/token"
        );
    }

    #[test]
    fn a_token_is_renewed_before_it_expires() {
        assert_eq!(renew_after(3600), Duration::from_secs(3540));
        assert_eq!(renew_after(30), Duration::from_secs(27));
        assert_eq!(renew_after(0), Duration::ZERO);
        assert_eq!(renew_after(u64::MAX), Duration::from_secs(86_340));
    }
}
