//! What the connection loop counts (see [`crate::serving`]): connections open now, and those
//! the server closed itself, by why ([`Closed`], the `kind` of
//! `phonedesk_connections_closed_total`).

use phone_operations::measures::{Counts, Kind};
use prometheus_client::metrics::gauge::Gauge;

/// Why the server closed a connection itself; the `kind` of
/// `phonedesk_connections_closed_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// Accepted when `--max-connections` were open, and closed at once.
    Refused,
    /// Its request's head did not arrive within `--header-timeout`.
    HeaderTimeout,
    /// Kept alive, it sent nothing more within `--idle-timeout`.
    IdleTimeout,
    /// A request's body did not arrive within `--body-timeout` (answered 408).
    BodyTimeout,
}

impl Closed {
    /// Every reason, for the metric's series from the start.
    pub const ALL: [Self; 4] =
        [Self::Refused, Self::HeaderTimeout, Self::IdleTimeout, Self::BodyTimeout];

    /// The metric's label value.
    pub const fn kind(self) -> &'static str {
        match self {
            Self::Refused => "refused",
            Self::HeaderTimeout => "header_timeout",
            Self::IdleTimeout => "idle_timeout",
            Self::BodyTimeout => "body_timeout",
        }
    }
}

/// What the connection loop counts (see [`crate::serving`]): connections open now, and those
/// the server closed itself, by why.
#[derive(Debug, Clone)]
pub struct Connections {
    pub(super) open: Gauge,
    pub(super) closed: Counts,
}

impl Connections {
    /// A connection was accepted and is served.
    pub(crate) fn opened(&self) {
        self.open.inc();
    }

    /// A served connection ended.
    pub(crate) fn ended(&self) {
        self.open.dec();
    }

    /// The server closed a connection, for `why`.
    pub(crate) fn closed(&self, why: Closed) {
        self.closed.get_or_create(&Kind { kind: why.kind() }).inc();
    }
}
