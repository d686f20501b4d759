//! The server's own accept loop, in place of `axum::serve`, which bounds nothing: a client that
//! connects and never sends a byte, or sends a header a byte a minute, holds a connection (and
//! a file descriptor) for ever, and enough of them stop the server accepting anyone.
//!
//! Here every connection is bounded in time (see [`clock`]): its request's head must
//! arrive within `--header-timeout`, a kept-alive connection may wait `--idle-timeout` for its
//! next request, and a request's body must arrive within `--body-timeout` (else 408). At most
//! `--max-connections` are open at once: one more is accepted and closed at once, so that it
//! costs a descriptor for a moment only, and a client that tries again gets in as soon as a
//! slow one's time is up. Not accepting it instead would leave it queued in the kernel behind
//! every slow client that connected before it, each of which, once accepted, holds a place
//! for a whole header timeout: a legitimate client could wait several of them.
//!
//! On the stop signal the listener is closed (new connections are refused), idle connections
//! are closed, and those answering a request finish it; [`serve`] returns once all have.

mod body;
mod clock;
mod connection;
mod descriptors;

use std::{
    future::Future,
    io,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::Router;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::{net::TcpListener, sync::Semaphore};

pub use self::body::request_timed_out;
pub use self::descriptors::{
    DEFAULT_MAX_CONNECTIONS, MaxConnections, RESERVED_DESCRIPTORS, TooFewDescriptors,
    max_connections,
};
pub use crate::open_files::open_file_limit;
use crate::telemetry::{Closed, Connections};

/// The connections `/metrics` on an address of its own (`--metrics-address`) takes at once:
/// a scraper or two keep one each. Counted in [`RESERVED_DESCRIPTORS`].
pub const METRICS_CONNECTIONS: usize = 8;

/// How long a connection may take over each part of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// For a request's head (its request line and headers), from the connection's start or,
    /// on a kept-alive connection, from the next request's first byte.
    pub header: Duration,
    /// For a kept-alive connection's next request to start, once the last was answered.
    pub idle: Duration,
    /// For a request's body, from its head.
    pub body: Duration,
}

/// What one listener allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub timeouts: Timeouts,
    /// Connections open at once at most.
    pub max_connections: usize,
}

/// How long accepting pauses after an error that is not one connection's (no descriptor left,
/// no memory): long enough not to spin on it, short enough that a freed descriptor is soon
/// used.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// Serves `router` on `listener` within `limits` until `stop` completes, then finishes the
/// requests in flight (see the module's documentation). Handlers get the caller's address as
/// `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    measures: Connections,
    stop: impl Future<Output = ()>,
) {
    let places = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut refusals = OncePerSecond::default();
    let mut accept_errors = OncePerSecond::default();
    let mut stop = std::pin::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            // One connection's trouble (reset before it was accepted): the next is fine.
            Err(error) if is_one_connections(&error) => continue,
            Err(error) => {
                accept_errors.note(|times| {
                    tracing::error!(%error, times, "could not accept connections: pausing");
                });
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let Ok(place) = Arc::clone(&places).try_acquire_owned() else {
            // Closed at once: see the module's documentation.
            drop(stream);
            measures.closed(Closed::Refused);
            refusals.note(|times| {
                tracing::warn!(
                    times,
                    max_connections = limits.max_connections,
                    "refused connections: --max-connections are open"
                );
            });
            continue;
        };
        let connection = connection::Connection {
            router: router.clone(),
            peer,
            timeouts: limits.timeouts,
            measures: measures.clone(),
        };
        connection.spawn(stream, place, &graceful);
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Whether an accept failed for one connection only, as hyper's own server judged it.
fn is_one_connections(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// An event logged at most once a second, with how many times it happened since the last line:
/// a flood of refusals or of `Too many open files` must not flood the log too.
#[derive(Debug, Default)]
struct OncePerSecond {
    logged: Option<Instant>,
    since: u64,
}

impl OncePerSecond {
    fn note(&mut self, log: impl FnOnce(u64)) {
        self.since += 1;
        if self.logged.is_none_or(|at| at.elapsed() >= Duration::from_secs(1)) {
            log(self.since);
            self.logged = Some(Instant::now());
            self.since = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_is_logged_at_most_once_a_second_with_how_many_times_it_happened() {
        let mut event = OncePerSecond::default();
        let mut lines = Vec::new();
        for _ in 0..5 {
            event.note(|times| lines.push(times));
        }
        assert_eq!(lines, [1], "the first at once, the next four held back");
        event.logged = Some(Instant::now() - Duration::from_secs(1));
        event.note(|times| lines.push(times));
        assert_eq!(lines, [1, 5], "a second later: the four held back and this one");
    }
}
