//! Why a call to the provider gave no answer to pass on, said for the log.

use axum::http::StatusCode;

use crate::gateway::budget::{Held, Holder};

/// Why an upstream call gave no answer to pass on.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    /// No connection, a broken one, or an answer that was not HTTP.
    #[error("the provider could not be reached: {0}")]
    Unreachable(#[source] Unreached),
    /// No answer within the timeout.
    #[error("the provider did not answer in time")]
    TimedOut,
    /// The provider would not give Phonedesk a token (its credentials are wrong or revoked).
    #[error("the provider refused Phonedesk's credentials: {0}")]
    Credentials(#[source] TokenRefused),
    /// The gateway's budget for the provider, or the caller's share of it, is spent for longer
    /// than a person should wait.
    #[error("{} is spent for {wait:?}", spent(.0.by), wait = .0.wait)]
    OverBudget(Held),
}

/// What [`UpstreamError::OverBudget`] says is spent.
fn spent(by: Holder) -> &'static str {
    match by {
        Holder::Everyone => "the provider's rate",
        Holder::Share => "the caller's share of the provider's rate",
    }
}

/// Why the provider could not be reached.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Unreached {
    /// The request could not be made (a URL or a header of the settings is not valid).
    #[error("{0}")]
    Request(#[source] axum::http::Error),
    /// No connection, or a broken one: the client's error, said with the chain of its causes
    /// (refused, reset, DNS), since its own message says only that the client failed.
    #[error("{}", Causes(.0))]
    Connection(#[source] hyper_util::client::legacy::Error),
    /// The answer's body broke off, or was longer than the gateway reads.
    #[error("{0}")]
    Body(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The token endpoint answered with something that is not a token.
    #[error("a token answer that is not one: {0}")]
    TokenAnswer(#[source] serde_json::Error),
}

/// Why the provider would not give Phonedesk a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenRefused {
    /// The token endpoint refused: its status, and the first 200 characters of its answer.
    #[error("{status}: {answer}")]
    Status { status: StatusCode, answer: String },
    /// The provider's API refused a token fetched just now, as it had the one before.
    #[error("a fresh token was refused too")]
    FreshTokenToo,
}

/// An error and the chain of its causes, on one line: `client error (Connect): tcp connect
/// error: Connection refused (os error 111)`.
struct Causes<'a>(&'a dyn std::error::Error);

impl std::fmt::Display for Causes<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use axum::http::Request;

    use super::*;

    /// An error with one cause, as a client's error wraps an I/O error.
    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Layer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|cause| cause as _)
        }
    }

    #[track_caller]
    fn says(error: UpstreamError, expected: &str) {
        assert_eq!(error.to_string(), expected);
    }

    /// What the gateway's log says when the provider gave no answer.
    #[test]
    fn each_failure_says_what_the_provider_did_or_did_not_do() {
        // A client's error cannot be made here: its chain of causes is said as `Causes` says it.
        let reset = Layer("connection reset by peer", None);
        let failed = Layer("client error (SendRequest)", Some(Box::new(reset)));
        assert_eq!(
            Causes(&failed).to_string(),
            "client error (SendRequest): connection reset by peer"
        );
        let bad_uri = Request::get("http://a b/").body(()).unwrap_err();
        says(
            UpstreamError::Unreachable(Unreached::Request(bad_uri)),
            "the provider could not be reached: invalid uri character",
        );
        says(
            UpstreamError::Unreachable(Unreached::Body("length limit exceeded".into())),
            "the provider could not be reached: length limit exceeded",
        );
        let not_json = serde_json::from_slice::<u8>(b"<html>").unwrap_err();
        says(
            UpstreamError::Unreachable(Unreached::TokenAnswer(not_json)),
            "the provider could not be reached: a token answer that is not one: expected value \
             at line 1 column 1",
        );
        says(UpstreamError::TimedOut, "the provider did not answer in time");
        says(
            UpstreamError::Credentials(TokenRefused::FreshTokenToo),
            "the provider refused Phonedesk's credentials: a fresh token was refused too",
        );
        let answer = "invalid_client".to_owned();
        says(
            UpstreamError::Credentials(TokenRefused::Status {
                status: StatusCode::BAD_REQUEST,
                answer,
            }),
            "the provider refused Phonedesk's credentials: 400 Bad Request: invalid_client",
        );
        let wait = Duration::from_millis(1500);
        says(
            UpstreamError::OverBudget(Held { wait, by: Holder::Everyone }),
            "the provider's rate is spent for 1.5s",
        );
        says(
            UpstreamError::OverBudget(Held { wait, by: Holder::Share }),
            "the caller's share of the provider's rate is spent for 1.5s",
        );
    }
}
