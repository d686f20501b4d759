//! What the server writes on standard output: as text for people (`--log-format text`, the
//! default) or one JSON object a line for a log collector (`json`), filtered by `RUST_LOG`
//! (`info` without it).
//!
//! Every event is one line in either format: the text format escapes control characters in
//! messages and fields (see `one_line`), as JSON does. Colours only go to a terminal, and never
//! when `NO_COLOR` is set: an ANSI code in a file or a collector's pipe is noise to every
//! reader. Answered requests are logged at `info` under [`ACCESS_TARGET`] (see
//! `phone_http::access_log`).

mod one_line;

use std::{ffi::OsStr, io::IsTerminal};

use tracing::Subscriber;
use tracing_subscriber::{
    EnvFilter, Layer, fmt::MakeWriter, layer::SubscriberExt, util::SubscriberInitExt,
};

use one_line::OneLine;
use phone_http::access_log::ACCESS_TARGET;

use crate::config::{AccessLog, LogFormat};

/// Installs the process's logger, writing to standard output in `format`.
///
/// # Panics
/// When a logger is already installed.
pub fn init(format: LogFormat, access_log: AccessLog) {
    let colour =
        use_colour(std::io::stdout().is_terminal(), std::env::var_os("NO_COLOR").as_deref());
    let filter = filter(std::env::var("RUST_LOG").ok().as_deref(), access_log);
    subscriber(format, filter, colour, std::io::stdout).init();
}

/// Whether the text format colours its lines: only on a terminal, and not when `NO_COLOR` is
/// set to anything but the empty string (<https://no-color.org>).
pub fn use_colour(is_terminal: bool, no_color: Option<&OsStr>) -> bool {
    is_terminal && no_color.is_none_or(OsStr::is_empty)
}

/// What is logged: `rust_log`'s directives (`info` without them, or when they do not parse),
/// and never the access log when it is off, whatever `rust_log` says.
fn filter(rust_log: Option<&str>, access_log: AccessLog) -> EnvFilter {
    let filter = rust_log
        .and_then(|directives| EnvFilter::try_new(directives).ok())
        .unwrap_or_else(|| EnvFilter::new("info"));
    match access_log {
        AccessLog::On => filter,
        // A directive for the same target replaces the one `rust_log` gave.
        AccessLog::Off => {
            filter.add_directive(format!("{ACCESS_TARGET}=off").parse().expect("a valid directive"))
        }
    }
}

/// The logger for `format`, writing to `writer`: what [`init`] installs for standard output,
/// and what the tests run with a buffer.
fn subscriber<W>(
    format: LogFormat,
    filter: EnvFilter,
    colour: bool,
    writer: W,
) -> impl Subscriber + Send + Sync
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let lines = tracing_subscriber::fmt::layer().with_writer(writer);
    let lines = match format {
        LogFormat::Text => lines.fmt_fields(OneLine).with_ansi(colour).boxed(),
        // serde_json escapes what it writes, and never colours it.
        LogFormat::Json => lines.json().boxed(),
    };
    tracing_subscriber::registry().with(lines).with(filter)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// What a logger of `format` with `filter` writes while `log` runs.
    pub(super) fn logged(format: LogFormat, filter: EnvFilter, log: impl FnOnce()) -> String {
        let written = Arc::new(Mutex::new(Vec::new()));
        let writer = {
            let written = Arc::clone(&written);
            move || Written(Arc::clone(&written))
        };
        let subscriber = subscriber(format, filter, false, writer);
        tracing::subscriber::with_default(subscriber, log);
        let bytes = written.lock().expect("no test panics while logging").clone();
        String::from_utf8(bytes).expect("UTF-8")
    }

    struct Written(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("no test panics while logging").extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn colours_go_only_to_a_terminal_and_never_when_no_color_is_set() {
        let set = |value: &'static str| Some(OsStr::new(value));
        for (is_terminal, no_color, colour) in [
            (true, None, true),
            (true, set(""), true),
            (true, set("1"), false),
            (true, set("false"), false),
            (false, None, false),
            (false, set(""), false),
            (false, set("1"), false),
        ] {
            assert_eq!(use_colour(is_terminal, no_color), colour, "{is_terminal} {no_color:?}");
        }
    }

    #[test]
    fn the_access_log_is_off_by_the_flag_or_by_its_target_and_nothing_else_is() {
        let both = || {
            tracing::info!(target: ACCESS_TARGET, "answered");
            tracing::info!("started");
        };
        for (rust_log, access_log, expected) in [
            (None, AccessLog::On, ["answered", "started"].as_slice()),
            (Some("info"), AccessLog::On, &["answered", "started"]),
            (None, AccessLog::Off, &["started"]),
            (Some("info,phonedesk::access=info"), AccessLog::Off, &["started"]),
            (Some("info,phonedesk::access=off"), AccessLog::On, &["started"]),
            (Some("warn"), AccessLog::On, &[]),
            (Some("not a filter=="), AccessLog::On, &["answered", "started"]),
        ] {
            let text = logged(LogFormat::Text, filter(rust_log, access_log), both);
            let messages: Vec<&str> =
                text.lines().filter_map(|line| line.split(": ").nth(1)).collect();
            assert_eq!(messages, expected, "{rust_log:?} {access_log:?}");
        }
    }
}
