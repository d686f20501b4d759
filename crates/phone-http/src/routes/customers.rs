//! Customers: the part of the provider's API that its phone number workflows need.

use axum::{Extension, Json, extract::State};
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerResource, ErrorBody, PhoneNumberHistory,
};
use phone_operations::{ApiError, Principal, Reply};

use super::Created;
use super::phone_numbers::{IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED};
use crate::{
    AppState,
    extract::{Create, Ids, Listed},
    openapi::CreateCustomerRequest,
    warned::Warned,
};

/// List customers, oldest first, a page at a time.
#[utoipa::path(
    get,
    path = "/customers",
    tag = "Customers",
    operation_id = "customersList",
    params(
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size: 1 to 50, default 50; larger values give 50."),
        ("nextCursor" = Option<String>, Query, description = "The previous page's `responseMetadata.nextCursor`."),
        ("businessId" = Option<String>, Query, description = "Only this business's customers."),
        ("externalReference" = Option<String>, Query, description = "Only the customer with this external reference."),
        ("search" = Option<String>, Query, description = "Phonedesk's extension: customers found by what a person types, best first: names in any case, order, accents or punctuation, with one typo forgiven; the business's name; the customer id or external reference; or one of the customer's phone numbers in any written form (\"021 123 4567\", \"+64 21 123 4567\", the last digits of a local number); a label before an id or reference (\"Ref. abc1454\", \"Customer 3333333\") is dropped. Each result has `primaryPhoneNumber`, and `matchedPhoneNumber` when it was found by a number. A query too short to mean anything (one letter or digit, or fewer than 4 digits of a number: \"27\", \"345\") finds no customers."),
    ),
    responses(
        (status = 200, body = CustomerPage),
        (status = 400, body = ErrorBody, description = "`limit` or `nextCursor` is invalid."),
    )
)]
pub async fn customers_list(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Listed(query): Listed,
) -> Result<Reply<Json<CustomerPage>>, ApiError> {
    Ok(state.ops().customers_list(principal, query).await?.map(Json))
}

/// Get one customer.
#[utoipa::path(
    get,
    path = "/customers/{customerId}",
    tag = "Customers",
    operation_id = "customersGet",
    params(("customerId" = String, Path, description = "The customer.")),
    responses(
        (status = 200, body = CustomerResource),
        (status = 404, body = ErrorBody, description = "No such customer."),
    )
)]
pub async fn customers_get(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
) -> Result<Reply<Json<CustomerResource>>, ApiError> {
    Ok(state.ops().customers_get(principal, customer_id).await?.map(Json))
}

/// Create a customer with exactly one phone number, which becomes its primary.
#[utoipa::path(
    post,
    path = "/customers",
    tag = "Customers",
    operation_id = "customersCreate",
    params(("Idempotency-Key" = Option<String>, Header, description = IDEMPOTENCY_KEY)),
    request_body = CreateCustomerRequest,
    responses(
        (status = 201, body = CreatedCustomer, headers(
            ("Idempotent-Replayed" = String, description = "`true` when this is the answer to an earlier request with the same `Idempotency-Key`."),
            ("Warning" = String, description = "Phonedesk's extension: one per warning the rules give the number, which never blocks the write (`299 phonedesk \"PhoneNumber starts with a country code other than CountryCode.\"`, the message an RFC 9110 quoted-string); none for a number without warnings."),
        )),
        (status = 400, body = ErrorBody, description = "Validation errors; the phone number's fields as `phoneNumber.<field>`; or a malformed `Idempotency-Key`."),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = IDEMPOTENCY_KEY_REUSED),
    )
)]
pub async fn customers_create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    request: Create<CustomerInput>,
) -> Result<Warned<Reply<Created<Json<CreatedCustomer>>>>, ApiError> {
    let (warnings, created) =
        state.ops().customers_create(principal, request.sent, request.key).await?;
    Ok(Warned(warnings, created.map(|answer| Created(answer.map(Json)))))
}

/// The history of a customer's phone numbers, newest first: who changed what, when, and the
/// values before and after. Phonedesk's extension.
#[utoipa::path(
    get,
    path = "/customers/{customerId}/phoneNumberHistory",
    tag = "Phone Numbers",
    operation_id = "phoneNumberHistory",
    params(("customerId" = String, Path, description = "The customer.")),
    responses(
        (status = 200, body = PhoneNumberHistory),
        (status = 404, body = ErrorBody, description = "No such customer."),
    )
)]
pub async fn phone_number_history(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids(customer_id): Ids<String>,
) -> Result<Reply<Json<PhoneNumberHistory>>, ApiError> {
    let changes = state.ops().phone_number_history(principal, customer_id).await?;
    Ok(changes.map(|changes| Json(PhoneNumberHistory { changes })))
}
