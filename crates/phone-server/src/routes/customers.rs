//! Customers: the part of the provider's API that its phone number workflows need.

use axum::{Extension, Json, extract::State};
use phone_model::{
    CreatedCustomer, CustomerInput, CustomerPage, CustomerQuery, CustomerResource, ErrorBody,
    PhoneNumberHistory, customer_search, validate_new_customer,
};

use super::phone_numbers::{IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_REUSED};
use super::{Created, blocking};
use crate::{
    AppState,
    auth::{Principal, now},
    error::ApiError,
    extract::{CreateJson, Ids, ListQuery},
    openapi::CreateCustomerRequest,
    warned::Warned,
};
use phone_store::{Change, CustomerFilter};

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
    query: ListQuery,
) -> Result<Json<CustomerPage>, ApiError> {
    let text = |name| query.get(name).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let search = customer_search(query.get("search")).map_err(ApiError::invalid)?;
    let filter = CustomerFilter {
        business_id: text("businessId"),
        external_reference: text("externalReference"),
        search: search.map(CustomerQuery::parse),
    };
    // A cursor continues only the list it came from: the same filters. (A search's cursor is
    // a place in its order of tiers, which cursors from before that order never were.)
    let kind = if search.is_some() { "customer search" } else { "customers" };
    let list = format!(
        "{kind}:{}\0{}\0{}",
        filter.business_id.as_deref().unwrap_or_default(),
        filter.external_reference.as_deref().unwrap_or_default(),
        search.unwrap_or_default()
    );
    let keys = state.keys.ring();
    let cursors = keys.cursors(list, now());
    let (size, after) = cursors.requested_page(&query)?;
    // Asking for a business outside the caller's is asking for its customers: refused.
    if let Some(business_id) = &filter.business_id {
        principal.businesses().check_new_customer(business_id).map_err(ApiError::Refused)?;
    }
    let page = blocking(&state, move |store| {
        Ok(store.customers(&filter, principal.businesses(), after, size)?)
    })
    .await?;
    Ok(Json(CustomerPage {
        customers: page.items,
        response_metadata: cursors.metadata(page.next_after),
    }))
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
) -> Result<Json<CustomerResource>, ApiError> {
    blocking(&state, move |store| Ok(store.customer(&customer_id, principal.businesses())?))
        .await
        .map(Json)
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
    request: CreateJson<CustomerInput>,
) -> Result<Warned<Created<Json<CreatedCustomer>>>, ApiError> {
    let (customer, warnings) = validate_new_customer(&request.body);
    let customer = customer.map_err(ApiError::Validation)?;
    let attempt = request.attempt(&principal);
    let created = blocking(&state, move |store| {
        let actor = principal.actor();
        let change = Change { actor: &actor, at: now() };
        Ok(store.create_customer(&customer, principal.businesses(), &change, attempt.as_ref())?)
    })
    .await?;
    Ok(Warned(warnings, Created(created.map(Json))))
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
) -> Result<Json<PhoneNumberHistory>, ApiError> {
    blocking(&state, move |store| {
        Ok(store.phone_number_history(&customer_id, principal.businesses())?)
    })
    .await
    .map(|changes| Json(PhoneNumberHistory { changes }))
}
