//! A customer's phone numbers: list, create, get, update, delete.

use axum::{Extension, Json, extract::State};
use phone_model::{
    DELETED_MESSAGE, ErrorBody, IfMatch, MessageBody, PhoneNumberInput, PhoneNumberPage,
    PhoneNumberResource, Refusal, Refused, ValidationError, first_refusal, validate_create,
    validate_update,
};

use super::{Created, Versioned, blocking, small_read};
use crate::{
    AppState,
    auth::{Principal, now},
    error::ApiError,
    extract::{ContractJson, CreateJson, Ids, ListQuery, Precondition},
    openapi::{AddPhoneNumberRequest, UpdatePhoneNumberRequest},
    store::{Change, OperationError},
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
    query: ListQuery,
) -> Result<Json<PhoneNumberPage>, ApiError> {
    let keys = state.keys.ring();
    let cursors = keys.cursors(format!("phoneNumbers:{customer_id}"), now());
    let (size, after) = match cursors.requested_page(&query) {
        Ok(page) => page,
        Err(errors) => return Err(refuse(&state, &principal, customer_id, None, errors).await),
    };
    let page = small_read(&state, move |store| {
        Ok(store.phone_numbers(&customer_id, principal.businesses(), after, size)?)
    })
    .await?;
    Ok(Json(PhoneNumberPage {
        phone_numbers: page.items,
        response_metadata: cursors.metadata(page.next_after),
    }))
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
    request: CreateJson<PhoneNumberInput>,
) -> Result<Warned<Created<Versioned>>, ApiError> {
    let validation = validate_create(&request.body);
    let warnings = validation.warnings().to_vec();
    let number = match validation.into_result() {
        Ok(number) => number,
        Err(errors) => return Err(refuse(&state, &principal, customer_id, None, errors).await),
    };
    let attempt = request.attempt(&principal);
    let created = blocking(&state, move |store| {
        let businesses = principal.businesses();
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.create_phone_number(
            &customer_id,
            businesses,
            &number,
            &change,
            attempt.as_ref(),
        )?)
    })
    .await?;
    Ok(Warned(warnings, Created(created.map(Versioned))))
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
) -> Result<Versioned, ApiError> {
    let number = small_read(&state, move |store| {
        Ok(store.phone_number(&customer_id, &phone_number_id, principal.businesses())?)
    })
    .await?;
    first_refusal(Ok(Some(number.version())), &condition, Vec::new()).map_err(refused)?;
    Ok(Versioned(number))
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
    ContractJson(input): ContractJson<PhoneNumberInput>,
) -> Result<Warned<Versioned>, ApiError> {
    let validation = validate_update(&phone_number_id, &input);
    let warnings = validation.warnings().to_vec();
    let (number, condition) = match (validation.into_result(), condition) {
        (Ok(number), Ok(condition)) => (number, condition),
        (result, condition) => {
            let errors = result.err().unwrap_or_default();
            let number = Some((phone_number_id, condition));
            return Err(refuse(&state, &principal, customer_id, number, errors).await);
        }
    };
    blocking(&state, move |store| {
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.update_phone_number(
            &customer_id,
            &phone_number_id,
            principal.businesses(),
            &number,
            &change,
            condition.as_ref(),
        )?)
    })
    .await
    .map(|number| Warned(warnings, Versioned(number)))
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
) -> Result<Json<MessageBody>, ApiError> {
    let condition = match condition {
        Ok(condition) => condition,
        malformed => {
            let number = Some((phone_number_id, malformed));
            return Err(refuse(&state, &principal, customer_id, number, Vec::new()).await);
        }
    };
    blocking(&state, move |store| {
        let businesses = principal.businesses();
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        let condition = condition.as_ref();
        Ok(store.delete_phone_number(
            &customer_id,
            &phone_number_id,
            businesses,
            &change,
            condition,
        )?)
    })
    .await?;
    Ok(Json(MessageBody { message: DELETED_MESSAGE.to_owned() }))
}

/// A request that broke rules (its body's `errors`, or a malformed `If-Match`): the refusal
/// that comes first by the core's [`first_refusal`], once what it names — the customer, or its
/// phone number and the request's `If-Match` — has been looked up. (A body that is not JSON at
/// all, or too large, was refused before: 415, 413 or 400 `Body`.)
async fn refuse(
    state: &AppState,
    principal: &Principal,
    customer_id: String,
    phone_number: Option<(String, Result<Option<IfMatch>, ValidationError>)>,
    errors: Vec<ValidationError>,
) -> ApiError {
    let businesses = principal.businesses().clone();
    let found = blocking(state, move |store| {
        Ok(match phone_number {
            Some((id, condition)) => {
                let current = store.phone_number(&customer_id, &id, &businesses);
                first_refusal(current.map(|number| Some(number.version())), &condition, errors)
            }
            None => {
                let customer = store.customer(&customer_id, &businesses).map(|_| None);
                first_refusal(customer, &Ok(None), errors)
            }
        })
    })
    .await;
    match found {
        Ok(Err(first)) => refused(first),
        Ok(Ok(())) => ApiError::Internal("a refusal asked for a request that broke no rule".into()),
        Err(error) => error,
    }
}

/// The contract's answer for the refusal that comes first.
fn refused(first: Refused<OperationError>) -> ApiError {
    match first {
        Refused::Target(error) => error.into(),
        Refused::PreconditionFailed => ApiError::Refused(Refusal::PreconditionFailed),
        Refused::Invalid(errors) => errors.into(),
    }
}
