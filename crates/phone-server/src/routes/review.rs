//! The data-quality review (Phonedesk's extension): the caller's stored numbers that do not fit
//! their country's plan, that are written with another country's code than they are saved
//! under, whose type contradicts their kind, whose country code the provider's table lacks, or
//! that another customer has too — counted, and paged by problem.

use axum::{Extension, Json, extract::State};
use phone_model::{
    ErrorBody, PhoneNumberReview, Problem, ProblemCount, ReviewedNumber, ValidationError,
};

use super::blocking;
use crate::{
    AppState,
    auth::{Principal, now},
    error::ApiError,
    extract::ListQuery,
};

/// Review the stored numbers: how many have each problem, and a page of one problem's.
#[utoipa::path(
    get,
    path = "/phoneNumberReview",
    tag = "Phone Numbers",
    operation_id = "phoneNumberReview",
    params(
        ("problem" = Option<Problem>, Query, description = "The problem whose numbers to list: `notInPlan` (fits no number of its country's plan), `otherCountry` (written with another country's code than it is saved under: `+44 20 7946 0958` saved as New Zealand), `wrongType` (its type contradicts its kind: a mobile saved as home), `unknownCountryCode` (its country can no longer be chosen: the provider's table dropped its code) or `sharedNumber` (another customer has it: information, not an error). Without it, only the counts."),
        ("limit" = Option<i64>, Query, minimum = 1, description = "Page size: 1 to 50, default 50; larger values give 50."),
        ("nextCursor" = Option<String>, Query, description = "The previous page's `responseMetadata.nextCursor`."),
    ),
    responses(
        (status = 200, body = PhoneNumberReview, description = "Phonedesk's extension: each number judged by the rules a new one meets, within the caller's businesses. `suggestedPhoneType` is the type the number's kind decides, where it does, and `suggestedCountryCode` the country code an `otherCountry` number is written with, where the provider's table has it (mechanical fixes: `PUT` the number with it, and its `ETag` as `If-Match`)."),
        (status = 400, body = ErrorBody, description = "`problem`, `limit` or `nextCursor` is invalid."),
    )
)]
pub async fn phone_number_review(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    query: ListQuery,
) -> Result<Json<PhoneNumberReview>, ApiError> {
    let problem = query
        .get("problem")
        .map(|name| Problem::parse(name).ok_or(ValidationError::ProblemInvalid))
        .transpose()
        .map_err(ApiError::invalid)?;
    let list = format!("review:{}", problem.map_or("", Problem::as_str));
    let keys = state.keys.ring();
    let cursors = keys.cursors(list, now());
    let (size, after) = cursors.requested_page(&query)?;
    let review = blocking(&state, move |store| {
        Ok(store.review(problem, principal.businesses(), after, size)?)
    })
    .await?;
    let phone_numbers = problem.map_or_else(Vec::new, |problem| {
        review
            .numbers
            .items
            .into_iter()
            .map(|row| ReviewedNumber::new(problem, row.customer, row.number, row.shared_with))
            .collect()
    });
    Ok(Json(PhoneNumberReview {
        problems: review
            .counts
            .into_iter()
            .map(|(problem, count)| ProblemCount {
                problem,
                heading: problem.heading().to_owned(),
                information: problem.is_information(),
                count,
            })
            .collect(),
        phone_numbers,
        response_metadata: cursors.metadata(review.numbers.next_after),
    }))
}
