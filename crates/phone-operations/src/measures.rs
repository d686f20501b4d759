//! The metric families the gateway's calls to the provider (and the server's telemetry) are
//! counted in: their types and buckets, shared so that `/metrics` shows the gateway's figures
//! without this crate knowing how they are shown.

use std::time::Instant;

use prometheus_client::{
    encoding::EncodeLabelSet,
    metrics::{counter::Counter, family::Family, histogram::Histogram},
};

/// Latency buckets, in seconds: a 1-2-5 ladder from half a millisecond to five seconds. Most
/// answers and database calls take from a few hundred microseconds to tens of milliseconds,
/// where a decade-wide bucket would say little; `histogram_quantile` interpolates within a
/// bucket, and with each bound 2 to 2.5 times the last its estimate is off by less than that
/// factor wherever it falls.
pub const SECONDS: [f64; 13] =
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0];

/// The provider's latency goes one step further, to ten seconds: the gateway's default
/// `--upstream-timeout`. An answer comes within the timeout or is counted as `timed_out`
/// instead, so with the default every answer lands in a finite bucket, and a provider taking
/// 5 to 10 s shows as such rather than in `+Inf` (where `histogram_quantile` can say no more
/// than "over 5 s").
pub const UPSTREAM_SECONDS: f64 = 10.0;

/// Histograms of seconds by the labels `L`, as every family here makes them.
pub type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Seconds histograms by kind.
pub type Seconds = Histograms<Kind>;

/// A family's one label, `kind`: a query's (`read`, `write`), a limit's (`api`, `sign_in`), a
/// credential's, a provider's error.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct Kind {
    pub kind: &'static str,
}

/// Counters by kind.
pub type Counts = Family<Kind, Counter>;

/// Seconds histograms by kind, with the buckets of calls made here (the database's).
pub fn seconds() -> Seconds {
    Family::new_with_constructor(histogram)
}

/// Seconds histograms by kind, with the buckets of calls to the provider.
pub fn upstream_seconds() -> Seconds {
    Family::new_with_constructor(|| Histogram::new(SECONDS.into_iter().chain([UPSTREAM_SECONDS])))
}

pub fn histogram() -> Histogram {
    Histogram::new(SECONDS)
}

/// Seconds since `started`, as a histogram takes them.
pub fn since(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}
