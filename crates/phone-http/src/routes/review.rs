//! The data-quality review (Phonedesk's extension): the caller's stored numbers that do not fit
//! their country's plan, that are written with another country's code than they are saved
//! under, whose type contradicts their kind, whose country code the provider's table lacks, or
//! that another customer has too — counted, and paged by problem; and the marks that say a
//! shared number is expected (a family's, an office's), which take it out.

use axum::{Extension, Json, extract::State};
use phone_model::{ErrorBody, PhoneNumberReview, Problem, SharedNumberMark};

use phone_operations::{ApiError, NumberIds, Principal};

use crate::{
    AppState,
    extract::{Ids, Listed},
};

/// Review the stored numbers: how many have each problem, and a page of one problem's.
#[utoipa::path(
    get,
    path = "/phoneNumberReview",
    tag = "Phone Numbers",
    operation_id = "phoneNumberReview",
    params(
        ("problem" = Option<Problem>, Query, description = "The problem whose numbers to list: `notInPlan` (fits no number of its country's plan), `otherCountry` (written with another country's code than it is saved under: `+44 20 7946 0958` saved as New Zealand), `wrongType` (its type contradicts its kind: a mobile saved as home), `unknownCountryCode` (its country can no longer be chosen: the provider's table dropped its code) or `sharedNumber` (another customer has it: information, not an error; those marked as expected are left out, and not counted). Without it, only the counts."),
        ("expected" = Option<bool>, Query, description = "With `problem=sharedNumber`: `true` lists only the shared numbers marked as expected, each with `expected` (who marked it, and when), so a mark can be taken back; `false` (the default) the others."),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size: 1 to 50, default 50; larger values give 50."),
        ("nextCursor" = Option<String>, Query, description = "The previous page's `responseMetadata.nextCursor`."),
    ),
    responses(
        (status = 200, body = PhoneNumberReview, description = "Phonedesk's extension: each number judged by the rules a new one meets, within the caller's businesses. `suggestedPhoneType` is the type the number's kind decides, where it does, and `suggestedCountryCode` the country code an `otherCountry` number is written with, where the provider's table has it (mechanical fixes: `PUT` the number with it, and its `ETag` as `If-Match`)."),
        (status = 400, body = ErrorBody, description = "`problem`, `expected`, `limit` or `nextCursor` is invalid."),
    )
)]
pub async fn phone_number_review(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Listed(query): Listed,
) -> Result<Json<PhoneNumberReview>, ApiError> {
    Ok(Json(state.ops().phone_number_review(principal, query).await?))
}

/// What the document says of a mark's coverage.
const MARK_COVERS: &str = "The mark is the customer's business's, for this number, and covers every customer of the caller's businesses who has it now: while only they have it, none of their rows is listed (or counted) under `sharedNumber`; when another customer gets it, it is listed again. Recorded in each covered customer's `phoneNumberHistory` (`markedSharedExpected`, `unmarkedSharedExpected`).";

/// Mark a shared number as expected (a family's or an office's number): the review leaves it
/// out while only the customers who have it now share it. Phonedesk's extension.
#[utoipa::path(
    put,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected",
    tag = "Phone Numbers",
    operation_id = "sharedExpectedPut",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The customer's shared number."),
    ),
    responses(
        (status = 200, body = SharedNumberMark, description = MARK_COVERS),
        (status = 400, body = ErrorBody, description = "`PhoneNumber is not shared with another customer.` (on `phoneNumberId`): no other customer of the caller's businesses has it."),
        (status = 404, body = ErrorBody, description = "No such customer, or no such number of theirs."),
    )
)]
pub async fn shared_expected_put(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
) -> Result<Json<SharedNumberMark>, ApiError> {
    let ids = NumberIds { customer_id, phone_number_id };
    Ok(Json(state.ops().shared_expected(principal, ids, true).await?))
}

/// Take back the mark of a shared number: it is reviewed as shared again. Phonedesk's
/// extension.
#[utoipa::path(
    delete,
    path = "/customers/{customerId}/phoneNumbers/{phoneNumberId}/sharedExpected",
    tag = "Phone Numbers",
    operation_id = "sharedExpectedDelete",
    params(
        ("customerId" = String, Path, description = "The customer."),
        ("phoneNumberId" = String, Path, description = "The customer's number."),
    ),
    responses(
        (status = 200, body = SharedNumberMark, description = "The mark taken back: who had made it, and when. Taking it back is recorded in each covered customer's history."),
        (status = 404, body = ErrorBody, description = "No such customer, no such number of theirs, or no mark of it in the customer's business."),
    )
)]
pub async fn shared_expected_delete(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Ids((customer_id, phone_number_id)): Ids<(String, String)>,
) -> Result<Json<SharedNumberMark>, ApiError> {
    let ids = NumberIds { customer_id, phone_number_id };
    Ok(Json(state.ops().shared_expected(principal, ids, false).await?))
}
