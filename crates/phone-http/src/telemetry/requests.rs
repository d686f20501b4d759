//! Each answer, counted as it leaves: by method, route template and status.

use std::time::Instant;

use axum::{
    body::HttpBody as _,
    extract::{MatchedPath, Request, State},
    http::header,
    middleware::Next,
    response::Response,
};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};

use phone_operations::measures::since;

use super::Telemetry;

/// A per-route series' labels.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct Route {
    method: Method,
    route: String,
}

/// An answer's labels: its route's, and its status.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(super) struct Answer {
    method: Method,
    route: String,
    status: u16,
}

/// A request's method: the standard ones by name, anything else as `OTHER` (a caller
/// choosing methods must not choose series).
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(clippy::upper_case_acronyms, reason = "the methods as HTTP spells them")]
enum Method {
    GET,
    POST,
    PUT,
    DELETE,
    HEAD,
    OPTIONS,
    PATCH,
    OTHER,
}

impl From<&axum::http::Method> for Method {
    fn from(method: &axum::http::Method) -> Self {
        match method.as_str() {
            "GET" => Self::GET,
            "POST" => Self::POST,
            "PUT" => Self::PUT,
            "DELETE" => Self::DELETE,
            "HEAD" => Self::HEAD,
            "OPTIONS" => Self::OPTIONS,
            "PATCH" => Self::PATCH,
            _ => Self::OTHER,
        }
    }
}

/// The middleware that counts every answer by method, route template and status.
pub async fn record(State(telemetry): State<Telemetry>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = Method::from(request.method());
    let route = route(&request);
    let response = next.run(request).await;
    let measures = &telemetry.0;
    let status = response.status().as_u16();
    measures.requests.get_or_create(&Answer { method, route: route.clone(), status }).inc();
    let route = Route { method, route };
    measures.latency.get_or_create(&route).observe(since(started));
    // The body's length: known for JSON and errors, in `Content-Length` for the app's files.
    let bytes = response.body().size_hint().exact().or_else(|| {
        let length = response.headers().get(header::CONTENT_LENGTH)?;
        length.to_str().ok()?.parse().ok()
    });
    let bytes = bytes.unwrap_or(0);
    measures.bytes_out.get_or_create(&route).inc_by(bytes);
    response
}

/// The route template a request matched (`/CustomerServices/v1.0/customers/{customerId}`), or
/// `unmatched` (the app's files, a 404): never the raw path, whose ids would make a series, or
/// an access log line, per customer. Axum has matched the route when the outermost
/// `Router::layer` runs.
pub(crate) fn route(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned())
}
