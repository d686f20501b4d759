//! How many connections fit under the process's open-file limit (`ulimit -n`, RLIMIT_NOFILE):
//! each holds a descriptor, and so does everything else the server opens. Past the limit,
//! accepting fails (`Too many open files`) and so does opening the database.
//!
//! The limit is [`crate::open_files::open_file_limit`].

/// Connections open at once when `--max-connections` is not given, if the open-file limit
/// leaves room for them.
pub const DEFAULT_MAX_CONNECTIONS: u32 = 1024;

/// Descriptors kept for all but the listener's connections: the database's (SQLite opens the
/// file and its write-ahead log for each of up to 25 connections, 50 in all; PostgreSQL a
/// socket each), the listeners, the runtime's, the standard streams, app files being sent,
/// the provider's connections in gateway mode, and `/metrics`' own address's
/// ([`super::METRICS_CONNECTIONS`]).
pub const RESERVED_DESCRIPTORS: u64 = 96;

/// The connections a server takes at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaxConnections {
    /// As `--max-connections` asked, or the default.
    AsAsked(usize),
    /// `--max-connections` was not given, and the default did not fit: as many as do.
    Lowered { to: usize, open_file_limit: u64 },
}

impl MaxConnections {
    pub fn get(self) -> usize {
        match self {
            Self::AsAsked(connections) | Self::Lowered { to: connections, .. } => connections,
        }
    }
}

/// The open-file limit leaves no room for the connections asked for, or, without
/// `--max-connections`, for any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TooFewDescriptors {
    /// `--max-connections` asked for more than fit beside [`RESERVED_DESCRIPTORS`].
    #[error(
        "--max-connections {asked} needs {needed} open files ({RESERVED_DESCRIPTORS} more for \
         the database and listeners), and this process may open {open_file_limit}: raise the \
         limit (ulimit -n {needed}, or LimitNOFILE= in a systemd unit), or give a \
         --max-connections of at most {most}",
        needed = u64::from(*.asked) + RESERVED_DESCRIPTORS,
        most = .open_file_limit.saturating_sub(RESERVED_DESCRIPTORS)
    )]
    Asked { asked: u32, open_file_limit: u64 },
    /// Without `--max-connections`, the limit leaves no room for a single connection.
    #[error(
        "this process may open {open_file_limit} files, and the server needs \
         {RESERVED_DESCRIPTORS} for the database and listeners before any connection: raise the \
         limit (ulimit -n {needed}, or LimitNOFILE= in a systemd unit)",
        needed = u64::from(DEFAULT_MAX_CONNECTIONS) + RESERVED_DESCRIPTORS
    )]
    NoneFit { open_file_limit: u64 },
}

/// How many connections to take at once: `asked` (`--max-connections`) if the open-file limit
/// leaves room for them beside [`RESERVED_DESCRIPTORS`], else an error; without `asked`, the
/// default, lowered to what fits. `open_file_limit` is `None` when there is none.
///
/// # Errors
/// [`TooFewDescriptors`] when `asked` does not fit (`Some(2000)` under a limit of 1024), or,
/// without `asked`, nothing does (a limit of 96 or less).
pub fn max_connections(
    asked: Option<u32>,
    open_file_limit: Option<u64>,
) -> Result<MaxConnections, TooFewDescriptors> {
    let wanted = u64::from(asked.unwrap_or(DEFAULT_MAX_CONNECTIONS));
    let Some(limit) = open_file_limit else {
        return Ok(MaxConnections::AsAsked(count(wanted)));
    };
    let room = limit.saturating_sub(RESERVED_DESCRIPTORS);
    match asked {
        _ if wanted <= room => Ok(MaxConnections::AsAsked(count(wanted))),
        None if room > 0 => Ok(MaxConnections::Lowered { to: count(room), open_file_limit: limit }),
        Some(asked) => Err(TooFewDescriptors::Asked { asked, open_file_limit: limit }),
        None => Err(TooFewDescriptors::NoneFit { open_file_limit: limit }),
    }
}

/// A number of connections, which fits in memory as it fits in a `u32`.
fn count(connections: u64) -> usize {
    usize::try_from(connections).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_fit_beside_the_reserved_descriptors_or_are_refused_when_asked_for() {
        use MaxConnections::{AsAsked, Lowered};
        type Fitted = Result<MaxConnections, TooFewDescriptors>;
        let cases: [(Option<u32>, Option<u64>, Fitted); 8] = [
            (None, None, Ok(AsAsked(1024))),
            (None, Some(20_000), Ok(AsAsked(1024))),
            (None, Some(1120), Ok(AsAsked(1024))),
            (None, Some(1024), Ok(Lowered { to: 928, open_file_limit: 1024 })),
            (None, Some(96), Err(TooFewDescriptors::NoneFit { open_file_limit: 96 })),
            (Some(5000), None, Ok(AsAsked(5000))),
            (Some(32), Some(128), Ok(AsAsked(32))),
            (
                Some(33),
                Some(128),
                Err(TooFewDescriptors::Asked { asked: 33, open_file_limit: 128 }),
            ),
        ];
        for (asked, limit, expected) in cases {
            assert_eq!(max_connections(asked, limit), expected, "{asked:?} under {limit:?}");
        }
    }

    #[test]
    fn a_refusal_says_what_was_asked_what_fits_and_how_to_raise_the_limit() {
        let refused = max_connections(Some(1000), Some(128)).unwrap_err().to_string();
        assert_eq!(
            refused,
            "--max-connections 1000 needs 1096 open files (96 more for the database and \
             listeners), and this process may open 128: raise the limit (ulimit -n 1096, or \
             LimitNOFILE= in a systemd unit), or give a --max-connections of at most 32"
        );
        let none_fit = max_connections(None, Some(96)).unwrap_err().to_string();
        assert_eq!(
            none_fit,
            "this process may open 96 files, and the server needs 96 for the database and \
             listeners before any connection: raise the limit (ulimit -n 1120, or LimitNOFILE= \
             in a systemd unit)"
        );
    }
}
