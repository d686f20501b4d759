//! The one way a request fails: every error leaves through [`ApiError`]'s `IntoResponse`, in
//! the contract's shape. Internal causes are logged with the request id, never sent.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header::RETRY_AFTER},
    response::{IntoResponse, Response},
};
use phone_model::{ErrorBody, FieldMessage, Located, Refusal, ValidationError};

use phone_store::{OperationError, StoreError};

/// Seconds a client is asked to wait before trying again when the database is unavailable:
/// long enough for a restarting PostgreSQL or a released lock, short enough for a person.
const RETRY_SECONDS: u16 = 5;

/// Why a request failed.
#[derive(Debug)]
pub enum ApiError {
    /// 400 with one entry per failed rule.
    Validation(Vec<Located>),
    /// A whole-request refusal (404, 413, 415, …).
    Refused(Refusal),
    /// 400 on `field`, in the contract's shape, for what no rule of the contract covers (an
    /// import's file that cannot be read): `message` says why, in the provider's sentence style.
    Unfit { field: &'static str, message: String },
    /// 500: the cause is logged, the client gets the contract's sentence.
    Internal(Box<dyn std::error::Error + Send + Sync>),
    /// 503 with `Retry-After`: the database cannot be reached now; the cause is logged.
    Unavailable(Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    /// One failed rule.
    pub fn invalid(error: ValidationError) -> Self {
        Self::Validation(vec![error.into()])
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Unavailable(_) => Self::Unavailable(Box::new(error)),
            _ => Self::Internal(Box::new(error)),
        }
    }
}

impl From<OperationError> for ApiError {
    fn from(error: OperationError) -> Self {
        match error {
            OperationError::Refused(refusal) => Self::Refused(refusal),
            OperationError::Invalid(error) => Self::invalid(error),
            OperationError::Store(error) => error.into(),
        }
    }
}

impl From<Vec<ValidationError>> for ApiError {
    fn from(errors: Vec<ValidationError>) -> Self {
        Self::Validation(errors.into_iter().map(Located::from).collect())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (refusal, body) = match self {
            Self::Validation(errors) => (Refusal::Validation, ErrorBody::validation(&errors)),
            Self::Refused(refusal) => (refusal, ErrorBody::refusal(refusal)),
            Self::Unfit { field, message } => {
                let errors = vec![FieldMessage { field: field.into(), message }];
                (
                    Refusal::Validation,
                    ErrorBody { errors, ..ErrorBody::refusal(Refusal::Validation) },
                )
            }
            Self::Internal(cause) => {
                // The request id is on the surrounding span (see lib.rs), so this line has it.
                tracing::error!(error = %cause, "internal error");
                (Refusal::Internal, ErrorBody::refusal(Refusal::Internal))
            }
            Self::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable: answered 503");
                let body = ErrorBody::refusal(Refusal::Unavailable);
                let mut response = respond(Refusal::Unavailable, body);
                response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(RETRY_SECONDS));
                return response;
            }
        };
        respond(refusal, body)
    }
}

fn respond(refusal: Refusal, body: ErrorBody) -> Response {
    let status =
        StatusCode::from_u16(refusal.status()).expect("refusal statuses are valid HTTP statuses");
    (status, Json(body)).into_response()
}
