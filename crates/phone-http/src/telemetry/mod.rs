//! What an operator's tools read at `GET /metrics`: OpenMetrics text (which Prometheus
//! scrapes) or, to a client that asks for `text/plain` only, the Prometheus text format
//! (see [`exposition`]); written by prometheus-client from one registry per server.
//!
//! Requests are counted by route template (`/CustomerServices/v1.0/customers/{customerId}`),
//! never by the raw path: ids would make a series per customer. Served on the API's address to
//! loopback callers only (a proxy's forwarded requests are not loopback ones), or on an
//! address of its own with `--metrics-address`; see the README, "Operating it".

mod connections;
mod exposition;
#[cfg(target_os = "linux")]
mod process;
mod requests;

use std::{sync::Arc, time::Instant};

use axum::{
    Router,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use phone_model::Refusal;
use prometheus_client::{
    collector::Collector,
    encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric, MetricEncoder},
    metrics::{
        MetricType,
        counter::{ConstCounter, Counter},
        family::{Family, MetricConstructor},
        gauge::Gauge,
    },
    registry::Registry,
};

pub use self::connections::{Closed, Connections};
pub use self::requests::record;
pub(crate) use self::requests::route;
use self::{
    exposition::Format,
    requests::{Answer, Route},
};
use crate::{AppState, client_address::ClientAddress};
use phone_operations::ApiError;
use phone_operations::gateway::Gateway;
use phone_operations::measures::{Counts, Histograms, Kind, Seconds, histogram, seconds, since};
use phone_store::Store;

/// The version and commit that `phonedesk_build_info` shows.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Build {
    version: &'static str,
    commit: &'static str,
}

/// The workspace's version and the commit, as `--version` says them.
fn build() -> Build {
    Build { version: crate::version::VERSION, commit: crate::version::COMMIT }
}

/// The label values of the families by kind. Each series is made as the server starts and
/// reads 0 until its first event: a series that appears with its first event hides that event
/// from `rate()` and `increase()`, and an alert on it cannot tell "none yet" from "not
/// measured". The README's table lists the same values.
const DATABASE_KINDS: [&str; 2] = ["read", "write"];
const RATE_LIMITS: [&str; 2] = ["api", "sign_in"];
const CREDENTIALS: [&str; 3] = ["sign_in", "token_request", "api_request"];
const UPSTREAM_CALLS: [&str; 2] = ["api", "token"];
const UPSTREAM_ERRORS: [&str; 5] =
    ["unreachable", "timed_out", "credentials", "over_budget", "over_share"];

/// `family`, with a series for each of `kinds`, to register.
fn with_kinds<M, C>(family: &Family<Kind, M, C>, kinds: &[&'static str]) -> Family<Kind, M, C>
where
    C: MetricConstructor<M> + Clone,
{
    for &kind in kinds {
        drop(family.get_or_create(&Kind { kind }));
    }
    family.clone()
}

/// A family shown from the first scrape, its HELP and TYPE before it has any series:
/// prometheus-client leaves an empty family out altogether, and a reader of `/metrics` should
/// find every family the README lists. The per-route families start empty, their series made
/// by the first answer of each method, route and status. Not made beforehand for each route
/// template: which statuses a route answers with cannot be listed, and a histogram for every
/// method and template (sixteen lines each, many for routes a deployment never calls) would
/// fill every scrape with zeros.
#[derive(Debug)]
struct Described<M>(M);

impl<M: EncodeMetric> EncodeMetric for Described<M> {
    fn encode(&self, encoder: MetricEncoder) -> Result<(), std::fmt::Error> {
        self.0.encode(encoder)
    }

    fn metric_type(&self) -> MetricType {
        self.0.metric_type()
    }
    // `is_empty` keeps its default: never empty, so always described.
}

/// The server's metrics.
#[derive(Debug, Clone)]
pub struct Telemetry(Arc<Measures>);

#[derive(Debug)]
struct Measures {
    registry: Registry,
    requests: Family<Answer, Counter>,
    latency: Histograms<Route>,
    bytes_out: Family<Route, Counter>,
    credential_failures: Counts,
    rate_limited: Counts,
    sync_lag: Gauge,
    connections: Connections,
}

impl Telemetry {
    /// The metrics of a server on `store`, in gateway mode with `gateway`.
    pub fn new(store: &Arc<Store>, database: &DatabaseCalls, gateway: Option<&Gateway>) -> Self {
        // The process's figures carry no prefix: every client library names them alike.
        let mut root = Registry::default();
        #[cfg(target_os = "linux")]
        if let Some(process) = process::Process::new() {
            root.register_collector(Box::new(process));
        }
        let registry = root.sub_registry_with_prefix("phonedesk");
        // A gauge at 1, as Prometheus's own `prometheus_build_info`: the text format has no
        // `info` type, and promtool refuses OpenMetrics' one.
        let build_info = Family::<Build, Gauge>::default();
        build_info.get_or_create(&build()).set(1);
        registry.register(
            "build_info",
            "The server's version and the commit it was built from (always 1)",
            build_info,
        );
        let requests = Family::<Answer, Counter>::default();
        registry.register(
            "http_requests",
            "Requests answered, by route template",
            Described(requests.clone()),
        );
        let latency: Histograms<Route> = Family::new_with_constructor(histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to an answer's head, by route template",
            Described(latency.clone()),
        );
        let bytes_out = Family::<Route, Counter>::default();
        registry.register(
            "http_response_body_bytes",
            "Bytes of answers' bodies, by route template",
            Described(bytes_out.clone()),
        );
        let credential_failures = Counts::default();
        registry.register(
            "credential_failures",
            "Sign-ins (sign_in), token requests (token_request) and API requests (api_request) \
             refused for their credentials",
            with_kinds(&credential_failures, &CREDENTIALS),
        );
        registry.register(
            "database_seconds",
            "Time in the database, by kind (read, write)",
            with_kinds(&database.0, &DATABASE_KINDS),
        );
        registry.register_collector(Box::new(PoolWaits(Arc::clone(store))));
        let rate_limited = Counts::default();
        registry.register(
            "rate_limited",
            "Requests refused by a rate limit (api, sign_in)",
            with_kinds(&rate_limited, &RATE_LIMITS),
        );
        let connections = Connections { open: Gauge::default(), closed: Counts::default() };
        registry.register(
            "connections_open",
            "Connections open now, on the API's address and on /metrics' own",
            connections.open.clone(),
        );
        registry.register(
            "connections_closed",
            "Connections the server closed itself: refused at --max-connections (refused), or \
             past --header-timeout, --idle-timeout or --body-timeout",
            with_kinds(&connections.closed, &Closed::ALL.map(Closed::kind)),
        );
        let sync_lag = Gauge::default();
        if let Some((latency, errors)) = gateway.map(Gateway::measures) {
            registry.register(
                "upstream_request_duration_seconds",
                "Time the provider took to answer, by kind (api, token)",
                with_kinds(latency, &UPSTREAM_CALLS),
            );
            registry.register(
                "upstream_errors",
                "Requests to the provider that got no answer (unreachable, timed_out, credentials), \
                 or were held back by the gateway's budget (over_budget) or by the caller's share \
                 of it (over_share)",
                with_kinds(errors, &UPSTREAM_ERRORS),
            );
            registry.register(
                "search_index_lag_seconds",
                "Seconds since the copy of the provider's customers was last synced in full \
                 (-1: never)",
                sync_lag.clone(),
            );
        }
        Self(Arc::new(Measures {
            registry: root,
            requests,
            latency,
            bytes_out,
            credential_failures,
            rate_limited,
            sync_lag,
            connections,
        }))
    }

    /// Counts a request refused for its credentials (`sign_in`, `token_request`, …).
    pub fn credential_failed(&self, kind: &'static str) {
        debug_assert!(CREDENTIALS.contains(&kind), "{kind}: a kind CREDENTIALS does not list");
        self.0.credential_failures.get_or_create(&Kind { kind }).inc();
    }

    /// What the connection loop counts.
    pub fn connections(&self) -> Connections {
        self.0.connections.clone()
    }

    /// The counter of refusals by the limit `kind` (`api`, `sign_in`), for its limiter.
    pub fn rate_limited(&self, kind: &'static str) -> Counter {
        debug_assert!(RATE_LIMITS.contains(&kind), "{kind}: a kind RATE_LIMITS does not list");
        self.0.rate_limited.get_or_create_owned(&Kind { kind })
    }
}

/// The metrics on the API's own address: for loopback callers only, and not through a proxy
/// on this machine (which forwards the public's requests from loopback).
pub async fn on_api_address(State(state): State<AppState>, request: Request) -> Response {
    // Behind a trusted proxy, the caller it names; a proxy we do not trust that says it
    // forwarded (from loopback, for the public) is refused.
    let client = ClientAddress::of(request.extensions());
    let local = client.is_some_and(|client| client.ip.is_loopback());
    let headers = request.headers();
    let forwarded =
        headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for");
    let vouched = client.is_some_and(|client| client.via_proxy);
    if !local || (forwarded && !vouched) {
        return ApiError::Refused(Refusal::NotFound).into_response();
    }
    render(&state, headers).await
}

/// A service of its own, for `--metrics-address`.
pub fn router(state: AppState) -> Router {
    let metrics = |State(state): State<AppState>, headers: HeaderMap| async move {
        render(&state, &headers).await
    };
    Router::new().route("/metrics", get(metrics)).with_state(state)
}

/// Everything measured, in the format `headers` ask for.
async fn render(state: &AppState, headers: &HeaderMap) -> Response {
    if state.ops.gateway().is_some() {
        let synced_at = state.ops.small_read(|store| Ok(store.synced_at()?)).await.ok().flatten();
        let now = crate::rate_limit::now();
        let lag =
            synced_at.map_or(-1, |at| i64::try_from(now).unwrap_or(i64::MAX).saturating_sub(at));
        state.telemetry.0.sync_lag.set(lag);
    }
    let format = Format::asked_for(headers);
    let body = format.encode(&state.telemetry.0.registry);
    let content_type = HeaderValue::from_static(format.content_type());
    // The answer depends on `Accept`: a cache must not give one format to the other's asker.
    let vary = HeaderValue::from_static("accept");
    ([(header::CONTENT_TYPE, content_type), (header::VARY, vary)], body).into_response()
}

/// Time in the database by kind, as the store tells it.
#[derive(Debug, Clone)]
pub struct DatabaseCalls(Seconds);

impl DatabaseCalls {
    pub fn new() -> Self {
        Self(seconds())
    }
}

impl Default for DatabaseCalls {
    fn default() -> Self {
        Self::new()
    }
}

impl phone_store::Observer for DatabaseCalls {
    fn database_call(&self, call: phone_store::Call, took: std::time::Duration) {
        self.0.get_or_create(&Kind { kind: call.name() }).observe(took.as_secs_f64());
    }
}

/// `phonedesk_pool_waits`, read from the store at each scrape.
#[derive(Debug)]
struct PoolWaits(Arc<Store>);

impl Collector for PoolWaits {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let counter = ConstCounter::new(self.0.pool_waits());
        let help =
            "Database calls that waited for a free connection (SQLite: reads; PostgreSQL: all)";
        counter.encode(encoder.encode_descriptor(
            "pool_waits",
            help,
            None,
            counter.metric_type(),
        )?)
    }
}

/// How long `work` took, into `histogram` under `kind`.
pub fn timed<T>(histogram: &Seconds, kind: &'static str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = work();
    histogram.get_or_create(&Kind { kind }).observe(since(started));
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bounds of `family`'s buckets, as the text format writes them.
    fn bounds(family: &Seconds) -> Vec<String> {
        let mut registry = Registry::default();
        registry.register("latency", "Latency", with_kinds(family, &["read"]));
        let text = Format::Text.encode(&registry);
        let bounds = text.lines().filter_map(|line| line.split_once("le=\"")?.1.split_once('"'));
        bounds.map(|(bound, _)| bound.to_owned()).collect()
    }

    #[test]
    fn latency_buckets_climb_1_2_5_from_half_a_millisecond_and_the_providers_to_ten_seconds() {
        let ladder = ["0.0005", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2"];
        let ladder = [&ladder[..], &["0.5", "1", "2", "5"]].concat();
        assert_eq!(bounds(&seconds()), [&ladder[..], &["+Inf"]].concat());
        let upstream = phone_operations::measures::upstream_seconds();
        assert_eq!(bounds(&upstream), [&ladder[..], &["10", "+Inf"]].concat());
    }
}
