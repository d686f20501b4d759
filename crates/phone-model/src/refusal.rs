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
    /// Every refusal, in the order above.
    pub const ALL: [Self; 16] = [
        Self::Validation,
        Self::Unauthorized,
        Self::CustomerAccessDenied,
        Self::ForeignOrigin,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::RequestTimeout,
        Self::PayloadTooLarge,
        Self::PreconditionFailed,
        Self::UnsupportedMediaType,
        Self::IdempotencyKeyReused,
        Self::TooManyRequests,
        Self::Internal,
        Self::Unavailable,
        Self::UpstreamUnreachable,
        Self::UpstreamTimedOut,
    ];

    /// The refusal an error answer stands for, read back by a client from its status and its
    /// body's `errorCode`: the refusal with both; for a code this client does not know, or
    /// none, the status's refusal without a code, else its first (a 403 without one is
    /// [`CustomerAccessDenied`](Self::CustomerAccessDenied)). `None` for a status no refusal
    /// has (200, 409).
    ///
    /// ```
    /// use phone_model::Refusal;
    /// assert_eq!(Refusal::from_answer(404, None), Some(Refusal::NotFound));
    /// assert_eq!(Refusal::from_answer(403, Some("origin_refused")), Some(Refusal::ForeignOrigin));
    /// assert_eq!(Refusal::from_answer(409, None), None);
    /// ```
    #[must_use]
    pub fn from_answer(status: u16, error_code: Option<&str>) -> Option<Self> {
        let of_status = Self::ALL.into_iter().filter(|r| r.status() == status);
        let mut coded = of_status.clone().filter(|r| r.error_code().is_some());
        coded
            .find(|r| r.error_code() == error_code)
            .or_else(|| of_status.clone().find(|r| r.error_code().is_none()))
            .or_else(|| of_status.clone().next())
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_is_read_back_from_its_status_and_code() {
        for refusal in Refusal::ALL {
            let read = Refusal::from_answer(refusal.status(), refusal.error_code());
            assert_eq!(read, Some(refusal), "{refusal:?}");
        }
    }

    #[test]
    fn an_answer_without_a_code_or_with_an_unknown_one_is_its_statuss_refusal() {
        let cases = [
            (400, None, Some(Refusal::Validation)),
            (403, None, Some(Refusal::CustomerAccessDenied)),
            (403, Some("something_new"), Some(Refusal::CustomerAccessDenied)),
            (404, Some("something_new"), Some(Refusal::NotFound)),
            (502, None, Some(Refusal::UpstreamUnreachable)),
            (504, None, Some(Refusal::UpstreamTimedOut)),
            (200, None, None),
            (409, Some("conflict"), None),
        ];
        for (status, code, expected) in cases {
            assert_eq!(Refusal::from_answer(status, code), expected, "{status} {code:?}");
        }
    }
}
