//! Text lines that stay one line per event.
//!
//! tracing-subscriber's text format writes a message and every `%` field as their `Display`
//! makes them, newlines and all (it escapes only terminal escapes, and only in messages and
//! errors): a user name typed with a newline, or a database error whose detail runs over
//! lines, would start a line that a reader or a collector takes for another event, one the
//! caller wrote. A `?` field of a string is quoted and escaped, but not every `Debug` is.

use std::fmt;

use tracing_subscriber::{
    field::RecordFields,
    fmt::{
        FormatFields,
        format::{DefaultFields, Writer},
    },
};

/// Fields as the text format writes them, with every control character and Unicode line or
/// paragraph separator escaped as Rust writes it in a string (`\n`, `\u{1b}`). Field names are
/// not italic on a terminal any more: that is the formatter's only use of colour in fields.
#[derive(Debug, Default, Clone, Copy)]
pub struct OneLine;

impl<'writer> FormatFields<'writer> for OneLine {
    fn format_fields<R: RecordFields>(
        &self,
        mut writer: Writer<'writer>,
        fields: R,
    ) -> fmt::Result {
        let mut escaping = Escaping(&mut writer);
        DefaultFields::new().format_fields(Writer::new(&mut escaping), fields)
    }
}

/// Writes to the inner writer with what could break a line escaped.
struct Escaping<'a, W>(&'a mut W);

impl<W: fmt::Write> fmt::Write for Escaping<'_, W> {
    fn write_str(&mut self, mut text: &str) -> fmt::Result {
        while let Some(at) = text.find(breaks_lines) {
            let (plain, rest) = text.split_at(at);
            self.0.write_str(plain)?;
            let mut rest = rest.chars();
            let breaking = rest.next().expect("found at `at`");
            write!(self.0, "{}", breaking.escape_debug())?;
            text = rest.as_str();
        }
        self.0.write_str(text)
    }
}

/// Whether a character could end a line, or move the cursor, wherever the log is read.
fn breaks_lines(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use tracing_subscriber::EnvFilter;

    use super::super::tests::logged;
    use crate::config::LogFormat;

    #[test]
    fn newlines_in_messages_fields_and_spans_are_escaped_so_each_event_is_one_line() {
        let name = "eve\n2026-01-01T00:00:00Z  INFO signed in user=admin";
        let text = logged(LogFormat::Text, EnvFilter::new("info"), || {
            let span = tracing::info_span!("request", path = %"/a\nb");
            let _entered = span.enter();
            tracing::warn!(user = %name, "sign-in failed");
            tracing::error!(error = %"no such table\nDETAIL: x", "internal error");
            tracing::info!("a message\r\nacross lines\u{2028}and {}", "a \u{1b}[31m colour");
            tracing::info!(debug = ?Multiline, "debugged");
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines.iter().all(|line| line.contains("request{path=/a\\nb}")), "{text}");
        assert!(lines[0].ends_with(&format!("sign-in failed user={}", name.replace('\n', "\\n"))));
        assert!(lines[1].ends_with("internal error error=no such table\\nDETAIL: x"), "{text}");
        assert!(lines[2].ends_with("a message\\r\\nacross lines\\u{2028}and a \\x1b[31m colour"));
        assert!(lines[3].ends_with("debugged debug=one\\ntwo"), "{text}");
        assert!(!text.contains('\u{1b}'), "no terminal escape reaches the log");
    }

    /// A `Debug` that writes a newline of its own.
    struct Multiline;

    impl std::fmt::Debug for Multiline {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("one\ntwo")
        }
    }

    #[test]
    fn json_lines_are_one_event_each_with_the_text_as_it_was() {
        let text = logged(LogFormat::Json, EnvFilter::new("info"), || {
            tracing::warn!(user = %"eve\nadmin", "sign-in\nfailed");
        });
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1, "{text}");
        let event: serde_json::Value = serde_json::from_str(lines[0]).expect("JSON");
        assert_eq!(event["fields"]["user"], "eve\nadmin");
        assert_eq!(event["fields"]["message"], "sign-in\nfailed");
    }
}
