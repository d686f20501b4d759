//! Extractors whose failures speak the contract: a body that is not JSON, too large, or
//! malformed, and query parameters that do not parse, all answer in the contract's shapes.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::{HeaderMap, HeaderValue, header, request::Parts},
};
use phone_model::{IdempotencyKey, IfMatch, Refusal, ValidationError};
use serde::de::DeserializeOwned;

use phone_operations::{ApiError, Keyed, ListQuery, Sent};

/// The largest body the server reads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// A JSON body, as it was sent and as the contract reads it ([`Sent`]): read only when
/// declared as JSON and no larger than [`BODY_LIMIT`]. No body at all reads as `{}`, so that it
/// gets the required fields' messages (a 400, as the provider documents), not a 415. The one
/// reader of bodies: a server of its own answers what does not read, the gateway sends the
/// body on as it was sent.
#[derive(Debug)]
pub struct Body<T>(pub Sent<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        sent(request, state).await.map(Self)
    }
}

/// A create's body (read as [`Body`] reads it) and its `Idempotency-Key`, when one was sent,
/// with a fingerprint of what was asked: the method, path and body's bytes.
#[derive(Debug)]
pub struct Create<T> {
    pub sent: Sent<T>,
    pub key: Option<Keyed>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Create<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let key = idempotency_key(request.headers())?;
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let sent = sent(request, state).await?;
        let bytes = sent.raw.as_ref().map_or(&b""[..], |(_, bytes)| bytes.as_ref());
        let key = key.map(|key| Keyed::new(key, method.as_str(), &path, bytes));
        Ok(Self { sent, key })
    }
}

/// A request's `Idempotency-Key`, when it sent one.
///
/// # Errors
/// A 400 on the field `Idempotency-Key` for a malformed one.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<IdempotencyKey>, ApiError> {
    header_text(headers, "idempotency-key")
        .map(|text| text.ok_or(ValidationError::IdempotencyKeyInvalid))
        .map(|text| text.and_then(|text| IdempotencyKey::parse(&text)))
        .transpose()
        .map_err(ApiError::invalid)
}

/// The `If-Match` header of one number's request, when sent: `Err` when it is malformed, which
/// the handler reports only once the number is known to exist and be the caller's (a request
/// for another's number is a 404 or 403 whatever its headers).
#[derive(Debug)]
pub struct Precondition(pub Result<Option<IfMatch>, ValidationError>);

impl<S: Send + Sync> FromRequestParts<S> for Precondition {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            header_text(&parts.headers, "if-match")
                .map(|text| text.ok_or(ValidationError::IfMatchInvalid))
                .map(|text| text.and_then(|text| IfMatch::parse(&text)))
                .transpose(),
        ))
    }
}

/// A header's value when it was sent, its repeats joined by commas as RFC 9110 § 5.3 allows;
/// `Some(None)` for one that is not text, which is never a valid condition or key.
fn header_text(headers: &HeaderMap, name: &str) -> Option<Option<String>> {
    let values: Vec<_> = headers.get_all(name).iter().collect();
    if values.is_empty() {
        return None;
    }
    let texts: Result<Vec<&str>, _> = values.iter().map(|v| v.to_str()).collect();
    Some(texts.ok().map(|texts| texts.join(", ")))
}

/// The body as sent and as read (see [`Body`]). A body that cannot be had at all (too large,
/// too slow, or bytes of no declared type) is refused here, in both modes.
async fn sent<S: Send + Sync, T: DeserializeOwned>(
    request: Request,
    state: &S,
) -> Result<Sent<T>, ApiError> {
    let content_type = request.headers().get(header::CONTENT_TYPE).cloned();
    // The body limit layer (lib.rs) turns an oversized body into an error here.
    let bytes = Bytes::from_request(request, state).await.map_err(|error| unread_body(&error))?;
    let raw = match content_type {
        Some(content_type) => Some((content_type, bytes)),
        None if bytes.is_empty() => None,
        None => return Err(ApiError::Refused(Refusal::UnsupportedMediaType)),
    };
    let read = read(raw.as_ref());
    Ok(Sent { raw, read })
}

/// A body as the contract reads it.
fn read<T: DeserializeOwned>(raw: Option<&(HeaderValue, Bytes)>) -> Result<T, ApiError> {
    let bytes = match raw {
        None => &b"{}"[..],
        Some((content_type, _)) if !is_json(content_type) => {
            return Err(ApiError::Refused(Refusal::UnsupportedMediaType));
        }
        Some((_, bytes)) if bytes.is_empty() => &b"{}"[..],
        Some((_, bytes)) => bytes.as_ref(),
    };
    // Syntax first (any JSON), then the shape, read straight from the bytes: going through
    // `serde_json::Value` would keep only the last of a member sent twice, where the
    // rules see both and refuse a conflict.
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes)
        .map_err(|_| ApiError::invalid(ValidationError::BodyMalformed))?;
    serde_json::from_slice(bytes).map_err(|_| ApiError::invalid(ValidationError::BodyInvalid))
}

/// Whether a declared type is JSON: `application/json`, or `application/…+json`.
fn is_json(content_type: &HeaderValue) -> bool {
    content_type.to_str().ok().and_then(|v| v.split(';').next()).is_some_and(|mime| {
        let mime = mime.trim().to_ascii_lowercase();
        mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
    })
}

/// Why a request's body could not be read: it did not arrive within `--body-timeout` (408),
/// or it is larger than the limit (413).
pub fn unread_body(error: &(dyn std::error::Error + 'static)) -> ApiError {
    if crate::serving::request_timed_out(error) {
        ApiError::Refused(Refusal::RequestTimeout)
    } else {
        ApiError::Refused(Refusal::PayloadTooLarge)
    }
}

/// The query parameters of a list, read by name without failing on any value: the
/// operations judge them with the contract's rules.
#[derive(Debug, Default)]
pub struct Listed(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for Listed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(ListQuery::parse(parts.uri.query())))
    }
}

/// Path parameters; a path that does not decode is a resource that does not exist.
#[derive(Debug)]
pub struct Ids<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Ids<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(ids)| Self(ids))
            .map_err(|_| ApiError::Refused(Refusal::NotFound))
    }
}
