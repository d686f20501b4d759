//! Requests refused as a whole rather than field by field, each with the provider's status
//! and message. With [`ValidationError`](crate::ValidationError), this is every sentence the
//! contract fixes.

use core::fmt;

/// Why a request was refused as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// 400: one or more fields broke a rule; the body lists them.
    Validation,
    /// 401: no valid credentials.
    Unauthorized,
    /// 403: the caller may not act on this customer.
    CustomerAccessDenied,
    /// 403: a staff member's write that did not come from the app's own pages (a foreign
    /// `Origin`, or without the app's header): what a cross-site request looks like.
    ForeignOrigin,
    /// 404: no such resource, or one that belongs to another customer.
    NotFound,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// 408: the request's body did not arrive in time; the connection is closed.
    RequestTimeout,
    /// 413: the body is larger than the server accepts.
    PayloadTooLarge,
    /// 412: the `If-Match` header names a version that is no longer the current one.
    PreconditionFailed,
    /// 415: the body is not declared as JSON.
    UnsupportedMediaType,
    /// 422: the `Idempotency-Key` was already used by this caller for a different request.
    IdempotencyKeyReused,
    /// 429: too many requests in the current window.
    TooManyRequests,
    /// 500: the server failed; the cause is logged, never sent.
    Internal,
    /// 503: the server cannot serve now (its database is unavailable); try again.
    Unavailable,
    /// 502, in gateway mode: the provider's API could not be reached, or would not take
    /// Phonedesk's credentials.
    UpstreamUnreachable,
    /// 504, in gateway mode: the provider's API did not answer in time.
    UpstreamTimedOut,
}

impl Refusal {
    /// The HTTP status code.
    ///
    /// ```
    /// assert_eq!(phone_model::Refusal::NotFound.status(), 404);
    /// ```
    #[must_use]
    pub const fn status(self) -> u16 {
        match self {
            Self::Validation => 400,
            Self::Unauthorized => 401,
            Self::CustomerAccessDenied | Self::ForeignOrigin => 403,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::RequestTimeout => 408,
            Self::PayloadTooLarge => 413,
            Self::PreconditionFailed => 412,
            Self::UnsupportedMediaType => 415,
            Self::IdempotencyKeyReused => 422,
            Self::TooManyRequests => 429,
            Self::Internal => 500,
            Self::Unavailable => 503,
            Self::UpstreamUnreachable => 502,
            Self::UpstreamTimedOut => 504,
        }
    }

    /// The body's `errorCode`, where the contract gives one.
    #[must_use]
    pub const fn error_code(self) -> Option<&'static str> {
        match self {
            Self::Validation => Some("validation"),
            Self::CustomerAccessDenied => Some("customer_access_denied"),
            Self::ForeignOrigin => Some("origin_refused"),
            Self::PreconditionFailed => Some("precondition_failed"),
            Self::IdempotencyKeyReused => Some("idempotency_key_reused"),
            Self::UpstreamUnreachable => Some("provider_unreachable"),
            Self::UpstreamTimedOut => Some("provider_timeout"),
            _ => None,
        }
    }

    /// The body's `message`, to the letter of the contract.
    ///
    /// ```
    /// assert_eq!(
    ///     phone_model::Refusal::NotFound.message(),
    ///     "The requested resource could not be found."
    /// );
    /// ```
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::Validation => "Unable to process request due to validation errors.",
            Self::Unauthorized => "Authorization has been denied for this request.",
            Self::CustomerAccessDenied => {
                "Unable to process this request as you do not have access to the customer associated to this request."
            }
            Self::ForeignOrigin => {
                "Unable to process this request as it did not come from this server's own pages."
            }
            Self::NotFound => "The requested resource could not be found.",
            Self::MethodNotAllowed => "The requested method is not supported for this resource.",
            Self::RequestTimeout => {
                "The request's body did not arrive in time. Please send the request again."
            }
            Self::PayloadTooLarge => "The request body is too large. Please send at most 64 KiB.",
            Self::PreconditionFailed => {
                "Unable to process this request as the phone number was changed after it was read. Please get it again and retry your request."
            }
            Self::IdempotencyKeyReused => {
                "Unable to process this request as its Idempotency-Key was already used for a different request. Please send a new key with a new request."
            }
            Self::UnsupportedMediaType => {
                "The request body must be JSON, sent with Content-Type: application/json."
            }
            Self::TooManyRequests => {
                "You have exceeded the maximum limit of request allowed. Please try your request again in a moment."
            }
            Self::Internal => {
                "Something went wrong while processing your request. We’re sorry for the trouble. We’ve been notified of the error and will correct it as soon as possible. Please try your request again in a moment."
            }
            Self::Unavailable => {
                "The service is unavailable right now. Please try your request again in a moment."
            }
            Self::UpstreamUnreachable => {
                "Unable to process this request as the provider's API could not be reached. Please try your request again in a moment."
            }
            Self::UpstreamTimedOut => {
                "Unable to process this request as the provider's API did not answer in time. A change may have been made: please get it again, or retry with the same Idempotency-Key."
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// The message of a successful delete.
pub const DELETED_MESSAGE: &str = "Phone number successfully deleted";
