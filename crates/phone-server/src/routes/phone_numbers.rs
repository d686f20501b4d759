//! A customer's phone numbers: list, create, get, update, delete.

use axum::{Extension, Json, extract::State, http::StatusCode};
use phone_model::{
    DELETED_MESSAGE, ErrorBody, MessageBody, PhoneNumberInput, PhoneNumberPage,
    PhoneNumberResource, ValidationError, validate_create, validate_update,
};

use super::blocking;
use crate::{
    AppState,
    auth::{Principal, now},
    cursor::Cursors,
    error::ApiError,
    extract::{ContractJson, Ids, ListQuery},
    openapi::{AddPhoneNumberRequest, UpdatePhoneNumberRequest},
    store::Change,
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
    let cursors = Cursors::new(state.store.cursor_key(), format!("phoneNumbers:{customer_id}"));
    let (size, after) = match cursors.requested_page(&query) {
        Ok(page) => page,
        Err(errors) => return Err(refuse(&state, &principal, customer_id, None, errors).await),
    };
    let page = blocking(&state, move |store| {
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
    params(("customerId" = String, Path, description = "The customer.")),
    request_body = AddPhoneNumberRequest,
    responses(
        (status = 201, body = PhoneNumberResource),
        (status = 400, body = ErrorBody, description = "Validation errors, one per failed rule."),
        (status = 404, body = ErrorBody, description = "No such customer."),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    )
)]
pub async fn phone_numbers_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
    ContractJson(input): ContractJson<PhoneNumberInput>,
) -> Result<(StatusCode, Json<PhoneNumberResource>), ApiError> {
    let number = match validate_create(&input).into_result() {
        Ok(number) => number,
        Err(errors) => return Err(refuse(&state, &principal, customer_id, None, errors).await),
    };
    let created = blocking(&state, move |store| {
        let businesses = principal.businesses();
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.create_phone_number(&customer_id, businesses, &number, &change)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Get one phone number of a customer.
#[utoipa::path(
    get,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}",
    tag = "Phone Numbers",
    operation_id = "phoneNumbersGet",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The phone number."),
    ),
    responses(
        (status = 200, body = PhoneNumberResource),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
    )
)]
pub async fn phone_numbers_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
) -> Result<Json<PhoneNumberResource>, ApiError> {
    blocking(&state, move |store| {
        Ok(store.phone_number(&customer_id, &phone_number_id, principal.businesses())?)
    })
    .await
    .map(Json)
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
    ),
    request_body = UpdatePhoneNumberRequest,
    responses(
        (status = 200, body = PhoneNumberResource),
        (status = 400, body = ErrorBody, description = "Validation errors, one per failed rule."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
    )
)]
pub async fn phone_numbers_update(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
    ContractJson(input): ContractJson<PhoneNumberInput>,
) -> Result<Json<PhoneNumberResource>, ApiError> {
    let number = match validate_update(&phone_number_id, &input).into_result() {
        Ok(number) => number,
        Err(errors) => {
            return Err(
                refuse(&state, &principal, customer_id, Some(phone_number_id), errors).await
            );
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
        )?)
    })
    .await
    .map(Json)
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
    ),
    responses(
        (status = 200, body = MessageBody, description = "`Phone number successfully deleted`"),
        (status = 400, body = ErrorBody, description = "It is the primary number."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
    )
)]
pub async fn phone_numbers_delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
) -> Result<Json<MessageBody>, ApiError> {
    blocking(&state, move |store| {
        let businesses = principal.businesses();
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.delete_phone_number(&customer_id, &phone_number_id, businesses, &change)?)
    })
    .await?;
    Ok(Json(MessageBody { message: DELETED_MESSAGE.to_owned() }))
}

/// A request that broke rules: 400 with its errors, unless what it names does not exist or is
/// not the caller's — then 404 or 403, as the contract answers on every operation.
async fn refuse(
    state: &AppState,
    principal: &Principal,
    customer_id: String,
    phone_number_id: Option<String>,
    errors: Vec<ValidationError>,
) -> ApiError {
    let businesses = principal.businesses().clone();
    let found = blocking(state, move |store| {
        match phone_number_id {
            Some(id) => store.phone_number(&customer_id, &id, &businesses).map(drop),
            None => store.customer(&customer_id, &businesses).map(drop),
        }
        .map_err(ApiError::from)
    })
    .await;
    match found {
        Ok(()) => errors.into(),
        Err(error) => error,
    }
}
