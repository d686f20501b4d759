//! The access log: one event at `info`, target [`ACCESS_TARGET`], per answered request, with
//! the fields an operator filters on, each of its natural type in JSON:
//!
//! `method`, `route` (the route template, `unmatched` for the app's files and 404s: never the
//! raw path, whose ids would make every line unique and carry them into the log), `status`
//! (a number), `latency_ms` (a number, to the answer's head), `address` (the connection's, never
//! a forwarded one a caller could write), `client` or `user` when the request was authenticated,
//! and `request_id` (the answer's `X-Request-Id`).

use std::time::{Duration, Instant};

use axum::{extract::Request, middleware::Next, response::Response};
use tracing::field::display;

use crate::{auth, telemetry};
use phone_operations::Caller;

/// The target of the access log's events: `RUST_LOG=info,phonedesk::access=off` leaves them
/// out, as `--access-log off` does.
pub const ACCESS_TARGET: &str = "phonedesk::access";

/// The middleware that logs each answer. It is the outermost layer, around the request id's
/// layers, so it finds the id on the answer; the auth gate puts the verified caller in the
/// answer's extensions.
pub async fn access_log(request: Request, next: Next) -> Response {
    // Off, it costs nothing more than this check.
    if !tracing::enabled!(target: ACCESS_TARGET, tracing::Level::INFO) {
        return next.run(request).await;
    }
    let started = Instant::now();
    let method = request.method().clone();
    let route = telemetry::route(&request);
    let address = auth::address(request.extensions());
    let response = next.run(request).await;
    let (client, user) = match response.extensions().get::<Caller>() {
        Some(Caller::Client(id)) => (Some(display(id)), None),
        Some(Caller::User(name)) => (None, Some(display(name))),
        Some(Caller::Address(_) | Caller::Overflow) | None => (None, None),
    };
    let request_id = response.headers().get("x-request-id").and_then(|id| id.to_str().ok());
    // Strings by `Display`, unquoted in the text format as in the server's other lines; a field
    // that is `None` is left out.
    tracing::info!(
        target: ACCESS_TARGET,
        method = %method,
        route = %route,
        status = response.status().as_u16(),
        latency_ms = milliseconds(started.elapsed()),
        address = %address,
        client,
        user,
        request_id = request_id.map(display),
        "answered"
    );
    response
}

/// Milliseconds to the microsecond: finer is noise, and shorter numbers read better.
fn milliseconds(elapsed: Duration) -> f64 {
    elapsed.as_micros() as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_is_milliseconds_to_the_microsecond() {
        assert_eq!(milliseconds(Duration::from_nanos(87_654_321)), 87.654);
        assert_eq!(milliseconds(Duration::from_micros(5)), 0.005);
    }
}
