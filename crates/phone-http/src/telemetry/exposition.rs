//! The two ways `/metrics` writes the registry, chosen by the request's `Accept`.
//!
//! Prometheus asks for OpenMetrics by name and gets it. Anything else (`*/*`, `text/plain`, no
//! `Accept`: `curl`, an older Prometheus, many agents) gets the Prometheus text format 0.0.4,
//! the one `promtool check metrics` reads: `curl …/metrics | promtool check metrics` checks
//! what Prometheus stores. (Prometheus's own client libraries choose the same way.)

use axum::http::{HeaderMap, header};
use prometheus_client::{
    encoding::{prometheus_text, text},
    registry::Registry,
};

/// OpenMetrics 1.0's media type, as Prometheus asks for it.
const OPENMETRICS: &str = "application/openmetrics-text";

/// A format `/metrics` answers in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenMetrics 1.0: a family's HELP and TYPE name it without suffixes (a counter
    /// `x` has the series `x_total`), and the text ends with `# EOF`.
    OpenMetrics,
    /// The Prometheus text format 0.0.4: HELP and TYPE name a counter's series itself
    /// (`x_total`), and nothing marks the end.
    Text,
}

impl Format {
    /// The format a request with these headers asks for: OpenMetrics when its `Accept` names
    /// it (without `q=0`), the text format otherwise.
    pub fn asked_for(headers: &HeaderMap) -> Self {
        let accepts = |media_type| {
            headers
                .get_all(header::ACCEPT)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .any(|accept| accepts(accept, media_type))
        };
        if accepts(OPENMETRICS) { Self::OpenMetrics } else { Self::Text }
    }

    /// The answer's `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::OpenMetrics => "application/openmetrics-text; version=1.0.0; charset=utf-8",
            Self::Text => prometheus_text::CONTENT_TYPE,
        }
    }

    /// Everything in `registry`, in this format. prometheus-client writes both from the same
    /// registry, so the two never disagree on what is measured.
    pub fn encode(self, registry: &Registry) -> String {
        let mut body = String::new();
        let written = match self {
            Self::OpenMetrics => text::encode(&mut body, registry),
            Self::Text => prometheus_text::encode(&mut body, registry),
        };
        written.expect("writing to a String cannot fail");
        body
    }
}

/// Whether the `Accept` value `accept` lists `media_type`, other than with `q=0` (which
/// refuses it). Ranges such as `text/*` do not count: a client that wants the text format
/// names it.
fn accepts(accept: &str, media_type: &str) -> bool {
    accept.split(',').any(|range| {
        let mut parts = range.split(';').map(str::trim);
        let named = parts.next().is_some_and(|name| name.eq_ignore_ascii_case(media_type));
        named && !parts.any(refuses)
    })
}

/// Whether a media range's parameter is `q=0` (`q=0.0`, `Q=0.000`, …).
fn refuses(parameter: &str) -> bool {
    parameter.split_once('=').is_some_and(|(name, value)| {
        name.trim().eq_ignore_ascii_case("q") && value.trim().parse::<f64>() == Ok(0.0)
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[track_caller]
    fn check(accept: &[&str], expected: Format) {
        let mut headers = HeaderMap::new();
        for value in accept {
            headers.append(header::ACCEPT, HeaderValue::from_str(value).expect("a header"));
        }
        assert_eq!(Format::asked_for(&headers), expected, "Accept: {accept:?}");
    }

    #[test]
    fn openmetrics_goes_to_those_who_name_it_and_the_text_format_to_everyone_else() {
        use Format::{OpenMetrics, Text};
        let cases: &[(&[&str], Format)] = &[
            (&[], Text),
            (&["*/*"], Text),
            (&["text/plain"], Text),
            (&["text/plain;version=0.0.4;q=0.9,*/*;q=0.1"], Text),
            (&["TEXT/PLAIN ; version=0.0.4"], Text),
            // Prometheus 2.x's own Accept, with OpenMetrics first.
            (
                &["application/openmetrics-text;version=1.0.0,application/openmetrics-text;\
                   version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"],
                OpenMetrics,
            ),
            (&["text/plain", "application/openmetrics-text"], OpenMetrics),
            (&["application/openmetrics-text"], OpenMetrics),
            (&["text/plain;q=0"], Text),
            (&["text/plain;q=0.0, application/openmetrics-text;q=0"], Text),
            (&["text/plain, application/openmetrics-text;q=0"], Text),
            (&["text/*"], Text),
            (&["text/html"], Text),
        ];
        for (accept, expected) in cases {
            check(accept, *expected);
        }
    }
}
