//! A customer's phone numbers: list, create, get, update, delete.

use axum::{Extension, Json, extract::State};
use phone_model::{
    DELETED_MESSAGE, ErrorBody, MessageBody, PhoneNumberInput, PhoneNumberPage, PhoneNumberResource,
};
use phone_operations::{ApiError, NumberIds, Principal, Reply};

use super::{Created, Versioned};
use crate::{
    AppState,
    extract::{Body, Create, Ids, Listed, Precondition},
    openapi::{AddPhoneNumberRequest, UpdatePhoneNumberRequest},
    warned::Warned,
};

/// List a customer's phone numbers, oldest first, a page at a time.
#[utoipa::path(
    get,
    path = "/customers/{customerId}/phoneNumbers",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersList",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size: 1 to 50, default 50; larger values give 50."),
        ("nextCursor" = Option<String>, Query, description = "The previous page's `responseMetadata.nextCursor`."),
    ),
    responses(
        (status = 200, body = PhoneNumberPage),
        (status = 400, body = ErrorBody, description = "`limit` or `nextCursor` is invalid."),
        (status = 404, body = ErrorBody, description = "No such customer."),
    )
)]
pub async fn phone_numbers_list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
    Listed(query): Listed,
) -> Result<Reply<Json<PhoneNumberPage>>, ApiError> {
    let page = state.ops().phone_numbers_list(principal, customer_id, query).await?;
    Ok(page.map(Json))
}

/// Add a phone number to a customer. `isPrimary: true` makes it the primary and demotes the
/// customer's other numbers in the same transaction.
#[utoipa::path(
    post,
    path = "/customers/{customerId}/phoneNumbers",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersCreate",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("Idempotency-Key" = Option<String>, Header, description = IDEMPOTENCY_KEY),
    ),
    request_body = AddPhoneNumberRequest,
    responses(
        (status = 201, body = PhoneNumberResource, headers(
            ("ETag" = String, description = "The new number's version, for `If-Match`."),
            ("Idempotent-Replayed" = String, description = "`true` when this is the answer to an earlier request with the same `Idempotency-Key`."),
            ("Warning" = String, description = "Phonedesk's extension: one per warning the rules give the number, which never blocks the write (`299 phonedesk \"PhoneNumber starts with a country code other than CountryCode.\"`, the message an RFC 9110 quoted-string); none for a number without warnings."),
        )),
        (status = 400, body = ErrorBody, description = "Validation errors, one per failed rule; or a malformed `Idempotency-Key`."),
        (status = 404, body = ErrorBody, description = "No such customer."),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = IDEMPOTENCY_KEY_REUSED),
    )
)]
pub async fn phone_numbers_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
    request: Create<PhoneNumberInput>,
) -> Result<Warned<Reply<Created<Versioned>>>, ApiError> {
    let (warnings, created) =
        state.ops().phone_numbers_create(principal, customer_id, request.sent, request.key).await?;
    Ok(Warned(warnings, created.map(|answer| Created(answer.map(Versioned)))))
}

/// What the document says of `Idempotency-Key`.
pub(super) const IDEMPOTENCY_KEY: &str = "Phonedesk's extension (the IETF httpapi draft's header): 1 to 255 printable ASCII characters, bare or in double quotes. The same key with the same request within 24 hours answers the first 201 again, without a second write; keys are the caller's own.";
/// What the document says of a 422.
pub(super) const IDEMPOTENCY_KEY_REUSED: &str = "`idempotency_key_reused`: the `Idempotency-Key` was used in the last 24 hours for a different request (another body or path). 422, not 400: the request is well-formed, and would be accepted with a new key.";
/// What the document says of `If-Match`.
const IF_MATCH: &str = "Phonedesk's extension (RFC 9110): `*`, or the `ETag` of the version this request is based on; compared strongly. Without it the request is answered whatever the current version. (The list and `POST` have no version, and ignore it.)";
/// What the document says of a 412.
const PRECONDITION_FAILED: &str = "`precondition_failed`: `If-Match` names none of the number's current version: someone changed it since it was read. Get it again.";

/// Get one phone number of a customer.
#[utoipa::path(
    get,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersGet",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The phone number."),
        ("If-Match" = Option<String>, Header, description = IF_MATCH),
    ),
    responses(
        (status = 200, body = PhoneNumberResource, headers(("ETag" = String, description = "The number's version (a strong entity tag), for `If-Match`."))),
        (status = 400, body = ErrorBody, description = "A malformed `If-Match`."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
        (status = 412, body = ErrorBody, description = PRECONDITION_FAILED),
    )
)]
pub async fn phone_numbers_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    Precondition(condition): Precondition,
) -> Result<Reply<Versioned>, ApiError> {
    let ids = NumberIds { customer_id, phone_number_id };
    let number = state.ops().phone_numbers_get(principal, ids, condition).await?;
    Ok(number.map(Versioned))
}

/// Replace a phone number's fields. `isPrimary: true` makes it the primary; `false` on the
/// primary is refused; left out, it changes nothing.
#[utoipa::path(
    put,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersUpdate",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The phone number."),
        ("If-Match" = Option<String>, Header, description = IF_MATCH),
    ),
    request_body = UpdatePhoneNumberRequest,
    responses(
        (status = 200, body = PhoneNumberResource, headers(
            ("ETag" = String, description = "The number's version (a strong entity tag), for `If-Match`."),
            ("Warning" = String, description = "Phonedesk's extension: one per warning the rules give the number, which never blocks the write (`299 phonedesk \"PhoneNumber starts with a country code other than CountryCode.\"`, the message an RFC 9110 quoted-string); none for a number without warnings."),
        )),
        (status = 400, body = ErrorBody, description = "Validation errors, one per failed rule; or a malformed `If-Match`."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
        (status = 412, body = ErrorBody, description = PRECONDITION_FAILED),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    )
)]
pub async fn phone_numbers_update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    Precondition(condition): Precondition,
    Body(sent): Body<PhoneNumberInput>,
) -> Result<Warned<Reply<Versioned>>, ApiError> {
    let ids = NumberIds { customer_id, phone_number_id };
    let (warnings, number) =
        state.ops().phone_numbers_update(principal, ids, condition, sent).await?;
    Ok(Warned(warnings, number.map(Versioned)))
}

/// Delete a phone number that is not the customer's primary.
#[utoipa::path(
    delete,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersDelete",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The phone number."),
        ("If-Match" = Option<String>, Header, description = IF_MATCH),
    ),
    responses(
        (status = 200, body = MessageBody, description = "`Phone number successfully deleted`"),
        (status = 400, body = ErrorBody, description = "It is the primary number; or a malformed `If-Match`."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
        (status = 412, body = ErrorBody, description = PRECONDITION_FAILED),
    )
)]
pub async fn phone_numbers_delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    Precondition(condition): Precondition,
) -> Result<Reply<Json<MessageBody>>, ApiError> {
    let ids = NumberIds { customer_id, phone_number_id };
    let deleted = state.ops().phone_numbers_delete(principal, ids, condition).await?;
    Ok(deleted.map(|()| Json(MessageBody { message: DELETED_MESSAGE.to_owned() })))
}
